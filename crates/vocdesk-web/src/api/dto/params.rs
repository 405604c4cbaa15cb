//! Schemas of query parameters whose values are a closed set of words, or a shape a
//! plain `string` does not say (item 20): a generated client offers the words as an
//! enum and can build a valid request from the document alone. Each list is the
//! handler's parser's own (the tests below parse every word with it), so the document
//! cannot offer a word the API answers 400 to.

use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

fn words(values: &[&str]) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.iter().copied())).build()
}

/// R4: `status` of `GET /api/v1/inquiries`.
pub(crate) const INQUIRY_STATUSES: &[&str] = &["awaiting_developer", "awaiting_customer", "awaiting_store", "closed"];
/// R1: `category` of `GET /api/v1/inquiries`.
pub(crate) const CATEGORIES: &[&str] = &["question", "maintenance", "error_report", "refund", "other"];
/// R8: `status` of `GET /api/v1/cancellation-requests`.
pub(crate) const REQUEST_STATUSES: &[&str] = &["open", "approved", "rejected"];
/// R16: `status` of `GET /api/v1/outbox`.
pub(crate) const MAIL_STATUSES: &[&str] = &["pending", "sent", "failed"];
/// R15: `status` of `GET /api/v1/inbound`.
pub(crate) const INBOUND_LISTS: &[&str] = &["waiting", "all"];
/// R10: `sort` of an app's public reviews.
pub(crate) const REVIEW_SORTS: &[&str] = &["newest", "oldest", "rating_high", "rating_low"];
/// R11: `sort` of the developers' review inbox.
pub(crate) const INBOX_SORTS: &[&str] = &["unanswered", "newest", "oldest", "rating_high", "rating_low"];
/// `lang` of reviews.
pub(crate) const LANGS: &[&str] = &["ko", "en"];
/// `true` / `false` filters, sent as those words.
pub(crate) const YES_NO: &[&str] = &["true", "false"];

/// `status` of `GET /api/v1/inquiries`.
pub(crate) fn inquiry_status() -> Object {
    words(INQUIRY_STATUSES)
}

/// `action` of `GET /api/v1/audit`: one of the actions the audit log writes (R14).
pub(crate) fn audit_action() -> Object {
    words(&vocdesk_domain::audit::ACTIONS)
}

/// `category` of `GET /api/v1/inquiries`.
pub(crate) fn category() -> Object {
    words(CATEGORIES)
}

/// `status` of `GET /api/v1/cancellation-requests`.
pub(crate) fn request_status() -> Object {
    words(REQUEST_STATUSES)
}

/// `status` of `GET /api/v1/outbox`.
pub(crate) fn mail_status() -> Object {
    words(MAIL_STATUSES)
}

/// `status` of `GET /api/v1/inbound`.
pub(crate) fn inbound_list() -> Object {
    words(INBOUND_LISTS)
}

/// `sort` of public reviews.
pub(crate) fn review_sort() -> Object {
    words(REVIEW_SORTS)
}

/// `sort` of the review inbox.
pub(crate) fn inbox_sort() -> Object {
    words(INBOX_SORTS)
}

/// `lang` of public reviews.
pub(crate) fn lang() -> Object {
    words(LANGS)
}

/// A `true` / `false` filter.
pub(crate) fn yes_no() -> Object {
    words(YES_NO)
}

/// R10: `rating`: one star count or several, comma-separated.
pub(crate) fn stars() -> Object {
    ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[1-5](,[1-5])*$")).examples(["1,2"]).build()
}

/// `cursor`: the `next_cursor` of the previous page, as it came (URL-safe base64).
pub(crate) fn cursor() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[A-Za-z0-9_-]+$"))
        .examples([vocdesk_domain::page::Cursor { key: 1_767_225_600_000, id: "0".to_owned() }.encode()])
        .build()
}

#[cfg(test)]
mod tests {
    use vocdesk_domain::inquiry::{Category, InquiryStatus};
    use vocdesk_domain::locale::Locale;
    use vocdesk_domain::outbox::MailStatus;
    use vocdesk_domain::refund::RequestStatus;
    use vocdesk_domain::review::{InboxSort, ReviewSort};

    use super::*;

    #[test]
    fn item20_every_word_the_document_offers_is_one_the_api_parses() {
        assert!(INQUIRY_STATUSES.iter().all(|w| InquiryStatus::parse(w).is_some()));
        assert_eq!(INQUIRY_STATUSES.len(), InquiryStatus::ALL.len());
        assert!(CATEGORIES.iter().all(|w| Category::parse(w).is_some()));
        assert_eq!(CATEGORIES.len(), Category::ALL.len());
        assert!(REQUEST_STATUSES.iter().all(|w| RequestStatus::parse(w).is_some()));
        assert_eq!(REQUEST_STATUSES.len(), RequestStatus::ALL.len());
        assert!(MAIL_STATUSES.iter().all(|w| MailStatus::parse(w).is_some()));
        assert!(REVIEW_SORTS.iter().all(|w| ReviewSort::parse(w).is_some()));
        assert!(INBOX_SORTS.iter().all(|w| InboxSort::parse(w).is_some()));
        assert!(LANGS.iter().all(|w| Locale::parse(w).is_some()));
        assert_eq!(LANGS.len(), Locale::ALL.len());
        assert!(YES_NO.iter().all(|w| crate::api::inquiries::parse_bool(w).is_some()));
    }
}
