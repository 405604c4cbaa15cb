//! Accounts: customers, developers (members of a seller) and operators.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::{SellerId, UserId};
use crate::locale::Locale;
use crate::role::Role;
use crate::text;
use crate::validation::{FieldError, ValidationErrors};

/// The longest email address accepted (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;
/// The longest display name accepted.
pub const DISPLAY_NAME_MAX: usize = 100;
/// The shortest password accepted for a new account.
pub const PASSWORD_MIN: usize = 10;
/// The longest seller name accepted.
pub const SELLER_NAME_MAX: usize = 100;
/// The longest customer number (고객번호) accepted.
pub const CUSTOMER_NO_MAX: usize = 32;

/// A person who signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// Opaque id.
    pub id: UserId,
    /// Sign-in address, stored lower-case so that lookups are exact.
    pub email: String,
    /// Name shown to the other side of a conversation.
    pub display_name: String,
    /// Customer, developer or operator.
    pub role: Role,
    /// The seller a developer acts for; `None` for customers and operators.
    pub seller_id: Option<SellerId>,
    /// The store's customer number (고객번호), used on off-store refund forms (R9);
    /// customers only.
    pub customer_no: Option<String>,
    /// The language the pages are shown in once they sign in (the header's language
    /// switch changes it).
    pub locale: Locale,
    /// R3: the language their notification mail is written in, a setting of its own
    /// (the settings page), so that reading the pages in another language never
    /// changes what their mail says; a new account starts with [`User::locale`].
    pub mail_locale: Locale,
    /// When the account was created.
    pub created_at: Timestamp,
}

/// A seller: the developer account that owns apps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Seller {
    /// Opaque id.
    pub id: SellerId,
    /// The name the store shows.
    pub name: String,
    /// Where R3 notifications for the seller go when no member is addressed.
    pub support_email: String,
}

/// A validated request to create a seller. The store takes the checked name and
/// support address as they are, so they are checked here, before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSeller {
    /// The name the store shows, trimmed.
    pub name: String,
    /// Normalised support address (R3 notifications go there).
    pub support_email: String,
}

impl NewSeller {
    /// Validates a seller's name and support address, reporting both at once.
    pub fn new(name: &str, support_email: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check(text::required_line("name", name, SELLER_NAME_MAX));
        let support_email = errors
            .check(normalize_email(support_email).map_err(|e| FieldError { field: "support_email".to_owned(), ..e }));
        errors.finish(|| Some(NewSeller { name: name?, support_email: support_email? }))
    }
}

/// A validated request to create an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewUser {
    /// Normalised email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Seller for developers.
    pub seller_id: Option<SellerId>,
    /// Customer number for customers.
    pub customer_no: Option<String>,
    /// Preferred language, of the pages and (until they change it) of their mail.
    pub locale: Locale,
}

impl NewUser {
    /// Validates an account: a developer must belong to a seller and nobody else may.
    pub fn new(
        email: &str,
        display_name: &str,
        role: Role,
        seller_id: Option<SellerId>,
        customer_no: Option<String>,
        locale: Locale,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let email = errors.check(normalize_email(email));
        let display_name = errors.check(text::required_line("display_name", display_name, DISPLAY_NAME_MAX));
        if (role == Role::Developer) != seller_id.is_some() {
            errors.push(FieldError::new(
                "seller_id",
                "seller_membership",
                "a seller for developers and for nobody else",
            ));
        }
        if customer_no.is_some() && role != Role::Customer {
            errors.push(FieldError::new("customer_no", "customers_only", "a customer number only for customers"));
        }
        errors.finish(|| {
            Some(NewUser { email: email?, display_name: display_name?, role, seller_id, customer_no, locale })
        })
    }
}

/// Lower-cases and checks an email address: one `@`, a non-empty local part and a
/// domain with a dot, no white space, at most [`EMAIL_MAX`] characters.
pub fn normalize_email(value: &str) -> Result<String, FieldError> {
    let email = value.trim().to_lowercase();
    let invalid = || FieldError::new("email", "email", "an email address such as name@example.com");
    if email.is_empty()
        || email.chars().count() > EMAIL_MAX
        || email.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(invalid());
    }
    let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(invalid());
    }
    Ok(email)
}

/// Checks a customer number (고객번호) and returns it trimmed: R9 forms and imports
/// look customers up by it, so an empty or overlong one would never be found.
pub fn check_customer_no(value: &str) -> Result<String, FieldError> {
    text::required_line("customer_no", value, CUSTOMER_NO_MAX)
}

/// Checks a new password's length; the hash is the web layer's business.
pub fn check_new_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < PASSWORD_MIN {
        return Err(FieldError::new("password", "too_short", &format!("at least {PASSWORD_MIN} characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_checked() {
        assert_eq!(normalize_email(" Dev1@Example.COM ").as_deref(), Ok("dev1@example.com"));
        for bad in ["", "no-at", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@.com"] {
            assert!(normalize_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn a_developer_belongs_to_exactly_one_seller() {
        let seller = Some(SellerId("s".into()));
        assert!(NewUser::new("d@example.com", "D", Role::Developer, seller.clone(), None, Locale::Ko).is_ok());
        assert!(NewUser::new("d@example.com", "D", Role::Developer, None, None, Locale::Ko).is_err());
        assert!(NewUser::new("c@example.com", "C", Role::Customer, seller, None, Locale::Ko).is_err());
    }

    #[test]
    fn a_seller_needs_a_name_and_a_support_address() {
        let seller = NewSeller::new(" Sunrise Games ", "Help@Sunrise.EXAMPLE").expect("valid");
        assert_eq!(seller.name, "Sunrise Games");
        assert_eq!(seller.support_email, "help@sunrise.example");
        let errors = NewSeller::new("  ", "not-an-address").expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "support_email"]);
    }

    #[test]
    fn customer_numbers_are_trimmed_and_bounded() {
        assert_eq!(check_customer_no(" C-0001 ").as_deref(), Ok("C-0001"));
        assert_eq!(check_customer_no("  ").unwrap_err().code, "required");
        assert_eq!(check_customer_no(&"9".repeat(CUSTOMER_NO_MAX + 1)).unwrap_err().code, "too_long");
    }
}
