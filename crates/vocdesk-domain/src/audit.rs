//! R14: every state change and every reveal of personal information is recorded with
//! who, what, when and through which channel (R2).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{AuditId, InquiryId, PurchaseId, UserId};
use crate::role::Role;

/// R2: where a change came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The store client or web pages.
    Store,
    /// Email.
    Email,
    /// Phone, filed by a developer on the customer's behalf.
    Phone,
    /// The JSON API.
    Api,
    /// The operator's command line (imports, demo seeding).
    Cli,
    /// The store's own background work (policy-driven actions).
    System,
}

impl Channel {
    /// Every channel, as the audit log's readers see them named.
    pub const ALL: [Channel; 6] =
        [Channel::Store, Channel::Email, Channel::Phone, Channel::Api, Channel::Cli, Channel::System];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Store => "store",
            Channel::Email => "email",
            Channel::Phone => "phone",
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::System => "system",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "store" => Channel::Store,
            "email" => Channel::Email,
            "phone" => Channel::Phone,
            "api" => Channel::Api,
            "cli" => Channel::Cli,
            "system" => Channel::System,
            _ => return None,
        })
    }
}

/// R14: every action the store records, as the dotted verb it is stored under, so
/// that the audit log can name each in people's words and offer them as a filter. A
/// new action is added here; a test over the demo store fails on an action that is
/// written but not listed.
pub const ACTIONS: [&str; 60] = [
    "app.created",
    "cancellation_request.approved",
    "cancellation_request.rejected",
    "cancellation_request.submitted",
    "inquiry.awaiting_store",
    "inquiry.closed",
    "inquiry.consent_confirmed",
    "inquiry.consent_given",
    "inquiry.consent_withdrawn",
    "inquiry.created",
    "inquiry.filed_off_store",
    "inquiry.message_added",
    "inquiry.refund_settled",
    "inquiry.reminder_sent",
    "inquiry.store_answered",
    "item.created",
    "mail.attempt_failed",
    "mail.bounce_cleared",
    "mail.bounce_received",
    "mail.decided",
    "mail.deferred",
    "mail.discarded",
    "mail.failed",
    "mail.held",
    "mail.ignored",
    "mail.released",
    "mail.retry_requested",
    "payment_ids.revealed",
    "purchase.cancelled",
    "purchase.cancelled_on_behalf",
    "purchase.recorded",
    "purchases.looked_up",
    "push.failed",
    "push.subscribed",
    "push.subscription_gone",
    "push.subscription_updated",
    "push.unsubscribed",
    "reply.confirmed",
    "reply.deleted",
    "reply.edited",
    "reply.hidden",
    "reply.posted",
    "reply.unhidden",
    "reply_template.created",
    "reply_template.deleted",
    "reply_template.edited",
    "report.filed",
    "reports.dismissed",
    "review.created",
    "review.deleted",
    "review.edited",
    "review.hidden",
    "review.unhidden",
    "reviews.imported",
    "seller.created",
    "token.issued",
    "token.revoked",
    "user.created",
    "user.locale_changed",
    "user.mail_locale_changed",
];

/// R14: the entries of signing in and out (every session, API sign-in and token is a
/// token): the most frequent by far, so the audit log folds them away unless asked.
pub const SIGN_IN_ACTIONS: [&str; 2] = ["token.issued", "token.revoked"];

/// Whether `action` is one of [`SIGN_IN_ACTIONS`].
pub fn is_sign_in(action: &str) -> bool {
    SIGN_IN_ACTIONS.contains(&action)
}

/// R14: every kind of thing an entry is about (`subject_type`), so each can be named.
pub const SUBJECT_TYPES: [&str; 17] = [
    "address",
    "app",
    "cancellation_request",
    "inbound_mail",
    "inquiry",
    "item",
    "outbox",
    "purchase",
    "push_message",
    "push_subscription",
    "reply_template",
    "review",
    "review_import",
    "review_report",
    "seller",
    "token",
    "user",
];

/// Who did it: a user, or the store itself (a policy, an import job).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditActor {
    /// The user, when a person or their token acted.
    pub user_id: Option<UserId>,
    /// Their role at the time.
    pub role: Option<Role>,
    /// A name for non-person actors (`policy:auto_cancel`, `import`).
    pub label: Option<String>,
}

impl AuditActor {
    /// A signed-in user.
    pub fn user(user_id: UserId, role: Role) -> Self {
        Self { user_id: Some(user_id), role: Some(role), label: None }
    }

    /// The store acting on its own (a policy, a batch job).
    pub fn system(label: &str) -> Self {
        Self { user_id: None, role: None, label: Some(label.to_owned()) }
    }
}

/// One change to record, built by the caller and written by the store in the same
/// transaction as the change it describes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Who.
    pub actor: AuditActor,
    /// Through which channel.
    pub channel: Channel,
    /// What, as a dotted verb: `purchase.recorded`, `token.issued`, ...
    pub action: String,
    /// The kind of thing changed or revealed: `purchase`, `user`, `token`.
    pub subject_type: String,
    /// Its id.
    pub subject_id: String,
    /// Extra facts as JSON text (never a password or an unmasked payment id).
    pub detail: String,
}

impl AuditEntry {
    /// An entry for a change whose subject the store names when it writes the row (a
    /// new row's id is known only then); `detail` is JSON text, `{}` when there is none.
    pub fn new(actor: AuditActor, channel: Channel, action: &str, subject_type: &str, detail: String) -> Self {
        Self {
            actor,
            channel,
            action: action.to_owned(),
            subject_type: subject_type.to_owned(),
            subject_id: String::new(),
            detail,
        }
    }

    /// The same entry about a known subject.
    pub fn about(self, subject_id: &str) -> Self {
        Self { subject_id: subject_id.to_owned(), ..self }
    }
}

/// A recorded audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Opaque id.
    pub id: AuditId,
    /// When.
    pub at: Timestamp,
    /// The entry.
    pub entry: AuditEntry,
    /// What the entry belongs to and the names its ids stand for, read with it.
    pub context: AuditContext,
}

/// R14: the inquiry and the purchase an entry is filed under, and the names its ids
/// stand for as they are now, so that the log shows people and things rather than
/// UUIDs and links to them; `None` where there is no such thing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AuditContext {
    /// The acting user's display name.
    pub actor_name: Option<String>,
    /// The acting user's email.
    pub actor_email: Option<String>,
    /// The inquiry the entry belongs to: its subject, or one its detail names.
    pub inquiry_id: Option<InquiryId>,
    /// That inquiry's subject line.
    pub inquiry_subject: Option<String>,
    /// The purchase the entry belongs to, the same way.
    pub purchase_id: Option<PurchaseId>,
    /// The title of that purchase's app.
    pub purchase_app_title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r14_the_action_and_subject_lists_are_sorted_unique_and_hold_the_sign_ins() {
        for list in [&ACTIONS[..], &SUBJECT_TYPES[..]] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates: {list:?}");
        }
        assert!(SIGN_IN_ACTIONS.iter().all(|a| ACTIONS.contains(a)));
        assert!(is_sign_in("token.issued") && !is_sign_in("user.created"));
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(channel));
        }
    }
}
