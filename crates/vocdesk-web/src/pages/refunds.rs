//! R6-R8 pages for the parties of an inquiry: the customer's consent, the developer's
//! payment details and cancellation requests (the off-store form, R9, is
//! [`super::off_store`]).
//!
//! The thread page ([`super::inquiries`]) shows what [`refund_panel`] prepares: the
//! consent (O/X and since when) to both sides, the customer's purchases of the seller
//! (R6, masked unless revealed), the reveal button (R7), one cancellation form per
//! cancellable purchase (R8, developers) and the inquiry's requests (everyone). Each
//! form here checks CSRF first and then calls the refund use case the JSON API calls
//! too ([`vocdesk_app::refunds`]), which asks the policy; a refusal is an error page, a
//! problem with the input re-renders the form with the problem and changes nothing.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_domain::ValidationErrors;
use vocdesk_domain::ids::{InquiryId, PurchaseId, SellerId};
use vocdesk_domain::inquiry::{Inquiry, InquiryFilter, InquiryStatus, Side};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy::{self, Refusal};
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{self, CancelRefusal, CancellationRequest, REASON_MAX, RequestStatus};
use vocdesk_domain::role::{Actor, Role};

use super::context::{PageCtx, Session, percent_encode};
use super::error::PageError;
use super::inquiries::{InquiryRow, ReplyState, caller, channel_label, own_seller, render_thread, rows};
use super::{CsrfForm, PageForm, PageQuery, PageResult, html, page_request, query};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;
use vocdesk_app::AppError;
use vocdesk_app::inquiries;
use vocdesk_app::refunds::{self as cases, RequestInput, Submitted};

/// How many of the customer's purchases the thread's panel shows (newest first).
const PANEL_PURCHASES: u32 = 50;
/// Rows per page of the developer's request list.
const REQUESTS_PER_PAGE: u32 = 30;
/// How many of the most urgent unanswered inquiries the dashboard lists (R5).
const URGENT_ON_DASHBOARD: u32 = 5;

/// The routes of these pages. The `GET` of each form's address leads back to the
/// page the form is on, so that a language switch after a re-rendered form works.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inquiries/{id}/payment-details", get(back_to_thread).post(reveal_payment_details))
        .route("/inquiries/{id}/consent", get(back_to_thread).post(set_consent))
        .route("/inquiries/{id}/cancellation-requests", get(back_to_thread).post(request_cancellation))
        .route("/developer/cancellation-requests", get(requests_page))
}

/// A thread's address.
pub(super) fn thread_href(id: &str) -> String {
    format!("/inquiries/{}", percent_encode(id))
}

async fn back_to_thread(Path(id): Path<String>) -> Redirect {
    see_other(&thread_href(&id))
}

fn panel_page() -> PageRequest {
    PageRequest { limit: PANEL_PURCHASES, after: None }
}

// ----- words shown for enums -----

pub(super) fn purchase_status(i18n: &I18n, status: PurchaseStatus) -> (&'static str, String) {
    match status {
        PurchaseStatus::Paid => ("paid", i18n.t("status-paid")),
        PurchaseStatus::Cancelled => ("cancelled", i18n.t("status-cancelled")),
    }
}

pub(super) fn amount(i18n: &I18n, view: &PurchaseView) -> String {
    let p = &view.purchase;
    if p.amount.amount_minor == 0 { i18n.t("app-free") } else { p.amount.display() }
}

pub(super) fn product(app_title: &str, item_title: Option<&str>) -> String {
    match item_title {
        Some(item) => format!("{app_title} · {item}"),
        None => app_title.to_owned(),
    }
}

/// The message of a refused cancellation (R5/R8), in the visitor's language.
pub(super) fn refusal_message(i18n: &I18n, refusal: CancelRefusal) -> String {
    i18n.t(&format!("refund-refused-{}", refusal.code()))
}

// ----- the thread's refund panels -----

