//! Helpers the integration tests share: a fresh embedded store, the demo in it, and the
//! `vocdesk` binary with a clean environment.

#![allow(dead_code)] // each test file uses a different part

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use jiff::Timestamp;
use vocdesk::demo::DemoSeed;
use vocdesk_store::Store;

/// The time every seeded test store is dated from.
pub const NOW: &str = "2026-11-21T03:00:00Z";

/// [`NOW`] as a timestamp.
pub fn now() -> Timestamp {
    NOW.parse().expect("valid timestamp")
}

/// A migrated, empty SQLite store in `dir`.
pub async fn empty_store(dir: &Path) -> Arc<dyn Store> {
    let store = vocdesk_store::open(None, dir).await.expect("open store");
    store.migrate().await.expect("migrate");
    store
}

/// A store in `dir` holding the demo, seeded at [`now`].
pub async fn demo_store(dir: &Path) -> (Arc<dyn Store>, DemoSeed) {
    let store = empty_store(dir).await;
    let blobs = vocdesk_store::BlobStore::in_data_dir(dir);
    let seed = vocdesk::demo::seed(store.as_ref(), &blobs, now()).await.expect("seed demo");
    (store, seed)
}

/// The `vocdesk` binary with none of its environment variables inherited, so that a
/// developer's settings cannot change what a test sees.
pub fn vocdesk() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vocdesk"));
    for var in [
        "VOCDESK_DATA",
        "VOCDESK_DATABASE_URL",
        "VOCDESK_LISTEN",
        "VOCDESK_LOG_JSON",
        "VOCDESK_SECURE_COOKIES",
        "VOCDESK_HEADER_TIMEOUT_SECS",
        "VOCDESK_IDLE_TIMEOUT_SECS",
        "VOCDESK_MAX_CONNECTIONS",
        "VOCDESK_SHUTDOWN_GRACE_SECS",
        "VOCDESK_CACHE_TTL_MS",
        "VOCDESK_SMTP_URL",
        "VOCDESK_SMTP_LISTEN",
        "VOCDESK_MAIL_FROM",
        "VOCDESK_REPLY_DOMAIN",
        "VOCDESK_PUBLIC_URL",
        "SENDER",
        "RECIPIENT",
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command
}

/// A PostgreSQL database of its own for one test, dropped with it (also on panic).
pub struct PgDatabase {
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// `None` (after saying so) when no server is configured and none is required.
    pub fn create(prefix: &str) -> Option<PgDatabase> {
        let Some(admin_url) = std::env::var("VOCDESK_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty()) else {
            if std::env::var("VOCDESK_REQUIRE_POSTGRES").as_deref() == Ok("1") {
                panic!("VOCDESK_REQUIRE_POSTGRES=1 but VOCDESK_TEST_POSTGRES_URL is not set");
            }
            eprintln!("skipped: VOCDESK_TEST_POSTGRES_URL is not set (a PostgreSQL scenario)");
            return None;
        };
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let name = format!("{prefix}_{}_{}", std::process::id(), nanos % 1_000_000_000);
        Self::admin(&admin_url, &format!("CREATE DATABASE \"{name}\""));
        Some(PgDatabase { admin_url, name })
    }

    /// The URL of this database on the configured server.
    pub fn url(&self) -> String {
        let base = self.admin_url.split('?').next().unwrap_or(&self.admin_url);
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        format!("{server}/{}", self.name)
    }

    /// Runs one statement on the server, on a thread and runtime of its own (so that it
    /// also works from inside a test's runtime and from `Drop`).
    fn admin(admin_url: &str, statement: &str) {
        let (url, statement) = (admin_url.to_owned(), statement.to_owned());
        let done = std::thread::spawn(move || {
            use sqlx::Connection;
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&url).await.expect("connect to PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(statement.clone())).execute(&mut admin).await.expect("statement");
                let _ = admin.close().await;
            });
        })
        .join();
        assert!(done.is_ok(), "the PostgreSQL statement ran");
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        let url = self.admin_url.clone();
        let _ = std::thread::spawn(move || {
            use sqlx::Connection;
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let mut admin = sqlx::PgConnection::connect(&url).await.ok()?;
                sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut admin).await.ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}
