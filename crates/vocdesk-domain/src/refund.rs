//! Refunds: the purchase-cancellation request a seller's developer sends the store
//! (R8), the off-store request filed on a customer's behalf (R9), and the store
//! cancelling on the developer's behalf once the response limit has passed (R5).
//!
//! Whatever the path, a purchase is cancelled at most once: [`cancellable`] is the one
//! check every path makes under the purchase's row lock, and [`decide`] is the request
//! state machine, in which a decision is final.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::Channel;
use crate::ids::{AppId, CancellationRequestId, InquiryId, PurchaseId, SellerId, UserId};
use crate::inquiry::{Category, NewMessage, ThreadState};
use crate::purchase::{Purchase, PurchaseStatus};
use crate::text::required_text;
use crate::validation::FieldError;

/// The longest reason for a request or a rejection, in characters.
pub const REASON_MAX: usize = 1000;
/// The longest `Idempotency-Key`, in characters (as the IETF draft and Stripe allow).
pub const IDEMPOTENCY_KEY_MAX: usize = 255;
/// R5 reminders: how long before the limit the seller is reminded.
pub const REMINDER_LEAD: SignedDuration = SignedDuration::from_hours(24);

/// Where a cancellation request is in its life. A decision is final.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for an operator.
    Open,
    /// An operator approved it (or the store cancelled the purchase on the developer's
    /// behalf while it was open): the purchase is cancelled.
    Approved,
    /// An operator rejected it, with a reason; the purchase stays paid.
    Rejected,
}

impl RequestStatus {
    /// Every status, in the order filters list them.
    pub const ALL: [RequestStatus; 3] = [RequestStatus::Open, RequestStatus::Approved, RequestStatus::Rejected];

    /// The stored and sent word.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
        }
    }

    /// Parses the stored or submitted word.
    pub fn parse(value: &str) -> Option<Self> {
        RequestStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// A purchase-cancellation request as stored, with the names lists show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CancellationRequest {
    /// Opaque id.
    pub id: CancellationRequestId,
    /// The purchase to cancel.
    pub purchase_id: PurchaseId,
    /// The inquiry it was agreed in (R8) or filed as (R9).
    pub inquiry_id: InquiryId,
    /// The inquiry's subject.
    pub inquiry_subject: String,
    /// The app's seller, whose developer asked.
    pub seller_id: SellerId,
    /// The seller's name.
    pub seller_name: String,
    /// The app bought (or the app of the item bought).
    pub app_id: AppId,
    /// Its title.
    pub app_title: String,
    /// The item's title, for item purchases.
    pub item_title: Option<String>,
    /// The buyer.
    pub customer_id: UserId,
    /// The buyer's display name.
    pub customer_name: String,
    /// The developer who submitted it.
    pub requested_by: UserId,
    /// Their display name.
    pub requested_by_name: String,
    /// R2: how the refund was asked for (`store`/`api` from an inquiry; `email` or
    /// `phone` for R9).
    pub channel: Channel,
    /// Why the developer agreed to refund, as written.
    pub reason: String,
    /// Open, approved or rejected.
    pub status: RequestStatus,
    /// The operator who decided it, when a person did.
    pub decided_by: Option<UserId>,
    /// Their name, or the policy's label (`policy:auto_cancel`).
    pub decided_by_name: Option<String>,
    /// The operator's reason for a rejection, or a note on an approval.
    pub decision_note: Option<String>,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
    /// When it was submitted.
    pub created_at: Timestamp,
}

/// A validated request to submit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCancellationRequest {
    /// Its id, chosen before the write.
    pub id: CancellationRequestId,
    /// The purchase.
    pub purchase_id: PurchaseId,
    /// The inquiry.
    pub inquiry_id: InquiryId,
    /// The developer submitting it.
    pub requested_by: UserId,
    /// R2.
    pub channel: Channel,
    /// Why, for the store: operators (and the seller's developers) read it; the
    /// customer never does (R17).
    pub reason: String,
    /// R17: what the developer tells the customer with the request, posted into the
    /// thread as their message; none when they wrote nothing.
    pub message_to_customer: Option<NewMessage>,
    /// The client's `Idempotency-Key`, with the fingerprint of what it was sent with.
    pub idempotency: Option<Idempotency>,
}

/// An `Idempotency-Key` and the fingerprint of the request it came with: the same key
/// with the same request answers the first outcome again; with another request it is
/// refused (422), because the client is reusing a key by mistake.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Idempotency {
    /// The key as sent.
    pub key: String,
    /// Hex SHA-256 over what the request asks for.
    pub fingerprint: String,
}

