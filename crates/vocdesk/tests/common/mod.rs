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
        "RUST_LOG",
    ] {
        command.env_remove(var);
    }
    command
}
