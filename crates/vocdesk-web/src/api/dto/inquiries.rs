//! The JSON shapes of inquiries (R1-R5) and the outbox (R3).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inquiry::{AppInquiryCounts, Inquiry, Message, Thread};
use vocdesk_domain::outbox::QueuedMail;
use vocdesk_domain::refund::CancellationRequest;

use super::*;

/// R1: one inquiry, with the R4 status and the R5 response-limit facts computed for
/// "now". Lists show it alone; read alone it also carries its `messages`.
#[derive(Debug, Serialize, ToSchema)]
pub struct InquiryDto {
    /// Opaque id.
    pub id: String,
    /// The app asked about.
    pub app_id: String,
    /// Its title.
    pub app_title: String,
    /// The app's seller, whose developers answer.
    pub seller_id: String,
    /// The seller's name.
    pub seller_name: String,
    /// Who asked.
    pub customer_id: String,
    /// Their display name.
    pub customer_name: String,
    /// The customer's own purchase of this app the inquiry is about, if any.
    pub purchase_id: Option<String>,
    /// `question`, `maintenance`, `error_report`, `refund` or `other`.
    pub category: String,
    /// Subject, exactly as written (clients escape it when they show it).
    pub subject: String,
    /// R4: `awaiting_developer`, `awaiting_customer`, `awaiting_store` (R17) or `closed`.
    pub status: String,
    /// R2: `store`, `email`, `phone` or `api`.
    pub channel: String,
    /// R7: the customer agreed to share personal information on this inquiry.
    pub consent_personal_info: bool,
    /// R7: when the customer last gave or withdrew that consent; `null` when no time
    /// was recorded.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub consent_at: Option<Timestamp>,
    /// Messages so far.
    pub message_count: i64,
    /// When it was asked.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When a developer first answered.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub first_response_at: Option<Timestamp>,
    /// The last message or status change.
    #[schema(value_type = String, format = DateTime)]
    pub last_activity_at: Timestamp,
    /// When it was closed, while it is.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// R5: the time of the customer's oldest unanswered message; set exactly while the
    /// status is `awaiting_developer`.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub awaiting_since: Option<Timestamp>,
    /// R5: `awaiting_since` plus the response limit (72 hours unless configured);
    /// `null` when no answer is owed.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<Timestamp>,
    /// R5: whether the customer has waited longer than the response limit.
    pub overdue: bool,
    /// R5: seconds until `due_at`, negative once overdue; `null` when no answer is owed.
    pub seconds_left: Option<i64>,
}

impl InquiryDto {
    /// The inquiry as seen at `now`, with R5's `limit`.
    pub fn new(inquiry: &Inquiry, now: Timestamp, limit: SignedDuration) -> Self {
        let state = inquiry.state();
        let due_at = state.due_at(limit);
        Self {
            id: inquiry.id.0.clone(),
            app_id: inquiry.app_id.0.clone(),
            app_title: inquiry.app_title.clone(),
            seller_id: inquiry.seller_id.0.clone(),
            seller_name: inquiry.seller_name.clone(),
            customer_id: inquiry.customer_id.0.clone(),
            customer_name: inquiry.customer_name.clone(),
            purchase_id: inquiry.purchase_id.as_ref().map(|p| p.0.clone()),
            category: inquiry.category.as_str().to_owned(),
            subject: inquiry.subject.clone(),
            status: inquiry.status.as_str().to_owned(),
            channel: inquiry.channel.as_str().to_owned(),
            consent_personal_info: inquiry.consent_personal_info,
            consent_at: inquiry.consent_at,
            message_count: inquiry.message_count,
            created_at: inquiry.created_at,
            first_response_at: inquiry.first_response_at,
            last_activity_at: inquiry.last_activity_at,
            closed_at: inquiry.closed_at,
            awaiting_since: inquiry.awaiting_since,
            due_at,
            overdue: state.is_overdue(now, limit),
            seconds_left: due_at.map(|due| due.duration_since(now).as_secs()),
        }
    }
}

/// A file attached to a message. Download it from `url` (the thread's parties and
/// operators only); it is always served as an attachment, never rendered.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    /// Opaque id.
    pub id: String,
    /// The name it was uploaded with (path parts removed).
    pub filename: String,
    /// The type sniffed from its bytes, never the one the client declared.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// Where to download it: `/api/v1/inquiries/{id}/attachments/{attachment_id}`.
    pub url: String,
}