/// What a refund form on the thread left behind: a notice after a redirect, the
/// revealed payment ids, or a cancellation form that came back with a problem.
#[derive(Default)]
pub struct RefundState {
    /// R7: the purchases with unmasked ids, after an audited reveal.
    revealed: Option<Vec<PurchaseView>>,
    /// R8: the cancellation form that came back.
    request: Option<RequestFormState>,
    /// The catalog key of what the last form did (after its redirect).
    notice: Option<&'static str>,
}

/// A cancellation form that came back: what was typed and what was wrong.
struct RequestFormState {
    purchase_id: String,
    reason: String,
    /// The reason field's problem.
    field_error: Option<String>,
    /// Why the store refused (409), or that the purchase is unknown.
    refusal: Option<String>,
}

impl RefundState {
    /// The state after a form redirected with `?notice=<word>`; unknown words are
    /// ignored.
    pub fn with_notice(word: Option<&str>) -> Self {
        let notice = match word {
            Some("requested") => Some("refund-notice-requested"),
            Some("request_exists") => Some("refund-notice-request-exists"),
            Some("consent_given") => Some("refund-notice-consent-given"),
            Some("consent_withdrawn") => Some("refund-notice-consent-withdrawn"),
            Some("filed") => Some("refund-notice-filed"),
            Some("filed_existing") => Some("refund-notice-filed-existing"),
            _ => None,
        };
        Self { notice, ..Self::default() }
    }
}

/// R6/R7: a purchase of the customer's, as the seller's developers and operators see
/// it: masked, or unmasked after an audited reveal.
pub struct PanelPurchase {
    pub id: String,
    pub purchased_at: String,
    pub product: String,
    pub amount: String,
    /// `paid` or `cancelled`, for the badge's class.
    pub status: &'static str,
    pub status_label: String,
    pub cancelled: bool,
    pub tid: String,
    pub txid: String,
    pub receipt_no: String,
    /// The purchase this inquiry is about.
    pub this_one: bool,
    /// R8: a request to cancel it is waiting for the store.
    pub open_request: bool,
}

impl PanelPurchase {
    fn new(view: &PurchaseView, inquiry: &Inquiry, i18n: &I18n, revealed: bool, open_request: bool) -> Self {
        let p = &view.purchase;
        // R7: masked unless this response is the audited reveal.
        let ids = if revealed { p.payment.clone() } else { p.payment.masked() };
        let (status, status_label) = purchase_status(i18n, p.status);
        Self {
            id: p.id.0.clone(),
            purchased_at: i18n.datetime(&p.purchased_at),
            product: product(&view.app_title, view.item_title.as_deref()),
            amount: amount(i18n, view),
            status,
            status_label,
            cancelled: p.status == PurchaseStatus::Cancelled,
            tid: ids.tid,
            txid: ids.txid.unwrap_or_else(|| "-".to_owned()),
            receipt_no: ids.receipt_no.unwrap_or_else(|| "-".to_owned()),
            this_one: inquiry.purchase_id.as_ref() == Some(&p.id),
            open_request,
        }
    }
}

/// R8: one "Submit purchase cancellation request to the store" form.
pub struct RequestForm {
    pub purchase_id: String,
    /// "date · product · amount".
    pub label: String,
    /// Shown unfolded: the inquiry's own purchase, or the form that came back.
    pub open: bool,
    pub reason: String,
    pub error: Option<String>,
}

/// R8: a cancellation request as the thread and the developer's list show it.
pub struct RequestView {
    pub id: String,
    pub inquiry_id: String,
    pub inquiry_subject: String,
    pub product: String,
    pub customer_name: String,
    pub requested_by: String,
    pub channel: String,
    pub reason: String,
    /// `open`, `approved` or `rejected`, for the badge's class.
    pub status: &'static str,
    pub status_label: String,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
}

