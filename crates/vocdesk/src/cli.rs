//! The command line: global configuration (flags and environment) and the subcommands.
//! Parsing lives in the library so that tests can build a [`Cli`] without a process.

use std::path::PathBuf;
use vocdesk_domain::refund::AutoCancelPolicy;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args, Parser, Subcommand};

/// The default data directory: the embedded store and anything else kept on disk.
pub const DEFAULT_DATA_DIR: &str = "./vocdesk-data";
/// The default address `vocdesk serve` listens on.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// The default number of rows `vocdesk import purchases` commits per transaction.
pub const DEFAULT_BATCH_SIZE: usize = 500;
/// The default `--cache-ttl-ms`: how stale another process's writes may look.
pub const DEFAULT_CACHE_TTL_MS: u64 = vocdesk_store::DEFAULT_CACHE_TTL.as_millis() as u64;
/// The exit code of an import that loaded what it could but rejected some rows.
pub const EXIT_ROWS_REJECTED: u8 = 2;

/// vocdesk: the Voice-of-Customer service of an app store (inquiries, refunds,
/// reviews).
#[derive(Debug, Parser)]
#[command(
    name = "vocdesk",
    version,
    about = "vocdesk: the Voice-of-Customer service of an app store (inquiries, refunds, reviews)",
    after_help = "Storage: with VOCDESK_DATABASE_URL unset, vocdesk keeps an embedded SQLite store in the data \
                  directory; set it to a postgres:// URL to share one PostgreSQL database between servers.\n\
                  Logs go to standard error; RUST_LOG filters them (default: info).\n\n\
                  Try it: vocdesk serve --demo"
)]
pub struct Cli {
    /// Configuration every subcommand shares.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Configuration every subcommand shares: where the store is and how to log.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Data directory: holds the embedded SQLite store (created if missing).
    #[arg(long = "data", value_name = "DIR", env = "VOCDESK_DATA", default_value = DEFAULT_DATA_DIR, global = true)]
    pub data_dir: PathBuf,

    /// PostgreSQL URL (postgres://...); unset means the embedded SQLite store in the data
    /// directory. Prefer the environment variable: a flag shows in the process list.
    #[arg(long, value_name = "URL", env = "VOCDESK_DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,

    /// Write logs as JSON lines (for log collectors) instead of text.
    #[arg(long, env = "VOCDESK_LOG_JSON", action = ArgAction::SetTrue, value_parser = BoolishValueParser::new(), global = true)]
    pub log_json: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web pages and the JSON API (applies pending migrations first).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Fill an empty store with demo sellers, apps, customers and purchases, then exit.
    ///
    /// Refuses (exit code 1) when the store already has accounts: the demo accounts
    /// share one well-known password and never belong in a production store.
    Demo(DemoArgs),
    /// Load data from other systems.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Manage operator accounts (the first one, before anyone can sign in).
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Mail that comes back: replies and new inquiries by mail.
    #[command(subcommand)]
    Mail(MailCommand),
}

/// Options of `vocdesk demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Also add N generated reviews spread over the demo apps, by generated customers
    /// (reviewer1001@example.com and up, password demo-password) who obtained each app
    /// they review: for trying and measuring a store at scale.
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=100_000_000))]
    pub reviews: u64,
}

