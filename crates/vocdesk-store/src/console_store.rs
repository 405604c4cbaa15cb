//! [`ConsoleStore`]: what the operator's home asks of the store, the size of each queue
//! an operator works (R5, R8, R15). Every [`crate::Store`] is one; both engines run the
//! same read.
//!
//! The three counts cross three aggregates (cancellation requests, inquiries, received
//! mail), so they are read here in one statement rather than in each aggregate's module:
//! one round trip, one snapshot. Each count is found through an index, never by
//! scanning a table (SQLite: `cancellation_requests_status_queue` by status, the partial
//! `inquiries_due` by range, the partial `inbound_waiting` whole; PostgreSQL: the
//! partial `cancellation_requests_one_open`, `inquiries_due` and `inbound_waiting`), so
//! the home's cost grows with the work waiting, not with the history kept.

use async_trait::async_trait;
use jiff::Timestamp;

use crate::StoreResult;
use crate::db::{Db, Engine, query, work};
use crate::rows::millis;

/// How much work waits in each of the operator's queues.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OperatorCounts {
    /// R8: cancellation requests no operator has decided yet.
    pub open_requests: i64,
    /// R5: inquiries whose customer has waited past the response limit.
    pub overdue: i64,
    /// R15: received mail that waits for an operator (held, or not yet decided).
    pub held_mail: i64,
}

/// R5/R8/R15: the counts of the operator's home.
#[async_trait]
pub trait ConsoleStore: Send + Sync {
    /// The size of each queue now; an inquiry whose customer has waited since before
    /// `overdue_cutoff` (`now - limit`) is overdue, as in the overdue queue.
    async fn operator_counts(&self, overdue_cutoff: Timestamp) -> StoreResult<OperatorCounts>;
}

/// The three counts in one statement. The conditions repeat the partial indexes'
/// own, so that each engine may count from them; `held`/`received` is
/// `InboundStatus::awaits_operator`, the held-mail queue's condition.
async fn counts(db: &mut dyn Db, overdue_cutoff: Timestamp) -> StoreResult<OperatorCounts> {
    let (open_requests, overdue, held_mail): (i64, i64, i64) = query(
        "SELECT \
         (SELECT COUNT(*) FROM cancellation_requests WHERE status = 'open'), \
         (SELECT COUNT(*) FROM inquiries WHERE awaiting_since IS NOT NULL AND awaiting_since < $1), \
         (SELECT COUNT(*) FROM inbound_mail WHERE status IN ('held', 'received'))",
    )
    .bind(millis(overdue_cutoff))
    .fetch_one(db)
    .await?;
    Ok(OperatorCounts { open_requests, overdue, held_mail })
}

#[async_trait]
impl<E: Engine> ConsoleStore for E {
    async fn operator_counts(&self, overdue_cutoff: Timestamp) -> StoreResult<OperatorCounts> {
        self.read_with(work(move |db| Box::pin(async move { counts(db, overdue_cutoff).await }))).await
    }
}
