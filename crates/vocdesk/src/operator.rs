//! `vocdesk operator create`: the first operator of a new store. Everything else is
//! provisioned by an operator over the API; this is the one account that cannot be.

use std::io::BufRead;

use anyhow::{Context, bail};
use vocdesk_app::{App, AppError, provisioning};
use vocdesk_domain::account::{User, normalize_email};
use vocdesk_domain::locale::Locale;

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

/// Validates and creates the operator through the application's use case, which
/// records it in the audit log (R14); its refusals become messages for the terminal.
pub async fn create(app: &App, args: &CreateOperatorArgs, password: &str) -> anyhow::Result<User> {
    let locale =
        Locale::parse(&args.locale).with_context(|| format!("unknown locale {:?}: use ko or en", args.locale))?;
    match provisioning::create_first_operator(app, &args.email, &args.name, locale, password).await {
        Ok(created) => Ok(created),
        Err(AppError::Invalid(errors)) => bail!(describe(&errors.0)),
        Err(AppError::Conflict { .. }) => {
            let email = normalize_email(&args.email).unwrap_or_else(|_| args.email.clone());
            bail!("an account with the email {email} already exists")
        }
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
