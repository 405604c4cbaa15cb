//! Persistence for vocdesk: one [`Store`] trait, with SQLite ([`SqliteStore`], the
//! embedded default, on rusqlite with group commit) and PostgreSQL ([`PgStore`], for
//! several server processes, on sqlx) behind it. Each engine keeps its own migrations
//! folder; the queries they share are written once in portable SQL, one module per
//! aggregate (accounts, catalog, purchases, inquiries, refunds, sweep, outbox, audit,
//! reviews, moderation, templates, attempt budgets; the reviews' interface is
//! [`ReviewStore`], the budgets' [`BudgetStore`]),
//! against the small `db::Db` seam both engines implement.
//!
//! Every write method is one unit of work: the change and its audit entry (R14) commit
//! together or not at all, and the call returns only after the commit is durable.

#[macro_use]
mod columns;
mod accounts;
mod audit;
mod blobs;
mod budget_store;
mod budgets;
mod bulk;
mod cache;
mod catalog;
mod consent;
mod console_store;
mod db;
mod delivery_store;
mod error;
mod inbound;
mod inbound_store;
mod inquiries;
mod ledger_store;
mod moderation;
mod outbox;
mod postgres;
mod purchases;
mod push;
mod push_outbox;
mod push_store;
mod refunds;
mod review_store;
mod reviews;
mod rows;
mod search;
mod sqlite;
mod store_impl;
mod store_reviews;
mod store_turn;
mod sweep;
mod templates;
mod tokens;

use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, AttachmentId, CancellationRequestId, InquiryId, PurchaseId, SellerId, UserId};
use vocdesk_domain::inquiry::{
    AppInquiryCounts, Inquiry, InquiryFilter, InquiryScope, Message, NewInquiry, NewMessage, Side, Thread,
    TransitionError,
};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy::RequestScope;
use vocdesk_domain::purchase::{NewPurchase, PurchaseView};
use vocdesk_domain::refund::{CancelRefusal, CancellationRequest, Decision, NewCancellationRequest, RequestStatus};

pub use blobs::BlobStore;
pub use budget_store::BudgetStore;
pub use bulk::{ImportedCustomer, ImportedReply, ImportedReview, ROWS_PER_STATEMENT, ReviewImport};
pub use cache::{CachedStore, DEFAULT_CACHE_TTL};
pub use console_store::{ConsoleStore, OperatorCounts};
pub use delivery_store::DeliveryStore;
pub use error::StoreError;
pub use inbound::BouncingAddress;
pub use inbound_store::{BounceReport, InboundStore, MailJoin};
pub use ledger_store::{LedgerStore, ledger_sql};
pub use outbox::{AttemptOutcome, RetryOutcome};
pub use postgres::PgStore;
pub use push::{PushOutcome, SubscribeOutcome};
pub use push_outbox::PushHealth;
pub use push_store::PushStore;
pub use review_store::{HideOutcome, PutReviewOutcome, ReplyOutcome, ReportOutcome, ReviewStore, ReviewWrite};
pub use reviews::review_sql;
pub use sqlite::SqliteStore;
pub use tokens::{NewToken, TokenGrant, TokenKind};

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

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

/// What the audit log may be filtered by (R14). Filters combine.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Entries about one thing: `(subject_type, subject_id)`.
    pub subject: Option<(String, String)>,
    /// Entries by one user.
    pub actor: Option<UserId>,
    /// Everything that happened to one inquiry: entries about it, and entries about
    /// other things (a request, a reveal, a cancellation) whose detail names it.
    pub inquiry: Option<InquiryId>,
    /// Everything that happened to one purchase, the same way.
    pub purchase: Option<PurchaseId>,
    /// Entries by the people whose name or email holds this text, in any case: how
    /// an operator names a person without pasting an id.
    pub person: Option<String>,
    /// Entries of one action (`purchase.recorded`).
    pub action: Option<String>,
    /// Entries at or after this instant.
    pub from: Option<Timestamp>,
    /// Entries before this instant.
    pub until: Option<Timestamp>,
    /// Leaves signing in and out out (`audit::SIGN_IN_ACTIONS`), as the console's log
    /// does unless asked: they outnumber everything else.
    pub hide_sign_ins: bool,
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

