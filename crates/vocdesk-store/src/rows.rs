//! Rows as both engines return them, and their conversion into domain types. Decoding
//! is generic over the engine, so it is written once.

use jiff::Timestamp;
use vocdesk_domain::account::{Seller, User};
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, RatingSummary};
use vocdesk_domain::ids::{
    AppId, AttachmentId, AuditId, CancellationRequestId, InquiryId, ItemId, MessageId, OutboxId, PurchaseId, SellerId,
    UserId,
};
use vocdesk_domain::inquiry::{Category, Inquiry, InquiryStatus, Message, Side, inbox_rank};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::money::{Currency, Money};
use vocdesk_domain::outbox::{MailKind, MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::Cursor;
use vocdesk_domain::purchase::{PaymentIds, Purchase, PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{CancellationRequest, RequestStatus};
use vocdesk_domain::role::Role;

use crate::StoreError;

/// Epoch milliseconds, the stored form of every time.
pub(crate) fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

pub(crate) fn timestamp(ms: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_millisecond(ms).map_err(|_| StoreError::Corrupt(format!("time {ms} out of range")))
}

fn currency(code: &str) -> Result<Currency, StoreError> {
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

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    seller_id: Option<String>,
    customer_no: Option<String>,
    locale: String,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(User {
            id: UserId(row.id),
            email: row.email,
            display_name: row.display_name,
            role: Role::parse(&row.role).ok_or_else(|| StoreError::Corrupt(format!("role {:?}", row.role)))?,
            seller_id: row.seller_id.map(SellerId),
            customer_no: row.customer_no,
            locale: Locale::parse(&row.locale).unwrap_or_default(),
            created_at: timestamp(row.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SellerRow {
    id: String,
    name: String,
    support_email: String,
}

impl From<SellerRow> for Seller {
    fn from(row: SellerRow) -> Self {
        Seller { id: SellerId(row.id), name: row.name, support_email: row.support_email }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AppRow {
    id: String,
    seller_id: String,
    seller_name: String,
    title: String,
    summary: String,
    price_minor: Option<i64>,
    currency: Option<String>,
    rating_1: i64,
    rating_2: i64,
    rating_3: i64,
    rating_4: i64,
    rating_5: i64,
    created_at: i64,
}

impl TryFrom<AppRow> for App {
    type Error = StoreError;

    fn try_from(row: AppRow) -> Result<Self, Self::Error> {
        let price = match (row.price_minor, row.currency) {
            (Some(amount_minor), Some(code)) => Some(Money { amount_minor, currency: currency(&code)? }),
            _ => None,
        };
        Ok(App {
            id: AppId(row.id),
            seller_id: SellerId(row.seller_id),
            seller_name: row.seller_name,
            title: row.title,
            summary: row.summary,
            price,
            rating: RatingSummary::from_histogram([
                row.rating_1,
                row.rating_2,
                row.rating_3,
                row.rating_4,
                row.rating_5,
            ]),
            created_at: timestamp(row.created_at)?,
        })
    }
}

pub(crate) fn app_cursor(app: &App) -> Cursor {
    Cursor { key: millis(app.created_at), id: app.id.0.clone() }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    id: String,
    app_id: String,
    title: String,
    price_minor: i64,
    currency: String,
}

impl TryFrom<ItemRow> for Item {
    type Error = StoreError;

    fn try_from(row: ItemRow) -> Result<Self, Self::Error> {
        Ok(Item {
            id: ItemId(row.id),
            app_id: AppId(row.app_id),
            title: row.title,
            price: Money { amount_minor: row.price_minor, currency: currency(&row.currency)? },
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct PurchaseRow {
    id: String,
    tid: String,
    txid: Option<String>,
    receipt_no: Option<String>,
    customer_id: String,
    app_id: String,
    item_id: Option<String>,
    amount_minor: i64,
    currency: String,
    purchased_at: i64,
    status: String,
    cancelled_at: Option<i64>,
    seller_id: String,
    app_title: String,
    item_title: Option<String>,
}

impl TryFrom<PurchaseRow> for PurchaseView {
    type Error = StoreError;

    fn try_from(row: PurchaseRow) -> Result<Self, Self::Error> {
        Ok(PurchaseView {
            purchase: Purchase {
                id: PurchaseId(row.id),
                customer_id: UserId(row.customer_id),
                app_id: AppId(row.app_id),
                item_id: row.item_id.map(ItemId),
                amount: Money { amount_minor: row.amount_minor, currency: currency(&row.currency)? },
                purchased_at: timestamp(row.purchased_at)?,
                payment: PaymentIds { tid: row.tid, txid: row.txid, receipt_no: row.receipt_no },
                status: PurchaseStatus::parse(&row.status)
                    .ok_or_else(|| StoreError::Corrupt(format!("purchase status {:?}", row.status)))?,
                cancelled_at: row.cancelled_at.map(timestamp).transpose()?,
            },
            seller_id: SellerId(row.seller_id),
            app_title: row.app_title,
            item_title: row.item_title,
        })
    }
}

pub(crate) fn purchase_cursor(view: &PurchaseView) -> Cursor {
    Cursor { key: millis(view.purchase.purchased_at), id: view.purchase.id.0.clone() }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: String,
    at: i64,
    actor_user_id: Option<String>,
    actor_role: Option<String>,
    actor_label: Option<String>,
    channel: String,
    action: String,
    subject_type: String,
    subject_id: String,
    detail: String,
}

impl TryFrom<AuditRow> for AuditRecord {
    type Error = StoreError;

    fn try_from(row: AuditRow) -> Result<Self, Self::Error> {
        Ok(AuditRecord {
            id: AuditId(row.id),
            at: timestamp(row.at)?,
            entry: AuditEntry {
                actor: AuditActor {
                    user_id: row.actor_user_id.map(UserId),
                    role: row.actor_role.as_deref().and_then(Role::parse),
                    label: row.actor_label,
                },
                channel: Channel::parse(&row.channel)
                    .ok_or_else(|| StoreError::Corrupt(format!("channel {:?}", row.channel)))?,
                action: row.action,
                subject_type: row.subject_type,
                subject_id: row.subject_id,
                detail: row.detail,
            },
        })
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

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn channel(value: &str) -> Result<Channel, StoreError> {
    Channel::parse(value).ok_or_else(|| corrupt("channel", value))
}

fn optional_time(ms: Option<i64>) -> Result<Option<Timestamp>, StoreError> {
    ms.map(timestamp).transpose()
}

/// Columns of an inquiry joined with the names lists show, for `concat!`.
#[derive(sqlx::FromRow)]
pub(crate) struct InquiryRow {
    id: String,
    app_id: String,
    app_title: String,
    seller_id: String,
    seller_name: String,
    customer_id: String,
    customer_name: String,
    purchase_id: Option<String>,
    category: String,
    subject: String,
    status: String,
    awaiting_since: Option<i64>,
    channel: String,
    consent_personal_info: bool,
    consent_at: Option<i64>,
    message_count: i64,
    created_at: i64,
    first_response_at: Option<i64>,
    last_activity_at: i64,
    closed_at: Option<i64>,
}

impl TryFrom<InquiryRow> for Inquiry {
    type Error = StoreError;

    fn try_from(row: InquiryRow) -> Result<Self, Self::Error> {
        Ok(Inquiry {
            id: InquiryId(row.id),
            app_id: AppId(row.app_id),
            app_title: row.app_title,
            seller_id: SellerId(row.seller_id),
            seller_name: row.seller_name,
            customer_id: UserId(row.customer_id),
            customer_name: row.customer_name,
            purchase_id: row.purchase_id.map(PurchaseId),
            category: Category::parse(&row.category).ok_or_else(|| corrupt("category", &row.category))?,
            subject: row.subject,
            status: InquiryStatus::parse(&row.status).ok_or_else(|| corrupt("status", &row.status))?,
            awaiting_since: optional_time(row.awaiting_since)?,
            channel: channel(&row.channel)?,
            consent_personal_info: row.consent_personal_info,
            consent_at: optional_time(row.consent_at)?,
            message_count: row.message_count,
            created_at: timestamp(row.created_at)?,
            first_response_at: optional_time(row.first_response_at)?,
            last_activity_at: timestamp(row.last_activity_at)?,
            closed_at: optional_time(row.closed_at)?,
        })
    }
}

/// Inbox order: the stored rank, recomputed from the row's own fields.
pub(crate) fn inbox_cursor(inquiry: &Inquiry) -> Cursor {
    Cursor { key: inbox_rank(&inquiry.state(), inquiry.last_activity_at), id: inquiry.id.0.clone() }
}

/// A customer's own list: most recently active first.
pub(crate) fn activity_cursor(inquiry: &Inquiry) -> Cursor {
    Cursor { key: millis(inquiry.last_activity_at), id: inquiry.id.0.clone() }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MessageRow {
    id: String,
    seq: i64,
    author_id: String,
    author_name: String,
    side: String,
    channel: String,
    body: String,
    created_at: i64,
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;

    fn try_from(row: MessageRow) -> Result<Self, Self::Error> {
        Ok(Message {
            id: MessageId(row.id),
            seq: row.seq,
            author_id: UserId(row.author_id),
            author_name: row.author_name,
            side: Side::parse(&row.side).ok_or_else(|| corrupt("side", &row.side))?,
            channel: channel(&row.channel)?,
            body: row.body,
            attachments: Vec::new(),
            created_at: timestamp(row.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AttachmentRow {
    pub(crate) message_id: String,
    id: String,
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
}

impl From<AttachmentRow> for AttachmentMeta {
    fn from(row: AttachmentRow) -> Self {
        AttachmentMeta {
            id: AttachmentId(row.id),
            filename: row.filename,
            content_type: row.content_type,
            size: row.size,
            sha256: row.sha256,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: String,
    kind: String,
    to_user_id: Option<String>,
    to_email: String,
    locale: String,
    subject: String,
    body_text: String,
    body_html: String,
    inquiry_id: Option<String>,
    status: String,
    attempts: i64,
    created_at: i64,
    sent_at: Option<i64>,
}

impl TryFrom<OutboxRow> for QueuedMail {
    type Error = StoreError;

    fn try_from(row: OutboxRow) -> Result<Self, Self::Error> {
        Ok(QueuedMail {
            id: OutboxId(row.id),
            mail: OutgoingMail {
                kind: MailKind::parse(&row.kind).ok_or_else(|| corrupt("mail kind", &row.kind))?,
                to_user: row.to_user_id.map(UserId),
                to_email: row.to_email,
                locale: Locale::parse(&row.locale).unwrap_or_default(),
                subject: row.subject,
                body_text: row.body_text,
                body_html: row.body_html,
                inquiry_id: row.inquiry_id.map(InquiryId),
            },
            status: MailStatus::parse(&row.status).ok_or_else(|| corrupt("mail status", &row.status))?,
            attempts: row.attempts,
            created_at: timestamp(row.created_at)?,
            sent_at: optional_time(row.sent_at)?,
        })
    }
}

pub(crate) fn outbox_cursor(mail: &QueuedMail) -> Cursor {
    Cursor { key: millis(mail.created_at), id: mail.id.0.clone() }
}

/// A cancellation request joined with the names lists show (R8): see `request_select!`.
#[derive(sqlx::FromRow)]
pub(crate) struct RequestRow {
    id: String,
    purchase_id: String,
    inquiry_id: String,
    inquiry_subject: String,
    seller_id: String,
    seller_name: String,
    app_id: String,
    app_title: String,
    item_title: Option<String>,
    customer_id: String,
    customer_name: String,
    requested_by: String,
    requested_by_name: String,
    channel: String,
    reason: String,
    status: String,
    decided_by: Option<String>,
    decided_by_name: Option<String>,
    decision_note: Option<String>,
    decided_at: Option<i64>,
    created_at: i64,
}

impl TryFrom<RequestRow> for CancellationRequest {
    type Error = StoreError;

    fn try_from(row: RequestRow) -> Result<Self, Self::Error> {
        Ok(CancellationRequest {
            id: CancellationRequestId(row.id),
            purchase_id: PurchaseId(row.purchase_id),
            inquiry_id: InquiryId(row.inquiry_id),
            inquiry_subject: row.inquiry_subject,
            seller_id: SellerId(row.seller_id),
            seller_name: row.seller_name,
            app_id: AppId(row.app_id),
            app_title: row.app_title,
            item_title: row.item_title,
            customer_id: UserId(row.customer_id),
            customer_name: row.customer_name,
            requested_by: UserId(row.requested_by),
            requested_by_name: row.requested_by_name,
            channel: channel(&row.channel)?,
            reason: row.reason,
            status: RequestStatus::parse(&row.status).ok_or_else(|| corrupt("request status", &row.status))?,
            decided_by: row.decided_by.map(UserId),
            decided_by_name: row.decided_by_name,
            decision_note: row.decision_note,
            decided_at: optional_time(row.decided_at)?,
            created_at: timestamp(row.created_at)?,
        })
    }
}

/// The operator's queue: oldest first, by submission time and id.
pub(crate) fn request_cursor(request: &CancellationRequest) -> Cursor {
    Cursor { key: millis(request.created_at), id: request.id.0.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

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
