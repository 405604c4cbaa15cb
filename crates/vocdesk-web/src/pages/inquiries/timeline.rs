//! R17 and R5 told in each side's words: the store's turn as events of the thread (a
//! request filed, its decision, a cancellation on the developer's behalf) between the
//! messages, the status as the viewer should read it ("With the store", never "awaiting
//! customer" to the customer), and what comes next: when the developer should answer, that
//! the store may refund after 3 days, what became of the refund.

use jiff::Timestamp;
use vocdesk_domain::inquiry::{Category, Inquiry, InquiryStatus};
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{self, CancellationRequest, RequestStatus};
use vocdesk_domain::role::Role;

use super::{DueView, MessageView, span};
use crate::i18n::I18n;

/// One event of the store's turn, as a line of the thread.
pub struct EventView {
    /// `filed`, `approved`, `rejected` or `on_behalf`, for the class and the tests.
    pub kind: &'static str,
    pub at: String,
    pub text: String,
    /// A quoted text with its label: the note for the store (staff only) or the store's
    /// reason for a rejection (everyone).
    pub quote: Option<(String, String)>,
}

/// One line of the thread: a message or an event, in the order they happened.
pub struct Entry {
    pub message: Option<MessageView>,
    pub event: Option<EventView>,
}

/// Who reads the thread, for the words.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(in crate::pages) enum Reader {
    Customer,
    Developer,
    Operator,
}

impl Reader {
    pub(in crate::pages) fn of(role: Role) -> Self {
        match role {
            Role::Customer => Reader::Customer,
            Role::Developer => Reader::Developer,
            Role::Operator => Reader::Operator,
        }
    }

    fn side(self) -> &'static str {
        if self == Reader::Customer { "customer" } else { "staff" }
    }
}

/// A purchase as the events name it: "product" and "amount".
pub(in crate::pages) struct Named {
    pub(in crate::pages) view: PurchaseView,
    pub(in crate::pages) product: String,
    pub(in crate::pages) amount: String,
}

/// The inquiry's own purchase among the named ones.
pub(in crate::pages) fn own_purchase<'a>(inquiry: &Inquiry, purchases: &'a [Named]) -> Option<&'a Named> {
    let id = inquiry.purchase_id.as_ref()?;
    purchases.iter().find(|p| &p.view.purchase.id == id)
}

/// The events of the store's turn about this thread, with their instants.
pub(in crate::pages) fn events(
    i18n: &I18n,
    reader: Reader,
    inquiry: &Inquiry,
    requests: &[CancellationRequest],
    purchases: &[Named],
) -> Vec<(Timestamp, EventView)> {
    let named = |id: &vocdesk_domain::ids::PurchaseId| purchases.iter().find(|p| &p.view.purchase.id == id);
    let side = reader.side();
    let mut events = Vec::new();
    for request in requests {
        let Some(p) = named(&request.purchase_id) else { continue };
        let words = |key: &str| {
            i18n.args(
                &format!("thread-event-{key}-{side}"),
                &[
                    ("seller", &inquiry.seller_name),
                    ("developer", &request.requested_by_name),
                    ("product", &p.product),
                    ("amount", &p.amount),
                ],
            )
        };
        let note =
            (reader != Reader::Customer).then(|| (i18n.t("thread-event-note-for-store"), request.reason.clone()));
        events.push((
            request.created_at,
            EventView { kind: "filed", at: i18n.datetime(&request.created_at), text: words("filed"), quote: note },
        ));
        let Some(decided_at) = request.decided_at else { continue };
        let at = i18n.datetime(&decided_at);
        let event = match request.status {
            // An approval carries a note only when the store cancelled on the developer's behalf (R5).
            RequestStatus::Approved if request.decision_note.is_some() => {
                EventView { kind: "on_behalf", at, text: words("on-behalf"), quote: None }
            }
            RequestStatus::Approved => EventView { kind: "approved", at, text: words("approved"), quote: None },
            RequestStatus::Rejected => EventView {
                kind: "rejected",
                at,
                text: words("rejected"),
                quote: request.decision_note.clone().map(|note| (i18n.t("thread-event-store-reason"), note)),
            },
            RequestStatus::Open => continue,
        };
        events.push((decided_at, event));
    }
    // R5: the inquiry's own purchase cancelled with no request: the store did it on the
    // developer's behalf.
    if let Some(p) = own_purchase(inquiry, purchases) {
        let by_request =
            requests.iter().any(|r| r.purchase_id == p.view.purchase.id && r.status == RequestStatus::Approved);
        if let (PurchaseStatus::Cancelled, Some(at), false) =
            (p.view.purchase.status, p.view.purchase.cancelled_at, by_request)
        {
            let text = i18n.args(
                &format!("thread-event-on-behalf-{side}"),
                &[("seller", &inquiry.seller_name), ("product", &p.product), ("amount", &p.amount)],
            );
            events.push((at, EventView { kind: "on_behalf", at: i18n.datetime(&at), text, quote: None }));
        }
    }
    events
}

