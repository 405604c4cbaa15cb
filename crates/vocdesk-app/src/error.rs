//! The one error type of the use cases. It says what went wrong in the application's
//! terms (not found, refused, invalid, in conflict, a fault below us); each door turns
//! it into its own answer: the web crate into a problem document or an error page
//! (`vocdesk-web/src/error.rs`, in one place), the command line into a message.

use vocdesk_domain::policy::Refusal;
use vocdesk_domain::refund::CancelRefusal;
use vocdesk_domain::{FieldError, ValidationErrors};
use vocdesk_mail::MailError;
use vocdesk_store::StoreError;

use crate::password::PasswordError;

/// Everything a use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Does not exist, or belongs to someone else (the policy answers both alike, so
    /// ids cannot be probed).
    #[error("not found")]
    NotFound,
    /// The actor may not do this: [`Refusal::Forbidden`] for a role or token that may
    /// never, [`Refusal::ConsentRequired`] for R7's missing consent.
    #[error("forbidden: {0:?}")]
    Forbidden(Refusal),
    /// The input is well-formed but breaks a rule; every problem at once.
    #[error("validation failed")]
    Invalid(ValidationErrors),
    /// The change collides with existing state (a taken email, a closed thread).
    #[error("conflict on {what}")]
    Conflict {
        /// The field that collided.
        what: String,
    },
    /// R5/R8: the state of the purchase or request does not allow this now (already
    /// cancelled, free, not overdue, decided the other way).
    #[error("refused: {0}")]
    Refused(CancelRefusal),
    /// R11/R12: the state of the review does not allow this (hidden, reported before,
    /// no reply).
    #[error("refused: {0}")]
    ReviewRefused(vocdesk_domain::review::ReviewRefusal),
    /// R16: only mail that failed for good is retried by hand (this one is pending, or
    /// was taken by the mail server).
    #[error("the mail is {}, not failed", .0.as_str())]
    MailNotFailed(vocdesk_domain::outbox::MailStatus),
    /// R15: a received mail cannot be released into a thread: it no longer waits, or
    /// nothing in it names a thread and a person to join it as.
    #[error("the mail cannot be released: {0}")]
    MailNotReleasable(&'static str),
    /// Issue 13: the developer already has the most devices subscribed that one may
    /// have; nothing was stored (remove one first).
    #[error("at most {max} devices")]
    TooManyDevices {
        /// The cap.
        max: usize,
    },
    /// R9 (issue 12 item 6): the developer looked up too many customers' purchases in
    /// a short time; one more is allowed after this many seconds.
    #[error("too many look-ups; retry in {retry_after_secs} s")]
    TooManyLookups {
        /// Seconds until one more look-up is allowed (at least one).
        retry_after_secs: u64,
    },
    /// R8: the `Idempotency-Key` was used before with a different request.
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    /// R8: the `Idempotency-Key` itself is unusable (length, characters).
    #[error("bad idempotency key: {0}")]
    BadIdempotencyKey(String),
    /// Item 19: too many sign-in attempts from this address or for this account; the
    /// attempt was not made (the password was not even checked).
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyAttempts {
        /// Whole seconds until an attempt fits again (at least 1).
        retry_after_secs: u64,
    },
    /// The store failed (a fault, not a rule: those arrive as the variants above).
    #[error("store: {0}")]
    Store(#[source] StoreError),
    /// Mail could not be rendered.
    #[error("mail: {0}")]
    Mail(#[from] MailError),
    /// Attachment bytes could not be kept or read.
    #[error("attachment files: {0}")]
    Blob(#[source] std::io::Error),
    /// A password could not be hashed.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// Any other failure of ours, such as a background task that did not finish.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// Wraps a failure of ours that has no variant of its own.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<StoreError> for AppError {
    /// What the store reports about the rules (missing, taken, invalid references)
    /// becomes the application's own answer, so that every door treats it like the
    /// same answer from a use case; anything else stays a store fault.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { what } => AppError::Conflict { what },
            StoreError::Invalid(errors) => AppError::Invalid(errors),
            other => AppError::Store(other),
        }
    }
}

impl From<Refusal> for AppError {
    /// Another party's thing is missing to this actor; the rest is forbidden.
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NotFound => AppError::NotFound,
            other => AppError::Forbidden(other),
        }
    }
}

impl From<CancelRefusal> for AppError {
    fn from(refusal: CancelRefusal) -> Self {
        AppError::Refused(refusal)
    }
}

impl From<ValidationErrors> for AppError {
    fn from(errors: ValidationErrors) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(ValidationErrors(vec![error]))
    }
}

/// Shorthand for use-case results.
pub type AppResult<T> = Result<T, AppError>;

impl From<vocdesk_domain::review::ReviewRefusal> for AppError {
    fn from(refusal: vocdesk_domain::review::ReviewRefusal) -> Self {
        AppError::ReviewRefused(refusal)
    }
}
