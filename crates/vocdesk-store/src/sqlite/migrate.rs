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
        version: 20261207000009,
        description: "awaiting store",
        sql: include_str!("../../migrations/sqlite/20261207000009_awaiting_store.sql"),
    },
    Migration {
        version: 20261207000010,
        description: "sign in budget",
        sql: include_str!("../../migrations/sqlite/20261207000010_sign_in_budget.sql"),
    },
    Migration {
        version: 20261207000011,
        description: "audit filters mail locale",
        sql: include_str!("../../migrations/sqlite/20261207000011_audit_filters_mail_locale.sql"),
    },
    Migration {
        version: 20261207000012,
        description: "purchase standing",
        sql: include_str!("../../migrations/sqlite/20261207000012_purchase_standing.sql"),
    },
    Migration {
        version: 20261208000013,
        description: "push",
        sql: include_str!("../../migrations/sqlite/20261208000013_push.sql"),
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
///
/// Foreign keys are off while migrations run, as SQLite's procedure for rebuilding a
/// table requires (a table that others reference is dropped and its copy renamed), and
/// each migration checks them before it commits: a migration that breaks a reference
/// fails and leaves nothing behind.
pub(crate) fn run(conn: &mut Connection, now_ms: i64) -> Result<(), StoreError> {
    conn.execute_batch("PRAGMA foreign_keys = OFF").map_err(|e| failed("turning foreign keys off", e))?;
    let outcome = apply_pending(conn, now_ms);
    conn.execute_batch("PRAGMA foreign_keys = ON").map_err(|e| failed("turning foreign keys on", e))?;
    outcome
}

fn apply_pending(conn: &mut Connection, now_ms: i64) -> Result<(), StoreError> {
    let done = applied(conn)?;
    for migration in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
        let what = format!("migration {} ({})", migration.version, migration.description);
        let tx =
            conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(|e| failed(&what, e))?;
        tx.execute_batch(migration.sql).map_err(|e| failed(&what, e))?;
        let broken: Option<String> =
            tx.query_row("PRAGMA foreign_key_check", [], |row| row.get(0)).optional().map_err(|e| failed(&what, e))?;
        if let Some(table) = broken {
            return Err(StoreError::Migrate(format!("{what}: leaves a broken reference in {table}")));
        }
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

    #[test]
    fn r17_the_inquiries_rebuild_keeps_every_row_and_every_reference() {
        let mut conn = Connection::open_in_memory().expect("memory database");
        let rebuild = MIGRATIONS.iter().position(|m| m.version == 20261207000009).expect("listed");
        conn.execute_batch("CREATE TABLE _vocdesk_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, checksum BLOB NOT NULL, applied_at INTEGER NOT NULL) STRICT").expect("history");
        for m in &MIGRATIONS[..rebuild] {
            conn.execute_batch(m.sql).expect("earlier migration");
            conn.execute(
                "INSERT INTO _vocdesk_migrations VALUES (?1, ?2, x'00', 0)",
                rusqlite::params![m.version, m.description],
            )
            .expect("record");
        }
        conn.execute_batch(
            "INSERT INTO sellers VALUES ('s1', 'Seller', 's@example.com', 0);
             INSERT INTO users (id, email, password_hash, display_name, role, seller_id, customer_no, locale, created_at)
                 VALUES ('c1', 'c@example.com', 'x', 'C', 'customer', NULL, '1001', 'ko', 0);
             INSERT INTO apps (id, seller_id, title, summary, price_minor, currency, created_at)
                 VALUES ('a1', 's1', 'App', 'x', NULL, NULL, 0);
             INSERT INTO inquiries (id, app_id, seller_id, customer_id, purchase_id, category, subject, status,
                 awaiting_since, channel, consent_personal_info, consent_at, message_count, created_at,
                 first_response_at, last_activity_at, closed_at, inbox_rank, refund_settled_at, reminder_sent_at)
                 VALUES ('q1', 'a1', 's1', 'c1', NULL, 'refund', '환불', 'awaiting_developer', 5, 'store', 1, 5, 1,
                 5, NULL, 5, NULL, 5, NULL, NULL);
             INSERT INTO inquiry_messages VALUES ('m1', 'q1', 1, 'c1', 'customer', 'store', '환불해 주세요', 5);",
        )
        .expect("an inquiry with a message");
        run(&mut conn, 9).expect("the rebuild applies");
        let kept: (String, String, i64) = conn
            .query_row("SELECT subject, status, awaiting_since FROM inquiries WHERE id = 'q1'", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .expect("the inquiry is kept");
        assert_eq!(kept, ("환불".to_owned(), "awaiting_developer".to_owned(), 5));
        conn.execute("UPDATE inquiries SET status = 'awaiting_store', awaiting_since = NULL, store_asked_seq = 1 WHERE id = 'q1'", [])
            .expect("the new status is accepted");
        let dangling = conn
            .execute("INSERT INTO inquiry_messages VALUES ('m2', 'nope', 1, 'c1', 'customer', 'store', 'x', 6)", []);
        assert!(dangling.is_err(), "foreign keys are on again and still point at the rebuilt table");
        let joined: i64 = conn
            .query_row("SELECT COUNT(*) FROM inquiry_messages m JOIN inquiries q ON q.id = m.inquiry_id", [], |r| {
                r.get(0)
            })
            .expect("join");
        assert_eq!(joined, 1);
    }
}
