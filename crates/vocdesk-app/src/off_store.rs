//! R9: a refund a customer asked for by email or phone reaches the store through the
//! developer, as a cancellation request filed on the customer's behalf with the store's
//! form (consent O/X, customer number, purchase date and time, purchased item). The
//! form becomes an inquiry whose first message records it, in the filing developer's
//! language, and the request joins the same queue as R8 requests. The purchase is named
//! by its minute and item, or picked from the customer's purchases the developer looked
//! up by customer number ([`look_up`], throttled per developer).

use jiff::Timestamp;
use vocdesk_domain::FieldError;
use vocdesk_domain::account::User;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, MessageId, SellerId};
use vocdesk_domain::inquiry::{Category, Inquiry, NewInquiry, NewMessage, Side};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy;
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::{
    self, CancellationRequest, NewCancellationRequest, OffStoreInput, OffStorePurchase, OffStoreRequest,
};
use vocdesk_mail::{MailError, MailRenderer, Recipient, ThreadFacts};
use vocdesk_store::OffStoreOutcome;

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::refund_mail::request_filed_mails;
use crate::words::{self, Arg};

mod lookup;

pub(crate) use lookup::LookupThrottle;
pub use lookup::{look_up, picked};

/// How many of a customer's purchases with one seller one search reads at a time.
const PURCHASES_PER_PAGE: u32 = vocdesk_domain::page::MAX_LIMIT;

/// What filing an off-store request did.
// One value per filing, moved once: its size does not matter (as the store's
// `OffStoreOutcome`, which it mirrors).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filed {
    /// R9: the new inquiry (channel `email`/`phone`) and its request.
    New {
        /// The inquiry.
        inquiry: Box<Inquiry>,
        /// The request.
        request: Box<CancellationRequest>,
    },
    /// The purchase had an open request already; nothing was filed.
    Existing(CancellationRequest),
}

/// R9: a developer files a refund the customer asked for by email or phone, with the
/// store's form. The purchase is the one picked from the look-up, or the customer's
/// purchase of that app or item of the developer's seller made in that minute; either
/// way it is the customer's and the seller's. The inquiry records the form as the
/// developer's first message and goes through the same queue as R8 requests.
pub async fn file_off_store(app: &App, caller: Caller<'_>, input: &OffStoreInput<'_>) -> AppResult<Filed> {
    let seller_id = policy::file_off_store_request(caller.actor)?;
    let form = OffStoreRequest::parse(input)?;
    let unknown_customer = || FieldError::new("customer_no", "unknown_customer", "the customer number of a customer");
    let customer = app.store().customer_by_number(&form.customer_no).await?.ok_or_else(unknown_customer)?;
    let purchase = find_purchase(app, &form, &customer, &seller_id).await?;
    let inquiry = off_store_inquiry(caller.user, &customer, &form, &purchase);
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.purchase.id.clone(),
        inquiry_id: inquiry.id.clone(),
        requested_by: caller.user.id.clone(),
        channel: form.channel,
        reason: form.reason.clone(),
        message_to_customer: None,
        idempotency: None,
    };
    let mails = customer_mails(app, caller.user, &customer, &inquiry, &purchase).await?;
    let acting = caller.acting();
    match app.store().file_off_store_request(&inquiry, &request, &mails, &acting, app.now()).await? {
        OffStoreOutcome::Filed { inquiry, request } => Ok(Filed::New { inquiry, request }),
        OffStoreOutcome::Existing(r) => Ok(Filed::Existing(r)),
        OffStoreOutcome::Refused(refusal) => Err(refusal.into()),
    }
}

/// What the customer hears at once about a refund filed for them (R17: the store has
/// it, and what comes next) and, R7, about consent recorded on their behalf: by whom,
/// and that one button on the thread withdraws it.
async fn customer_mails(
    app: &App,
    developer: &User,
    customer: &User,
    inquiry: &NewInquiry,
    purchase: &PurchaseView,
) -> AppResult<Vec<OutgoingMail>> {
    let seller = app.store().seller(&purchase.seller_id).await?.ok_or(AppError::NotFound)?;
    Ok(off_store_mails(app.mail(), &seller.name, developer, customer, inquiry, purchase, app.now())?)
}

