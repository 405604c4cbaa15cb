//! R3 notifications as queued mail. A change that notifies someone writes its mail to the
//! outbox in the same transaction, already rendered in the recipient's language, so
//! that a mail is queued exactly when the change commits; delivery is a separate job.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{InquiryId, OutboxId, UserId};
use crate::locale::Locale;

/// Why a mail is sent, for operators reading the outbox and for delivery statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// R3: a customer asked; the seller's developers are told.
    InquiryCreated,
    /// A customer followed up (or reopened); the seller's developers are told.
    CustomerFollowUp,
    /// R3: a developer answered; the customer is told.
    DeveloperReply,
    /// R5/R8: the customer's purchase was cancelled (a request approved, or on the
    /// developer's behalf); the customer is told.
    PurchaseCancelled,
    /// R8: an operator approved a seller's cancellation request; its developers are told.
    CancellationApproved,
    /// R8: an operator rejected a cancellation request; the developers and the
    /// customer are told, with the reason.
    CancellationRejected,
    /// R5: the store cancelled a purchase on the developer's behalf after the limit
    /// passed; the seller's developers are told.
    CancelledOnBehalf,
    /// R5: an inquiry is 24 hours from the response limit; the seller is reminded.
    ResponseReminder,
    /// R11: the developer posted or changed the official reply; the reviewer is told.
    ReviewReplied,
    /// R12: an operator hid a review; its author is told why.
    ReviewHidden,
    /// R12: an operator showed a hidden review again; its author is told.
    ReviewRestored,
    /// R12: an operator hid an official reply; the seller's developers are told why.
    ReplyHidden,
    /// R12: an operator showed a hidden reply again; the seller's developers are told.
    ReplyRestored,
    /// R17: a developer asked the store to cancel the customer's purchase; the customer
    /// is told what happens next (and reads the developer's message, if any).
    CancellationRequested,
    /// R7/R9: a developer recorded the customer's consent on their behalf; the customer
    /// is told by whom, and how to withdraw it.
    ConsentRecorded,
}

impl MailKind {
    /// Every kind.
    pub const ALL: [MailKind; 15] = [
        MailKind::InquiryCreated,
        MailKind::CustomerFollowUp,
        MailKind::DeveloperReply,
        MailKind::PurchaseCancelled,
        MailKind::CancellationApproved,
        MailKind::CancellationRejected,
        MailKind::CancelledOnBehalf,
        MailKind::ResponseReminder,
        MailKind::ReviewReplied,
        MailKind::ReviewHidden,
        MailKind::ReviewRestored,
        MailKind::ReplyHidden,
        MailKind::ReplyRestored,
        MailKind::CancellationRequested,
        MailKind::ConsentRecorded,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::InquiryCreated => "inquiry_created",
            MailKind::CustomerFollowUp => "customer_follow_up",
            MailKind::DeveloperReply => "developer_reply",
            MailKind::PurchaseCancelled => "purchase_cancelled",
            MailKind::CancellationApproved => "cancellation_approved",
            MailKind::CancellationRejected => "cancellation_rejected",
            MailKind::CancelledOnBehalf => "cancelled_on_behalf",
            MailKind::ResponseReminder => "response_reminder",
            MailKind::ReviewReplied => "review_replied",
            MailKind::ReviewHidden => "review_hidden",
            MailKind::ReviewRestored => "review_restored",
            MailKind::ReplyHidden => "reply_hidden",
            MailKind::ReplyRestored => "reply_restored",
            MailKind::CancellationRequested => "cancellation_requested",
            MailKind::ConsentRecorded => "consent_recorded",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// Where a queued mail is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for delivery.
    Pending,
    /// Handed to the mail server.
    Sent,
    /// Given up after repeated failures.
    Failed,
}

impl MailStatus {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        [MailStatus::Pending, MailStatus::Sent, MailStatus::Failed].into_iter().find(|s| s.as_str() == value)
    }
}

/// A rendered mail to queue with a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutgoingMail {
    /// Why.
    pub kind: MailKind,
    /// The recipient's account, when it is one.
    pub to_user: Option<UserId>,
    /// The address.
    pub to_email: String,
    /// The language it is written in.
    pub locale: Locale,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body_text: String,
    /// HTML body; every piece of user text in it is escaped.
    pub body_html: String,
    /// The thread it is about, so a reply by mail can find its way back.
    pub inquiry_id: Option<InquiryId>,
}

/// A mail in the outbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueuedMail {
    /// Opaque id.
    pub id: OutboxId,
    /// The mail.
    pub mail: OutgoingMail,
    /// Delivery state.
    pub status: MailStatus,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// When it was queued (the commit of the change it belongs to).
    pub created_at: Timestamp,
    /// When it was handed to the mail server.
    pub sent_at: Option<Timestamp>,
    /// R16: why the last attempt failed (the server's reply), for operators only.
    pub last_error: Option<String>,
    /// R16: when the current run of attempts began (queuing, or an operator's retry);
    /// transient failures are retried for a day from then.
    pub window_from: Timestamp,
}
