//! [`CachedStore`]: the hot reads (bearer and session tokens, accounts, sellers, apps,
//! app lists, in-app items, a seller's developers and pages of public reviews) served
//! from memory, in front of any [`Store`].
//!
//! Every request authenticates with [`Store::token`] and most pages read the catalog;
//! asking the database each time costs more than the rest of such a request. The
//! cache is a decorator so that neither engine nor any caller changes.
//!
//! - **This process's writes show at once.** Each write method that can change a cached
//!   value forgets it after the write (also when the write fails: it may have
//!   committed). A read that began before such a write does not put its old answer back
//!   afterwards: each shelf counts its invalidations, and a read stores its answer only
//!   if none happened since it started.
//! - **Other processes' writes show within the TTL.** Every entry is dropped once it is
//!   older than the TTL, so with several processes on one PostgreSQL database a token
//!   revoked by one stops working in all of them after at most that long.
//! - **A token's own expiry is exact.** A grant is cached only if the token is still
//!   valid at `now + TTL`, and served only to a lookup at or before that instant (the
//!   lookup's `now` is the caller's clock, which may be a test's); a token about to
//!   expire is always looked up in the database.
//! - **Bounded.** Each shelf holds a fixed number of entries and evicts the least
//!   useful ones (`quick_cache`'s CLOCK-Pro); misses are not cached, so unknown tokens
//!   cannot fill it.

use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, AttachmentId, CancellationRequestId, InquiryId, PurchaseId, SellerId, UserId};
use vocdesk_domain::inquiry::{AppInquiryCounts, Inquiry, NewInquiry, NewMessage, Side, Thread};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::{NewPurchase, PurchaseView};
use vocdesk_domain::refund::{CancellationRequest, Decision, NewCancellationRequest};

use crate::{
    Acting, AuditFilter, DecideOutcome, InquiryQuery, MessageOutcome, NewToken, OffStoreOutcome, OnBehalfOutcome,
    RecordOutcome, RequestQuery, Store, StoreResult, SubmitOutcome, TokenGrant, TokenKind,
};

/// The default time an entry may be served without asking the database.
pub const DEFAULT_CACHE_TTL: Duration = Duration::from_secs(2);

/// Entries per shelf: tokens and accounts (one per active user), apps and their items.
const ENTRIES: usize = 10_000;
/// App list pages (first pages per seller and a few cursors each).
const LIST_ENTRIES: usize = 1_000;

/// The cache key of one page of [`Store::list_apps`].
type ListKey = (Option<SellerId>, u32, Option<(i64, String)>);

/// How long a customer's having obtained an app is served from memory (R10, checked on
/// every review written). Purchases are never deleted (a cancelled one still counts), so
/// the answer cannot turn false and is kept longer than the rest, in every process.
const OBTAINED_TTL: Duration = Duration::from_secs(600);

/// Pages of public reviews kept (first pages of each filter and some cursors, R10).
const REVIEW_PAGE_ENTRIES: usize = 20_000;

mod budgets;
mod console;
mod delivery;
mod inbound;
mod ledger;
mod push;
mod reviews;

/// A [`Store`] that answers the hot reads from memory; see the module documentation.
pub struct CachedStore {
    inner: Arc<dyn Store>,
    ttl: Duration,
    tokens: Shelf<(String, &'static str), (TokenGrant, Timestamp)>,
    users: Shelf<UserId, User>,
    sellers: Shelf<SellerId, Seller>,
    apps: Shelf<AppId, App>,
    app_lists: Shelf<ListKey, Page<App>>,
    items: Shelf<AppId, Vec<Item>>,
    /// A seller's developers: every new inquiry and reply mails them (R3).
    developers: Shelf<SellerId, Vec<User>>,
    /// Pages of an app's public reviews (the store's hottest read, R10).
    review_pages: Shelf<reviews::PageKey, Arc<Page<vocdesk_domain::review::Review>>>,
    /// R10: who obtained which app; only `true` is kept (see [`OBTAINED_TTL`]).
    obtained: Shelf<(UserId, AppId), ()>,
}

impl CachedStore {
    /// Caches `inner`'s hot reads for up to `ttl` each; a zero `ttl` caches nothing.
    pub fn new(inner: Arc<dyn Store>, ttl: Duration) -> Self {
        Self {
            inner,
            ttl,
            tokens: Shelf::new(ENTRIES, ttl),
            users: Shelf::new(ENTRIES, ttl),
            sellers: Shelf::new(ENTRIES, ttl),
            apps: Shelf::new(ENTRIES, ttl),
            app_lists: Shelf::new(LIST_ENTRIES, ttl),
            items: Shelf::new(ENTRIES, ttl),
            developers: Shelf::new(ENTRIES, ttl),
            review_pages: Shelf::new(REVIEW_PAGE_ENTRIES, ttl),
            obtained: Shelf::new(ENTRIES, if ttl.is_zero() { ttl } else { OBTAINED_TTL }),
        }
    }

