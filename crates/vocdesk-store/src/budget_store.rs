//! [`BudgetStore`]: attempt budgets kept in the database (item 19), so that a limit
//! holds across doors and across every process on one PostgreSQL. Every
//! [`crate::Store`] is one; both engines run the same units, written in `budgets`.

use async_trait::async_trait;
use jiff::Timestamp;
use vocdesk_domain::throttle::{Admission, Charge};

use crate::db::{Engine, unit};
use crate::{StoreResult, budgets};

/// Buckets past their time removed after each spend: more than one spend creates, so
/// the table never grows past the buckets in use, and few enough to cost nothing.
const PURGE_BATCH: i64 = 64;

/// Spending attempts from named budgets. Not audited (R14 records changes to people's
/// things; a budget is a counter of ours, and a refused attempt changes nothing).
#[async_trait]
pub trait BudgetStore: Send + Sync {
    /// Spends one attempt from each charge (distinct keys), all or nothing, in one
    /// transaction: [`Admission::Allowed`] when every bucket had one (then each is
    /// spent), otherwise [`Admission::Refused`] with the longest wait and nothing
    /// spent. Buckets left full are removed afterwards, a few at a time.
    async fn spend_budgets(&self, charges: &[Charge], now: Timestamp) -> StoreResult<Admission>;
}

#[async_trait]
impl<E: Engine> BudgetStore for E {
    async fn spend_budgets(&self, charges: &[Charge], now: Timestamp) -> StoreResult<Admission> {
        let admission = self
            .write_with(unit(charges.to_vec(), move |db, charges| {
                Box::pin(async move { budgets::spend(db, charges, now).await })
            }))
            .await?;
        // Cleaning is housekeeping: the attempt's answer stands whether or not it works.
        let purged = self
            .write_with(unit((), move |db, ()| Box::pin(async move { budgets::purge(db, now, PURGE_BATCH).await })))
            .await;
        if let Err(error) = purged {
            tracing::warn!(%error, "removing full attempt budgets failed");
        }
        Ok(admission)
    }
}
