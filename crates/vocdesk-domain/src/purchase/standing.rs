//! What stands open about one of a customer's purchases, for My page (issue 12 item 4):
//! the inquiry they are having about it (R1, R4) and the cancellation request on it
//! (R8), and so what My page offers for it: asking the seller always, requesting a
//! refund only for a paid purchase that cost money and has no request waiting.

use jiff::Timestamp;
use serde::Serialize;

use super::PurchaseView;
use crate::ids::{CancellationRequestId, InquiryId};
use crate::inquiry::InquiryStatus;
use crate::refund::{self, RequestStatus};

/// The newest of the customer's inquiries that names the purchase and is not closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpenInquiry {
    /// Its id, for the link to the thread.
    pub id: InquiryId,
    /// Its subject.
    pub subject: String,
    /// Where it stands (never `closed`).
    pub status: InquiryStatus,
}

/// The newest cancellation request on the purchase (R8, R9), whatever its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestNote {
    /// Its id.
    pub id: CancellationRequestId,
    /// The inquiry it was agreed in or filed as: the customer reads it there.
    pub inquiry_id: InquiryId,
    /// Open, approved or rejected.
    pub status: RequestStatus,
    /// When the store decided it.
    pub decided_at: Option<Timestamp>,
}

/// One of a customer's purchases with what stands open about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PurchaseStanding {
    /// The purchase, with its names.
    pub view: PurchaseView,
    /// The inquiry the customer is having about it.
    pub open_inquiry: Option<OpenInquiry>,
    /// The newest request to cancel it.
    pub request: Option<RequestNote>,
}

impl PurchaseStanding {
    /// Whether My page offers "request a refund": the purchase is paid, cost money, and
    /// no request to cancel it is waiting for the store. Asking a question is always
    /// offered.
    pub fn may_request_refund(&self) -> bool {
        let waiting = self.request.as_ref().is_some_and(|r| r.status == RequestStatus::Open);
        refund::cancellable(&self.view.purchase).is_ok() && !waiting
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AppId, PurchaseId, SellerId, UserId};
    use crate::money::{Currency, Money};
    use crate::purchase::{PaymentIds, Purchase, PurchaseStatus};

    fn standing(amount: i64, status: PurchaseStatus, request: Option<RequestStatus>) -> PurchaseStanding {
        let purchase = Purchase {
            id: PurchaseId("p".into()),
            customer_id: UserId("c".into()),
            app_id: AppId("a".into()),
            item_id: None,
            amount: Money { amount_minor: amount, currency: Currency::parse("c", "KRW").expect("valid") },
            purchased_at: Timestamp::UNIX_EPOCH,
            payment: PaymentIds { tid: "T".into(), txid: None, receipt_no: None },
            status,
            cancelled_at: None,
        };
        PurchaseStanding {
            view: PurchaseView { purchase, seller_id: SellerId("s".into()), app_title: "App".into(), item_title: None },
            open_inquiry: None,
            request: request.map(|status| RequestNote {
                id: CancellationRequestId("r".into()),
                inquiry_id: InquiryId("i".into()),
                status,
                decided_at: None,
            }),
        }
    }

    #[test]
    fn item4_a_refund_is_offered_only_for_a_paid_purchase_with_nothing_waiting() {
        assert!(standing(1200, PurchaseStatus::Paid, None).may_request_refund());
        assert!(!standing(1200, PurchaseStatus::Cancelled, None).may_request_refund(), "refunded already");
        assert!(!standing(0, PurchaseStatus::Paid, None).may_request_refund(), "free: nothing to refund");
        assert!(!standing(1200, PurchaseStatus::Paid, Some(RequestStatus::Open)).may_request_refund(), "waiting");
        assert!(
            standing(1200, PurchaseStatus::Paid, Some(RequestStatus::Rejected)).may_request_refund(),
            "a rejected request may be followed by another inquiry"
        );
    }
}
