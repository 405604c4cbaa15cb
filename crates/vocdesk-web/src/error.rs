//! The one error type of the API. It answers as `application/problem+json` (RFC 9457)
//! with a stable `code`, a title in the request's language, and never the cause of an
//! internal failure, which is logged instead.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use vocdesk_app::AppError;
use vocdesk_domain::ValidationErrors;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::policy::Refusal;
use vocdesk_store::StoreError;

use crate::i18n;

tokio::task_local! {
    /// The language negotiated for the request being answered; set by
    /// [`crate::locale::negotiate`] around every handler.
    pub static RESPONSE_LOCALE: Locale;
}

/// What a 503 tells the client to wait before retrying: long enough for an operator
/// to free space or for the database to come back, short enough for a person.
pub const RETRY_AFTER_SECS: &str = "5";

/// Everything an API handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No credentials, or credentials that are wrong, expired or revoked. Which of
    /// these it was is never said.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Email and password did not match an account.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// Signed in, but this role or token may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Does not exist, or belongs to someone else.
    #[error("not found")]
    NotFound,
    /// The request is not well-formed (syntax, types, unknown fields, bad cursor).
    #[error("bad request: {detail}")]
    BadRequest {
        /// Stable code.
        code: &'static str,
        /// What was wrong, for the developer reading the response.
        detail: String,
    },
    /// The body is JSON but not of the expected shape (wrong types, unknown or missing
    /// fields).
    #[error("invalid body: {detail}")]
    InvalidBody {
        /// What serde said, which names the field.
        detail: String,
    },
    /// The body is larger than the API accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body is not JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The input is well-formed but breaks a rule.
    #[error("validation failed")]
    Validation(ValidationErrors),
    /// The request collides with existing state.
    #[error("conflict on {what}")]
    Conflict {
        /// The field that collided.
        what: String,
    },
    /// Issue 13: one developer may subscribe at most this many devices.
    #[error("too many devices")]
    TooManyDevices {
        /// The cap.
        max: usize,
    },
    /// R7: a developer asked for payment ids on an inquiry without the customer's
    /// consent; the title tells them to ask the customer for it.
    #[error("consent required")]
    ConsentRequired,
    /// R5/R8: the state of the purchase or request does not allow this now (already
    /// cancelled, free, not overdue, decided the other way).
    #[error("refused: {0}")]
    Refused(vocdesk_domain::refund::CancelRefusal),
    /// R11/R12: the state of the review does not allow this now.
    #[error("refused: {0}")]
    ReviewRefused(vocdesk_domain::review::ReviewRefusal),
    /// R16: a retry of mail that has not failed.
    #[error("the mail has not failed")]
    MailNotFailed(vocdesk_domain::outbox::MailStatus),
    /// R15: a received mail that cannot be released (decided already, unreadable, or
    /// naming no thread); the detail says which.
    #[error("the mail cannot be released: {0}")]
    MailNotReleasable(&'static str),
    /// The `Idempotency-Key` was used before with a different request.
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// Item 19: too many sign-in attempts from this client address or for this
    /// account; `Retry-After` says when to retry.
    #[error("too many requests")]
    TooManyRequests {
        /// Whole seconds until an attempt fits again.
        retry_after_secs: u64,
    },
    /// R9: too many off-store purchase look-ups by this developer; `Retry-After` says
    /// when one more is allowed.
    #[error("too many look-ups")]
    TooManyLookups {
        /// Seconds until one more look-up is allowed.
        retry_after_secs: u64,
    },
    /// The path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The store cannot be reached (health check).
    #[error("unavailable")]
    Unavailable,
    /// The storage failed (disk full, I/O error): nothing of the request was kept, and
    /// `Retry-After` says when to try again. The cause is logged.
    #[error("storage unavailable")]
    StorageUnavailable,
    /// A failure of ours; the cause is logged, the client sees only `internal`.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// Wraps any internal failure.
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        ApiError::Internal(Box::new(error))
    }

    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::InvalidCredentials => (StatusCode::UNAUTHORIZED, "invalid_credentials"),
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::BadRequest { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::InvalidBody { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
            ApiError::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            ApiError::ConsentRequired => (StatusCode::FORBIDDEN, "consent_required"),
            ApiError::TooManyDevices { .. } => (StatusCode::CONFLICT, "too_many_devices"),
            ApiError::Refused(refusal) => (StatusCode::CONFLICT, refusal.code()),
            ApiError::ReviewRefused(refusal) => (StatusCode::CONFLICT, refusal.code()),
            ApiError::MailNotFailed(_) => (StatusCode::CONFLICT, "mail_not_failed"),
            ApiError::MailNotReleasable(_) => (StatusCode::CONFLICT, "mail_not_releasable"),
            ApiError::IdempotencyKeyReused => (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
            ApiError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"),
            ApiError::TooManyLookups { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_lookups"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::StorageUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "storage_unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// The problem document (RFC 9457) every error answers with.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type; stable, one per `code`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary in the request's language (Korean or English).
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// A stable machine-readable code (`validation_failed`, `not_found`, ...).
    pub code: String,
    /// What went wrong in this instance, when there is something safe to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Every invalid field, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One invalid field of a `validation_failed` problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field as the client named it.
    pub field: String,
    /// Stable code (`required`, `too_long`, `email`, ...).
    pub code: String,
    /// What was expected.
    pub expected: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = %cause, source = ?cause.source(), "internal error");
        }
        let locale = RESPONSE_LOCALE.try_with(|l| *l).unwrap_or_default();
        let detail = match &self {
            ApiError::BadRequest { detail, .. } | ApiError::InvalidBody { detail } => Some(detail.clone()),
            ApiError::Conflict { what } => Some(format!("{what} is already in use")),
            ApiError::Refused(refusal) => Some(refusal.to_string()),
            ApiError::ReviewRefused(refusal) => Some(refusal.to_string()),
            ApiError::MailNotFailed(status) => Some(format!(
                "only failed mail is retried; this one is {} (sent mail is never sent again)",
                status.as_str()
            )),
            ApiError::MailNotReleasable(why) => Some(format!("this mail cannot be released: {why}")),
            ApiError::IdempotencyKeyReused => {
                Some("this Idempotency-Key was sent before with a different request; use a new key".to_owned())
            }
            ApiError::TooManyDevices { max } => {
                Some(i18n::text_with(locale, "problem-too_many_devices-detail", &[("count", num(*max as u64))]))
            }
            ApiError::TooManyLookups { retry_after_secs } => {
                Some(i18n::text_with(locale, "problem-too_many_lookups-detail", &[("count", num(*retry_after_secs))]))
            }
            _ => None,
        };
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after_secs } | ApiError::TooManyLookups { retry_after_secs } => {
                Some(*retry_after_secs)
            }
            _ => None,
        };
        let errors = match self {
            ApiError::Validation(errors) => errors
                .0
                .into_iter()
                .map(|e| ProblemField { field: e.field, code: e.code, expected: e.expected })
                .collect(),
            _ => Vec::new(),
        };
        let problem = Problem {
            kind: format!("https://vocdesk.dev/problems/{code}"),
            title: i18n::text(locale, &format!("problem-{code}")),
            status: status.as_u16(),
            code: code.to_owned(),
            detail,
            errors,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(locale.tag()));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"vocdesk\""));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECS));
        }
        if let Some(seconds) = retry_after {
            crate::throttle::retry_after(&mut response, seconds);
        }
        response
    }
}

