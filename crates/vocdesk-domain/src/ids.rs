//! Opaque identifiers. Each entity has its own type so that a purchase id can never be
//! passed where an app id is expected; on the wire they are plain strings (UUIDv7, so
//! that they sort by creation time and keyset pagination can lean on them).

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }

            /// The id as stored and sent.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

id_type!(
    /// A person who signs in: customer, developer or operator.
    UserId
);
id_type!(
    /// A seller (developer account) that owns apps and has developer members.
    SellerId
);
id_type!(
    /// An app in the store.
    AppId
);
id_type!(
    /// An in-app item sold inside an app.
    ItemId
);
id_type!(
    /// One purchase of an app or item by a customer.
    PurchaseId
);
id_type!(
    /// One issued bearer token or web session.
    TokenId
);
id_type!(
    /// One audit log entry (R14).
    AuditId
);
id_type!(
    /// One inquiry thread (R1).
    InquiryId
);
id_type!(
    /// One message of an inquiry thread.
    MessageId
);
id_type!(
    /// One file attached to a message.
    AttachmentId
);
id_type!(
    /// One mail queued in the outbox (R3).
    OutboxId
);
id_type!(
    /// One device a developer subscribed to push notifications (issue 13).
    PushSubscriptionId
);
id_type!(
    /// One push message queued for a device (issue 13).
    PushMessageId
);
id_type!(
    /// One purchase-cancellation (refund) request to the store (R8, R9).
    CancellationRequestId
);

id_type!(
    /// One customer's review of one app (R10).
    ReviewId
);
id_type!(
    /// One report of a review or a reply (R12).
    ReportId
);
id_type!(
    /// One saved reply of a seller.
    ReplyTemplateId
);
id_type!(
    /// One received mail (R15), kept whatever became of it.
    InboundId
);
