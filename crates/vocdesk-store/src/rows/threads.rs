//! Rows of the conversations: inquiries, messages, attachments, outbox mail, cancellation requests.

use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::ids::{
    AppId, AttachmentId, CancellationRequestId, InquiryId, MessageId, OutboxId, PurchaseId, SellerId, UserId,
};
use vocdesk_domain::inquiry::{Category, Inquiry, InquiryStatus, Message, Side, inbox_rank};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::Cursor;
use vocdesk_domain::refund::{CancellationRequest, RequestStatus};

use super::{channel, corrupt, millis, optional_time, timestamp};
use crate::db::{FromRow, Row};
use crate::{StoreError, StoreResult};

/// Epoch milliseconds, the stored form of every time.
/// Columns of an inquiry joined with the names lists show.
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
    consent_recorded_by: Option<String>,
    consent_recorded_by_name: Option<String>,
}

impl FromRow for InquiryRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            app_id: row.get("app_id")?,
            app_title: row.get("app_title")?,
            seller_id: row.get("seller_id")?,
            seller_name: row.get("seller_name")?,
            customer_id: row.get("customer_id")?,
            customer_name: row.get("customer_name")?,
            purchase_id: row.get("purchase_id")?,
            category: row.get("category")?,
            subject: row.get("subject")?,
            status: row.get("status")?,
            awaiting_since: row.get("awaiting_since")?,
            channel: row.get("channel")?,
            consent_personal_info: row.get("consent_personal_info")?,
            consent_at: row.get("consent_at")?,
            message_count: row.get("message_count")?,
            created_at: row.get("created_at")?,
            first_response_at: row.get("first_response_at")?,
            last_activity_at: row.get("last_activity_at")?,
            closed_at: row.get("closed_at")?,
            consent_recorded_by: row.get("consent_recorded_by")?,
            consent_recorded_by_name: row.get("consent_recorded_by_name")?,
        })
    }
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
            consent_recorded_by: row.consent_recorded_by.map(UserId),
            consent_recorded_by_name: row.consent_recorded_by_name,
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

impl FromRow for MessageRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            seq: row.get("seq")?,
            author_id: row.get("author_id")?,
            author_name: row.get("author_name")?,
            side: row.get("side")?,
            channel: row.get("channel")?,
            body: row.get("body")?,
            created_at: row.get("created_at")?,
        })
    }
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

pub(crate) struct AttachmentRow {
    pub(crate) message_id: String,
    id: String,
    filename: String,
    content_type: String,
    size: i64,
    sha256: String,
}

impl FromRow for AttachmentRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            message_id: row.get("message_id")?,
            id: row.get("id")?,
            filename: row.get("filename")?,
            content_type: row.get("content_type")?,
            size: row.get("size")?,
            sha256: row.get("sha256")?,
        })
    }
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
    last_error: Option<String>,
    window_from: i64,
}

impl FromRow for OutboxRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            kind: row.get("kind")?,
            to_user_id: row.get("to_user_id")?,
            to_email: row.get("to_email")?,
            locale: row.get("locale")?,
            subject: row.get("subject")?,
            body_text: row.get("body_text")?,
            body_html: row.get("body_html")?,
            inquiry_id: row.get("inquiry_id")?,
            status: row.get("status")?,
            attempts: row.get("attempts")?,
            created_at: row.get("created_at")?,
            sent_at: row.get("sent_at")?,
            last_error: row.get("last_error")?,
            window_from: row.get("window_from")?,
        })
    }
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
            last_error: row.last_error,
            window_from: timestamp(row.window_from)?,
        })
    }
}

pub(crate) fn outbox_cursor(mail: &QueuedMail) -> Cursor {
    Cursor { key: millis(mail.created_at), id: mail.id.0.clone() }
}

/// A cancellation request joined with the names lists show (R8): see `request_select!`.
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

impl FromRow for RequestRow {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok(Self {
            id: row.get("id")?,
            purchase_id: row.get("purchase_id")?,
            inquiry_id: row.get("inquiry_id")?,
            inquiry_subject: row.get("inquiry_subject")?,
            seller_id: row.get("seller_id")?,
            seller_name: row.get("seller_name")?,
            app_id: row.get("app_id")?,
            app_title: row.get("app_title")?,
            item_title: row.get("item_title")?,
            customer_id: row.get("customer_id")?,
            customer_name: row.get("customer_name")?,
            requested_by: row.get("requested_by")?,
            requested_by_name: row.get("requested_by_name")?,
            channel: row.get("channel")?,
            reason: row.get("reason")?,
            status: row.get("status")?,
            decided_by: row.get("decided_by")?,
            decided_by_name: row.get("decided_by_name")?,
            decision_note: row.get("decision_note")?,
            decided_at: row.get("decided_at")?,
            created_at: row.get("created_at")?,
        })
    }
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
