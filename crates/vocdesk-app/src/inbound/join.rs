//! R15: turning a received mail into a message of its thread, or into a new inquiry,
//! exactly as the web does it (the same policy, the same checks of text and files, the
//! same notification mail), once the mail has shown who wrote it.

use vocdesk_domain::account::User;
use vocdesk_domain::attachment::{Upload, check_uploads};
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::InboundId;
use vocdesk_domain::ids::{InquiryId, SellerId};
use vocdesk_domain::inbound::{HoldReason, ReplyToken, check_sender, subject_asks_refund};
use vocdesk_domain::inquiry::{InquiryInput, InquiryStatus, NewInquiry, NewMessage, Side, TransitionError};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::role::{Actor, Role, TokenScope};
use vocdesk_domain::{ValidationErrors, inquiry::SUBJECT_MAX};
use vocdesk_mail::inbound::ReceivedMail;
use vocdesk_store::{Acting, MailJoin, MessageOutcome, StoreError};

use crate::inquiries::{created_mails, keep_files, merge, reply_mails};
use crate::{App, AppError, AppResult, Caller};

/// A received mail as joining needs it: which one, and the envelope sender it came with.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arrival<'a> {
    pub(crate) id: &'a InboundId,
    pub(crate) envelope_from: Option<&'a str>,
}

/// Why a mail waits for an operator, with the words operators read.
#[derive(Debug)]
pub(crate) struct Hold {
    pub(crate) reason: HoldReason,
    pub(crate) detail: String,
    /// The thread the token names, when it names one (the release joins it there).
    pub(crate) inquiry: Option<InquiryId>,
}

impl Hold {
    pub(crate) fn new(reason: HoldReason, detail: &str) -> Self {
        Self { reason, detail: detail.to_owned(), inquiry: None }
    }

    fn about(mut self, inquiry: &InquiryId) -> Self {
        self.inquiry = Some(inquiry.clone());
        self
    }
}

/// `Ok(Ok(Some(thread)))` joined; `Ok(Ok(None))` decided by someone else first;
/// `Ok(Err(hold))` held; `Err` a failure while processing.
pub(crate) type Joined = Result<Option<InquiryId>, Hold>;

/// R15: a reply to `reply+TOKEN@`. `released_by` is the operator who vouches for the
/// sender (the sender check is then theirs); the token must still name a thread.
pub(crate) async fn reply(
    app: &App,
    arrival: &Arrival<'_>,
    mail: &ReceivedMail,
    token: &ReplyToken,
    released_by: Option<Caller<'_>>,
) -> AppResult<Joined> {
    let Some((inquiry_id, holder_id)) = app.store().reply_token_holder(token).await? else {
        return Ok(Err(Hold::new(HoldReason::UnknownToken, "the reply token names no thread")));
    };
    if !app.reply_key().issued(token, &inquiry_id, &holder_id) {
        return Ok(Err(Hold::new(HoldReason::UnknownToken, "the reply token was not made with this store's key")));
    }
    let holder = app.store().user(&holder_id).await?.ok_or(AppError::NotFound)?;
    if released_by.is_none()
        && let Err(reason) = check_sender(&mail.from, arrival.envelope_from, &holder.email)
    {
        let detail = format!("from {} (envelope {})", mail.from.join(", "), arrival.envelope_from.unwrap_or("-"));
        return Ok(Err(Hold { reason, detail, inquiry: Some(inquiry_id) }));
    }
    let inquiry = app.store().inquiry(&inquiry_id).await?.ok_or(AppError::NotFound)?;
    let actor = actor_of(&holder);
    let Ok(side) = policy::write_to_inquiry(&actor, &inquiry) else {
        let hold = Hold::new(HoldReason::NotAllowed, "the person this reply address was issued to may no longer write");
        return Ok(Err(hold.about(&inquiry_id)));
    };
    if side == Side::Developer && inquiry.status == InquiryStatus::Closed {
        let hold = Hold::new(HoldReason::NotAllowed, "a developer cannot write into a closed thread (R4)");
        return Ok(Err(hold.about(&inquiry_id)));
    }
    let parsed = NewMessage::parse(holder.id.clone(), side, Channel::Email, &mail.reply);
    let (mut message, files) = match merge(parsed, check_uploads(uploads(mail))) {
        Ok(checked) => checked,
        Err(AppError::Invalid(errors)) => return Ok(Err(refused(&errors).about(&inquiry_id))),
        Err(other) => return Err(other),
    };
    message.attachments = keep_files(app, files).await?;
    let mails = reply_mails(app, &inquiry, &message, &holder).await?;
    let join = MailJoin { inbound: arrival.id.clone(), released_by: released_by.map(|c| c.acting()) };
    let acting = by_mail(&holder, released_by);
    match app.store().join_by_mail(&join, &inquiry.id, &message, &mails, &acting, app.now()).await {
        Ok(MessageOutcome::Added { .. }) => Ok(Ok(Some(inquiry.id))),
        Ok(MessageOutcome::Refused(TransitionError::Closed)) => {
            let hold =
                Hold::new(HoldReason::NotAllowed, "the thread was closed meanwhile; a developer cannot write (R4)");
            Ok(Err(hold.about(&inquiry_id)))
        }
        Err(StoreError::Conflict { what }) if what == "inbound_mail" => Ok(Ok(None)),
        Err(other) => Err(other.into()),
    }
}

