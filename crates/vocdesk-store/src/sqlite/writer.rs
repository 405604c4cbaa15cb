//! Group commit: one thread owns the only write connection. It takes every unit of
//! work waiting (up to [`MAX_GROUP`]), runs them in one transaction, commits once (one
//! fsync for the group) and only then answers each caller. A unit is acknowledged only
//! after the commit that holds it is durable.
//!
//! One unit's failure rolls back that unit alone. Most failures (a refusal, a missing
//! row) come before the unit has written anything, so the group first runs without a
//! savepoint per unit: a savepoint makes SQLite copy every page a unit touches, which
//! was a fifth of the writer's time. Only when a unit fails after it has written does
//! the writer roll the group back and run every unit again, each in its own SAVEPOINT
//! ([`Unit`]s can run more than once for that).
//!
//! A storage fault (SQLITE_FULL, SQLITE_IOERR, a corrupt page, a failed COMMIT, or
//! SQLite rolling the transaction back by itself) fails every unit of the group with
//! [`StoreError::Unavailable`], closes the connection so that no stale transaction
//! survives, and marks the store unhealthy until a write succeeds again.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::oneshot;

use super::conn::{self, SqliteDb};
use crate::db::Unit;
use crate::{StoreError, StoreResult};

/// The most units one commit holds: enough to absorb a burst from every connection,
/// few enough that the first caller of a group never waits long for the last.
pub(crate) const MAX_GROUP: usize = 256;

/// How long the writer waits for one more unit before it commits what it has.
const LINGER: Duration = Duration::from_micros(100);

/// The most a group waits for latecomers, so that a steady trickle of units cannot
/// hold the first one back.
const MAX_LINGER: Duration = Duration::from_millis(1);

/// Whether the last group committed; `/healthz` reads it.
#[derive(Debug)]
pub(crate) struct Health {
    healthy: AtomicBool,
}

impl Health {
    /// True until a storage fault, then false until a group commits again.
    pub(crate) fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Acquire)
    }

    fn set(&self, healthy: bool) {
        self.healthy.store(healthy, Ordering::Release);
    }
}

/// A unit queued for the writer, with the channel its answer goes back on.
trait Job: Send {
    /// Runs the unit on `db` and keeps its outcome (a later run replaces it); answers
    /// whether it is to be kept (`Ok(true)`), failed (`Ok(false)`), or is a storage fault.
    fn run(&mut self, db: &mut SqliteDb<'_>) -> Result<bool, StoreError>;
    /// After the commit: sends the kept outcome.
    fn deliver(self: Box<Self>);
    /// After a storage fault: the unit was not kept.
    fn fail(self: Box<Self>, reason: &str);
}

struct Queued<T> {
    unit: Unit<T>,
    outcome: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T: Send + 'static> Job for Queued<T> {
    fn run(&mut self, db: &mut SqliteDb<'_>) -> Result<bool, StoreError> {
        // A unit that panics is a bug in that unit: it is rolled back alone and its
        // caller gets an error, while the writer and the group go on.
        let unit = &self.unit;
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| futures_executor::block_on(unit.run(db))))
            .unwrap_or_else(|_| Err(StoreError::Database("a unit of work panicked".into())));
        match outcome {
            Err(error) if error.is_unavailable() => Err(error),
            Err(error) => {
                self.outcome = Some(Err(error));
                Ok(false)
            }
            Ok(value) => {
                self.outcome = Some(Ok(value));
                Ok(true)
            }
        }
    }

    fn deliver(self: Box<Self>) {
        let outcome = self.outcome.unwrap_or_else(|| Err(StoreError::Unavailable("unit not run".to_owned())));
        // The caller may have gone (its client disconnected); the unit is committed all the same.
        let _ = self.reply.send(outcome);
    }

    fn fail(self: Box<Self>, reason: &str) {
        let _ = self.reply.send(Err(StoreError::Unavailable(reason.to_owned())));
    }
}

/// The handle callers queue units on; cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    queue: mpsc::Sender<Box<dyn Job>>,
    health: Arc<Health>,
}

impl Writer {
    /// Starts the writer thread on the database at `path` (opened on first use, and
    /// reopened after a fault). The thread ends when the last handle is dropped, after
    /// committing what was queued.
    pub(crate) fn start(path: PathBuf) -> StoreResult<Self> {
        let (queue, units) = mpsc::channel::<Box<dyn Job>>();
        let health = Arc::new(Health { healthy: AtomicBool::new(true) });
        let thread_health = health.clone();
        std::thread::Builder::new()
            .name("vocdesk-sqlite-writer".to_owned())
            .spawn(move || run(&path, &units, &thread_health))
            .map_err(|e| StoreError::Config(format!("cannot start the SQLite writer thread: {e}")))?;
        Ok(Self { queue, health })
    }

    /// Whether the last group committed.
    pub(crate) fn health(&self) -> &Health {
        &self.health
    }

