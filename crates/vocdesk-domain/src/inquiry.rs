//! R1 inquiries: 1:1 threads between a customer and the developers of one app's seller,
//! with the R4 status machine and the facts the R5 response limit is computed from.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::attachment::AttachmentMeta;
use crate::audit::Channel;
use crate::ids::{AppId, InquiryId, MessageId, PurchaseId, SellerId, UserId};
use crate::text::{required_line, required_text};
use crate::validation::{FieldError, ValidationErrors};

mod state;
pub use state::{Event, InquiryStatus, Side, ThreadState, TransitionError, inbox_rank};

/// The longest subject, in characters.
pub const SUBJECT_MAX: usize = 200;
/// The longest message body, in characters.
pub const BODY_MAX: usize = 20_000;
/// R5: how long a customer may wait for a developer reply before the inquiry is overdue,
/// unless the store configures otherwise.
pub const DEFAULT_RESPONSE_LIMIT: SignedDuration = SignedDuration::from_hours(72);

/// R1: what an inquiry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// A question about the app.
    Question,
    /// An improvement request.
    Maintenance,
    /// Something does not work.
    ErrorReport,
    /// The customer wants their money back.
    Refund,
    /// Anything else.
    Other,
}

impl Category {
    /// Every category, in the order forms list them.
    pub const ALL: [Category; 5] =
        [Category::Question, Category::Maintenance, Category::ErrorReport, Category::Refund, Category::Other];

    /// The stored and sent word.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Question => "question",
            Category::Maintenance => "maintenance",
            Category::ErrorReport => "error_report",
            Category::Refund => "refund",
            Category::Other => "other",
        }
    }

    /// Parses the stored or submitted word.
    pub fn parse(value: &str) -> Option<Self> {
        Category::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// Parses a submitted field, as a field error naming the accepted words.
    pub fn parse_field(field: &str, value: &str) -> Result<Self, FieldError> {
        Category::parse(value.trim()).ok_or_else(|| {
            FieldError::new(field, "category", "one of question, maintenance, error_report, refund, other")
        })
    }
}

/// An inquiry as stored, with the names lists show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Inquiry {
    /// Opaque id.
    pub id: InquiryId,
    /// The app asked about.
    pub app_id: AppId,
    /// Its title.
    pub app_title: String,
    /// The app's seller, whose developers answer.
    pub seller_id: SellerId,
    /// The seller's name.
    pub seller_name: String,
    /// Who asked.
    pub customer_id: UserId,
    /// Their display name.
    pub customer_name: String,
    /// The purchase the customer attached, if any (one of their own, of this app).
    pub purchase_id: Option<PurchaseId>,
    /// R1 category.
    pub category: Category,
    /// Subject line, as typed.
    pub subject: String,
    /// R4 status.
    pub status: InquiryStatus,
    /// R5: since when the customer's oldest unanswered message waits.
    pub awaiting_since: Option<Timestamp>,
    /// R2 channel it came through.
    pub channel: Channel,
    /// R7: the customer agreed to share personal information (payment ids) on it.
    pub consent_personal_info: bool,
    /// R7: when the customer gave (or last changed) that consent.
    pub consent_at: Option<Timestamp>,
    /// R7/R9: the developer who recorded the consent on the customer's behalf (an
    /// off-store form), while the customer has not confirmed or changed it themselves.
    pub consent_recorded_by: Option<UserId>,
    /// That developer's display name, for the thread's notice.
    pub consent_recorded_by_name: Option<String>,
    /// Messages so far.
    pub message_count: i64,
    /// When it was asked.
    pub created_at: Timestamp,
    /// When a developer first answered.
    pub first_response_at: Option<Timestamp>,
    /// The last message or status change.
    pub last_activity_at: Timestamp,
    /// When it was closed, while it is.
    pub closed_at: Option<Timestamp>,
}

impl Inquiry {
    /// Its R4/R5 state.
    pub fn state(&self) -> ThreadState {
        ThreadState { status: self.status, awaiting_since: self.awaiting_since }
    }
}

/// One message of a thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Opaque id.
    pub id: MessageId,
    /// Position in the thread, from 1; two messages at the same instant keep the order
    /// in which they were committed.
    pub seq: i64,
    /// Who wrote it.
    pub author_id: UserId,
    /// Their display name at the time it is read.
    pub author_name: String,
    /// Which side.
    pub side: Side,
    /// R2: through which channel it arrived.
    pub channel: Channel,
    /// The text, as written.
    pub body: String,
    /// Files attached to it.
    pub attachments: Vec<AttachmentMeta>,
    /// When.
    pub created_at: Timestamp,
}

/// An inquiry read alone: the thread in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Thread {
    /// The inquiry.
    pub inquiry: Inquiry,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
}

/// The fields of a new inquiry as submitted, before validation.
#[derive(Clone, Debug, Default)]
pub struct InquiryInput<'a> {
    /// Category word.
    pub category: &'a str,
    /// Subject.
    pub subject: &'a str,
    /// First message.
    pub body: &'a str,
    /// An optional purchase id.
    pub purchase_id: Option<&'a str>,
    /// R7 consent (O/X).
    pub consent_personal_info: bool,
}

