//! Which mail is which: the occasions of thread mail (R3, R5, R8, R17, R7), what each
//! carries besides the thread, and the catalog keys of the words that differ by occasion.

use jiff::Timestamp;
use vocdesk_domain::inquiry::Category;
use vocdesk_domain::outbox::MailKind;

use crate::{CancelledHow, MessageFacts, PurchaseFacts, Reader};

/// What happened, in enough detail to choose every word of the mail: the kind, and for
/// the kinds that vary, how the purchase was cancelled or who reads.
#[derive(Clone, Copy)]
pub(crate) enum Occasion {
    InquiryCreated,
    CustomerFollowUp,
    DeveloperReply,
    PurchaseCancelled(CancelledHow),
    CancellationApproved,
    CancellationRejected(Reader),
    CancelledOnBehalf,
    ResponseReminder,
    CancellationRequested,
    ConsentRecorded,
}

impl Occasion {
    pub(crate) fn kind(self) -> MailKind {
        match self {
            Occasion::InquiryCreated => MailKind::InquiryCreated,
            Occasion::CustomerFollowUp => MailKind::CustomerFollowUp,
            Occasion::DeveloperReply => MailKind::DeveloperReply,
            Occasion::PurchaseCancelled(_) => MailKind::PurchaseCancelled,
            Occasion::CancellationApproved => MailKind::CancellationApproved,
            Occasion::CancellationRejected(_) => MailKind::CancellationRejected,
            Occasion::CancelledOnBehalf => MailKind::CancelledOnBehalf,
            Occasion::ResponseReminder => MailKind::ResponseReminder,
            Occasion::CancellationRequested => MailKind::CancellationRequested,
            Occasion::ConsentRecorded => MailKind::ConsentRecorded,
        }
    }
}

/// What a mail carries besides the thread: the message that caused it (R3), the
/// purchase and perhaps the operator's reason (R5/R8), or the response limit (R5).
pub(crate) enum Extra<'a> {
    Message(&'a MessageFacts<'a>),
    Purchase {
        purchase: &'a PurchaseFacts<'a>,
        reason: Option<&'a str>,
    },
    Due(Timestamp),
    /// R17: the purchase asked to be cancelled, and the developer's message to the
    /// customer when they wrote one.
    Request {
        purchase: &'a PurchaseFacts<'a>,
        message: Option<&'a str>,
    },
    /// R7/R9: who recorded the customer's consent, and when.
    Consent {
        by: &'a str,
        at: Timestamp,
    },
}

/// The catalog keys of the parts of a mail that differ by occasion.
pub(crate) struct Shape {
    pub(crate) subject_key: &'static str,
    pub(crate) intro_key: &'static str,
    pub(crate) action_key: &'static str,
    /// The highlighted note above the footer, when there is one.
    pub(crate) notice_key: Option<&'static str>,
    pub(crate) footer_key: &'static str,
}

impl Shape {
    /// The words for a reader: developers are asked to answer and told about the R5 limit
    /// when they owe an answer; customers are invited to write back.
    fn for_reader(reader: Reader, subject_key: &'static str, intro_key: &'static str) -> Self {
        match reader {
            Reader::Developer => Shape {
                subject_key,
                intro_key,
                action_key: "mail-action-developer",
                notice_key: None,
                footer_key: "mail-footer-developer",
            },
            Reader::Customer => Shape {
                subject_key,
                intro_key,
                action_key: "mail-action-customer",
                notice_key: None,
                footer_key: "mail-footer-customer",
            },
        }
    }

    pub(crate) fn of(occasion: Occasion) -> Self {
        let developer = |subject_key, intro_key| Shape::for_reader(Reader::Developer, subject_key, intro_key);
        // Customers hear about a purchase, not about a reply, in the refund mails' footer.
        let customer_purchase = |subject_key, intro_key| Shape {
            footer_key: "mail-footer-customer-purchase",
            ..Shape::for_reader(Reader::Customer, subject_key, intro_key)
        };
        match occasion {
            // R5: only the side that owes an answer is reminded of the limit.
            Occasion::InquiryCreated => Shape {
                notice_key: Some("mail-deadline"),
                ..developer("mail-subject-inquiry-created", "mail-intro-inquiry-created")
            },
            Occasion::CustomerFollowUp => Shape {
                notice_key: Some("mail-deadline"),
                ..developer("mail-subject-customer-follow-up", "mail-intro-customer-follow-up")
            },
            Occasion::DeveloperReply => {
                Shape::for_reader(Reader::Customer, "mail-subject-developer-reply", "mail-intro-developer-reply")
            }
            Occasion::PurchaseCancelled(how) => Shape {
                notice_key: Some("mail-refund-note"),
                ..customer_purchase(
                    "mail-subject-purchase-cancelled",
                    match how {
                        CancelledHow::RequestApproved => "mail-intro-purchase-cancelled-approved",
                        CancelledHow::OnBehalf => "mail-intro-purchase-cancelled-on-behalf",
                    },
                )
            },
            // Nothing is owed any more; the developers may still write to the customer.
            Occasion::CancellationApproved => Shape {
                action_key: "mail-action-developer-view",
                ..developer("mail-subject-cancellation-approved", "mail-intro-cancellation-approved")
            },
            Occasion::CancellationRejected(Reader::Developer) => {
                developer("mail-subject-cancellation-rejected", "mail-intro-cancellation-rejected-developer")
            }
            Occasion::CancellationRejected(Reader::Customer) => {
                customer_purchase("mail-subject-cancellation-rejected", "mail-intro-cancellation-rejected-customer")
            }
            Occasion::CancelledOnBehalf => {
                developer("mail-subject-cancelled-on-behalf", "mail-intro-cancelled-on-behalf")
            }
            Occasion::ResponseReminder => Shape {
                notice_key: Some("mail-notice-response-reminder"),
                ..developer("mail-subject-response-reminder", "mail-intro-response-reminder")
            },
            // R17: what happens next, so the customer need not ask.
            Occasion::CancellationRequested => Shape {
                notice_key: Some("mail-notice-cancellation-requested"),
                ..customer_purchase("mail-subject-cancellation-requested", "mail-intro-cancellation-requested")
            },
            // R7/R9: the customer did not click anything; tell them how to undo it.
            Occasion::ConsentRecorded => Shape {
                action_key: "mail-action-consent-recorded",
                notice_key: Some("mail-notice-consent-recorded"),
                ..Shape::for_reader(Reader::Customer, "mail-subject-consent-recorded", "mail-intro-consent-recorded")
            },
        }
    }
}

pub(crate) fn category_key(category: Category) -> &'static str {
    match category {
        Category::Question => "mail-category-question",
        Category::Maintenance => "mail-category-maintenance",
        Category::ErrorReport => "mail-category-error_report",
        Category::Refund => "mail-category-refund",
        Category::Other => "mail-category-other",
    }
}
