//! Issue 13: sending the push outbox. Each queued push is written at send time, in its
//! developer's language, from what it points at (so a "3 inquiries waiting" counts what
//! waits now), after checking again that the developer may see it (no push ever carries
//! another seller's data); then encrypted to the browser (RFC 8291, aes128gcm), signed
//! with the store's VAPID key (RFC 8292) and posted to the push service with `TTL`,
//! `Urgency` and `Topic` (RFC 8030) by a [`PushTransport`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::SignedDuration;
use vocdesk_domain::account::User;
use vocdesk_domain::delivery::{AfterFailure, AttemptFailure, after_failure};
use vocdesk_domain::ids::{InquiryId, ReviewId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::push::{self, PushAnswer, PushKind, PushMessage, PushSubscription, QueuedPush};
use vocdesk_domain::role::Role;
use vocdesk_store::PushOutcome;
use web_push_native::jwt_simple::algorithms::ECDSAP256KeyPairLike;
use web_push_native::jwt_simple::claims::Claims;
use web_push_native::{Auth, p256};

use super::VapidKeys;
use crate::context::App;
use crate::error::AppResult;
use crate::words::{Arg, text, text_with};

/// How long a VAPID token is valid: RFC 8292 allows at most 24 hours; 12 leaves room
/// for a push service's clock running ahead.
const TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 60 * 60);

/// What posts a push request and reports the push service's status (`Err`: no answer).
pub trait PushTransport: Send + Sync {
    /// Posts `request`; the status, or why there was none.
    fn post(&self, request: http::Request<Vec<u8>>) -> Pin<Box<dyn Future<Output = Result<u16, String>> + Send + '_>>;
}

/// What one run of the sender did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Taken by the push service.
    pub sent: u32,
    /// To be tried again (429, 5xx, no answer).
    pub retried: u32,
    /// Given up.
    pub failed: u32,
    /// Devices found gone (404/410) and deleted.
    pub gone: u32,
    /// Not sent: the developer may no longer see it, or chose otherwise.
    pub dropped: u32,
    /// Taken over by another worker after this one's lease ran out.
    pub lost: u32,
}

/// Issue 13: claims up to `limit` due pushes for `worker` and sends each once.
pub async fn send_due(app: &App, transport: &dyn PushTransport, worker: &str, limit: u32) -> AppResult<PushReport> {
    let now = app.now();
    let lease = now.checked_add(SignedDuration::from_mins(2)).unwrap_or(now);
    let due = app.store().claim_due_pushes(worker, now, lease, limit).await?;
    let mut report = PushReport::default();
    for queued in &due {
        let outcome = attempt(app, transport, queued).await?;
        match &outcome {
            PushOutcome::Sent => report.sent += 1,
            PushOutcome::Retry { .. } => report.retried += 1,
            PushOutcome::Failed { .. } => report.failed += 1,
            PushOutcome::Gone { .. } => report.gone += 1,
            PushOutcome::Dropped { .. } => report.dropped += 1,
        }
        if !app.store().finish_push(&queued.id, worker, &outcome, app.now()).await? {
            report.lost += 1;
        }
    }
    Ok(report)
}

async fn attempt(app: &App, transport: &dyn PushTransport, queued: &QueuedPush) -> AppResult<PushOutcome> {
    let Some(message) = compose(app, queued).await? else {
        return Ok(PushOutcome::Dropped { reason: "the developer may no longer see this, or chose otherwise".into() });
    };
    let contact = format!("mailto:push@{}", app.config().reply_domain);
    let request = match build_request(app.vapid_keys(), &queued.subscription, queued.kind, &message, &contact) {
        Ok(request) => request,
        Err(error) => return Ok(PushOutcome::Failed { error }),
    };
    let answer = transport.post(request).await;
    let (status, error) = match answer {
        Ok(status) => (Some(status), format!("push service answered {status}")),
        Err(error) => (None, error),
    };
    Ok(match PushAnswer::of_status(status) {
        PushAnswer::Accepted => PushOutcome::Sent,
        PushAnswer::Gone => PushOutcome::Gone { error },
        PushAnswer::Refused => PushOutcome::Failed { error },
        PushAnswer::TryAgain => {
            let attempts = u32::try_from(queued.attempts + 1).unwrap_or(u32::MAX);
            let jitter = f64::from(rand::random::<u8>()) / 255.0;
            let policy = push::retry_policy();
            match after_failure(&policy, AttemptFailure::Transient, attempts, queued.created_at, app.now(), jitter) {
                AfterFailure::RetryAt(at) => PushOutcome::Retry { at, error },
                AfterFailure::GiveUp => PushOutcome::Failed { error },
            }
        }
    })
}

