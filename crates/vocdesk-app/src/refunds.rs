//! The refund use cases (R5-R8), written once for every door like [`crate::inquiries`]:
//! the JSON API and the pages call these with the signed-in actor and the submitted
//! fields. Each asks the policy once, validates everything before writing, renders the
//! mail the change causes ([`crate::refund_mail`]), and hands the change to one store
//! call that commits it with its outbox rows and audit entries (R14). Off-store
//! requests (R9) are [`crate::off_store`]; the background sweep (R5) is
//! [`crate::sweep`], which cancels through the same function as an operator.

use vocdesk_domain::FieldError;
use vocdesk_domain::ValidationErrors;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, PurchaseId, SellerId};
use vocdesk_domain::inquiry::{Inquiry, NewMessage, Side};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::{self, CancellationRequest, Decision, Idempotency, NewCancellationRequest, RequestStatus};
use vocdesk_domain::role::Actor;
use vocdesk_mail::ThreadFacts;
use vocdesk_store::{Acting, DecideOutcome, OnBehalfOutcome, RequestQuery, SubmitOutcome};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::parties::Parties;
use crate::refund_mail::{decision_mails, on_behalf_mails, request_filed_mails};

/// R6: the customer's purchases of the inquiry's seller's apps and items, newest first,
/// for the seller's developers and operators. Payment ids stay masked here (the caller
/// shows them masked); revealing them is [`payment_details`].
pub async fn purchases(
    app: &App,
    actor: &Actor,
    inquiry_id: &InquiryId,
    page: &PageRequest,
) -> AppResult<(Inquiry, Page<PurchaseView>)> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    policy::view_customer_purchases(actor, &inquiry)?;
    let purchases = app.store().purchases_for_seller(&inquiry.customer_id, &inquiry.seller_id, page).await?;
    Ok((inquiry, purchases))
}

/// R7: the same purchases with their payment ids, for a developer only where the
/// customer consented on this inquiry (otherwise [`Refusal::ConsentRequired`], which
/// tells them to ask). The reveal is audited, purchase by purchase, and committed
/// before the ids are returned.
///
/// [`Refusal::ConsentRequired`]: vocdesk_domain::policy::Refusal::ConsentRequired
pub async fn payment_details(
    app: &App,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
    page: &PageRequest,
) -> AppResult<(Inquiry, Page<PurchaseView>)> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    policy::reveal_payment_ids(caller.actor, &inquiry)?;
    let purchases = app.store().purchases_for_seller(&inquiry.customer_id, &inquiry.seller_id, page).await?;
    let ids: Vec<PurchaseId> = purchases.items.iter().map(|p| p.purchase.id.clone()).collect();
    if !ids.is_empty() {
        app.store().record_payment_reveal(&inquiry.id, &ids, &caller.acting(), app.now()).await?;
    }
    Ok((inquiry, purchases))
}

/// R7: the inquiry's customer gives (or withdraws) consent to share personal
/// information on it; the time is recorded and the change audited.
pub async fn set_consent(app: &App, caller: Caller<'_>, inquiry_id: &InquiryId, consent: bool) -> AppResult<Inquiry> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    policy::give_consent(caller.actor, &inquiry)?;
    let (inquiry, _changed) = app.store().set_consent(&inquiry.id, consent, &caller.acting(), app.now()).await?;
    Ok(inquiry)
}

/// The fields of a cancellation request as submitted.
#[derive(Clone, Copy, Debug)]
pub struct RequestInput<'a> {
    /// The inquiry the refund was agreed in.
    pub inquiry_id: &'a str,
    /// Why the developer agreed: the note for the store, which the customer never reads.
    pub reason: &'a str,
    /// R17: what to tell the customer with it, posted into the thread; blank is nothing.
    pub message: Option<&'a str>,
}

/// What submitting a request did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// A new request (or the replay of one with the same `Idempotency-Key`).
    Created(CancellationRequest),
    /// R8: the purchase had an open request already; this is it.
    Existing(CancellationRequest),
}

