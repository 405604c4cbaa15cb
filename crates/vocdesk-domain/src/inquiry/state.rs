//! R4's status machine, with R5's clock and R17's turn of the store: whose turn a thread
//! is, and since when the customer has waited for an answer.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::role::Role;

/// R4: whose turn it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InquiryStatus {
    /// The customer wrote last; the developer owes an answer (and R5's clock runs).
    AwaitingDeveloper,
    /// The developer answered; the customer may follow up.
    AwaitingCustomer,
    /// R17: a cancellation request about it is with the store; the developer's clock
    /// is stopped until an operator decides (or the store cancels the purchase).
    AwaitingStore,
    /// Either side closed it; a new customer message reopens it.
    Closed,
}

impl InquiryStatus {
    /// Every status, in the order filters list them.
    pub const ALL: [InquiryStatus; 4] = [
        InquiryStatus::AwaitingDeveloper,
        InquiryStatus::AwaitingCustomer,
        InquiryStatus::AwaitingStore,
        InquiryStatus::Closed,
    ];

    /// The stored and sent word.
    pub fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::AwaitingDeveloper => "awaiting_developer",
            InquiryStatus::AwaitingCustomer => "awaiting_customer",
            InquiryStatus::AwaitingStore => "awaiting_store",
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
    /// R17: a developer asked the store to cancel the purchase the thread is about
    /// (R8, or R9 on the customer's behalf): the store has the turn.
    StoreAsked,
    /// R17: the last open request about the thread was decided (approved, rejected, or
    /// settled by the store cancelling on the developer's behalf). `customer_waiting`:
    /// the customer wrote while the store had the turn, and nobody has answered that.
    StoreAnswered {
        /// Whether a customer message is still unanswered.
        customer_waiting: bool,
    },
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