    /// Forgets every token grant of `user` (its account changed).
    fn forget_tokens_of(&self, user: &UserId) {
        self.tokens.forget_where(|(grant, _)| &grant.user.id == user);
    }
}

/// One kind of cached value: a bounded map with a TTL and an invalidation count.
struct Shelf<K, V> {
    entries: quick_cache::sync::Cache<K, (Instant, V)>,
    /// Invalidations so far; a read stores its answer only if this did not move.
    epoch: AtomicU64,
    ttl: Duration,
}

impl<K: Eq + Hash + Clone, V: Clone> Shelf<K, V> {
    fn new(capacity: usize, ttl: Duration) -> Self {
        Self { entries: quick_cache::sync::Cache::new(capacity), epoch: AtomicU64::new(0), ttl }
    }

    /// Taken before reading the database, handed to [`Shelf::put`] with the answer.
    fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    fn get(&self, key: &K) -> Option<V> {
        let (stored, value) = self.entries.get(key)?;
        if stored.elapsed() < self.ttl {
            return Some(value);
        }
        self.entries.remove(key);
        None
    }

    /// Stores an answer read since `epoch`, unless something was invalidated meanwhile
    /// (checked again after storing, so that an invalidation racing the store wins).
    fn put(&self, key: K, value: V, epoch: u64) {
        if self.ttl.is_zero() || self.epoch() != epoch {
            return;
        }
        self.entries.insert(key.clone(), (Instant::now(), value));
        if self.epoch() != epoch {
            self.entries.remove(&key);
        }
    }

    fn forget(&self, key: &K) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.entries.remove(key);
    }

    fn forget_all(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.entries.clear();
    }

    fn forget_keys_where(&self, doomed: impl Fn(&K) -> bool) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.entries.retain(|key, _| !doomed(key));
    }

    fn forget_where(&self, doomed: impl Fn(&V) -> bool) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.entries.retain(|_, (_, value)| !doomed(value));
    }
}

/// Reads `key` from `shelf`, or from `read` (and stores what it answers).
async fn read_through<K, V, F>(shelf: &Shelf<K, V>, key: K, read: F) -> StoreResult<V>
where
    K: Eq + Hash + Clone,
    V: Clone,
    F: Future<Output = StoreResult<V>>,
{
    if let Some(value) = shelf.get(&key) {
        return Ok(value);
    }
    let epoch = shelf.epoch();
    let value = read.await?;
    shelf.put(key, value.clone(), epoch);
    Ok(value)
}

/// [`read_through`] for a lookup that may find nothing; nothing is not stored, so that a
/// row created by another process is seen at once and unknown keys take no room.
async fn find_through<K, V, F>(shelf: &Shelf<K, V>, key: K, read: F) -> StoreResult<Option<V>>
where
    K: Eq + Hash + Clone,
    V: Clone,
    F: Future<Output = StoreResult<Option<V>>>,
{
    if let Some(value) = shelf.get(&key) {
        return Ok(Some(value));
    }
    let epoch = shelf.epoch();
    let value = read.await?;
    if let Some(value) = &value {
        shelf.put(key, value.clone(), epoch);
    }
    Ok(value)
}

