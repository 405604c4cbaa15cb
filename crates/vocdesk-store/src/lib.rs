//! Persistence for vocdesk: one [`Store`] trait, with SQLite ([`SqliteStore`], the
//! embedded default) and PostgreSQL ([`PgStore`], for several server processes) behind
//! it. Each engine keeps its own migrations folder; the queries they share are written
//! once in portable SQL (see [`shared`]) and generated for both.
//!
//! Every write method is one unit of work: the change and its audit entry (R14) commit
//! together or not at all, and the call returns only after the commit is durable.

#[macro_use]
mod shared;
mod blobs;
mod error;
mod postgres;
mod rows;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, AttachmentId, InquiryId, PurchaseId, SellerId, TokenId, UserId};
use vocdesk_domain::inquiry::{
    AppInquiryCounts, Inquiry, InquiryFilter, InquiryScope, Message, NewInquiry, NewMessage, Side, Thread,
    TransitionError,
};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::{NewPurchase, PurchaseView};
use vocdesk_domain::role::TokenScope;

pub use blobs::BlobStore;
pub use error::StoreError;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// Whether a token authenticates a program (`api`) or a browser session (`web`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `Authorization: Bearer` for programs and the mobile app.
    Api,
    /// A signed session cookie for the web pages.
    Web,
}

impl TokenKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Web => "web",
        }
    }
}

/// A token to store; only the SHA-256 of its secret ever reaches the database.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// Its id.
    pub id: TokenId,
    /// Hex SHA-256 of the secret.
    pub token_hash: String,
    /// Owner.
    pub user_id: UserId,
    /// API or web.
    pub kind: TokenKind,
    /// What it may do.
    pub scope: TokenScope,
    /// A name a person recognises in a token list ("sign-in", "payment export").
    pub label: String,
    /// Issued.
    pub created_at: Timestamp,
    /// No longer valid from then on.
    pub expires_at: Timestamp,
}

/// A valid token found by its hash.
#[derive(Clone, Debug)]
pub struct TokenGrant {
    /// The token's id.
    pub token_id: TokenId,
    /// Its scope.
    pub scope: TokenScope,
    /// Its owner.
    pub user: User,
}

/// What happened to one purchase handed to [`Store::record_purchases`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordOutcome {
    /// Written now.
    Created(PurchaseView),
    /// The same TID was recorded before with the same content: nothing written.
    AlreadyRecorded(PurchaseView),
    /// Not written, with the reason.
    Rejected(Rejection),
}

/// Why one purchase of a batch was not written; the rest of the batch is unaffected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rejection {
    /// The TID was recorded before with different content.
    Conflict {
        /// The colliding field (`tid`).
        what: String,
    },
    /// It names a customer, app or item that does not exist or does not fit.
    Invalid(vocdesk_domain::ValidationErrors),
}

/// What the audit log may be filtered by (R14).
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Entries about one thing: `(subject_type, subject_id)`.
    pub subject: Option<(String, String)>,
    /// Entries by one user.
    pub actor: Option<UserId>,
}

/// Who did something and through which channel: the audit facts (R2, R14) a unit of
/// work records about itself, the store naming the subject and the details.
#[derive(Clone, Debug)]
pub struct Acting {
    /// Who.
    pub actor: AuditActor,
    /// Through which channel.
    pub channel: Channel,
}

/// What happened to a message handed to [`Store::add_message`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageOutcome {
    /// Written, with the thread's new state.
    Added {
        /// The inquiry after the message.
        inquiry: Box<Inquiry>,
        /// The message as stored.
        message: Box<Message>,
    },
    /// R4 does not allow it (a developer writing into a closed thread): nothing written.
    Refused(TransitionError),
}

/// What an inquiry list is narrowed to, with the R5 cut-off the `overdue` filter needs.
#[derive(Clone, Debug)]
pub struct InquiryQuery {
    /// Whose inquiries (from the policy, never from the client).
    pub scope: InquiryScope,
    /// The client's filters.
    pub filter: InquiryFilter,
    /// R5: an inquiry whose customer has waited since before this instant is overdue
    /// (`now - limit`).
    pub overdue_cutoff: Timestamp,
}