impl Idempotency {
    /// Checks the header's value (1 to 255 visible ASCII characters) and fingerprints
    /// the request: purchase, inquiry, reason and the message to the customer, each
    /// length-prefixed (a missing message apart from an empty one) so that no two
    /// different requests share a fingerprint.
    pub fn new(
        key: &str,
        purchase: &PurchaseId,
        inquiry: &InquiryId,
        reason: &str,
        message: Option<&str>,
    ) -> Result<Self, FieldError> {
        if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(FieldError::new(
                "Idempotency-Key",
                "idempotency_key",
                &format!("1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"),
            ));
        }
        let mut hash = Sha256::new();
        for part in [purchase.as_str(), inquiry.as_str(), reason] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        if let Some(message) = message {
            hash.update([1]);
            hash.update((message.len() as u64).to_be_bytes());
            hash.update(message.as_bytes());
        }
        let fingerprint = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Ok(Self { key: key.to_owned(), fingerprint })
    }
}

/// R8: a reason someone typed (the developer's for a request, the operator's for a
/// rejection): required, at most [`REASON_MAX`] characters, kept as written.
pub fn parse_reason(field: &str, value: &str) -> Result<String, FieldError> {
    required_text(field, value, REASON_MAX)
}

/// Why a purchase cannot be cancelled, or a request decided, now. Each is a 409: the
/// request is well-formed, but the state of things does not allow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CancelRefusal {
    /// The purchase is cancelled already; R5/R8 cancel at most once.
    #[error("the purchase is already cancelled")]
    AlreadyCancelled,
    /// A free purchase has nothing to refund.
    #[error("the purchase was free; there is nothing to refund")]
    NothingToRefund,
    /// R5: the store cancels on the developer's behalf only after the limit.
    #[error("the inquiry is not overdue; the developer still has time to answer")]
    NotOverdue,
    /// R5: the inquiry names no purchase to cancel.
    #[error("the inquiry names no purchase")]
    NoPurchase,
    /// R8: the request was decided already, the other way.
    #[error("the request was already decided")]
    AlreadyDecided(RequestStatus),
}

impl CancelRefusal {
    /// The stable problem code.
    pub fn code(self) -> &'static str {
        match self {
            CancelRefusal::AlreadyCancelled => "purchase_cancelled",
            CancelRefusal::NothingToRefund => "nothing_to_refund",
            CancelRefusal::NotOverdue => "not_overdue",
            CancelRefusal::NoPurchase => "no_purchase",
            CancelRefusal::AlreadyDecided(_) => "request_decided",
        }
    }
}

/// R5/R8: whether a purchase may be cancelled: paid, and for money. Every path checks
/// this under the purchase's row lock, so that two paths racing cancel once.
pub fn cancellable(purchase: &Purchase) -> Result<(), CancelRefusal> {
    if purchase.status == PurchaseStatus::Cancelled {
        return Err(CancelRefusal::AlreadyCancelled);
    }
    if purchase.amount.amount_minor == 0 {
        return Err(CancelRefusal::NothingToRefund);
    }
    Ok(())
}

/// What an operator decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Cancel the purchase.
    Approve,
    /// Keep it, with the reason both sides are told.
    Reject {
        /// Why, as the operator wrote it.
        reason: String,
    },
}

impl Decision {
    /// The status the decision leads to.
    pub fn status(&self) -> RequestStatus {
        match self {
            Decision::Approve => RequestStatus::Approved,
            Decision::Reject { .. } => RequestStatus::Rejected,
        }
    }
}

/// What a decision does to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionEffect {
    /// The request moves to this status now (and, when approved, the purchase is
    /// cancelled in the same unit of work).
    Decide(RequestStatus),
    /// The same decision was made before (a double click, two operators agreeing):
    /// nothing changes, and nothing is cancelled again.
    AlreadyDone,
}

/// R8: the request state machine. An open request takes either decision; a decided
/// one answers the same decision again as done and refuses the other.
pub fn decide(status: RequestStatus, decision: &Decision) -> Result<DecisionEffect, CancelRefusal> {
    match status {
        RequestStatus::Open => Ok(DecisionEffect::Decide(decision.status())),
        done if done == decision.status() => Ok(DecisionEffect::AlreadyDone),
        done => Err(CancelRefusal::AlreadyDecided(done)),
    }
}

