//! The inquiry use cases (R1-R4), written once for every door: the JSON API and the web
//! pages call these with the signed-in actor and the submitted fields, and render the
//! result their own way. Each use case asks the policy exactly once, validates
//! everything before writing, keeps attachment bytes before the transaction that
//! references them, renders the notification mail (R3) and hands the whole change to
//! one store call, which commits it with its outbox rows and audit entry.

use vocdesk_domain::account::User;
use vocdesk_domain::attachment::{AttachmentMeta, CheckedUpload, Upload, check_uploads};
use vocdesk_domain::catalog::App as CatalogApp;
use vocdesk_domain::ids::{AppId, AttachmentId, InquiryId, PurchaseId, SellerId};
use vocdesk_domain::inquiry::{
    Inquiry, InquiryFilter, InquiryInput, InquiryStatus, Message, NewInquiry, NewMessage, Side, Thread, TransitionError,
};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::role::Actor;
use vocdesk_domain::{FieldError, ValidationErrors};
use vocdesk_mail::{MessageFacts, Recipient, ThreadFacts};
use vocdesk_store::{InquiryQuery, MessageOutcome};

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::parties::developer_recipients;

/// R1: a customer asks the seller of `app_id`. Every field and file is checked before
/// anything is kept; a purchase must be the customer's own purchase of this app.
/// Answers the new thread as committed.
pub async fn open(
    app: &App,
    caller: Caller<'_>,
    app_id: &AppId,
    input: &InquiryInput<'_>,
    uploads: Vec<Upload>,
) -> AppResult<Thread> {
    policy::ask_seller(caller.actor)?;
    let listed = app.store().app(app_id).await?.ok_or(AppError::NotFound)?;
    let parsed = NewInquiry::parse(input, listed.id.clone(), caller.user.id.clone(), caller.channel);
    let files = check_uploads(uploads);
    let (mut new, files) = merge(parsed, files)?;
    if let Some(purchase_id) = &new.purchase_id {
        check_own_purchase(app, caller, &listed.id, purchase_id).await?;
    }
    new.first_message.attachments = keep_files(app, files).await?;
    let mails = created_mails(app, &listed, &new, caller.user).await?;
    Ok(app.store().create_inquiry(&new, &mails, &caller.acting(), app.now()).await?)
}

/// R3: a new inquiry tells each of the seller's developers, in their language.
pub(crate) async fn created_mails(
    app: &App,
    listed: &CatalogApp,
    new: &NewInquiry,
    customer: &User,
) -> AppResult<Vec<OutgoingMail>> {
    let seller = app.store().seller(&listed.seller_id).await?.ok_or(AppError::NotFound)?;
    let recipients = developer_recipients(app, &seller.id, &seller.support_email).await?;
    let thread = ThreadFacts {
        inquiry_id: &new.id,
        app_title: &listed.title,
        seller_name: &seller.name,
        customer_name: &customer.display_name,
        category: new.category,
        subject: &new.subject,
    };
    Ok(app.mail().inquiry_created(&thread, &message_facts(&new.first_message, customer, app.now()), &recipients)?)
}

/// R3/R4: one side writes to the thread. A developer reply notifies the customer, a
/// customer message the seller's developers; a developer cannot write into a closed
/// thread (conflict), and an operator, who may read it, may not write (forbidden).
pub async fn reply(
    app: &App,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
    body: &str,
    uploads: Vec<Upload>,
) -> AppResult<(Inquiry, Message)> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    let side = policy::write_to_inquiry(caller.actor, &inquiry)?;
    let parsed = NewMessage::parse(caller.user.id.clone(), side, caller.channel, body);
    let (mut message, files) = merge(parsed, check_uploads(uploads))?;
    if side == Side::Developer && inquiry.status == InquiryStatus::Closed {
        // Checked again under the row lock by the store; refusing here keeps files unkept.
        return Err(closed());
    }
    message.attachments = keep_files(app, files).await?;
    let mails = reply_mails(app, &inquiry, &message, caller.user).await?;
    match app.store().add_message(&inquiry.id, &message, &mails, &caller.acting(), app.now()).await? {
        MessageOutcome::Added { inquiry, message } => Ok((*inquiry, *message)),
        MessageOutcome::Refused(TransitionError::Closed) => Err(closed()),
    }
}

/// R4: either side closes the thread; closing it again changes nothing.
pub async fn close(app: &App, caller: Caller<'_>, inquiry_id: &InquiryId) -> AppResult<Inquiry> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    let side = policy::write_to_inquiry(caller.actor, &inquiry)?;
    let (inquiry, _changed) = app.store().close_inquiry(&inquiry.id, side, &caller.acting(), app.now()).await?;
    Ok(inquiry)
}

