//! R6-R9 pages for the parties of an inquiry: the customer's consent, the developer's
//! payment details, cancellation requests and off-store requests.
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
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_domain::ValidationErrors;
use vocdesk_domain::ids::SellerId;
use vocdesk_domain::inquiry::{InquiryFilter, InquiryStatus};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy::{self};
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{CancelRefusal, OffStoreInput, REASON_MAX, RequestStatus};
use vocdesk_domain::role::Actor;

use super::context::{PageCtx, Session, percent_encode};
use super::error::PageError;
use super::inquiries::{FieldErrors, InquiryRow, caller, own_seller, rows};
use super::{PageForm, PageQuery, PageResult, html, page_request, query};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;
use vocdesk_app::AppError;
use vocdesk_app::inquiries;
use vocdesk_app::off_store::{self, Filed};
use vocdesk_app::refunds::{self as cases};

#[path = "refund_panel.rs"]
mod panel;
pub use panel::{RefundPanel, RefundState, RequestView, refund_panel};

/// How many of the customer's purchases the thread's panel shows (newest first).
const PANEL_PURCHASES: u32 = 50;
/// Rows per page of the developer's request list.
const REQUESTS_PER_PAGE: u32 = 30;
/// How many of the most urgent unanswered inquiries the dashboard lists (R5).
const URGENT_ON_DASHBOARD: u32 = 5;
/// How many pages of a seller's apps the off-store form lists products of.
const APP_PAGES: usize = 5;

/// The routes of these pages. The `GET` of each form's address leads back to the
/// page the form is on, so that a language switch after a re-rendered form works.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/developer/off-store-requests/new", get(off_store_page))
        .route("/developer/off-store-requests", get(to_off_store_form).post(file_off_store))
        .route("/developer/cancellation-requests", get(requests_page))
        .merge(panel::routes())
}

pub(super) fn thread_href(id: &str) -> String {
    format!("/inquiries/{}", percent_encode(id))
}

pub(super) async fn back_to_thread(Path(id): Path<String>) -> Redirect {
    see_other(&thread_href(&id))
}

async fn to_off_store_form() -> Redirect {
    see_other("/developer/off-store-requests/new")
}

pub(super) fn panel_page() -> PageRequest {
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

// ----- R9: the off-store request form -----

/// What the developer typed, kept when the form comes back with problems.
#[derive(Default)]
pub struct OffStoreValues {
    pub channel: String,
    pub consent: String,
    pub customer_no: String,
    pub purchased_at: String,
    pub product_id: String,
    pub reason: String,
}

/// The seller's products for the "purchased item" select: one group per app, the
/// app itself and then its in-app items, each `(id, label)`.
pub struct ProductGroup {
    pub app_title: String,
    pub options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "refund_offstore.html")]
struct OffStorePage {
    ctx: PageCtx,
    products: Vec<ProductGroup>,
    form: OffStoreValues,
    errors: FieldErrors,
    /// Why the store refused (409) a well-formed form.
    notice: Option<String>,
    reason_max: usize,
}

#[derive(Debug, Deserialize)]
struct OffStoreForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    consent_personal_info: String,
    #[serde(default)]
    customer_no: String,
    #[serde(default)]
    purchased_at: String,
    #[serde(default)]
    product_id: String,
    #[serde(default)]
    reason: String,
}

/// R9: the developer's seller, after the one policy check of these pages.
fn off_store_seller(ctx: &PageCtx) -> Result<(Session, SellerId), PageError> {
    let session = ctx.authorize(|actor| policy::file_off_store_request(actor).map(|_| ()))?;
    let seller = policy::file_off_store_request(&session.actor).map_err(|_| PageError::Forbidden)?;
    Ok((session.clone(), seller))
}

async fn products_of(state: &AppState, i18n: &I18n, seller: &SellerId) -> Result<Vec<ProductGroup>, PageError> {
    let mut groups = Vec::new();
    let mut page = PageRequest { limit: 100, after: None };
    for _ in 0..APP_PAGES {
        let apps = state.store().list_apps(Some(seller), &page).await?;
        for app in &apps.items {
            let price = app.price.as_ref().map(|p| p.display()).unwrap_or_else(|| i18n.t("app-free"));
            let mut options = vec![(app.id.0.clone(), i18n.with("refund-offstore-the-app", &price))];
            for item in state.store().items_of_app(&app.id).await? {
                options.push((item.id.0.clone(), format!("{} ({})", item.title, item.price.display())));
            }
            groups.push(ProductGroup { app_title: app.title.clone(), options });
        }
        match apps.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
    }
    Ok(groups)
}