/// R5: the store may cancel on the developer's behalf only once the inquiry is overdue
/// and names a purchase. A purchase cancelled already is said so first: its
/// cancellation answered the thread (R17), which is why it is no longer overdue.
pub fn may_cancel_on_behalf(
    state: &ThreadState,
    purchase: Option<&Purchase>,
    now: Timestamp,
    limit: SignedDuration,
) -> Result<(), CancelRefusal> {
    if purchase.is_some_and(|p| p.status == PurchaseStatus::Cancelled) {
        return Err(CancelRefusal::AlreadyCancelled);
    }
    if !state.is_overdue(now, limit) {
        return Err(CancelRefusal::NotOverdue);
    }
    purchase.map(|_| ()).ok_or(CancelRefusal::NoPurchase)
}

/// R5: the store policy on overdue refund inquiries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoCancelPolicy {
    /// Operators look at the overdue queue and decide (the default).
    #[default]
    Manual,
    /// A background sweep cancels the purchase of every overdue `refund` inquiry.
    Auto,
}

impl AutoCancelPolicy {
    /// The configured word.
    pub fn as_str(self) -> &'static str {
        match self {
            AutoCancelPolicy::Manual => "manual",
            AutoCancelPolicy::Auto => "auto",
        }
    }

    /// Parses the configured word.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "manual" => Some(AutoCancelPolicy::Manual),
            "auto" => Some(AutoCancelPolicy::Auto),
            _ => None,
        }
    }

    /// Whether the sweep cancels for an overdue inquiry of this category.
    pub fn cancels(self, category: Category) -> bool {
        self == AutoCancelPolicy::Auto && category == Category::Refund
    }
}

/// The audit label of the store acting under [`AutoCancelPolicy::Auto`] (R5, R14).
pub const AUTO_CANCEL_ACTOR: &str = "policy:auto_cancel";
/// The audit label of the store's reminder sweep.
pub const REMINDER_ACTOR: &str = "policy:reminder";

/// R5 reminders: an inquiry whose customer has waited since before this instant is
/// within [`REMINDER_LEAD`] of the limit (or past it) and is due a reminder.
pub fn reminder_cutoff(now: Timestamp, limit: SignedDuration) -> Timestamp {
    let wait = limit.checked_sub(REMINDER_LEAD).filter(|d| !d.is_negative()).unwrap_or(SignedDuration::ZERO);
    now.checked_sub(wait).unwrap_or(Timestamp::MIN)
}

mod off_store;

