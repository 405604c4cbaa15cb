//! [`ReviewStore`] for [`CachedStore`]: pages of an app's public reviews are served
//! from memory, and every write that can change what the public sees of an app (its
//! reviews, replies, moderation, and with them the R13 counters the app carries)
//! forgets that app's pages, the app and the app lists, after the write and also when
//! it fails (it may have committed). Other processes' writes show within the TTL.

use std::sync::Arc;

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{AppId, ReplyTemplateId, ReviewId, SellerId, UserId};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::review::{
    AppReviewCounts, InboxFilter, ReplyTemplate, ReplyVersion, Report, ReportDraft, ReportTarget, ReportedItem, Review,
    ReviewFilter, ReviewScope, ReviewVersion, TemplateDraft,
};

use super::{CachedStore, find_through, read_through};
use crate::bulk::ReviewImport;
use crate::review_store::{HideOutcome, PutReviewOutcome, ReplyOutcome, ReportOutcome, ReviewStore, ReviewWrite};
use crate::{Acting, StoreResult};

/// The cache key of one page of [`ReviewStore::public_reviews`].
pub(super) type PageKey = (AppId, ReviewFilter, u32, Option<(i64, String)>);

impl CachedStore {
    /// Forgets what the public sees of `app`: its review pages, the app with its summary,
    /// and the app lists that show the summary.
    fn forget_reviews_of(&self, app: &AppId) {
        self.review_pages.forget_keys_where(|(of, ..)| of == app);
        self.apps.forget(app);
        self.app_lists.forget_all();
    }

    /// After a write named by review id: forgets its app when the write answered the
    /// review, and every app's pages when it failed (the app is not known then).
    fn forget_after<T>(&self, result: &StoreResult<T>, app: impl Fn(&T) -> Option<&AppId>) {
        match result.as_ref().ok().and_then(app) {
            Some(app) => self.forget_reviews_of(app),
            None => {
                self.review_pages.forget_all();
                self.apps.forget_all();
                self.app_lists.forget_all();
            }
        }
    }
}

fn app_of_reply(outcome: &ReplyOutcome) -> Option<&AppId> {
    match outcome {
        ReplyOutcome::Posted(r) | ReplyOutcome::Unchanged(r) => Some(&r.app_id),
        ReplyOutcome::ReviewHidden => None,
    }
}

fn app_of_hide(outcome: &HideOutcome) -> Option<&AppId> {
    match outcome {
        HideOutcome::Changed(r) | HideOutcome::Unchanged(r) => Some(&r.app_id),
        HideOutcome::NoReply => None,
    }
}

#[async_trait]
impl ReviewStore for CachedStore {
    async fn review(&self, id: &ReviewId) -> StoreResult<Option<Review>> {
        self.inner.review(id).await
    }

    async fn review_by_author(&self, app: &AppId, author: &UserId) -> StoreResult<Option<Review>> {
        self.inner.review_by_author(app, author).await
    }

    async fn has_obtained(&self, customer: &UserId, app: &AppId) -> StoreResult<bool> {
        let key = (customer.clone(), app.clone());
        let found = find_through(&self.obtained, key, async {
            Ok(self.inner.has_obtained(customer, app).await?.then_some(()))
        })
        .await?;
        Ok(found.is_some())
    }

    async fn put_review(&self, write: &ReviewWrite, acting: &Acting, now: Timestamp) -> StoreResult<PutReviewOutcome> {
        let result = self.inner.put_review(write, acting, now).await;
        self.forget_reviews_of(&write.app_id);
        result
    }

