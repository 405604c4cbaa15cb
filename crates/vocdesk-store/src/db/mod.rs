//! The one seam between the SQL both engines share and the two drivers that run it.
//!
//! Every query of the store is written once, in portable SQL with `$1` placeholders,
//! against [`Db`]: a connection or transaction that executes a statement with
//! [`Value`] arguments and answers [`Row`]s. SQLite (rusqlite, synchronous) and
//! PostgreSQL (sqlx, asynchronous) each implement it in their own module. The trait is
//! `async` so that PostgreSQL never blocks a runtime thread; on SQLite its futures are
//! ready at once and run on the writer thread or a reader's blocking thread.

mod query;
mod row;

use std::future::Future;
use std::pin::Pin;

use async_trait::async_trait;

pub(crate) use query::{SqlBuilder, query};
pub(crate) use row::{FromRow, Kind, Row, Value};

use crate::StoreResult;

/// A future that may cross threads, as units of work and reads do.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A read, written once for both engines: it gets a read connection of the engine
/// and answers a value or an error. It runs once; units of work are [`Unit`]s.
pub(crate) type Work<T> = Box<dyn for<'a> FnOnce(&'a mut dyn Db) -> BoxFuture<'a, StoreResult<T>> + Send>;

/// A unit of work that can run more than once: the SQLite writer runs a group of
/// units without a savepoint each and, only when one fails after it has written, rolls
/// the group back and runs the rest again, each in its own savepoint. Its arguments are
/// therefore kept by the unit and lent to each run, never moved into one.
pub(crate) type Unit<T> = Box<dyn Rerun<T>>;

/// What a [`Unit`] is: a run that borrows the connection and the unit's own arguments.
pub(crate) trait Rerun<T>: Send {
    /// Runs the unit once on `db`; may be called again after a rollback.
    fn run<'a>(&'a self, db: &'a mut dyn Db) -> BoxFuture<'a, StoreResult<T>>;
}

/// A [`Unit`] made of its arguments and a function over them.
struct WithArgs<A, F> {
    args: A,
    run: F,
}

impl<T, A, F> Rerun<T> for WithArgs<A, F>
where
    A: Send + Sync,
    F: for<'a> Fn(&'a mut dyn Db, &'a A) -> BoxFuture<'a, StoreResult<T>> + Send + Sync,
{
    fn run<'a>(&'a self, db: &'a mut dyn Db) -> BoxFuture<'a, StoreResult<T>> {
        (self.run)(db, &self.args)
    }
}

/// Boxes a unit of work written as a function of the connection and `args`, so that
/// callers write `unit((a, b), |db, (a, b)| Box::pin(async move { ... }))`.
pub(crate) fn unit<T, A, F>(args: A, run: F) -> Unit<T>
where
    T: 'static,
    A: Send + Sync + 'static,
    F: for<'a> Fn(&'a mut dyn Db, &'a A) -> BoxFuture<'a, StoreResult<T>> + Send + Sync + 'static,
{
    Box::new(WithArgs { args, run })
}

/// A connection or transaction of either engine.
#[async_trait]
pub(crate) trait Db: Send {
    /// Runs a statement; answers how many rows it changed.
    async fn execute(&mut self, sql: &str, args: &[Value]) -> StoreResult<u64>;

    /// Runs a query; answers every row.
    async fn fetch_all(&mut self, sql: &str, args: &[Value]) -> StoreResult<Vec<Row>>;

    /// Runs a query; answers its first row, if any.
    async fn fetch_optional(&mut self, sql: &str, args: &[Value]) -> StoreResult<Option<Row>>;

    /// What a claim query ends with so that concurrent workers pass over each other's
    /// rows instead of waiting for them: PostgreSQL's `FOR UPDATE SKIP LOCKED`; nothing
    /// on SQLite, whose one writer runs claims one after another.
    fn skip_locked(&self) -> &'static str {
        ""
    }
}

/// What each engine offers the shared code: reads on a connection of their own, and
/// units of work that commit all or nothing before they answer.
#[async_trait]
pub(crate) trait Engine: Send + Sync + 'static {
    /// `sqlite` or `postgresql`, for logs and `/healthz`.
    fn engine_name(&self) -> &'static str;

    /// Applies pending migrations; safe to call from several processes at once.
    async fn run_migrations(&self) -> StoreResult<()>;

    /// Answers when the engine can read and, after a storage fault, write again.
    async fn check_health(&self) -> StoreResult<()>;

    /// Runs `work` on a read connection (it sees every acknowledged write).
    async fn read_with<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T>;

    /// Runs `unit` as one unit of work: committed durably before this answers `Ok`,
    /// rolled back alone when it answers `Err`.
    async fn write_with<T: Send + 'static>(&self, unit: Unit<T>) -> StoreResult<T>;
}

/// Boxes a read written as a closure over the connection, so that callers write
/// `work(move |db| Box::pin(async move { ... }))` without naming types.
pub(crate) fn work<T, F>(f: F) -> Work<T>
where
    F: for<'a> FnOnce(&'a mut dyn Db) -> BoxFuture<'a, StoreResult<T>> + Send + 'static,
{
    Box::new(f)
}
