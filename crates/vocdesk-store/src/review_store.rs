//! [`ReviewStore`]: what the store keeps of ratings and reviews (R10-R13, R18), reports
//! and saved replies. Every [`crate::Store`] is one; the methods live in a trait of
//! their own so that each aggregate's interface reads on its own.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{AppId, ReplyTemplateId, ReviewId, SellerId, UserId};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::review::{
    AppReviewCounts, InboxFilter, ReplyTemplate, ReplyVersion, Report, ReportDraft, ReportTarget, ReportedItem, Review,
    ReviewDraft, ReviewFilter, ReviewScope, ReviewVersion, TemplateDraft,
};

use crate::bulk::ReviewImport;
use crate::{Acting, StoreResult};

/// R10: a review to write: the author's checked draft for one app, with the app's seller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewWrite {
    /// The app.
    pub app_id: AppId,
    /// Its seller (copied onto the review for the developers' inbox).
    pub seller_id: SellerId,
    /// The customer writing.
    pub author_id: UserId,
    /// What they wrote.
    pub draft: ReviewDraft,
}

/// What [`ReviewStore::put_review`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutReviewOutcome {
    /// A new review (or one written again after its deletion): HTTP 201.
    Created(Review),
    /// An edit; the earlier version was kept and a reply marked outdated (R18).
    Edited(Review),
    /// The same rating and text as now: nothing written.
    Unchanged(Review),
}

impl PutReviewOutcome {
    /// The review as it is now.
    pub fn review(&self) -> &Review {
        match self {
            PutReviewOutcome::Created(r) | PutReviewOutcome::Edited(r) | PutReviewOutcome::Unchanged(r) => r,
        }
    }
}

/// What [`ReviewStore::put_reply`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplyOutcome {
    /// Posted or changed, with the reviewer's mail queued.
    Posted(Review),
    /// The same text as the current (not outdated) reply: nothing written or sent.
    Unchanged(Review),
    /// R12: the review is hidden; nothing written.
    ReviewHidden,
}

/// What [`ReviewStore::file_report`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportOutcome {
    /// Filed now.
    Filed(Report),
    /// The reporter has an open report on this item already: nothing written.
    AlreadyOpen,
}

/// What [`ReviewStore::set_hidden`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HideOutcome {
    /// Hidden or shown now; the author's mail was queued.
    Changed(Review),
    /// It was already so: nothing written or sent.
    Unchanged(Review),
    /// The review has no reply to hide or show.
    NoReply,
}

