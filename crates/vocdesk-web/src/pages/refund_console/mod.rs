//! R5/R8 operator console pages: the cancellation queue (approve, or reject with a
//! reason) and the overdue queue (cancel the purchase on the developer's behalf), with
//! the store's policy and what falls due within a day. The two actions that move money
//! go through a confirmation page first ([`confirm`], issue 12 item 5).
//!
//! Operators only (developers and customers get 403, before the form is read). Each
//! form checks CSRF and then calls the refund use case the JSON API calls too ([`vocdesk_app::refunds`]), which
//! asks the policy and lets the store decide under its row locks: two operators
//! clicking at once end in one cancellation, and this page only shows the outcome (the
//! same decision twice reads as done; the other one, or a second cancellation, as a
//! clear 409 message with nothing changed).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use vocdesk_domain::ValidationErrors;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, SellerId};
use vocdesk_domain::inquiry::{Inquiry, InquiryFilter, InquiryStatus};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::refund::{AutoCancelPolicy, CancelRefusal, REASON_MAX, RequestStatus};

use super::console_views::{Notice, RequestRow, WaitingRow, request_status_label};
use super::context::{PageCtx, Session, percent_encode};
use super::error::PageError;
use super::inquiries::{caller, due_view, span};
use super::{PageQuery, PageResult, page_request, query, read_form};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;
use vocdesk_app::AppError;
use vocdesk_app::inquiries;
use vocdesk_app::refunds as cases;

mod confirm;

/// The cancellation queue's address.
const QUEUE: &str = "/operator/cancellation-requests";
/// The overdue queue's address.
const OVERDUE: &str = "/operator/overdue";
/// Requests per page of the queue.
const REQUESTS_PER_PAGE: u32 = 30;
/// Overdue inquiries per page.
const OVERDUE_PER_PAGE: u32 = 30;
/// How many not-yet-overdue inquiries (least time left first) the "due within 24
/// hours" list reads; those further away are left out.
const DUE_SOON_SCAN: u32 = 50;
/// The "due soon" window.
const DUE_SOON_WINDOW: SignedDuration = SignedDuration::from_hours(24);

/// The routes of these pages. The `GET` of the two money-moving actions is their
/// confirmation page (it changes nothing); that of the reject form leads back to the
/// queue, so that a language switch after a re-rendered form works.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(QUEUE, get(requests_page))
        .route("/operator/cancellation-requests/{id}/approve", get(confirm::approve_page).post(approve))
        .route("/operator/cancellation-requests/{id}/reject", get(to_queue).post(reject))
        .route(OVERDUE, get(overdue_page))
        .route("/operator/inquiries/{id}/cancel-purchase", get(confirm::cancel_page).post(cancel_purchase))
}

async fn to_queue() -> Redirect {
    see_other(QUEUE)
}

/// `base?query&notice=word`, the address a form returns to after it did something.
fn with_notice(base: &str, query: &str, word: &str) -> String {
    if query.is_empty() { format!("{base}?notice={word}") } else { format!("{base}?{query}&notice={word}") }
}

/// A seller id typed into a filter; empty is every seller.
fn seller_of(value: &str) -> Option<SellerId> {
    Some(value.trim()).filter(|s| !s.is_empty()).map(|s| SellerId(s.to_owned()))
}

/// Every seller, by name, for the seller filter.
async fn sellers(state: &AppState) -> Result<Vec<(String, String)>, PageError> {
    Ok(state.store().sellers().await?.into_iter().map(|s| (s.id.0, s.name)).collect())
}

/// Why the store refused (409), for an operator: what stands, and that nothing changed.
fn refusal_message(i18n: &I18n, refusal: CancelRefusal) -> String {
    match refusal {
        CancelRefusal::AlreadyDecided(status) => {
            i18n.with("console-refused-request_decided", &request_status_label(i18n, status))
        }
        other => i18n.t(&format!("console-refused-{}", other.code())),
    }
}

// ----- R8: the cancellation queue -----

/// The queue's filters, from its query or from a decision form's hidden fields, so
/// that a decision returns to the list the operator was working on.
#[derive(Debug, Default)]
struct QueueParams {
    /// Absent: `open` (the work to do); empty: every status.
    status: Option<String>,
    seller_id: String,
    cursor: Option<String>,
}

impl QueueParams {
    fn status(&self) -> Result<Option<RequestStatus>, PageError> {
        match self.status.as_deref().map(str::trim) {
            None => Ok(Some(RequestStatus::Open)),
            Some("") => Ok(None),
            Some(word) => RequestStatus::parse(word).map(Some).ok_or(PageError::BadRequest),
        }
    }

