//! R16: delivering the outbox. A worker claims the mail that is due, hands each to a
//! [`MailTransport`] (SMTP, or `.eml` files in the data directory) and records how the
//! attempt ended; the schedule of retries is `vocdesk_domain::delivery`'s. Several
//! workers, in one process or in several on one PostgreSQL, never send a mail twice at
//! once: each claim is a lease in the store.

use std::collections::HashMap;
use std::future::Future;

use jiff::SignedDuration;
use vocdesk_domain::delivery::{
    AfterFailure, AttemptFailure, RecipientCap, RetryPolicy, after_failure, must_wait_for_cap,
};
use vocdesk_domain::ids::OutboxId;
use vocdesk_domain::outbox::QueuedMail;
use vocdesk_domain::policy;
use vocdesk_store::{AttemptOutcome, RetryOutcome};

use crate::{App, AppError, AppResult, Caller};

/// How long a claimed mail is the worker's: longer than any one SMTP conversation (the
/// transport's timeouts are far shorter), so that only a worker that died loses it.
pub const LEASE: SignedDuration = SignedDuration::from_mins(10);

/// Why an attempt did not hand the mail over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendFailure {
    /// Whether trying again can help.
    pub failure: AttemptFailure,
    /// The server's reply or the local error, for operators; never shown to customers.
    pub reason: String,
}

/// Hands one mail to whatever carries it. Implementations must send a mail with the
/// Message-ID derived from its outbox id, so that a mail sent again after an ambiguous
/// timeout is recognisable as the same one.
pub trait MailTransport: Send + Sync {
    /// Sends `mail`; `Ok` once the server (or the mail folder) has taken it. `reply_to`
    /// is the thread's reply address for this recipient (R15), for the `Reply-To` header.
    fn send(&self, mail: &QueuedMail, reply_to: Option<&str>) -> impl Future<Output = Result<(), SendFailure>> + Send;
}

/// What a failed attempt says when the address bounced before (R16).
const BOUNCING: &str = "not sent: this address bounced permanently before; an operator can clear it and retry";

/// What one run delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Handed over.
    pub sent: u32,
    /// Failed for now, due again later.
    pub retried: u32,
    /// Failed for good.
    pub failed: u32,
    /// Held back: the address reached the per-recipient cap (not an attempt).
    pub deferred: u32,
    /// Attempts whose lease had run out before they were recorded (another worker has
    /// the mail now).
    pub lost: u32,
}

/// R16: one run of `worker`: claims up to `batch` due mails and tries each once, unless
/// its address was sent `cap.max` mails within `cap.window` (then it waits a quarter of
/// the window, untried).
pub async fn deliver_due<T: MailTransport>(
    app: &App,
    transport: &T,
    worker: &str,
    policy: &RetryPolicy,
    cap: &RecipientCap,
    batch: u32,
) -> AppResult<DeliveryReport> {
    let claimed_at = app.now();
    let due = app.store().claim_due_mail(worker, claimed_at, claimed_at + LEASE, batch).await?;
    let mut report = DeliveryReport::default();
    // What each address was sent within the window: counted once per run, then kept up
    // to date as this run sends.
    let mut sent_to: HashMap<String, u64> = HashMap::new();
    for mail in due {
        let address = &mail.mail.to_email;
        let sent = match sent_to.get(address) {
            Some(&sent) => sent,
            None => app.store().mail_sent_to_since(address, claimed_at - cap.window).await?,
        };
        let outcome = if app.store().is_bouncing(address).await? {
            AttemptOutcome::Failed { error: BOUNCING.to_owned() }
        } else if must_wait_for_cap(cap, sent) {
            let reason = format!("{sent} mails to this address in the last {:#}; waiting", cap.window);
            AttemptOutcome::Deferred { at: app.now() + cap.window / 4, reason }
        } else {
            let reply_to = reply_address(app, &mail).await?;
            attempt(transport, policy, &mail, reply_to.as_deref(), app).await
        };
        let kept = app.store().finish_delivery_attempt(&mail.id, worker, &outcome, app.now()).await?;
        match (kept, &outcome) {
            (false, _) => report.lost += 1,
            (true, AttemptOutcome::Sent) => {
                report.sent += 1;
                sent_to.insert(address.clone(), sent + 1);
            }
            (true, AttemptOutcome::Retry { .. }) => report.retried += 1,
            (true, AttemptOutcome::Failed { .. }) => report.failed += 1,
            (true, AttemptOutcome::Deferred { .. }) => report.deferred += 1,
        }
        sent_to.entry(address.clone()).or_insert(sent);
    }
    Ok(report)
}

/// R15: the reply address of mail about an inquiry to a person, whose token is kept
/// before the mail goes, so that the reply is recognised whichever process receives it.
async fn reply_address(app: &App, mail: &QueuedMail) -> AppResult<Option<String>> {
    let (Some(inquiry), Some(user)) = (&mail.mail.inquiry_id, &mail.mail.to_user) else {
        return Ok(None);
    };
    let token = app.reply_key().token(inquiry, user);
    app.store().remember_reply_token(&token, inquiry, user, app.now()).await?;
    Ok(Some(token.address(&app.config().reply_domain)))
}

/// Sends one mail and says what becomes of it (R16's schedule after a failure).
async fn attempt<T: MailTransport>(
    transport: &T,
    policy: &RetryPolicy,
    mail: &QueuedMail,
    reply_to: Option<&str>,
    app: &App,
) -> AttemptOutcome {
    let result = transport.send(mail, reply_to).await;
    match result {
        Ok(()) => AttemptOutcome::Sent,
        Err(SendFailure { failure, reason }) => {
            let attempts = u32::try_from(mail.attempts + 1).unwrap_or(u32::MAX);
            match after_failure(policy, failure, attempts, mail.window_from, app.now(), rand::random::<f64>()) {
                AfterFailure::RetryAt(at) => AttemptOutcome::Retry { at, error: reason },
                AfterFailure::GiveUp => AttemptOutcome::Failed { error: reason },
            }
        }
    }
}

/// R16: an operator sends a mail that failed for good again: it is due now, with a new
/// day of attempts. Mail that is pending or was sent is refused (sent mail is never sent
/// twice); anyone but an operator is refused before the mail is looked up.
pub async fn retry(app: &App, caller: Caller<'_>, id: &OutboxId) -> AppResult<QueuedMail> {
    policy::retry_mail(caller.actor)?;
    match app.store().retry_mail(id, &caller.acting(), app.now()).await? {
        RetryOutcome::Retried(mail) => Ok(*mail),
        RetryOutcome::NotFailed(status) => Err(AppError::MailNotFailed(status)),
        RetryOutcome::NotFound => Err(AppError::NotFound),
    }
}
