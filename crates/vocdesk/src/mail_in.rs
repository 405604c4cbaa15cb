//! R15: the two doors mail comes back by, one processing behind both
//! ([`vocdesk_app::inbound::receive`]): the SMTP listener `serve --smtp-listen` runs for
//! the site's MTA, and `vocdesk mail receive`, which an MTA's pipe transport runs with
//! one mail on standard input. Each door answers in its own words: SMTP reply codes, or
//! the exit codes of sysexits.h.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use vocdesk_app::inbound::{Outcome, accepts, receive};
use vocdesk_app::{App, AppConfig};
use vocdesk_domain::clock::{Clock, SystemClock};
use vocdesk_domain::inbound::HoldReason;
use vocdesk_smtp::Identity;
use vocdesk_smtp::listener::{Envelope, Limits, Listener, Receiver, Reception};

use crate::cli::{GlobalArgs, MailIdentityArgs, ReceiveArgs};
use crate::periodic::Periodic;

/// sysexits.h: taken.
const EX_OK: u8 = 0;
/// sysexits.h EX_DATAERR: not a mail, or too large.
const EX_DATAERR: u8 = 65;
/// sysexits.h EX_NOUSER: not an address of ours.
const EX_NOUSER: u8 = 67;
/// sysexits.h EX_TEMPFAIL: could not be kept now; the MTA keeps it and tries again.
const EX_TEMPFAIL: u8 = 75;

/// The reply domain both doors recognise: the one mail is sent under.
pub fn reply_domain(mail: &MailIdentityArgs) -> anyhow::Result<String> {
    let identity = Identity::new(&mail.mail_from, mail.reply_domain.as_deref())?;
    Ok(identity.domain().to_owned())
}

/// The application as the SMTP listener sees it.
struct MailIn {
    app: App,
}

impl Receiver for MailIn {
    fn accepts_recipient(&self, address: &str) -> bool {
        accepts(&self.app, address)
    }

    async fn receive(&self, envelope: Envelope, raw: Vec<u8>) -> Reception {
        // The null sender `<>` is known to be null: bounces and auto-replies use it.
        let sender = envelope.mail_from.unwrap_or_default();
        for recipient in &envelope.rcpt_to {
            if let Err(error) = receive(&self.app, Some(&sender), recipient, raw.clone()).await {
                tracing::error!(%error, peer = %envelope.peer, "could not keep a received mail; asking to try later");
                return Reception::TryLater("the mail could not be stored now; please try again later".to_owned());
            }
        }
        Reception::Taken
    }
}

/// `serve --smtp-listen ADDR`: binds now (a busy address stops the start) and serves
/// until the returned task is stopped.
pub async fn start_listener(app: App, addr: &str) -> anyhow::Result<(std::net::SocketAddr, Periodic)> {
    let hostname = app.config().reply_domain.clone();
    let listener = Listener::bind(addr, &hostname, Limits::default())
        .await
        .with_context(|| format!("cannot listen for SMTP on {addr}"))?;
    let local = listener.local_addr().context("reading the SMTP listening address")?;
    let receiver = Arc::new(MailIn { app });
    Ok((local, Periodic::background("smtp-listener", move |stopping| listener.serve(receiver, stopping.wait()))))
}

/// `vocdesk mail receive`: one mail on standard input. Every failure is an exit code
/// the MTA understands, never a mail lost: 75 whenever the mail could not be kept.
pub async fn receive_stdin(global: &GlobalArgs, args: &ReceiveArgs) -> ExitCode {
    let mut raw = Vec::new();
    let limit = Limits::default().max_message_bytes;
    let read = std::io::stdin().lock().take(u64::try_from(limit).unwrap_or(u64::MAX) + 1).read_to_end(&mut raw);
    if let Err(error) = read {
        eprintln!("vocdesk mail receive: cannot read the mail on standard input: {error}");
        return ExitCode::from(EX_TEMPFAIL);
    }
    if raw.len() > limit {
        eprintln!("vocdesk mail receive: the mail is larger than {} MiB; refused", limit / (1024 * 1024));
        return ExitCode::from(EX_DATAERR);
    }
    match receive_bytes(global, args, raw).await {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("vocdesk mail receive: {error:#}; try again later");
            ExitCode::from(EX_TEMPFAIL)
        }
    }
}

async fn receive_bytes(global: &GlobalArgs, args: &ReceiveArgs, raw: Vec<u8>) -> anyhow::Result<u8> {
    let config = AppConfig {
        reply_domain: reply_domain(&args.mail)?,
        public_url: args.public_url.clone(),
        ..AppConfig::default()
    };
    let store = crate::open_store(global).await?;
    let blobs = vocdesk_store::BlobStore::in_data_dir(&global.data_dir);
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let app = App::open(store, blobs, clock, config).await.context("opening the store's keys")?;
    if !accepts(&app, &args.recipient) {
        eprintln!("vocdesk mail receive: {} is not a reply or support address here", args.recipient);
        return Ok(EX_NOUSER);
    }
    let received = receive(&app, args.sender.as_deref(), &args.recipient, raw).await?;
    let (code, said) = match &received.outcome {
        Outcome::Joined(inquiry) => (EX_OK, format!("joined inquiry {inquiry}")),
        Outcome::Held(HoldReason::Unreadable) => (EX_DATAERR, "not a mail; kept raw for an operator".to_owned()),
        Outcome::Held(reason) => (EX_OK, format!("held for an operator ({})", reason.as_str())),
        Outcome::Ignored => (EX_OK, "an automatic mail: kept, not answered".to_owned()),
        Outcome::Bounce => (EX_OK, "a delivery report: the mail it reports is marked failed".to_owned()),
        Outcome::AlreadyDecided => (EX_OK, "decided by another process".to_owned()),
    };
    println!("Received mail {}: {said}.", received.id);
    Ok(code)
}
