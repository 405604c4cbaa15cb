//! One SMTP connection: reads the client's lines under the limits, feeds commands to
//! `mailin`'s state machine, answers what `mailin` cannot (EHLO, MAIL, the end of DATA),
//! reads DATA itself and hands the finished mail to the [`Receiver`].

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use mailin::{Action, Handler, Response, SessionBuilder};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::watch;
use tracing::Instrument;

use super::lines::{Body, Read, read_line};
use super::{Config, Envelope, Receiver, protocol};

/// DATA is read in pieces of at most this size, however long its lines.
const DATA_CHUNK: usize = 64 * 1024;

/// What `mailin` is told as the reverse path of a null-sender mail (its parser refuses
/// `<>`); the real sender, `None`, is taken from [`Transaction::pending_sender`].
const NULL_SENDER_STAND_IN: &str = "null-sender";

/// The mail being built, shared by the session loop and the `mailin` handler (which
/// `mailin` owns, so the loop cannot reach it otherwise).
#[derive(Debug, Default)]
struct Transaction {
    /// The sender this listener parsed, set just before MAIL is fed to `mailin`.
    pending_sender: Option<Option<String>>,
    /// `Some` once MAIL was accepted; `Some(None)` for the null sender.
    mail_from: Option<Option<String>>,
    /// The accepted recipients, lower-cased.
    rcpt_to: Vec<String>,
}

/// A poisoned lock only means another holder panicked; the transaction is still usable.
fn lock(transaction: &Mutex<Transaction>) -> MutexGuard<'_, Transaction> {
    transaction.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The `mailin` handler: the synchronous decisions (recipients), recorded in the shared
/// [`Transaction`].
struct Gate<R> {
    receiver: Arc<R>,
    max_recipients: usize,
    transaction: Arc<Mutex<Transaction>>,
}

impl<R: Receiver> Handler for Gate<R> {
    fn helo(&mut self, _ip: std::net::IpAddr, _domain: &str) -> Response {
        // HELO/EHLO in the middle of a mail abandons it (RFC 5321 4.1.4).
        *lock(&self.transaction) = Transaction::default();
        mailin::response::OK
    }

    fn mail(&mut self, _ip: std::net::IpAddr, _domain: &str, _from: &str) -> Response {
        let mut transaction = lock(&self.transaction);
        let sender = transaction.pending_sender.take().flatten();
        transaction.mail_from = Some(sender);
        transaction.rcpt_to.clear();
        mailin::response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let address = to.to_lowercase();
        if !self.receiver.accepts_recipient(&address) {
            tracing::debug!(recipient = %address, "RCPT refused: not ours");
            return Response::custom(550, protocol::UNKNOWN_RECIPIENT.to_owned());
        }
        let mut transaction = lock(&self.transaction);
        if !transaction.rcpt_to.contains(&address) {
            if transaction.rcpt_to.len() >= self.max_recipients {
                return Response::custom(452, protocol::TOO_MANY_RECIPIENTS.to_owned());
            }
            tracing::debug!(recipient = %address, "RCPT accepted");
            transaction.rcpt_to.push(address);
        }
        Response::custom(250, protocol::RECIPIENT_OK.to_owned())
    }
}

/// Whether the conversation goes on.
enum Flow {
    Continue,
    Close,
}

/// One connection's state.
struct Connection<R: Receiver> {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
    config: Arc<Config>,
    receiver: Arc<R>,
    peer: SocketAddr,
    stopping: watch::Receiver<bool>,
    transaction: Arc<Mutex<Transaction>>,
    session: mailin::Session<Gate<R>>,
}

/// Serves one connection until the client quits, goes silent or away, or the listener
/// stops (between mails).
pub(super) async fn run<R: Receiver>(
    stream: TcpStream,
    peer: SocketAddr,
    config: Arc<Config>,
    receiver: Arc<R>,
    stopping: watch::Receiver<bool>,
) {
    let span = tracing::debug_span!("smtp", %peer);
    async move {
        tracing::debug!("SMTP connection opened");
        // Replies are small and answered one by one: do not wait to fill a segment.
        let _ = stream.set_nodelay(true);
        let (read, writer) = stream.into_split();
        let transaction = Arc::new(Mutex::new(Transaction::default()));
        let gate = Gate {
            receiver: Arc::clone(&receiver),
            max_recipients: config.limits.max_recipients,
            transaction: Arc::clone(&transaction),
        };
        let session = SessionBuilder::new(config.hostname.clone()).build(peer.ip(), gate);
        let reader = BufReader::with_capacity(16 * 1024, read);
        let mut connection = Connection { reader, writer, config, receiver, peer, stopping, transaction, session };
        match connection.converse().await {
            Ok(()) => tracing::debug!("SMTP connection closed"),
            Err(error) => tracing::debug!(%error, "SMTP connection ended by an I/O error"),
        }
    }
    .instrument(span)
    .await;
}

