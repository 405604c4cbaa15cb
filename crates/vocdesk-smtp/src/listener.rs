//! Inbound SMTP: the listener that takes mail addressed to vocdesk (replies to our mail,
//! new inquiries by mail) and hands each message to the application's [`Receiver`].
//!
//! It speaks plain SMTP without TLS and without AUTH: it is meant to listen on loopback
//! or on a private interface behind the site's MTA, which does TLS, spam checks and
//! relaying, and delivers here. Do not expose it to the internet as it is.
//!
//! The SMTP grammar and command sequencing come from the `mailin` crate (a protocol state
//! machine without I/O); this module drives it with one tokio task per connection and adds
//! what `mailin` 0.6 lacks: the null sender `MAIL FROM:<>` (which bounces and
//! auto-replies use), the `SIZE=` parameter, the EHLO extension list (`SIZE`, `8BITMIME`,
//! `PIPELINING`, `ENHANCEDSTATUSCODES`), a bounded message body, and an asynchronous final
//! answer. A mail is answered 250 only after [`Receiver::receive`] said [`Reception::Taken`],
//! so a mail is either stored or still the sending MTA's to retry; never lost in between.
//!
//! Limits ([`Limits`]) keep one client from exhausting memory or connections: command lines
//! are at most 1,000 bytes, the message body is never buffered past the size limit (the
//! rest of an oversized DATA is read and discarded, then answered 552), recipients beyond
//! the limit get 452 (the client sends the mail to the first ones and retries the rest
//! later), a connection that says nothing for the idle timeout is closed.

mod lines;
mod protocol;
mod session;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

/// The SMTP envelope of one received mail: who the sending MTA says it is from and for,
/// which is not what the headers say (a reply to a mailing list, a Bcc, a bounce).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// The reverse path of `MAIL FROM`, as given; `None` for the null sender `<>`, which
    /// marks bounces and auto-replies (they must never be answered by mail).
    pub mail_from: Option<String>,
    /// The accepted `RCPT TO` addresses, lower-cased (each one passed
    /// [`Receiver::accepts_recipient`]), without duplicates.
    pub rcpt_to: Vec<String>,
    /// The connecting peer (the MTA in front of us), for logs and loop diagnosis.
    pub peer: SocketAddr,
}

/// What the receiver made of a mail; the listener turns it into the SMTP reply, and so
/// decides whether the sending MTA keeps the mail, retries it later or bounces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reception {
    /// Stored durably: answered `250 2.0.0`, the sender forgets the mail.
    Taken,
    /// No recipient of this mail exists after all: `550 5.1.1`, the sender bounces it.
    UnknownRecipient,
    /// Could not be stored now (the database is busy or full): `451 4.3.0 <reason>`, the
    /// sender keeps the mail and tries again later.
    TryLater(String),
    /// Will never be taken (it cannot be parsed, it is a loop): `554 5.6.0 <reason>`,
    /// the sender bounces it.
    Refused(String),
}

/// Who decides about mail: the application implements this; the listener knows nothing
/// about inquiries, it only speaks SMTP.
pub trait Receiver: Send + Sync + 'static {
    /// Whether `RCPT TO` `address` (lower-cased) may be accepted. It is asked at RCPT time
    /// so that mail for other domains is refused with 550 5.1.1 at once, before any DATA.
    fn accepts_recipient(&self, address: &str) -> bool;

    /// Takes one whole message: the raw RFC 5322 bytes as received, after dot-unstuffing,
    /// each line with its CRLF. The client is answered 250 only after this returns
    /// [`Reception::Taken`], so the receiver must have stored the mail durably first.
    fn receive(&self, envelope: Envelope, raw: Vec<u8>) -> impl Future<Output = Reception> + Send;
}

/// What one client may ask of the listener; every limit is a protection against a broken
/// or hostile client, set far above what real mail needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest message body, in bytes after dot-unstuffing: advertised as `SIZE`,
    /// checked against `MAIL FROM … SIZE=`, and enforced while DATA is read (552 5.3.4).
    pub max_message_bytes: usize,
    /// The most recipients of one mail; the ones after that are answered 452 4.5.3.
    pub max_recipients: usize,
    /// How long a client may stay silent (between commands or within DATA) before the
    /// connection is closed with 421.
    pub idle_timeout: Duration,
    /// The most connections served at once; a connection over this is answered 421 and
    /// closed, so that the sending MTA retries later.
    pub max_connections: usize,
}