/// The form's problems, each under its field, in words for the developer.
fn off_store_errors(errors: &ValidationErrors, i18n: &I18n) -> FieldErrors {
    let message = |field: &str, code: &str| -> String {
        match (field, code) {
            ("channel", _) => i18n.t("refund-field-error-channel"),
            ("consent_personal_info", _) => i18n.t("refund-field-error-consent"),
            ("customer_no", "unknown_customer") => i18n.t("refund-field-error-unknown-customer"),
            ("customer_no", "customer_no") => i18n.t("refund-field-error-customer-no"),
            ("purchased_at", "unknown_purchase") => i18n.t("refund-field-error-unknown-purchase"),
            ("purchased_at", _) => i18n.t("refund-field-error-purchased-at"),
            ("product_id", "required") => i18n.t("refund-field-error-product"),
            ("reason", "required") => i18n.t("refund-field-error-reason-required"),
            ("reason", "too_long") => i18n.count("refund-field-error-reason-too-long", REASON_MAX as i64),
            (_, "required") => i18n.t("field-error-required"),
            (_, "too_long") => i18n.t("field-error-too_long"),
            (_, "control_characters") => i18n.t("field-error-control_characters"),
            _ => i18n.t("field-error-invalid"),
        }
    };
    FieldErrors::from_messages(errors.0.iter().map(|e| (e.field.clone(), message(&e.field, &e.code))).collect())
}

async fn off_store_form(
    state: &AppState,
    ctx: PageCtx,
    seller: &SellerId,
    form: OffStoreValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<String, PageError> {
    let products = products_of(state, &ctx.i18n, seller).await?;
    Ok(OffStorePage { ctx, products, form, errors, notice, reason_max: REASON_MAX }.render()?)
}

async fn off_store_page(State(state): State<AppState>, ctx: PageCtx) -> PageResult {
    let (_, seller) = off_store_seller(&ctx)?;
    let form = OffStoreValues::default();
    Ok(Html(off_store_form(&state, ctx, &seller, form, FieldErrors::default(), None).await?).into_response())
}

async fn file_off_store(
    State(state): State<AppState>,
    ctx: PageCtx,
    PageForm(form): PageForm<OffStoreForm>,
) -> PageResult {
    ctx.check_csrf(&state, &form.csrf)?;
    let (session, seller) = off_store_seller(&ctx)?;
    let input = OffStoreInput {
        channel: &form.channel,
        consent: &form.consent_personal_info,
        customer_no: &form.customer_no,
        purchased_at: &form.purchased_at,
        product_id: &form.product_id,
        reason: &form.reason,
    };
    let (status, errors, notice) = match off_store::file_off_store(state.app(), caller(&session), &input).await {
        Ok(Filed::New { inquiry, .. }) => {
            let to = format!("{}?notice=filed", thread_href(&inquiry.id.0));
            return Ok(see_other(&to).into_response());
        }
        Ok(Filed::Existing(request)) => {
            let to = format!("{}?notice=filed_existing#cancellation-requests", thread_href(&request.inquiry_id.0));
            return Ok(see_other(&to).into_response());
        }
        Err(AppError::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, off_store_errors(&errors, &ctx.i18n), None)
        }
        Err(AppError::Refused(refusal)) => {
            (StatusCode::CONFLICT, FieldErrors::default(), Some(refusal_message(&ctx.i18n, refusal)))
        }
        Err(other) => return Err(other.into()),
    };
    let values = OffStoreValues {
        channel: form.channel,
        consent: form.consent_personal_info,
        customer_no: form.customer_no,
        purchased_at: form.purchased_at,
        product_id: form.product_id,
        reason: form.reason,
    };
    let page = off_store_form(&state, ctx, &seller, values, errors, notice).await?;
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