impl AttachmentDto {
    /// A file of inquiry `inquiry_id`.
    pub fn new(inquiry_id: &InquiryId, meta: &AttachmentMeta) -> Self {
        Self {
            id: meta.id.0.clone(),
            filename: meta.filename.clone(),
            content_type: meta.content_type.clone(),
            size: meta.size,
            url: format!("/api/v1/inquiries/{}/attachments/{}", inquiry_id.0, meta.id.0),
        }
    }
}

/// One message of a thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageDto {
    /// Opaque id.
    pub id: String,
    /// Position in the thread, from 1.
    pub seq: i64,
    /// Who wrote it.
    pub author_id: String,
    /// Their display name.
    pub author_name: String,
    /// `customer` or `developer`.
    pub side: String,
    /// R2: through which channel it arrived.
    pub channel: String,
    /// The text, exactly as written.
    pub body: String,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Its files, in the order they were sent.
    pub attachments: Vec<AttachmentDto>,
}

impl MessageDto {
    /// A message of inquiry `inquiry_id`.
    pub fn new(inquiry_id: &InquiryId, message: &Message) -> Self {
        Self {
            id: message.id.0.clone(),
            seq: message.seq,
            author_id: message.author_id.0.clone(),
            author_name: message.author_name.clone(),
            side: message.side.as_str().to_owned(),
            channel: message.channel.as_str().to_owned(),
            body: message.body.clone(),
            created_at: message.created_at,
            attachments: message.attachments.iter().map(|a| AttachmentDto::new(inquiry_id, a)).collect(),
        }
    }
}

/// R1: an inquiry read alone: its fields and its messages, oldest first, and (R8) the
/// purchase-cancellation requests submitted from it, so that the thread shows how its
/// refund stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadDto {
    /// The inquiry.
    #[serde(flatten)]
    pub inquiry: InquiryDto,
    /// Its messages in order (`seq` 1, 2, ...).
    pub messages: Vec<MessageDto>,
    /// R8/R9/R17: the cancellation requests about it (filed from it, or on its
    /// purchase), oldest first.
    pub cancellation_requests: Vec<CancellationRequestDto>,
}

impl ThreadDto {
    /// The thread as seen at `now`, with R5's `limit`, without requests (a new thread
    /// has none; [`ThreadDto::with_requests`] adds them).
    pub fn new(thread: &Thread, now: Timestamp, limit: SignedDuration) -> Self {
        let id = &thread.inquiry.id;
        Self {
            inquiry: InquiryDto::new(&thread.inquiry, now, limit),
            messages: thread.messages.iter().map(|m| MessageDto::new(id, m)).collect(),
            cancellation_requests: Vec::new(),
        }
    }

    /// The same thread with the R8 cancellation requests about it (R17: those on its
    /// purchase too), as `for_customer` (its customer, R17) or its staff read them.
    pub fn with_requests(mut self, requests: &[CancellationRequest], for_customer: bool) -> Self {
        self.cancellation_requests =
            requests
                .iter()
                .map(|r| {
                    if for_customer { CancellationRequestDto::for_customer(r) } else { CancellationRequestDto::from(r) }
                })
                .collect();
        self
    }
}

/// `POST /api/v1/inquiries/{id}/messages`: the inquiry after the message, and the
/// message as stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyDto {
    /// The inquiry with its new status.
    pub inquiry: InquiryDto,
    /// The message.
    pub message: MessageDto,
}

/// `POST /api/v1/apps/{app_id}/inquiries` (R1). Send it as the JSON body, or as the
/// `payload` part of a `multipart/form-data` body whose other parts are files.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInquiryRequest {
    /// `question`, `maintenance`, `error_report`, `refund` or `other`.
    pub category: String,
    /// One line, at most 200 characters.
    pub subject: String,
    /// The first message, at most 20,000 characters.
    pub body: String,
    /// One of the customer's own purchases of this app.
    pub purchase_id: Option<String>,
    /// R7: consent to share personal information (payment ids) with the developer.
    #[serde(default)]
    pub consent_personal_info: bool,
}

/// `POST /api/v1/inquiries/{id}/messages`, as JSON or as the multipart `payload` part.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// The text, at most 20,000 characters.
    pub body: String,
}

