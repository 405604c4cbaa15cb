//! R14: every state change and every reveal of personal information is recorded with
//! who, what, when and through which channel (R2).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{AuditId, UserId};
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
}