/// R1: the thread, for its parties and operators.
pub async fn read(app: &App, actor: &Actor, inquiry_id: &InquiryId) -> AppResult<Thread> {
    let thread = app.store().thread(inquiry_id).await?.ok_or(AppError::NotFound)?;
    policy::read_inquiry(actor, &thread.inquiry)?;
    Ok(thread)
}

/// The inquiries the actor may see, narrowed by `filter` (and, for operators, one
/// seller), in inbox order.
pub async fn list(
    app: &App,
    actor: &Actor,
    seller: Option<&SellerId>,
    filter: InquiryFilter,
    page: &PageRequest,
) -> AppResult<Page<Inquiry>> {
    let scope = policy::list_inquiries(actor, seller)?;
    let query = InquiryQuery { scope, filter, overdue_cutoff: app.overdue_cutoff() };
    Ok(app.store().list_inquiries(&query, page).await?)
}

/// One attached file with its bytes, for the thread's parties and operators only.
pub async fn attachment(
    app: &App,
    actor: &Actor,
    inquiry_id: &InquiryId,
    attachment_id: &AttachmentId,
) -> AppResult<(AttachmentMeta, Vec<u8>)> {
    let inquiry = app.store().inquiry(inquiry_id).await?.ok_or(AppError::NotFound)?;
    policy::read_inquiry(actor, &inquiry)?;
    let meta = app.store().attachment(&inquiry.id, attachment_id).await?.ok_or(AppError::NotFound)?;
    let bytes = app.blobs().get(&meta.sha256).await.map_err(AppError::Blob)?;
    let bytes = bytes.ok_or_else(|| AppError::Blob(std::io::Error::other("attachment bytes are missing")))?;
    Ok((meta, bytes))
}

/// The conflict of a developer writing into a closed thread (R4).
fn closed() -> AppError {
    AppError::Conflict { what: "status".to_owned() }
}

/// Both checks' problems together, so a form shows all of them at once.
pub(crate) fn merge<T>(
    parsed: Result<T, ValidationErrors>,
    files: Result<Vec<CheckedUpload>, ValidationErrors>,
) -> AppResult<(T, Vec<CheckedUpload>)> {
    match (parsed, files) {
        (Ok(value), Ok(files)) => Ok((value, files)),
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            Err(AppError::Invalid(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(AppError::Invalid(e)),
    }
}

/// R1: the purchase must be the customer's own purchase of this app; anything else is
/// reported the same way, so other customers' purchase ids cannot be probed.
async fn check_own_purchase(app: &App, caller: Caller<'_>, app_id: &AppId, purchase_id: &PurchaseId) -> AppResult<()> {
    let purchase = app.store().purchase(purchase_id).await?;
    let own = purchase.is_some_and(|p| p.purchase.customer_id == caller.user.id && &p.purchase.app_id == app_id);
    if own {
        Ok(())
    } else {
        Err(FieldError::new("purchase_id", "unknown_purchase", "the id of your own purchase of this app").into())
    }
}

/// Keeps checked files in the data directory, before the transaction that names them.
pub(crate) async fn keep_files(app: &App, files: Vec<CheckedUpload>) -> AppResult<Vec<AttachmentMeta>> {
    app.blobs().keep_all(files).await.map_err(AppError::Blob)
}

fn message_facts<'a>(message: &'a NewMessage, author: &'a User, at: jiff::Timestamp) -> MessageFacts<'a> {
    MessageFacts {
        author_name: &author.display_name,
        body: &message.body,
        attachment_count: message.attachments.len(),
        at,
    }
}

/// R3: a developer reply goes to the customer, in the customer's language; a customer
/// follow-up to the seller's developers.
pub(crate) async fn reply_mails(
    app: &App,
    inquiry: &Inquiry,
    message: &NewMessage,
    author: &User,
) -> AppResult<Vec<OutgoingMail>> {
    let thread = ThreadFacts::from(inquiry);
    let facts = message_facts(message, author, app.now());
    let mails = match message.side {
        Side::Developer => {
            let customer = app.store().user(&inquiry.customer_id).await?.ok_or(AppError::NotFound)?;
            let to = Recipient::from(customer);
            vec![app.mail().developer_reply(&thread, &facts, &to)?]
        }
        Side::Customer => {
            let seller = app.store().seller(&inquiry.seller_id).await?.ok_or(AppError::NotFound)?;
            let recipients = developer_recipients(app, &seller.id, &seller.support_email).await?;
            app.mail().customer_follow_up(&thread, &facts, &recipients)?
        }
    };
    Ok(mails)
}
