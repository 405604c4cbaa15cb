//! The JSON shapes of refunds (R5-R9): purchases seen from an inquiry, consent,
//! cancellation requests.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::CancellationRequest;

use super::*;

/// R6/R7: a customer's purchase as a seller's developers (or an operator) see it from
/// an inquiry. The payment ids are masked (`T2026…8F3A`) in the purchase history and
/// shown in full only by the consented, audited payment-details call; the flag says
/// which this is, so no client mistakes a masked id for a real one.
#[derive(Debug, Serialize, ToSchema)]
pub struct InquiryPurchaseDto {
    /// The purchase; `tid`, `txid` and `receipt_no` masked unless `payment_ids_masked`
    /// is `false`.
    #[serde(flatten)]
    pub purchase: PurchaseDto,
    /// R7: whether `tid`, `txid` and `receipt_no` are masked.
    pub payment_ids_masked: bool,
}

impl InquiryPurchaseDto {
    /// R7: the purchase with its payment ids masked.
    pub fn masked(view: &PurchaseView) -> Self {
        let masked = view.purchase.payment.masked();
        let mut purchase = PurchaseDto::from(view);
        purchase.tid = masked.tid;
        purchase.txid = masked.txid;
        purchase.receipt_no = masked.receipt_no;
        Self { purchase, payment_ids_masked: true }
    }

    /// R7: the purchase with its payment ids in full (consented and audited).
    pub fn revealed(view: &PurchaseView) -> Self {
        Self { purchase: PurchaseDto::from(view), payment_ids_masked: false }
    }
}

/// `PUT /api/v1/inquiries/{id}/consent` (R7): the customer's consent on the inquiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// `true` to let the seller's developers see the payment ids, `false` to withdraw.
    pub consent_personal_info: bool,
}

/// R8: a purchase-cancellation (refund) request, with the names the queue shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancellationRequestDto {
    /// Opaque id.
    pub id: String,
    /// The purchase to cancel.
    pub purchase_id: String,
    /// The inquiry it was agreed in (R8) or filed as (R9).
    pub inquiry_id: String,
    /// That inquiry's subject.
    pub inquiry_subject: String,
    /// The app's seller, whose developer asked.
    pub seller_id: String,
    /// The seller's name.
    pub seller_name: String,
    /// The app bought (or the app of the item bought).
    pub app_id: String,
    /// Its title.
    pub app_title: String,
    /// The item's title, for item purchases.
    pub item_title: Option<String>,
    /// The buyer.
    pub customer_id: String,
    /// The buyer's display name.
    pub customer_name: String,
    /// The developer who submitted it.
    pub requested_by: String,
    /// Their display name.
    pub requested_by_name: String,
    /// R2: `store` or `api` (from an inquiry), `email` or `phone` (R9).
    pub channel: String,
    /// The developer's note for the store (why they agreed to refund). R17: `null` in
    /// the customer's own thread, which never shows it.
    pub reason: Option<String>,
    /// `open`, `approved` or `rejected`.
    pub status: String,
    /// The operator who decided it, when a person did.
    pub decided_by: Option<String>,
    /// Their name, or the policy's label (`policy:auto_cancel`).
    pub decided_by_name: Option<String>,
    /// The reason of a rejection, or a note on an approval.
    pub decision_note: Option<String>,
    /// When it was decided.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<Timestamp>,
    /// When it was submitted.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl CancellationRequestDto {
    /// The request as its customer reads it in their thread (R17): without the
    /// developer's note for the store, and with the store, not an operator, deciding.
    pub fn for_customer(r: &CancellationRequest) -> Self {
        Self { reason: None, decided_by: None, decided_by_name: None, ..Self::from(r) }
    }
}

impl From<&CancellationRequest> for CancellationRequestDto {
    fn from(r: &CancellationRequest) -> Self {
        Self {
            id: r.id.0.clone(),
            purchase_id: r.purchase_id.0.clone(),
            inquiry_id: r.inquiry_id.0.clone(),
            inquiry_subject: r.inquiry_subject.clone(),
            seller_id: r.seller_id.0.clone(),
            seller_name: r.seller_name.clone(),
            app_id: r.app_id.0.clone(),
            app_title: r.app_title.clone(),
            item_title: r.item_title.clone(),
            customer_id: r.customer_id.0.clone(),
            customer_name: r.customer_name.clone(),
            requested_by: r.requested_by.0.clone(),
            requested_by_name: r.requested_by_name.clone(),
            channel: r.channel.as_str().to_owned(),
            reason: Some(r.reason.clone()),
            status: r.status.as_str().to_owned(),
            decided_by: r.decided_by.as_ref().map(|u| u.0.clone()),
            decided_by_name: r.decided_by_name.clone(),
            decision_note: r.decision_note.clone(),
            decided_at: r.decided_at,
            created_at: r.created_at,
        }
    }
}

