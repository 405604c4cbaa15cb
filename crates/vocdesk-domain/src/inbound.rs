//! R15: mail that comes back. Notifications about an inquiry carry a reply address
//! `reply+TOKEN@REPLY_DOMAIN` whose token is an HMAC over the inquiry and the
//! recipient, and a seller is reachable at `support+SELLER@REPLY_DOMAIN`. A received
//! mail joins a thread only when its token names the inquiry **and** its sender is the
//! person the token was issued to; anything else is held for an operator, never joined
//! and never dropped. These are the pure decisions; the application carries them out.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

use jiff::Timestamp;

use crate::ids::{InboundId, InquiryId, MessageId, SellerId, UserId};

/// The secret reply tokens are made with; kept by the store, never sent.
#[derive(Clone)]
pub struct ReplyKey(Hmac<Sha256>);

impl std::fmt::Debug for ReplyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplyKey(..)")
    }
}

/// Bytes of the HMAC a token keeps: 128 bits, as unguessable as a random id.
const TOKEN_BYTES: usize = 16;

impl ReplyKey {
    /// A key from secret bytes (at least 32 of them, or it is refused).
    pub fn new(secret: &[u8]) -> Option<Self> {
        if secret.len() < 32 {
            return None;
        }
        <Hmac<Sha256> as Mac>::new_from_slice(secret).ok().map(Self)
    }

    fn mac(&self, inquiry: &InquiryId, recipient: &UserId) -> Hmac<Sha256> {
        let mut mac = self.0.clone();
        mac.update(b"vocdesk reply token v1\0");
        mac.update(inquiry.0.as_bytes());
        mac.update(b"\0");
        mac.update(recipient.0.as_bytes());
        mac
    }

    /// R15: the token for mail about `inquiry` sent to `recipient`. The same pair always
    /// gets the same token, so every mail of a thread to one person has one address.
    pub fn token(&self, inquiry: &InquiryId, recipient: &UserId) -> ReplyToken {
        let bytes = self.mac(inquiry, recipient).finalize().into_bytes();
        ReplyToken(bytes[..TOKEN_BYTES].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// Whether `token` was issued by this key for `inquiry` and `recipient` (compared
    /// in constant time).
    pub fn issued(&self, token: &ReplyToken, inquiry: &InquiryId, recipient: &UserId) -> bool {
        let Some(bytes) = token.bytes() else { return false };
        self.mac(inquiry, recipient).verify_truncated_left(&bytes).is_ok()
    }
}

/// R15: the part of a reply address that says which thread and whose: 32 lower-case
/// hex digits (case-insensitive on the way in: some mail systems upper-case addresses).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ReplyToken(String);

impl ReplyToken {
    /// Reads a token; `None` for anything that is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.to_ascii_lowercase();
        (text.len() == TOKEN_BYTES * 2 && text.bytes().all(|b| b.is_ascii_hexdigit())).then_some(Self(text))
    }

    /// The token as written in the address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn bytes(&self) -> Option<Vec<u8>> {
        (0..self.0.len()).step_by(2).map(|i| u8::from_str_radix(self.0.get(i..i + 2)?, 16).ok()).collect()
    }

    /// The reply address under `domain`.
    pub fn address(&self, domain: &str) -> String {
        format!("reply+{}@{}", self.0, domain)
    }
}

/// The address at which customers write to a seller by mail (R15, item 4).
pub fn support_address(seller: &SellerId, domain: &str) -> String {
    format!("support+{}@{}", seller.0, domain)
}

/// What a recipient address at the reply domain means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InboundAddress {
    /// `reply+TOKEN@`: an answer in a thread.
    Reply(ReplyToken),
    /// `support+SELLER@`: a new inquiry to a seller.
    Support(SellerId),
    /// `bounce+OUTBOX_ID@` (or `bounce@`): the envelope sender of our mail, where
    /// delivery reports and auto-replies come back; never a message.
    Bounce(Option<String>),
}

/// R16: the envelope sender (Return-Path) of outbox mail `outbox_id`: a report about it
/// names the mail by its address alone, even when it quotes none of the mail.
pub fn bounce_address(outbox_id: &str, domain: &str) -> String {
    format!("bounce+{outbox_id}@{domain}")
}

