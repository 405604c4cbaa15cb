//! `vocdesk operator create`: the first operator of a new store. Everything else is
//! provisioned by an operator over the API; this is the one account that cannot be.

use std::io::BufRead;

use anyhow::{Context, bail};
use jiff::Timestamp;
use vocdesk_domain::account::{NewUser, User, check_new_password};
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::role::Role;
use vocdesk_store::{Store, StoreError};

use crate::cli::CreateOperatorArgs;

/// Reads the password from the first line of `input`, without its line ending.
pub fn read_password(mut input: impl BufRead) -> anyhow::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line).context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!(
            "no password on standard input; pipe it in, for example: printf '%s' \"$PASSWORD\" | vocdesk operator create ..."
        );
    }
    Ok(password)
}

/// Validates and creates the operator, recording it in the audit log (R14).
pub async fn create(
    store: &dyn Store,
    args: &CreateOperatorArgs,
    password: &str,
    now: Timestamp,
) -> anyhow::Result<User> {
    let locale =
        Locale::parse(&args.locale).with_context(|| format!("unknown locale {:?}: use ko or en", args.locale))?;
    let user = NewUser::new(&args.email, &args.name, Role::Operator, None, None, locale)
        .map_err(|errors| anyhow::anyhow!(describe(&errors.0)))?;
    check_new_password(password).map_err(|error| anyhow::anyhow!(describe(&[error])))?;
    let password = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || vocdesk_web::password::hash(&password))
        .await
        .context("hashing the password")??;
    let detail = serde_json::json!({ "role": "operator", "email": user.email });
    let audit = AuditEntry::new(AuditActor::system("cli"), Channel::Cli, "user.created", "user", detail.to_string());
    match store.create_user(&user, &hash, &audit, now).await {
        Ok(created) => Ok(created),
        Err(StoreError::Conflict { .. }) => bail!("an account with the email {} already exists", user.email),
        Err(other) => Err(other).context("creating the operator"),
    }
}

fn describe(errors: &[vocdesk_domain::FieldError]) -> String {
    errors.iter().map(|e| format!("{}: expected {}", e.field, e.expected)).collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line_without_its_ending() {
        assert_eq!(read_password("s3cret pass\r\nignored".as_bytes()).expect("read"), "s3cret pass");
        assert!(read_password("".as_bytes()).is_err());
        assert!(read_password("\n".as_bytes()).is_err());
    }
}
