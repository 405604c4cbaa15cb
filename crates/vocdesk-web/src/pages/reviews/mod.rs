//! The ratings and reviews pages (R10-R13, R18): the app page with its reviews, the
//! customer's own review and the report forms ([`public`]); the developer center's
//! reviews inbox with the reply box in place ([`developer`]) and its saved replies
//! ([`saved_replies`]); the operator console's moderation queue ([`moderation`]).
//!
//! Every form that changes something asks its `permit_*` use case first, with the
//! session alone, and reads the form body only after that (then checks its CSRF token),
//! as the JSON API does: a refusal reads the same whatever was sent. The change is the
//! use case the API calls too; it answers with a redirect back and a notice that says
//! what happened and what comes next (Post/Redirect/Get). A form with problems comes
//! back with them, and nothing is changed.

mod developer;
mod moderation;
mod public;
mod saved_replies;
mod views;

use axum::Router;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use vocdesk_domain::ValidationErrors;

pub use developer::{ReviewCountRow, review_counts};
pub use views::StarsView;

use super::error::PageError;
use super::inquiries::FieldErrors;
use crate::i18n::I18n;
use crate::state::AppState;

/// Rows per page of the review lists.
const PER_PAGE: u32 = 20;

/// The body limit of the review form: 2,000 characters of Hangul are 18 KB once
/// URL-encoded, more than the pages' usual 16 KB.
const REVIEW_BODY_LIMIT: usize = 64 * 1024;

/// The routes of these pages, merged into the page router. The `GET` of each form's
/// address leads back to its page, so that a language switch after a re-rendered form
/// (or a sign-in that returns there) lands on a page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(public::routes())
        .merge(developer::routes())
        .merge(saved_replies::routes())
        .merge(moderation::routes())
}

/// Reads a URL-encoded form after the handler has asked its permit: the handlers that
/// check who may act take the request last and call this, as the API's handlers call
/// `read_json`. A malformed body is a 400 page, an oversized one 413.
pub(in crate::pages) async fn read_form<T: DeserializeOwned>(request: Request) -> Result<T, PageError> {
    match axum::extract::Form::<T>::from_request(request, &()).await {
        Ok(form) => Ok(form.0),
        Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
            Err(PageError::PayloadTooLarge)
        }
        Err(_) => Err(PageError::BadRequest),
    }
}

/// A textarea's value as the person typed it: browsers send its line ends as CRLF,
/// which would count twice against a length limit that counted them once in the box.
fn textarea(value: &str) -> String {
    value.replace("\r\n", "\n")
}

/// `base?query&notice=word#anchor`: the address a form returns to after it did something.
fn back_to(base: &str, query: &str, notice: &str, anchor: &str) -> String {
    let mut to = base.to_owned();
    to.push(if base.contains('?') { '&' } else { '?' });
    if !query.is_empty() {
        to.push_str(query);
        to.push('&');
    }
    to.push_str("notice=");
    to.push_str(notice);
    if !anchor.is_empty() {
        to.push('#');
        to.push_str(anchor);
    }
    to
}

/// A length limit in words: "up to 2,000 characters".
fn limit_text(i18n: &I18n, key: &str, max: usize) -> String {
    let digits = max.to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    i18n.with(key, &grouped)
}

/// The problems of a review form in the visitor's words, by field (`rating`, `text`,
/// `target`, `reason`, `note`, `title`, `lang`), with the limits the forms show; the
/// `text` field takes `text_max` characters (a review's, a reply's).
fn field_errors(errors: &ValidationErrors, i18n: &I18n, text_max: usize) -> FieldErrors {
    use vocdesk_domain::review::{NOTE_MAX, TEMPLATE_TITLE_MAX};
    let messages = errors
        .0
        .iter()
        .map(|e| {
            let message = match (e.field.as_str(), e.code.as_str()) {
                ("rating", _) => i18n.t("review-error-rating"),
                ("reason", "reason") => i18n.t("review-error-report-reason"),
                ("reason", "required") => i18n.t("mod-error-reason-required"),
                ("lang", _) => i18n.t("tpl-error-lang"),
                ("text", "required") => i18n.t("review-error-text-required"),
                (_, "required") => i18n.t("field-error-required"),
                ("text", "too_long") => limit_text(i18n, "review-error-too-long", text_max),
                ("title", "too_long") => limit_text(i18n, "review-error-too-long", TEMPLATE_TITLE_MAX),
                (_, "too_long") => limit_text(i18n, "review-error-too-long", NOTE_MAX),
                (_, "control_characters") => i18n.t("field-error-control_characters"),
                _ => i18n.t("field-error-invalid"),
            };
            (e.field.clone(), message)
        })
        .collect();
    FieldErrors::from_messages(messages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_return_to_their_page_with_a_notice() {
        assert_eq!(
            back_to("/apps/a", "", "review_published", "my-review"),
            "/apps/a?notice=review_published#my-review"
        );
        assert_eq!(
            back_to("/developer/reviews", "rating=1%2C2", "replied", ""),
            "/developer/reviews?rating=1%2C2&notice=replied"
        );
        assert_eq!(
            back_to("/operator/moderation?review=r1", "", "hidden", "lookup"),
            "/operator/moderation?review=r1&notice=hidden#lookup"
        );
    }

    #[test]
    fn limits_read_with_grouped_digits() {
        let en = I18n { locale: vocdesk_domain::locale::Locale::En };
        assert_eq!(limit_text(&en, "review-text-help", 2_000), "up to 2,000 characters");
        assert_eq!(limit_text(&en, "review-error-too-long", 100), "Write at most 100 characters.");
    }

    #[test]
    fn textareas_count_a_line_end_once() {
        assert_eq!(textarea("a\r\nb\nc"), "a\nb\nc");
    }
}
