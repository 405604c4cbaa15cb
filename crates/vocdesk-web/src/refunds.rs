//! The refund use cases (R5-R9), written once for both doors like
//! [`crate::inquiries`]: the JSON API and the pages call these with the signed-in actor
//! and the submitted fields. Each asks the policy once, validates everything before
//! writing, renders the mail the change causes, and hands the change to one store call
//! that commits it with its outbox rows and audit entries (R14). The background sweep
//! (R5: reminders and the `auto` policy) runs through the same functions.

use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, MessageId, PurchaseId, SellerId};
use vocdesk_domain::inquiry::{Category, Inquiry, NewInquiry, NewMessage, Side};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::{
    self, AUTO_CANCEL_ACTOR, CancellationRequest, Decision, Idempotency, NewCancellationRequest, OffStoreInput,
    OffStoreRequest, REMINDER_ACTOR, RequestStatus,
};
use vocdesk_domain::role::Actor;
use vocdesk_domain::{FieldError, ValidationErrors};
use vocdesk_mail::{CancelledHow, MailError, MailRenderer, PurchaseFacts, Reader, Recipient, ThreadFacts};
use vocdesk_store::{Acting, DecideOutcome, OffStoreOutcome, OnBehalfOutcome, RequestQuery, SubmitOutcome};

use crate::error::{ApiError, ApiResult};
use crate::i18n::{self, FluentArg};
use crate::inquiries::{Caller, developer_recipients};
use crate::state::AppState;

/// How many of a customer's purchases with one seller a reveal or an off-store search
/// reads at most; a customer with more is shown the newest.
const PURCHASES_PER_PAGE: u32 = vocdesk_domain::page::MAX_LIMIT;

/// R6: the customer's purchases of the inquiry's seller's apps and items, newest first,
/// for the seller's developers and operators. Payment ids stay masked here (the caller
/// shows them masked); revealing them is [`payment_details`].
pub async fn purchases(
    state: &AppState,
    actor: &Actor,
    inquiry_id: &InquiryId,
    page: &PageRequest,
) -> ApiResult<(Inquiry, Page<PurchaseView>)> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    policy::view_customer_purchases(actor, &inquiry)?;
    let purchases = state.store().purchases_for_seller(&inquiry.customer_id, &inquiry.seller_id, page).await?;
    Ok((inquiry, purchases))
}

/// R7: the same purchases with their payment ids, for a developer only where the
/// customer consented on this inquiry (otherwise 403 `consent_required`, which tells
/// them to ask). The reveal is audited, purchase by purchase, and committed before the
/// ids are returned.
pub async fn payment_details(
    state: &AppState,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
    page: &PageRequest,
) -> ApiResult<(Inquiry, Page<PurchaseView>)> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    policy::reveal_payment_ids(caller.actor, &inquiry)?;
    let purchases = state.store().purchases_for_seller(&inquiry.customer_id, &inquiry.seller_id, page).await?;
    let ids: Vec<PurchaseId> = purchases.items.iter().map(|p| p.purchase.id.clone()).collect();
    if !ids.is_empty() {
        state.store().record_payment_reveal(&inquiry.id, &ids, &caller.acting(), state.now()).await?;
    }
    Ok((inquiry, purchases))
}

/// R7: the inquiry's customer gives (or withdraws) consent to share personal
/// information on it; the time is recorded and the change audited.
pub async fn set_consent(
    state: &AppState,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
    consent: bool,
) -> ApiResult<Inquiry> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    policy::give_consent(caller.actor, &inquiry)?;
    let (inquiry, _changed) = state.store().set_consent(&inquiry.id, consent, &caller.acting(), state.now()).await?;
    Ok(inquiry)
}

/// The fields of a cancellation request as submitted.
#[derive(Clone, Copy, Debug)]
pub struct RequestInput<'a> {
    /// The inquiry the refund was agreed in.
    pub inquiry_id: &'a str,
    /// Why the developer agreed.
    pub reason: &'a str,
}

/// What submitting a request did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// A new request (or the replay of one with the same `Idempotency-Key`): 201.
    Created(CancellationRequest),
    /// R8: the purchase had an open request already; this is it: 200.
    Existing(CancellationRequest),
}

