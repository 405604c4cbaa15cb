//! Values and rows as both engines hand them over, and their decoding into Rust types.

use std::sync::Arc;

use crate::{StoreError, StoreResult};

/// One argument or one column value. Times are stored as epoch milliseconds and
/// booleans as `BOOLEAN` (PostgreSQL) or `0`/`1` (SQLite), so these few kinds suffice.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// SQL `NULL`, of the kind its column holds: PostgreSQL types every parameter, and
    /// a text-typed `NULL` is refused by a `BIGINT` column.
    Null(Kind),
    /// A 64-bit integer.
    Int(i64),
    /// A floating-point number (only aggregates produce one).
    Real(f64),
    /// A boolean.
    Bool(bool),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// What a [`Value`] holds, for typed `NULL`s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An integer.
    Int,
    /// A floating-point number.
    Real,
    /// A boolean.
    Bool,
    /// Text.
    Text,
    /// Bytes.
    Blob,
}

/// The kind of value a Rust type binds as, so that `None` binds a typed `NULL`.
pub(crate) trait Typed {
    /// Its kind.
    const KIND: Kind;
}

impl Typed for &str {
    const KIND: Kind = Kind::Text;
}
impl Typed for String {
    const KIND: Kind = Kind::Text;
}
impl Typed for &String {
    const KIND: Kind = Kind::Text;
}
impl Typed for i64 {
    const KIND: Kind = Kind::Int;
}
impl Typed for f64 {
    const KIND: Kind = Kind::Real;
}
impl Typed for bool {
    const KIND: Kind = Kind::Bool;
}
impl Typed for &[u8] {
    const KIND: Kind = Kind::Blob;
}
impl Typed for Vec<u8> {
    const KIND: Kind = Kind::Blob;
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_owned())
    }
}

impl From<String> for Value {
    fn from(value: String) -> Self {
        Value::Text(value)
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Value::Text(value.clone())
    }
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Int(value)
    }
}

impl From<f64> for Value {
    fn from(value: f64) -> Self {
        Value::Real(value)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Value::Bool(value)
    }
}

impl From<&[u8]> for Value {
    fn from(value: &[u8]) -> Self {
        Value::Blob(value.to_vec())
    }
}

impl From<Vec<u8>> for Value {
    fn from(value: Vec<u8>) -> Self {
        Value::Blob(value)
    }
}

impl<T: Into<Value> + Typed> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null(T::KIND), Into::into)
    }
}

/// One result row: its column names (shared by the rows of one result) and values.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

/// A column by position or by name.
pub(crate) trait ColumnRef: Copy + std::fmt::Debug {
    /// Its position in `columns`.
    fn position(self, columns: &[String]) -> Option<usize>;
}

impl ColumnRef for usize {
    fn position(self, columns: &[String]) -> Option<usize> {
        (self < columns.len()).then_some(self)
    }
}

impl ColumnRef for &str {
    fn position(self, columns: &[String]) -> Option<usize> {
        columns.iter().position(|c| c == self)
    }
}

impl Row {
    /// A row of `values` under `columns`, as an engine read it.
    pub(crate) fn new(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        Self { columns, values }
    }

    /// The column `at` decoded as `T`; a missing column or another type is a corrupt
    /// row (the SQL and the decoder disagree), never a panic.
    pub(crate) fn get<T: FromValue>(&self, at: impl ColumnRef) -> StoreResult<T> {
        let position =
            at.position(&self.columns).ok_or_else(|| StoreError::Corrupt(format!("no column {at:?} in the row")))?;
        T::from_value(&self.values[position]).map_err(|found| {
            StoreError::Corrupt(format!("column {at:?} holds {found}, not {}", std::any::type_name::<T>()))
        })
    }
}

/// A Rust type one column decodes into.
pub(crate) trait FromValue: Sized {
    /// Decodes `value`, or names what was found instead.
    fn from_value(value: &Value) -> Result<Self, &'static str>;
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null(_) => "NULL",
        Value::Int(_) => "an integer",
        Value::Real(_) => "a real",
        Value::Bool(_) => "a boolean",
        Value::Text(_) => "text",
        Value::Blob(_) => "bytes",
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Text(text) => Ok(text.clone()),
            other => Err(kind(other)),
        }
    }
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Int(n) => Ok(*n),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(kind(other)),
        }
    }
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::Int(n) => Ok(*n != 0),
            other => Err(kind(other)),
        }
    }
}

impl FromValue for f64 {
    fn from_value(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Real(x) => Ok(*x),
            Value::Int(n) => Ok(*n as f64),
            other => Err(kind(other)),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Blob(bytes) => Ok(bytes.clone()),
            other => Err(kind(other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Result<Self, &'static str> {
        match value {
            Value::Null(_) => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A Rust type one row decodes into: the store's row structs, and tuples by position.
pub(crate) trait FromRow: Sized {
    /// Decodes `row`.
    fn from_row(row: &Row) -> StoreResult<Self>;
}

impl<A: FromValue> FromRow for (A,) {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok((row.get(0)?,))
    }
}

impl<A: FromValue, B: FromValue> FromRow for (A, B) {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok((row.get(0)?, row.get(1)?))
    }
}

impl<A: FromValue, B: FromValue, C: FromValue> FromRow for (A, B, C) {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    }
}

impl<A: FromValue, B: FromValue, C: FromValue, D: FromValue> FromRow for (A, B, C, D) {
    fn from_row(row: &Row) -> StoreResult<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: Vec<Value>) -> Row {
        Row::new(vec!["id".to_owned(), "n".to_owned()].into(), values)
    }

    #[test]
    fn columns_decode_by_name_and_position_and_wrong_types_are_corrupt_rows() {
        let r = row(vec![Value::Text("a".into()), Value::Int(3)]);
        assert_eq!(r.get::<String>("id").expect("id"), "a");
        assert_eq!(r.get::<i64>(1).expect("n"), 3);
        assert!(r.get::<bool>("n").expect("an integer reads as a boolean"));
        assert!(matches!(r.get::<i64>("id"), Err(StoreError::Corrupt(_))));
        assert!(matches!(r.get::<String>("missing"), Err(StoreError::Corrupt(_))));
        assert_eq!(
            row(vec![Value::Null(Kind::Text), Value::Null(Kind::Int)]).get::<Option<i64>>("n").expect("null"),
            None
        );
    }
}