#[async_trait]
impl Store for CachedStore {
    fn engine(&self) -> &'static str {
        self.inner.engine()
    }

    async fn migrate(&self) -> StoreResult<()> {
        self.inner.migrate().await
    }

    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }

    async fn has_users(&self) -> StoreResult<bool> {
        self.inner.has_users().await
    }

    async fn secret(&self, name: &str, candidate: &[u8], now: Timestamp) -> StoreResult<Vec<u8>> {
        self.inner.secret(name, candidate, now).await
    }

    async fn create_seller(
        &self,
        name: &str,
        support_email: &str,
        audit: &AuditEntry,
        now: Timestamp,
    ) -> StoreResult<Seller> {
        let seller = self.inner.create_seller(name, support_email, audit, now).await?;
        self.sellers.forget(&seller.id);
        Ok(seller)
    }

    async fn create_user(
        &self,
        user: &NewUser,
        password_hash: &str,
        audit: &AuditEntry,
        now: Timestamp,
    ) -> StoreResult<User> {
        let created = self.inner.create_user(user, password_hash, audit, now).await;
        if let Some(seller) = &user.seller_id {
            self.developers.forget(seller);
        }
        let created = created?;
        self.users.forget(&created.id);
        Ok(created)
    }

    async fn user(&self, id: &UserId) -> StoreResult<Option<User>> {
        find_through(&self.users, id.clone(), self.inner.user(id)).await
    }

    async fn credentials(&self, email: &str) -> StoreResult<Option<(User, String)>> {
        self.inner.credentials(email).await
    }

    async fn customer_by_number(&self, customer_no: &str) -> StoreResult<Option<User>> {
        self.inner.customer_by_number(customer_no).await
    }

    async fn insert_token(&self, token: &NewToken, audit: &AuditEntry) -> StoreResult<()> {
        let inserted = self.inner.insert_token(token, audit).await;
        for kind in [TokenKind::Api, TokenKind::Web] {
            self.tokens.forget(&(token.token_hash.clone(), kind.as_str()));
        }
        inserted
    }

    async fn token(&self, token_hash: &str, kind: TokenKind, now: Timestamp) -> StoreResult<Option<TokenGrant>> {
        let key = (token_hash.to_owned(), kind.as_str());
        if let Some((grant, valid_through)) = self.tokens.get(&key)
            && now <= valid_through
        {
            return Ok(Some(grant));
        }
        // Valid then means valid at every earlier instant too (a token expires once and
        // revocation is this shelf's business), so the grant may serve any lookup up
        // to `horizon`, and entries never outlive the TTL.
        let horizon = SignedDuration::try_from(self.ttl).ok().and_then(|ttl| now.checked_add(ttl).ok());
        if let Some(horizon) = horizon.filter(|_| !self.ttl.is_zero()) {
            let epoch = self.tokens.epoch();
            if let Some(grant) = self.inner.token(token_hash, kind, horizon).await? {
                self.tokens.put(key, (grant.clone(), horizon), epoch);
                return Ok(Some(grant));
            }
        }
        self.inner.token(token_hash, kind, now).await
    }

    async fn revoke_token(&self, token_hash: &str, audit: &AuditEntry, now: Timestamp) -> StoreResult<bool> {
        let revoked = self.inner.revoke_token(token_hash, audit, now).await;
        for kind in [TokenKind::Api, TokenKind::Web] {
            self.tokens.forget(&(token_hash.to_owned(), kind.as_str()));
        }
        revoked
    }

    async fn seller(&self, id: &SellerId) -> StoreResult<Option<Seller>> {
        find_through(&self.sellers, id.clone(), self.inner.seller(id)).await
    }

    async fn sellers(&self) -> StoreResult<Vec<Seller>> {
        self.inner.sellers().await
    }

    async fn create_app(&self, app: &NewApp, audit: &AuditEntry, now: Timestamp) -> StoreResult<App> {
        let created = self.inner.create_app(app, audit, now).await;
        self.app_lists.forget_all();
        let created = created?;
        self.apps.forget(&created.id);
        Ok(created)
    }

    async fn create_item(&self, item: &NewItem, audit: &AuditEntry, now: Timestamp) -> StoreResult<Item> {
        let created = self.inner.create_item(item, audit, now).await;
        self.items.forget(&item.app_id);
        created
    }

    async fn list_apps(&self, seller: Option<&SellerId>, page: &PageRequest) -> StoreResult<Page<App>> {
        let key = (seller.cloned(), page.limit, page.after.as_ref().map(|c| (c.key, c.id.clone())));
        read_through(&self.app_lists, key, self.inner.list_apps(seller, page)).await
    }

    async fn app(&self, id: &AppId) -> StoreResult<Option<App>> {
        find_through(&self.apps, id.clone(), self.inner.app(id)).await
    }

    async fn items_of_app(&self, id: &AppId) -> StoreResult<Vec<Item>> {
        read_through(&self.items, id.clone(), self.inner.items_of_app(id)).await
    }

    async fn record_purchases(
        &self,
        purchases: &[NewPurchase],
        actor: &AuditActor,
        channel: Channel,
        now: Timestamp,
    ) -> StoreResult<Vec<RecordOutcome>> {
        // Purchases change nothing cached (an app's rating counters change with reviews).
        self.inner.record_purchases(purchases, actor, channel, now).await
    }

    async fn purchase(&self, id: &PurchaseId) -> StoreResult<Option<PurchaseView>> {
        self.inner.purchase(id).await
    }

    async fn purchases_of_customer(&self, customer: &UserId, page: &PageRequest) -> StoreResult<Page<PurchaseView>> {
        self.inner.purchases_of_customer(customer, page).await
    }

    async fn audit_log(&self, filter: &AuditFilter, page: &PageRequest) -> StoreResult<Page<AuditRecord>> {
        self.inner.audit_log(filter, page).await
    }

    async fn set_user_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()> {
        let set = self.inner.set_user_locale(user, locale, acting, now).await;
        self.users.forget(user);
        self.forget_tokens_of(user);
        // Developers are kept as whole users; which seller they belong to is not known
        // here, and a language change is rare.
        self.developers.forget_all();
        set
    }

    async fn set_mail_locale(&self, user: &UserId, locale: Locale, acting: &Acting, now: Timestamp) -> StoreResult<()> {
        let set = self.inner.set_mail_locale(user, locale, acting, now).await;
        self.users.forget(user);
        self.forget_tokens_of(user);
        // Developers are mailed in it (R3); their seller is not known here.
        self.developers.forget_all();
        set
    }

    async fn developers_of_seller(&self, seller: &SellerId) -> StoreResult<Vec<User>> {
        read_through(&self.developers, seller.clone(), self.inner.developers_of_seller(seller)).await
    }

    async fn purchases_for_seller(
        &self,
        customer: &UserId,
        seller: &SellerId,
        page: &PageRequest,
    ) -> StoreResult<Page<PurchaseView>> {
        self.inner.purchases_for_seller(customer, seller, page).await
    }

    async fn create_inquiry(
        &self,
        new: &NewInquiry,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Thread> {
        self.inner.create_inquiry(new, mails, acting, now).await
    }

    async fn add_message(
        &self,
        inquiry: &InquiryId,
        message: &NewMessage,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<MessageOutcome> {
        self.inner.add_message(inquiry, message, mails, acting, now).await
    }

    async fn close_inquiry(
        &self,
        inquiry: &InquiryId,
        side: Side,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<(Inquiry, bool)> {
        self.inner.close_inquiry(inquiry, side, acting, now).await
    }

    async fn inquiry(&self, id: &InquiryId) -> StoreResult<Option<Inquiry>> {
        self.inner.inquiry(id).await
    }

    async fn thread(&self, id: &InquiryId) -> StoreResult<Option<Thread>> {
        self.inner.thread(id).await
    }

    async fn list_inquiries(&self, query: &InquiryQuery, page: &PageRequest) -> StoreResult<Page<Inquiry>> {
        self.inner.list_inquiries(query, page).await
    }

    async fn inquiry_counts(&self, seller: &SellerId, overdue_cutoff: Timestamp) -> StoreResult<Vec<AppInquiryCounts>> {
        self.inner.inquiry_counts(seller, overdue_cutoff).await
    }

    async fn attachment(&self, inquiry: &InquiryId, id: &AttachmentId) -> StoreResult<Option<AttachmentMeta>> {
        self.inner.attachment(inquiry, id).await
    }

    async fn outbox(&self, status: Option<MailStatus>, page: &PageRequest) -> StoreResult<Page<QueuedMail>> {
        self.inner.outbox(status, page).await
    }

    async fn set_consent(
        &self,
        inquiry: &InquiryId,
        consent: bool,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<(Inquiry, bool)> {
        self.inner.set_consent(inquiry, consent, acting, now).await
    }

    async fn record_payment_reveal(
        &self,
        inquiry: &InquiryId,
        purchases: &[PurchaseId],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<()> {
        self.inner.record_payment_reveal(inquiry, purchases, acting, now).await
    }

    async fn submit_cancellation_request(
        &self,
        request: &NewCancellationRequest,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<SubmitOutcome> {
        self.inner.submit_cancellation_request(request, mails, acting, now).await
    }

    async fn file_off_store_request(
        &self,
        inquiry: &NewInquiry,
        request: &NewCancellationRequest,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<OffStoreOutcome> {
        self.inner.file_off_store_request(inquiry, request, mails, acting, now).await
    }

    async fn cancellation_request(&self, id: &CancellationRequestId) -> StoreResult<Option<CancellationRequest>> {
        self.inner.cancellation_request(id).await
    }

    async fn cancellation_requests(
        &self,
        query: &RequestQuery,
        page: &PageRequest,
    ) -> StoreResult<Page<CancellationRequest>> {
        self.inner.cancellation_requests(query, page).await
    }

    async fn requests_of_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<CancellationRequest>> {
        self.inner.requests_of_inquiry(inquiry).await
    }

    async fn decide_cancellation_request(
        &self,
        id: &CancellationRequestId,
        decision: &Decision,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<DecideOutcome> {
        self.inner.decide_cancellation_request(id, decision, mails, acting, now).await
    }

    async fn cancel_on_behalf(
        &self,
        inquiry: &InquiryId,
        overdue_cutoff: Timestamp,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<OnBehalfOutcome> {
        self.inner.cancel_on_behalf(inquiry, overdue_cutoff, mails, acting, now).await
    }

    async fn auto_cancel_candidates(&self, overdue_cutoff: Timestamp, limit: i64) -> StoreResult<Vec<InquiryId>> {
        self.inner.auto_cancel_candidates(overdue_cutoff, limit).await
    }

    async fn due_reminders(&self, cutoff: Timestamp, limit: i64) -> StoreResult<Vec<Inquiry>> {
        self.inner.due_reminders(cutoff, limit).await
    }

    async fn mark_reminded(
        &self,
        inquiry: &InquiryId,
        awaiting_since: Timestamp,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.inner.mark_reminded(inquiry, awaiting_since, mails, acting, now).await
    }
}
