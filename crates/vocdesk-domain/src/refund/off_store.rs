//! R9: the store's off-store request form (consent O/X, customer number, purchase date
//! and time, purchased item), or the same form with the purchase picked from the
//! customer's purchases the developer looked up; and how many such look-ups a
//! developer may make ([`LookupBudget`]).

use jiff::civil::DateTime;
use jiff::tz::{TimeZone, offset};
use jiff::{SignedDuration, Timestamp};

use super::parse_reason;
use crate::audit::Channel;
use crate::ids::PurchaseId;
use crate::purchase::Purchase;
use crate::text::required_line;
use crate::validation::{FieldError, ValidationErrors};

/// R9: the fields of the store's off-store request form, as submitted.
#[derive(Clone, Debug, Default)]
pub struct OffStoreInput<'a> {
    /// `email` or `phone`: how the customer asked.
    pub channel: &'a str,
    /// Consent to provide personal information: `O` or `X`.
    pub consent: &'a str,
    /// The customer number (고객번호).
    pub customer_no: &'a str,
    /// Purchase date and time: RFC 3339, or `YYYY-MM-DD HH:MM` (or `T` between) in
    /// Korean time, as a form's date-time field sends it. Not read when
    /// `purchase_id` names the purchase.
    pub purchased_at: &'a str,
    /// The purchased item: the id of one of the seller's apps or in-app items. Not read
    /// when `purchase_id` names the purchase.
    pub product_id: &'a str,
    /// The purchase picked from the customer's purchases the developer looked up;
    /// empty when the purchase is named by its date, time and item instead.
    pub purchase_id: &'a str,
    /// Why the developer agreed to refund.
    pub reason: &'a str,
}

/// R9: how the form names the customer's purchase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OffStorePurchase {
    /// Picked from the customer's purchases the developer looked up: its date, time
    /// and item come from it.
    Picked(PurchaseId),
    /// By the seeds' fields: the app or item bought within that minute.
    ByTime {
        /// The minute the purchase was made in.
        purchased_at: Timestamp,
        /// The app or item bought.
        product_id: String,
    },
}

/// R9: a validated off-store request. The customer's purchase is found from it by the
/// caller ([`OffStoreRequest::names`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffStoreRequest {
    /// `Email` or `Phone`.
    pub channel: Channel,
    /// R7: consent (O/X) as the customer gave it to the developer.
    pub consent: bool,
    /// The customer number.
    pub customer_no: String,
    /// Which purchase.
    pub purchase: OffStorePurchase,
    /// Why.
    pub reason: String,
}

/// R9: a customer number as the form and the look-up take it: letters, digits and
/// hyphens, at most 64 characters, trimmed.
pub fn parse_customer_no(value: &str) -> Result<String, FieldError> {
    required_line("customer_no", value, 64).and_then(|no| {
        if no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            Ok(no)
        } else {
            Err(FieldError::new("customer_no", "customer_no", "a customer number of letters, digits and -"))
        }
    })
}

impl OffStoreRequest {
    /// Validates every field of the form and reports every problem at once. With a
    /// `purchase_id` the date, time and item are not read (the purchase has them).
    pub fn parse(input: &OffStoreInput<'_>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let channel = errors.check(match input.channel.trim() {
            "email" => Ok(Channel::Email),
            "phone" => Ok(Channel::Phone),
            _ => Err(FieldError::new("channel", "channel", "email or phone")),
        });
        let consent = errors.check(match input.consent.trim() {
            "O" | "o" => Ok(true),
            "X" | "x" => Ok(false),
            _ => Err(FieldError::new("consent_personal_info", "consent", "O (consented) or X (not consented)")),
        });
        let customer_no = errors.check(parse_customer_no(input.customer_no));
        let purchase = match input.purchase_id.trim() {
            "" => {
                let purchased_at = errors.check(parse_purchase_time(input.purchased_at));
                let product_id = errors.check(required_line("product_id", input.product_id, 64));
                purchased_at
                    .zip(product_id)
                    .map(|(purchased_at, product_id)| OffStorePurchase::ByTime { purchased_at, product_id })
            }
            id => errors.check(required_line("purchase_id", id, 64)).map(|id| OffStorePurchase::Picked(PurchaseId(id))),
        };
        let reason = errors.check(parse_reason("reason", input.reason));
        errors.finish(|| {
            Some(OffStoreRequest {
                channel: channel?,
                consent: consent?,
                customer_no: customer_no?,
                purchase: purchase?,
                reason: reason?,
            })
        })
    }

    /// Whether `purchase` is the one the form names: the picked one, or the purchase of
    /// the named app or item made in the named minute. The caller also checks that it
    /// is the customer's and of the developer's seller.
    pub fn names(&self, purchase: &Purchase) -> bool {
        match &self.purchase {
            OffStorePurchase::Picked(id) => purchase.id == *id,
            OffStorePurchase::ByTime { purchased_at, product_id } => {
                let minute = |t: Timestamp| t.as_second().div_euclid(60);
                let product = purchase.item_id.as_ref().map_or(purchase.app_id.as_str(), |i| i.as_str());
                product == product_id && minute(purchase.purchased_at) == minute(*purchased_at)
            }
        }
    }
}

