//! The purchase ledger (R6) and the payment identifiers that R7 keeps private.

use jiff::Timestamp;
use serde::Serialize;

use crate::ids::{AppId, ItemId, PurchaseId, SellerId, UserId};
use crate::money::{Currency, Money};
use crate::validation::{FieldError, ValidationErrors};

mod standing;

pub use standing::{OpenInquiry, PurchaseStanding, RequestNote};

/// The longest payment identifier accepted (TID, TXID, receipt number).
pub const PAYMENT_ID_MAX: usize = 64;

/// Whether the money is still with the seller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseStatus {
    /// Paid and not refunded.
    Paid,
    /// Cancelled (refunded) by the store, on request (R8) or on the developer's behalf (R5).
    Cancelled,
}

impl PurchaseStatus {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            PurchaseStatus::Paid => "paid",
            PurchaseStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the stored or submitted word.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "paid" => Some(PurchaseStatus::Paid),
            "cancelled" => Some(PurchaseStatus::Cancelled),
            _ => None,
        }
    }
}

/// The payment system's identifiers of a purchase: personal information under R7.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaymentIds {
    /// Transaction id of the store's order.
    pub tid: String,
    /// Transaction id at the payment provider.
    pub txid: Option<String>,
    /// The payment receipt number.
    pub receipt_no: Option<String>,
}

impl PaymentIds {
    /// R7: the same identifiers with their middles hidden, for anyone without consent.
    pub fn masked(&self) -> PaymentIds {
        PaymentIds {
            tid: mask(&self.tid),
            txid: self.txid.as_deref().map(mask),
            receipt_no: self.receipt_no.as_deref().map(mask),
        }
    }
}

/// R7: hides the middle of a payment identifier, keeping enough of both ends for a
/// person to tell two apart (`T20261121000000008F3A` → `T2026…8F3A`). Short ids keep
/// less, so that at least half of any id is always hidden.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let head = (n / 4).min(5);
    let tail = (n / 4).min(4);
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[n - tail..]);
    out
}

/// A purchase as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Purchase {
    /// Opaque id.
    pub id: PurchaseId,
    /// The buyer.
    pub customer_id: UserId,
    /// The app bought, or the app the item belongs to.
    pub app_id: AppId,
    /// The in-app item, when one was bought.
    pub item_id: Option<ItemId>,
    /// What was paid (zero for a free app).
    pub amount: Money,
    /// When it was paid.
    pub purchased_at: Timestamp,
    /// Payment identifiers (R7).
    pub payment: PaymentIds,
    /// Paid or cancelled.
    pub status: PurchaseStatus,
    /// When it was cancelled.
    pub cancelled_at: Option<Timestamp>,
}

/// A purchase with the names a person needs to recognise it, as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PurchaseView {
    /// The purchase.
    pub purchase: Purchase,
    /// The app's seller; R6 scopes what a developer sees by it.
    pub seller_id: SellerId,
    /// App title.
    pub app_title: String,
    /// Item title, for item purchases.
    pub item_title: Option<String>,
}

impl PurchaseView {
    /// What was bought, as people name it: the app's title, or "app · item" for an
    /// in-app item (refund mail, off-store records).
    pub fn product_name(&self) -> String {
        match &self.item_title {
            Some(item) => format!("{} · {}", self.app_title, item),
            None => self.app_title.clone(),
        }
    }
}

/// A validated purchase to record, from the payment system (API or CSV import).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPurchase {
    /// The buyer.
    pub customer_id: UserId,
    /// The app.
    pub app_id: AppId,
    /// The item, if any.
    pub item_id: Option<ItemId>,
    /// What was paid.
    pub amount: Money,
    /// When.
    pub purchased_at: Timestamp,
    /// Identifiers; `tid` makes recording idempotent.
    pub payment: PaymentIds,
    /// Usually `paid`; an export may carry purchases already cancelled.
    pub status: PurchaseStatus,
}

/// The raw fields of a purchase as a payment system sends them, before validation.
#[derive(Clone, Debug, Default)]
pub struct PurchaseInput<'a> {
    /// Customer id (already resolved from a customer number by the caller).
    pub customer_id: &'a str,
    /// App id.
    pub app_id: &'a str,
    /// Item id or empty.
    pub item_id: Option<&'a str>,
    /// Amount in minor units.
    pub amount_minor: i64,
    /// Currency code.
    pub currency: &'a str,
    /// RFC 3339 time.
    pub purchased_at: &'a str,
    /// TID.
    pub tid: &'a str,
    /// TXID.
    pub txid: Option<&'a str>,
    /// Receipt number.
    pub receipt_no: Option<&'a str>,
    /// `paid` or `cancelled`; empty means `paid`.
    pub status: Option<&'a str>,
}