impl Default for Limits {
    /// 25 MiB mails (what the big providers send), 100 recipients (RFC 5321's minimum a
    /// server must accept), 5 minutes idle (RFC 5321 suggests 5 minutes for commands),
    /// 64 connections.
    fn default() -> Self {
        Self {
            max_message_bytes: 25 * 1024 * 1024,
            max_recipients: 100,
            idle_timeout: Duration::from_secs(5 * 60),
            max_connections: 64,
        }
    }
}

/// What every connection's session needs to know about the server.
#[derive(Debug)]
struct Config {
    hostname: String,
    limits: Limits,
}

/// A bound SMTP listener: created by [`Listener::bind`] at start-up (so that a bad or busy
/// address fails there), served by [`Listener::serve`].
#[derive(Debug)]
pub struct Listener {
    listener: TcpListener,
    config: Arc<Config>,
}

impl Listener {
    /// Binds `addr` (e.g. `127.0.0.1:2525`) now, so that a bad address fails at start-up;
    /// serves later. `hostname` is the name the listener greets with and gives in EHLO.
    /// A hostname with spaces or control characters, or a zero limit, is refused here
    /// (`InvalidInput`) rather than making every later conversation fail.
    pub async fn bind(addr: &str, hostname: &str, limits: Limits) -> std::io::Result<Self> {
        let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, what.to_owned());
        if hostname.is_empty() || !hostname.chars().all(|c| c.is_ascii_graphic()) {
            return Err(invalid("the SMTP hostname must be a non-empty name without spaces"));
        }
        if limits.max_message_bytes == 0 || limits.max_recipients == 0 || limits.max_connections == 0 {
            return Err(invalid("the SMTP limits must not be zero"));
        }
        if limits.idle_timeout.is_zero() {
            return Err(invalid("the SMTP idle timeout must not be zero"));
        }
        let listener = TcpListener::bind(addr).await?;
        Ok(Self { listener, config: Arc::new(Config { hostname: hostname.to_owned(), limits }) })
    }

    /// The address actually bound: the port chosen by the system when `bind` was given
    /// port 0 (as tests do).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` resolves, one task per connection. Then it stops accepting
    /// (the port is closed), tells idle connections `421` and closes them, lets a
    /// connection in the middle of a mail finish that mail (its DATA and the receiver's
    /// answer), and returns once every connection has ended.
    pub async fn serve<R: Receiver>(self, receiver: Arc<R>, shutdown: impl Future<Output = ()> + Send) {
        let Self { listener, config } = self;
        let (stop, stopping) = watch::channel(false);
        let slots = Arc::new(Semaphore::new(config.limits.max_connections));
        let mut connections = JoinSet::new();
        tracing::info!(address = ?listener.local_addr().ok(), "SMTP listener serving");
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                Some(ended) = connections.join_next(), if !connections.is_empty() => log_ended(ended),
                accepted = listener.accept() => match accepted {
                    Ok((stream, peer)) => match Arc::clone(&slots).try_acquire_owned() {
                        Ok(slot) => {
                            let (config, receiver, stopping) = (Arc::clone(&config), Arc::clone(&receiver), stopping.clone());
                            connections.spawn(async move {
                                session::run(stream, peer, config, receiver, stopping).await;
                                drop(slot);
                            });
                        }
                        Err(_) => {
                            tracing::warn!(%peer, limit = config.limits.max_connections, "SMTP connection refused: too many connections");
                            // Best effort and without waiting: a fresh socket's send buffer takes it.
                            let _ = stream.try_write(protocol::TOO_MANY_CONNECTIONS);
                        }
                    },
                    Err(error) => {
                        // Out of file descriptors and the like: wait a little rather than spin.
                        tracing::warn!(%error, "SMTP accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
            }
        }
        drop(listener);
        tracing::info!(open = connections.len(), "SMTP listener stopping; finishing open connections");
        // No receiver left is as good as `true`: the sessions treat both as "stop".
        let _ = stop.send(true);
        while let Some(ended) = connections.join_next().await {
            log_ended(ended);
        }
        tracing::info!("SMTP listener stopped");
    }
}

/// A connection task that panicked is a bug worth an error in the log (the panic itself
/// only took that one connection down).
fn log_ended(ended: Result<(), tokio::task::JoinError>) {
    if let Err(error) = ended
        && error.is_panic()
    {
        tracing::error!(%error, "an SMTP connection task panicked");
    }
}
