//! One inquiry's thread as a page (R3, R4): its messages, each with the channel it came
//! by (R2), the reply form, the R6-R8 refund panel and, for the seller's developers, the
//! mail about it that did not reach the customer (R16), so that they know to reach them
//! another way: in a warning at the top, and under each developer message whose mail to
//! the customer failed. Operators also get a link to the original of every message
//! that came by mail (R15).

use std::collections::HashMap;

use vocdesk_domain::ids::{MessageId, PurchaseId};
use vocdesk_domain::inquiry::{Message, Side};
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::refund::CancellationRequest;

use super::timeline::{Entry, Named, Reader, events, merge, own_purchase, status_words};
use super::*;
use vocdesk_domain::refund;

/// The reply form's state when the page is shown again after a refused reply.
#[derive(Default)]
pub(in crate::pages) struct ReplyState {
    pub(in crate::pages) body: String,
    pub(in crate::pages) errors: FieldErrors,
    pub(in crate::pages) notice: Option<String>,
}

#[derive(Template)]
#[template(path = "inquiry.html")]
struct ThreadPage {
    ctx: PageCtx,
    id: String,
    subject: String,
    app_id: String,
    app_title: String,
    seller_name: String,
    customer_name: String,
    category: String,
    channel: String,
    consent: bool,
    created_at: String,
    status: &'static str,
    /// The status in the viewer's words (R17: never "awaiting customer" to the customer).
    status_label: String,
    /// What comes next, in the viewer's words.
    next: Option<String>,
    /// For the customer: what became of their refund.
    outcome: Option<String>,
    due: Option<DueView>,
    /// Messages and the store's events (R17), in order.
    entries: Vec<Entry>,
    /// The viewer is the customer of this thread.
    is_customer: bool,
    /// The viewer is an operator: the purchases are the seller's, not "yours".
    is_operator: bool,
    /// R5: the operator's way to cancel the overdue purchase on the developer's behalf.
    cancel_href: Option<String>,
    /// The viewer is a party (customer or the seller's developer), not an operator.
    is_party: bool,
    is_closed: bool,
    show_reply: bool,
    reply_body: String,
    errors: FieldErrors,
    notice: Option<String>,
    /// R6-R8: consent, the customer's purchases, payment details and cancellation
    /// requests.
    refund: RefundPanel,
    /// R16: mail to the customer about this thread that failed for good, for staff.
    undelivered: Vec<Undelivered>,
}

/// R16: one notification the customer did not receive, as the thread's staff read it.
pub(in crate::pages) struct Undelivered {
    /// When it was queued.
    pub(in crate::pages) at: String,
    /// The address that refused it.
    pub(in crate::pages) to: String,
}

/// R16: the mail about this thread to its customer, whatever became of it; none for
/// the customer themself (they are reading the thread, so they have what it said).
async fn customer_mail(state: &AppState, inquiry: &Inquiry, is_customer: bool) -> Result<Vec<QueuedMail>, PageError> {
    if is_customer {
        return Ok(Vec::new());
    }
    let mail = state.store().mail_about_inquiry(&inquiry.id).await?;
    Ok(mail.into_iter().filter(|m| m.mail.to_user.as_ref() == Some(&inquiry.customer_id)).collect())
}

/// R16: what became of the mail telling the customer of a developer's message: sent
/// (when), waiting to be sent, or refused (by which address). A message's notification
/// is queued in the message's own transaction, so it carries the message's instant; the
/// outbox keeps no other link to it.
fn delivery_note(i18n: &I18n, message: &Message, mail: &[QueuedMail]) -> Option<DeliveryNote> {
    if message.side != Side::Developer {
        return None;
    }
    let sent = mail.iter().find(|m| m.created_at == message.created_at)?;
    Some(match sent.status {
        MailStatus::Sent => DeliveryNote {
            failed: false,
            text: i18n.with("thread-message-mail-sent", &sent.sent_at.map(|at| i18n.datetime(&at)).unwrap_or_default()),
        },
        MailStatus::Pending => DeliveryNote { failed: false, text: i18n.t("thread-message-mail-pending") },
        MailStatus::Failed => {
            DeliveryNote { failed: true, text: i18n.with("thread-message-mail-failed", &sent.mail.to_email) }
        }
    })
}

/// R15: for operators, the address of the original of each message that came by mail
/// (the received mail it became), by message id; nobody else gets these links.
async fn originals(
    state: &AppState,
    messages: &[Message],
    role: Role,
) -> Result<HashMap<MessageId, String>, PageError> {
    let mut found = HashMap::new();
    if role != Role::Operator {
        return Ok(found);
    }
    for message in messages.iter().filter(|m| m.channel == Channel::Email) {
        if let Some(mail) = state.store().inbound_of_message(&message.id).await? {
            found.insert(message.id.clone(), format!("/operator/mail/{}/raw", mail.id.0));
        }
    }
    Ok(found)
}

