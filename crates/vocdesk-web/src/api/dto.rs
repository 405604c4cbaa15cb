//! The JSON shapes of the API. They are separate from the domain types so that the wire
//! format changes only on purpose, and they carry the OpenAPI schema.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::account::{Seller, User};
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::AuditRecord;
use vocdesk_domain::catalog::{App, Item, RatingSummary};
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inquiry::{AppInquiryCounts, Inquiry, Message, Thread};
use vocdesk_domain::money::Money;
use vocdesk_domain::outbox::QueuedMail;
use vocdesk_domain::page::Page;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::CancellationRequest;

/// A signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    /// Opaque id.
    pub id: String,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub display_name: String,
    /// `customer`, `developer` or `operator`.
    pub role: String,
    /// The seller a developer acts for.
    pub seller_id: Option<String>,
    /// A customer's number (고객번호).
    pub customer_no: Option<String>,
    /// `ko` or `en`.
    pub locale: String,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.0.clone(),
            email: user.email.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            seller_id: user.seller_id.as_ref().map(|s| s.0.clone()),
            customer_no: user.customer_no.clone(),
            locale: user.locale.tag().to_owned(),
        }
    }
}

/// `POST /api/v1/auth/login`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Sign-in email.
    pub email: String,
    /// Password.
    pub password: String,
}

/// A new bearer token with the user it belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    /// The secret; shown once, stored only as a hash.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// When it stops working.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
    /// Who signed in.
    pub user: UserDto,
}

/// `POST /api/v1/auth/tokens`: a payment-system token for an import job.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// A name to recognise it by ("PG nightly export").
    pub label: String,
}

/// An issued payment-system token.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// The token's id.
    pub id: String,
    /// The secret; shown once.
    pub token: String,
    /// Always `payment_system`.
    pub scope: String,
    /// When it stops working.
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: Timestamp,
}

/// An amount of money.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyDto {
    /// In the currency's minor unit (won, cents).
    pub amount_minor: i64,
    /// ISO 4217 code.
    pub currency: String,
    /// Formatted for people (`₩1,200`).
    pub display: String,
}

impl From<&Money> for MoneyDto {
    fn from(money: &Money) -> Self {
        Self {
            amount_minor: money.amount_minor,
            currency: money.currency.as_str().to_owned(),
            display: money.display(),
        }
    }
}

/// R13: an app's rating summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingSummaryDto {
    /// Average of visible ratings, `null` before the first.
    pub average: Option<f64>,
    /// Number of visible ratings.
    pub count: i64,
    /// Ratings per star, one star first.
    pub histogram: [i64; 5],
}

impl From<&RatingSummary> for RatingSummaryDto {
    fn from(summary: &RatingSummary) -> Self {
        Self {
            average: summary.average().map(|a| (a * 100.0).round() / 100.0),
            count: summary.count,
            histogram: summary.histogram,
        }
    }
}

/// An app as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppDto {
    /// Opaque id.
    pub id: String,
    /// Owner.
    pub seller_id: String,
    /// Owner's name.
    pub seller_name: String,
    /// Title.
    pub title: String,
    /// Description.
    pub summary: String,
    /// Whether it costs money.
    pub is_paid: bool,
    /// Price, `null` for free apps.
    pub price: Option<MoneyDto>,
    /// R13.
    pub rating: RatingSummaryDto,
    /// Listed at.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&App> for AppDto {
    fn from(app: &App) -> Self {
        Self {
            id: app.id.0.clone(),
            seller_id: app.seller_id.0.clone(),
            seller_name: app.seller_name.clone(),
            title: app.title.clone(),
            summary: app.summary.clone(),
            is_paid: app.is_paid(),
            price: app.price.as_ref().map(MoneyDto::from),
            rating: RatingSummaryDto::from(&app.rating),
            created_at: app.created_at,
        }
    }
}

/// An in-app item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemDto {
    /// Opaque id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Price.
    pub price: MoneyDto,
}

