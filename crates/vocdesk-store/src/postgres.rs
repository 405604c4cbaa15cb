//! The PostgreSQL store, for stores that outgrow one machine: several stateless
//! `vocdesk serve` processes share it. Migrations take PostgreSQL's advisory lock, so
//! processes starting together apply them once.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres};

/// The PostgreSQL implementation of [`crate::Store`].
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database `url` names.
    pub async fn connect(url: &str) -> Result<Self, crate::StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("vocdesk");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    fn engine_name(&self) -> &'static str {
        "postgresql"
    }

    fn reader(&self) -> &PgPool {
        &self.pool
    }

    fn writer(&self) -> &PgPool {
        &self.pool
    }

    async fn run_migrations(&self) -> crate::StoreResult<()> {
        sqlx::migrate!("migrations/postgresql").run(&self.pool).await?;
        Ok(())
    }
}

impl_store_queries!(PgStore, Postgres);
