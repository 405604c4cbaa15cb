//! Issue 13: push notifications to developers' devices (Web Push: RFC 8030 delivery,
//! RFC 8291 encryption, RFC 8292 VAPID). A developer is told, wherever they are, that a
//! customer is waiting: the kinds they chose, on each device they subscribed. Pushes are
//! queued with the change that causes them, like mail (R3), and carry no payment ids or
//! other personal data beyond a subject's first words.

mod endpoint;

pub use endpoint::{EndpointRefusal, MAX_ENDPOINT_LEN, check_endpoint, is_public_ip};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::ids::{PushMessageId, PushSubscriptionId, UserId};
use crate::outbox::MailKind;

/// What a developer can be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushKind {
    /// R3: a customer asked the seller something.
    NewInquiry,
    /// R5: an inquiry is 24 hours from the 3-day limit.
    NearLimit,
    /// R5: an inquiry passed the limit unanswered.
    Overdue,
    /// R10: a new review of 1 or 2 stars.
    LowReview,
    /// R8: an operator decided the seller's cancellation request.
    RequestDecided,
}

impl PushKind {
    /// Every kind, in the order the settings page lists them.
    pub const ALL: [PushKind; 5] =
        [PushKind::NewInquiry, PushKind::NearLimit, PushKind::Overdue, PushKind::LowReview, PushKind::RequestDecided];

    /// The word in the API and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            PushKind::NewInquiry => "new_inquiry",
            PushKind::NearLimit => "near_limit",
            PushKind::Overdue => "overdue",
            PushKind::LowReview => "low_review",
            PushKind::RequestDecided => "request_decided",
        }
    }

    /// Parses the word.
    pub fn parse(word: &str) -> Option<Self> {
        PushKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// Issue 13: the push that goes with a notification mail to a developer, if any: the
    /// mail and the push are queued in the same transaction, so neither is sent for a
    /// change that did not commit.
    pub fn for_mail(kind: MailKind) -> Option<Self> {
        match kind {
            MailKind::InquiryCreated => Some(PushKind::NewInquiry),
            MailKind::ResponseReminder => Some(PushKind::NearLimit),
            MailKind::CancellationApproved | MailKind::CancellationRejected => Some(PushKind::RequestDecided),
            _ => None,
        }
    }

    /// RFC 8030 `Urgency`: what a phone may wake its radio for. A customer waiting on
    /// the limit is `high`; a new inquiry or review can wait for the next wake-up.
    pub fn urgency(self) -> &'static str {
        match self {
            PushKind::NearLimit | PushKind::Overdue => "high",
            PushKind::NewInquiry | PushKind::RequestDecided => "normal",
            PushKind::LowReview => "low",
        }
    }

    /// RFC 8030 `TTL`: how long the push service keeps a message for a device that is
    /// off. After that the news is stale, and the developer center shows it anyway.
    pub fn ttl(self) -> SignedDuration {
        match self {
            PushKind::NewInquiry | PushKind::Overdue | PushKind::RequestDecided => SignedDuration::from_hours(24),
            PushKind::NearLimit => SignedDuration::from_hours(12),
            PushKind::LowReview => SignedDuration::from_hours(72),
        }
    }
}

/// The chosen kinds of one subscription, as the store keeps them (`new_inquiry,overdue`).
pub fn kinds_to_words(kinds: &[PushKind]) -> String {
    let mut sorted = kinds.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

/// The inverse of [`kinds_to_words`]; unknown words are skipped.
pub fn kinds_from_words(words: &str) -> Vec<PushKind> {
    words.split(',').filter_map(PushKind::parse).collect()
}

/// Issue 13: how many devices one developer may subscribe. Twenty is more phones,
/// tablets and browsers than anyone uses; the cap keeps a script from filling the store.
pub const MAX_SUBSCRIPTIONS_PER_USER: usize = 20;

/// RFC 8291: the most plaintext one aes128gcm record carries to every push service
/// (4,096 bytes of body less the header, padding delimiter and tag).
pub const MAX_PLAINTEXT: usize = 3993;

/// A browser's `PushSubscription.keys`, checked and decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientKeys {
    /// `p256dh`: the browser's P-256 public key, uncompressed (65 bytes, `0x04` first).
    pub p256dh: Vec<u8>,
    /// `auth`: the 16-byte authentication secret.
    pub auth: Vec<u8>,
}

/// Why a subscription's keys are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyRefusal {
    /// `p256dh` is not base64url of an uncompressed P-256 point.
    P256dh,
    /// `auth` is not base64url of 16 bytes.
    Auth,
}

