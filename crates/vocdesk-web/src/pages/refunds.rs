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
use axum::response::Redirect;
use axum::routing::get;
use serde::Deserialize;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{CancelRefusal, RequestStatus};

use super::context::{PageCtx, percent_encode};
use super::error::PageError;
use super::inquiries::own_seller;
use super::{PageQuery, PageResult, html, page_request, query};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;
use vocdesk_app::refunds::{self as cases};

#[path = "refund_panel.rs"]
mod panel;
pub use panel::{RefundPanel, RefundState, RequestView, refund_panel};

/// How many of the customer's purchases the thread's panel shows (newest first).
const PANEL_PURCHASES: u32 = 50;
/// Rows per page of the developer's request list.
const REQUESTS_PER_PAGE: u32 = 30;

/// The routes of these pages. The `GET` of each form's address leads back to the
/// page the form is on, so that a language switch after a re-rendered form works.
pub fn routes() -> Router<AppState> {
    Router::new().route("/developer/cancellation-requests", get(requests_page)).merge(panel::routes())
}

pub(super) fn thread_href(id: &str) -> String {
    format!("/inquiries/{}", percent_encode(id))
}

pub(super) async fn back_to_thread(Path(id): Path<String>) -> Redirect {
    see_other(&thread_href(&id))
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