impl RequestView {
    /// `for_customer`: the customer is told the store decided, not which operator.
    fn new(request: &CancellationRequest, i18n: &I18n, for_customer: bool) -> Self {
        let decided_by = match (&request.decided_by, &request.decided_by_name) {
            _ if request.status == RequestStatus::Open => None,
            (Some(_), _) if for_customer => Some(i18n.t("refund-decided-by-store")),
            (Some(_), Some(name)) => Some(name.clone()),
            (None, Some(label)) if label.starts_with("policy:") => Some(i18n.t("refund-decided-by-policy")),
            _ => Some(i18n.t("refund-decided-by-store")),
        };
        Self {
            id: request.id.0.clone(),
            inquiry_id: request.inquiry_id.0.clone(),
            inquiry_subject: request.inquiry_subject.clone(),
            product: product(&request.app_title, request.item_title.as_deref()),
            customer_name: request.customer_name.clone(),
            requested_by: request.requested_by_name.clone(),
            channel: channel_label(i18n, request.channel),
            reason: request.reason.clone(),
            status: request.status.as_str(),
            status_label: i18n.t(&format!("refund-request-status-{}", request.status.as_str())),
            created_at: i18n.datetime(&request.created_at),
            decided_by,
            decided_at: request.decided_at.as_ref().map(|at| i18n.datetime(at)),
            // A rejection's note is the operator's reason; an approval carries a note
            // only when the store cancelled on the developer's behalf (R5).
            decision_note: match request.status {
                RequestStatus::Rejected => request.decision_note.clone(),
                RequestStatus::Approved => request.decision_note.as_ref().map(|_| i18n.t("refund-note-on-behalf")),
                RequestStatus::Open => None,
            },
        }
    }
}

/// Everything of R6-R8 the thread page shows its viewer.
pub struct RefundPanel {
    /// R7: the consent's last change, "since ..." or "withdrawn ...", for both sides.
    pub consent_note: Option<String>,
    /// R7: the viewer is the thread's customer, who may give or withdraw consent.
    pub consent_form: bool,
    /// The consent as it stands (for the customer's form).
    pub consent: bool,
    /// The inquiry's own purchase: `(product · amount, status word, status label)`.
    pub inquiry_purchase: Option<(String, &'static str, String)>,
    /// R6: the customer's purchases of the seller (developers and operators).
    pub purchases: Option<Vec<PanelPurchase>>,
    /// R7: the ids shown are unmasked (this response is an audited reveal).
    pub revealed: bool,
    /// R7: the "show payment details" button is offered.
    pub can_reveal: bool,
    /// R7: a developer without the customer's consent: told to ask for it instead.
    pub consent_missing: bool,
    /// R8: the viewer is the seller's developer, who may request cancellations.
    pub can_request: bool,
    /// R8: one form per paid, non-free purchase without an open request.
    pub request_forms: Vec<RequestForm>,
    /// R8: why the last request was refused.
    pub request_error: Option<String>,
    /// R8: the inquiry's requests, oldest first.
    pub requests: Vec<RequestView>,
    /// What the last form did.
    pub notice: Option<String>,
}

/// Prepares the R6-R8 panels of a thread the viewer may read (the caller checked).
pub async fn refund_panel(
    state: &AppState,
    i18n: &I18n,
    session: &Session,
    inquiry: &Inquiry,
    refund: RefundState,
) -> Result<RefundPanel, PageError> {
    let role = session.user.role;
    let is_customer = role == Role::Customer;
    let is_developer = role == Role::Developer;
    let requests = cases::requests_of_inquiry(state.app(), inquiry).await?;
    let revealed = refund.revealed.is_some();
    let purchases = match refund.revealed {
        Some(list) => Some(list),
        None if is_customer => None,
        // R6: the customer's purchases of this seller's apps and items only.
        None => Some(cases::purchases(state.app(), &session.actor, &inquiry.id, &panel_page()).await?.1.items),
    };
    let open = |id: &PurchaseId| requests.iter().any(|r| r.purchase_id == *id && r.status == RequestStatus::Open);
    let inquiry_purchase = match &inquiry.purchase_id {
        Some(id) => state.store().purchase(id).await?.map(|view| {
            let (word, label) = purchase_status(i18n, view.purchase.status);
            (format!("{} · {}", product(&view.app_title, view.item_title.as_deref()), amount(i18n, &view)), word, label)
        }),
        None => None,
    };
    let mut request_forms = Vec::new();
    if is_developer {
        for view in purchases.iter().flatten() {
            if refund::cancellable(&view.purchase).is_err() || open(&view.purchase.id) {
                continue;
            }
            let this_one = inquiry.purchase_id.as_ref() == Some(&view.purchase.id);
            let mut form = RequestForm {
                purchase_id: view.purchase.id.0.clone(),
                label: format!(
                    "{} · {} · {}",
                    i18n.datetime(&view.purchase.purchased_at),
                    product(&view.app_title, view.item_title.as_deref()),
                    amount(i18n, view)
                ),
                open: this_one,
                reason: String::new(),
                error: None,
            };
            if let Some(back) = refund.request.as_ref().filter(|b| b.purchase_id == form.purchase_id) {
                form.open = true;
                form.reason = back.reason.clone();
                form.error = back.field_error.clone();
            }
            // The inquiry's own purchase first.
            if this_one { request_forms.insert(0, form) } else { request_forms.push(form) }
        }
    }
    let consent_note = inquiry.consent_at.map(|at| {
        let key = if inquiry.consent_personal_info { "refund-consent-since" } else { "refund-consent-withdrawn" };
        i18n.with(key, &i18n.datetime(&at))
    });
    Ok(RefundPanel {
        consent_note,
        consent_form: is_customer,
        consent: inquiry.consent_personal_info,
        inquiry_purchase,
        purchases: purchases.map(|list| {
            list.iter().map(|v| PanelPurchase::new(v, inquiry, i18n, revealed, open(&v.purchase.id))).collect()
        }),
        revealed,
        can_reveal: !is_customer && !revealed && (!is_developer || inquiry.consent_personal_info),
        consent_missing: is_developer && !inquiry.consent_personal_info,
        can_request: is_developer,
        request_forms,
        request_error: refund.request.and_then(|b| b.refusal),
        requests: requests.iter().map(|r| RequestView::new(r, i18n, is_customer)).collect(),
        notice: refund.notice.map(|key| i18n.t(key)),
    })
}

// ----- R7: payment details and consent -----

async fn reveal_payment_details(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let session = ctx.require_session()?.clone();
    let id = InquiryId(id);
    // R7: refused without consent (403 telling the developer to ask); audited before
    // the ids are shown.
    let (_, purchases) = cases::payment_details(state.app(), caller(&session), &id, &panel_page()).await?;
    let thread = inquiries::read(state.app(), &session.actor, &id).await?;
    let refund = RefundState { revealed: Some(purchases.items), ..RefundState::default() };
    let page = render_thread(&state, ctx, &session, thread, ReplyState::default(), refund).await?;
    Ok(([(header::CACHE_CONTROL, "private, no-store")], Html(page)).into_response())
}

#[derive(Debug, Deserialize)]
struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    consent: String,
}