/// One message as the thread shows it.
fn message_view(
    i18n: &I18n,
    inquiry: &Inquiry,
    m: &Message,
    originals: &mut HashMap<MessageId, String>,
    to_customer: &[QueuedMail],
) -> MessageView {
    MessageView {
        seq: m.seq,
        side: m.side.as_str(),
        side_label: i18n.t(&format!("side-{}", m.side.as_str())),
        author: m.author_name.clone(),
        channel_word: m.channel.as_str(),
        channel: channel_label(i18n, m.channel),
        at: i18n.datetime(&m.created_at),
        body: m.body.clone(),
        attachments: m.attachments.iter().map(|a| AttachmentView::new(&inquiry.id, a)).collect(),
        original_href: originals.remove(&m.id),
        delivery: delivery_note(i18n, m, to_customer),
    }
}

/// The purchases the thread's events and status name (the inquiry's own and those of
/// its requests), with the words they are named by.
async fn named_purchases(
    state: &AppState,
    i18n: &I18n,
    inquiry: &Inquiry,
    requests: &[CancellationRequest],
) -> Result<Vec<Named>, PageError> {
    let mut ids: Vec<&PurchaseId> = inquiry.purchase_id.iter().chain(requests.iter().map(|r| &r.purchase_id)).collect();
    ids.sort();
    ids.dedup();
    let mut named = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(view) = state.store().purchase(id).await? {
            let (product, amount) = (view.product_name(), crate::pages::refunds::amount(i18n, &view));
            named.push(Named { view, product, amount });
        }
    }
    Ok(named)
}

/// Renders a thread for the signed-in viewer: the reply form as `reply` left it and
/// the refund panels (R6-R8) as `refund` left them.
pub(in crate::pages) async fn render_thread(
    state: &AppState,
    ctx: PageCtx,
    session: &Session,
    thread: Thread,
    reply: ReplyState,
    refund: RefundState,
) -> Result<String, PageError> {
    let Thread { inquiry, messages } = thread;
    let i18n = ctx.i18n;
    let role = session.user.role;
    let is_customer = role == Role::Customer;
    let is_party = role != Role::Operator;
    let is_closed = inquiry.status == InquiryStatus::Closed;
    let reader = Reader::of(role);
    let requests = vocdesk_app::refunds::requests_of_inquiry(state.app(), &inquiry).await?;
    let named = named_purchases(state, &i18n, &inquiry, &requests).await?;
    let refund = refund_panel(state, &i18n, session, &inquiry, &requests, refund).await?;
    let due = due_view(state, &i18n, &inquiry);
    let words = status_words(&i18n, reader, &inquiry, due.as_ref(), &requests, &named, state.now());
    let events = events(&i18n, reader, &inquiry, &requests, &named);
    // R5, item 11: an operator reading an overdue thread about a paid purchase may cancel
    // it on the developer's behalf, after the confirmation page.
    let cancellable = own_purchase(&inquiry, &named).is_some_and(|p| refund::cancellable(&p.view.purchase).is_ok());
    let cancel_href = (role == Role::Operator && cancellable && due.as_ref().is_some_and(|d| d.overdue))
        .then(|| format!("/operator/inquiries/{}/cancel-purchase", percent_encode(&inquiry.id.0)));
    let to_customer = customer_mail(state, &inquiry, is_customer).await?;
    let mut originals = originals(state, &messages, role).await?;
    let page = ThreadPage {
        id: inquiry.id.0.clone(),
        subject: inquiry.subject.clone(),
        app_id: inquiry.app_id.0.clone(),
        app_title: inquiry.app_title.clone(),
        seller_name: inquiry.seller_name.clone(),
        customer_name: inquiry.customer_name.clone(),
        category: category_label(&i18n, inquiry.category),
        channel: channel_label(&i18n, inquiry.channel),
        consent: inquiry.consent_personal_info,
        created_at: i18n.datetime(&inquiry.created_at),
        status: inquiry.status.as_str(),
        status_label: words.label,
        next: words.next,
        outcome: words.outcome,
        due: if is_customer { None } else { due },
        entries: merge(
            messages
                .iter()
                .map(|m| (m.created_at, message_view(&i18n, &inquiry, m, &mut originals, &to_customer)))
                .collect(),
            events,
        ),
        is_customer,
        is_operator: role == Role::Operator,
        cancel_href,
        is_party,
        is_closed,
        // R4: a developer cannot write into a closed thread; the customer reopens it.
        show_reply: is_party && (is_customer || !is_closed),
        reply_body: reply.body,
        errors: reply.errors,
        notice: reply.notice,
        refund,
        undelivered: to_customer
            .iter()
            .filter(|m| m.status == MailStatus::Failed)
            .map(|m| Undelivered { at: i18n.datetime(&m.created_at), to: m.mail.to_email.clone() })
            .collect(),
        ctx,
    };
    Ok(page.render()?)
}