/// A request with files: `multipart/form-data` whose `payload` part holds the JSON
/// document and whose other parts (with a filename) are up to 5 files of at most
/// 10 MB each: PNG, JPEG, GIF or WebP images, PDF, ZIP or gzip archives, or UTF-8 text.
#[derive(Debug, ToSchema)]
pub struct MultipartSubmission {
    /// The JSON document (`CreateInquiryRequest` or `ReplyRequest`).
    pub payload: String,
    /// The files, in order.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

/// `GET /api/v1/inquiries` filters and paging. Unknown words are a 400 naming the field.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InquiryListParams {
    /// `awaiting_developer`, `awaiting_customer`, `awaiting_store` (R17) or `closed`.
    #[param(schema_with = super::params::inquiry_status)]
    pub status: Option<String>,
    /// Only this app's inquiries.
    pub app_id: Option<String>,
    /// `question`, `maintenance`, `error_report`, `refund` or `other`.
    #[param(schema_with = super::params::category)]
    pub category: Option<String>,
    /// R5: `true` only those past the response limit, `false` only those not past it.
    #[param(schema_with = super::params::yes_no)]
    pub overdue: Option<String>,
    /// Operators: only this seller's inquiries. A developer may name only their own.
    pub seller_id: Option<String>,
    /// Only inquiries with every word of this search in their subject, conversation,
    /// customer name or number, or purchase ids (Korean words of two syllables and up).
    #[param(example = "환불")]
    pub q: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}

/// `GET /api/v1/inquiries/counts`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InquiryCountsParams {
    /// The seller; required for operators, a developer's own seller otherwise.
    pub seller_id: Option<String>,
}

/// Unanswered and overdue inquiries of one app (the inbox and dashboard badges).
#[derive(Debug, Serialize, ToSchema)]
pub struct AppInquiryCountsDto {
    /// The app's id (as every object carries an `id`).
    pub id: String,
    /// The app's id.
    pub app_id: String,
    /// Its title.
    pub app_title: String,
    /// Inquiries awaiting a developer reply.
    pub unanswered: i64,
    /// Of those, past R5's response limit.
    pub overdue: i64,
}

impl From<&AppInquiryCounts> for AppInquiryCountsDto {
    fn from(counts: &AppInquiryCounts) -> Self {
        Self {
            id: counts.app_id.0.clone(),
            app_id: counts.app_id.0.clone(),
            app_title: counts.app_title.clone(),
            unanswered: counts.unanswered,
            overdue: counts.overdue,
        }
    }
}

/// Per-app counts of one seller, every app of the seller listed (zeros included).
#[derive(Debug, Serialize, ToSchema)]
pub struct InquiryCountsDto {
    /// One row per app, by title.
    pub items: Vec<AppInquiryCountsDto>,
}

// ----- outbox (R3) -----

/// A queued notification mail (R3), as operators check it until delivery exists.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxDto {
    /// Opaque id.
    pub id: String,
    /// `inquiry_created`, `customer_follow_up` or `developer_reply`.
    pub kind: String,
    /// The address.
    pub to_email: String,
    /// The recipient's account, when it is one.
    pub to_user_id: Option<String>,
    /// The language it is written in (`ko` or `en`).
    pub locale: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body (user text escaped).
    pub body_html: String,
    /// The thread it is about.
    pub inquiry_id: Option<String>,
    /// `pending`, `sent` or `failed`.
    pub status: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// When it was queued.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When it was handed to the mail server.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub sent_at: Option<Timestamp>,
    /// R16: why the last attempt failed (the mail server's reply).
    pub last_error: Option<String>,
}

impl From<&QueuedMail> for OutboxDto {
    fn from(queued: &QueuedMail) -> Self {
        let mail = &queued.mail;
        Self {
            id: queued.id.0.clone(),
            kind: mail.kind.as_str().to_owned(),
            to_email: mail.to_email.clone(),
            to_user_id: mail.to_user.as_ref().map(|u| u.0.clone()),
            locale: mail.locale.tag().to_owned(),
            subject: mail.subject.clone(),
            body_text: mail.body_text.clone(),
            body_html: mail.body_html.clone(),
            inquiry_id: mail.inquiry_id.as_ref().map(|i| i.0.clone()),
            status: queued.status.as_str().to_owned(),
            attempts: queued.attempts,
            created_at: queued.created_at,
            sent_at: queued.sent_at,
            last_error: queued.last_error.clone(),
        }
    }
}

/// `GET /api/v1/outbox` filters and paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxParams {
    /// `pending`, `sent` or `failed`.
    #[param(schema_with = super::params::mail_status)]
    pub status: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}
