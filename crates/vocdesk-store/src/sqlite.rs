//! The embedded store: one SQLite file in the data directory, in WAL mode with full
//! synchronous commits (an acknowledged write survives a crash), foreign keys on, and a
//! busy timeout. Writes go through a single writer connection, so units of work never
//! contend for the lock; reads use a pool of their own.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

/// The SQLite implementation of [`crate::Store`].
#[derive(Clone, Debug)]
pub struct SqliteStore {
    writer: SqlitePool,
    reader: SqlitePool,
    /// Locked while migrating, see [`SqliteStore::run_migrations`].
    migration_lock: PathBuf,
}

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "vocdesk.sqlite3";

/// The file beside the database that is locked while migrations run.
const MIGRATION_LOCK_FILE: &str = "vocdesk.sqlite3.migrate-lock";

impl SqliteStore {
    /// Opens (creating if needed) the store in `data_dir`.
    pub async fn open(data_dir: &Path) -> Result<Self, crate::StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            crate::StoreError::Config(format!("cannot create data directory {}: {e}", data_dir.display()))
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let writer =
            SqlitePoolOptions::new().max_connections(1).min_connections(1).connect_with(options.clone()).await?;
        let reader = SqlitePoolOptions::new().max_connections(8).connect_with(options.read_only(true)).await?;
        Ok(Self { writer, reader, migration_lock: data_dir.join(MIGRATION_LOCK_FILE) })
    }

    fn engine_name(&self) -> &'static str {
        "sqlite"
    }

    fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    fn writer(&self) -> &SqlitePool {
        &self.writer
    }

    /// sqlx takes no lock around SQLite migrations, so two processes (or two handles)
    /// migrating a new database at once would both apply the first migration and one
    /// would fail with "table ... already exists". An exclusive lock on a file beside
    /// the database serialises them, as PostgreSQL's advisory lock does there.
    async fn run_migrations(&self) -> crate::StoreResult<()> {
        let path = self.migration_lock.clone();
        let lock = tokio::task::spawn_blocking(move || {
            let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path)?;
            file.lock()?;
            Ok::<_, std::io::Error>(file)
        })
        .await
        .map_err(|e| crate::StoreError::Config(format!("migration lock task failed: {e}")))?
        .map_err(|e| crate::StoreError::Config(format!("cannot lock {}: {e}", self.migration_lock.display())))?;
        let result = sqlx::migrate!("migrations/sqlite").run(&self.writer).await;
        drop(lock);
        result?;
        Ok(())
    }
}

impl_store_queries!(SqliteStore, Sqlite);
