//! Amounts of money, kept as integers in the currency's minor unit (won for KRW, cents
//! for USD) so that no refund is ever off by a rounding error.

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// An ISO 4217 currency code such as `KRW` or `USD`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Currency(String);

impl Currency {
    /// Accepts three ASCII letters, in any case, and keeps them upper-case.
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        let code = value.trim();
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Self(code.to_ascii_uppercase()))
        } else {
            Err(FieldError::new(field, "currency", "a three-letter ISO 4217 code"))
        }
    }

    /// The code as stored and sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// How many digits the minor unit has; the currencies of this store's market.
    pub fn minor_digits(&self) -> u32 {
        match self.0.as_str() {
            "KRW" | "JPY" | "VND" => 0,
            _ => 2,
        }
    }
}

/// A non-negative amount in a currency's minor unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// The amount in minor units (won, cents).
    pub amount_minor: i64,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// Human-readable form such as `₩1,200` or `US$1.99`, the same in both languages.
    pub fn display(&self) -> String {
        let digits = self.currency.minor_digits();
        let divisor = 10_i64.pow(digits);
        let whole = group_thousands(self.amount_minor / divisor);
        let symbol = match self.currency.as_str() {
            "KRW" => "₩".to_owned(),
            "USD" => "US$".to_owned(),
            other => format!("{other} "),
        };
        if digits == 0 {
            format!("{symbol}{whole}")
        } else {
            let frac = self.amount_minor % divisor;
            format!("{symbol}{whole}.{frac:0width$}", width = digits as usize)
        }
    }
}

fn group_thousands(value: i64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount_minor: i64, code: &str) -> Money {
        Money { amount_minor, currency: Currency::parse("c", code).expect("valid") }
    }

    #[test]
    fn displays_won_without_decimals_and_dollars_with_cents() {
        assert_eq!(money(1_200, "KRW").display(), "₩1,200");
        assert_eq!(money(1_234_567, "krw").display(), "₩1,234,567");
        assert_eq!(money(199, "USD").display(), "US$1.99");
        assert_eq!(money(5, "USD").display(), "US$0.05");
    }

    #[test]
    fn rejects_currency_codes_that_are_not_three_letters() {
        assert!(Currency::parse("c", "KR").is_err());
        assert!(Currency::parse("c", "K1W").is_err());
        assert!(Currency::parse("c", "WON!").is_err());
    }
}