/// Korea has kept +09:00 all year since 1988.
fn korea() -> TimeZone {
    TimeZone::fixed(offset(9))
}

fn parse_purchase_time(value: &str) -> Result<Timestamp, FieldError> {
    let value = value.trim();
    let error =
        || FieldError::new("purchased_at", "timestamp", "a date and time such as 2026-11-18 14:05 (Korean time)");
    if let Ok(at) = value.parse::<Timestamp>() {
        return Ok(at);
    }
    let civil: DateTime = value.replacen(' ', "T", 1).parse().map_err(|_| error())?;
    civil.to_zoned(korea()).map(|z| z.timestamp()).map_err(|_| error())
}

/// R9: how many purchase look-ups a developer may make, so that customer numbers
/// cannot be tried one after another: `burst` at once, then one more per `period`
/// (the generic cell rate algorithm; what is kept per developer is one instant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupBudget {
    /// Look-ups allowed at once.
    pub burst: u32,
    /// After the burst, one more per this period.
    pub period: SignedDuration,
}

/// R9: the off-store look-up's budget per developer: 30 look-ups, then one per 10 s.
pub const OFF_STORE_LOOKUPS: LookupBudget = LookupBudget { burst: 30, period: SignedDuration::from_secs(10) };

impl LookupBudget {
    /// Decides one look-up at `now`. `kept` is what the last admitted look-up returned
    /// for this developer (none before the first). Admitted: the instant to keep for
    /// the next one. Refused: how long until one more is allowed (nothing to keep).
    pub fn admit(&self, kept: Option<Timestamp>, now: Timestamp) -> Result<Timestamp, SignedDuration> {
        let start = kept.filter(|k| *k > now).unwrap_or(now);
        let tolerance = self.period * i32::try_from(self.burst.saturating_sub(1)).unwrap_or(i32::MAX);
        let waited = start.duration_since(now);
        if waited > tolerance {
            return Err(waited - tolerance);
        }
        Ok(start.checked_add(self.period).unwrap_or(Timestamp::MAX))
    }

    /// Whether a kept instant no longer limits anything at `now` (the developer's
    /// budget is full again), so that it may be forgotten.
    pub fn is_spent(kept: Timestamp, now: Timestamp) -> bool {
        kept <= now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AppId, ItemId, UserId};
    use crate::money::{Currency, Money};
    use crate::purchase::{PaymentIds, PurchaseStatus};
    use proptest::prelude::*;

    fn purchase() -> Purchase {
        Purchase {
            id: PurchaseId("p".into()),
            customer_id: UserId("c".into()),
            app_id: AppId("app-1".into()),
            item_id: None,
            amount: Money { amount_minor: 1200, currency: Currency::parse("c", "KRW").expect("valid") },
            purchased_at: "2026-11-18T05:05:30Z".parse().expect("valid"),
            payment: PaymentIds { tid: "T".into(), txid: None, receipt_no: None },
            status: PurchaseStatus::Paid,
            cancelled_at: None,
        }
    }

