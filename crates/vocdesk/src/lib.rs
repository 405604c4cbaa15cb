//! The `vocdesk` binary as a library: command-line parsing ([`cli`]), logging
//! ([`logging`]), and one module per subcommand ([`serve`], [`demo`], [`import`]);
//! `main.rs` only parses and calls [`run`], so tests can drive every command in-process.

#![warn(missing_docs)]

pub mod cli;
pub mod deliverer;
pub mod demo;
pub mod import;
pub mod logging;
pub mod mail_in;
pub mod operator;
pub mod periodic;
pub mod pusher;
pub mod serve;
pub mod server;
pub mod sweeper;

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use vocdesk_app::{App, AppConfig};
use vocdesk_domain::clock::{Clock, SystemClock};
use vocdesk_store::Store;

use crate::cli::{Cli, Command, GlobalArgs, ImportCommand, MailCommand, OperatorCommand};

/// Runs one parsed command line and returns the process's exit code; errors are the
/// caller's to print.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let clock = SystemClock;
    match cli.command {
        Command::Migrate => {
            let store = open_store(&cli.global).await?;
            println!("Migrations applied: {} ({}) is up to date.", describe_location(&cli.global), store.engine());
        }
        Command::Demo(args) => {
            let store = open_store(&cli.global).await?;
            let blobs = vocdesk_store::BlobStore::in_data_dir(&cli.global.data_dir);
            let now = clock.now();
            let bar = demo_progress(args.reviews);
            let progress = |written: u64| bar.set_position(written);
            let (seeded, generated) =
                demo::seed_with_reviews(store.as_ref(), &blobs, now, args.reviews, &progress).await?;
            bar.finish_and_clear();
            println!(
                "Seeded the demo into {}: {} sellers, {} apps, {} in-app items, {} accounts, {} purchases, \
                 {} inquiries ({} overdue, {} messages, {} mails in the outbox).",
                describe_location(&cli.global),
                seeded.sellers.len(),
                seeded.apps.len(),
                seeded.items.len(),
                seeded.users.len(),
                seeded.purchases.len(),
                seeded.inquiries.len(),
                seeded.overdue(now, vocdesk_domain::inquiry::DEFAULT_RESPONSE_LIMIT),
                seeded.messages,
                seeded.mails
            );
            println!("Refunds: {}.", seeded.refund_summary());
            println!("Reviews: {}.", seeded.review_summary());
            if args.reviews > 0 {
                println!(
                    "Generated {} reviews ({} answered, {} star-only) by {} customers \
                     ({} to {}, password {}) with {} purchases in {:.1} s.",
                    generated.reviews,
                    generated.replies,
                    generated.star_only,
                    generated.customers,
                    demo::bulk::generated_email(0),
                    demo::bulk::generated_email(generated.customers.saturating_sub(1)),
                    demo::DEMO_PASSWORD,
                    generated.purchases,
                    generated.elapsed.as_secs_f64()
                );
            }
            print!("{}", demo::sign_in_instructions(None));
            println!(
                "Serve it with `vocdesk serve --data {}` and sign in at http://{}/.",
                cli.global.data_dir.display(),
                cli::DEFAULT_LISTEN
            );
        }
        Command::Serve(args) => {
            let store = open_store(&cli.global).await?;
            serve::serve(store, &cli.global.data_dir, &args).await?;
        }
        Command::Operator(OperatorCommand::Create(args)) => {
            let store = open_store(&cli.global).await?;
            let password = operator::read_password(std::io::stdin().lock())?;
            let blobs = vocdesk_store::BlobStore::in_data_dir(&cli.global.data_dir);
            let app = App::open(store, blobs, Arc::new(clock), AppConfig::default()).await?;
            let user = operator::create(&app, &args, &password).await?;
            println!("Created operator {} ({}).", user.email, user.id);
        }
        Command::Mail(MailCommand::Receive(args)) => {
            return Ok(mail_in::receive_stdin(&cli.global, &args).await);
        }
        Command::Import(ImportCommand::Purchases(args)) => {
            let store = open_store(&cli.global).await?;
            return import::run(store.as_ref(), &args, clock.now()).await;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The progress bar of `vocdesk demo --reviews N`, drawn only on a terminal.
fn demo_progress(reviews: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if reviews == 0 || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(reviews), indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} reviews ({eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Opens the configured store and applies pending migrations, so that every command
/// works on a fresh data directory or database.
pub async fn open_store(global: &GlobalArgs) -> anyhow::Result<Arc<dyn Store>> {
    let store = vocdesk_store::open(global.database_url.as_deref(), &global.data_dir)
        .await
        .with_context(|| format!("opening {}", describe_location(global)))?;
    store.migrate().await.with_context(|| format!("migrating {}", describe_location(global)))?;
    tracing::debug!(engine = store.engine(), "store ready");
    Ok(store)
}

/// Names the store for messages without showing a database URL (it may hold a
/// password).
fn describe_location(global: &GlobalArgs) -> String {
    match global.database_url {
        Some(_) => "the database that VOCDESK_DATABASE_URL names".to_owned(),
        None => format!("the embedded store in {}", global.data_dir.display()),
    }
}