/// Everything vocdesk persists, behind one interface for both engines.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which engine this is, for logs and `/healthz`.
    fn engine(&self) -> &'static str;

    /// Applies pending migrations; safe to call from several processes at once.
    async fn migrate(&self) -> StoreResult<()>;

    /// Answers when the database does; `/healthz`.
    async fn ping(&self) -> StoreResult<()>;

    /// Whether any account exists (the demo seeds only an empty store).
    async fn has_users(&self) -> StoreResult<bool>;

    /// Returns the named secret, creating it from `candidate` if it does not exist yet,
    /// so that every server process on one database signs cookies with the same key.
    async fn secret(&self, name: &str, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>>;

    /// Creates a seller.
    async fn create_seller(
        &self,
        name: &str,
        support_email: &str,
        audit: &AuditEntry,
        now: Timestamp,
    ) -> StoreResult<Seller>;

    /// Creates an account; a taken email or customer number is a conflict.
    async fn create_user(
        &self,
        user: &NewUser,
        password_hash: &str,
        audit: &AuditEntry,
        now: Timestamp,
    ) -> StoreResult<User>;

    /// An account by id.
    async fn user(&self, id: &UserId) -> StoreResult<Option<User>>;

    /// An account with its password hash, by normalised email, for sign-in.
    async fn credentials(&self, email: &str) -> StoreResult<Option<(User, String)>>;

    /// A customer by customer number (고객번호), for imports and R9 forms.
    async fn customer_by_number(&self, customer_no: &str) -> StoreResult<Option<User>>;

    /// Stores a new token with its audit entry.
    async fn insert_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<()>;

    /// The token with this hash, if it is unrevoked and unexpired at `now`.
    async fn token(&self, token_hash: &str, kind: TokenKind, now: Timestamp) -> StoreResult<Option<TokenGrant>>;

    /// Revokes a token; `false` when it was already revoked or never existed.
    async fn revoke_token(&self, token_hash: &str, audit: &AuditEntry, now: Timestamp) -> StoreResult<bool>;

    /// A seller by id.
    async fn seller(&self, id: &SellerId) -> StoreResult<Option<Seller>>;

    /// Every seller, by name (the operator's seller filter).
    async fn sellers(&self) -> StoreResult<Vec<Seller>>;

    /// Lists an app.
    async fn create_app(&self, app: &NewApp, audit: &AuditEntry, now: Timestamp) -> StoreResult<App>;

    /// Adds an in-app item.
    async fn create_item(&self, item: &NewItem, audit: &AuditEntry, now: Timestamp) -> StoreResult<Item>;

    /// Apps, newest first, optionally of one seller only.
    async fn list_apps(&self, seller: Option<&SellerId>, page: &PageRequest) -> StoreResult<Page<App>>;

    /// One app.
    async fn app(&self, id: &AppId) -> StoreResult<Option<App>>;

    /// The in-app items of an app, oldest first.
    async fn items_of_app(&self, id: &AppId) -> StoreResult<Vec<Item>>;

    /// Records purchases from the payment system in one transaction, idempotent on TID:
    /// each gets its own outcome, and rejected ones leave the others untouched.
    async fn record_purchases(
        &self,
        purchases: &[NewPurchase],
        actor: &AuditActor,
        channel: Channel,
        now: Timestamp,
    ) -> StoreResult<Vec<RecordOutcome>>;

    /// One purchase with its app and item names.
    async fn purchase(&self, id: &PurchaseId) -> StoreResult<Option<PurchaseView>>;

    /// A customer's purchase history, newest first (My page).
    async fn purchases_of_customer(&self, customer: &UserId, page: &PageRequest) -> StoreResult<Page<PurchaseView>>;

    /// The audit log, newest first (R14).
    async fn audit_log(&self, filter: &AuditFilter, page: &PageRequest) -> StoreResult<Page<AuditRecord>>;

    /// Changes the language a user reads pages and mail in.
    async fn set_user_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()>;

    /// The developer members of a seller, who are notified of its inquiries (R3).
    async fn developers_of_seller(&self, seller: &SellerId) -> StoreResult<Vec<User>>;

    /// A customer's purchases of one seller's apps and items, newest first: what R6
    /// lets that seller's developers see from an inquiry.
    async fn purchases_for_seller(
        &self,
        customer: &UserId,
        seller: &SellerId,
        page: &PageRequest,
    ) -> StoreResult<Page<PurchaseView>>;

    /// R1: opens an inquiry with its first message, its attachments, the mail it
    /// queues (R3) and its audit entry (R14), in one transaction. The caller has checked
    /// the app and that the purchase, if any, is the customer's own purchase of it.
    async fn create_inquiry(
        &self,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Inquiry>;

    /// R4: adds a message and moves the status, in one transaction with its
    /// attachments, queued mail and audit entry. Concurrent messages to one thread are
    /// serialised on the inquiry's row, so each gets the next position.
    async fn add_message(
        &self,
        inquiry: &InquiryId,
        message: &NewMessage,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<MessageOutcome>;

    /// R4: closes a thread; closing a closed thread changes nothing and answers
    /// `false`.
    async fn close_inquiry(
        &self,
        inquiry: &InquiryId,
        side: Side,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<(Inquiry, bool)>;

    /// One inquiry.
    async fn inquiry(&self, id: &InquiryId) -> StoreResult<Option<Inquiry>>;

    /// One inquiry with its messages in order, each with its attachments.
    async fn thread(&self, id: &InquiryId) -> StoreResult<Option<Thread>>;

    /// Inquiries in inbox order (owed answers first, least time left on top; then the
    /// most recently active), or, for a customer's own list, most recently active first.
    async fn list_inquiries(&self, query: &InquiryQuery, page: &PageRequest) -> StoreResult<Page<Inquiry>>;

    /// Per app of a seller: inquiries awaiting a reply and, of those, overdue (R5).
    async fn inquiry_counts(&self, seller: &SellerId, overdue_cutoff: Timestamp) -> StoreResult<Vec<AppInquiryCounts>>;

    /// One attachment of one inquiry (the caller has checked the reader may see it).
    async fn attachment(&self, inquiry: &InquiryId, id: &AttachmentId) -> StoreResult<Option<AttachmentMeta>>;

    /// The outbox, newest first, optionally of one status (R3, checked by hand by
    /// operators until delivery exists).
    async fn outbox(&self, status: Option<MailStatus>, page: &PageRequest) -> StoreResult<Page<QueuedMail>>;
}

/// Opens the store a database URL names: `postgres://` or `postgresql://` for
/// PostgreSQL, anything else is taken as the SQLite data directory.
pub async fn open(database_url: Option<&str>, data_dir: &std::path::Path) -> StoreResult<Arc<dyn Store>> {
    match database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PgStore::connect(url).await?))
        }
        Some(other) => Err(StoreError::Config(format!(
            "VOCDESK_DATABASE_URL must start with postgres:// (got a URL starting with {:?}); leave it unset for the embedded SQLite store",
            other.split(':').next().unwrap_or_default()
        ))),
        None => Ok(Arc::new(SqliteStore::open(data_dir).await?)),
    }
}
