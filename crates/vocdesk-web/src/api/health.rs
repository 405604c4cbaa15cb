//! `/healthz` for load balancers: 200 while the store answers.

use axum::Json;
use axum::extract::State;

use super::dto::Health;
use crate::error::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Answers 200 when the store is reachable, 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "ops",
    responses(
        (status = 200, description = "Healthy", body = Health),
        (status = 503, description = "The store does not answer", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn healthz(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    match state.store().ping().await {
        Ok(()) => Ok(Json(Health { status: "ok".to_owned(), store: state.store().engine().to_owned() })),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            Err(ApiError::Unavailable)
        }
    }
}
