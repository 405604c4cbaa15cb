//! R1 inquiries: 1:1 threads between a customer and the developers of one app's seller,
//! with the R4 status machine and the facts the R5 response limit is computed from.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::attachment::AttachmentMeta;
use crate::audit::Channel;
use crate::ids::{AppId, InquiryId, MessageId, PurchaseId, SellerId, UserId};
use crate::role::Role;
use crate::text::{required_line, required_text};
use crate::validation::{FieldError, ValidationErrors};

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

/// R4: whose turn it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryStatus {
    /// The customer wrote last; the developer owes an answer (and R5's clock runs).
    AwaitingDeveloper,
    /// The developer answered; the customer may follow up.
    AwaitingCustomer,
    /// Either side closed it; a new customer message reopens it.
    Closed,
}

impl InquiryStatus {
    /// Every status.
    pub const ALL: [InquiryStatus; 3] =
        [InquiryStatus::AwaitingDeveloper, InquiryStatus::AwaitingCustomer, InquiryStatus::Closed];

    /// The stored and sent word.
    pub fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::AwaitingDeveloper => "awaiting_developer",
            InquiryStatus::AwaitingCustomer => "awaiting_customer",
            InquiryStatus::Closed => "closed",
        }
    }

    /// Parses the stored or submitted word.
    pub fn parse(value: &str) -> Option<Self> {
        InquiryStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// Which side of the thread wrote a message or closed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The customer who asked.
    Customer,
    /// A developer of the app's seller.
    Developer,
}

impl Side {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Customer => "customer",
            Side::Developer => "developer",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "customer" => Some(Side::Customer),
            "developer" => Some(Side::Developer),
            _ => None,
        }
    }

    /// The side a role writes on; operators read threads but never write to them.
    pub fn of_role(role: Role) -> Option<Self> {
        match role {
            Role::Customer => Some(Side::Customer),
            Role::Developer => Some(Side::Developer),
            Role::Operator => None,
        }
    }
}

/// What happens to a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// A message from one side.
    Message(Side),
    /// One side closes the thread.
    Close(Side),
}

/// Why an event cannot happen in the current status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// R4: only a new customer message reopens a closed inquiry; a developer cannot
    /// write into a closed thread.
    #[error("the inquiry is closed; only the customer can reopen it by writing")]
    Closed,
}

/// The thread's state that R4 and R5 move: its status and since when the customer's
/// oldest unanswered message has waited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThreadState {
    /// R4 status.
    pub status: InquiryStatus,
    /// R5: the time of the customer's oldest unanswered message; set exactly while the
    /// status is `awaiting_developer`.
    pub awaiting_since: Option<Timestamp>,
}

impl ThreadState {
    /// A new inquiry: the customer's first message waits for the developer.
    pub fn opened(at: Timestamp) -> Self {
        Self { status: InquiryStatus::AwaitingDeveloper, awaiting_since: Some(at) }
    }

    /// R4 (and R5's clock): the state after `event` at `at`.
    ///
    /// - a customer message makes the developer owe an answer; when one was already
    ///   owed, the oldest unanswered message keeps counting, so follow-ups never
    ///   push the limit back;
    /// - a developer reply hands the turn to the customer and stops the clock;
    /// - closing stops the clock; closing a closed thread changes nothing;
    /// - a closed thread reopens only by a customer message.
    pub fn after(self, event: Event, at: Timestamp) -> Result<ThreadState, TransitionError> {
        use InquiryStatus::*;
        Ok(match (self.status, event) {
            (AwaitingDeveloper, Event::Message(Side::Customer)) => self,
            (AwaitingCustomer | Closed, Event::Message(Side::Customer)) => {
                ThreadState { status: AwaitingDeveloper, awaiting_since: Some(at) }
            }
            (AwaitingDeveloper | AwaitingCustomer, Event::Message(Side::Developer)) => {
                ThreadState { status: AwaitingCustomer, awaiting_since: None }
            }
            (Closed, Event::Message(Side::Developer)) => return Err(TransitionError::Closed),
            (_, Event::Close(_)) => ThreadState { status: Closed, awaiting_since: None },
        })
    }

    /// R5: whether the customer has waited longer than `limit` at `now`.
    pub fn is_overdue(&self, now: Timestamp, limit: SignedDuration) -> bool {
        self.awaiting_since.is_some_and(|since| now.duration_since(since) > limit)
    }

    /// R5: when the inquiry becomes overdue, while an answer is owed.
    pub fn due_at(&self, limit: SignedDuration) -> Option<Timestamp> {
        self.awaiting_since.and_then(|since| since.checked_add(limit).ok())
    }
}

