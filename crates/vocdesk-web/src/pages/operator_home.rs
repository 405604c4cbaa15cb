//! The operator's home (issue 12, item 11): how much waits in each queue (open
//! cancellation requests, overdue inquiries, held mail), each count a link to its queue,
//! and the other pages of the console. The audit log (R14) has its own page,
//! `/operator/audit`; the address it had before (`/operator?inquiry_id=...`, in old
//! links and bookmarks) leads there with its filters.
//!
//! Operators only, asked through [`policy::operate_store`] before anything is read.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;
use vocdesk_domain::policy;
use vocdesk_store::OperatorCounts;

use super::context::PageCtx;
use super::{PageResult, html};
use crate::headers::see_other;
use crate::state::AppState;

/// The audit log's address.
pub const AUDIT: &str = "/operator/audit";

#[derive(Template)]
#[template(path = "operator_home.html")]
struct OperatorHome {
    ctx: PageCtx,
    counts: OperatorCounts,
}

/// `GET /operator`: the counts; with a query, the audit log it used to be.
pub async fn operator_home(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    ctx.authorize(policy::operate_store)?;
    if let Some(query) = uri.query().filter(|q| !q.is_empty()) {
        return Ok(see_other(&format!("{AUDIT}?{query}")).into_response());
    }
    let counts = state.store().operator_counts(state.overdue_cutoff()).await?;
    html(&OperatorHome { ctx, counts })
}