    /// The filters as a query string (without the cursor); the status is always sent,
    /// since its absence means `open`.
    fn query_string(&self) -> Result<String, PageError> {
        let status = self.status()?.map(|s| s.as_str()).unwrap_or_default();
        let mut query = format!("status={status}");
        if let Some(seller) = seller_of(&self.seller_id) {
            query.push_str(&format!("&seller_id={}", percent_encode(&seller.0)));
        }
        Ok(query)
    }

    /// The filters and the cursor, for a confirmation page to hand back to its form
    /// and its "Back" link.
    fn with_cursor(&self) -> Result<String, PageError> {
        Ok(with_cursor(self.query_string()?, self.cursor.as_deref()))
    }
}

/// `query` and `cursor=…` (when there is a cursor), joined.
fn with_cursor(query: String, cursor: Option<&str>) -> String {
    match cursor.filter(|c| !c.is_empty()) {
        Some(cursor) if query.is_empty() => format!("cursor={}", percent_encode(cursor)),
        Some(cursor) => format!("{query}&cursor={}", percent_encode(cursor)),
        None => query,
    }
}

#[derive(Debug, Deserialize)]
struct QueueQuery {
    status: Option<String>,
    #[serde(default)]
    seller_id: String,
    cursor: Option<String>,
    notice: Option<String>,
}

/// A decision form: the reason (reject only), the confirmation (approve only: `yes`
/// from the confirmation page) and the queue's filters.
#[derive(Debug, Deserialize)]
struct DecisionForm {
    // Defaulted, so that a form without a token is refused as CSRF (403), not as a
    // malformed body.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm: String,
    status: Option<String>,
    #[serde(default)]
    seller_id: String,
    cursor: Option<String>,
}

/// A reject form that came back: which request, what was typed, what was wrong.
struct RejectBack {
    id: String,
    reason: String,
    error: String,
}

#[derive(Template)]
#[template(path = "console_requests.html")]
struct RequestsPage {
    ctx: PageCtx,
    notice: Option<Notice>,
    /// The chosen status word (empty: every status).
    status: String,
    /// `(word, label)`.
    statuses: Vec<(String, String)>,
    seller_id: String,
    /// `(id, name)`.
    sellers: Vec<(String, String)>,
    rows: Vec<RequestRow>,
    /// The page's cursor, handed back by the decision forms.
    cursor: String,
    query: String,
    /// The filters and cursor, for the links to the confirmation pages.
    confirm_query: String,
    next_cursor: Option<String>,
    is_first_page: bool,
    reason_max: usize,
}

async fn render_requests(
    state: &AppState,
    ctx: PageCtx,
    session: &Session,
    params: &QueueParams,
    mut notice: Option<Notice>,
    reject: Option<RejectBack>,
) -> Result<String, PageError> {
    let i18n = ctx.i18n;
    let status = params.status()?;
    let seller = seller_of(&params.seller_id);
    let page = page_request(&PageQuery { cursor: params.cursor.clone() }, REQUESTS_PER_PAGE)?;
    let got = cases::list_requests(state.app(), &session.actor, seller.as_ref(), status, &page).await?;
    let mut rows = Vec::with_capacity(got.items.len());
    for request in &got.items {
        let purchase = state.store().purchase(&request.purchase_id).await?;
        let mut row = RequestRow::new(request, purchase.as_ref(), &i18n);
        // R17: how long the inquiry has waited on the store.
        if request.status == RequestStatus::Open {
            row.waited =
                Some(i18n.with("console-request-waited", &span(&i18n, state.now().duration_since(request.created_at))));
        }
        rows.push(row);
    }
    if let Some(back) = reject {
        match rows.iter_mut().find(|r| r.id == back.id) {
            Some(row) => {
                row.reject_reason = back.reason;
                row.reject_error = Some(back.error);
                notice = notice.or_else(|| Some(Notice::refused(i18n.t("form-has-errors"))));
            }
            None => notice = notice.or(Some(Notice::refused(back.error))),
        }
    }
    let statuses =
        RequestStatus::ALL.iter().map(|s| (s.as_str().to_owned(), request_status_label(&i18n, *s))).collect();
    let page = RequestsPage {
        notice,
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        statuses,
        seller_id: seller.map(|s| s.0).unwrap_or_default(),
        sellers: sellers(state).await?,
        rows,
        cursor: params.cursor.clone().unwrap_or_default(),
        query: params.query_string()?,
        confirm_query: params.with_cursor()?,
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        reason_max: REASON_MAX,
        ctx,
    };
    Ok(page.render()?)
}

async fn requests_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(policy::operate_store)?.clone();
    let q: QueueQuery = query(&uri)?;
    let notice = match q.notice.as_deref() {
        Some("approved") => Some(Notice::done(ctx.i18n.t("console-notice-approved"))),
        Some("rejected") => Some(Notice::done(ctx.i18n.t("console-notice-rejected"))),
        _ => None,
    };
    let params = QueueParams { status: q.status, seller_id: q.seller_id, cursor: q.cursor };
    Ok(Html(render_requests(&state, ctx, &session, &params, notice, None).await?).into_response())
}

