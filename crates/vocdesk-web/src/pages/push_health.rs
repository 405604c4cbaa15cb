//! Issue 13: the operators' push health page `/operator/push`. Silent push failure is
//! what users of self-hosted apps complain about most, so it shows everything that can
//! go wrong at a glance: the key every push is signed with, how many devices are
//! subscribed and failing, what waits, what was sent, given up, dropped or found gone in
//! the last day, and the push services' latest answers. Operators only.

use askama::Template;
use axum::extract::State;
use vocdesk_app::push;
use vocdesk_store::PushHealth;

use super::context::PageCtx;
use super::{PageResult, html};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "operator_push.html")]
struct PushHealthPage {
    ctx: PageCtx,
    health: PushHealth,
    public_key: String,
    oldest_pending: Option<String>,
    failures: Vec<(String, String, String)>,
}

/// `GET /operator/push`.
pub(super) async fn push_health_page(State(state): State<AppState>, ctx: PageCtx) -> PageResult {
    let session = ctx.authorize(vocdesk_domain::policy::read_push_health)?;
    let (health, public_key) = push::health(state.app(), &session.actor).await?;
    let oldest_pending = health.oldest_pending_at.as_ref().map(|at| ctx.i18n.datetime(at));
    let failures = health
        .recent_failures
        .iter()
        .map(|(at, kind, error)| (ctx.i18n.datetime(at), ctx.i18n.t(&format!("devices-kind-{kind}")), error.clone()))
        .collect();
    html(&PushHealthPage { ctx, health, public_key, oldest_pending, failures })
}