/// R8: a developer of the inquiry's seller asks the store to cancel a purchase of that
/// inquiry's customer. The same `Idempotency-Key` answers the same request again; the
/// key with another request is 422; a cancelled or free purchase is 409.
pub async fn request_cancellation(
    state: &AppState,
    caller: Caller<'_>,
    purchase_id: &PurchaseId,
    input: RequestInput<'_>,
    idempotency_key: Option<&str>,
) -> ApiResult<Submitted> {
    let mut errors = ValidationErrors::default();
    let inquiry_id = errors.check(required_id("inquiry_id", input.inquiry_id));
    let reason = errors.check(refund::parse_reason("reason", input.reason));
    let purchase = state.store().purchase(purchase_id).await?.ok_or(ApiError::NotFound)?;
    let (inquiry_id, reason) = match (inquiry_id, reason) {
        (Some(i), Some(r)) if errors.0.is_empty() => (i, r),
        _ => return Err(ApiError::Validation(errors)),
    };
    let inquiry = state.store().inquiry(&inquiry_id).await?.ok_or_else(|| {
        FieldError::new("inquiry_id", "unknown_inquiry", "the id of an inquiry this customer sent your seller")
    })?;
    policy::request_cancellation(caller.actor, &inquiry, &purchase)?;
    let idempotency = idempotency_key
        .map(|key| Idempotency::new(key, &purchase.purchase.id, &inquiry.id, &reason))
        .transpose()
        .map_err(|e| ApiError::BadRequest { code: "bad_idempotency_key", detail: e.to_string() })?;
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.purchase.id.clone(),
        inquiry_id: inquiry.id.clone(),
        requested_by: caller.user.id.clone(),
        channel: caller.channel,
        reason,
        idempotency,
    };
    match state.store().submit_cancellation_request(&request, &caller.acting(), state.now()).await? {
        SubmitOutcome::Created(r) | SubmitOutcome::Replayed(r) => Ok(Submitted::Created(r)),
        SubmitOutcome::Existing(r) => Ok(Submitted::Existing(r)),
        SubmitOutcome::KeyReused => Err(ApiError::IdempotencyKeyReused),
        SubmitOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// What filing an off-store request did.
// One value per filing, moved once: its size does not matter (as the store's
// `OffStoreOutcome`, which it mirrors).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filed {
    /// R9: the new inquiry (channel `email`/`phone`) and its request: 201.
    New {
        /// The inquiry.
        inquiry: Box<Inquiry>,
        /// The request.
        request: Box<CancellationRequest>,
    },
    /// The purchase had an open request already; nothing was filed: 200.
    Existing(CancellationRequest),
}

