//! Field-level validation results. Input is checked in full before anything is
//! written, and every problem is reported at once so a form can show them together.

use serde::Serialize;

/// One field that failed a check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: expected {expected}")]
pub struct FieldError {
    /// The field's name as the client sent it (`email`, `amount`, `rows[3].tid`).
    pub field: String,
    /// A stable machine-readable code (`required`, `too_long`, `currency`, ...).
    pub code: String,
    /// What was expected, in English, for developers reading the response.
    pub expected: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: &str, code: &str, expected: &str) -> Self {
        Self { field: field.to_owned(), code: code.to_owned(), expected: expected.to_owned() }
    }
}

/// All the problems with one input.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{} invalid field(s)", .0.len())]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    /// Records the outcome of one check, keeping its value when it passed.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    /// Adds a problem found outside a `check`.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// `Ok(value)` when no check failed; otherwise every failure.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, ValidationErrors> {
        if self.0.is_empty() { value().ok_or(self) } else { Err(self) }
    }
}