/// R15: reads a recipient; `None` for another domain, another local part, a token that
/// is not one. Only the reply domain is ours: the SMTP listener answers 550 otherwise.
pub fn read_address(address: &str, reply_domain: &str) -> Option<InboundAddress> {
    let (local, domain) = address.trim().trim_matches(['<', '>']).rsplit_once('@')?;
    if !domain.eq_ignore_ascii_case(reply_domain) {
        return None;
    }
    if local.eq_ignore_ascii_case("bounce") {
        return Some(InboundAddress::Bounce(None));
    }
    let (tag, detail) = local.split_once('+')?;
    let plain = |detail: &str| {
        !detail.is_empty() && detail.len() <= 64 && detail.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if tag.eq_ignore_ascii_case("bounce") {
        return Some(InboundAddress::Bounce(plain(detail).then(|| detail.to_ascii_lowercase())));
    }
    if tag.eq_ignore_ascii_case("reply") {
        return ReplyToken::parse(detail).map(InboundAddress::Reply);
    }
    (tag.eq_ignore_ascii_case("support") && plain(detail))
        .then(|| InboundAddress::Support(SellerId(detail.to_ascii_lowercase())))
}

/// Whether `message_id` (without angle brackets) is one vocdesk made under its reply
/// domain: such a mail coming back is a loop (our own notification returned), never a
/// message.
pub fn is_our_message_id(message_id: &str, reply_domain: &str) -> bool {
    message_id.rsplit_once('@').is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(reply_domain))
}

/// The outbox id inside one of our Message-IDs (`OUTBOX_ID@domain`), for bounces.
pub fn outbox_id_of(message_id: &str, reply_domain: &str) -> Option<String> {
    let (local, domain) = message_id.trim_matches(['<', '>']).rsplit_once('@')?;
    (domain.eq_ignore_ascii_case(reply_domain) && !local.starts_with("inquiry.")).then(|| local.to_owned())
}

/// Why a received mail waits for an operator instead of joining a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldReason {
    /// It could not be read as a mail at all (kept raw).
    Unreadable,
    /// Its reply token names no thread.
    UnknownToken,
    /// The token is real, but the mail is not from the person it was issued to.
    NotFromTokenHolder,
    /// The envelope sender and the From address are different people.
    EnvelopeMismatch,
    /// From names no address, or several.
    NoSingleSender,
    /// A support address of no seller.
    UnknownSeller,
    /// A new inquiry by mail from an address that is no customer's.
    UnregisteredSender,
    /// The sender may no longer write to the thread (a developer who left the seller,
    /// a developer writing to a closed thread).
    NotAllowed,
    /// The text or an attachment was refused by the checks web messages pass.
    Refused,
    /// Something failed while it was processed; it is kept for an operator.
    ProcessingFailed,
}

impl HoldReason {
    /// Every reason.
    pub const ALL: [HoldReason; 10] = [
        HoldReason::Unreadable,
        HoldReason::UnknownToken,
        HoldReason::NotFromTokenHolder,
        HoldReason::EnvelopeMismatch,
        HoldReason::NoSingleSender,
        HoldReason::UnknownSeller,
        HoldReason::UnregisteredSender,
        HoldReason::NotAllowed,
        HoldReason::Refused,
        HoldReason::ProcessingFailed,
    ];

    /// The stored word, also the key of its words on the console.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldReason::Unreadable => "unreadable",
            HoldReason::UnknownToken => "unknown_token",
            HoldReason::NotFromTokenHolder => "not_from_token_holder",
            HoldReason::EnvelopeMismatch => "envelope_mismatch",
            HoldReason::NoSingleSender => "no_single_sender",
            HoldReason::UnknownSeller => "unknown_seller",
            HoldReason::UnregisteredSender => "unregistered_sender",
            HoldReason::NotAllowed => "not_allowed",
            HoldReason::Refused => "refused",
            HoldReason::ProcessingFailed => "processing_failed",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        HoldReason::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// Where a received mail is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InboundStatus {
    /// Kept, not yet decided (processing it failed before a decision was recorded).
    Received,
    /// It became a message of a thread (or opened one).
    Joined,
    /// Waiting for an operator.
    Held,
    /// An operator put it into its thread.
    Released,
    /// An operator decided it is nothing (kept, never shown in a thread).
    Discarded,
    /// An auto-reply or our own mail returned: never a message, never answered.
    Ignored,
    /// A delivery report: it marked our mail failed and the address bouncing.
    Bounce,
}

