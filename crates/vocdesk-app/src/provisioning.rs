//! Catalog provisioning: the store's catalog system creates sellers, accounts, apps and
//! in-app items (over the API, as an operator), and the command line creates a new
//! store's first operator. Every use case asks [`policy::provision_catalog`] first
//! (the first operator excepted: nobody could ask yet), validates everything at once,
//! and writes the row with its audit entry (R14) in one unit of work.

use vocdesk_domain::account::{
    DISPLAY_NAME_MAX, NewSeller, NewUser, Seller, User, check_customer_no, check_new_password, normalize_email,
};
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::catalog::{self, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, SellerId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::role::Role;
use vocdesk_domain::{FieldError, ValidationErrors, policy, text};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::password;

/// R14: the actor behind the command line's writes.
pub const CLI_ACTOR: &str = "cli";

/// Creates a seller (developer account) that developers and apps then name.
pub async fn create_seller(app: &App, caller: Caller<'_>, name: &str, support_email: &str) -> AppResult<Seller> {
    policy::provision_catalog(caller.actor)?;
    let seller = NewSeller::new(name, support_email)?;
    let detail = serde_json::json!({ "name": seller.name, "support_email": seller.support_email });
    let audit = audit_entry(caller, "seller.created", "seller", detail);
    Ok(app.store().create_seller(&seller.name, &seller.support_email, &audit, app.now()).await?)
}

/// The fields of a new account as submitted.
#[derive(Clone, Copy, Debug)]
pub struct UserInput<'a> {
    /// Sign-in address.
    pub email: &'a str,
    /// The name shown to others.
    pub display_name: &'a str,
    /// `customer`, `developer` or `operator`.
    pub role: &'a str,
    /// A developer's seller.
    pub seller_id: Option<&'a str>,
    /// A customer's customer number (R9).
    pub customer_no: Option<&'a str>,
    /// `ko` or `en`; Korean when left out.
    pub locale: Option<&'a str>,
    /// The initial password.
    pub password: &'a str,
}

/// Creates an account with an initial password; a taken email or customer number is a
/// conflict. The audit entry says what kind of account it is, never its password.
pub async fn create_user(app: &App, caller: Caller<'_>, input: &UserInput<'_>) -> AppResult<User> {
    policy::provision_catalog(caller.actor)?;
    let user = new_user(app, input).await?;
    let hash = password::hash_blocking(input.password.to_owned()).await?;
    let detail = serde_json::json!({
        "email": user.email,
        "role": user.role.as_str(),
        "seller_id": user.seller_id.as_ref().map(|s| s.0.clone()),
    });
    let audit = audit_entry(caller, "user.created", "user", detail);
    Ok(app.store().create_user(&user, &hash, &audit, app.now()).await?)
}

/// Checks every field of a new account and reports every problem at once, including a
/// developer's seller that does not exist (the store's foreign key would also refuse
/// it, as an unnamed reference; naming `seller_id` here is clearer).
async fn new_user(app: &App, input: &UserInput<'_>) -> AppResult<NewUser> {
    let mut errors = ValidationErrors::default();
    let role = errors.check(
        Role::parse(input.role.trim())
            .ok_or_else(|| FieldError::new("role", "unknown_role", "customer, developer or operator")),
    );
    let locale = match input.locale {
        // Korean is the store's home language.
        None => Some(Locale::default()),
        Some(tag) => {
            errors.check(Locale::parse(tag).ok_or_else(|| FieldError::new("locale", "unknown_locale", "ko or en")))
        }
    };
    // An invalid number is reported, and still counts as given for the role check.
    let customer_no =
        input.customer_no.map(|number| errors.check(check_customer_no(number)).unwrap_or_else(|| number.to_owned()));
    errors.check(check_new_password(input.password));
    let seller_id = input.seller_id.map(|id| SellerId(id.trim().to_owned()));
    let user = match role {
        Some(role) => {
            if role == Role::Developer
                && let Some(id) = &seller_id
                && app.store().seller(id).await?.is_none()
            {
                errors.push(FieldError::new("seller_id", "unknown_seller", "the id of an existing seller"));
            }
            merge(
                &mut errors,
                NewUser::new(input.email, input.display_name, role, seller_id, customer_no, locale.unwrap_or_default()),
            )
        }
        None => {
            // Without a role, seller membership cannot be judged; the rest still can.
            errors.check(normalize_email(input.email));
            errors.check(text::required_line("display_name", input.display_name, DISPLAY_NAME_MAX));
            None
        }
    };
    errors.finish(|| user).map_err(AppError::Invalid)
}

