//! Statements with their arguments: a fixed SQL text with `.bind()`s, or one built
//! piece by piece where filters combine ([`SqlBuilder`]).

use super::{Db, FromRow, Value};
use crate::{StoreError, StoreResult};

/// A statement and its arguments, in `$1`, `$2`, ... order.
#[derive(Debug)]
pub(crate) struct Query {
    sql: String,
    args: Vec<Value>,
}

/// Starts a statement with a fixed text.
pub(crate) fn query(sql: &str) -> Query {
    Query { sql: sql.to_owned(), args: Vec::new() }
}

impl Query {
    /// Adds the next argument.
    pub(crate) fn bind(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Runs the statement; answers how many rows it changed.
    pub(crate) async fn execute(self, db: &mut dyn Db) -> StoreResult<u64> {
        db.execute(&self.sql, &self.args).await
    }

    /// The first row decoded, if any.
    pub(crate) async fn fetch_optional<T: FromRow>(self, db: &mut dyn Db) -> StoreResult<Option<T>> {
        db.fetch_optional(&self.sql, &self.args).await?.as_ref().map(T::from_row).transpose()
    }

    /// The first row decoded; a statement that answers none is `NotFound`.
    pub(crate) async fn fetch_one<T: FromRow>(self, db: &mut dyn Db) -> StoreResult<T> {
        self.fetch_optional(db).await?.ok_or(StoreError::NotFound)
    }

    /// Every row decoded.
    pub(crate) async fn fetch_all<T: FromRow>(self, db: &mut dyn Db) -> StoreResult<Vec<T>> {
        db.fetch_all(&self.sql, &self.args).await?.iter().map(T::from_row).collect()
    }
}

/// A statement assembled from pieces, each argument numbered as it is pushed, so that
/// optional filters never get their placeholders wrong.
#[derive(Debug)]
pub(crate) struct SqlBuilder {
    query: Query,
}

impl SqlBuilder {
    /// Starts with `sql`.
    pub(crate) fn new(sql: &str) -> Self {
        Self { query: query(sql) }
    }

    /// Appends text.
    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.query.sql.push_str(sql);
        self
    }

    /// Appends the next placeholder and its argument.
    pub(crate) fn push_bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.query.args.push(value.into());
        let placeholder = format!("${}", self.query.args.len());
        self.query.sql.push_str(&placeholder);
        self
    }

    /// The finished statement.
    pub(crate) fn build(self) -> Query {
        self.query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_arguments_are_numbered_in_order() {
        let mut sql = SqlBuilder::new("SELECT id FROM t WHERE a = ");
        sql.push_bind(1_i64).push(" AND b = ").push_bind("x").push(" LIMIT ").push_bind(3_i64);
        let q = sql.build();
        assert_eq!(q.sql, "SELECT id FROM t WHERE a = $1 AND b = $2 LIMIT $3");
        assert_eq!(q.args, vec![Value::Int(1), Value::Text("x".into()), Value::Int(3)]);
    }
}