/// What happened to a request handed to [`Store::submit_cancellation_request`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubmitOutcome {
    /// Written now (HTTP 201).
    Created(CancellationRequest),
    /// The same `Idempotency-Key` with the same request came before: that request,
    /// answered as the first time (HTTP 201).
    Replayed(CancellationRequest),
    /// R8: the purchase has an open request already; a repeat returns it (HTTP 200).
    Existing(CancellationRequest),
    /// The `Idempotency-Key` was used before for a different request (HTTP 422).
    KeyReused,
    /// The purchase cannot be cancelled (already cancelled, free): nothing written.
    Refused(CancelRefusal),
}

/// What happened to an off-store request handed to [`Store::file_off_store_request`].
// One value per filing, moved once: its size does not matter, and boxing `Existing`
// would change the shape the web layer and the demo match on.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OffStoreOutcome {
    /// R9: the inquiry (channel `email` or `phone`) and its request were written.
    Filed {
        /// The new inquiry.
        inquiry: Box<Inquiry>,
        /// Its cancellation request.
        request: Box<CancellationRequest>,
    },
    /// R8: the purchase has an open request already: nothing written, that request.
    Existing(CancellationRequest),
    /// The purchase cannot be cancelled: nothing written.
    Refused(CancelRefusal),
}

/// What happened to a decision handed to [`Store::decide_cancellation_request`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecideOutcome {
    /// Decided now; on approval the purchase was cancelled in the same transaction.
    Decided(CancellationRequest),
    /// The same decision was made before: nothing changed, nothing queued.
    AlreadyDone(CancellationRequest),
    /// Decided the other way before: nothing changed.
    Refused(CancelRefusal),
}

/// What happened to a cancellation on the developer's behalf (R5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnBehalfOutcome {
    /// The purchase is cancelled now.
    Cancelled {
        /// The inquiry.
        inquiry: Box<Inquiry>,
        /// The purchase, now `cancelled`.
        purchase: Box<PurchaseView>,
    },
    /// Not overdue, no purchase, already cancelled or free: nothing cancelled. A
    /// purchase that needs no cancelling is marked settled on the inquiry, so that the
    /// sweep does not read it again.
    Refused(CancelRefusal),
}

/// What a cancellation request list is narrowed to.
#[derive(Clone, Debug)]
pub struct RequestQuery {
    /// Whose requests (from the policy, never from the client).
    pub scope: RequestScope,
    /// One status.
    pub status: Option<RequestStatus>,
}

/// The R5 sweep's two reads, written once for both engines and public so that a test
/// can show their query plans: each WHERE clause implies the predicate of its partial
/// index, so both planners read only due rows ("the sweep touches only due rows"),
/// however many inquiries were answered, settled or reminded before.
pub mod sweep_sql;