/// R8: approving cancels the purchase, so it takes the confirmation page's `yes`
/// (issue 12 item 5): without it the confirmation page answers and nothing changes.
async fn approve(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    ctx.authorize(policy::decide_cancellation)?;
    let form: DecisionForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    if form.confirm != confirm::YES {
        let params = QueueParams { status: form.status, seller_id: form.seller_id, cursor: form.cursor };
        return confirm::approval(&state, ctx, CancellationRequestId(id), &params).await;
    }
    decide(state, ctx, id, form, true).await
}

/// R8: rejecting moves no money: one step, with its reason.
async fn reject(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    ctx.authorize(policy::decide_cancellation)?;
    let form: DecisionForm = read_form(request).await?;
    decide(state, ctx, id, form, false).await
}

/// The reason field's problems, in the operator's language.
fn reason_error(errors: &ValidationErrors, i18n: &I18n) -> String {
    let messages: Vec<String> = errors
        .0
        .iter()
        .map(|e| match e.code.as_str() {
            "required" => i18n.t("console-error-reason-required"),
            "too_long" => i18n.count("console-error-reason-too-long", REASON_MAX as i64),
            "control_characters" => i18n.t("field-error-control_characters"),
            _ => i18n.t("field-error-invalid"),
        })
        .collect();
    if messages.is_empty() { i18n.t("console-error-reason-required") } else { messages.join(" ") }
}

/// R8: approve, or reject with a reason; back to the queue with a notice, or the
/// queue again with the problem (422) or the store's refusal (409), nothing changed.
async fn decide(state: AppState, ctx: PageCtx, id: String, form: DecisionForm, approve: bool) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let session = ctx.authorize(policy::decide_cancellation)?.clone();
    let params = QueueParams { status: form.status, seller_id: form.seller_id, cursor: form.cursor };
    // A tampered filter is refused before anything is decided.
    let back_to = params.query_string()?;
    let id = CancellationRequestId(id);
    let reason = if approve { "" } else { form.reason.as_str() };
    let (status, notice, reject) = match cases::decide(state.app(), caller(&session), &id, approve, reason).await {
        Ok(request) => {
            return Ok(see_other(&with_notice(QUEUE, &back_to, request.status.as_str())).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            let error = reason_error(&errors, &ctx.i18n);
            (StatusCode::UNPROCESSABLE_ENTITY, None, Some(RejectBack { id: id.0, reason: form.reason, error }))
        }
        Err(AppError::Refused(refusal)) => {
            (StatusCode::CONFLICT, Some(Notice::refused(refusal_message(&ctx.i18n, refusal))), None)
        }
        Err(other) => return Err(other.into()),
    };
    let page = render_requests(&state, ctx, &session, &params, notice, reject).await?;
    Ok((status, Html(page)).into_response())
}

// ----- R5: the overdue queue -----

/// The overdue queue's filters, from its query or from a cancel form's hidden fields.
#[derive(Debug, Default)]
struct OverdueParams {
    seller_id: String,
    cursor: Option<String>,
}

impl OverdueParams {
    fn query_string(&self) -> String {
        seller_of(&self.seller_id).map(|s| format!("seller_id={}", percent_encode(&s.0))).unwrap_or_default()
    }

    /// The filter and the cursor, for a confirmation page.
    fn with_cursor(&self) -> String {
        with_cursor(self.query_string(), self.cursor.as_deref())
    }
}

#[derive(Debug, Deserialize)]
struct OverdueQuery {
    #[serde(default)]
    seller_id: String,
    cursor: Option<String>,
    notice: Option<String>,
}

/// The "cancel on the developer's behalf" form of the confirmation page: its `yes`
/// and the queue's filters.
#[derive(Debug, Deserialize)]
struct CancelForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    seller_id: String,
    cursor: Option<String>,
}

#[derive(Template)]
#[template(path = "console_overdue.html")]
struct OverduePage {
    ctx: PageCtx,
    notice: Option<Notice>,
    /// R5: `manual` or `auto`.
    policy: &'static str,
    policy_label: String,
    policy_help: String,
    /// Under `auto`, the sweep cancels overdue refund inquiries' purchases itself.
    auto_policy: bool,
    /// The page's explanation, with the configured limit in hours.
    help: String,
    seller_id: String,
    /// `(id, name)`.
    sellers: Vec<(String, String)>,
    rows: Vec<WaitingRow>,
    /// Not yet overdue, due within 24 hours, least time left first.
    due_soon: Vec<WaitingRow>,
    query: String,
    /// The filter and cursor, for the links to the confirmation page.
    confirm_query: String,
    next_cursor: Option<String>,
    is_first_page: bool,
}