/// The mail filing an off-store request queues for its customer, rendered without I/O:
/// the use case and the demo queue the same words.
pub fn off_store_mails(
    mail: &MailRenderer,
    seller_name: &str,
    developer: &User,
    customer: &User,
    inquiry: &NewInquiry,
    purchase: &PurchaseView,
    at: Timestamp,
) -> Result<Vec<OutgoingMail>, MailError> {
    let thread = ThreadFacts {
        inquiry_id: &inquiry.id,
        app_title: &purchase.app_title,
        seller_name,
        customer_name: &customer.display_name,
        category: inquiry.category,
        subject: &inquiry.subject,
    };
    let to = [Recipient::from(customer.clone())];
    let mut mails = request_filed_mails(mail, &thread, purchase, None, &to)?;
    if inquiry.consent_personal_info {
        mails.extend(mail.consent_recorded(&thread, &developer.display_name, at, &to)?);
    }
    Ok(mails)
}

/// R9: the purchase the form names, of this customer and this seller: the picked one,
/// or the purchase of the named app or item in the named minute (the newest paid one
/// when several match). Anything else is "no such purchase" on the field that named it.
async fn find_purchase(
    app: &App,
    form: &OffStoreRequest,
    customer: &User,
    seller: &SellerId,
) -> AppResult<PurchaseView> {
    if let OffStorePurchase::Picked(id) = &form.purchase {
        let view = app.store().purchase(id).await?;
        let theirs = view.filter(|v| v.purchase.customer_id == customer.id && v.seller_id == *seller);
        return Ok(theirs.ok_or_else(|| {
            FieldError::new(
                "purchase_id",
                "unknown_purchase",
                "the id of this customer's purchase of your seller's apps or items, as the look-up lists it",
            )
        })?);
    }
    let mut page = PageRequest { limit: PURCHASES_PER_PAGE, after: None };
    let mut found: Option<PurchaseView> = None;
    loop {
        let purchases = app.store().purchases_for_seller(&customer.id, seller, &page).await?;
        for view in purchases.items {
            if form.names(&view.purchase) {
                let better = found.as_ref().is_none_or(|f| refund::cancellable(&f.purchase).is_err());
                if better {
                    found = Some(view);
                }
            }
        }
        match purchases.next_cursor {
            Some(next) => page = PageRequest { after: Some(next), ..page },
            None => break,
        }
    }
    Ok(found.ok_or_else(|| {
        FieldError::new(
            "purchased_at",
            "unknown_purchase",
            "the date and time of this customer's purchase of this item of your seller",
        )
    })?)
}

/// R9: the inquiry an off-store request becomes, in the filing developer's language:
/// a subject naming the channel and the product, and the form, line by line, as the
/// developer's first message, so that the request reads the same in the thread as on
/// paper. The reason is the note for the store: it stays on the request, which the
/// customer never reads in full (R17). The demo files its off-store requests through
/// this too.
pub fn off_store_inquiry(
    developer: &User,
    customer: &User,
    form: &OffStoreRequest,
    purchase: &PurchaseView,
) -> NewInquiry {
    let locale = developer.locale;
    let product = purchase.product_name();
    let channel = words::text(locale, &format!("offstore-channel-{}", form.channel.as_str()));
    let subject = words::text_with(
        locale,
        "offstore-subject",
        &[("channel", Arg::Str(channel.clone())), ("product", Arg::Str(product.clone()))],
    );
    let line = |key: &str, value: &str| format!("{}: {}", words::text(locale, key), value);
    // The purchase's own time: the form named its minute, or the purchase was picked.
    let at = words::datetime(locale, &purchase.purchase.purchased_at);
    let body = [
        words::text_with(locale, "offstore-record-title", &[("channel", Arg::Str(channel))]),
        line("offstore-consent", if form.consent { "O" } else { "X" }),
        line("offstore-customer-no", &form.customer_no),
        line("offstore-purchased-at", &at),
        line("offstore-product", &product),
    ]
    .join("\n");
    NewInquiry {
        id: InquiryId::generate(),
        app_id: purchase.purchase.app_id.clone(),
        customer_id: customer.id.clone(),
        purchase_id: Some(purchase.purchase.id.clone()),
        category: Category::Refund,
        subject,
        channel: form.channel,
        consent_personal_info: form.consent,
        first_message: NewMessage {
            id: MessageId::generate(),
            author_id: developer.id.clone(),
            side: Side::Developer,
            channel: form.channel,
            body,
            attachments: Vec::new(),
        },
    }
}