/// R8: a developer of the inquiry's seller asks the store to cancel a purchase of that
/// inquiry's customer. The same `Idempotency-Key` answers the same request again; the
/// key with another request is [`AppError::IdempotencyKeyReused`]; a cancelled or free
/// purchase is refused. R17: the customer is told by mail (with the developer's message,
/// which also joins the thread), and the thread waits on the store.
pub async fn request_cancellation(
    app: &App,
    caller: Caller<'_>,
    purchase_id: &PurchaseId,
    input: RequestInput<'_>,
    idempotency_key: Option<&str>,
) -> AppResult<Submitted> {
    let mut errors = ValidationErrors::default();
    let inquiry_id = errors.check(required_id("inquiry_id", input.inquiry_id));
    let reason = errors.check(refund::parse_reason("reason", input.reason));
    let message = match input.message.filter(|m| !m.trim().is_empty()) {
        None => Some(None),
        Some(text) => {
            let parsed = NewMessage::parse(caller.user.id.clone(), Side::Developer, caller.channel, text);
            match parsed {
                Ok(message) => Some(Some(message)),
                Err(invalid) => {
                    errors.0.extend(invalid.0.into_iter().map(|e| FieldError { field: "message".to_owned(), ..e }));
                    None
                }
            }
        }
    };
    let purchase = app.store().purchase(purchase_id).await?.ok_or(AppError::NotFound)?;
    let (inquiry_id, reason, message) = match (inquiry_id, reason, message) {
        (Some(i), Some(r), Some(m)) if errors.0.is_empty() => (i, r, m),
        _ => return Err(AppError::Invalid(errors)),
    };
    let inquiry = app.store().inquiry(&inquiry_id).await?.ok_or_else(|| {
        FieldError::new("inquiry_id", "unknown_inquiry", "the id of an inquiry this customer sent your seller")
    })?;
    policy::request_cancellation(caller.actor, &inquiry, &purchase)?;
    let text = message.as_ref().map(|m| m.body.as_str());
    let idempotency = idempotency_key
        .map(|key| Idempotency::new(key, &purchase.purchase.id, &inquiry.id, &reason, text))
        .transpose()
        .map_err(|e| AppError::BadIdempotencyKey(e.to_string()))?;
    let parties = Parties::of(app, &inquiry).await?;
    let mails = request_filed_mails(app.mail(), &ThreadFacts::from(&inquiry), &purchase, text, &parties.customer)?;
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.purchase.id.clone(),
        inquiry_id: inquiry.id.clone(),
        requested_by: caller.user.id.clone(),
        channel: caller.channel,
        reason,
        message_to_customer: message,
        idempotency,
    };
    match app.store().submit_cancellation_request(&request, &mails, &caller.acting(), app.now()).await? {
        SubmitOutcome::Created(r) | SubmitOutcome::Replayed(r) => Ok(Submitted::Created(r)),
        SubmitOutcome::Existing(r) => Ok(Submitted::Existing(r)),
        SubmitOutcome::KeyReused => Err(AppError::IdempotencyKeyReused),
        SubmitOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// R8: the requests a developer's seller sent, or (operators) all of them or one
/// seller's; oldest first, so the queue is worked in order.
pub async fn list_requests(
    app: &App,
    actor: &Actor,
    seller: Option<&SellerId>,
    status: Option<RequestStatus>,
    page: &PageRequest,
) -> AppResult<Page<CancellationRequest>> {
    let scope = policy::list_cancellation_requests(actor, seller)?;
    Ok(app.store().cancellation_requests(&RequestQuery { scope, status }, page).await?)
}

/// R8: one request, for its seller's developers and operators.
pub async fn read_request(app: &App, actor: &Actor, id: &CancellationRequestId) -> AppResult<CancellationRequest> {
    let request = app.store().cancellation_request(id).await?.ok_or(AppError::NotFound)?;
    policy::read_cancellation_request(actor, &request)?;
    Ok(request)
}

/// The requests of a thread the actor may read (the thread shows them). Customers see
/// their inquiry's requests too: it is their refund.
pub async fn requests_of_inquiry(app: &App, inquiry: &Inquiry) -> AppResult<Vec<CancellationRequest>> {
    Ok(app.store().requests_of_inquiry(&inquiry.id).await?)
}

/// R8: an operator approves (the purchase is cancelled; the customer and the developers
/// are told) or rejects with a reason (both told). The same decision twice answers the
/// request unchanged; the other decision after one is refused.
pub async fn decide(
    app: &App,
    caller: Caller<'_>,
    id: &CancellationRequestId,
    approve: bool,
    reject_reason: &str,
) -> AppResult<CancellationRequest> {
    policy::decide_cancellation(caller.actor)?;
    let request = app.store().cancellation_request(id).await?.ok_or(AppError::NotFound)?;
    let decision = if approve {
        Decision::Approve
    } else {
        Decision::Reject { reason: refund::parse_reason("reason", reject_reason)? }
    };
    let inquiry = app.store().inquiry(&request.inquiry_id).await?.ok_or(AppError::NotFound)?;
    let purchase = app.store().purchase(&request.purchase_id).await?.ok_or(AppError::NotFound)?;
    let parties = Parties::of(app, &inquiry).await?;
    let mails = decision_mails(app.mail(), &inquiry, &purchase, &decision, &parties.customer, &parties.developers)?;
    let acting = caller.acting();
    match app.store().decide_cancellation_request(&request.id, &decision, &mails, &acting, app.now()).await? {
        DecideOutcome::Decided(r) | DecideOutcome::AlreadyDone(r) => Ok(r),
        DecideOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// R8 (issue 12 item 5): what approving a request would cancel, for the operator's
/// confirmation page: the open request and its purchase as they stand now; or why it
/// cannot be approved (decided already, the purchase cancelled or free). Reads only.
pub async fn approval_preview(
    app: &App,
    actor: &Actor,
    id: &CancellationRequestId,
) -> AppResult<(CancellationRequest, PurchaseView)> {
    policy::decide_cancellation(actor)?;
    let request = app.store().cancellation_request(id).await?.ok_or(AppError::NotFound)?;
    let purchase = app.store().purchase(&request.purchase_id).await?.ok_or(AppError::NotFound)?;
    if request.status != RequestStatus::Open {
        return Err(refund::CancelRefusal::AlreadyDecided(request.status).into());
    }
    refund::cancellable(&purchase.purchase)?;
    Ok((request, purchase))
}

/// R5 (issue 12 item 5): what cancelling on the developer's behalf would cancel, for the
/// operator's confirmation page: the overdue inquiry and the paid purchase it names; or
/// why nothing can be cancelled (not overdue, no purchase named, cancelled or free).
/// Reads only.
pub async fn on_behalf_preview(app: &App, actor: &Actor, inquiry_id: &InquiryId) -> AppResult<(Inquiry, PurchaseView)> {
    policy::cancel_on_behalf(actor)?;
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    let limit = app.config().response_limit;
    let named = inquiry_purchase(app, &inquiry).await?;
    refund::may_cancel_on_behalf(&inquiry.state(), named.as_ref().map(|p| &p.purchase), app.now(), limit)?;
    let purchase = named.ok_or(refund::CancelRefusal::NoPurchase)?;
    refund::cancellable(&purchase.purchase)?;
    Ok((inquiry, purchase))
}

/// R5: an operator cancels the purchase of an overdue inquiry on the developer's
/// behalf (refused unless overdue, and when already cancelled or free).
pub async fn cancel_on_behalf(
    app: &App,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
) -> AppResult<(Inquiry, PurchaseView)> {
    policy::cancel_on_behalf(caller.actor)?;
    cancel_for_inquiry(app, &caller.acting(), inquiry_id).await
}

/// R5, for an operator or the `auto` policy: checks the limit, renders the mails (the
/// customer is told the purchase was cancelled, the developers that the store did it
/// for them) and lets the store cancel under its row locks, at most once.
pub(crate) async fn cancel_for_inquiry(
    app: &App,
    acting: &Acting,
    inquiry_id: &InquiryId,
) -> AppResult<(Inquiry, PurchaseView)> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    let now = app.now();
    let named = inquiry_purchase(app, &inquiry).await?;
    let limit = app.config().response_limit;
    refund::may_cancel_on_behalf(&inquiry.state(), named.as_ref().map(|p| &p.purchase), now, limit)?;
    let purchase = named.ok_or(refund::CancelRefusal::NoPurchase)?;
    let parties = Parties::of(app, &inquiry).await?;
    let mails = on_behalf_mails(app.mail(), &inquiry, &purchase, &parties.customer, &parties.developers)?;
    let outcome = app.store().cancel_on_behalf(&inquiry.id, app.overdue_cutoff(), &mails, acting, now).await?;
    match outcome {
        OnBehalfOutcome::Cancelled { inquiry, purchase } => Ok((*inquiry, *purchase)),
        OnBehalfOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// The purchase an inquiry names, if any.
async fn inquiry_purchase(app: &App, inquiry: &Inquiry) -> AppResult<Option<PurchaseView>> {
    match &inquiry.purchase_id {
        Some(id) => Ok(Some(app.store().purchase(id).await?.ok_or(AppError::NotFound)?)),
        None => Ok(None),
    }
}

fn required_id(field: &str, value: &str) -> Result<InquiryId, FieldError> {
    let value = value.trim();
    if value.is_empty() || value.len() > 64 {
        return Err(FieldError::new(field, "required", "the id of the inquiry the refund was agreed in"));
    }
    Ok(InquiryId(value.to_owned()))
}