/// The inbox order's sort key, stored with each inquiry so that one index serves the
/// developer inbox and the operator list: inquiries owing an answer come first, the
/// longest-waiting (least time left to R5's limit) on top; the others follow, most
/// recently active first.
pub fn inbox_rank(state: &ThreadState, last_activity_at: Timestamp) -> i64 {
    /// Larger than any epoch-millisecond time, so answered threads sort after unanswered ones.
    const ANSWERED: i64 = 1 << 60;
    match state.awaiting_since {
        Some(since) => since.as_millisecond(),
        None => ANSWERED - last_activity_at.as_millisecond(),
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
    use proptest::prelude::*;

    fn at(ms: i64) -> Timestamp {
        Timestamp::from_millisecond(ms).expect("valid")
    }

    fn event() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(Event::Message(Side::Customer)),
            Just(Event::Message(Side::Developer)),
            Just(Event::Close(Side::Customer)),
            Just(Event::Close(Side::Developer)),
        ]
    }

    #[test]
    fn r4_a_developer_reply_hands_the_turn_to_the_customer() {
        let s = ThreadState::opened(at(1_000)).after(Event::Message(Side::Developer), at(2_000)).expect("allowed");
        assert_eq!(s, ThreadState { status: InquiryStatus::AwaitingCustomer, awaiting_since: None });
        let s = s.after(Event::Message(Side::Customer), at(3_000)).expect("allowed");
        assert_eq!(s, ThreadState { status: InquiryStatus::AwaitingDeveloper, awaiting_since: Some(at(3_000)) });
    }

    #[test]
    fn r4_a_closed_inquiry_reopens_only_on_a_customer_message() {
        let closed = ThreadState::opened(at(0)).after(Event::Close(Side::Customer), at(1)).expect("allowed");
        assert_eq!(closed.after(Event::Message(Side::Developer), at(2)), Err(TransitionError::Closed));
        let reopened = closed.after(Event::Message(Side::Customer), at(3)).expect("allowed");
        assert_eq!(reopened.status, InquiryStatus::AwaitingDeveloper);
        assert_eq!(reopened.awaiting_since, Some(at(3)));
    }

    #[test]
    fn r5_overdue_after_more_than_the_limit() {
        let s = ThreadState::opened(at(0));
        let limit = SignedDuration::from_hours(72);
        let limit_ms = limit.as_millis() as i64;
        assert!(!s.is_overdue(at(limit_ms), limit));
        assert!(s.is_overdue(at(limit_ms + 1), limit));
        assert_eq!(s.due_at(limit), Some(at(limit_ms)));
    }

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

    proptest! {
        /// R4/R5 invariants over any sequence of events: the clock runs exactly while an
        /// answer is owed; it starts at the oldest unanswered customer message; a
        /// developer message always leaves the turn with the customer; nothing but a
        /// customer message leaves `closed`; and the inbox rank puts owed answers first.
        #[test]
        fn r4_status_machine_invariants(events in proptest::collection::vec(event(), 0..40)) {
            let mut state = ThreadState::opened(at(0));
            let mut oldest_unanswered = Some(at(0));
            for (i, event) in events.into_iter().enumerate() {
                let now = at(1_000 * (i as i64 + 1));
                let before = state;
                match state.after(event, now) {
                    Err(TransitionError::Closed) => {
                        prop_assert_eq!(before.status, InquiryStatus::Closed);
                        prop_assert_eq!(event, Event::Message(Side::Developer));
                        continue;
                    }
                    Ok(next) => state = next,
                }
                match event {
                    Event::Message(Side::Customer) => {
                        oldest_unanswered.get_or_insert(now);
                        prop_assert_eq!(state.status, InquiryStatus::AwaitingDeveloper);
                    }
                    Event::Message(Side::Developer) => {
                        oldest_unanswered = None;
                        prop_assert_eq!(state.status, InquiryStatus::AwaitingCustomer);
                    }
                    Event::Close(_) => {
                        oldest_unanswered = None;
                        prop_assert_eq!(state.status, InquiryStatus::Closed);
                    }
                }
                prop_assert_eq!(state.awaiting_since, oldest_unanswered);
                prop_assert_eq!(state.awaiting_since.is_some(), state.status == InquiryStatus::AwaitingDeveloper);
                let rank = inbox_rank(&state, now);
                prop_assert_eq!(rank < (1 << 59), state.status == InquiryStatus::AwaitingDeveloper);
            }
        }
    }
}