impl From<&Item> for ItemDto {
    fn from(item: &Item) -> Self {
        Self { id: item.id.0.clone(), title: item.title.clone(), price: MoneyDto::from(&item.price) }
    }
}

/// One app with its items.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppDetailDto {
    /// The app.
    #[serde(flatten)]
    pub app: AppDto,
    /// Its in-app items.
    pub items: Vec<ItemDto>,
}

/// A purchase. Payment ids are shown in full here only to the buyer and operators;
/// developers reach purchases through inquiries, masked unless R7 consent was given.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseDto {
    /// Opaque id.
    pub id: String,
    /// The buyer.
    pub customer_id: String,
    /// The app.
    pub app_id: String,
    /// Its title.
    pub app_title: String,
    /// The app's seller.
    pub seller_id: String,
    /// The in-app item, if any.
    pub item_id: Option<String>,
    /// Its title.
    pub item_title: Option<String>,
    /// What was paid.
    pub amount: MoneyDto,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub purchased_at: Timestamp,
    /// `paid` or `cancelled`.
    pub status: String,
    /// When it was cancelled.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub cancelled_at: Option<Timestamp>,
    /// Transaction id.
    pub tid: String,
    /// Payment provider's transaction id.
    pub txid: Option<String>,
    /// Payment receipt number.
    pub receipt_no: Option<String>,
}

impl From<&PurchaseView> for PurchaseDto {
    fn from(view: &PurchaseView) -> Self {
        let p = &view.purchase;
        Self {
            id: p.id.0.clone(),
            customer_id: p.customer_id.0.clone(),
            app_id: p.app_id.0.clone(),
            app_title: view.app_title.clone(),
            seller_id: view.seller_id.0.clone(),
            item_id: p.item_id.as_ref().map(|i| i.0.clone()),
            item_title: view.item_title.clone(),
            amount: MoneyDto::from(&p.amount),
            purchased_at: p.purchased_at,
            status: p.status.as_str().to_owned(),
            cancelled_at: p.cancelled_at,
            tid: p.payment.tid.clone(),
            txid: p.payment.txid.clone(),
            receipt_no: p.payment.receipt_no.clone(),
        }
    }
}

/// `POST /api/v1/purchases`: one purchase from the payment system.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPurchaseRequest {
    /// The buyer's id; give this or `customer_no`.
    pub customer_id: Option<String>,
    /// The buyer's customer number; give this or `customer_id`.
    pub customer_no: Option<String>,
    /// The app.
    pub app_id: String,
    /// The in-app item, if one was bought.
    pub item_id: Option<String>,
    /// What was paid, in minor units (0 for a free app).
    pub amount_minor: i64,
    /// ISO 4217.
    pub currency: String,
    /// RFC 3339.
    pub purchased_at: String,
    /// Transaction id; recording is idempotent on it.
    pub tid: String,
    /// Provider transaction id.
    pub txid: Option<String>,
    /// Receipt number.
    pub receipt_no: Option<String>,
    /// `paid` (default) or `cancelled`.
    pub status: Option<String>,
}

/// A seller (developer account) as provisioning answers it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SellerDto {
    /// Opaque id; developers and apps name it as `seller_id`.
    pub id: String,
    /// The name the store shows.
    pub name: String,
    /// Where R3 notifications go when no member is addressed.
    pub support_email: String,
}

impl From<&Seller> for SellerDto {
    fn from(seller: &Seller) -> Self {
        Self { id: seller.id.0.clone(), name: seller.name.clone(), support_email: seller.support_email.clone() }
    }
}

/// `POST /api/v1/sellers`: the catalog system registers a developer account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSellerRequest {
    /// The name the store shows.
    pub name: String,
    /// Support address for R3 notifications.
    pub support_email: String,
}