/// What the viewer reads at the top of the thread: the status in their words and what
/// comes next.
pub struct StatusWords {
    pub label: String,
    pub next: Option<String>,
    /// R5/R8: for the customer, what became of their refund.
    pub outcome: Option<String>,
}

/// The status line of the thread for `reader`.
pub(in crate::pages) fn status_words(
    i18n: &I18n,
    reader: Reader,
    inquiry: &Inquiry,
    due: Option<&DueView>,
    requests: &[CancellationRequest],
    purchases: &[Named],
    now: Timestamp,
) -> StatusWords {
    let status = inquiry.status.as_str();
    let label = match reader {
        Reader::Customer => i18n.t(&format!("inquiry-status-customer-{status}")),
        _ => i18n.t(&format!("inquiry-status-{status}")),
    };
    let since = requests.iter().filter(|r| r.status == RequestStatus::Open).map(|r| r.created_at).min();
    let own = own_purchase(inquiry, purchases);
    let seller = inquiry.seller_name.as_str();
    let next = match (reader, inquiry.status) {
        (Reader::Customer, InquiryStatus::AwaitingDeveloper) => due.map(|d| {
            let mut text =
                i18n.args("thread-next-customer-awaiting_developer", &[("seller", seller), ("due", &d.due_at)]);
            let refundable = own.is_some_and(|p| refund::cancellable(&p.view.purchase).is_ok());
            if inquiry.category == Category::Refund && refundable {
                text.push(' ');
                text.push_str(&i18n.t("thread-next-customer-refund-limit"));
            }
            text
        }),
        (Reader::Customer, InquiryStatus::AwaitingCustomer) => {
            Some(i18n.args("thread-next-customer-awaiting_customer", &[("seller", seller)]))
        }
        (reader, InquiryStatus::AwaitingStore) => since.map(|at| {
            let key = match reader {
                Reader::Customer => "thread-next-customer-awaiting_store",
                Reader::Developer => "thread-next-developer-awaiting_store",
                Reader::Operator => "thread-next-operator-awaiting_store",
            };
            let waited = span(i18n, now.duration_since(at));
            i18n.args(key, &[("seller", seller), ("since", &i18n.datetime(&at)), ("span", &waited)])
        }),
        _ => None,
    };
    let outcome = match (reader, own) {
        (Reader::Customer, Some(p)) if p.view.purchase.status == PurchaseStatus::Cancelled => {
            p.view.purchase.cancelled_at.map(|at| {
                i18n.args(
                    "thread-refund-outcome",
                    &[("product", &p.product), ("date", &i18n.datetime(&at)), ("amount", &p.amount)],
                )
            })
        }
        _ => None,
    };
    StatusWords { label, next, outcome }
}

/// Messages and events in one list, in the order they happened; an event at the same
/// instant as a message comes after it (the message filed with a request reads first).
pub(in crate::pages) fn merge(
    messages: Vec<(Timestamp, MessageView)>,
    events: Vec<(Timestamp, EventView)>,
) -> Vec<Entry> {
    let mut all: Vec<(Timestamp, u8, Entry)> = messages
        .into_iter()
        .map(|(at, m)| (at, 0, Entry { message: Some(m), event: None }))
        .chain(events.into_iter().map(|(at, e)| (at, 1, Entry { message: None, event: Some(e) })))
        .collect();
    all.sort_by_key(|(at, order, _)| (*at, *order));
    all.into_iter().map(|(_, _, entry)| entry).collect()
}
