//! R16: how queued mail leaves vocdesk. [`Delivery`] is the [`MailTransport`] the
//! delivery worker hands each mail to: over SMTP with lettre (a connection pool,
//! STARTTLS or implicit TLS, optional credentials, all from one URL), or, without an
//! SMTP server (the embedded default and the demo), as `.eml` files in the data
//! directory, so that a newcomer can open exactly what would have been sent.
//!
//! Every mail carries a Message-ID made from its outbox id (fixed when it was queued,
//! so that a mail sent again after an ambiguous timeout is recognisable as the same),
//! a thread anchor in `In-Reply-To`/`References` for mail about an inquiry (so that
//! clients show one conversation), and the headers that keep auto-responders quiet.
//!
//! [`listener`] takes mail in: plain SMTP behind the MTA, each mail handed to a [`listener::Receiver`].

mod headers;
pub mod listener;
#[cfg(feature = "sink")]
pub mod sink;

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, Message, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Tokio1Executor};
use vocdesk_app::delivery::{MailTransport, SendFailure};
use vocdesk_domain::delivery::AttemptFailure;
use vocdesk_domain::outbox::QueuedMail;

pub use headers::{AutoResponseSuppress, AutoSubmitted};

/// How long one SMTP conversation may take before it is a transient failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Configuration that cannot work: refused at start-up, never at the first mail.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The SMTP URL does not parse or names an unknown scheme.
    #[error("the SMTP URL is not usable ({0}); expected smtp://host:port or smtps://user:pass@host:port")]
    SmtpUrl(String),
    /// The sender address does not parse.
    #[error("the sender address {0:?} is not a mail address (e.g. \"vocdesk <no-reply@example.com>\")")]
    From(String),
    /// The domain for Message-IDs is not a plain host name.
    #[error("the mail domain {0:?} is not a host name")]
    Domain(String),
}

/// Who mail comes from, and the domain its Message-IDs are made under (the reply
/// domain, so that replies and bounces can be recognised as answers to our mail).
#[derive(Clone, Debug)]
pub struct Identity {
    from: Mailbox,
    domain: String,
}

impl Identity {
    /// Checks `from` (`"Name <address>"` or a bare address) and `domain` (by default
    /// the sender's).
    pub fn new(from: &str, domain: Option<&str>) -> Result<Self, ConfigError> {
        let from = from.parse::<Mailbox>().map_err(|_| ConfigError::From(from.to_owned()))?;
        let domain = domain.map_or_else(|| from.email.domain().to_owned(), str::to_owned);
        let plain = !domain.is_empty()
            && domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            && !domain.starts_with(['.', '-']);
        if !plain {
            return Err(ConfigError::Domain(domain));
        }
        Ok(Self { from, domain: domain.to_ascii_lowercase() })
    }

    /// The Message-ID of the outbox mail `id`.
    pub fn message_id(&self, id: &str) -> String {
        format!("<{id}@{}>", self.domain)
    }

    /// The domain Message-IDs, reply and support addresses are made under.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The anchor every mail about one inquiry refers to, so that they thread together.
    pub fn thread_anchor(&self, inquiry: &str) -> String {
        format!("<inquiry.{inquiry}@{}>", self.domain)
    }
}

/// Where mail goes.
#[derive(Clone)]
enum Route {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// The transport the delivery worker uses.
#[derive(Clone)]
pub struct Delivery {
    route: Route,
    identity: Identity,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let route = match &self.route {
            Route::Smtp(_) => "smtp".to_owned(),
            Route::Files(dir) => dir.display().to_string(),
        };
        f.debug_struct("Delivery").field("route", &route).field("identity", &self.identity).finish()
    }
}

impl Delivery {
    /// Over SMTP: `smtp://host:port` (STARTTLS when the server offers it: add
    /// `?tls=required` to insist), `smtps://user:pass@host:port` (implicit TLS), with a
    /// pool of connections kept open between mails.
    pub fn smtp(url: &str, identity: Identity) -> Result<Self, ConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ConfigError::SmtpUrl(e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self { route: Route::Smtp(transport), identity })
    }

    /// As `OUTBOX_ID.eml` files in `dir` (created when needed).
    pub fn files(dir: PathBuf, identity: Identity) -> Self {
        Self { route: Route::Files(dir), identity }
    }

    /// The reply domain (R15): the one its Message-IDs and reply addresses are made under.
    pub fn domain(&self) -> &str {
        self.identity.domain()
    }

    /// Where the `.eml` files go, when that is the route.
    pub fn folder(&self) -> Option<&std::path::Path> {
        match &self.route {
            Route::Files(dir) => Some(dir),
            Route::Smtp(_) => None,
        }
    }

    /// The mail as it is sent: an address that cannot be written in a header is a
    /// permanent failure (trying again cannot help).
    pub fn message(&self, queued: &QueuedMail, reply_to: Option<&str>) -> Result<Message, SendFailure> {
        let mail = &queued.mail;
        let to = mail.to_email.parse::<Mailbox>().map_err(|e| permanent(format!("recipient address: {e}")))?;
        // R16: reports about this mail come back to an address that names it (VERP).
        let bounces = vocdesk_domain::inbound::bounce_address(&queued.id.0, &self.identity.domain)
            .parse::<lettre::Address>()
            .map_err(|e| permanent(format!("bounce address: {e}")))?;
        let envelope = lettre::address::Envelope::new(Some(bounces), vec![to.email.clone()])
            .map_err(|e| permanent(format!("envelope: {e}")))?;
        let mut builder = Message::builder()
            .from(self.identity.from.clone())
            .to(to)
            .envelope(envelope)
            .subject(mail.subject.clone())
            .message_id(Some(self.identity.message_id(&queued.id.0)))
            .header(AutoSubmitted::AutoGenerated)
            .header(AutoResponseSuppress::All);
        if let Some(reply_to) = reply_to {
            let reply_to = reply_to.parse::<Mailbox>().map_err(|e| permanent(format!("reply address: {e}")))?;
            builder = builder.reply_to(reply_to);
        }
        if let Some(inquiry) = &mail.inquiry_id {
            let anchor = self.identity.thread_anchor(&inquiry.0);
            builder = builder.in_reply_to(anchor.clone()).references(anchor);
        }
        builder
            .multipart(MultiPart::alternative_plain_html(mail.body_text.clone(), mail.body_html.clone()))
            .map_err(|e| permanent(format!("building the message: {e}")))
    }

    async fn write_file(dir: &std::path::Path, id: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        tokio::fs::create_dir_all(dir).await?;
        // Written aside and renamed, so that a reader never sees half a mail and a
        // second delivery of the same mail replaces the first.
        let partial = dir.join(format!(".{id}.eml.partial"));
        tokio::fs::write(&partial, bytes).await?;
        tokio::fs::rename(&partial, dir.join(format!("{id}.eml"))).await
    }
}

impl MailTransport for Delivery {
    async fn send(&self, mail: &QueuedMail, reply_to: Option<&str>) -> Result<(), SendFailure> {
        let message = self.message(mail, reply_to)?;
        match &self.route {
            Route::Files(dir) => Self::write_file(dir, &mail.id.0, message.formatted())
                .await
                .map_err(|e| transient(format!("writing the mail file: {e}"))),
            Route::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(error) if error.is_permanent() => Err(permanent(error.to_string())),
                Err(error) => Err(transient(error.to_string())),
            },
        }
    }
}

fn permanent(reason: String) -> SendFailure {
    SendFailure { failure: AttemptFailure::Permanent, reason }
}

fn transient(reason: String) -> SendFailure {
    SendFailure { failure: AttemptFailure::Transient, reason }
}
