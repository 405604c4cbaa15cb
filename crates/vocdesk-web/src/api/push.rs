//! Issue 13 over the JSON API: the VAPID public key (public), developers' devices
//! (`/api/v1/push/subscriptions`: developers only, each their own; another user's is
//! 404) and the operators' health view. Every route authorizes before it reads the body.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use vocdesk_app::push::{self, SubscriptionInput};
use vocdesk_domain::ids::PushSubscriptionId;

use super::dto::{KindsRequest, PushHealthDto, SubscribeRequest, SubscriptionDto, VapidKeyDto};
use super::reviews::caller;
use crate::auth::ApiActor;
use crate::error::{ApiResult, Problem};
use crate::extract::read_json;
use crate::state::AppState;

/// The key browsers subscribe with (`applicationServerKey`).
#[utoipa::path(get, path = "/api/v1/push/vapid-public-key", tag = "push",
    responses((status = 200, description = "The VAPID public key", body = VapidKeyDto)))]
pub async fn vapid_public_key(State(state): State<AppState>) -> Json<VapidKeyDto> {
    Json(VapidKeyDto { public_key: state.app().vapid_keys().public_key().to_owned() })
}

/// The caller's devices.
#[utoipa::path(get, path = "/api/v1/push/subscriptions", tag = "push", security(("bearer" = [])),
    responses(
        (status = 200, description = "Devices, oldest first", body = Vec<SubscriptionDto>),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(State(state): State<AppState>, who: ApiActor) -> ApiResult<Json<Vec<SubscriptionDto>>> {
    let devices = push::devices(state.app(), &who.actor).await?;
    Ok(Json(devices.iter().map(SubscriptionDto::from).collect()))
}

/// Subscribes a device (the browser's PushSubscription JSON plus `kinds`); the same
/// endpoint again updates it (200).
#[utoipa::path(post, path = "/api/v1/push/subscriptions", tag = "push", security(("bearer" = [])),
    request_body = SubscribeRequest,
    responses(
        (status = 201, description = "Subscribed", body = SubscriptionDto),
        (status = 200, description = "The same device again: keys and kinds updated", body = SubscriptionDto),
        (status = 401, description = "No valid token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Too many devices", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Endpoint not https to a public host, malformed keys, unknown kinds", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn subscribe(State(state): State<AppState>, who: ApiActor, request: Request) -> ApiResult<Response> {
    push::permit(&who.actor)?;
    let body: SubscribeRequest = read_json(request).await?;
    let input = SubscriptionInput {
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        kinds: body.kinds,
        label: body.label,
    };
    let (device, created) = push::subscribe(state.app(), caller(&who), &input).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(SubscriptionDto::from(&device))).into_response())
}

/// Changes what one of the caller's devices is told.
#[utoipa::path(patch, path = "/api/v1/push/subscriptions/{subscription_id}", tag = "push", security(("bearer" = [])),
    params(("subscription_id" = String, Path, description = "Device id")), request_body = KindsRequest,
    responses(
        (status = 200, description = "Changed", body = SubscriptionDto),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device of the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No kinds or unknown kinds", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_kinds(
    State(state): State<AppState>,
    who: ApiActor,
    Path(subscription_id): Path<String>,
    request: Request,
) -> ApiResult<Json<SubscriptionDto>> {
    let id = PushSubscriptionId(subscription_id);
    push::permit_device(state.app(), &who.actor, &id).await?;
    let body: KindsRequest = read_json(request).await?;
    let device = push::set_kinds(state.app(), caller(&who), &id, &body.kinds).await?;
    Ok(Json(SubscriptionDto::from(&device)))
}

/// Removes one of the caller's devices and whatever was queued for it.
#[utoipa::path(delete, path = "/api/v1/push/subscriptions/{subscription_id}", tag = "push", security(("bearer" = [])),
    params(("subscription_id" = String, Path, description = "Device id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not a developer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such device of the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    who: ApiActor,
    Path(subscription_id): Path<String>,
) -> ApiResult<StatusCode> {
    push::unsubscribe(state.app(), caller(&who), &PushSubscriptionId(subscription_id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Operators: keys, devices, and what became of the last day's pushes.
#[utoipa::path(get, path = "/api/v1/push/health", tag = "push", security(("bearer" = [])),
    responses(
        (status = 200, description = "Push health", body = PushHealthDto),
        (status = 403, description = "Not an operator", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn health(State(state): State<AppState>, who: ApiActor) -> ApiResult<Json<PushHealthDto>> {
    let (health, key) = push::health(state.app(), &who.actor).await?;
    Ok(Json(PushHealthDto::new(&health, key)))
}