impl InboundStatus {
    /// Every status.
    pub const ALL: [InboundStatus; 7] = [
        InboundStatus::Received,
        InboundStatus::Joined,
        InboundStatus::Held,
        InboundStatus::Released,
        InboundStatus::Discarded,
        InboundStatus::Ignored,
        InboundStatus::Bounce,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            InboundStatus::Received => "received",
            InboundStatus::Joined => "joined",
            InboundStatus::Held => "held",
            InboundStatus::Released => "released",
            InboundStatus::Discarded => "discarded",
            InboundStatus::Ignored => "ignored",
            InboundStatus::Bounce => "bounce",
        }
    }

    /// Parses the stored word.
    pub fn parse(value: &str) -> Option<Self> {
        InboundStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether an operator may still release or discard it.
    pub fn awaits_operator(self) -> bool {
        matches!(self, InboundStatus::Held | InboundStatus::Received)
    }
}

/// R15: whether a mail is from the person its token was issued to, `holder_email`.
/// Identity comes from the envelope sender and the From address, never from Reply-To:
/// there must be exactly one From address, it must be the holder's, and an envelope
/// sender, when the mail came with one, must be the holder's too (a forwarder that
/// rewrites it makes the mail wait for an operator rather than guess).
pub fn check_sender(from: &[String], envelope_from: Option<&str>, holder_email: &str) -> Result<(), HoldReason> {
    let [from] = from else { return Err(HoldReason::NoSingleSender) };
    if !same_address(from, holder_email) {
        return Err(HoldReason::NotFromTokenHolder);
    }
    match envelope_from {
        Some(envelope) if !envelope.trim().is_empty() && !same_address(envelope, holder_email) => {
            Err(HoldReason::EnvelopeMismatch)
        }
        _ => Ok(()),
    }
}

/// Addresses compared as mail systems do in practice: the domain is case-insensitive,
/// and so are the local parts of the addresses people use.
pub fn same_address(a: &str, b: &str) -> bool {
    let clean = |s: &str| s.trim().trim_matches(['<', '>']).to_ascii_lowercase();
    let (a, b) = (clean(a), clean(b));
    !a.is_empty() && a == b && !a.contains("=?")
}

/// R15 item 4: a mail to a seller's support address is a refund inquiry when its
/// subject says so, in either language; anything else is `other`.
pub fn subject_asks_refund(subject: &str) -> bool {
    let lower = subject.to_lowercase();
    lower.contains("refund") || lower.contains("환불")
}

/// A received mail as it is kept (its raw bytes are read separately: they can be 25 MB).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InboundMail {
    /// Opaque id.
    pub id: InboundId,
    /// When it arrived.
    pub received_at: Timestamp,
    /// The SMTP envelope sender (`None` for the null sender of bounces, or when the
    /// pipe transport did not say).
    pub envelope_from: Option<String>,
    /// The address at the reply domain it was sent to.
    pub recipient: String,
    /// The From address, when there was exactly one.
    pub from_address: Option<String>,
    /// Decoded subject (shown escaped).
    pub subject: String,
    /// Its Message-ID.
    pub message_id: Option<String>,
    /// Size of the original in bytes.
    pub size: i64,
    /// What became of it.
    pub status: InboundStatus,
    /// Why it is held.
    pub reason: Option<HoldReason>,
    /// For operators: what the processing noticed (an ignored auto-reply's header, the
    /// refused field); never shown to customers.
    pub detail: Option<String>,
    /// The thread it joined, or the one its token names.
    pub inquiry_id: Option<InquiryId>,
    /// The message it became.
    pub message_ref: Option<MessageId>,
    /// The operator who released or discarded it.
    pub decided_by: Option<UserId>,
    /// When that was.
    pub decided_at: Option<Timestamp>,
}

/// A received mail to keep, before anything is decided about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewInbound {
    /// Its id.
    pub id: InboundId,
    /// The envelope sender.
    pub envelope_from: Option<String>,
    /// The recipient at the reply domain.
    pub recipient: String,
    /// The single From address.
    pub from_address: Option<String>,
    /// Decoded subject.
    pub subject: String,
    /// Its Message-ID.
    pub message_id: Option<String>,
    /// The whole message as received.
    pub raw: Vec<u8>,
}