/// R9: a developer files a refund the customer asked for by email or phone, with the
/// store's form (consent O/X, customer number, purchase date and time, purchased
/// item). The purchase is the customer's purchase of that app or item of the
/// developer's seller made in that minute; the inquiry records the form as the
/// developer's first message and goes through the same queue as R8 requests.
pub async fn file_off_store(state: &AppState, caller: Caller<'_>, input: &OffStoreInput<'_>) -> ApiResult<Filed> {
    let seller_id = policy::file_off_store_request(caller.actor)?;
    let form = OffStoreRequest::parse(input)?;
    let unknown_customer = || FieldError::new("customer_no", "unknown_customer", "the customer number of a customer");
    let customer = state.store().customer_by_number(&form.customer_no).await?.ok_or_else(unknown_customer)?;
    let purchase = find_purchase(state, &form, &customer, &seller_id).await?;
    let inquiry = off_store_inquiry(caller.user, &customer, &form, &purchase);
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.purchase.id.clone(),
        inquiry_id: inquiry.id.clone(),
        requested_by: caller.user.id.clone(),
        channel: form.channel,
        reason: form.reason.clone(),
        idempotency: None,
    };
    let acting = caller.acting();
    match state.store().file_off_store_request(&inquiry, &request, &acting, state.now()).await? {
        OffStoreOutcome::Filed { inquiry, request } => Ok(Filed::New { inquiry, request }),
        OffStoreOutcome::Existing(r) => Ok(Filed::Existing(r)),
        OffStoreOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// R9: the customer's purchase of the named app or item of this seller, in the named
/// minute; the newest paid one when several match.
async fn find_purchase(
    state: &AppState,
    form: &OffStoreRequest,
    customer: &User,
    seller: &SellerId,
) -> ApiResult<PurchaseView> {
    let mut page = PageRequest { limit: PURCHASES_PER_PAGE, after: None };
    let mut found: Option<PurchaseView> = None;
    loop {
        let purchases = state.store().purchases_for_seller(&customer.id, seller, &page).await?;
        for view in purchases.items {
            let p = &view.purchase;
            let product = p.item_id.as_ref().map_or(p.app_id.as_str(), |i| i.as_str());
            if product == form.product_id && form.names_time_of(p) {
                let better = found.as_ref().is_none_or(|f| refund::cancellable(&f.purchase).is_err());
                if better {
                    found = Some(view);
                }
            }
        }
        match purchases.next_cursor {
            Some(next) => page = PageRequest { after: Some(next), ..page },
            None => break,
        }
    }
    found.ok_or_else(|| {
        ApiError::from(FieldError::new(
            "purchased_at",
            "unknown_purchase",
            "the date and time of this customer's purchase of this item of your seller",
        ))
    })
}

fn channel_word(locale: Locale, channel: Channel) -> String {
    i18n::text(locale, &format!("channel-{}", channel.as_str()))
}

/// R9: the inquiry an off-store request becomes, in the filing developer's language:
/// a subject naming the channel and the product, and the form, line by line, as the
/// developer's first message, so that the request reads the same in the thread as on
/// paper. The demo files its off-store requests through this too.
pub fn off_store_inquiry(
    developer: &User,
    customer: &User,
    form: &OffStoreRequest,
    purchase: &PurchaseView,
) -> NewInquiry {
    let locale = developer.locale;
    let product = purchase.product_name();
    let channel = channel_word(locale, form.channel);
    let subject = i18n::text_with(
        locale,
        "offstore-subject",
        &[("channel", FluentArg::Str(channel.clone())), ("product", FluentArg::Str(product.clone()))],
    );
    let line = |key: &str, value: &str| format!("{}: {}", i18n::text(locale, key), value);
    let at = i18n::I18n { locale }.datetime(&form.purchased_at);
    let body = [
        i18n::text_with(locale, "offstore-record-title", &[("channel", FluentArg::Str(channel))]),
        line("offstore-consent", if form.consent { "O" } else { "X" }),
        line("offstore-customer-no", &form.customer_no),
        line("offstore-purchased-at", &at),
        line("offstore-product", &product),
        line("offstore-reason", &form.reason),
    ]
    .join("\n");
    NewInquiry {
        id: InquiryId::generate(),
        app_id: purchase.purchase.app_id.clone(),
        customer_id: customer.id.clone(),
        purchase_id: Some(purchase.purchase.id.clone()),
        category: Category::Refund,
        subject,
        channel: form.channel,
        consent_personal_info: form.consent,
        first_message: NewMessage {
            id: MessageId::generate(),
            author_id: developer.id.clone(),
            side: Side::Developer,
            channel: form.channel,
            body,
            attachments: Vec::new(),
        },
    }
}

/// R8: the requests a developer's seller sent, or (operators) all of them or one
/// seller's; oldest first, so the queue is worked in order.
pub async fn list_requests(
    state: &AppState,
    actor: &Actor,
    seller: Option<&SellerId>,
    status: Option<RequestStatus>,
    page: &PageRequest,
) -> ApiResult<Page<CancellationRequest>> {
    let scope = policy::list_cancellation_requests(actor, seller)?;
    Ok(state.store().cancellation_requests(&RequestQuery { scope, status }, page).await?)
}

/// R8: one request, for its seller's developers and operators.
pub async fn read_request(
    state: &AppState,
    actor: &Actor,
    id: &CancellationRequestId,
) -> ApiResult<CancellationRequest> {
    let request = state.store().cancellation_request(id).await?.ok_or(ApiError::NotFound)?;
    policy::read_cancellation_request(actor, &request)?;
    Ok(request)
}

/// The requests of a thread the actor may read (the thread shows them). Customers see
/// their inquiry's requests too: it is their refund.
pub async fn requests_of_inquiry(state: &AppState, inquiry: &Inquiry) -> ApiResult<Vec<CancellationRequest>> {
    Ok(state.store().requests_of_inquiry(&inquiry.id).await?)
}

/// R8: an operator approves (the purchase is cancelled; the customer and the developers
/// are told) or rejects with a reason (both told). The same decision twice answers the
/// request unchanged; the other decision after one is 409.
pub async fn decide(
    state: &AppState,
    caller: Caller<'_>,
    id: &CancellationRequestId,
    approve: bool,
    reject_reason: &str,
) -> ApiResult<CancellationRequest> {
    policy::decide_cancellation(caller.actor)?;
    let request = state.store().cancellation_request(id).await?.ok_or(ApiError::NotFound)?;
    let decision = if approve {
        Decision::Approve
    } else {
        Decision::Reject { reason: refund::parse_reason("reason", reject_reason)? }
    };
    let inquiry = state.store().inquiry(&request.inquiry_id).await?.ok_or(ApiError::NotFound)?;
    let purchase = state.store().purchase(&request.purchase_id).await?.ok_or(ApiError::NotFound)?;
    let parties = Parties::of(state, &inquiry).await?;
    let mails = decision_mails(state.mail(), &inquiry, &purchase, &decision, &parties.customer, &parties.developers)?;
    let acting = caller.acting();
    match state.store().decide_cancellation_request(&request.id, &decision, &mails, &acting, state.now()).await? {
        DecideOutcome::Decided(r) | DecideOutcome::AlreadyDone(r) => Ok(r),
        DecideOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// R5: an operator cancels the purchase of an overdue inquiry on the developer's
/// behalf (409 unless overdue, already cancelled or free).
pub async fn cancel_on_behalf(
    state: &AppState,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
) -> ApiResult<(Inquiry, PurchaseView)> {
    policy::cancel_on_behalf(caller.actor)?;
    cancel_for_inquiry(state, &caller.acting(), inquiry_id).await
}

/// R5, for an operator or the `auto` policy: checks the limit, renders the mails (the
/// customer is told the purchase was cancelled, the developers that the store did it
/// for them) and lets the store cancel under its row locks, at most once.
async fn cancel_for_inquiry(
    state: &AppState,
    acting: &Acting,
    inquiry_id: &InquiryId,
) -> ApiResult<(Inquiry, PurchaseView)> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    let now = state.now();
    refund::may_cancel_on_behalf(&inquiry.state(), inquiry.purchase_id.as_ref(), now, state.config().response_limit)?;
    let purchase_id = inquiry.purchase_id.clone().ok_or(refund::CancelRefusal::NoPurchase)?;
    let purchase = state.store().purchase(&purchase_id).await?.ok_or(ApiError::NotFound)?;
    let parties = Parties::of(state, &inquiry).await?;
    let mails = on_behalf_mails(state.mail(), &inquiry, &purchase, &parties.customer, &parties.developers)?;
    let outcome = state.store().cancel_on_behalf(&inquiry.id, state.overdue_cutoff(), &mails, acting, now).await?;
    match outcome {
        OnBehalfOutcome::Cancelled { inquiry, purchase } => Ok((*inquiry, *purchase)),
        OnBehalfOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// R8: the mail a decision queues. Approved, the customer hears the purchase is
/// cancelled and the developers that the store approved; rejected, both sides hear the
/// operator's reason. The demo queues its decisions' mail through this too.
pub fn decision_mails(
    mail: &MailRenderer,
    inquiry: &Inquiry,
    purchase: &PurchaseView,
    decision: &Decision,
    customer: &[Recipient],
    developers: &[Recipient],
) -> Result<Vec<OutgoingMail>, MailError> {
    let product = purchase.product_name();
    let facts = purchase_facts(purchase, &product);
    let thread = ThreadFacts::from(inquiry);
    let mut mails = match decision {
        Decision::Approve => mail.purchase_cancelled(&thread, &facts, CancelledHow::RequestApproved, customer)?,
        Decision::Reject { reason } => {
            mail.cancellation_rejected(&thread, &facts, reason, Reader::Customer, customer)?
        }
    };
    mails.extend(match decision {
        Decision::Approve => mail.cancellation_approved(&thread, &facts, developers)?,
        Decision::Reject { reason } => {
            mail.cancellation_rejected(&thread, &facts, reason, Reader::Developer, developers)?
        }
    });
    Ok(mails)
}

/// R5: the mail a cancellation on the developer's behalf queues: the customer hears the
/// purchase is cancelled, the developers that the store did it for them.
pub fn on_behalf_mails(
    mail: &MailRenderer,
    inquiry: &Inquiry,
    purchase: &PurchaseView,
    customer: &[Recipient],
    developers: &[Recipient],
) -> Result<Vec<OutgoingMail>, MailError> {
    let product = purchase.product_name();
    let facts = purchase_facts(purchase, &product);
    let thread = ThreadFacts::from(inquiry);
    let mut mails = mail.purchase_cancelled(&thread, &facts, CancelledHow::OnBehalf, customer)?;
    mails.extend(mail.cancelled_on_behalf(&thread, &facts, developers)?);
    Ok(mails)
}

/// What one run of the sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// R5 reminders queued.
    pub reminded: usize,
    /// Purchases cancelled under the `auto` policy.
    pub cancelled: usize,
    /// Due inquiries whose purchase needed no cancelling (settled now) or that another
    /// process handled first.
    pub skipped: usize,
}

/// How many due rows one store read of the sweep takes.
const SWEEP_BATCH: i64 = 100;

/// R5's background work, safe to run from several processes at once and again after a
/// restart: it reads only due rows (through partial indexes), and each unit re-checks
/// under row locks, so a reminder is queued once per wait and a purchase is cancelled
/// at most once.
/// 1. Reminds the seller of every inquiry within 24 hours of the limit.
/// 2. Under the `auto` policy, cancels the purchase of every overdue `refund` inquiry.
pub async fn sweep(state: &AppState) -> ApiResult<SweepReport> {
    let mut report = SweepReport::default();
    remind(state, &mut report).await?;
    if state.config().auto_cancel.cancels(Category::Refund) {
        auto_cancel(state, &mut report).await?;
    }
    Ok(report)
}

async fn remind(state: &AppState, report: &mut SweepReport) -> ApiResult<()> {
    let acting = Acting { actor: AuditActor::system(REMINDER_ACTOR), channel: Channel::System };
    let limit = state.config().response_limit;
    loop {
        let cutoff = refund::reminder_cutoff(state.now(), limit);
        let due = state.store().due_reminders(cutoff, SWEEP_BATCH).await?;
        let mut progressed = false;
        for inquiry in &due {
            let (Some(since), Some(due_at)) = (inquiry.awaiting_since, inquiry.state().due_at(limit)) else {
                continue;
            };
            let seller = state.store().seller(&inquiry.seller_id).await?.ok_or(ApiError::NotFound)?;
            let developers = developer_recipients(state, &seller.id, &seller.support_email).await?;
            let mails = state.mail().response_reminder(&ThreadFacts::from(inquiry), due_at, &developers)?;
            if state.store().mark_reminded(&inquiry.id, since, &mails, &acting, state.now()).await? {
                report.reminded += 1;
                progressed = true;
            } else {
                report.skipped += 1;
            }
        }
        if (due.len() as i64) < SWEEP_BATCH || !progressed {
            return Ok(());
        }
    }
}

async fn auto_cancel(state: &AppState, report: &mut SweepReport) -> ApiResult<()> {
    let acting = Acting { actor: AuditActor::system(AUTO_CANCEL_ACTOR), channel: Channel::System };
    loop {
        let due = state.store().auto_cancel_candidates(state.overdue_cutoff(), SWEEP_BATCH).await?;
        for id in &due {
            match cancel_for_inquiry(state, &acting, id).await {
                Ok(_) => report.cancelled += 1,
                // Settled by the store (cancelled elsewhere, free) or no longer due.
                Err(ApiError::Refused(_)) => report.skipped += 1,
                Err(other) => return Err(other),
            }
        }
        if (due.len() as i64) < SWEEP_BATCH {
            return Ok(());
        }
    }
}

/// Who a refund mail goes to: the customer, and the seller's developers (or its
/// support address when it has none).
struct Parties {
    customer: Vec<Recipient>,
    developers: Vec<Recipient>,
}

impl Parties {
    async fn of(state: &AppState, inquiry: &Inquiry) -> ApiResult<Self> {
        let customer = state.store().user(&inquiry.customer_id).await?.ok_or(ApiError::NotFound)?;
        let seller = state.store().seller(&inquiry.seller_id).await?.ok_or(ApiError::NotFound)?;
        let developers = developer_recipients(state, &seller.id, &seller.support_email).await?;
        Ok(Self { customer: vec![Recipient::from(customer)], developers })
    }
}

/// What a refund mail says about the purchase; `product` is [`PurchaseView::product_name`].
fn purchase_facts<'a>(view: &'a PurchaseView, product: &'a str) -> PurchaseFacts<'a> {
    PurchaseFacts { product, amount: &view.purchase.amount, purchased_at: view.purchase.purchased_at }
}

fn required_id(field: &str, value: &str) -> Result<InquiryId, FieldError> {
    let value = value.trim();
    if value.is_empty() || value.len() > 64 {
        return Err(FieldError::new(field, "required", "the id of the inquiry the refund was agreed in"));
    }
    Ok(InquiryId(value.to_owned()))
}
