//! Mail that comes back (R15, R16): the same processing for both doors, the SMTP
//! listener in `serve` and `vocdesk mail receive` behind an MTA's pipe.
//!
//! A received mail is kept raw before anything else, so that once a door acknowledges
//! it, it cannot be lost. Then it is read and decided:
//! - a delivery report marks the mail it reports failed and the address bouncing (R16);
//! - an auto-reply, a mail with a null envelope sender or one of our own mails coming
//!   back is ignored: never a message, never answered (no loops);
//! - a reply to `reply+TOKEN@` joins its thread only when the token names the thread
//!   **and** the sender is the person it was issued to ([`check_sender`]), as a message
//!   with channel `email` that notifies the other side as a web reply does;
//! - a mail to `support+SELLER@` from a customer's registered address opens an inquiry;
//! - anything else is held for an operator, with the reason ([`HoldReason`]).

mod join;
mod operator;

use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{InboundId, InquiryId, OutboxId};
use vocdesk_domain::inbound::{
    HoldReason, InboundAddress, InboundDecision, InboundStatus, NewInbound, is_our_message_id, outbox_id_of,
    read_address,
};
use vocdesk_mail::inbound::{Nature, ReceivedMail, read};
use vocdesk_store::{Acting, BounceReport};

use crate::{App, AppResult};

pub use self::operator::{bouncing, clear_bouncing, discard, list, one, raw, release};

/// What became of a received mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It became a message of this thread (or opened it).
    Joined(InquiryId),
    /// It waits for an operator, for this reason.
    Held(HoldReason),
    /// An auto-reply or our own mail returned: kept, nothing else.
    Ignored,
    /// A delivery report: its mail marked failed.
    Bounce,
    /// Another process (or an operator) decided it first.
    AlreadyDecided,
}

/// One received mail, as the door recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// Its id in the received-mail queue.
    pub id: InboundId,
    /// What became of it.
    pub outcome: Outcome,
}

/// R15: whether mail to `recipient` is ours to receive: a reply or support address at
/// the reply domain. The SMTP listener answers 550 and the pipe exits 67 otherwise.
pub fn accepts(app: &App, recipient: &str) -> bool {
    read_address(recipient, &app.config().reply_domain).is_some()
}

/// Receives one mail for one recipient. `Err` only when the mail could not be kept (the
/// door then asks the sender to try later); once it is kept, a failure while processing
/// holds it for an operator instead.
pub async fn receive(app: &App, envelope_from: Option<&str>, recipient: &str, raw: Vec<u8>) -> AppResult<Received> {
    let read = read(&raw);
    let id = InboundId::generate();
    let new = NewInbound {
        id: id.clone(),
        envelope_from: envelope_from.map(str::to_owned),
        recipient: recipient.trim().trim_matches(['<', '>']).to_ascii_lowercase(),
        from_address: read.as_ref().ok().and_then(|m| single(&m.from)).map(str::to_owned),
        subject: read.as_ref().map(|m| m.subject.clone()).unwrap_or_default(),
        message_id: read.as_ref().ok().and_then(|m| m.message_id.clone()),
        raw,
    };
    app.store().record_inbound(&new, app.now()).await?;
    let outcome = match read {
        Ok(mail) => match decide(app, &new, &mail).await {
            Ok(outcome) => outcome,
            Err(error) => {
                tracing::error!(inbound = %id, %error, "processing a received mail failed; holding it");
                hold(app, &id, HoldReason::ProcessingFailed, Some(error.to_string()), None).await?
            }
        },
        Err(unreadable) => hold(app, &id, HoldReason::Unreadable, Some(unreadable.to_string()), None).await?,
    };
    tracing::info!(inbound = %id, outcome = ?outcome, "received mail");
    Ok(Received { id, outcome })
}

