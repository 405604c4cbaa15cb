//! Extractors whose rejections are problem documents: a JSON body that is malformed,
//! mistyped, has unknown fields, is too large or is not JSON at all gets a clear 4xx,
//! and the handler never runs.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body. Request types use `#[serde(deny_unknown_fields)]`, so a typo in
/// a field name is an error instead of a silently ignored value.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::InvalidBody { detail: rejection.body_text() },
        _ => ApiError::BadRequest { code: "malformed_json", detail: rejection.body_text() },
    }
}

/// Query parameters, with a problem document for values of the wrong type.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_rejection(rejection)),
        }
    }
}

fn query_rejection(rejection: QueryRejection) -> ApiError {
    ApiError::BadRequest { code: "invalid_query", detail: rejection.body_text() }
}

/// Reads a JSON body after the handler has authorized the request: the routes that
/// check ownership before they read anything take the request last and call this, so
/// that a refused request is answered the same whatever its body holds.
pub async fn read_json<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    ApiJson::<T>::from_request(request, &()).await.map(|ApiJson(value)| value)
}

/// Reads a body that may be empty (`{}` then) after the handler has authorized the
/// request, as [`read_json`] does. A body sent as another type than JSON is a 415, as
/// it is everywhere else; one without a type is read as JSON.
pub async fn read_json_or_default<T: DeserializeOwned + Default>(request: Request) -> Result<T, ApiError> {
    let declared_other = request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| !is_json_type(value));
    let bytes = axum::body::Bytes::from_request(request, &()).await.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        _ => ApiError::BadRequest { code: "malformed_json", detail: rejection.body_text() },
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    if declared_other {
        return Err(ApiError::UnsupportedMediaType);
    }
    serde_json::from_slice(&bytes).map_err(|error| match error.classify() {
        serde_json::error::Category::Data => ApiError::InvalidBody { detail: error.to_string() },
        _ => ApiError::BadRequest { code: "malformed_json", detail: error.to_string() },
    })
}

/// `application/json`, or another `+json` type, with any parameters.
fn is_json_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads the query string after the handler has authorized the request.
pub fn read_query<T: DeserializeOwned>(uri: &axum::http::Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri).map(|q| q.0).map_err(query_rejection)
}