impl From<StoreError> for ApiError {
    /// The one place store failures become HTTP answers: conflicts are 409, invalid
    /// references 422, and everything else an internal error.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict { what } => ApiError::Conflict { what },
            StoreError::Invalid(errors) => ApiError::Validation(errors),
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "storage unavailable");
                ApiError::StorageUnavailable
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<AppError> for ApiError {
    /// The one place a use case's failure becomes an HTTP answer: not found is 404,
    /// refused by the policy 403 (`consent_required` for R7), invalid 422, a collision
    /// or a refund refusal 409, too many sign-in attempts 429 (item 19), an unusable `Idempotency-Key` 400 and a reused one 422;
    /// store faults go through [`From<StoreError>`], and every other failure of ours is
    /// an internal error whose cause is logged, never shown.
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound | AppError::Forbidden(Refusal::NotFound) => ApiError::NotFound,
            AppError::Forbidden(Refusal::Forbidden) => ApiError::Forbidden,
            AppError::Forbidden(Refusal::ConsentRequired) => ApiError::ConsentRequired,
            AppError::Invalid(errors) => ApiError::Validation(errors),
            AppError::Conflict { what } => ApiError::Conflict { what },
            AppError::Refused(refusal) => ApiError::Refused(refusal),
            AppError::ReviewRefused(refusal) => ApiError::ReviewRefused(refusal),
            AppError::MailNotFailed(status) => ApiError::MailNotFailed(status),
            AppError::MailNotReleasable(why) => ApiError::MailNotReleasable(why),
            AppError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            AppError::TooManyLookups { retry_after_secs } => ApiError::TooManyLookups { retry_after_secs },
            AppError::TooManyDevices { max } => ApiError::TooManyDevices { max },
            AppError::BadIdempotencyKey(detail) => ApiError::BadRequest { code: "bad_idempotency_key", detail },
            AppError::TooManyAttempts { retry_after_secs } => ApiError::TooManyRequests { retry_after_secs },
            AppError::Store(error) => ApiError::from(error),
            AppError::Mail(error) => ApiError::internal(error),
            AppError::Blob(error) => ApiError::internal(error),
            AppError::Password(error) => ApiError::internal(error),
            AppError::Internal(cause) => ApiError::internal(std::io::Error::other(cause)),
        }
    }
}

impl From<Refusal> for ApiError {
    /// A handler's own policy check answers as a use case's would.
    fn from(refusal: Refusal) -> Self {
        AppError::from(refusal).into()
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::Validation(errors)
    }
}

impl From<vocdesk_domain::FieldError> for ApiError {
    fn from(error: vocdesk_domain::FieldError) -> Self {
        ApiError::Validation(ValidationErrors(vec![error]))
    }
}

/// A count for a catalog message (`{ $count }`), clamped to what Fluent takes.
fn num(value: u64) -> i18n::FluentArg {
    i18n::FluentArg::Num(i64::try_from(value).unwrap_or(i64::MAX))
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;