async fn set_consent(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm<ConsentForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let session = ctx.require_session()?.clone();
    let consent = match form.consent.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(PageError::BadRequest),
    };
    let inquiry = cases::set_consent(state.app(), caller(&session), &InquiryId(id), consent).await?;
    let notice = if consent { "consent_given" } else { "consent_withdrawn" };
    Ok(see_other(&format!("{}?notice={notice}#consent", thread_href(&inquiry.id.0))).into_response())
}

// ----- R8: a cancellation request from the thread -----

#[derive(Debug, Deserialize)]
struct CancellationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    purchase_id: String,
    #[serde(default)]
    reason: String,
}

/// The reason field's problems, in the visitor's language.
fn reason_error(errors: &ValidationErrors, i18n: &I18n) -> Option<String> {
    let messages: Vec<String> = errors
        .0
        .iter()
        .map(|e| match e.code.as_str() {
            "required" => i18n.t("refund-field-error-reason-required"),
            "too_long" => i18n.count("refund-field-error-reason-too-long", REASON_MAX as i64),
            "control_characters" => i18n.t("field-error-control_characters"),
            _ => i18n.t("field-error-invalid"),
        })
        .collect();
    (!messages.is_empty()).then(|| messages.join(" "))
}

async fn request_cancellation(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    PageForm(form): PageForm<CancellationForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let session = ctx.require_session()?.clone();
    let id = InquiryId(id);
    let thread = inquiries::read(state.app(), &session.actor, &id).await?;
    // Refused before the input is looked at: only the seller's developers submit
    // (the use case asks the policy again, with the purchase).
    ctx.authorize(|actor| match policy::write_to_inquiry(actor, &thread.inquiry)? {
        Side::Developer => Ok(()),
        Side::Customer => Err(Refusal::Forbidden),
    })?;
    let purchase_id = PurchaseId(form.purchase_id.trim().to_owned());
    let input = RequestInput { inquiry_id: &id.0, reason: &form.reason };
    let back = |field_error, refusal| RequestFormState {
        purchase_id: purchase_id.0.clone(),
        reason: form.reason.clone(),
        field_error,
        refusal,
    };
    let (status, back) =
        match cases::request_cancellation(state.app(), caller(&session), &purchase_id, input, None).await {
            Ok(Submitted::Created(_)) => {
                let to = format!("{}?notice=requested#cancellation-requests", thread_href(&id.0));
                return Ok(see_other(&to).into_response());
            }
            Ok(Submitted::Existing(_)) => {
                let to = format!("{}?notice=request_exists#cancellation-requests", thread_href(&id.0));
                return Ok(see_other(&to).into_response());
            }
            Err(AppError::Invalid(errors)) => {
                let message = reason_error(&errors, &ctx.i18n);
                (StatusCode::UNPROCESSABLE_ENTITY, back(message, Some(ctx.i18n.t("form-has-errors"))))
            }
            Err(AppError::Refused(refusal)) => {
                (StatusCode::CONFLICT, back(None, Some(refusal_message(&ctx.i18n, refusal))))
            }
            Err(other) => return Err(other.into()),
        };
    let refund = RefundState { request: Some(back), ..RefundState::default() };
    let page = render_thread(&state, ctx, &session, thread, ReplyState::default(), refund).await?;
    Ok((status, Html(page)).into_response())
}