/// Issue 13: decodes and checks the sizes of a browser's keys (whether `p256dh` is a
/// point on the curve is checked where the curve is, by the sender's crypto).
pub fn check_keys(p256dh: &str, auth: &str) -> Result<ClientKeys, KeyRefusal> {
    let decode = |s: &str| URL_SAFE_NO_PAD.decode(s.trim_end_matches('='));
    let key = decode(p256dh).ok().filter(|k| k.len() == 65 && k[0] == 0x04).ok_or(KeyRefusal::P256dh)?;
    let secret = decode(auth).ok().filter(|a| a.len() == 16).ok_or(KeyRefusal::Auth)?;
    Ok(ClientKeys { p256dh: key, auth: secret })
}

/// A device a developer subscribed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PushSubscription {
    /// Opaque id.
    pub id: PushSubscriptionId,
    /// Whose device.
    pub user_id: UserId,
    /// Where its messages are posted (the push service's URL for the device).
    pub endpoint: String,
    /// The browser's public key (base64url), for encrypting to it.
    pub p256dh: String,
    /// The browser's auth secret (base64url).
    pub auth: String,
    /// What the developer chose to be told on this device.
    pub kinds: Vec<PushKind>,
    /// A label for the settings page ("Chrome on Android"), from the browser.
    pub label: String,
    /// When it was subscribed.
    pub created_at: Timestamp,
    /// The last push the push service took.
    pub last_success_at: Option<Timestamp>,
    /// The last failure and why, for the developer's settings and the operators.
    pub last_failure_at: Option<Timestamp>,
    /// The push service's answer at the last failure.
    pub last_error: Option<String>,
}

/// A subscription to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPushSubscription {
    /// Whose.
    pub user_id: UserId,
    /// The checked endpoint.
    pub endpoint: String,
    /// base64url, checked by [`check_keys`].
    pub p256dh: String,
    /// base64url, checked by [`check_keys`].
    pub auth: String,
    /// The chosen kinds (at least one).
    pub kinds: Vec<PushKind>,
    /// The device's label.
    pub label: String,
}

/// A queued push, as the sender claims it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedPush {
    /// Opaque id.
    pub id: PushMessageId,
    /// The device.
    pub subscription: PushSubscription,
    /// What it tells.
    pub kind: PushKind,
    /// The mail kind or event that caused it (`cancellation_approved`, `overdue`, ...).
    pub event: String,
    /// The inquiry it is about, if any.
    pub inquiry_id: Option<String>,
    /// The review it is about, if any.
    pub review_id: Option<String>,
    /// Attempts so far.
    pub attempts: i64,
    /// When the change that caused it committed.
    pub created_at: Timestamp,
}

/// What the service worker receives (decrypted): a title and a body in the developer's
/// language, the local page the notification opens, a topic so a newer message replaces
/// an older one, and the count for the icon's badge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMessage {
    /// Which kind, so that the page can tell them apart.
    pub kind: PushKind,
    /// The notification's title.
    pub title: String,
    /// Its body: counts and at most a subject's first words.
    pub body: String,
    /// The page a tap opens (always a local path).
    pub url: String,
    /// The RFC 8030 topic, also the notification's tag.
    pub tag: String,
    /// What the developer owes, for the installed icon's badge.
    pub badge: Option<u32>,
}

impl PushMessage {
    /// Issue 13: the message as sent, at most [`MAX_PLAINTEXT`] bytes: the body is cut
    /// (at a character boundary, with an ellipsis) until it fits.
    pub fn to_bounded_json(&self) -> Vec<u8> {
        let mut message = self.clone();
        message.title = first_chars(&message.title, 80);
        loop {
            let json = serde_json::to_vec(&message).unwrap_or_default();
            if json.len() <= MAX_PLAINTEXT || message.body.is_empty() {
                return json;
            }
            let keep = message.body.chars().count().saturating_sub((json.len() - MAX_PLAINTEXT).max(8));
            message.body = first_chars(&message.body, keep);
        }
    }
}

/// The first words of a subject for a notification: at most `max` characters, cut at a
/// word boundary where there is one, with an ellipsis when cut.
pub fn first_words(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).map(|i| cut[..i].to_owned()).unwrap_or(cut);
    format!("{at_word}…")
}

fn first_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// RFC 8030 `Topic` (at most 32 characters of the URL-safe base64 alphabet): one per
/// kind, and for a decision one per request, so that "3 inquiries waiting" replaces
/// "2 inquiries waiting" on a device that was off, while two decisions both arrive.
pub fn topic(kind: PushKind, about: Option<&str>) -> String {
    let base = kind.as_str().replace('_', "-");
    match (kind, about) {
        (PushKind::RequestDecided, Some(id)) => {
            let tail: String = id.chars().filter(|c| c.is_ascii_alphanumeric()).rev().take(16).collect();
            format!("{base}-{}", tail.chars().rev().collect::<String>())
        }
        _ => base,
    }
}

