//! `vocdesk serve`: the web pages and the JSON API on one listener ([`crate::server`]:
//! timeouts, a connection cap, and graceful shutdown with a deadline, so that requests in
//! flight finish, and their writes commit, on Ctrl-C or SIGTERM, yet no client can hold
//! the process up).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use vocdesk_app::AppConfig;
use vocdesk_domain::clock::{Clock, SystemClock};
use vocdesk_smtp::{Delivery, Identity};
use vocdesk_store::{BlobStore, CachedStore, Store};
use vocdesk_web::{AppState, WebConfig, router};

use crate::cli::ServeArgs;
use crate::server::{self, Limits};
use crate::{deliverer, demo, mail_in, pusher, sweeper};

/// Seeds the demo when asked to and the store is empty, then serves until a shutdown
/// signal. The store must be migrated already.
/// Attachment files are kept in `data_dir` whichever engine holds the rows.
/// The store is put behind a [`CachedStore`] unless `--cache-ttl-ms 0`.
pub async fn serve(store: Arc<dyn Store>, data_dir: &std::path::Path, args: &ServeArgs) -> anyhow::Result<()> {
    let store: Arc<dyn Store> = match args.cache_ttl_ms {
        0 => store,
        ttl => Arc::new(CachedStore::new(store, Duration::from_millis(ttl))),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let delivery = mail_delivery(data_dir, args)?;
    let blobs = BlobStore::in_data_dir(data_dir);
    let demo_accounts = args.demo && prepare_demo(store.as_ref(), &blobs, clock.now()).await?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr().context("reading the listening address")?;
    let base_url = format!("http://{address}");
    let config = WebConfig {
        secure_cookies: args.secure_cookies,
        app: AppConfig {
            public_url: args.public_url.clone().unwrap_or_else(|| base_url.clone()),
            response_limit: jiff::SignedDuration::from_hours(args.response_limit_hours),
            auto_cancel: args.auto_cancel,
            reply_domain: delivery.domain().to_owned(),
            allow_loopback_push: args.allow_loopback_push,
            ..AppConfig::default()
        },
        ..WebConfig::default()
    };
    let shutdown = shutdown_signal().context("installing the Ctrl-C and SIGTERM handlers")?;
    let state = AppState::new(store, blobs, clock, config).await.context("preparing the web application")?;
    // Said before the listening line: whoever reads our output up to the sign-in lines
    // may close it then, and nothing printed later may depend on it being read.
    match delivery.folder() {
        Some(folder) => println!("Mail is delivered as .eml files into {}", folder.display()),
        None => println!("Mail is delivered over SMTP"),
    }
    let smtp = match &args.smtp_listen {
        Some(addr) => Some(mail_in::start_listener(state.app().clone(), addr).await?),
        None => None,
    };
    if let Some((smtp_address, _)) = &smtp {
        println!("Receiving mail for @{} over SMTP on {smtp_address}", state.app().config().reply_domain);
    }
    println!("vocdesk listening on {base_url}");
    if demo_accounts {
        print!("{}", demo::sign_in_instructions(Some(&base_url)));
    }
    tracing::info!(%address, auto_cancel = args.auto_cancel.as_str(), "listening");
    let sweeper = sweeper::start(state.app().clone(), Duration::from_secs(args.sweep_interval_secs));
    let deliverer = deliverer::start(state.app().clone(), delivery, Duration::from_secs(args.delivery_interval_secs));
    let transport = pusher::HttpPush::new(args.allow_loopback_push).context("preparing the push client")?;
    let pushes = pusher::start(state.app().clone(), transport, Duration::from_secs(args.push_interval_secs));
    server::serve(listener, router(state), limits(args), shutdown).await;
    sweeper.stop().await;
    deliverer.stop().await;
    pushes.stop().await;
    if let Some((_, smtp)) = smtp {
        smtp.stop().await;
    }
    tracing::info!("stopped");
    Ok(())
}

/// R16: over SMTP when `--smtp-url` is given, otherwise as `.eml` files in
/// DATA/mail/outgoing/; a bad URL, sender or domain stops the start, not the first mail.
fn mail_delivery(data_dir: &std::path::Path, args: &ServeArgs) -> anyhow::Result<Delivery> {
    let identity = Identity::new(&args.mail.mail_from, args.mail.reply_domain.as_deref())?;
    Ok(match &args.smtp_url {
        Some(url) => Delivery::smtp(url, identity)?,
        None => Delivery::files(data_dir.join("mail").join("outgoing"), identity),
    })
}

/// The connection limits and shutdown grace the flags ask for.
fn limits(args: &ServeArgs) -> Limits {
    Limits {
        header_timeout: Duration::from_secs(args.header_timeout_secs),
        idle_timeout: Duration::from_secs(args.idle_timeout_secs),
        max_connections: usize::try_from(args.max_connections).unwrap_or(usize::MAX),
        shutdown_grace: Duration::from_secs(args.shutdown_grace_secs),
    }
}

/// `serve --demo`: seeds an empty store; on a store with accounts, seeds nothing.
/// Answers whether the demo accounts are there to sign in with (seeded now or before).
async fn prepare_demo(store: &dyn Store, blobs: &BlobStore, now: jiff::Timestamp) -> anyhow::Result<bool> {
    if !store.has_users().await.context("checking whether the store is empty")? {
        demo::seed(store, blobs, now).await.context("seeding the demo")?;
        println!("Seeded the demo store.");
        return Ok(true);
    }
    let present = demo::accounts_present(store).await?;
    if !present {
        println!("The store has accounts of its own; the demo is not seeded into it.");
    }
    Ok(present)
}

/// Installs the Ctrl-C and SIGTERM (what container runtimes and systemd send) handlers
/// now, before the server says it is listening, and returns a future that resolves on
/// either; a signal that arrives in between is not lost, nor does it kill the process.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    #[cfg(unix)]
    let signalled = {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        }
    };
    #[cfg(not(unix))]
    let signalled = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    Ok(async move {
        signalled.await;
        tracing::info!("shutting down: finishing the requests in flight");
    })
}