/// Reads one line (or a piece of at most `max` bytes) within the idle timeout; `None`
/// when the client stayed silent for it.
async fn next(
    reader: &mut BufReader<OwnedReadHalf>,
    buf: &mut Vec<u8>,
    max: usize,
    idle: Duration,
) -> std::io::Result<Option<Read>> {
    match tokio::time::timeout(idle, read_line(reader, buf, max)).await {
        Ok(read) => read.map(Some),
        Err(_) => Ok(None),
    }
}

impl<R: Receiver> Connection<R> {
    async fn converse(&mut self) -> std::io::Result<()> {
        let greeting = self.session.greeting().buffer()?;
        self.send(&greeting).await?;
        let idle = self.config.limits.idle_timeout;
        let mut line = Vec::with_capacity(protocol::MAX_COMMAND_LINE);
        loop {
            let in_mail = lock(&self.transaction).mail_from.is_some();
            line.clear();
            let read = if in_mail {
                // A mail under way is finished even when the listener is stopping.
                next(&mut self.reader, &mut line, protocol::MAX_COMMAND_LINE, idle).await?
            } else {
                let outcome = tokio::select! {
                    read = next(&mut self.reader, &mut line, protocol::MAX_COMMAND_LINE, idle) => Some(read?),
                    _ = self.stopping.wait_for(|stop| *stop) => None,
                };
                let Some(read) = outcome else {
                    let _ = self.send(&protocol::shutting_down(&self.config.hostname)).await;
                    return Ok(());
                };
                read
            };
            let flow = match read {
                None => self.idle().await,
                Some(Read::Closed) => Flow::Close,
                Some(Read::Partial) => self.line_too_long().await?,
                Some(Read::Line) => self.command(&mut line).await?,
            };
            if let Flow::Close = flow {
                return Ok(());
            }
        }
    }

    /// Answers one complete command line.
    async fn command(&mut self, line: &mut Vec<u8>) -> std::io::Result<Flow> {
        if !line.ends_with(b"\r\n") {
            // A bare LF ends a command too (lenient, as MTAs are); `mailin` wants CRLF.
            line.pop();
            line.extend_from_slice(b"\r\n");
        }
        let verb = protocol::verb(line);
        match verb.as_slice() {
            b"EHLO" | b"HELO" => {
                let response = self.session.process(line);
                if response.code == 250 {
                    let hostname = &self.config.hostname;
                    let reply = if verb == b"EHLO" {
                        protocol::ehlo(hostname, self.config.limits.max_message_bytes)
                    } else {
                        protocol::helo(hostname)
                    };
                    self.send(&reply).await?;
                    return Ok(Flow::Continue);
                }
                self.relay(&response).await
            }
            b"MAIL" => self.mail(line).await,
            b"DATA" => {
                let response = self.session.process(line);
                let flow = self.relay(&response).await?;
                if response.code == 354 { self.data().await } else { Ok(flow) }
            }
            b"RSET" => {
                let response = self.session.process(line);
                if response.code == 250 {
                    *lock(&self.transaction) = Transaction::default();
                }
                self.relay(&response).await
            }
            _ => {
                let response = self.session.process(line);
                self.relay(&response).await
            }
        }
    }

