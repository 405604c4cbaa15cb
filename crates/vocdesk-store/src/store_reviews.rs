//! [`ReviewStore`] for both engines: each method hands its unit of work or read, written
//! once in `reviews`, `moderation` and `templates`, to the engine, as `store_impl` does
//! for the rest of the store.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{AppId, ReplyTemplateId, ReviewId, SellerId, UserId};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::review::{
    AppReviewCounts, InboxFilter, ReplyTemplate, ReplyVersion, Report, ReportDraft, ReportTarget, ReportedItem, Review,
    ReviewFilter, ReviewScope, ReviewVersion, TemplateDraft,
};

use crate::bulk::ReviewImport;
use crate::db::{Engine, unit, work};
use crate::review_store::{HideOutcome, PutReviewOutcome, ReplyOutcome, ReportOutcome, ReviewStore, ReviewWrite};
use crate::{Acting, StoreResult, bulk, moderation, reviews, templates};

#[async_trait]
impl<E: Engine> ReviewStore for E {
    async fn review(&self, id: &ReviewId) -> StoreResult<Option<Review>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { reviews::review(db, &id).await }))).await
    }

    async fn review_by_author(&self, app: &AppId, author: &UserId) -> StoreResult<Option<Review>> {
        let (app, author) = (app.clone(), author.clone());
        self.read_with(work(move |db| Box::pin(async move { reviews::review_by_author(db, &app, &author).await })))
            .await
    }

    async fn has_obtained(&self, customer: &UserId, app: &AppId) -> StoreResult<bool> {
        let (customer, app) = (customer.clone(), app.clone());
        self.read_with(work(move |db| Box::pin(async move { reviews::has_obtained(db, &customer, &app).await }))).await
    }

    async fn put_review(&self, write: &ReviewWrite, acting: &Acting, now: Timestamp) -> StoreResult<PutReviewOutcome> {
        self.write_with(unit((write.clone(), acting.clone()), move |db, (write, acting)| {
            Box::pin(async move { reviews::put_review(db, write, acting, now).await })
        }))
        .await
    }

    async fn delete_review(
        &self,
        app: &AppId,
        author: &UserId,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<Review>> {
        self.write_with(unit((app.clone(), author.clone(), acting.clone()), move |db, (app, author, acting)| {
            Box::pin(async move { reviews::delete_review(db, app, author, acting, now).await })
        }))
        .await
    }

    async fn review_versions(&self, id: &ReviewId) -> StoreResult<Vec<ReviewVersion>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { reviews::review_versions(db, &id).await }))).await
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
        let args = (review.clone(), author.clone(), text.to_owned(), mails.to_vec(), acting.clone());
        self.write_with(unit(args, move |db, (review, author, text, mails, acting)| {
            Box::pin(async move { reviews::put_reply(db, review, author, text, mails, acting, now).await })
        }))
        .await
    }

    async fn confirm_reply(&self, review: &ReviewId, acting: &Acting, now: Timestamp) -> StoreResult<Option<Review>> {
        self.write_with(unit((review.clone(), acting.clone()), move |db, (review, acting)| {
            Box::pin(async move { reviews::confirm_reply(db, review, acting, now).await })
        }))
        .await
    }

    async fn delete_reply(
        &self,
        review: &ReviewId,
        author: &UserId,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<Option<Review>> {
        self.write_with(unit((review.clone(), author.clone(), acting.clone()), move |db, (review, author, acting)| {
            Box::pin(async move { reviews::delete_reply(db, review, author, acting, now).await })
        }))
        .await
    }

    async fn reply_versions(&self, review: &ReviewId) -> StoreResult<Vec<ReplyVersion>> {
        let review = review.clone();
        self.read_with(work(move |db| Box::pin(async move { reviews::reply_versions(db, &review).await }))).await
    }

    async fn public_reviews(
        &self,
        app: &AppId,
        filter: &ReviewFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Review>> {
        let (app, filter, page) = (app.clone(), filter.clone(), page.clone());
        self.read_with(work(move |db| Box::pin(async move { reviews::public_reviews(db, &app, &filter, &page).await })))
            .await
    }

    async fn review_inbox(
        &self,
        scope: &ReviewScope,
        filter: &InboxFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Review>> {
        let (scope, filter, page) = (scope.clone(), filter.clone(), page.clone());
        self.read_with(work(move |db| Box::pin(async move { reviews::review_inbox(db, &scope, &filter, &page).await })))
            .await
    }

    async fn unanswered_review_counts(&self, seller: &SellerId) -> StoreResult<Vec<AppReviewCounts>> {
        let seller = seller.clone();
        self.read_with(work(move |db| Box::pin(async move { reviews::unanswered_counts(db, &seller).await }))).await
    }

    async fn file_report(
        &self,
        review: &ReviewId,
        reporter: &UserId,
        draft: &ReportDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReportOutcome> {
        let args = (review.clone(), reporter.clone(), draft.clone(), acting.clone());
        self.write_with(unit(args, move |db, (review, reporter, draft, acting)| {
            Box::pin(async move { moderation::file_report(db, review, reporter, draft, acting, now).await })
        }))
        .await
    }

    async fn open_reports(&self, review: &ReviewId) -> StoreResult<Vec<Report>> {
        let review = review.clone();
        self.read_with(work(move |db| Box::pin(async move { moderation::open_reports(db, &review).await }))).await
    }

    async fn moderation_queue(&self, page: &PageRequest) -> StoreResult<Page<ReportedItem>> {
        let page = page.clone();
        self.read_with(work(move |db| Box::pin(async move { moderation::moderation_queue(db, &page).await }))).await
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
        let args = (review.clone(), reason.to_owned(), mails.to_vec(), acting.clone());
        self.write_with(unit(args, move |db, (review, reason, mails, acting)| {
            Box::pin(async move { moderation::set_hidden(db, review, target, hide, reason, mails, acting, now).await })
        }))
        .await
    }

    async fn dismiss_reports(
        &self,
        review: &ReviewId,
        target: ReportTarget,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<u64> {
        self.write_with(unit((review.clone(), acting.clone()), move |db, (review, acting)| {
            Box::pin(async move { moderation::dismiss_reports(db, review, target, acting, now).await })
        }))
        .await
    }

    async fn reply_templates(&self, seller: &SellerId) -> StoreResult<Vec<ReplyTemplate>> {
        let seller = seller.clone();
        self.read_with(work(move |db| Box::pin(async move { templates::templates(db, &seller).await }))).await
    }

    async fn reply_template(&self, id: &ReplyTemplateId) -> StoreResult<Option<ReplyTemplate>> {
        let id = id.clone();
        self.read_with(work(move |db| Box::pin(async move { templates::template(db, &id).await }))).await
    }

    async fn create_reply_template(
        &self,
        seller: &SellerId,
        draft: &TemplateDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyTemplate> {
        self.write_with(unit((seller.clone(), draft.clone(), acting.clone()), move |db, (seller, draft, acting)| {
            Box::pin(async move { templates::create_template(db, seller, draft, acting, now).await })
        }))
        .await
    }

    async fn update_reply_template(
        &self,
        id: &ReplyTemplateId,
        draft: &TemplateDraft,
        acting: &Acting,
        now: Timestamp,
    ) -> StoreResult<ReplyTemplate> {
        self.write_with(unit((id.clone(), draft.clone(), acting.clone()), move |db, (id, draft, acting)| {
            Box::pin(async move { templates::update_template(db, id, draft, acting, now).await })
        }))
        .await
    }

    async fn delete_reply_template(&self, id: &ReplyTemplateId, acting: &Acting, now: Timestamp) -> StoreResult<bool> {
        self.write_with(unit((id.clone(), acting.clone()), move |db, (id, acting)| {
            Box::pin(async move { templates::delete_template(db, id, acting, now).await })
        }))
        .await
    }

    async fn import_reviews(&self, batch: &ReviewImport, acting: &Acting, now: Timestamp) -> StoreResult<u64> {
        self.write_with(unit((batch.clone(), acting.clone()), move |db, (batch, acting)| {
            Box::pin(async move { bulk::import_reviews(db, batch, acting, now).await })
        }))
        .await
    }
}
