//! The embedded store: one SQLite file in the data directory (rusqlite, bundled
//! SQLite), in WAL mode with full synchronous commits. Writes are units of work handed
//! to one writer thread that commits them in groups ([`writer`]); reads run on a small
//! pool of read-only connections on blocking threads, each with its prepared
//! statements cached.

mod conn;
mod migrate;
mod writer;

use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::db::{Engine, Unit, Work, query, unit, work};
use crate::{StoreError, StoreResult};
use conn::SqliteDb;
use writer::Writer;

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "vocdesk.sqlite3";

/// The file beside the database that is locked while migrations run.
const MIGRATION_LOCK_FILE: &str = "vocdesk.sqlite3.migrate-lock";

/// The health probe's payload: larger than any one unit of work the API accepts.
const PROBE_BYTES: i64 = 256 * 1024;

/// Reads at once: a few more than the cores, since a read may wait on the disk.
const READERS: usize = 8;

/// The SQLite implementation of [`crate::Store`].
#[derive(Clone, Debug)]
pub struct SqliteStore {
    writer: Writer,
    readers: Arc<Readers>,
    migration_lock: PathBuf,
}

/// Idle read-only connections, opened on demand, at most [`READERS`] in use.
#[derive(Debug)]
struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Semaphore,
}

impl Readers {
    fn take(&self) -> StoreResult<Connection> {
        let idle = self.idle.lock().map(|mut idle| idle.pop()).unwrap_or_default();
        match idle {
            Some(conn) => Ok(conn),
            None => conn::open(&self.path, true),
        }
    }

    fn give_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `data_dir`.
    pub async fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Config(format!("cannot create data directory {}: {e}", data_dir.display())))?;
        let path = data_dir.join(DATABASE_FILE);
        // Create the file and set WAL now, so that readers can open it at once and a
        // bad data directory is reported at start-up rather than on the first write.
        let probe = path.clone();
        tokio::task::spawn_blocking(move || conn::open(&probe, false).map(drop))
            .await
            .map_err(|e| StoreError::Config(format!("opening the SQLite store failed: {e}")))??;
        let writer = Writer::start(path.clone())?;
        let readers = Arc::new(Readers { path, idle: Mutex::new(Vec::new()), permits: Semaphore::new(READERS) });
        Ok(Self { writer, readers, migration_lock: data_dir.join(MIGRATION_LOCK_FILE) })
    }
}

#[async_trait]
impl Engine for SqliteStore {
    fn engine_name(&self) -> &'static str {
        "sqlite"
    }

    /// Two processes (or two handles) migrating a new database at once would both
    /// apply the first migration: an exclusive lock on a file beside the database
    /// serialises them, as PostgreSQL's advisory lock does there.
    async fn run_migrations(&self) -> StoreResult<()> {
        let lock_path = self.migration_lock.clone();
        let db_path = self.readers.path.clone();
        let now_ms = jiff::Timestamp::now().as_millisecond();
        tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&lock_path)
                .and_then(|file| file.lock().map(|()| file))
                .map_err(|e| StoreError::Config(format!("cannot lock {}: {e}", lock_path.display())))?;
            let mut conn = conn::open(&db_path, false)?;
            let result = migrate::run(&mut conn, now_ms);
            drop(file);
            result
        })
        .await
        .map_err(|e| StoreError::Config(format!("migration task failed: {e}")))?
    }

    async fn check_health(&self) -> StoreResult<()> {
        if !self.writer.health().is_healthy() {
            // After a fault, only a write shows that writes work again (the disk has
            // space, the file is readable): a probe through the writer, as large as a
            // large unit of work, so that a few bytes freed by a failed write's partial
            // append do not pass for a disk with room.
            let now = jiff::Timestamp::now().as_millisecond();
            self.writer
                .write(unit((), move |db, ()| {
                    Box::pin(async move {
                        query(
                            "INSERT INTO store_probe (id, checked_at, payload) VALUES (1, $1, zeroblob($2)) \
                             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at, payload = excluded.payload",
                        )
                        .bind(now)
                        .bind(PROBE_BYTES)
                        .execute(db)
                        .await
                        .map(drop)
                    })
                }))
                .await?;
        }
        self.read_with(work(|db| Box::pin(async move { query("SELECT 1").execute(db).await.map(drop) }))).await
    }

    async fn read_with<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let _permit = self
            .readers
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Unavailable("the SQLite readers are closed".to_owned()))?;
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = readers.take()?;
            // One read transaction, so that a read of several statements (a thread and
            // its messages) sees one snapshot.
            conn.prepare_cached("BEGIN")?.execute([])?;
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                futures_executor::block_on(work(&mut SqliteDb::new(&mut conn)))
            }))
            .unwrap_or_else(|_| Err(StoreError::Database("a read panicked".into())));
            if !conn.is_autocommit() {
                conn.prepare_cached("COMMIT")?.execute([])?;
            }
            // A connection that hit a storage fault is closed, not reused.
            if !matches!(&outcome, Err(error) if error.is_unavailable()) {
                readers.give_back(conn);
            }
            outcome
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("a read task failed: {e}")))?
    }

    async fn write_with<T: Send + 'static>(&self, unit: Unit<T>) -> StoreResult<T> {
        self.writer.write(unit).await
    }
}