    /// MAIL, parsed here (null sender, SIZE=) and then fed to `mailin` in the one form its
    /// parser takes, so that its state machine follows.
    async fn mail(&mut self, line: &[u8]) -> std::io::Result<Flow> {
        let mail = match protocol::parse_mail(line) {
            Ok(mail) => mail,
            Err(reply) => {
                self.send(reply).await?;
                return Ok(Flow::Continue);
            }
        };
        let limit = self.config.limits.max_message_bytes;
        if mail.size.is_some_and(|size| size > u64::try_from(limit).unwrap_or(u64::MAX)) {
            tracing::info!(declared = mail.size, limit, "MAIL refused: declared size over the limit");
            self.send(protocol::TOO_BIG).await?;
            return Ok(Flow::Continue);
        }
        let fed = format!("MAIL FROM:<{}>\r\n", mail.sender.as_deref().unwrap_or(NULL_SENDER_STAND_IN));
        lock(&self.transaction).pending_sender = Some(mail.sender.clone());
        let response = self.session.process(fed.as_bytes());
        lock(&self.transaction).pending_sender = None;
        if response.code == 250 {
            tracing::debug!(sender = ?mail.sender, "MAIL accepted");
            self.send(protocol::SENDER_OK).await?;
            return Ok(Flow::Continue);
        }
        self.relay(&response).await
    }

    /// Reads the message after 354 to its end (keeping at most the size limit), then
    /// answers as the receiver decides.
    async fn data(&mut self) -> std::io::Result<Flow> {
        let idle = self.config.limits.idle_timeout;
        let mut body = Body::new(self.config.limits.max_message_bytes);
        let mut chunk = Vec::with_capacity(DATA_CHUNK);
        loop {
            chunk.clear();
            match next(&mut self.reader, &mut chunk, DATA_CHUNK, idle).await? {
                None => return Ok(self.idle().await),
                Some(Read::Closed) => {
                    tracing::debug!("client went away during DATA; nothing received");
                    return Ok(Flow::Close);
                }
                Some(Read::Line | Read::Partial) => {
                    if body.push(&chunk) {
                        break;
                    }
                }
            }
        }
        // Brings `mailin` from DATA back to its ready state; its own answer is not sent.
        let end = self.session.process(b".\r\n");
        if end.code != 250 {
            tracing::warn!(code = end.code, "mailin did not take the end of DATA");
        }
        let transaction = std::mem::take(&mut *lock(&self.transaction));
        let Some(raw) = body.finish() else {
            tracing::info!(limit = self.config.limits.max_message_bytes, "mail refused: over the size limit");
            self.send(protocol::TOO_BIG).await?;
            return Ok(Flow::Continue);
        };
        let envelope =
            Envelope { mail_from: transaction.mail_from.flatten(), rcpt_to: transaction.rcpt_to, peer: self.peer };
        let (bytes, recipients) = (raw.len(), envelope.rcpt_to.len());
        let reception = self.receiver.receive(envelope, raw).await;
        tracing::info!(bytes, recipients, outcome = ?reception, "mail received");
        self.send(&protocol::reception(&reception)).await?;
        Ok(Flow::Continue)
    }

    /// Skips the rest of an overlong command line and refuses it; the connection goes on.
    async fn line_too_long(&mut self) -> std::io::Result<Flow> {
        let idle = self.config.limits.idle_timeout;
        let mut rest = Vec::with_capacity(protocol::MAX_COMMAND_LINE);
        loop {
            rest.clear();
            match next(&mut self.reader, &mut rest, protocol::MAX_COMMAND_LINE, idle).await? {
                None => return Ok(self.idle().await),
                Some(Read::Closed) => return Ok(Flow::Close),
                Some(Read::Partial) => {}
                Some(Read::Line) => break,
            }
        }
        tracing::debug!("command line too long");
        self.send(protocol::LINE_TOO_LONG).await?;
        Ok(Flow::Continue)
    }

    /// The client said nothing for the idle timeout: tell it (if it still listens), close.
    async fn idle(&mut self) -> Flow {
        tracing::debug!("SMTP connection idle for too long");
        let _ = self.send(&protocol::idle(&self.config.hostname)).await;
        Flow::Close
    }

    /// Sends `mailin`'s answer; closes when it says so (QUIT, a broken state).
    async fn relay(&mut self, response: &Response) -> std::io::Result<Flow> {
        if response.action != Action::NoReply {
            self.send(&protocol::relay(response)).await?;
        }
        Ok(if response.action == Action::Close { Flow::Close } else { Flow::Continue })
    }

    /// Writes a reply, giving up after the idle timeout on a client that does not read.
    async fn send(&mut self, reply: &[u8]) -> std::io::Result<()> {
        match tokio::time::timeout(self.config.limits.idle_timeout, self.writer.write_all(reply)).await {
            Ok(written) => written,
            Err(_) => Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the client does not read its replies")),
        }
    }
}
