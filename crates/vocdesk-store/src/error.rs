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
    /// The database failed; the cause is logged, never shown.
    #[error("database error")]
    Database(#[source] sqlx::Error),
    /// A migration failed.
    #[error("migration error")]
    Migrate(#[source] sqlx::migrate::MigrateError),
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
        StoreError::Database(error)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        StoreError::Migrate(error)
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