/// The rows of inquiries, each with its time to the limit and its purchase as it
/// stands now.
async fn waiting_rows(state: &AppState, i18n: &I18n, inquiries: &[&Inquiry]) -> Result<Vec<WaitingRow>, PageError> {
    let mut rows = Vec::with_capacity(inquiries.len());
    for inquiry in inquiries {
        let purchase = match &inquiry.purchase_id {
            Some(id) => state.store().purchase(id).await?,
            None => None,
        };
        rows.push(WaitingRow::new(inquiry, due_view(state, i18n, inquiry), purchase.as_ref(), i18n));
    }
    Ok(rows)
}

async fn render_overdue(
    state: &AppState,
    ctx: PageCtx,
    session: &Session,
    params: &OverdueParams,
    notice: Option<Notice>,
) -> Result<String, PageError> {
    let i18n = ctx.i18n;
    let seller = seller_of(&params.seller_id);
    let page = page_request(&PageQuery { cursor: params.cursor.clone() }, OVERDUE_PER_PAGE)?;
    // R5: past the limit, longest waiting first (the inbox order).
    let overdue = InquiryFilter { overdue: Some(true), ..InquiryFilter::default() };
    let got = inquiries::list(state.app(), &session.actor, seller.as_ref(), overdue, &page).await?;
    let rows = waiting_rows(state, &i18n, &got.items.iter().collect::<Vec<_>>()).await?;
    // Awaiting an answer, not yet overdue, least time left first: those due within a day.
    let waiting = InquiryFilter {
        status: Some(InquiryStatus::AwaitingDeveloper),
        overdue: Some(false),
        ..InquiryFilter::default()
    };
    let scan = PageRequest { limit: DUE_SOON_SCAN, after: None };
    let soon = inquiries::list(state.app(), &session.actor, seller.as_ref(), waiting, &scan).await?;
    let horizon = state.now().checked_add(DUE_SOON_WINDOW).unwrap_or(Timestamp::MAX);
    let limit = state.response_limit();
    let soon: Vec<&Inquiry> =
        soon.items.iter().filter(|q| q.state().due_at(limit).is_some_and(|due| due <= horizon)).collect();
    let due_soon = waiting_rows(state, &i18n, &soon).await?;
    let auto_cancel: AutoCancelPolicy = state.app().config().auto_cancel;
    let policy_key = auto_cancel.as_str();
    let page = OverduePage {
        notice,
        policy: policy_key,
        auto_policy: auto_cancel == AutoCancelPolicy::Auto,
        policy_label: i18n.t(&format!("console-policy-{policy_key}")),
        policy_help: i18n.t(&format!("console-policy-{policy_key}-help")),
        help: i18n.count("console-overdue-help", limit.as_hours()),
        seller_id: seller.map(|s| s.0).unwrap_or_default(),
        sellers: sellers(state).await?,
        rows,
        due_soon,
        query: params.query_string(),
        confirm_query: params.with_cursor(),
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    };
    Ok(page.render()?)
}

async fn overdue_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(policy::operate_store)?.clone();
    let q: OverdueQuery = query(&uri)?;
    let notice = match q.notice.as_deref() {
        Some("cancelled") => Some(Notice::done(ctx.i18n.t("console-notice-cancelled"))),
        _ => None,
    };
    let params = OverdueParams { seller_id: q.seller_id, cursor: q.cursor };
    Ok(Html(render_overdue(&state, ctx, &session, &params, notice).await?).into_response())
}

/// R5: cancels the inquiry's purchase on the developer's behalf, once the confirmation
/// page said `yes` (without it, that page answers and nothing changes); back to the
/// queue with a notice, or the queue again with the store's refusal (409), nothing
/// changed.
async fn cancel_purchase(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    let session = ctx.authorize(policy::cancel_on_behalf)?.clone();
    let form: CancelForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let params = OverdueParams { seller_id: form.seller_id, cursor: form.cursor };
    if form.confirm != confirm::YES {
        return confirm::on_behalf(&state, ctx, InquiryId(id), &params).await;
    }
    let notice = match cases::cancel_on_behalf(state.app(), caller(&session), &InquiryId(id)).await {
        Ok(_) => return Ok(see_other(&with_notice(OVERDUE, &params.query_string(), "cancelled")).into_response()),
        Err(AppError::Refused(refusal)) => Notice::refused(refusal_message(&ctx.i18n, refusal)),
        Err(other) => return Err(other.into()),
    };
    let page = render_overdue(&state, ctx, &session, &params, Some(notice)).await?;
    Ok((StatusCode::CONFLICT, Html(page)).into_response())
}
