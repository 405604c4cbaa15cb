//! The mail a refund decision or a cancellation on the developer's behalf queues
//! (R5, R8), composed once: the use cases in [`crate::refunds`] queue it with the
//! change, and the demo queues its back-dated decisions' mail through the same
//! functions, so that a seeded store reads like a used one.

use vocdesk_domain::inquiry::Inquiry;
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::Decision;
use vocdesk_mail::{CancelledHow, MailError, MailRenderer, PurchaseFacts, Reader, Recipient, ThreadFacts};

/// R8: the mail a decision queues. Approved, the customer hears the purchase is
/// cancelled and the developers that the store approved; rejected, both sides hear the
/// operator's reason.
pub fn decision_mails(
    mail: &MailRenderer,
    inquiry: &Inquiry,
    purchase: &PurchaseView,
    decision: &Decision,
    customer: &[Recipient],
    developers: &[Recipient],
) -> Result<Vec<OutgoingMail>, MailError> {
    let product = purchase.product_name();
    let facts = purchase_facts(purchase, &product);
    let thread = ThreadFacts::from(inquiry);
    let mut mails = match decision {
        Decision::Approve => mail.purchase_cancelled(&thread, &facts, CancelledHow::RequestApproved, customer)?,
        Decision::Reject { reason } => {
            mail.cancellation_rejected(&thread, &facts, reason, Reader::Customer, customer)?
        }
    };
    mails.extend(match decision {
        Decision::Approve => mail.cancellation_approved(&thread, &facts, developers)?,
        Decision::Reject { reason } => {
            mail.cancellation_rejected(&thread, &facts, reason, Reader::Developer, developers)?
        }
    });
    Ok(mails)
}

/// R5: the mail a cancellation on the developer's behalf queues: the customer hears the
/// purchase is cancelled, the developers that the store did it for them.
pub fn on_behalf_mails(
    mail: &MailRenderer,
    inquiry: &Inquiry,
    purchase: &PurchaseView,
    customer: &[Recipient],
    developers: &[Recipient],
) -> Result<Vec<OutgoingMail>, MailError> {
    let product = purchase.product_name();
    let facts = purchase_facts(purchase, &product);
    let thread = ThreadFacts::from(inquiry);
    let mut mails = mail.purchase_cancelled(&thread, &facts, CancelledHow::OnBehalf, customer)?;
    mails.extend(mail.cancelled_on_behalf(&thread, &facts, developers)?);
    Ok(mails)
}

/// R17: the mail filing a request queues: the customer hears that the store has their
/// refund, what comes next, and the developer's `message` to them (never the note for
/// the store).
pub fn request_filed_mails(
    mail: &MailRenderer,
    thread: &ThreadFacts<'_>,
    purchase: &PurchaseView,
    message: Option<&str>,
    customer: &[Recipient],
) -> Result<Vec<OutgoingMail>, MailError> {
    let product = purchase.product_name();
    let facts = purchase_facts(purchase, &product);
    mail.cancellation_requested(thread, &facts, message, customer)
}

/// What a refund mail says about the purchase; `product` is [`PurchaseView::product_name`].
fn purchase_facts<'a>(view: &'a PurchaseView, product: &'a str) -> PurchaseFacts<'a> {
    PurchaseFacts { product, amount: &view.purchase.amount, purchased_at: view.purchase.purchased_at }
}