/// Everything vocdesk persists, behind one interface for both engines.
#[async_trait]
pub trait Store:
    ReviewStore
    + DeliveryStore
    + PushStore
    + InboundStore
    + BudgetStore
    + ConsoleStore
    + LedgerStore
    + Send
    + Sync
    + 'static
{
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

    /// Changes the language a user reads the pages in (their mail keeps its own).
    async fn set_user_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()>;

    /// R3: changes the language of a user's notification mail (their pages keep theirs).
    async fn set_mail_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()>;

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
    /// Answers the thread as committed, read inside the same unit, so that the caller
    /// can show it without a second trip to the store.
    async fn create_inquiry(
        &self,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Thread>;

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

    /// R7: the customer gives (`true`) or withdraws consent on an inquiry, recorded
    /// with its time and audited; answers the inquiry and whether anything changed.
    async fn set_consent(
        &self,
        inquiry: &InquiryId,
        consent: bool,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<(Inquiry, bool)>;

    /// R7/R14: records that `acting` saw the unmasked payment ids of these purchases
    /// from this inquiry: one audit entry per purchase, committed before the ids are
    /// shown.
    async fn record_payment_reveal(
        &self,
        inquiry: &InquiryId,
        purchases: &[PurchaseId],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()>;

    /// R8: submits a cancellation request. Under the purchase's row lock: a known
    /// idempotency key answers its request (or [`SubmitOutcome::KeyReused`]); a
    /// cancelled or free purchase is refused; an open request is returned as it is;
    /// otherwise the request is written with its audit entry and, R17, the inquiry and
    /// every open one about the purchase wait on the store, the developer's message to
    /// the customer joins the thread, and `mails` (the customer's notice) are queued.
    async fn submit_cancellation_request(
        &self,
        request: &NewCancellationRequest,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<SubmitOutcome>;

    /// R9: files a refund asked for by email or phone: the inquiry (its first message
    /// the developer's record of the request; R17: it waits on the store at once) and
    /// its cancellation request, with `mails` (R7: the customer hears of consent recorded
    /// for them), in one transaction, or nothing.
    async fn file_off_store_request(
        &self,
        inquiry: &NewInquiry,
        request: &NewCancellationRequest,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<OffStoreOutcome>;

    /// One cancellation request.
    async fn cancellation_request(&self, id: &CancellationRequestId) -> StoreResult<Option<CancellationRequest>>;

    /// Cancellation requests, oldest first (the operator's queue; a seller's list).
    async fn cancellation_requests(
        &self,
        query: &RequestQuery,
        page: &PageRequest,
    ) -> StoreResult<Page<CancellationRequest>>;

    /// The cancellation requests about one inquiry, oldest first (the thread shows them):
    /// those filed from it and, R17, those on the purchase it names, filed from any
    /// inquiry, so that every thread about a purchase tells the same story.
    async fn requests_of_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<CancellationRequest>>;

    /// R8: an operator decides a request. Under the request's and the purchase's row
    /// locks, so that two operators clicking at once cancel once: approving cancels the
    /// purchase (recorded in `purchase_cancellations`, at most one row per purchase)
    /// and settles the inquiries naming it; `mails` are queued only if something was
    /// decided now.
    async fn decide_cancellation_request(
        &self,
        id: &CancellationRequestId,
        decision: &Decision,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<DecideOutcome>;

    /// R5: cancels the inquiry's purchase on the developer's behalf, if, under the
    /// inquiry's and the purchase's row locks, the customer has waited since before
    /// `overdue_cutoff` and the purchase is paid and not free. An open request on it is
    /// approved with it. `acting` is an operator or the auto-cancel policy.
    async fn cancel_on_behalf(
        &self,
        inquiry: &InquiryId,
        overdue_cutoff: Timestamp,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<OnBehalfOutcome>;

    /// R5 sweep: overdue `refund` inquiries whose purchase is not yet settled, longest
    /// waiting first, read through the `inquiries_auto_cancel_due` index only.
    async fn auto_cancel_candidates(&self, overdue_cutoff: Timestamp, limit: i64) -> StoreResult<Vec<InquiryId>>;

    /// R5 reminders: inquiries whose customer has waited since before `cutoff` and whose
    /// seller was not reminded of this wait yet, longest waiting first (through the
    /// `inquiries_reminder_due` index).
    async fn due_reminders(&self, cutoff: Timestamp, limit: i64) -> StoreResult<Vec<Inquiry>>;

    /// R5 reminders: marks the wait that started at `awaiting_since` as reminded and
    /// queues `mails`, only if no one did it first and the wait has not changed;
    /// `false` when nothing was written.
    async fn mark_reminded(
        &self,
        inquiry: &InquiryId,
        awaiting_since: Timestamp,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<bool>;
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