/// Issue 13: after a failed push: the push service's status decides. 404 and 410 mean
/// the subscription is gone (delete it); 429 and 5xx (and no answer) are worth trying
/// again; any other 4xx is our mistake and retrying would repeat it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PushAnswer {
    /// 2xx: the push service took it.
    Accepted,
    /// 404/410: the browser unsubscribed or the subscription expired.
    Gone,
    /// 429, 5xx, a timeout, a refused connection.
    TryAgain,
    /// Any other 4xx (a bad VAPID token, a payload too large).
    Refused,
}

impl PushAnswer {
    /// Classifies a push service's HTTP status (`None`: no answer at all).
    pub fn of_status(status: Option<u16>) -> Self {
        match status {
            Some(200..=299) => PushAnswer::Accepted,
            Some(404 | 410) => PushAnswer::Gone,
            Some(429 | 500..=599) | None => PushAnswer::TryAgain,
            Some(_) => PushAnswer::Refused,
        }
    }
}

/// How long a push is tried: a few minutes of backoff, for six hours (by then the
/// developer center shows what it was about, and the push would be noise).
pub fn retry_policy() -> crate::delivery::RetryPolicy {
    crate::delivery::RetryPolicy {
        first_delay: SignedDuration::from_secs(15),
        max_delay: SignedDuration::from_mins(30),
        give_up_after: SignedDuration::from_hours(6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue13_kinds_round_trip_through_their_words() {
        assert_eq!(kinds_from_words(&kinds_to_words(&PushKind::ALL)), PushKind::ALL.to_vec());
        assert_eq!(kinds_from_words("overdue,bogus,new_inquiry"), vec![PushKind::Overdue, PushKind::NewInquiry]);
        assert_eq!(
            kinds_to_words(&[PushKind::Overdue, PushKind::NewInquiry, PushKind::Overdue]),
            "new_inquiry,overdue"
        );
    }

    #[test]
    fn issue13_keys_must_be_an_uncompressed_point_and_16_bytes() {
        let point = URL_SAFE_NO_PAD.encode([[4u8].as_slice(), &[7u8; 64]].concat());
        let auth = URL_SAFE_NO_PAD.encode([1u8; 16]);
        assert!(check_keys(&point, &auth).is_ok());
        assert_eq!(check_keys("!!", &auth), Err(KeyRefusal::P256dh));
        assert_eq!(check_keys(&URL_SAFE_NO_PAD.encode([4u8; 33]), &auth), Err(KeyRefusal::P256dh));
        assert_eq!(check_keys(&point, &URL_SAFE_NO_PAD.encode([1u8; 15])), Err(KeyRefusal::Auth));
    }

    #[test]
    fn issue13_a_message_never_exceeds_3993_bytes_of_plaintext() {
        let message = PushMessage {
            kind: PushKind::NewInquiry,
            title: "새 문의".repeat(100),
            body: "환불해 주세요 ".repeat(2000),
            url: "/inquiries/1".into(),
            tag: "new-inquiry".into(),
            badge: Some(3),
        };
        let json = message.to_bounded_json();
        assert!(json.len() <= MAX_PLAINTEXT, "{}", json.len());
        let back: PushMessage = serde_json::from_slice(&json).expect("still JSON");
        assert!(back.body.ends_with('…') && back.title.chars().count() <= 80);
    }

    #[test]
    fn issue13_first_words_cut_at_a_word_and_say_so() {
        assert_eq!(first_words("Refund   please", 40), "Refund please");
        assert_eq!(first_words("I was charged twice for the premium pack yesterday", 24), "I was charged twice for…");
    }

    #[test]
    fn issue13_topics_fit_rfc8030_and_decisions_keep_their_own() {
        for kind in PushKind::ALL {
            let t = topic(kind, Some("01937c2e-6f1a-7b8e-9c3d-4e5f60718293"));
            assert!(t.len() <= 32 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{t}");
        }
        assert_eq!(topic(PushKind::NewInquiry, Some("x")), "new-inquiry");
        assert_ne!(topic(PushKind::RequestDecided, Some("a1")), topic(PushKind::RequestDecided, Some("b2")));
    }

    #[test]
    fn issue13_404_and_410_delete_429_and_5xx_retry() {
        let answers = [Some(201), Some(404), Some(410), Some(429), Some(503), None, Some(400), Some(413)]
            .map(PushAnswer::of_status);
        use PushAnswer::*;
        assert_eq!(answers, [Accepted, Gone, Gone, TryAgain, TryAgain, TryAgain, Refused, Refused]);
    }
}
