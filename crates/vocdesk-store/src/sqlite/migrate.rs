//! The embedded store's migrations: the files of `migrations/sqlite`, applied in order,
//! each in its own transaction, and recorded in `_vocdesk_migrations`. A store made by
//! an earlier vocdesk (which migrated with sqlx) keeps its history: versions recorded
//! in sqlx's `_sqlx_migrations` count as applied.

use std::collections::BTreeSet;

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// One migration file: its version (the file name's number), name and SQL.
struct Migration {
    version: i64,
    description: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first. A new file in `migrations/sqlite` is added here.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 20261121000001,
        description: "foundation",
        sql: include_str!("../../migrations/sqlite/20261121000001_foundation.sql"),
    },
    Migration {
        version: 20261121000002,
        description: "inquiries",
        sql: include_str!("../../migrations/sqlite/20261121000002_inquiries.sql"),
    },
    Migration {
        version: 20261121000003,
        description: "refunds",
        sql: include_str!("../../migrations/sqlite/20261121000003_refunds.sql"),
    },
    Migration {
        version: 20261201000004,
        description: "store probe",
        sql: include_str!("../../migrations/sqlite/20261201000004_store_probe.sql"),
    },
    Migration {
        version: 20261202000005,
        description: "reviews",
        sql: include_str!("../../migrations/sqlite/20261202000005_reviews.sql"),
    },
    Migration {
        version: 20261203000006,
        description: "delivery",
        sql: include_str!("../../migrations/sqlite/20261203000006_delivery.sql"),
    },
    Migration {
        version: 20261203000007,
        description: "inbound",
        sql: include_str!("../../migrations/sqlite/20261203000007_inbound.sql"),
    },
    Migration {
        version: 20261204000008,
        description: "search",
        sql: include_str!("../../migrations/sqlite/20261204000008_search.sql"),
    },
    Migration {
        version: 20261207000012,
        description: "purchase standing",
        sql: include_str!("../../migrations/sqlite/20261207000012_purchase_standing.sql"),
    },
];

fn failed(what: &str, error: rusqlite::Error) -> StoreError {
    StoreError::Migrate(format!("{what}: {error}"))
}

fn applied(conn: &Connection) -> Result<BTreeSet<i64>, StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS _vocdesk_migrations (\
           version INTEGER PRIMARY KEY, description TEXT NOT NULL, checksum BLOB NOT NULL, \
           applied_at INTEGER NOT NULL) STRICT",
    )
    .map_err(|e| failed("creating the migrations table", e))?;
    let mut versions = BTreeSet::new();
    let mut ours = conn.prepare("SELECT version FROM _vocdesk_migrations").map_err(|e| failed("reading", e))?;
    for version in ours.query_map([], |row| row.get(0)).map_err(|e| failed("reading", e))? {
        versions.insert(version.map_err(|e| failed("reading", e))?);
    }
    let sqlx_history: Option<String> = conn
        .query_row("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'", [], |row| {
            row.get(0)
        })
        .optional()
        .map_err(|e| failed("looking for sqlx's history", e))?;
    if sqlx_history.is_some() {
        let mut theirs = conn
            .prepare("SELECT version FROM _sqlx_migrations WHERE success")
            .map_err(|e| failed("reading sqlx's history", e))?;
        for version in theirs.query_map([], |row| row.get(0)).map_err(|e| failed("reading", e))? {
            versions.insert(version.map_err(|e| failed("reading", e))?);
        }
    }
    Ok(versions)
}

/// Applies every migration `conn`'s database has not had yet. The caller holds the
/// migration lock, so no other process migrates at the same time.
pub(crate) fn run(conn: &mut Connection, now_ms: i64) -> Result<(), StoreError> {
    let done = applied(conn)?;
    for migration in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        let what = format!("migration {} ({})", migration.version, migration.description);
        let tx =
            conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| failed(&what, e))?;
        tx.execute_batch(migration.sql).map_err(|e| failed(&what, e))?;
        tx.execute(
            "INSERT INTO _vocdesk_migrations (version, description, checksum, applied_at) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![migration.version, migration.description, Sha256::digest(migration.sql).to_vec(), now_ms],
        )
        .map_err(|e| failed(&what, e))?;
        tx.commit().map_err(|e| failed(&what, e))?;
        tracing::info!(version = migration.version, description = migration.description, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_listed_in_order_and_every_file_is_listed() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite");
        let files = std::fs::read_dir(dir).expect("migrations folder").count();
        assert_eq!(files, MIGRATIONS.len(), "a file in migrations/sqlite is missing from MIGRATIONS");
    }

    #[test]
    fn migrating_twice_applies_each_file_once() {
        let mut conn = Connection::open_in_memory().expect("memory database");
        run(&mut conn, 0).expect("first run");
        run(&mut conn, 1).expect("second run");
        let count: i64 =
            conn.query_row("SELECT COUNT(*) FROM _vocdesk_migrations", [], |row| row.get(0)).expect("count");
        assert_eq!(count, MIGRATIONS.len() as i64);
    }
}
