//! Issue 13's JSON shapes: the VAPID public key, a browser's PushSubscription as posted,
//! a subscribed device, and the operators' health view.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vocdesk_domain::push::PushSubscription;
use vocdesk_store::PushHealth;

/// `GET /api/v1/push/vapid-public-key`: what `pushManager.subscribe()` takes as
/// `applicationServerKey`.
#[derive(Debug, Serialize, ToSchema)]
pub struct VapidKeyDto {
    /// base64url of the uncompressed P-256 public key (65 bytes).
    pub public_key: String,
}

/// The browser's `PushSubscription.keys`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscriptionKeys {
    /// base64url of the browser's P-256 public key.
    #[serde(default)]
    pub p256dh: String,
    /// base64url of the 16-byte auth secret.
    #[serde(default)]
    pub auth: String,
}

/// A device to subscribe: the browser's `PushSubscription.toJSON()` plus what to be told.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SubscribeRequest {
    /// The push service's URL for this device (`https`, public).
    #[serde(default)]
    pub endpoint: String,
    /// Ignored: the push service says when a subscription ends (404/410).
    #[serde(default, rename = "expirationTime")]
    #[schema(value_type = Option<i64>)]
    pub expiration_time: Option<serde_json::Value>,
    /// The browser's keys.
    pub keys: SubscriptionKeys,
    /// Any of `new_inquiry`, `near_limit`, `overdue`, `low_review`, `request_decided`;
    /// every kind when absent.
    pub kinds: Option<Vec<String>>,
    /// A name for the device on the settings page ("Pixel 8, Chrome").
    #[serde(default)]
    pub label: String,
}

/// `PATCH /api/v1/push/subscriptions/{id}`: what the device is told from now on.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KindsRequest {
    /// At least one kind.
    pub kinds: Vec<String>,
}

/// A subscribed device, as its owner sees it (its keys are never sent back).
#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionDto {
    /// Opaque id.
    pub id: String,
    /// The push service's URL.
    pub endpoint: String,
    /// What it is told.
    pub kinds: Vec<String>,
    /// Its name.
    pub label: String,
    /// When it was subscribed.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The last push its push service took.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_success_at: Option<Timestamp>,
    /// The last failure.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_failure_at: Option<Timestamp>,
    /// The push service's answer then.
    pub last_error: Option<String>,
}

impl From<&PushSubscription> for SubscriptionDto {
    fn from(sub: &PushSubscription) -> Self {
        SubscriptionDto {
            id: sub.id.0.clone(),
            endpoint: sub.endpoint.clone(),
            kinds: sub.kinds.iter().map(|k| k.as_str().to_owned()).collect(),
            label: sub.label.clone(),
            created_at: sub.created_at,
            last_success_at: sub.last_success_at,
            last_failure_at: sub.last_failure_at,
            last_error: sub.last_error.clone(),
        }
    }
}

/// One recent failure in the health view.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushFailureDto {
    /// When the push was queued.
    #[schema(value_type = String, format = DateTime)]
    pub queued_at: Timestamp,
    /// Its kind.
    pub kind: String,
    /// The push service's answer.
    pub error: String,
}

/// `GET /api/v1/push/health` (operators): keys, devices and what became of pushes in
/// the last 24 hours.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushHealthDto {
    /// The VAPID public key every push is signed with.
    pub public_key: String,
    /// Subscribed devices.
    pub subscriptions: u64,
    /// Developers with a device.
    pub subscribers: u64,
    /// Devices whose last attempt failed.
    pub failing_subscriptions: u64,
    /// Pushes waiting.
    pub pending: u64,
    /// When the oldest waiting push was queued.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub oldest_pending_at: Option<Timestamp>,
    /// Sent in the last 24 hours.
    pub sent_24h: u64,
    /// Given up in the last 24 hours.
    pub failed_24h: u64,
    /// Not sent (no longer visible to the developer) in the last 24 hours.
    pub dropped_24h: u64,
    /// Devices deleted as gone (404/410) in the last 24 hours.
    pub gone_24h: u64,
    /// The newest failures.
    pub recent_failures: Vec<PushFailureDto>,
}

impl PushHealthDto {
    /// The view with the key it reports.
    pub fn new(health: &PushHealth, public_key: String) -> Self {
        PushHealthDto {
            public_key,
            subscriptions: health.subscriptions,
            subscribers: health.subscribers,
            failing_subscriptions: health.failing_subscriptions,
            pending: health.pending,
            oldest_pending_at: health.oldest_pending_at,
            sent_24h: health.sent,
            failed_24h: health.failed,
            dropped_24h: health.dropped,
            gone_24h: health.gone,
            recent_failures: health
                .recent_failures
                .iter()
                .map(|(at, kind, error)| PushFailureDto { queued_at: *at, kind: kind.clone(), error: error.clone() })
                .collect(),
        }
    }
}