// ----- R8: the developer's requests -----

#[derive(Template)]
#[template(path = "refund_requests.html")]
struct RequestsPage {
    ctx: PageCtx,
    status: String,
    /// `(word, label)`.
    statuses: Vec<(String, String)>,
    rows: Vec<RequestView>,
    query: String,
    next_cursor: Option<String>,
    is_first_page: bool,
}

#[derive(Debug, Deserialize)]
struct RequestsQuery {
    #[serde(default)]
    status: String,
    cursor: Option<String>,
}

async fn requests_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let (session, seller) = own_seller(&ctx)?;
    let q: RequestsQuery = query(&uri)?;
    let status = match q.status.trim() {
        "" => None,
        word => Some(RequestStatus::parse(word).ok_or(PageError::BadRequest)?),
    };
    let page = page_request(&PageQuery { cursor: q.cursor.clone() }, REQUESTS_PER_PAGE)?;
    let got = cases::list_requests(state.app(), &session.actor, Some(&seller), status, &page).await?;
    let i18n = ctx.i18n;
    let statuses = RequestStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), i18n.t(&format!("refund-request-status-{}", s.as_str()))))
        .collect();
    html(&RequestsPage {
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        query: status.map(|s| format!("status={}", s.as_str())).unwrap_or_default(),
        statuses,
        rows: got.items.iter().map(|r| RequestView::new(r, &i18n, false)).collect(),
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    })
}

// ----- R5: the dashboard's most urgent inquiries -----

/// R5: the seller's unanswered inquiries with the least time left to the limit (the
/// overdue ones first), for the developer dashboard.
pub async fn urgent_inquiries(
    state: &AppState,
    i18n: &I18n,
    actor: &Actor,
    seller: &SellerId,
) -> Result<Vec<InquiryRow>, PageError> {
    let filter = InquiryFilter { status: Some(InquiryStatus::AwaitingDeveloper), ..InquiryFilter::default() };
    let page = PageRequest { limit: URGENT_ON_DASHBOARD, after: None };
    let got = inquiries::list(state.app(), actor, Some(seller), filter, &page).await?;
    Ok(rows(state, i18n, &got, true))
}
