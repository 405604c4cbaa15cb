//! [`DeliveryStore`]: what the delivery worker asks of the store (R16). Every
//! [`crate::Store`] is one; both engines run the same units, written in `outbox`.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::ids::{InquiryId, OutboxId};
use vocdesk_domain::outbox::QueuedMail;

use crate::db::{Engine, unit, work};
use crate::outbox::{self, AttemptOutcome, RetryOutcome};
use crate::{Acting, StoreResult};

/// R16: claiming due mail and recording each attempt.
#[async_trait]
pub trait DeliveryStore: Send + Sync {
    /// Claims up to `limit` due mails for `worker` until `lease_until`; no other worker
    /// (in this process or another on the same PostgreSQL) gets them meanwhile.
    async fn claim_due_mail(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>>;

    /// Records how `worker`'s attempt at `id` ended; `false` when the worker no longer
    /// held the mail (its lease ran out and another worker took it).
    async fn finish_delivery_attempt(
        &self,
        id: &OutboxId,
        worker: &str,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> StoreResult<bool>;

    /// An operator's retry of a mail that failed for good: pending and due now, with a
    /// new day of attempts; audited.
    async fn retry_mail(&self, id: &OutboxId, acting: &Acting, now: Timestamp) -> StoreResult<RetryOutcome>;

    /// Every mail about `inquiry`, oldest first, with its delivery status (the thread
    /// shows developers whether each reply reached the customer).
    async fn mail_about_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<QueuedMail>>;

    /// How many mails `address` was sent since `since` (the per-recipient cap).
    async fn mail_sent_to_since(&self, address: &str, since: Timestamp) -> StoreResult<u64>;
}

#[async_trait]
impl<E: Engine> DeliveryStore for E {
    async fn claim_due_mail(
        &self,
        worker: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<QueuedMail>> {
        self.write_with(unit(worker.to_owned(), move |db, worker| {
            Box::pin(async move { outbox::claim_due(db, worker, now, lease_until, i64::from(limit)).await })
        }))
        .await
    }

    async fn finish_delivery_attempt(
        &self,
        id: &OutboxId,
        worker: &str,
        outcome: &AttemptOutcome,
        now: Timestamp,
    ) -> StoreResult<bool> {
        self.write_with(unit((id.clone(), worker.to_owned(), outcome.clone()), move |db, (id, worker, outcome)| {
            Box::pin(async move { outbox::finish_attempt(db, id, worker, outcome, now).await })
        }))
        .await
    }

    async fn retry_mail(&self, id: &OutboxId, acting: &Acting, now: Timestamp) -> StoreResult<RetryOutcome> {
        self.write_with(unit((id.clone(), acting.clone()), move |db, (id, acting)| {
            Box::pin(async move { outbox::retry_mail(db, id, acting, now).await })
        }))
        .await
    }

    async fn mail_about_inquiry(&self, inquiry: &InquiryId) -> StoreResult<Vec<QueuedMail>> {
        let inquiry = inquiry.clone();
        self.read_with(work(move |db| Box::pin(async move { outbox::about(db, &inquiry).await }))).await
    }

    async fn mail_sent_to_since(&self, address: &str, since: Timestamp) -> StoreResult<u64> {
        let address = address.to_owned();
        self.read_with(work(move |db| Box::pin(async move { outbox::sent_to_since(db, &address, since).await }))).await
    }
}