/// Options of `vocdesk serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (host:port).
    #[arg(long, value_name = "ADDR", env = "VOCDESK_LISTEN", default_value = DEFAULT_LISTEN)]
    pub listen: String,

    /// Seed the demo first if the store has no accounts yet, and print the demo accounts.
    #[arg(long)]
    pub demo: bool,

    /// Mark session cookies Secure (set this when users reach vocdesk over HTTPS).
    #[arg(long, env = "VOCDESK_SECURE_COOKIES", action = ArgAction::SetTrue, value_parser = BoolishValueParser::new())]
    pub secure_cookies: bool,

    /// The address people reach the store at, for links in notification mail
    /// (default: the listening address).
    #[arg(long, value_name = "URL", env = "VOCDESK_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// R5: hours a customer may wait for a developer reply before the inquiry is overdue.
    #[arg(long, value_name = "HOURS", env = "VOCDESK_RESPONSE_LIMIT_HOURS", default_value_t = 72,
        value_parser = clap::value_parser!(i64).range(1..=24 * 365))]
    pub response_limit_hours: i64,

    /// R5 store policy for overdue `refund` inquiries: `manual` (operators decide from the
    /// overdue queue) or `auto` (the background sweep cancels the purchase on the
    /// developer's behalf).
    #[arg(long, value_name = "POLICY", env = "VOCDESK_AUTO_CANCEL", default_value = "manual",
        value_parser = parse_auto_cancel)]
    pub auto_cancel: AutoCancelPolicy,

    /// Seconds between runs of the background sweep (R5 reminders and the `auto` policy).
    #[arg(long, value_name = "SECONDS", env = "VOCDESK_SWEEP_INTERVAL_SECS", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=24 * 3600))]
    pub sweep_interval_secs: u64,

    /// R16: deliver the outbox over SMTP: `smtp://host:port` (STARTTLS when offered;
    /// `?tls=required` to insist), `smtps://user:pass@host:port` (implicit TLS). Without
    /// it, mail is written as `.eml` files into DATA/mail/outgoing/.
    #[arg(long, value_name = "URL", env = "VOCDESK_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Who mail comes from and where replies come back to.
    #[command(flatten)]
    pub mail: MailIdentityArgs,

    /// R15: also receive mail over SMTP on this address (e.g. 127.0.0.1:2525): replies
    /// to notifications and mail to sellers' support addresses, from the site's MTA.
    /// Plain SMTP without TLS: keep it on loopback or a private network.
    #[arg(long, value_name = "ADDR", env = "VOCDESK_SMTP_LISTEN")]
    pub smtp_listen: Option<String>,

    /// R16: seconds between looks at the outbox for mail that is due.
    #[arg(long, value_name = "SECONDS", env = "VOCDESK_DELIVERY_INTERVAL_SECS", default_value_t = 2,
        value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub delivery_interval_secs: u64,

    /// Issue 13: seconds between looks at the push outbox.
    #[arg(long, value_name = "SECONDS", env = "VOCDESK_PUSH_INTERVAL_SECS", default_value_t = 1,
        value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub push_interval_secs: u64,

    /// Issue 13, a test setting: accept push endpoints on loopback (`http://127.0.0.1`),
    /// for a push service run by a test suite. Never in production.
    #[arg(long, env = "VOCDESK_ALLOW_LOOPBACK_PUSH", action = ArgAction::SetTrue, value_parser = BoolishValueParser::new())]
    pub allow_loopback_push: bool,

    /// Seconds a client may take to send a request's headers, counted from its first
    /// byte (from connecting, for a connection's first request); a connection still
    /// short of them then is closed.
    #[arg(long, value_name = "SECONDS", env = "VOCDESK_HEADER_TIMEOUT_SECS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,

    /// Seconds a keep-alive connection may sit idle between requests before it is closed.
    #[arg(long, value_name = "SECONDS", env = "VOCDESK_IDLE_TIMEOUT_SECS", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(1..=24 * 3600))]
    pub idle_timeout_secs: u64,

    /// Connections served at once; at the cap, new ones wait in the listen queue until one
    /// closes.
    #[arg(long, value_name = "N", env = "VOCDESK_MAX_CONNECTIONS", default_value_t = 1024,
        value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub max_connections: u64,

    /// On SIGTERM or Ctrl-C, seconds the requests in flight get to finish before the
    /// process exits anyway.
    #[arg(long, value_name = "SECONDS", env = "VOCDESK_SHUTDOWN_GRACE_SECS", default_value_t = 10,
        value_parser = clap::value_parser!(u64).range(0..=3600))]
    pub shutdown_grace_secs: u64,

    /// Milliseconds a cached token, account, seller or catalog read may be served
    /// without asking the database: this process's own writes show at once, another
    /// process's after at most this long. 0 turns the cache off.
    #[arg(long, value_name = "MILLISECONDS", env = "VOCDESK_CACHE_TTL_MS", default_value_t = DEFAULT_CACHE_TTL_MS,
        value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub cache_ttl_ms: u64,
}

/// Who mail comes from and the reply domain: `serve` sends with them, `mail receive`
/// recognises replies by them, so both read the same flags and environment.
#[derive(Debug, Clone, Args)]
pub struct MailIdentityArgs {
    /// R16: the sender of every notification, e.g. "vocdesk <no-reply@example.com>".
    #[arg(long, value_name = "MAILBOX", env = "VOCDESK_MAIL_FROM", default_value = "vocdesk <no-reply@localhost>")]
    pub mail_from: String,

    /// R15/R16: the domain replies come back to (`reply+TOKEN@DOMAIN`,
    /// `support+SELLER@DOMAIN`); Message-IDs are made under it (default: the sender's
    /// domain).
    #[arg(long, value_name = "DOMAIN", env = "VOCDESK_REPLY_DOMAIN")]
    pub reply_domain: Option<String>,
}

/// What `vocdesk mail` can do.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Receive one mail (RFC 5322) on standard input, as an MTA's pipe transport runs it.
    ///
    /// A reply to a notification joins its thread when it comes from the person the
    /// reply address was issued to; a mail to a seller's support address from a
    /// customer's registered address opens an inquiry; anything else is kept and held
    /// for an operator. For Postfix: `argv=vocdesk mail receive --sender ${sender}
    /// --recipient ${original_recipient}` (or the SENDER and RECIPIENT environment).
    #[command(
        after_help = "Exit status (sysexits): 0 taken (joined, held or ignored), 65 malformed or                             too large, 67 not a reply or support address here, 75 try later (the store                             could not keep it)."
    )]
    Receive(ReceiveArgs),
}