/// `vocdesk operator create`: a new store's first operator, the one account that cannot
/// be provisioned over the API. Every problem of the account and the password is
/// reported at once; a taken email is a conflict. Audited as the command line's.
pub async fn create_first_operator(
    app: &App,
    email: &str,
    name: &str,
    locale: Locale,
    password: &str,
) -> AppResult<User> {
    let mut errors = ValidationErrors::default();
    let user = merge(&mut errors, NewUser::new(email, name, Role::Operator, None, None, locale));
    errors.check(check_new_password(password));
    let user = errors.finish(|| user)?;
    let hash = password::hash_blocking(password.to_owned()).await?;
    let detail = serde_json::json!({ "role": "operator", "email": user.email });
    let audit =
        AuditEntry::new(AuditActor::system(CLI_ACTOR), Channel::Cli, "user.created", "user", detail.to_string());
    Ok(app.store().create_user(&user, &hash, &audit, app.now()).await?)
}

/// The fields of a new app as submitted; a free app has neither price nor currency.
#[derive(Clone, Copy, Debug)]
pub struct AppInput<'a> {
    /// The seller that lists it.
    pub seller_id: &'a str,
    /// Its title.
    pub title: &'a str,
    /// A line about it.
    pub summary: Option<&'a str>,
    /// The price in minor units, with `currency`.
    pub price_minor: Option<i64>,
    /// The currency, with `price_minor`.
    pub currency: Option<&'a str>,
}

/// Lists an app for an existing seller, free or paid, with no items yet.
pub async fn create_app(app: &App, caller: Caller<'_>, input: &AppInput<'_>) -> AppResult<catalog::App> {
    policy::provision_catalog(caller.actor)?;
    let mut errors = ValidationErrors::default();
    let price = match (input.price_minor, input.currency) {
        (Some(amount), Some(currency)) => Some((amount, currency)),
        (None, None) => None,
        (Some(_), None) | (None, Some(_)) => {
            let missing = if input.currency.is_none() { "currency" } else { "price_minor" };
            errors.push(FieldError::new(
                missing,
                "price_together",
                "price_minor and currency together, or neither for a free app",
            ));
            None
        }
    };
    let seller_id = SellerId(input.seller_id.trim().to_owned());
    if app.store().seller(&seller_id).await?.is_none() {
        errors.push(FieldError::new("seller_id", "unknown_seller", "the id of an existing seller"));
    }
    let new = merge(&mut errors, NewApp::new(seller_id, input.title, input.summary.unwrap_or(""), price));
    let new = errors.finish(|| new)?;
    let detail = serde_json::json!({
        "seller_id": new.seller_id.0,
        "title": new.title,
        "price_minor": new.price.as_ref().map(|p| p.amount_minor),
        "currency": new.price.as_ref().map(|p| p.currency.as_str().to_owned()),
    });
    let audit = audit_entry(caller, "app.created", "app", detail);
    Ok(app.store().create_app(&new, &audit, app.now()).await?)
}

/// Adds a paid in-app item to an existing app.
pub async fn create_item(
    app: &App,
    caller: Caller<'_>,
    app_id: &AppId,
    title: &str,
    price_minor: i64,
    currency: &str,
) -> AppResult<Item> {
    policy::provision_catalog(caller.actor)?;
    let listed = app.store().app(app_id).await?.ok_or(AppError::NotFound)?;
    let item = NewItem::new(listed.id, title, price_minor, currency)?;
    let detail = serde_json::json!({
        "app_id": item.app_id.0,
        "title": item.title,
        "price_minor": item.price.amount_minor,
        "currency": item.price.currency.as_str(),
    });
    let audit = audit_entry(caller, "item.created", "item", detail);
    Ok(app.store().create_item(&item, &audit, app.now()).await?)
}

/// Keeps a validated value, or adds its problems to the ones already found.
fn merge<T>(errors: &mut ValidationErrors, result: Result<T, ValidationErrors>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(found) => {
            errors.0.extend(found.0);
            None
        }
    }
}

/// R14: the operator acted through the caller's door; the store fills in the new row's id.
fn audit_entry(caller: Caller<'_>, action: &str, subject_type: &str, detail: serde_json::Value) -> AuditEntry {
    AuditEntry::new(
        AuditActor::user(caller.user.id.clone(), caller.user.role),
        caller.channel,
        action,
        subject_type,
        detail.to_string(),
    )
}