/// Ratings and reviews, reports and saved replies, for both engines.
#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// A review that its author has not deleted.
    async fn review(&self, id: &ReviewId) -> StoreResult<Option<Review>>;

    /// The author's review of the app, if they have one (hidden ones included).
    async fn review_by_author(&self, app: &AppId, author: &UserId) -> StoreResult<Option<Review>>;

    /// R10: whether the customer obtained the app (a purchase of it or its items, free
    /// downloads included).
    async fn has_obtained(&self, customer: &UserId, app: &AppId) -> StoreResult<bool>;

    /// R10/R13/R18: creates or edits the author's review, the counters and, on an edit,
    /// the earlier version and the reply's outdated mark, in one transaction.
    async fn put_review(&self, write: &ReviewWrite, acting: &Acting, now: Timestamp) -> StoreResult<PutReviewOutcome>;

    /// R10/R13: deletes the author's review and resolves the open reports of it and of
    /// its reply (R12); `None` when there was none.
    async fn delete_review(
        &self,
        app: &AppId,
        author: &UserId,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<Review>>;

    /// R10: the earlier versions of a review, newest first.
    async fn review_versions(&self, id: &ReviewId) -> StoreResult<Vec<ReviewVersion>>;

    /// R11: posts or edits the official reply and queues `mails` if it changed.
    async fn put_reply(
        &self,
        review: &ReviewId,
        author: &UserId,
        text: &str,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyOutcome>;

    /// R18: confirms that the reply still answers the edited review; `None` without a
    /// reply.
    async fn confirm_reply(&self, review: &ReviewId, acting: &Acting, now: Timestamp) -> StoreResult<Option<Review>>;

    /// R11: deletes the official reply and resolves its open reports (R12); `None` when
    /// there was none.
    async fn delete_reply(
        &self,
        review: &ReviewId,
        author: &UserId,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<Review>>;

    /// R11: every version of the reply, newest first, deletions included.
    async fn reply_versions(&self, review: &ReviewId) -> StoreResult<Vec<ReplyVersion>>;

    /// R10: an app's visible reviews, keyset-paged in the order and with the filters
    /// asked for.
    async fn public_reviews(&self, app: &AppId, filter: &ReviewFilter, page: &PageRequest)
    -> StoreResult<Page<Review>>;

    /// [`ReviewStore::public_reviews`] as a shared page: the same `Arc` for as long as
    /// a cache holds the page unchanged, so that a door may keep what it made of the
    /// page (its JSON) and know it is still current by pointer. Without a cache, each
    /// call answers a new page.
    async fn public_reviews_shared(
        &self,
        app: &AppId,
        filter: &ReviewFilter,
        page: &PageRequest,
    ) -> StoreResult<std::sync::Arc<Page<Review>>> {
        Ok(std::sync::Arc::new(self.public_reviews(app, filter, page).await?))
    }

    /// R11: the reviews inbox of a seller (or of all, for operators).
    async fn review_inbox(
        &self,
        scope: &ReviewScope,
        filter: &InboxFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Review>>;

    /// Per app of a seller: reviews that owe an answer (the dashboard).
    async fn unanswered_review_counts(&self, seller: &SellerId) -> StoreResult<Vec<AppReviewCounts>>;

    /// R12: files a report, one open per reporter and item; a deleted review, or a reply
    /// that is not there, is [`crate::StoreError::NotFound`].
    async fn file_report(
        &self,
        review: &ReviewId,
        reporter: &UserId,
        draft: &ReportDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReportOutcome>;

    /// R12: the open reports of a review and its reply, oldest first.
    async fn open_reports(&self, review: &ReviewId) -> StoreResult<Vec<Report>>;

    /// R12: reported items, the longest waiting first.
    async fn moderation_queue(&self, page: &PageRequest) -> StoreResult<Page<ReportedItem>>;

    /// R12/R13: hides (`hide`) or shows again a review or its reply, with the reason,
    /// queueing `mails` only if something changed.
    #[allow(clippy::too_many_arguments)]
    async fn set_hidden(
        &self,
        review: &ReviewId,
        target: ReportTarget,
        hide: bool,
        reason: &str,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<HideOutcome>;

    /// R12: resolves an item's open reports without hiding it; answers how many.
    async fn dismiss_reports(
        &self,
        review: &ReviewId,
        target: ReportTarget,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<u64>;

    /// A seller's saved replies, by title.
    async fn reply_templates(&self, seller: &SellerId) -> StoreResult<Vec<ReplyTemplate>>;

    /// One saved reply.
    async fn reply_template(&self, id: &ReplyTemplateId) -> StoreResult<Option<ReplyTemplate>>;

    /// Saves a new reply template for the seller.
    async fn create_reply_template(
        &self,
        seller: &SellerId,
        draft: &TemplateDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyTemplate>;

    /// Changes a saved reply.
    async fn update_reply_template(
        &self,
        id: &ReplyTemplateId,
        draft: &TemplateDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyTemplate>;

    /// Deletes a saved reply; `false` when it did not exist.
    async fn delete_reply_template(&self, id: &ReplyTemplateId, acting: &Acting, now: Timestamp) -> StoreResult<bool>;

    /// R10/R11/R13: imports a batch of customers, their purchases and their reviews
    /// (with replies they already had) in one transaction, the apps' counters moved by
    /// the batch's per-star totals in it; answers how many reviews it wrote. The batch is
    /// checked first (known apps, customers only, one review per author and app, authors
    /// who obtained the app, replies by the seller's developers) and fails whole on a
    /// broken rule or a taken email, customer number, TID or review. It records history
    /// and notifies nobody: no mail is queued. R14: one audit entry per batch
    /// (`reviews.imported`, with its counts), not one per row.
    async fn import_reviews(&self, batch: &ReviewImport, acting: &Acting, now: Timestamp) -> StoreResult<u64>;
}