    fn form() -> OffStoreInput<'static> {
        OffStoreInput {
            channel: "phone",
            consent: "O",
            customer_no: "C-1001",
            purchased_at: "2026-11-18 14:05",
            product_id: "app-1",
            purchase_id: "",
            reason: "고객이 전화로 환불을 요청했습니다.",
        }
    }

    #[test]
    fn r9_the_seed_form_parses_in_korean_time_and_matches_the_minute() {
        let request = OffStoreRequest::parse(&form()).expect("valid");
        assert!(request.consent);
        assert_eq!(request.channel, Channel::Phone);
        let OffStorePurchase::ByTime { purchased_at, .. } = &request.purchase else { panic!("by time") };
        assert_eq!(purchased_at.to_string(), "2026-11-18T05:05:00Z");
        assert!(request.names(&purchase()));
        let later = OffStoreRequest::parse(&OffStoreInput { purchased_at: "2026-11-18T14:06", ..form() });
        assert!(!later.expect("valid").names(&purchase()));
        let item = Purchase { item_id: Some(ItemId("item-1".into())), ..purchase() };
        assert!(!request.names(&item), "the app's own purchase, not its item's");
    }

    #[test]
    fn r9_every_malformed_field_of_the_form_is_reported() {
        let bad = OffStoreInput {
            channel: "store",
            consent: "maybe",
            customer_no: "<b>",
            purchased_at: "yesterday",
            product_id: "",
            purchase_id: "",
            reason: "",
        };
        let errors = OffStoreRequest::parse(&bad).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["channel", "consent_personal_info", "customer_no", "purchased_at", "product_id", "reason"]);
        let long = "x".repeat(crate::refund::REASON_MAX + 1);
        let errors = OffStoreRequest::parse(&OffStoreInput { reason: &long, ..form() }).unwrap_err();
        assert_eq!(errors.0[0].code, "too_long");
    }

    #[test]
    fn r9_a_picked_purchase_needs_no_date_or_item() {
        let picked = OffStoreInput { purchased_at: "", product_id: "", purchase_id: " p ", ..form() };
        let request = OffStoreRequest::parse(&picked).expect("valid without date and item");
        assert_eq!(request.purchase, OffStorePurchase::Picked(PurchaseId("p".into())));
        assert!(request.names(&purchase()));
        assert!(!request.names(&Purchase { id: PurchaseId("q".into()), ..purchase() }));
        // What is typed in the date and item fields is not read beside a picked purchase.
        let both = OffStoreInput { purchased_at: "yesterday", purchase_id: "p", ..form() };
        assert!(OffStoreRequest::parse(&both).is_ok());
        let long = "p".repeat(65);
        let errors = OffStoreRequest::parse(&OffStoreInput { purchase_id: &long, ..form() }).unwrap_err();
        assert_eq!(errors.0[0].field, "purchase_id");
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).expect("in range")
    }

    #[test]
    fn r9_look_ups_are_thirty_at_once_then_one_per_ten_seconds() {
        let budget = OFF_STORE_LOOKUPS;
        let mut kept = None;
        for n in 0..30 {
            kept = Some(budget.admit(kept, at(0)).unwrap_or_else(|_| panic!("look-up {n} admitted")));
        }
        assert_eq!(budget.admit(kept, at(0)), Err(SignedDuration::from_secs(10)), "the 31st waits 10 s");
        assert_eq!(budget.admit(kept, at(4)), Err(SignedDuration::from_secs(6)));
        let again = budget.admit(kept, at(10)).expect("one more after 10 s");
        assert!(budget.admit(Some(again), at(10)).is_err(), "and only one");
        assert!(!LookupBudget::is_spent(again, at(10)));
        assert!(LookupBudget::is_spent(again, at(310)), "full again once the kept instant has passed");
        assert!(budget.admit(Some(again), at(310)).is_ok());
    }

    proptest! {
        /// R9: however look-ups are spread over time, no window of `t` seconds admits
        /// more than the burst and one per period.
        #[test]
        fn r9_no_stretch_of_time_admits_more_than_the_budget(gaps in prop::collection::vec(0i64..15, 1..120)) {
            let budget = OFF_STORE_LOOKUPS;
            let mut kept = None;
            let mut now = 0;
            let mut admitted = Vec::new();
            for gap in gaps {
                now += gap;
                if let Ok(next) = budget.admit(kept, at(now)) {
                    kept = Some(next);
                    admitted.push(now);
                }
            }
            for (i, first) in admitted.iter().enumerate() {
                for (j, last) in admitted.iter().enumerate().skip(i) {
                    let allowed = 30 + (last - first) / 10;
                    prop_assert!((j - i + 1) as i64 <= allowed, "{} in {}s", j - i + 1, last - first);
                }
            }
        }
    }
}