/// `POST /api/v1/users`: the catalog system creates an account. Its `Debug` never
/// shows the password, so a logged request cannot leak it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// Sign-in email; stored lower-case, unique.
    pub email: String,
    /// Name shown to the other side of a conversation.
    pub display_name: String,
    /// `customer`, `developer` or `operator`.
    pub role: String,
    /// The seller a developer acts for; required for developers, refused for others.
    pub seller_id: Option<String>,
    /// A customer's number (고객번호); customers only, unique.
    pub customer_no: Option<String>,
    /// `ko` (default) or `en`: the language of the account's mail and pages.
    pub locale: Option<String>,
    /// The initial password, at least 10 characters; only its argon2 hash is stored.
    #[schema(format = Password)]
    pub password: String,
}

impl std::fmt::Debug for CreateUserRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateUserRequest")
            .field("email", &self.email)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("seller_id", &self.seller_id)
            .field("customer_no", &self.customer_no)
            .field("locale", &self.locale)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// `POST /api/v1/apps`: the catalog system lists an app. `price_minor` and `currency`
/// come together for a paid app and are both left out for a free one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAppRequest {
    /// The owning seller.
    pub seller_id: String,
    /// Title.
    pub title: String,
    /// Description; empty when left out.
    pub summary: Option<String>,
    /// Price in minor units, above zero; with `currency`.
    pub price_minor: Option<i64>,
    /// ISO 4217; with `price_minor`.
    pub currency: Option<String>,
}

/// `POST /api/v1/apps/{app_id}/items`: the catalog system adds an in-app item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateItemRequest {
    /// Title.
    pub title: String,
    /// Price in minor units, above zero.
    pub price_minor: i64,
    /// ISO 4217.
    pub currency: String,
}

/// An audit log entry (R14).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditDto {
    /// Opaque id.
    pub id: String,
    /// When.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The user who acted, if a person did.
    pub actor_user_id: Option<String>,
    /// Their role then.
    pub actor_role: Option<String>,
    /// A non-person actor (`import`, `demo`, a policy).
    pub actor_label: Option<String>,
    /// R2: `store`, `email`, `phone`, `api`, `cli`, `system`.
    pub channel: String,
    /// What happened (`purchase.recorded`).
    pub action: String,
    /// Kind of thing.
    pub subject_type: String,
    /// Its id.
    pub subject_id: String,
    /// Extra facts.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<&AuditRecord> for AuditDto {
    fn from(record: &AuditRecord) -> Self {
        let e = &record.entry;
        Self {
            id: record.id.0.clone(),
            at: record.at,
            actor_user_id: e.actor.user_id.as_ref().map(|u| u.0.clone()),
            actor_role: e.actor.role.map(|r| r.as_str().to_owned()),
            actor_label: e.actor.label.clone(),
            channel: e.channel.as_str().to_owned(),
            action: e.action.clone(),
            subject_type: e.subject_type.clone(),
            subject_id: e.subject_id.clone(),
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListDto<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> ListDto<T> {
    /// Converts a store page.
    pub fn from_page<S>(page: &Page<S>) -> Self
    where
        T: for<'a> From<&'a S>,
    {
        Self {
            items: page.items.iter().map(T::from).collect(),
            next_cursor: page.next_cursor.as_ref().map(|c| c.encode()),
        }
    }
}

/// `?limit=&cursor=` of every list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PageParams {
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// `GET /api/v1/audit` filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AuditParams {
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only entries about this kind of thing (with `subject_id`).
    pub subject_type: Option<String>,
    /// Only entries about this thing.
    pub subject_id: Option<String>,
    /// Only entries by this user.
    pub actor_id: Option<String>,
    /// Everything that happened to this inquiry: entries about it, and about the
    /// requests, reveals and cancellations made from it.
    pub inquiry_id: Option<String>,
    /// Everything that happened to this purchase (recorded, revealed, requested,
    /// cancelled).
    pub purchase_id: Option<String>,
}

/// `/healthz`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// `sqlite` or `postgresql`.
    pub store: String,
}