    /// Queues `unit` and answers once the commit holding it is durable.
    pub(crate) async fn write<T: Send + 'static>(&self, unit: Unit<T>) -> StoreResult<T> {
        let (reply, answer) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(Queued { unit, outcome: None, reply });
        self.queue.send(job).map_err(|_| StoreError::Unavailable("the SQLite writer has stopped".to_owned()))?;
        answer.await.map_err(|_| StoreError::Unavailable("the SQLite writer stopped mid-group".to_owned()))?
    }
}

/// The writer thread's loop: one group per turn.
fn run(path: &std::path::Path, units: &mpsc::Receiver<Box<dyn Job>>, health: &Health) {
    let mut connection: Option<Connection> = None;
    while let Ok(first) = units.recv() {
        let mut group = gather(first, units);
        let mut conn = match connection.take() {
            Some(conn) => conn,
            None => match conn::open(path, false) {
                Ok(conn) => conn,
                Err(error) => {
                    tracing::error!(%error, "cannot open the SQLite store for writing");
                    health.set(false);
                    fail_all(group, "the store cannot be opened for writing");
                    continue;
                }
            },
        };
        tracing::debug!(units = group.len(), "committing a group");
        match commit_group(&mut conn, &mut group) {
            Ok(()) => {
                connection = Some(conn);
                health.set(true);
                for unit in group {
                    unit.deliver();
                }
            }
            Err(fault) => {
                tracing::error!(error = %fault, units = group.len(), "storage fault: the group is not kept; reopening the connection");
                health.set(false);
                // Closing the connection drops any transaction SQLite left behind.
                drop(conn);
                fail_all(group, "the store could not keep this write");
            }
        }
    }
}

/// Takes `first` and every unit behind it, lingering while more keep arriving (each
/// within [`LINGER`], at most [`MAX_LINGER`] in all): on a busy server the callers
/// that share a core with the writer get to queue their units, so that one commit (one
/// fsync, one write of each dirty page) holds many units instead of one.
fn gather(first: Box<dyn Job>, units: &mpsc::Receiver<Box<dyn Job>>) -> Vec<Box<dyn Job>> {
    let started = Instant::now();
    let mut group = vec![first];
    loop {
        while group.len() < MAX_GROUP {
            match units.try_recv() {
                Ok(unit) => group.push(unit),
                Err(_) => break,
            }
        }
        if group.len() >= MAX_GROUP || started.elapsed() >= MAX_LINGER {
            return group;
        }
        match units.recv_timeout(LINGER) {
            Ok(unit) => group.push(unit),
            Err(_) => return group,
        }
    }
}

fn fail_all(group: Vec<Box<dyn Job>>, reason: &str) {
    for unit in group {
        unit.fail(reason);
    }
}

/// A statement of the group's own bookkeeping: any failure of it is a storage fault.
fn control(conn: &Connection, sql: &str) -> Result<(), StoreError> {
    conn.prepare_cached(sql)
        .and_then(|mut statement| statement.execute([]))
        .map(drop)
        .map_err(|e| StoreError::Unavailable(format!("{sql}: {e}")))
}

/// One transaction holding every unit of `group`: first without savepoints and, if a
/// unit failed after it had written, once more with a savepoint for each unit.
fn commit_group(conn: &mut Connection, group: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    control(conn, "BEGIN IMMEDIATE")?;
    let result = match run_straight(conn, group) {
        Ok(true) => control(conn, "COMMIT"),
        Ok(false) => control(conn, "ROLLBACK")
            .and_then(|()| control(conn, "BEGIN IMMEDIATE"))
            .and_then(|()| run_in_savepoints(conn, group))
            .and_then(|()| control(conn, "COMMIT")),
        Err(fault) => Err(fault),
    };
    if result.is_err() && !conn.is_autocommit() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    result
}

/// Runs every unit straight in the group's transaction. Answers `false` at the first
/// unit that failed after changing rows, whose writes cannot be undone alone; a unit
/// that failed before writing leaves nothing to undo (SQLite undoes a failed statement
/// by itself, and only completed statements count as changes).
fn run_straight(conn: &mut Connection, group: &mut [Box<dyn Job>]) -> Result<bool, StoreError> {
    for unit in group.iter_mut() {
        let before = conn.total_changes();
        let kept = unit.run(&mut SqliteDb::new(conn))?;
        still_in_transaction(conn)?;
        if !kept && conn.total_changes() != before {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Runs every unit in its own savepoint, so that a failed one is rolled back alone.
fn run_in_savepoints(conn: &mut Connection, group: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    for unit in group.iter_mut() {
        control(conn, "SAVEPOINT unit")?;
        let kept = unit.run(&mut SqliteDb::new(conn))?;
        still_in_transaction(conn)?;
        if !kept {
            control(conn, "ROLLBACK TO unit")?;
        }
        control(conn, "RELEASE unit")?;
    }
    Ok(())
}

/// SQLite ends the transaction by itself after SQLITE_FULL or an I/O error: whatever
/// the units before this one wrote is gone, so the group is a storage fault.
fn still_in_transaction(conn: &Connection) -> Result<(), StoreError> {
    if conn.is_autocommit() {
        return Err(StoreError::Unavailable("SQLite rolled the transaction back".to_owned()));
    }
    Ok(())
}