/// A validated new inquiry; the caller has checked the app and that the purchase (if
/// any) is the customer's own purchase of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInquiry {
    /// Its id, chosen before the write so the queued mail can link to it.
    pub id: InquiryId,
    /// The app.
    pub app_id: AppId,
    /// The customer.
    pub customer_id: UserId,
    /// Optional purchase.
    pub purchase_id: Option<PurchaseId>,
    /// Category.
    pub category: Category,
    /// Subject.
    pub subject: String,
    /// R2.
    pub channel: Channel,
    /// R7.
    pub consent_personal_info: bool,
    /// The first message.
    pub first_message: NewMessage,
}

impl NewInquiry {
    /// Validates every field and reports every problem at once.
    pub fn parse(
        input: &InquiryInput<'_>,
        app_id: AppId,
        customer_id: UserId,
        channel: Channel,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let category = errors.check(Category::parse_field("category", input.category));
        let subject = errors.check(required_line("subject", input.subject, SUBJECT_MAX));
        let body = errors.check(required_text("body", input.body, BODY_MAX));
        let purchase_id = match input.purchase_id.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(id) if id.len() <= 64 => Some(Some(PurchaseId(id.to_owned()))),
            Some(_) => {
                errors.push(FieldError::new("purchase_id", "unknown_purchase", "the id of your purchase of this app"));
                None
            }
        };
        errors.finish(|| {
            let id = InquiryId::generate();
            Some(NewInquiry {
                first_message: NewMessage {
                    id: MessageId::generate(),
                    author_id: customer_id.clone(),
                    side: Side::Customer,
                    channel,
                    body: body?,
                    attachments: Vec::new(),
                },
                id,
                app_id,
                customer_id,
                purchase_id: purchase_id?,
                category: category?,
                subject: subject?,
                channel,
                consent_personal_info: input.consent_personal_info,
            })
        })
    }
}

/// A validated message to add to a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewMessage {
    /// Its id, chosen before the write so the queued mail can link to it.
    pub id: MessageId,
    /// Who writes.
    pub author_id: UserId,
    /// Which side.
    pub side: Side,
    /// R2.
    pub channel: Channel,
    /// The text.
    pub body: String,
    /// Files already stored by content hash, in the order given.
    pub attachments: Vec<AttachmentMeta>,
}

impl NewMessage {
    /// Validates a reply's text.
    pub fn parse(author_id: UserId, side: Side, channel: Channel, body: &str) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let body = errors.check(required_text("body", body, BODY_MAX));
        errors.finish(|| {
            Some(NewMessage {
                id: MessageId::generate(),
                author_id,
                side,
                channel,
                body: body?,
                attachments: Vec::new(),
            })
        })
    }
}

/// What the inbox and lists may be narrowed to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InquiryFilter {
    /// One status.
    pub status: Option<InquiryStatus>,
    /// One app.
    pub app_id: Option<AppId>,
    /// One category.
    pub category: Option<Category>,
    /// R5: only those past the limit (`Some(true)`) or not yet past it (`Some(false)`).
    pub overdue: Option<bool>,
    /// Only those with every word of a search (subject, conversation, customer name
    /// and number, the purchase's ids).
    pub words: Option<crate::search::SearchQuery>,
}

/// Whose inquiries a list shows; derived from the actor by the caller, never sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InquiryScope {
    /// A customer's own.
    Customer(UserId),
    /// Everything asked of one seller (its developers; operators filtering by seller).
    Seller(SellerId),
    /// Every inquiry (operators).
    All,
}

/// Unanswered and overdue counts of one app, for the developer inbox and dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppInquiryCounts {
    /// The app.
    pub app_id: AppId,
    /// Its title.
    pub app_title: String,
    /// Inquiries awaiting a developer reply.
    pub unanswered: i64,
    /// Of those, past R5's limit.
    pub overdue: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r1_new_inquiry_reports_every_bad_field_at_once() {
        let long = "가".repeat(SUBJECT_MAX + 1);
        let input = InquiryInput { category: "complaint", subject: &long, body: "  ", ..Default::default() };
        let errors = NewInquiry::parse(&input, AppId("a".into()), UserId("c".into()), Channel::Api).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["category", "subject", "body"]);
    }

    #[test]
    fn r1_text_is_kept_as_written() {
        let input = InquiryInput {
            category: "refund",
            subject: "<script>alert(1)</script>",
            body: "환불 부탁드립니다 <b>지금</b>",
            ..Default::default()
        };
        let new = NewInquiry::parse(&input, AppId("a".into()), UserId("c".into()), Channel::Store).expect("valid");
        assert_eq!(new.subject, "<script>alert(1)</script>");
        assert_eq!(new.first_message.body, "환불 부탁드립니다 <b>지금</b>");
        assert_eq!(new.category, Category::Refund);
    }

    #[test]
    fn words_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
        }
        for s in InquiryStatus::ALL {
            assert_eq!(InquiryStatus::parse(s.as_str()), Some(s));
        }
    }
}
