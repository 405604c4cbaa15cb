//! Rows as both engines return them, and their conversion into domain types. Decoding
//! is generic over the engine, so it is written once.

mod ledger;
mod reviews;
mod standing;
mod threads;

pub(crate) use ledger::*;
pub(crate) use reviews::*;
pub(crate) use standing::*;
pub(crate) use threads::*;

use jiff::Timestamp;
use vocdesk_domain::audit::{AuditEntry, AuditRecord, Channel};
use vocdesk_domain::money::Currency;
use vocdesk_domain::page::Cursor;

use crate::StoreError;

/// Epoch milliseconds, the stored form of every time.
pub(crate) fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

pub(crate) fn timestamp(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(ms).map_err(|_| StoreError::Corrupt(format!("time {ms} out of range")))
}

pub(super) fn currency(code: &str) -> Result<Currency, StoreError> {
    Currency::parse("currency", code).map_err(|_| StoreError::Corrupt(format!("currency {code:?}")))
}

/// The position just before the first row of an oldest-first list: every real key and
/// id sorts above it.
pub(crate) fn start_of_ascending(after: Option<&Cursor>) -> (i64, String) {
    match after {
        Some(cursor) => (cursor.key, cursor.id.clone()),
        None => (i64::MIN, String::new()),
    }
}

/// The position just before the first row of a newest-first list: every real key and
/// id sorts below it (ids are UUIDs, and `~` sorts after every character they use).
pub(crate) fn start_of_descending(after: Option<&Cursor>) -> (i64, String) {
    match after {
        Some(cursor) => (cursor.key, cursor.id.clone()),
        None => (i64::MAX, "~".to_owned()),
    }
}

pub(crate) fn audit_cursor(record: &AuditRecord) -> Cursor {
    Cursor { key: millis(record.at), id: record.id.0.clone() }
}

/// R14: the inquiry and the purchase an audit entry belongs to, so that the operator
/// can read everything that happened to one of them (`audit_log.inquiry_id` /
/// `purchase_id`): the subject itself when it is one, otherwise the `inquiry_id` /
/// `purchase_id` strings of the entry's JSON detail (a detail that is not a JSON object
/// names neither).
pub(crate) fn audit_links(entry: &AuditEntry) -> (Option<String>, Option<String>) {
    let detail = serde_json::from_str::<serde_json::Value>(&entry.detail).ok();
    let named = |key: &str| {
        detail.as_ref().and_then(|d| d.as_object()).and_then(|o| o.get(key)).and_then(|v| v.as_str()).map(str::to_owned)
    };
    let link = |subject_type: &str, key: &str| {
        if entry.subject_type == subject_type && !entry.subject_id.is_empty() {
            Some(entry.subject_id.clone())
        } else {
            named(key)
        }
    };
    (link("inquiry", "inquiry_id"), link("purchase", "purchase_id"))
}

/// Converts a list of rows, failing on the first that does not decode.
pub(crate) fn convert<R, T>(rows: Vec<R>) -> Result<Vec<T>, StoreError>
where
    T: TryFrom<R, Error = StoreError>,
{
    rows.into_iter().map(T::try_from).collect()
}

pub(super) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

pub(super) fn channel(value: &str) -> Result<Channel, StoreError> {
    Channel::parse(value).ok_or_else(|| corrupt("channel", value))
}

pub(crate) fn optional_time(ms: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
    ms.map(timestamp).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocdesk_domain::audit::AuditActor;

    fn entry(subject_type: &str, subject_id: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            actor: AuditActor::system("test"),
            channel: Channel::System,
            action: "x.y".to_owned(),
            subject_type: subject_type.to_owned(),
            subject_id: subject_id.to_owned(),
            detail: detail.to_owned(),
        }
    }

    #[test]
    fn r14_audit_entries_are_linked_to_their_inquiry_and_purchase() {
        let both = r#"{"inquiry_id": "i9", "purchase_id": "p9"}"#;
        assert_eq!(audit_links(&entry("inquiry", "i1", both)), (Some("i1".into()), Some("p9".into())));
        assert_eq!(audit_links(&entry("purchase", "p1", both)), (Some("i9".into()), Some("p1".into())));
        assert_eq!(audit_links(&entry("cancellation_request", "r1", both)), (Some("i9".into()), Some("p9".into())));
        assert_eq!(audit_links(&entry("user", "u1", "{}")), (None, None));
        // Not an object, not JSON, or not a string: nothing named.
        assert_eq!(audit_links(&entry("user", "u1", r#"["inquiry_id"]"#)), (None, None));
        assert_eq!(audit_links(&entry("user", "u1", "inquiry_id")), (None, None));
        assert_eq!(audit_links(&entry("user", "u1", r#"{"inquiry_id": 7, "purchase_id": null}"#)), (None, None));
    }
}
