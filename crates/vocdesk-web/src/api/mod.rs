//! The JSON API under `/api/v1`, as DESIGN.md's contract lists it. Each handler
//! authenticates through an extractor, asks [`vocdesk_domain::policy`] once whether the
//! actor may act on the resource, and only then reads or writes the store.

mod audit;
mod auth;
mod catalog;
pub mod dto;
mod health;
pub mod openapi;
mod provisioning;
mod purchases;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;
use crate::throttle;

pub use health::healthz;

/// Every `/api/v1` route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(auth::login).layer(throttle::sign_in(throttle::Answer::Api)))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/auth/tokens", post(auth::issue_payment_system_token))
        .route("/api/v1/me", get(auth::me))
        .route("/api/v1/me/purchases", get(purchases::my_purchases))
        .route("/api/v1/apps", get(catalog::list_apps).post(provisioning::create_app))
        .route("/api/v1/apps/{app_id}", get(catalog::get_app))
        .route("/api/v1/apps/{app_id}/items", post(provisioning::create_item))
        .route("/api/v1/sellers", post(provisioning::create_seller))
        .route("/api/v1/users", post(provisioning::create_user))
        .route("/api/v1/purchases", post(purchases::record))
        .route("/api/v1/purchases/{purchase_id}", get(purchases::get_purchase))
        .route("/api/v1/audit", get(audit::list))
}
