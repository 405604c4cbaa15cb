//! R15/R16: the operators' side of received mail: the queue of what waits, the original
//! of any mail, releasing a held mail into its thread or discarding it, and the
//! addresses that bounced. Every use case asks [`policy::work_inbound_mail`] first.

use vocdesk_domain::ids::{InboundId, InquiryId};
use vocdesk_domain::inbound::{InboundAddress, InboundMail, read_address};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::role::Actor;
use vocdesk_mail::inbound::read;
use vocdesk_store::BouncingAddress;

use super::join::{self, Arrival};
use crate::{App, AppError, AppResult, Caller};

/// Received mail, newest first; with `waiting`, what waits for an operator, oldest
/// first (the mail that has waited longest comes first).
pub async fn list(app: &App, actor: &Actor, waiting: bool, page: &PageRequest) -> AppResult<Page<InboundMail>> {
    policy::work_inbound_mail(actor)?;
    Ok(app.store().list_inbound(waiting, page).await?)
}

/// One received mail, without its bytes.
pub async fn one(app: &App, actor: &Actor, id: &InboundId) -> AppResult<InboundMail> {
    policy::work_inbound_mail(actor)?;
    app.store().inbound_mail(id).await?.ok_or(AppError::NotFound)
}

/// The original of a received mail, byte for byte, as it arrived.
pub async fn raw(app: &App, actor: &Actor, id: &InboundId) -> AppResult<Vec<u8>> {
    policy::work_inbound_mail(actor)?;
    app.store().inbound_raw(id).await?.ok_or(AppError::NotFound)
}

/// R15: an operator puts a held mail into the thread its reply address names, as the
/// message of the person the address was issued to (the operator vouches for the
/// sender), or opens the inquiry a support mail asks for; the other side is notified
/// as for any message. Audited as the operator's release (R14).
pub async fn release(app: &App, caller: Caller<'_>, id: &InboundId) -> AppResult<(InboundMail, InquiryId)> {
    policy::work_inbound_mail(caller.actor)?;
    let mail = app.store().inbound_mail(id).await?.ok_or(AppError::NotFound)?;
    if !mail.status.awaits_operator() {
        return Err(AppError::MailNotReleasable("it was decided already"));
    }
    let raw = app.store().inbound_raw(id).await?.ok_or(AppError::NotFound)?;
    let read = read(&raw).map_err(|_| AppError::MailNotReleasable("it cannot be read as a mail"))?;
    let arrival = Arrival { id: &mail.id, envelope_from: mail.envelope_from.as_deref() };
    let joined = match read_address(&mail.recipient, &app.config().reply_domain) {
        Some(InboundAddress::Reply(token)) => join::reply(app, &arrival, &read, &token, Some(caller)).await?,
        Some(InboundAddress::Support(seller)) => join::new_inquiry(app, &arrival, &read, &seller, Some(caller)).await?,
        Some(InboundAddress::Bounce(_)) | None => {
            return Err(AppError::MailNotReleasable("its recipient names no thread"));
        }
    };
    let inquiry = match joined {
        Ok(Some(inquiry)) => inquiry,
        Ok(None) => return Err(AppError::MailNotReleasable("it was decided already")),
        Err(hold) => return Err(AppError::MailNotReleasable(hold.reason.as_str())),
    };
    let after = app.store().inbound_mail(id).await?.ok_or(AppError::NotFound)?;
    Ok((after, inquiry))
}

/// R15: an operator decides a waiting mail is nothing; it is kept, never shown in a
/// thread, and audited (R14).
pub async fn discard(app: &App, caller: Caller<'_>, id: &InboundId) -> AppResult<InboundMail> {
    policy::work_inbound_mail(caller.actor)?;
    if !app.store().discard_inbound(id, &caller.acting(), app.now()).await? {
        app.store().inbound_mail(id).await?.ok_or(AppError::NotFound)?;
        return Err(AppError::MailNotReleasable("it was decided already"));
    }
    app.store().inbound_mail(id).await?.ok_or(AppError::NotFound)
}

/// R16: the addresses no mail goes to, because they bounced permanently.
pub async fn bouncing(app: &App, actor: &Actor) -> AppResult<Vec<BouncingAddress>> {
    policy::work_inbound_mail(actor)?;
    Ok(app.store().bouncing_addresses().await?)
}

/// R16: an operator clears a bouncing address (the person fixed their mailbox), so
/// that mail goes to it again; audited. Failed mail is then retried by hand.
pub async fn clear_bouncing(app: &App, caller: Caller<'_>, email: &str) -> AppResult<()> {
    policy::work_inbound_mail(caller.actor)?;
    if app.store().clear_bouncing(email, &caller.acting(), app.now()).await? { Ok(()) } else { Err(AppError::NotFound) }
}
