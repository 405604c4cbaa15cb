//! The JSON API under `/api/v1`, as the OpenAPI document (`/api/openapi.json`) describes it. Each handler
//! authenticates through an extractor, asks [`vocdesk_domain::policy`] once whether the
//! actor may act on the resource, and only then reads or writes the store.

mod audit;
mod auth;
mod catalog;
pub mod dto;
mod health;
mod inbound;
mod inquiries;
mod moderation;
mod off_store;
pub mod openapi;
mod outbox;
mod provisioning;
mod purchases;
mod push;
mod refunds;
mod reviews;
mod templates;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, patch, post, put};

use crate::state::AppState;

pub use health::healthz;
pub use inbound::eml_download;

/// Every `/api/v1` route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/auth/tokens", post(auth::issue_payment_system_token))
        .route("/api/v1/me", get(auth::me).patch(auth::update_me))
        .route("/api/v1/me/purchases", get(purchases::my_purchases))
        .route("/api/v1/apps", get(catalog::list_apps).post(provisioning::create_app))
        .route("/api/v1/apps/{app_id}", get(catalog::get_app))
        .route("/api/v1/apps/{app_id}/items", post(provisioning::create_item))
        .route("/api/v1/sellers", post(provisioning::create_seller))
        .route("/api/v1/users", post(provisioning::create_user))
        .route("/api/v1/purchases", post(purchases::record))
        .route("/api/v1/purchases/{purchase_id}", get(purchases::get_purchase))
        .route("/api/v1/audit", get(audit::list))
        .route("/api/v1/apps/{app_id}/inquiries", with_files(post(inquiries::open)))
        .route("/api/v1/inquiries", get(inquiries::list))
        .route("/api/v1/inquiries/counts", get(inquiries::counts))
        .route("/api/v1/inquiries/{inquiry_id}", get(inquiries::get_thread))
        .route("/api/v1/inquiries/{inquiry_id}/messages", with_files(post(inquiries::reply)))
        .route("/api/v1/inquiries/{inquiry_id}/close", post(inquiries::close))
        .route("/api/v1/inquiries/{inquiry_id}/attachments/{attachment_id}", get(inquiries::attachment))
        .route("/api/v1/inquiries/{inquiry_id}/purchases", get(refunds::purchases))
        .route("/api/v1/inquiries/{inquiry_id}/payment-details", get(refunds::payment_details))
        .route("/api/v1/inquiries/{inquiry_id}/consent", put(refunds::set_consent))
        .route("/api/v1/inquiries/{inquiry_id}/cancel-purchase", post(refunds::cancel_purchase))
        .route("/api/v1/purchases/{purchase_id}/cancellation-requests", post(refunds::request_cancellation))
        .route("/api/v1/cancellation-requests", get(refunds::list_requests))
        .route("/api/v1/cancellation-requests/off-store", post(refunds::file_off_store))
        .route("/api/v1/off-store/purchases", get(off_store::look_up))
        .route("/api/v1/cancellation-requests/{request_id}", get(refunds::read_request))
        .route("/api/v1/cancellation-requests/{request_id}/approve", post(refunds::approve))
        .route("/api/v1/cancellation-requests/{request_id}/reject", post(refunds::reject))
        .route("/api/v1/outbox", get(outbox::list))
        .route("/api/v1/outbox/{id}/retry", post(outbox::retry))
        .route("/api/v1/inbound", get(inbound::list))
        .route("/api/v1/inbound/{id}", get(inbound::one))
        .route("/api/v1/inbound/{id}/raw", get(inbound::raw))
        .route("/api/v1/inbound/{id}/release", post(inbound::release))
        .route("/api/v1/inbound/{id}/discard", post(inbound::discard))
        .route("/api/v1/bouncing-addresses", get(inbound::bouncing))
        .route("/api/v1/bouncing-addresses/clear", post(inbound::clear_bouncing))
        .route("/api/v1/apps/{app_id}/reviews", get(reviews::list_public))
        .route("/api/v1/apps/{app_id}/rating-summary", get(reviews::rating_summary))
        .route(
            "/api/v1/apps/{app_id}/reviews/mine",
            get(reviews::get_mine).put(reviews::put_mine).delete(reviews::delete_mine),
        )
        .route("/api/v1/reviews", get(reviews::inbox))
        .route("/api/v1/reviews/counts", get(reviews::counts))
        .route("/api/v1/reviews/{review_id}", get(reviews::staff_view))
        .route("/api/v1/reviews/{review_id}/reply", put(reviews::put_reply).delete(reviews::delete_reply))
        .route("/api/v1/reviews/{review_id}/reply/confirm", post(reviews::confirm_reply))
        .route("/api/v1/reviews/{review_id}/reply/hide", post(moderation::hide_reply))
        .route("/api/v1/reviews/{review_id}/reply/unhide", post(moderation::unhide_reply))
        .route("/api/v1/reviews/{review_id}/reports", post(moderation::report))
        .route("/api/v1/reviews/{review_id}/reports/dismiss", post(moderation::dismiss))
        .route("/api/v1/reviews/{review_id}/hide", post(moderation::hide))
        .route("/api/v1/reviews/{review_id}/unhide", post(moderation::unhide))
        .route("/api/v1/moderation/reports", get(moderation::queue))
        .route("/api/v1/push/vapid-public-key", get(push::vapid_public_key))
        .route("/api/v1/push/subscriptions", get(push::list).post(push::subscribe))
        .route("/api/v1/push/subscriptions/{subscription_id}", patch(push::set_kinds).delete(push::unsubscribe))
        .route("/api/v1/push/health", get(push::health))
        .route("/api/v1/reply-templates", get(templates::list).post(templates::create))
        .route("/api/v1/reply-templates/{template_id}", put(templates::update).delete(templates::delete))
}

/// A route that takes files (R1 attachments) reads bodies up to
/// [`inquiries::UPLOAD_BODY_LIMIT`] instead of the JSON limit the API router sets.
fn with_files(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.layer(DefaultBodyLimit::max(inquiries::UPLOAD_BODY_LIMIT))
}
