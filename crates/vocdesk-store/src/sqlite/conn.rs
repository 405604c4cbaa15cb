//! One rusqlite connection as a [`Db`]: the shared SQL's `$1` placeholders become
//! SQLite's numbered `?1`, statements are prepared once per connection and cached, and
//! values cross as [`Value`]s.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};

use crate::StoreResult;
use crate::db::{Db, Row, Value};

/// How long a statement waits for a lock another process holds (a migration, a
/// second `vocdesk` on the same file) before it is a storage fault.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Prepared statements kept per connection: every query of the store fits.
const STATEMENT_CACHE: usize = 256;

/// Opens the database file for writing (creating it) or read-only, with the settings
/// every connection needs: WAL, full synchronous commits (an acknowledged write
/// survives a power cut), foreign keys, a busy timeout.
pub(crate) fn open(path: &Path, read_only: bool) -> StoreResult<Connection> {
    let flags = if read_only {
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    if !read_only {
        // The journal mode is kept in the file; the first writer sets it.
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(crate::StoreError::Config(format!("SQLite refused WAL mode (got {mode})")));
        }
    }
    // Each connection keeps a 32 MiB page cache (SQLite's default is 2 MiB), so that
    // the indexes of a busy store stay in memory. (A memory map measured slower for the
    // write path: scripts/bench-engine.sh.) Temporary storage stays in memory: the
    // writer's per-unit savepoints journal every page a unit touches again, and on a
    // temporary file those copies were a fifth of a busy server's time.
    conn.execute_batch(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;",
    )?;
    Ok(conn)
}

/// A borrowed connection that runs the shared SQL.
pub(crate) struct SqliteDb<'c> {
    conn: &'c mut Connection,
}

impl<'c> SqliteDb<'c> {
    /// Wraps `conn` for the duration of one read or unit of work.
    pub(crate) fn new(conn: &'c mut Connection) -> Self {
        Self { conn }
    }
}

/// `$12` → `?12`: SQLite reads `$12` as a *named* parameter numbered by first
/// appearance, which breaks SQL that uses a placeholder twice or out of order.
fn numbered(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    // Byte by byte: `$` and the digits are ASCII, so replacing one ASCII byte by
    // another keeps the text valid UTF-8 without decoding it.
    let mut out = sql.as_bytes().to_vec();
    for i in 1..out.len() {
        if out[i - 1] == b'$' && out[i].is_ascii_digit() {
            out[i - 1] = b'?';
        }
    }
    String::from_utf8(out).map_or(Cow::Borrowed(sql), Cow::Owned)
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null(_) => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Real(x) => ToSqlOutput::Borrowed(ValueRef::Real(*x)),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Text(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Value::Blob(bytes) => ToSqlOutput::Borrowed(ValueRef::Blob(bytes)),
        })
    }
}

fn value(raw: ValueRef<'_>) -> StoreResult<Value> {
    Ok(match raw {
        ValueRef::Null => Value::Null(crate::db::Kind::Text),
        ValueRef::Integer(n) => Value::Int(n),
        ValueRef::Real(x) => Value::Real(x),
        ValueRef::Text(bytes) => Value::Text(
            String::from_utf8(bytes.to_vec())
                .map_err(|_| crate::StoreError::Corrupt("a text column is not UTF-8".to_owned()))?,
        ),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    })
}

impl SqliteDb<'_> {
    fn rows(&mut self, sql: &str, args: &[Value], limit: Option<usize>) -> StoreResult<Vec<Row>> {
        let mut statement = self.conn.prepare_cached(&numbered(sql))?;
        let columns: Arc<[String]> = statement.column_names().into_iter().map(str::to_owned).collect();
        let width = columns.len();
        let mut rows = statement.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(value(row.get_ref(i)?)?);
            }
            out.push(Row::new(columns.clone(), values));
            if limit.is_some_and(|limit| out.len() >= limit) {
                break;
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl Db for SqliteDb<'_> {
    async fn execute(&mut self, sql: &str, args: &[Value]) -> StoreResult<u64> {
        let mut statement = self.conn.prepare_cached(&numbered(sql))?;
        if statement.parameter_count() != args.len() {
            return Err(crate::StoreError::Database(
                format!("statement takes {} arguments, {} given", statement.parameter_count(), args.len()).into(),
            ));
        }
        for (i, arg) in args.iter().enumerate() {
            statement.raw_bind_parameter(i + 1, arg)?;
        }
        // A statement with RETURNING yields rows: step through them all.
        let mut rows = statement.raw_query();
        while rows.next()?.is_some() {}
        drop(rows);
        Ok(self.conn.changes())
    }

    async fn fetch_all(&mut self, sql: &str, args: &[Value]) -> StoreResult<Vec<Row>> {
        self.rows(sql, args, None)
    }

    async fn fetch_optional(&mut self, sql: &str, args: &[Value]) -> StoreResult<Option<Row>> {
        Ok(self.rows(sql, args, Some(1))?.pop())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_placeholders_become_numbered_parameters() {
        assert_eq!(
            numbered("UPDATE t SET a = $2 WHERE b = $1 AND c = $2"),
            "UPDATE t SET a = ?2 WHERE b = ?1 AND c = ?2"
        );
        assert!(matches!(numbered("SELECT 1"), Cow::Borrowed(_)));
    }
}
