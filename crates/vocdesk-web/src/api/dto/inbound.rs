//! The JSON shapes of received mail (R15) and bouncing addresses (R16), for the
//! operators who work the held-mail queue. They carry personal data (anyone's words to
//! anyone), so every answer that holds them is sent `Cache-Control: no-store`.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::inbound::InboundMail;
use vocdesk_store::BouncingAddress;

/// A received mail without its bytes (`GET .../{id}/raw` has them).
#[derive(Debug, Serialize, ToSchema)]
pub struct InboundMailDto {
    /// Opaque id.
    pub id: String,
    /// When it arrived.
    #[schema(value_type = String, format = DateTime)]
    pub received_at: Timestamp,
    /// The SMTP envelope sender; `null` for the null sender, or when the pipe did not
    /// say.
    pub envelope_from: Option<String>,
    /// The address at the reply domain it was sent to (`reply+TOKEN@`, `support+SELLER@`).
    pub recipient: String,
    /// The From address, when there was exactly one.
    pub from_address: Option<String>,
    /// The decoded subject, as written (escape it when showing it).
    pub subject: String,
    /// Its `Message-ID` header.
    pub message_id: Option<String>,
    /// Size of the original in bytes.
    pub size: i64,
    /// `received`, `joined`, `held`, `released`, `discarded`, `ignored` or `bounce`.
    pub status: String,
    /// Why it is held: `unreadable`, `unknown_token`, `not_from_token_holder`,
    /// `envelope_mismatch`, `no_single_sender`, `unknown_seller`, `unregistered_sender`,
    /// `not_allowed`, `refused` or `processing_failed`.
    pub reason: Option<String>,
    /// What processing noticed, for operators.
    pub detail: Option<String>,
    /// The thread it joined, or the one its reply address names.
    pub inquiry_id: Option<String>,
    /// The message it became.
    pub message_ref: Option<String>,
    /// The operator who released or discarded it.
    pub decided_by: Option<String>,
    /// When that was.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<Timestamp>,
    /// Whether it still waits for an operator (`held`, or `received` and never decided).
    pub waiting: bool,
}

impl From<&InboundMail> for InboundMailDto {
    fn from(mail: &InboundMail) -> Self {
        Self {
            id: mail.id.0.clone(),
            received_at: mail.received_at,
            envelope_from: mail.envelope_from.clone(),
            recipient: mail.recipient.clone(),
            from_address: mail.from_address.clone(),
            subject: mail.subject.clone(),
            message_id: mail.message_id.clone(),
            size: mail.size,
            status: mail.status.as_str().to_owned(),
            reason: mail.reason.map(|r| r.as_str().to_owned()),
            detail: mail.detail.clone(),
            inquiry_id: mail.inquiry_id.as_ref().map(|i| i.0.clone()),
            message_ref: mail.message_ref.as_ref().map(|m| m.0.clone()),
            decided_by: mail.decided_by.as_ref().map(|u| u.0.clone()),
            decided_at: mail.decided_at,
            waiting: mail.status.awaits_operator(),
        }
    }
}

/// `POST /api/v1/inbound/{id}/release`: the mail, now in its thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReleasedDto {
    /// The mail (status `released`).
    pub mail: InboundMailDto,
    /// The thread it joined, or the inquiry it opened.
    pub inquiry_id: String,
}

/// An address no mail goes to, because it bounced permanently (R16).
#[derive(Debug, Serialize, ToSchema)]
pub struct BouncingAddressDto {
    /// The address itself (lower-case): it is its own identity.
    pub id: String,
    /// The address, lower-case.
    pub email: String,
    /// Since when.
    #[schema(value_type = String, format = DateTime)]
    pub since: Timestamp,
    /// The delivery report's words.
    pub reason: String,
    /// The received bounce that said so.
    pub inbound_id: Option<String>,
}

impl From<&BouncingAddress> for BouncingAddressDto {
    fn from(address: &BouncingAddress) -> Self {
        Self {
            id: address.email.clone(),
            email: address.email.clone(),
            since: address.since,
            reason: address.reason.clone(),
            inbound_id: address.inbound_id.as_ref().map(|i| i.0.clone()),
        }
    }
}

/// `GET /api/v1/inbound` filters and paging.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboundListParams {
    /// `waiting` (default: what waits for an operator, oldest first) or `all` (every
    /// received mail, newest first).
    #[param(schema_with = super::params::inbound_list)]
    pub status: Option<String>,
    /// 1 to 100, default 20.
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page (also accepted as `after`).
    #[serde(alias = "after")]
    #[param(schema_with = super::params::cursor)]
    pub cursor: Option<String>,
}

/// `POST /api/v1/inbound/{id}/release` and `/discard`: an empty body or `{}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InboundDecisionRequest {}

/// `POST /api/v1/bouncing-addresses/clear`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClearBouncingRequest {
    /// The bouncing address to send mail to again (case-insensitive).
    pub email: String,
}
