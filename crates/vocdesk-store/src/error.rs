//! Store errors, and the one place where database constraint violations become
//! conflicts or invalid references.

use vocdesk_domain::ValidationErrors;

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing does not exist.
    #[error("not found")]
    NotFound,
    /// A unique rule was broken: the email is taken, the TID was recorded with other
    /// content. `what` names the field for the client.
    #[error("conflict on {what}")]
    Conflict {
        /// The field that collided.
        what: String,
    },
    /// The input names things that do not exist or do not fit together.
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    /// The store cannot be opened as configured.
    #[error("configuration: {0}")]
    Config(String),
    /// The storage itself failed (disk full, I/O error, a corrupt page, the database
    /// unreachable): nothing of the unit of work was kept, and the client may retry
    /// later (HTTP 503 with `Retry-After`). The cause is logged, never shown.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// The database refused a statement for a reason that is neither a rule of ours nor
    /// a storage fault (a bug in our SQL); the cause is logged, never shown.
    #[error("database error")]
    Database(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A migration failed.
    #[error("migration error: {0}")]
    Migrate(String),
    /// A stored row does not decode into the domain (a bug or a hand edit).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    /// Maps constraint violations to conflicts and invalid references; everything
    /// else is a database failure.
    fn from(error: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        if let sqlx::Error::Database(db) = &error {
            match db.kind() {
                ErrorKind::UniqueViolation => {
                    return StoreError::Conflict { what: constraint_field(db.constraint(), db.message()) };
                }
                ErrorKind::ForeignKeyViolation => {
                    return StoreError::Invalid(ValidationErrors(vec![vocdesk_domain::FieldError::new(
                        &constraint_field(db.constraint(), db.message()),
                        "unknown_reference",
                        "the id of an existing record",
                    )]));
                }
                ErrorKind::CheckViolation | ErrorKind::NotNullViolation => {
                    // The domain validates first; reaching a CHECK means a caller skipped it.
                    return StoreError::Invalid(ValidationErrors(vec![vocdesk_domain::FieldError::new(
                        &constraint_field(db.constraint(), db.message()),
                        "constraint",
                        "a value the store's rules allow",
                    )]));
                }
                _ => {}
            }
        }
        match error {
            // The server or the network went away, or every connection is busy: a
            // fault of the storage, not of the request.
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
                StoreError::Unavailable(error.to_string())
            }
            other => StoreError::Database(Box::new(other)),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(error.to_string())
    }
}

impl From<rusqlite::Error> for StoreError {
    /// The same mapping for SQLite: constraint violations become conflicts and invalid
    /// references; a full disk, an I/O error, a corrupt or unopenable file, or a lock
    /// held too long by another process is a storage fault.
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ffi;
        if let rusqlite::Error::SqliteFailure(failure, message) = &error {
            let message = message.as_deref().unwrap_or_default();
            match failure.extended_code {
                ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
                    return StoreError::Conflict { what: constraint_field(None, message) };
                }
                ffi::SQLITE_CONSTRAINT_FOREIGNKEY => {
                    return StoreError::Invalid(ValidationErrors(vec![vocdesk_domain::FieldError::new(
                        &constraint_field(None, message),
                        "unknown_reference",
                        "the id of an existing record",
                    )]));
                }
                ffi::SQLITE_CONSTRAINT_CHECK | ffi::SQLITE_CONSTRAINT_NOTNULL => {
                    return StoreError::Invalid(ValidationErrors(vec![vocdesk_domain::FieldError::new(
                        &constraint_field(None, message),
                        "constraint",
                        "a value the store's rules allow",
                    )]));
                }
                _ => {}
            }
            if is_storage_fault(failure.code) {
                return StoreError::Unavailable(error.to_string());
            }
        }
        StoreError::Database(Box::new(error))
    }
}

/// SQLite's primary result codes that say the storage, not the statement, failed.
fn is_storage_fault(code: rusqlite::ErrorCode) -> bool {
    use rusqlite::ErrorCode as E;
    matches!(
        code,
        E::DiskFull
            | E::SystemIoFailure
            | E::DatabaseCorrupt
            | E::NotADatabase
            | E::CannotOpen
            | E::ReadOnly
            | E::OutOfMemory
            | E::DatabaseBusy
            | E::DatabaseLocked
            | E::FileLockingProtocolFailed
    )
}

impl StoreError {
    /// Whether this is a storage fault ([`StoreError::Unavailable`]): the SQLite writer
    /// then fails the whole group and reopens its connection.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// Names the field behind a constraint: PostgreSQL reports `users_email_key`, SQLite
/// `UNIQUE constraint failed: users.email`.
fn constraint_field(constraint: Option<&str>, message: &str) -> String {
    let source = constraint.unwrap_or(message);
    for field in ["email", "customer_no", "tid", "token_hash"] {
        if source.contains(field) {
            return field.to_owned();
        }
    }
    "reference".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_names_of_both_engines_map_to_fields() {
        assert_eq!(constraint_field(Some("users_email_key"), ""), "email");
        assert_eq!(constraint_field(None, "UNIQUE constraint failed: purchases.tid"), "tid");
        assert_eq!(constraint_field(None, "FOREIGN KEY constraint failed"), "reference");
    }
}