    async fn delete_review(
        &self,
        app: &AppId,
        author: &UserId,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<Review>> {
        let result = self.inner.delete_review(app, author, acting, now).await;
        self.forget_reviews_of(app);
        result
    }

    async fn review_versions(&self, id: &ReviewId) -> StoreResult<Vec<ReviewVersion>> {
        self.inner.review_versions(id).await
    }

    async fn put_reply(
        &self,
        review: &ReviewId,
        author: &UserId,
        text: &str,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyOutcome> {
        let result = self.inner.put_reply(review, author, text, mails, acting, now).await;
        self.forget_after(&result, app_of_reply);
        result
    }

    async fn confirm_reply(&self, review: &ReviewId, acting: &Acting, now: Timestamp) -> StoreResult<Option<Review>> {
        let result = self.inner.confirm_reply(review, acting, now).await;
        self.forget_after(&result, |r| r.as_ref().map(|r| &r.app_id));
        result
    }

    async fn delete_reply(
        &self,
        review: &ReviewId,
        author: &UserId,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<Review>> {
        let result = self.inner.delete_reply(review, author, acting, now).await;
        self.forget_after(&result, |r| r.as_ref().map(|r| &r.app_id));
        result
    }

    async fn reply_versions(&self, review: &ReviewId) -> StoreResult<Vec<ReplyVersion>> {
        self.inner.reply_versions(review).await
    }

    async fn public_reviews(
        &self,
        app: &AppId,
        filter: &ReviewFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Review>> {
        Ok(self.public_reviews_shared(app, filter, page).await?.as_ref().clone())
    }

    async fn public_reviews_shared(
        &self,
        app: &AppId,
        filter: &ReviewFilter,
        page: &PageRequest,
    ) -> StoreResult<Arc<Page<Review>>> {
        let key = (app.clone(), filter.clone(), page.limit, page.after.as_ref().map(|c| (c.key, c.id.clone())));
        let read = async { self.inner.public_reviews(app, filter, page).await.map(Arc::new) };
        read_through(&self.review_pages, key, read).await
    }

    async fn review_inbox(
        &self,
        scope: &ReviewScope,
        filter: &InboxFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Review>> {
        self.inner.review_inbox(scope, filter, page).await
    }

    async fn unanswered_review_counts(&self, seller: &SellerId) -> StoreResult<Vec<AppReviewCounts>> {
        self.inner.unanswered_review_counts(seller).await
    }

    async fn file_report(
        &self,
        review: &ReviewId,
        reporter: &UserId,
        draft: &ReportDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReportOutcome> {
        self.inner.file_report(review, reporter, draft, acting, now).await
    }

    async fn open_reports(&self, review: &ReviewId) -> StoreResult<Vec<Report>> {
        self.inner.open_reports(review).await
    }

    async fn moderation_queue(&self, page: &PageRequest) -> StoreResult<Page<ReportedItem>> {
        self.inner.moderation_queue(page).await
    }

    async fn set_hidden(
        &self,
        review: &ReviewId,
        target: ReportTarget,
        hide: bool,
        reason: &str,
        mails: &[OutgoingMail],
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<HideOutcome> {
        let result = self.inner.set_hidden(review, target, hide, reason, mails, acting, now).await;
        self.forget_after(&result, app_of_hide);
        result
    }

    async fn dismiss_reports(
        &self,
        review: &ReviewId,
        target: ReportTarget,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<u64> {
        self.inner.dismiss_reports(review, target, acting, now).await
    }

    async fn reply_templates(&self, seller: &SellerId) -> StoreResult<Vec<ReplyTemplate>> {
        self.inner.reply_templates(seller).await
    }

    async fn reply_template(&self, id: &ReplyTemplateId) -> StoreResult<Option<ReplyTemplate>> {
        self.inner.reply_template(id).await
    }

    async fn create_reply_template(
        &self,
        seller: &SellerId,
        draft: &TemplateDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyTemplate> {
        self.inner.create_reply_template(seller, draft, acting, now).await
    }

    async fn update_reply_template(
        &self,
        id: &ReplyTemplateId,
        draft: &TemplateDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyTemplate> {
        self.inner.update_reply_template(id, draft, acting, now).await
    }

    async fn delete_reply_template(&self, id: &ReplyTemplateId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.inner.delete_reply_template(id, acting, now).await
    }

    async fn import_reviews(&self, batch: &ReviewImport, acting: &Acting, now: Timestamp) -> StoreResult<u64> {
        // A batch may touch every app: forget every page and app, also on failure (the
        // batch may have committed before the answer was lost).
        let result = self.inner.import_reviews(batch, acting, now).await;
        self.review_pages.forget_all();
        self.apps.forget_all();
        self.app_lists.forget_all();
        result
    }
}