pub use off_store::{
    LookupBudget, OFF_STORE_LOOKUPS, OffStoreInput, OffStorePurchase, OffStoreRequest, parse_customer_no,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inquiry::InquiryStatus;
    use crate::money::{Currency, Money};
    use crate::purchase::PaymentIds;
    use proptest::prelude::*;

    fn purchase(amount: i64, status: PurchaseStatus) -> Purchase {
        Purchase {
            id: PurchaseId("p".into()),
            customer_id: UserId("c".into()),
            app_id: AppId("a".into()),
            item_id: None,
            amount: Money { amount_minor: amount, currency: Currency::parse("c", "KRW").expect("valid") },
            purchased_at: "2026-11-18T05:05:30Z".parse().expect("valid"),
            payment: PaymentIds { tid: "T".into(), txid: None, receipt_no: None },
            status,
            cancelled_at: None,
        }
    }

    #[test]
    fn r8_only_a_paid_purchase_for_money_can_be_cancelled() {
        assert_eq!(cancellable(&purchase(1200, PurchaseStatus::Paid)), Ok(()));
        assert_eq!(cancellable(&purchase(1200, PurchaseStatus::Cancelled)), Err(CancelRefusal::AlreadyCancelled));
        assert_eq!(cancellable(&purchase(0, PurchaseStatus::Paid)), Err(CancelRefusal::NothingToRefund));
    }

    fn decision() -> impl Strategy<Value = Decision> {
        prop_oneof![Just(Decision::Approve), ".{1,8}".prop_map(|reason| Decision::Reject { reason })]
    }

    proptest! {
        /// R8: whatever operators click, in whatever order, a request is decided once:
        /// its first decision sticks, the same decision again changes nothing, and so a
        /// purchase is cancelled at most once.
        #[test]
        fn r8_a_request_is_decided_once_and_cancels_at_most_once(decisions in prop::collection::vec(decision(), 1..12)) {
            let mut status = RequestStatus::Open;
            let mut cancellations = 0;
            for d in &decisions {
                match decide(status, d) {
                    Ok(DecisionEffect::Decide(next)) => {
                        prop_assert_eq!(status, RequestStatus::Open);
                        if next == RequestStatus::Approved { cancellations += 1; }
                        status = next;
                    }
                    Ok(DecisionEffect::AlreadyDone) => prop_assert_eq!(status, d.status()),
                    Err(CancelRefusal::AlreadyDecided(s)) => {
                        prop_assert_eq!(s, status);
                        prop_assert_ne!(s, d.status());
                    }
                    Err(other) => prop_assert!(false, "unexpected {other:?}"),
                }
            }
            prop_assert_eq!(status, decisions[0].status());
            prop_assert!(cancellations <= 1);
        }

        /// R5: the store may step in exactly when the customer has waited longer than
        /// the limit, and only for an inquiry that names a purchase.
        #[test]
        fn r5_on_behalf_only_past_the_limit(waited_ms in 0i64..(200 * 3_600_000), with_purchase: bool) {
            let now: Timestamp = "2026-11-21T00:00:00Z".parse().expect("valid");
            let since = now.checked_sub(SignedDuration::from_millis(waited_ms)).expect("in range");
            let state = ThreadState { status: InquiryStatus::AwaitingDeveloper, awaiting_since: Some(since) };
            let paid = purchase(1_200, PurchaseStatus::Paid);
            let result = may_cancel_on_behalf(&state, with_purchase.then_some(&paid), now, SignedDuration::from_hours(72));
            let overdue = waited_ms > 72 * 3_600_000;
            match (overdue, with_purchase) {
                (false, _) => prop_assert_eq!(result, Err(CancelRefusal::NotOverdue)),
                (true, false) => prop_assert_eq!(result, Err(CancelRefusal::NoPurchase)),
                (true, true) => prop_assert_eq!(result, Ok(())),
            }
        }
    }

    #[test]
    fn r5_an_answered_inquiry_is_never_cancelled_on_behalf() {
        let state = ThreadState { status: InquiryStatus::AwaitingCustomer, awaiting_since: None };
        let now = Timestamp::UNIX_EPOCH;
        let paid = purchase(1_200, PurchaseStatus::Paid);
        assert_eq!(
            may_cancel_on_behalf(&state, Some(&paid), now, SignedDuration::from_hours(72)),
            Err(CancelRefusal::NotOverdue)
        );
    }

    #[test]
    fn r5_r17_a_cancelled_purchase_is_refused_as_cancelled_whatever_the_clock() {
        let answered = ThreadState { status: InquiryStatus::AwaitingCustomer, awaiting_since: None };
        let gone = purchase(1_200, PurchaseStatus::Cancelled);
        assert_eq!(
            may_cancel_on_behalf(&answered, Some(&gone), Timestamp::UNIX_EPOCH, SignedDuration::from_hours(72)),
            Err(CancelRefusal::AlreadyCancelled)
        );
    }

    #[test]
    fn r5_auto_policy_cancels_only_refund_inquiries() {
        assert!(AutoCancelPolicy::Auto.cancels(Category::Refund));
        assert!(!AutoCancelPolicy::Auto.cancels(Category::Question));
        assert!(!AutoCancelPolicy::Manual.cancels(Category::Refund));
        assert_eq!(AutoCancelPolicy::default(), AutoCancelPolicy::Manual);
    }

    #[test]
    fn r5_reminders_fall_due_24_hours_before_the_limit() {
        let now: Timestamp = "2026-11-21T00:00:00Z".parse().expect("valid");
        let cutoff = reminder_cutoff(now, SignedDuration::from_hours(72));
        assert_eq!(now.duration_since(cutoff), SignedDuration::from_hours(48));
        assert_eq!(reminder_cutoff(now, SignedDuration::from_hours(12)), now);
    }

    #[test]
    fn r8_idempotency_keys_are_checked_and_fingerprints_tell_requests_apart() {
        let p = PurchaseId("p1".into());
        let i = InquiryId("i1".into());
        let a = Idempotency::new("key-1", &p, &i, "refund", None).expect("valid");
        let b = Idempotency::new("key-1", &p, &i, "refund!", None).expect("valid");
        assert_ne!(a.fingerprint, b.fingerprint);
        assert_eq!(a, Idempotency::new("key-1", &p, &i, "refund", None).expect("valid"));
        let told = Idempotency::new("key-1", &p, &i, "refund", Some("")).expect("valid");
        assert_ne!(a.fingerprint, told.fingerprint, "R17: an empty message to the customer is not no message");
        assert!(Idempotency::new("", &p, &i, "r", None).is_err());
        assert!(Idempotency::new("has space", &p, &i, "r", None).is_err());
        assert!(Idempotency::new(&"k".repeat(256), &p, &i, "r", None).is_err());
    }
}
