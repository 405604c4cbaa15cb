//! Attempt budgets (item 19): one GCRA bucket per key in `attempt_budgets`, spent by
//! one read-decide-write in one transaction, so that every door and every process on
//! one database draws from the same bucket. The decision is the domain's
//! ([`vocdesk_domain::throttle::admit_all`]); this module only locks, reads and writes.

use jiff::Timestamp;
use vocdesk_domain::throttle::{Admission, Charge, admit_all};

use crate::StoreResult;
use crate::db::{Db, query};
use crate::rows::{millis, timestamp};

/// Spends one attempt from every charge, or from none. Each bucket's row is created if
/// missing and locked by the upsert (PostgreSQL: the row lock, held to the commit;
/// SQLite: the one writer), in key order, so that two attempts sharing buckets never
/// wait on each other in a circle; the domain decides from what was read; only an
/// allowed attempt writes the new times. A row created here for a refused attempt holds
/// `now`, which says the same as no row.
pub(crate) async fn spend(db: &mut dyn Db, charges: &[Charge], now: Timestamp) -> StoreResult<Admission> {
    let mut order: Vec<usize> = (0..charges.len()).collect();
    order.sort_by(|a, b| charges[*a].key.cmp(&charges[*b].key));
    let mut stored = vec![None; charges.len()];
    for &i in &order {
        let (tat,): (i64,) = query(
            "INSERT INTO attempt_budgets (bucket, tat) VALUES ($1, $2) \
             ON CONFLICT (bucket) DO UPDATE SET tat = attempt_budgets.tat RETURNING tat",
        )
        .bind(charges[i].key.as_str())
        .bind(millis(now))
        .fetch_one(db)
        .await?;
        stored[i] = Some(timestamp(tat)?);
    }
    let admission = admit_all(charges, &stored, now);
    if let Admission::Allowed(tats) = &admission {
        for &i in &order {
            query("UPDATE attempt_budgets SET tat = $2 WHERE bucket = $1")
                .bind(charges[i].key.as_str())
                .bind(millis(tats[i]))
                .execute(db)
                .await?;
        }
    }
    Ok(admission)
}

/// Removes up to `limit` buckets whose time is past (full buckets, the same as no row),
/// oldest first through `attempt_budgets_by_tat`. Run in a transaction of its own after
/// a spend: on PostgreSQL it passes over rows another attempt holds (`SKIP LOCKED`), so
/// it never waits and never makes anyone wait. Answers how many went.
pub(crate) async fn purge(db: &mut dyn Db, now: Timestamp, limit: i64) -> StoreResult<u64> {
    let sql = format!(
        "DELETE FROM attempt_budgets WHERE tat <= $1 AND bucket IN \
         (SELECT bucket FROM attempt_budgets WHERE tat <= $1 ORDER BY tat LIMIT $2{})",
        db.skip_locked()
    );
    query(&sql).bind(millis(now)).bind(limit).execute(db).await
}