/// `POST /api/v1/purchases/{id}/cancellation-requests` (R8). Missing fields count as
/// empty, so that every problem is reported as a field of a `validation_failed`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCancellationRequest {
    /// The inquiry in which the refund was agreed (this customer's, to your seller).
    #[serde(default)]
    pub inquiry_id: String,
    /// A note for the store: why you agreed to refund; 1 to 1,000 characters. Only the
    /// store's operators and your seller's developers read it, never the customer.
    #[serde(default)]
    pub reason: String,
    /// R17, optional: a message to the customer, posted into the thread with the request
    /// and quoted in the mail that tells them the store has their refund; up to 20,000
    /// characters. Leave it out (or blank) to tell them only that the request was filed.
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub message: Option<String>,
}

/// `POST /api/v1/cancellation-requests/off-store` (R9): the store's form for a refund
/// a customer asked for by email or phone. Every field is a string, as the paper form
/// has it; missing fields count as empty and every problem is reported at once.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OffStoreRequestBody {
    /// `email` or `phone`: how the customer asked.
    #[serde(default)]
    pub channel: String,
    /// Consent to provide personal information: `O` or `X`.
    #[serde(default)]
    pub consent_personal_info: String,
    /// The customer number (고객번호).
    #[serde(default)]
    pub customer_no: String,
    /// Purchase date and time: RFC 3339, or `YYYY-MM-DD HH:MM` in Korean time. Not
    /// needed with `purchase_id`.
    #[serde(default)]
    pub purchased_at: String,
    /// The purchased item: the id of one of your seller's apps or in-app items. Not
    /// needed with `purchase_id`.
    #[serde(default)]
    pub product_id: String,
    /// Instead of `purchased_at` and `product_id`: the id of the customer's purchase, as
    /// `GET /api/v1/off-store/purchases?customer_no=` lists it (issue 12 item 6).
    #[serde(default)]
    pub purchase_id: String,
    /// Why you agreed to refund; 1 to 1,000 characters.
    #[serde(default)]
    pub reason: String,
}

/// `GET /api/v1/off-store/purchases` (R9, issue 12 item 6): whose purchases, and paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OffStoreLookupParams {
    /// The customer number (고객번호) the customer gave by email or phone; required.
    #[param(required = true, example = "C-100001", max_length = 64)]
    #[serde(default)]
    pub customer_no: String,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}

/// The answer to an off-store filing: the new inquiry and its request (201), or only
/// the purchase's open request when one existed and nothing was filed (200).
#[derive(Debug, Serialize, ToSchema)]
pub struct OffStoreFiledDto {
    /// The inquiry filed (channel `email` or `phone`); absent when nothing was filed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inquiry: Option<InquiryDto>,
    /// The request.
    pub request: CancellationRequestDto,
}

/// `POST /api/v1/cancellation-requests/{id}/approve`: an empty body or `{}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {}

/// `POST /api/v1/cancellation-requests/{id}/reject` (R8).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why the store keeps the purchase; both sides are told. 1 to 1,000 characters.
    #[serde(default)]
    pub reason: String,
}

/// `GET /api/v1/cancellation-requests` filters and paging. Unknown words are a 400.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CancellationRequestListParams {
    /// `open`, `approved` or `rejected`.
    #[param(schema_with = super::params::request_status)]
    pub status: Option<String>,
    /// Operators: only this seller's requests. A developer may name only their own.
    pub seller_id: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}

/// `POST /api/v1/inquiries/{id}/cancel-purchase` (R5): the inquiry and its purchase,
/// now cancelled on the developer's behalf.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancelPurchaseDto {
    /// The inquiry.
    pub inquiry: InquiryDto,
    /// The purchase, `cancelled`.
    pub purchase: PurchaseDto,
}
