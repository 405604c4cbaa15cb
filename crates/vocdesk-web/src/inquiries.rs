//! The inquiry use cases (R1-R4), written once for both doors: the JSON API and the
//! web pages call these with the signed-in actor and the submitted fields, and render
//! the result their own way. Each use case asks the policy exactly once, validates
//! everything before writing, keeps attachment bytes before the transaction that
//! references them, renders the notification mail (R3) and hands the whole change to
//! one store call, which commits it with its outbox rows and audit entry.

use vocdesk_domain::account::User;
use vocdesk_domain::attachment::{AttachmentMeta, CheckedUpload, Upload, check_uploads};
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{AppId, AttachmentId, InquiryId, PurchaseId, SellerId};
use vocdesk_domain::inquiry::{
    Inquiry, InquiryFilter, InquiryInput, Message, NewInquiry, NewMessage, Side, Thread, TransitionError,
};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::policy;
use vocdesk_domain::role::Actor;
use vocdesk_domain::{FieldError, ValidationErrors};
use vocdesk_mail::{MessageFacts, Recipient, ThreadFacts};
use vocdesk_store::{Acting, InquiryQuery, MessageOutcome};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Who is acting, as both doors know it.
#[derive(Clone, Copy, Debug)]
pub struct Caller<'a> {
    /// The signed-in user.
    pub user: &'a User,
    /// What they may do.
    pub actor: &'a Actor,
    /// R2: through which door (`store` for pages, `api` for the JSON API).
    pub channel: Channel,
}

impl Caller<'_> {
    /// The audit facts (R2, R14) of what this caller does.
    pub fn acting(&self) -> Acting {
        Acting { actor: AuditActor::user(self.user.id.clone(), self.user.role), channel: self.channel }
    }
}

/// R1: a customer asks the seller of `app_id`. Every field and file is checked before
/// anything is kept; a purchase must be the customer's own purchase of this app.
pub async fn open(
    state: &AppState,
    caller: Caller<'_>,
    app_id: &AppId,
    input: &InquiryInput<'_>,
    uploads: Vec<Upload>,
) -> ApiResult<Inquiry> {
    policy::ask_seller(caller.actor)?;
    let app = state.store().app(app_id).await?.ok_or(ApiError::NotFound)?;
    let parsed = NewInquiry::parse(input, app.id.clone(), caller.user.id.clone(), caller.channel);
    let files = check_uploads(uploads);
    let (mut new, files) = merge(parsed, files)?;
    if let Some(purchase_id) = &new.purchase_id {
        check_own_purchase(state, caller, &app.id, purchase_id).await?;
    }
    new.first_message.attachments = keep_files(state, files).await?;
    let seller = state.store().seller(&app.seller_id).await?.ok_or(ApiError::NotFound)?;
    let recipients = developer_recipients(state, &seller.id, &seller.support_email).await?;
    let thread = ThreadFacts {
        inquiry_id: &new.id,
        app_title: &app.title,
        seller_name: &seller.name,
        customer_name: &caller.user.display_name,
        category: new.category,
        subject: &new.subject,
    };
    let mails = state.mail().inquiry_created(
        &thread,
        &message_facts(&new.first_message, caller.user, state.now()),
        &recipients,
    );
    let mails = mails?;
    Ok(state.store().create_inquiry(&new, &mails, &caller.acting(), state.now()).await?)
}

/// R3/R4: one side writes to the thread. A developer reply notifies the customer, a
/// customer message the seller's developers; a developer cannot write into a closed
/// thread (409), and an operator, who may read it, may not write (403).
pub async fn reply(
    state: &AppState,
    caller: Caller<'_>,
    inquiry_id: &InquiryId,
    body: &str,
    uploads: Vec<Upload>,
) -> ApiResult<(Inquiry, Message)> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    let side = policy::write_to_inquiry(caller.actor, &inquiry)?;
    let parsed = NewMessage::parse(caller.user.id.clone(), side, caller.channel, body);
    let (mut message, files) = merge(parsed, check_uploads(uploads))?;
    if side == Side::Developer && inquiry.status == vocdesk_domain::inquiry::InquiryStatus::Closed {
        // Checked again under the row lock by the store; refusing here keeps files unkept.
        return Err(closed());
    }
    message.attachments = keep_files(state, files).await?;
    let mails = reply_mails(state, &inquiry, &message, caller.user).await?;
    match state.store().add_message(&inquiry.id, &message, &mails, &caller.acting(), state.now()).await? {
        MessageOutcome::Added { inquiry, message } => Ok((*inquiry, *message)),
        MessageOutcome::Refused(TransitionError::Closed) => Err(closed()),
    }
}

/// R4: either side closes the thread; closing it again changes nothing.
pub async fn close(state: &AppState, caller: Caller<'_>, inquiry_id: &InquiryId) -> ApiResult<Inquiry> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    let side = policy::write_to_inquiry(caller.actor, &inquiry)?;
    let (inquiry, _changed) = state.store().close_inquiry(&inquiry.id, side, &caller.acting(), state.now()).await?;
    Ok(inquiry)
}

