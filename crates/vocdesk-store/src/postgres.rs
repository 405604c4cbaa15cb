//! The PostgreSQL store, for stores that outgrow one machine: several stateless
//! `vocdesk serve` processes share it. Migrations take PostgreSQL's advisory lock, so
//! processes starting together apply them once. Units of work are transactions of
//! their own; their row locks (`UPDATE ... RETURNING`) serialise what must not race.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgArguments, PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{Arguments, Column, PgConnection, PgPool, Row as _, TypeInfo};

use crate::db::{Db, Engine, Kind, Row, Unit, Value, Work};
use crate::{StoreError, StoreResult};

/// The PostgreSQL implementation of [`crate::Store`].
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects to the database `url` names.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?.application_name("vocdesk");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }
}

/// A pooled connection, or the connection of an open transaction.
struct PgDb<'c> {
    conn: &'c mut PgConnection,
}

fn arguments(args: &[Value]) -> StoreResult<PgArguments> {
    let mut out = PgArguments::default();
    for arg in args {
        let added = match arg {
            Value::Null(Kind::Int) => out.add(None::<i64>),
            Value::Null(Kind::Real) => out.add(None::<f64>),
            Value::Null(Kind::Bool) => out.add(None::<bool>),
            Value::Null(Kind::Text) => out.add(None::<String>),
            Value::Null(Kind::Blob) => out.add(None::<Vec<u8>>),
            Value::Int(n) => out.add(*n),
            Value::Real(x) => out.add(*x),
            Value::Bool(b) => out.add(*b),
            Value::Text(text) => out.add(text.as_str()),
            Value::Blob(bytes) => out.add(bytes.as_slice()),
        };
        added.map_err(StoreError::Database)?;
    }
    Ok(out)
}

/// Decodes one row by its columns' types: the store's tables hold only TEXT, BIGINT,
/// BOOLEAN and BYTEA, and aggregates add INT4 and floats.
fn row(pg: &PgRow, columns: &Arc<[String]>) -> StoreResult<Row> {
    let mut values = Vec::with_capacity(columns.len());
    for (i, column) in pg.columns().iter().enumerate() {
        let value = match column.type_info().name() {
            "INT8" => pg.try_get::<Option<i64>, _>(i)?.map(Value::Int),
            "INT4" => pg.try_get::<Option<i32>, _>(i)?.map(|n| Value::Int(i64::from(n))),
            "INT2" => pg.try_get::<Option<i16>, _>(i)?.map(|n| Value::Int(i64::from(n))),
            "BOOL" => pg.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
            "FLOAT8" => pg.try_get::<Option<f64>, _>(i)?.map(Value::Real),
            "FLOAT4" => pg.try_get::<Option<f32>, _>(i)?.map(|x| Value::Real(f64::from(x))),
            "BYTEA" => pg.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Blob),
            "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => pg.try_get::<Option<String>, _>(i)?.map(Value::Text),
            other => {
                return Err(StoreError::Corrupt(format!("column {} has the unexpected type {other}", column.name())));
            }
        };
        values.push(value.unwrap_or(Value::Null(Kind::Text)));
    }
    Ok(Row::new(columns.clone(), values))
}

fn column_names(pg: &PgRow) -> Arc<[String]> {
    pg.columns().iter().map(|c| c.name().to_owned()).collect()
}

#[async_trait]
impl Db for PgDb<'_> {
    async fn execute(&mut self, sql: &str, args: &[Value]) -> StoreResult<u64> {
        let done = sqlx::query_with(sqlx::AssertSqlSafe(sql), arguments(args)?).execute(&mut *self.conn).await?;
        Ok(done.rows_affected())
    }

    async fn fetch_all(&mut self, sql: &str, args: &[Value]) -> StoreResult<Vec<Row>> {
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), arguments(args)?).fetch_all(&mut *self.conn).await?;
        let Some(first) = rows.first() else { return Ok(Vec::new()) };
        let columns = column_names(first);
        rows.iter().map(|r| row(r, &columns)).collect()
    }

    async fn fetch_optional(&mut self, sql: &str, args: &[Value]) -> StoreResult<Option<Row>> {
        let found =
            sqlx::query_with(sqlx::AssertSqlSafe(sql), arguments(args)?).fetch_optional(&mut *self.conn).await?;
        found.map(|r| row(&r, &column_names(&r))).transpose()
    }

    fn skip_locked(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }
}

#[async_trait]
impl Engine for PgStore {
    fn engine_name(&self) -> &'static str {
        "postgresql"
    }

    async fn run_migrations(&self) -> StoreResult<()> {
        sqlx::migrate!("migrations/postgresql").run(&self.pool).await?;
        Ok(())
    }

    async fn check_health(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn read_with<T: Send + 'static>(&self, work: Work<T>) -> StoreResult<T> {
        let mut conn = self.pool.acquire().await?;
        work(&mut PgDb { conn: &mut conn }).await
    }

    /// The unit runs on a task of its own, to its end, even when its caller goes away
    /// (a client that disconnects mid-request drops the request's future): a
    /// transaction dropped between two statements is left to sqlx to roll back on that
    /// connection's next use, which under load showed as "there is already a
    /// transaction in progress". As on SQLite, a unit once handed over is committed or
    /// rolled back whole.
    async fn write_with<T: Send + 'static>(&self, unit: Unit<T>) -> StoreResult<T> {
        let pool = self.pool.clone();
        tokio::spawn(async move { run_unit(&pool, unit).await })
            .await
            .map_err(|e| StoreError::Database(format!("a unit of work did not finish: {e}").into()))?
    }
}

/// One unit of work as one transaction: committed when it answers `Ok`, rolled back
/// when it answers `Err`.
async fn run_unit<T>(pool: &PgPool, unit: Unit<T>) -> StoreResult<T> {
    let mut tx = pool.begin().await?;
    match unit.run(&mut PgDb { conn: &mut tx }).await {
        Ok(value) => {
            tx.commit().await?;
            Ok(value)
        }
        Err(error) => {
            // Dropping the transaction rolls it back; saying so returns the
            // connection to the pool clean at once.
            let _ = tx.rollback().await;
            Err(error)
        }
    }
}