    /// R4 (and R5's clock, and R17's turn of the store): the state after `event` at `at`.
    ///
    /// - a customer message makes the developer owe an answer; when one was already
    ///   owed, the oldest unanswered message keeps counting, so follow-ups never
    ///   push the limit back;
    /// - a developer reply hands the turn to the customer and stops the clock;
    /// - closing stops the clock; closing a closed thread changes nothing;
    /// - a closed thread reopens only by a customer message, or by a cancellation
    ///   request about it, which the customer must be able to follow;
    /// - while the store has the turn (`awaiting_store`) messages of either side leave
    ///   it there and the clock stays stopped: the developer has answered by asking
    ///   the store; the store's decision hands the turn to the customer, or back to
    ///   the developer (clock starting at the decision) when the customer wrote
    ///   meanwhile; the store cancelling an overdue inquiry's purchase on the
    ///   developer's behalf (R5) answers the customer the same way.
    pub fn after(self, event: Event, at: Timestamp) -> Result<ThreadState, TransitionError> {
        use InquiryStatus::*;
        let waiting_store = ThreadState { status: AwaitingStore, awaiting_since: None };
        Ok(match (self.status, event) {
            (AwaitingStore, Event::Message(_)) => self,
            (AwaitingDeveloper, Event::Message(Side::Customer)) => self,
            (AwaitingCustomer | Closed, Event::Message(Side::Customer)) => {
                ThreadState { status: AwaitingDeveloper, awaiting_since: Some(at) }
            }
            (AwaitingDeveloper | AwaitingCustomer, Event::Message(Side::Developer)) => {
                ThreadState { status: AwaitingCustomer, awaiting_since: None }
            }
            (Closed, Event::Message(Side::Developer)) => return Err(TransitionError::Closed),
            (_, Event::Close(_)) => ThreadState { status: Closed, awaiting_since: None },
            (_, Event::StoreAsked) => waiting_store,
            (AwaitingStore, Event::StoreAnswered { customer_waiting: true }) => {
                ThreadState { status: AwaitingDeveloper, awaiting_since: Some(at) }
            }
            (AwaitingStore | AwaitingDeveloper, Event::StoreAnswered { customer_waiting: false }) => {
                ThreadState { status: AwaitingCustomer, awaiting_since: None }
            }
            (AwaitingDeveloper | AwaitingCustomer | Closed, Event::StoreAnswered { .. }) => self,
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
            Just(Event::StoreAsked),
            any::<bool>().prop_map(|customer_waiting| Event::StoreAnswered { customer_waiting }),
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
    fn r17_a_request_stops_the_clock_and_the_decision_hands_the_turn_to_the_customer() {
        let asked = ThreadState::opened(at(0)).after(Event::StoreAsked, at(10)).expect("allowed");
        assert_eq!(asked, ThreadState { status: InquiryStatus::AwaitingStore, awaiting_since: None });
        assert!(!asked.is_overdue(at(1 << 40), SignedDuration::from_hours(72)), "R5's clock is stopped");
        let wrote = asked.after(Event::Message(Side::Customer), at(20)).expect("allowed");
        assert_eq!(wrote, asked, "the store keeps the turn while the customer writes");
        let decided = asked.after(Event::StoreAnswered { customer_waiting: false }, at(30)).expect("allowed");
        assert_eq!(decided, ThreadState { status: InquiryStatus::AwaitingCustomer, awaiting_since: None });
        let owed = asked.after(Event::StoreAnswered { customer_waiting: true }, at(30)).expect("allowed");
        assert_eq!(owed, ThreadState { status: InquiryStatus::AwaitingDeveloper, awaiting_since: Some(at(30)) });
    }

    #[test]
    fn r17_a_request_about_a_closed_thread_reopens_it_for_the_store() {
        let closed = ThreadState::opened(at(0)).after(Event::Close(Side::Customer), at(1)).expect("allowed");
        let asked = closed.after(Event::StoreAsked, at(2)).expect("allowed");
        assert_eq!(asked.status, InquiryStatus::AwaitingStore);
        let closed_again = asked.after(Event::Close(Side::Customer), at(3)).expect("allowed");
        let decided = closed_again.after(Event::StoreAnswered { customer_waiting: false }, at(4)).expect("allowed");
        assert_eq!(
            decided.status,
            InquiryStatus::Closed,
            "a decision does not reopen what was closed after the request"
        );
    }

    proptest! {
        /// R4/R5/R17 invariants over any sequence of events, against a model: the clock
        /// runs exactly while an answer is owed; it starts at the oldest unanswered
        /// customer message (or at the store's decision when the customer wrote while
        /// the store had the turn); a developer message leaves the turn with the
        /// customer unless the store has it; a request gives the store the turn until
        /// its decision; and the inbox rank puts owed answers first.
        #[test]
        fn r4_r17_status_machine_invariants(events in proptest::collection::vec(event(), 0..40)) {
            use InquiryStatus::*;
            let mut state = ThreadState::opened(at(0));
            let (mut status, mut since) = (AwaitingDeveloper, Some(at(0)));
            for (i, event) in events.into_iter().enumerate() {
                let now = at(1_000 * (i as i64 + 1));
                let before = state;
                match state.after(event, now) {
                    Err(TransitionError::Closed) => {
                        prop_assert_eq!(before.status, Closed);
                        prop_assert_eq!(event, Event::Message(Side::Developer));
                        continue;
                    }
                    Ok(next) => state = next,
                }
                (status, since) = match (status, event) {
                    (AwaitingStore, Event::Message(_)) => (AwaitingStore, None),
                    (AwaitingDeveloper, Event::Message(Side::Customer)) => (AwaitingDeveloper, since),
                    (_, Event::Message(Side::Customer)) => (AwaitingDeveloper, Some(now)),
                    (_, Event::Message(Side::Developer)) => (AwaitingCustomer, None),
                    (_, Event::Close(_)) => (Closed, None),
                    (_, Event::StoreAsked) => (AwaitingStore, None),
                    (AwaitingStore, Event::StoreAnswered { customer_waiting: true }) => (AwaitingDeveloper, Some(now)),
                    (AwaitingStore | AwaitingDeveloper, Event::StoreAnswered { customer_waiting: false }) => {
                        (AwaitingCustomer, None)
                    }
                    (unchanged, Event::StoreAnswered { .. }) => (unchanged, since),
                };
                prop_assert_eq!(state, ThreadState { status, awaiting_since: since });
                prop_assert_eq!(state.awaiting_since.is_some(), state.status == AwaitingDeveloper);
                let rank = inbox_rank(&state, now);
                prop_assert_eq!(rank < (1 << 59), state.status == AwaitingDeveloper);
            }
        }
    }
}