// ----- inquiries (R1-R5) -----

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
    /// R4: `awaiting_developer`, `awaiting_customer` or `closed`.
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
    /// R8/R9: its cancellation requests, oldest first.
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

    /// The same thread with its R8 cancellation requests.
    pub fn with_requests(mut self, requests: &[CancellationRequest]) -> Self {
        self.cancellation_requests = requests.iter().map(CancellationRequestDto::from).collect();
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
pub struct InquiryListParams {
    /// `awaiting_developer`, `awaiting_customer` or `closed`.
    pub status: Option<String>,
    /// Only this app's inquiries.
    pub app_id: Option<String>,
    /// `question`, `maintenance`, `error_report`, `refund` or `other`.
    pub category: Option<String>,
    /// R5: `true` only those past the response limit, `false` only those not past it.
    pub overdue: Option<String>,
    /// Operators: only this seller's inquiries. A developer may name only their own.
    pub seller_id: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// `GET /api/v1/inquiries/counts`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
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
        }
    }
}

/// `GET /api/v1/outbox` filters and paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct OutboxParams {
    /// `pending`, `sent` or `failed`.
    pub status: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

// ----- refunds (R5-R9) -----

/// R6/R7: a customer's purchase as a seller's developers (or an operator) see it from
/// an inquiry. The payment ids are masked (`T2026…8F3A`) in the purchase history and
/// shown in full only by the consented, audited payment-details call; the flag says
/// which this is, so no client mistakes a masked id for a real one.
#[derive(Debug, Serialize, ToSchema)]
pub struct InquiryPurchaseDto {
    /// The purchase; `tid`, `txid` and `receipt_no` masked unless `payment_ids_masked`
    /// is `false`.
    #[serde(flatten)]
    pub purchase: PurchaseDto,
    /// R7: whether `tid`, `txid` and `receipt_no` are masked.
    pub payment_ids_masked: bool,
}

impl InquiryPurchaseDto {
    /// R7: the purchase with its payment ids masked.
    pub fn masked(view: &PurchaseView) -> Self {
        let masked = view.purchase.payment.masked();
        let mut purchase = PurchaseDto::from(view);
        purchase.tid = masked.tid;
        purchase.txid = masked.txid;
        purchase.receipt_no = masked.receipt_no;
        Self { purchase, payment_ids_masked: true }
    }

    /// R7: the purchase with its payment ids in full (consented and audited).
    pub fn revealed(view: &PurchaseView) -> Self {
        Self { purchase: PurchaseDto::from(view), payment_ids_masked: false }
    }
}

/// `PUT /api/v1/inquiries/{id}/consent` (R7): the customer's consent on the inquiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentRequest {
    /// `true` to let the seller's developers see the payment ids, `false` to withdraw.
    pub consent_personal_info: bool,
}

/// R8: a purchase-cancellation (refund) request, with the names the queue shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancellationRequestDto {
    /// Opaque id.
    pub id: String,
    /// The purchase to cancel.
    pub purchase_id: String,
    /// The inquiry it was agreed in (R8) or filed as (R9).
    pub inquiry_id: String,
    /// That inquiry's subject.
    pub inquiry_subject: String,
    /// The app's seller, whose developer asked.
    pub seller_id: String,
    /// The seller's name.
    pub seller_name: String,
    /// The app bought (or the app of the item bought).
    pub app_id: String,
    /// Its title.
    pub app_title: String,
    /// The item's title, for item purchases.
    pub item_title: Option<String>,
    /// The buyer.
    pub customer_id: String,
    /// The buyer's display name.
    pub customer_name: String,
    /// The developer who submitted it.
    pub requested_by: String,
    /// Their display name.
    pub requested_by_name: String,
    /// R2: `store` or `api` (from an inquiry), `email` or `phone` (R9).
    pub channel: String,
    /// Why the developer agreed to refund.
    pub reason: String,
    /// `open`, `approved` or `rejected`.
    pub status: String,
    /// The operator who decided it, when a person did.
    pub decided_by: Option<String>,
    /// Their name, or the policy's label (`policy:auto_cancel`).
    pub decided_by_name: Option<String>,
    /// The reason of a rejection, or a note on an approval.
    pub decision_note: Option<String>,
    /// When it was decided.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<Timestamp>,
    /// When it was submitted.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&CancellationRequest> for CancellationRequestDto {
    fn from(r: &CancellationRequest) -> Self {
        Self {
            id: r.id.0.clone(),
            purchase_id: r.purchase_id.0.clone(),
            inquiry_id: r.inquiry_id.0.clone(),
            inquiry_subject: r.inquiry_subject.clone(),
            seller_id: r.seller_id.0.clone(),
            seller_name: r.seller_name.clone(),
            app_id: r.app_id.0.clone(),
            app_title: r.app_title.clone(),
            item_title: r.item_title.clone(),
            customer_id: r.customer_id.0.clone(),
            customer_name: r.customer_name.clone(),
            requested_by: r.requested_by.0.clone(),
            requested_by_name: r.requested_by_name.clone(),
            channel: r.channel.as_str().to_owned(),
            reason: r.reason.clone(),
            status: r.status.as_str().to_owned(),
            decided_by: r.decided_by.as_ref().map(|u| u.0.clone()),
            decided_by_name: r.decided_by_name.clone(),
            decision_note: r.decision_note.clone(),
            decided_at: r.decided_at,
            created_at: r.created_at,
        }
    }
}