/// Issue 13: the encrypted, signed request for one push (RFC 8030, 8291, 8292). The
/// VAPID `aud` is the push service's origin (scheme, host and any non-default port).
pub fn build_request(
    keys: &VapidKeys,
    device: &PushSubscription,
    kind: PushKind,
    message: &PushMessage,
    contact: &str,
) -> Result<http::Request<Vec<u8>>, String> {
    let endpoint = url::Url::parse(&device.endpoint).map_err(|e| format!("endpoint: {e}"))?;
    let p256dh = URL_SAFE_NO_PAD.decode(&device.p256dh).map_err(|e| format!("p256dh: {e}"))?;
    let auth = URL_SAFE_NO_PAD.decode(&device.auth).map_err(|e| format!("auth: {e}"))?;
    let ua_public = p256::PublicKey::from_sec1_bytes(&p256dh).map_err(|e| format!("p256dh: {e}"))?;
    if auth.len() != 16 {
        return Err("auth is not 16 bytes".into());
    }
    let body = web_push_native::encrypt(message.to_bounded_json(), &ua_public, Auth::from_slice(&auth))
        .map_err(|e| format!("encrypting: {e}"))?;
    let claims = Claims::create(TOKEN_LIFETIME.into())
        .with_audience(endpoint.origin().ascii_serialization())
        .with_subject(contact);
    let token = keys.pair().sign(claims).map_err(|e| format!("signing: {e}"))?;
    http::Request::post(endpoint.as_str())
        .header(http::header::AUTHORIZATION, format!("vapid t={token}, k={}", keys.public_key()))
        .header("TTL", kind.ttl().as_secs().to_string())
        .header("Urgency", kind.urgency())
        .header("Topic", message.tag.as_str())
        .header(http::header::CONTENT_ENCODING, "aes128gcm")
        .header(http::header::CONTENT_TYPE, "application/octet-stream")
        .body(body)
        .map_err(|e| format!("request: {e}"))
}

/// The developer a push goes to, if they still are one, and their seller.
async fn recipient(app: &App, device: &PushSubscription) -> AppResult<Option<(User, vocdesk_domain::ids::SellerId)>> {
    let Some(user) = app.store().user(&device.user_id).await? else {
        return Ok(None);
    };
    let seller = match (&user.role, &user.seller_id) {
        (Role::Developer, Some(seller)) => seller.clone(),
        _ => return Ok(None),
    };
    Ok(Some((user, seller)))
}

/// Issue 13: the message for one push, in the developer's page language, or `None` when
/// it must not be sent: the developer left the seller, the thing it is about belongs to
/// another seller or is gone, or the device no longer chose the kind.
pub async fn compose(app: &App, queued: &QueuedPush) -> AppResult<Option<PushMessage>> {
    if !queued.subscription.kinds.contains(&queued.kind) {
        return Ok(None);
    }
    let Some((user, seller)) = recipient(app, &queued.subscription).await? else {
        return Ok(None);
    };
    let locale = user.locale;
    let counts = app.store().inquiry_counts(&seller, app.overdue_cutoff()).await?;
    let waiting: i64 = counts.iter().map(|c| c.unanswered).sum();
    let badge = u32::try_from(waiting).ok();
    if queued.kind == PushKind::LowReview {
        let Some(id) = &queued.review_id else { return Ok(None) };
        let Some(review) = app.store().review(&ReviewId(id.clone())).await? else { return Ok(None) };
        if review.seller_id != seller || review.hidden.is_some() {
            return Ok(None);
        }
        let app_title = app.store().app(&review.app_id).await?.map(|a| a.title).unwrap_or_default();
        let stars = review.stars.get().to_string();
        let words = review.text.as_deref().map(|t| push::first_words(t, 60)).unwrap_or_default();
        return Ok(Some(PushMessage {
            kind: queued.kind,
            title: text_with(locale, "push-low-review-title", &[("stars", Arg::Str(stars))]),
            body: body(locale, &app_title, &words),
            url: format!("/developer/reviews?rating=1,2&replied=false#reply-form-{}", review.id.0),
            tag: push::topic(queued.kind, None),
            badge,
        }));
    }
    let Some(id) = &queued.inquiry_id else { return Ok(None) };
    let Some(inquiry) = app.store().inquiry(&InquiryId(id.clone())).await? else { return Ok(None) };
    if inquiry.seller_id != seller {
        return Ok(None);
    }
    let app_title = counts.iter().find(|c| c.app_id == inquiry.app_id).map(|c| c.app_title.clone());
    let app_title = match app_title {
        Some(title) => title,
        None => app.store().app(&inquiry.app_id).await?.map(|a| a.title).unwrap_or_default(),
    };
    let subject = push::first_words(&inquiry.subject, 60);
    let title = match (queued.kind, queued.event.as_str()) {
        (PushKind::NewInquiry, _) => {
            text_with(locale, "push-new-inquiry-title", &[("count", Arg::Str(waiting.max(1).to_string()))])
        }
        (PushKind::NearLimit, _) => text(locale, "push-near-limit-title"),
        (PushKind::Overdue, _) => text(locale, "push-overdue-title"),
        (PushKind::RequestDecided, "cancellation_approved") => text(locale, "push-request-approved-title"),
        (PushKind::RequestDecided, _) => text(locale, "push-request-rejected-title"),
        (PushKind::LowReview, _) => return Ok(None),
    };
    Ok(Some(PushMessage {
        kind: queued.kind,
        title,
        body: body(locale, &app_title, &subject),
        url: format!("/inquiries/{}#reply-form", inquiry.id.0),
        tag: push::topic(queued.kind, queued.inquiry_id.as_deref().filter(|_| queued.kind == PushKind::RequestDecided)),
        badge,
    }))
}

fn body(locale: Locale, app_title: &str, words: &str) -> String {
    let app_title = push::first_words(app_title, 40);
    if words.is_empty() {
        return app_title;
    }
    text_with(locale, "push-body", &[("app", Arg::Str(app_title)), ("words", Arg::Str(words.to_owned()))])
}