/// What processing decided about a received mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundDecision {
    /// Held, ignored or bounce (joining records itself with the message).
    pub status: InboundStatus,
    /// Why it is held.
    pub reason: Option<HoldReason>,
    /// What was noticed, for operators.
    pub detail: Option<String>,
    /// The thread concerned, when known.
    pub inquiry_id: Option<InquiryId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ReplyKey {
        ReplyKey::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn r15_a_token_is_unguessable_and_bound_to_the_inquiry_and_the_recipient() {
        let (inquiry, other_inquiry) = (InquiryId("i-1".into()), InquiryId("i-2".into()));
        let (user, other_user) = (UserId("u-1".into()), UserId("u-2".into()));
        let token = key().token(&inquiry, &user);
        assert_eq!(token.as_str().len(), 32);
        assert!(key().issued(&token, &inquiry, &user));
        assert!(!key().issued(&token, &other_inquiry, &user));
        assert!(!key().issued(&token, &inquiry, &other_user));
        assert!(!ReplyKey::new(&[8u8; 32]).unwrap().issued(&token, &inquiry, &user));
        assert_ne!(key().token(&other_inquiry, &user), token);
        assert!(ReplyKey::new(&[1u8; 31]).is_none());
    }

    #[test]
    fn r15_reply_and_support_addresses_are_read_only_under_the_reply_domain() {
        let token = key().token(&InquiryId("i".into()), &UserId("u".into()));
        let address = token.address("reply.example.com");
        assert!(address.len() - "@reply.example.com".len() <= 64);
        assert_eq!(read_address(&address, "reply.example.com"), Some(InboundAddress::Reply(token.clone())));
        assert_eq!(
            read_address(&address.to_ascii_uppercase(), "reply.example.com"),
            Some(InboundAddress::Reply(token))
        );
        assert_eq!(read_address(&address, "other.example.com"), None);
        assert_eq!(read_address("reply+1234@reply.example.com", "reply.example.com"), None);
        assert_eq!(read_address("postmaster@reply.example.com", "reply.example.com"), None);
        assert_eq!(
            read_address("support+0190-AB@reply.example.com", "reply.example.com"),
            Some(InboundAddress::Support(SellerId("0190-ab".into())))
        );
        assert_eq!(read_address("support+a/b@reply.example.com", "reply.example.com"), None);
        let bounce = bounce_address("0190abcd-0000-7000-8000-000000000001", "reply.example.com");
        assert_eq!(
            read_address(&bounce, "reply.example.com"),
            Some(InboundAddress::Bounce(Some("0190abcd-0000-7000-8000-000000000001".into())))
        );
        assert_eq!(read_address("bounce@reply.example.com", "reply.example.com"), Some(InboundAddress::Bounce(None)));
        assert_eq!(
            read_address("bounce+a/b@reply.example.com", "reply.example.com"),
            Some(InboundAddress::Bounce(None))
        );
    }

    #[test]
    fn r15_only_the_token_holder_joins_and_reply_to_plays_no_part() {
        let holder = "kim@example.com";
        assert_eq!(check_sender(&["kim@example.com".into()], Some("KIM@example.com"), holder), Ok(()));
        assert_eq!(check_sender(&["kim@example.com".into()], None, holder), Ok(()));
        assert_eq!(check_sender(&["evil@evil.test".into()], None, holder), Err(HoldReason::NotFromTokenHolder));
        assert_eq!(
            check_sender(&["kim@example.com".into()], Some("evil@evil.test"), holder),
            Err(HoldReason::EnvelopeMismatch)
        );
        assert_eq!(check_sender(&[], None, holder), Err(HoldReason::NoSingleSender));
        assert_eq!(
            check_sender(&["kim@example.com".into(), "evil@evil.test".into()], None, holder),
            Err(HoldReason::NoSingleSender)
        );
        assert!(!same_address("=?utf-8?q?kim?=@example.com", "=?utf-8?q?kim?=@example.com"));
    }

    #[test]
    fn r15_our_own_message_ids_are_recognised() {
        assert!(is_our_message_id("0190abcd@reply.example.com", "reply.example.com"));
        assert!(!is_our_message_id("CAF=abc@mail.gmail.com", "reply.example.com"));
        assert_eq!(outbox_id_of("<0190abcd@reply.example.com>", "reply.example.com"), Some("0190abcd".into()));
        assert_eq!(outbox_id_of("inquiry.0190@reply.example.com", "reply.example.com"), None);
    }

    #[test]
    fn r15_stored_words_read_back() {
        for reason in HoldReason::ALL {
            assert_eq!(HoldReason::parse(reason.as_str()), Some(reason));
        }
        for status in InboundStatus::ALL {
            assert_eq!(InboundStatus::parse(status.as_str()), Some(status));
        }
        assert!(subject_asks_refund("Re: 환불 요청"));
        assert!(subject_asks_refund("Please REFUND me"));
        assert!(!subject_asks_refund("Login issue"));
    }
}