/// `POST /api/v1/purchases/{id}/cancellation-requests` (R8). Missing fields count as
/// empty, so that every problem is reported as a field of a `validation_failed`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCancellationRequest {
    /// The inquiry in which the refund was agreed (this customer's, to your seller).
    #[serde(default)]
    pub inquiry_id: String,
    /// Why you agreed to refund; 1 to 1,000 characters.
    #[serde(default)]
    pub reason: String,
}

/// `POST /api/v1/cancellation-requests/off-store` (R9): the store's form for a refund
/// a customer asked for by email or phone. Every field is a string, as the paper form
/// has it; missing fields count as empty and every problem is reported at once.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OffStoreRequestBody {
    /// `email` or `phone`: how the customer asked.
    #[serde(default)]
    pub channel: String,
    /// Consent to provide personal information: `O` or `X`.
    #[serde(default)]
    pub consent_personal_info: String,
    /// The customer number (고객번호).
    #[serde(default)]
    pub customer_no: String,
    /// Purchase date and time: RFC 3339, or `YYYY-MM-DD HH:MM` in Korean time.
    #[serde(default)]
    pub purchased_at: String,
    /// The purchased item: the id of one of your seller's apps or in-app items.
    #[serde(default)]
    pub product_id: String,
    /// Why you agreed to refund; 1 to 1,000 characters.
    #[serde(default)]
    pub reason: String,
}

/// The answer to an off-store filing: the new inquiry and its request (201), or only
/// the purchase's open request when one existed and nothing was filed (200).
#[derive(Debug, Serialize, ToSchema)]
pub struct OffStoreFiledDto {
    /// The inquiry filed (channel `email` or `phone`); absent when nothing was filed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inquiry: Option<InquiryDto>,
    /// The request.
    pub request: CancellationRequestDto,
}

/// `POST /api/v1/cancellation-requests/{id}/approve`: an empty body or `{}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {}

/// `POST /api/v1/cancellation-requests/{id}/reject` (R8).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    /// Why the store keeps the purchase; both sides are told. 1 to 1,000 characters.
    #[serde(default)]
    pub reason: String,
}

/// `GET /api/v1/cancellation-requests` filters and paging. Unknown words are a 400.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CancellationRequestListParams {
    /// `open`, `approved` or `rejected`.
    pub status: Option<String>,
    /// Operators: only this seller's requests. A developer may name only their own.
    pub seller_id: Option<String>,
    /// 1 to 100, default 20.
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// `POST /api/v1/inquiries/{id}/cancel-purchase` (R5): the inquiry and its purchase,
/// now cancelled on the developer's behalf.
#[derive(Debug, Serialize, ToSchema)]
pub struct CancelPurchaseDto {
    /// The inquiry.
    pub inquiry: InquiryDto,
    /// The purchase, `cancelled`.
    pub purchase: PurchaseDto,
}