/// Decides a mail that could be read.
async fn decide(app: &App, new: &NewInbound, mail: &ReceivedMail) -> AppResult<Outcome> {
    if let Some(first) = app.store().earlier_copy(new).await? {
        return ignore(app, &new.id, &format!("a copy of mail {first}, received before")).await;
    }
    let domain = &app.config().reply_domain;
    let address = read_address(&new.recipient, domain);
    // R16: the envelope sender of our mail names the mail a report is about (VERP).
    let verp = match &address {
        Some(InboundAddress::Bounce(outbox)) => Some(outbox.clone()),
        _ => None,
    };
    match (&mail.nature, &verp) {
        (Nature::Bounce { original_message_ids, failed_recipients, permanent }, _) => {
            let mut outbox_ids: Vec<OutboxId> =
                original_message_ids.iter().filter_map(|id| outbox_id_of(id, domain)).map(OutboxId).collect();
            outbox_ids.extend(verp.flatten().map(OutboxId));
            outbox_ids.dedup();
            let report = BounceReport {
                outbox_ids,
                failed_recipients: failed_recipients.clone(),
                permanent: *permanent,
                reason: bounce_reason(mail),
            };
            app.store().record_bounce(&new.id, &report, &mail_in(), app.now()).await?;
            return Ok(Outcome::Bounce);
        }
        (Nature::Automatic { reason }, _) => return ignore(app, &new.id, reason).await,
        // Anything else to the bounce address is a program answering our mail.
        (Nature::Personal, Some(_)) => return ignore(app, &new.id, "sent to our bounce address").await,
        (Nature::Personal, None) => {}
    }
    if new.envelope_from.as_deref().is_some_and(|from| from.trim().is_empty()) {
        return ignore(app, &new.id, "sent with a null envelope sender (an automatic message)").await;
    }
    if mail.message_id.as_deref().is_some_and(|id| is_our_message_id(id, domain)) {
        return ignore(app, &new.id, "one of our own mails came back (a mail loop)").await;
    }
    let arrival = join::Arrival { id: &new.id, envelope_from: new.envelope_from.as_deref() };
    let joined = match address {
        Some(InboundAddress::Reply(token)) => join::reply(app, &arrival, mail, &token, None).await?,
        Some(InboundAddress::Support(seller)) => join::new_inquiry(app, &arrival, mail, &seller, None).await?,
        Some(InboundAddress::Bounce(_)) | None => {
            Err(join::Hold::new(HoldReason::UnknownToken, "the recipient is not a reply or support address"))
        }
    };
    match joined {
        Ok(Some(inquiry)) => Ok(Outcome::Joined(inquiry)),
        Ok(None) => Ok(Outcome::AlreadyDecided),
        Err(held) => hold(app, &new.id, held.reason, Some(held.detail), held.inquiry).await,
    }
}

/// The single From address, when there is exactly one.
fn single(from: &[String]) -> Option<&str> {
    match from {
        [one] => Some(one.as_str()),
        _ => None,
    }
}

/// The report's words for operators: the failed addresses and the subject.
fn bounce_reason(mail: &ReceivedMail) -> String {
    let first_line = mail.text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default();
    let reason: String = format!("bounce: {} {}", mail.subject, first_line).chars().take(300).collect();
    reason.trim().to_owned()
}

/// The audit actor of what the mail door decides by itself.
fn mail_in() -> Acting {
    Acting { actor: AuditActor::system("mail-in"), channel: Channel::Email }
}

async fn ignore(app: &App, id: &InboundId, reason: &str) -> AppResult<Outcome> {
    let decision = InboundDecision {
        status: InboundStatus::Ignored,
        reason: None,
        detail: Some(reason.to_owned()),
        inquiry_id: None,
    };
    let decided = app.store().decide_inbound(id, &decision, &mail_in(), app.now()).await?;
    Ok(if decided { Outcome::Ignored } else { Outcome::AlreadyDecided })
}

async fn hold(
    app: &App,
    id: &InboundId,
    reason: HoldReason,
    detail: Option<String>,
    inquiry_id: Option<InquiryId>,
) -> AppResult<Outcome> {
    let decision = InboundDecision { status: InboundStatus::Held, reason: Some(reason), detail, inquiry_id };
    let decided = app.store().decide_inbound(id, &decision, &mail_in(), app.now()).await?;
    Ok(if decided { Outcome::Held(reason) } else { Outcome::AlreadyDecided })
}