/// Options of `vocdesk mail receive`.
#[derive(Debug, Clone, Args)]
pub struct ReceiveArgs {
    /// The envelope sender (MAIL FROM); empty for the null sender of bounces.
    #[arg(long, value_name = "ADDRESS", env = "SENDER")]
    pub sender: Option<String>,

    /// The envelope recipient: a reply+TOKEN@ or support+SELLER@ address.
    #[arg(long, value_name = "ADDRESS", env = "RECIPIENT")]
    pub recipient: String,

    /// The address people reach the store at, for links in the mail a reply causes
    /// (as `serve --public-url`).
    #[arg(long, value_name = "URL", env = "VOCDESK_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,

    /// Who mail comes from and the reply domain, as `serve` has them.
    #[command(flatten)]
    pub mail: MailIdentityArgs,
}

fn parse_auto_cancel(value: &str) -> Result<AutoCancelPolicy, String> {
    AutoCancelPolicy::parse(value).ok_or_else(|| format!("expected manual or auto, got {value:?}"))
}

/// What `vocdesk operator` can do.
#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Create an operator account; the password is read from standard input.
    ///
    /// This is how a new store gets its first operator, who then provisions sellers,
    /// developers, customers and apps over the API. The password never appears on the
    /// command line (where the process list would show it):
    /// `printf '%s' "$PASSWORD" | vocdesk operator create --email ops@store.example --name Ops`
    Create(CreateOperatorArgs),
}

/// Options of `vocdesk operator create`.
#[derive(Debug, Clone, Args)]
pub struct CreateOperatorArgs {
    /// Sign-in email.
    #[arg(long)]
    pub email: String,
    /// Name shown to others.
    #[arg(long)]
    pub name: String,
    /// Language of pages and mail: ko or en.
    #[arg(long, default_value = "ko")]
    pub locale: String,
}

/// What `vocdesk import` can load.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Load purchases from a payment system's CSV export.
    ///
    /// The header must name the columns
    /// tid,txid,receipt_no,customer_no,app_id,item_id,amount_minor,currency,purchased_at,status
    /// (in any order; txid, receipt_no, item_id and status may be empty). purchased_at is
    /// an RFC 3339 time; status is paid or cancelled (empty means paid). Recording is
    /// idempotent on tid: a row recorded before with the same content counts as already
    /// recorded, with different content it is rejected.
    ///
    /// Every rejected row is reported with its line number and reason; the other rows
    /// are loaded.
    #[command(after_help = "Exit status: 0 when every row was loaded or already recorded, \
                            2 when some rows were rejected (the rest were loaded), \
                            1 when the import could not run or stopped.")]
    Purchases(ImportPurchasesArgs),
}

/// Options of `vocdesk import purchases`.
#[derive(Debug, Clone, Args)]
pub struct ImportPurchasesArgs {
    /// The CSV file to load.
    #[arg(value_name = "FILE.csv")]
    pub file: PathBuf,

    /// How many valid rows to record per transaction.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_BATCH_SIZE, value_parser = parse_batch_size)]
    pub batch_size: usize,
}

/// A batch of zero rows would never make progress.
fn parse_batch_size(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("a whole number above zero".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn demo_takes_the_data_dir_after_the_subcommand() {
        let cli = Cli::try_parse_from(["vocdesk", "demo", "--data", "/tmp/x"]).expect("parses");
        assert_eq!(cli.global.data_dir, PathBuf::from("/tmp/x"));
        assert!(matches!(cli.command, Command::Demo(DemoArgs { reviews: 0 })));
        let cli = Cli::try_parse_from(["vocdesk", "demo", "--reviews", "1000000"]).expect("parses");
        assert!(matches!(cli.command, Command::Demo(DemoArgs { reviews: 1_000_000 })));
    }

    #[test]
    fn flags_before_the_subcommand_take_no_value() {
        let cli = Cli::try_parse_from(["vocdesk", "--log-json", "serve", "--secure-cookies"]).expect("parses");
        assert!(cli.global.log_json);
        let Command::Serve(args) = cli.command else { panic!("serve") };
        assert!(args.secure_cookies);
    }

    #[test]
    fn a_zero_batch_size_is_refused() {
        assert!(Cli::try_parse_from(["vocdesk", "import", "purchases", "f.csv", "--batch-size", "0"]).is_err());
        let cli = Cli::try_parse_from(["vocdesk", "import", "purchases", "f.csv"]).expect("parses");
        let Command::Import(ImportCommand::Purchases(args)) = cli.command else { panic!("import") };
        assert_eq!(args.batch_size, DEFAULT_BATCH_SIZE);
    }
}