/// R1: the thread, for its parties and operators.
pub async fn read(state: &AppState, actor: &Actor, inquiry_id: &InquiryId) -> ApiResult<Thread> {
    let thread = state.store().thread(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    policy::read_inquiry(actor, &thread.inquiry)?;
    Ok(thread)
}

/// The inquiries the actor may see, narrowed by `filter` (and, for operators, one
/// seller), in inbox order.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    seller: Option<&SellerId>,
    filter: InquiryFilter,
    page: &PageRequest,
) -> ApiResult<Page<Inquiry>> {
    let scope = policy::list_inquiries(actor, seller)?;
    let query = InquiryQuery { scope, filter, overdue_cutoff: state.overdue_cutoff() };
    Ok(state.store().list_inquiries(&query, page).await?)
}

/// One attached file with its bytes, for the thread's parties and operators only.
pub async fn attachment(
    state: &AppState,
    actor: &Actor,
    inquiry_id: &InquiryId,
    attachment_id: &AttachmentId,
) -> ApiResult<(AttachmentMeta, Vec<u8>)> {
    let inquiry = state.store().inquiry(inquiry_id).await?.ok_or(ApiError::NotFound)?;
    policy::read_inquiry(actor, &inquiry)?;
    let meta = state.store().attachment(&inquiry.id, attachment_id).await?.ok_or(ApiError::NotFound)?;
    let bytes = state.blobs().get(&meta.sha256).await.map_err(ApiError::internal)?;
    let bytes = bytes.ok_or_else(|| ApiError::internal(std::io::Error::other("attachment bytes are missing")))?;
    Ok((meta, bytes))
}

/// The 409 for a developer writing into a closed thread (R4).
fn closed() -> ApiError {
    ApiError::Conflict { what: "status".to_owned() }
}

/// Both checks' problems together, so a form shows all of them at once.
fn merge<T>(
    parsed: Result<T, ValidationErrors>,
    files: Result<Vec<CheckedUpload>, ValidationErrors>,
) -> ApiResult<(T, Vec<CheckedUpload>)> {
    match (parsed, files) {
        (Ok(value), Ok(files)) => Ok((value, files)),
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            Err(ApiError::Validation(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(ApiError::Validation(e)),
    }
}

/// R1: the purchase must be the customer's own purchase of this app; anything else is
/// reported the same way, so other customers' purchase ids cannot be probed.
async fn check_own_purchase(
    state: &AppState,
    caller: Caller<'_>,
    app_id: &AppId,
    purchase_id: &PurchaseId,
) -> ApiResult<()> {
    let purchase = state.store().purchase(purchase_id).await?;
    let own = purchase.is_some_and(|p| p.purchase.customer_id == caller.user.id && &p.purchase.app_id == app_id);
    if own {
        Ok(())
    } else {
        Err(ApiError::Validation(ValidationErrors(vec![FieldError::new(
            "purchase_id",
            "unknown_purchase",
            "the id of your own purchase of this app",
        )])))
    }
}

/// Keeps checked files in the data directory, before the transaction that names them.
async fn keep_files(state: &AppState, files: Vec<CheckedUpload>) -> ApiResult<Vec<AttachmentMeta>> {
    state.blobs().keep_all(files).await.map_err(ApiError::internal)
}

/// R3: the seller's developers, each in their own language; a seller without developer
/// accounts is written to at its support address, in Korean.
pub(crate) async fn developer_recipients(
    state: &AppState,
    seller: &SellerId,
    support_email: &str,
) -> ApiResult<Vec<Recipient>> {
    let developers = state.store().developers_of_seller(seller).await?;
    if developers.is_empty() {
        return Ok(vec![Recipient {
            user_id: None,
            email: support_email.to_owned(),
            name: support_email.to_owned(),
            locale: vocdesk_domain::locale::Locale::Ko,
        }]);
    }
    Ok(developers.into_iter().map(Recipient::from).collect())
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
async fn reply_mails(
    state: &AppState,
    inquiry: &Inquiry,
    message: &NewMessage,
    author: &User,
) -> ApiResult<Vec<OutgoingMail>> {
    let thread = ThreadFacts::from(inquiry);
    let facts = message_facts(message, author, state.now());
    let mails = match message.side {
        Side::Developer => {
            let customer = state.store().user(&inquiry.customer_id).await?.ok_or(ApiError::NotFound)?;
            let to = Recipient::from(customer);
            vec![state.mail().developer_reply(&thread, &facts, &to)?]
        }
        Side::Customer => {
            let seller = state.store().seller(&inquiry.seller_id).await?.ok_or(ApiError::NotFound)?;
            let recipients = developer_recipients(state, &seller.id, &seller.support_email).await?;
            state.mail().customer_follow_up(&thread, &facts, &recipients)?
        }
    };
    Ok(mails)
}