impl NewPurchase {
    /// Validates every field and reports every problem.
    pub fn parse(input: &PurchaseInput<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let customer_id = errors.check(required_id("customer_id", input.customer_id));
        let app_id = errors.check(required_id("app_id", input.app_id));
        let item_id = match input.item_id.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(id) => errors.check(required_id("item_id", id).map(Some)),
        };
        let currency = errors.check(Currency::parse("currency", input.currency));
        if input.amount_minor < 0 {
            errors.push(FieldError::new("amount_minor", "negative", "an amount of zero or more, in minor units"));
        }
        let purchased_at = errors.check(input.purchased_at.trim().parse::<Timestamp>().map_err(|_| {
            FieldError::new("purchased_at", "timestamp", "an RFC 3339 time such as 2026-11-21T09:30:00+09:00")
        }));
        let tid = errors.check(payment_id("tid", input.tid));
        let txid = optional(&mut errors, "txid", input.txid);
        let receipt_no = optional(&mut errors, "receipt_no", input.receipt_no);
        let status = match input.status.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(PurchaseStatus::Paid),
            Some(word) => errors.check(
                PurchaseStatus::parse(word).ok_or_else(|| FieldError::new("status", "status", "paid or cancelled")),
            ),
        };
        let amount_ok = input.amount_minor >= 0;
        errors.finish(|| {
            amount_ok.then_some(())?;
            Some(NewPurchase {
                customer_id: UserId(customer_id?),
                app_id: AppId(app_id?),
                item_id: item_id?.map(ItemId),
                amount: Money { amount_minor: input.amount_minor, currency: currency? },
                purchased_at: purchased_at?,
                payment: PaymentIds { tid: tid?, txid: txid?, receipt_no: receipt_no? },
                status: status?,
            })
        })
    }

    /// Whether an already recorded purchase with the same TID says the same thing, so
    /// that a retried import is answered with the existing row instead of a conflict.
    /// A different status is a conflict too: a cancellation the ledger does not know of
    /// must be looked at, not silently dropped.
    pub fn matches(&self, existing: &Purchase) -> bool {
        self.customer_id == existing.customer_id
            && self.app_id == existing.app_id
            && self.item_id == existing.item_id
            && self.amount == existing.amount
            && self.purchased_at == existing.purchased_at
            && self.payment == existing.payment
            && self.status == existing.status
    }
}

fn required_id(field: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() || value.len() > 64 || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(FieldError::new(field, "id", "an id"));
    }
    Ok(value.to_owned())
}

fn payment_id(field: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "required", "a payment identifier"));
    }
    if value.len() > PAYMENT_ID_MAX || !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(FieldError::new(
            field,
            "payment_id",
            &format!("at most {PAYMENT_ID_MAX} visible ASCII characters"),
        ));
    }
    Ok(value.to_owned())
}

fn optional(errors: &mut ValidationErrors, field: &str, value: Option<&str>) -> Option<Option<String>> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(v) => errors.check(payment_id(field, v).map(Some)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn r7_mask_keeps_both_ends_of_a_long_id() {
        assert_eq!(mask("T20261121000000008F3A"), "T2026…8F3A");
        assert_eq!(mask("RCPT-12"), "R…2");
        assert_eq!(mask("ABC"), "…");
    }

    proptest! {
        /// R7: whatever the identifier, at least half of it is hidden and the masked
        /// form never equals the original.
        #[test]
        fn r7_mask_hides_at_least_half(id in "[ -~]{1,64}") {
            let masked = mask(&id);
            let shown = masked.chars().count() - 1;
            prop_assert!(shown * 2 <= id.chars().count());
            prop_assert_ne!(masked, id);
        }
    }

    fn input() -> PurchaseInput<'static> {
        PurchaseInput {
            customer_id: "c1",
            app_id: "a1",
            amount_minor: 1200,
            currency: "KRW",
            purchased_at: "2026-11-21T09:30:00+09:00",
            tid: "T1",
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_purchase_parses_as_paid() {
        let p = NewPurchase::parse(&input()).expect("valid");
        assert_eq!(p.status, PurchaseStatus::Paid);
        assert_eq!(p.purchased_at.to_string(), "2026-11-21T00:30:00Z");
    }

    #[test]
    fn a_retry_matches_only_when_everything_including_the_status_agrees() {
        let sent = NewPurchase::parse(&input()).expect("valid");
        let recorded = Purchase {
            id: PurchaseId("p".into()),
            customer_id: sent.customer_id.clone(),
            app_id: sent.app_id.clone(),
            item_id: None,
            amount: sent.amount.clone(),
            purchased_at: sent.purchased_at,
            payment: sent.payment.clone(),
            status: PurchaseStatus::Paid,
            cancelled_at: None,
        };
        assert!(sent.matches(&recorded));
        let cancelled = NewPurchase { status: PurchaseStatus::Cancelled, ..sent.clone() };
        assert!(!cancelled.matches(&recorded), "a cancellation is not a retry");
        let other_amount = NewPurchase { amount: Money { amount_minor: 1, ..sent.amount.clone() }, ..sent };
        assert!(!other_amount.matches(&recorded));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = PurchaseInput { amount_minor: -1, currency: "W", purchased_at: "yesterday", tid: "", ..input() };
        let errors = NewPurchase::parse(&bad).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["currency", "amount_minor", "purchased_at", "tid"]);
    }
}