/// R15 item 4: a mail to `support+SELLER@` from a customer's registered address opens
/// an inquiry about the seller's app the customer obtained last (or its only app).
pub(crate) async fn new_inquiry(
    app: &App,
    arrival: &Arrival<'_>,
    mail: &ReceivedMail,
    seller_id: &SellerId,
    released_by: Option<Caller<'_>>,
) -> AppResult<Joined> {
    let Some(seller) = app.store().seller(seller_id).await? else {
        return Ok(Err(Hold::new(HoldReason::UnknownSeller, "the support address names no seller")));
    };
    let [from] = mail.from.as_slice() else {
        return Ok(Err(Hold::new(HoldReason::NoSingleSender, "the mail names no sender, or several")));
    };
    let customer = match app.store().credentials(from).await? {
        Some((user, _)) if user.role == Role::Customer => user,
        _ => {
            let detail = format!("{from} is not the address of a registered customer");
            return Ok(Err(Hold { reason: HoldReason::UnregisteredSender, detail, inquiry: None }));
        }
    };
    if released_by.is_none()
        && let Err(reason) = check_sender(&mail.from, arrival.envelope_from, &customer.email)
    {
        let detail = format!("from {from} (envelope {})", arrival.envelope_from.unwrap_or("-"));
        return Ok(Err(Hold { reason, detail, inquiry: None }));
    }
    let Some(listed) = app_for(app, &customer, &seller.id).await? else {
        return Ok(Err(Hold::new(HoldReason::UnknownSeller, "the seller has no app to ask about")));
    };
    let subject = subject_of(mail);
    let category = if subject_asks_refund(&mail.subject) { "refund" } else { "other" };
    let input = InquiryInput { category, subject: &subject, body: &mail.reply, ..Default::default() };
    let parsed = NewInquiry::parse(&input, listed.id.clone(), customer.id.clone(), Channel::Email);
    let (mut inquiry, files) = match merge(parsed, check_uploads(uploads(mail))) {
        Ok(checked) => checked,
        Err(AppError::Invalid(errors)) => return Ok(Err(refused(&errors))),
        Err(other) => return Err(other),
    };
    inquiry.first_message.attachments = keep_files(app, files).await?;
    let mails = created_mails(app, &listed, &inquiry, &customer).await?;
    let join = MailJoin { inbound: arrival.id.clone(), released_by: released_by.map(|c| c.acting()) };
    let acting = by_mail(&customer, released_by);
    match app.store().open_by_mail(&join, &inquiry, &mails, &acting, app.now()).await {
        Ok(_) => Ok(Ok(Some(inquiry.id))),
        Err(StoreError::Conflict { what }) if what == "inbound_mail" => Ok(Ok(None)),
        Err(other) => Err(other.into()),
    }
}

/// The sender as the policy knows them: their own full rights, as if signed in.
fn actor_of(user: &User) -> Actor {
    Actor { user_id: user.id.clone(), role: user.role, seller_id: user.seller_id.clone(), scope: TokenScope::Full }
}

/// R14: what the sender did, by mail; a release is the operator's act.
fn by_mail(sender: &User, released_by: Option<Caller<'_>>) -> Acting {
    match released_by {
        Some(operator) => operator.acting(),
        None => Acting { actor: AuditActor::user(sender.id.clone(), sender.role), channel: Channel::Email },
    }
}

/// The mail's attachments as the web's uploads, for the same checks.
fn uploads(mail: &ReceivedMail) -> Vec<Upload> {
    mail.attachments.iter().map(|a| Upload { filename: a.file_name.clone(), bytes: a.bytes.clone() }).collect()
}

/// The web's refusal of the text or the files, for operators.
fn refused(errors: &ValidationErrors) -> Hold {
    let detail =
        errors.0.iter().map(|e| format!("{}: {} ({})", e.field, e.code, e.expected)).collect::<Vec<_>>().join("; ");
    Hold::new(HoldReason::Refused, &detail)
}

/// The subject of a new inquiry: the mail's, or its first words when it has none.
fn subject_of(mail: &ReceivedMail) -> String {
    let subject = mail.subject.trim();
    let source =
        if subject.is_empty() { mail.reply.lines().find(|l| !l.trim().is_empty()).unwrap_or("") } else { subject };
    let line: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = line.chars().take(SUBJECT_MAX.min(80)).collect();
    if cut.is_empty() { "(no subject)".to_owned() } else { cut }
}

/// The app a support mail is about: the seller's app the customer obtained most
/// recently, else the seller's first app.
async fn app_for(app: &App, customer: &User, seller: &SellerId) -> AppResult<Option<vocdesk_domain::catalog::App>> {
    let first = PageRequest { limit: 1, after: None };
    let bought = app.store().purchases_for_seller(&customer.id, seller, &first).await?;
    if let Some(view) = bought.items.first()
        && let Some(listed) = app.store().app(&view.purchase.app_id).await?
    {
        return Ok(Some(listed));
    }
    Ok(app.store().list_apps(Some(seller), &first).await?.items.into_iter().next())
}
