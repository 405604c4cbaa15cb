//! Issue 13: developers' devices and what they are told. A developer subscribes each
//! device (its browser's PushSubscription), chooses the kinds, and removes it; the
//! sender ([`send`]) posts each queued push to the device's push service, encrypted
//! to the browser (RFC 8291) and signed with the store's VAPID key (RFC 8292), which is
//! made at first start and kept in the store, so every process on one PostgreSQL signs
//! with the same key.

pub mod send;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use vocdesk_domain::ids::PushSubscriptionId;
use vocdesk_domain::policy;
use vocdesk_domain::push::{self, EndpointRefusal, KeyRefusal, NewPushSubscription, PushKind, PushSubscription};
use vocdesk_domain::role::Actor;
use vocdesk_domain::validation::{FieldError, ValidationErrors};
use vocdesk_store::{PushHealth, Store, StoreError, SubscribeOutcome};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::p256;

use crate::caller::Caller;
use crate::context::App;
use crate::error::{AppError, AppResult};

/// The name the VAPID private key is kept under in the store's server secrets.
const VAPID_SECRET: &str = "vapid-p256-private-key";

/// The store's VAPID key pair (RFC 8292): the private key signs every push's token;
/// the public key is what browsers subscribe with (`applicationServerKey`).
pub struct VapidKeys {
    pair: ES256KeyPair,
    public_key: String,
}

impl VapidKeys {
    /// The public key as browsers want it: base64url of the uncompressed P-256 point.
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    pub(crate) fn pair(&self) -> &ES256KeyPair {
        &self.pair
    }

    /// Issue 13: the store's keys, made at the first start of a new store and read back
    /// ever after (the store keeps the first candidate any process offered).
    pub(crate) async fn load(store: &dyn Store, now: jiff::Timestamp) -> Result<Self, StoreError> {
        let candidate = ES256KeyPair::generate().to_bytes();
        let stored = store.secret(VAPID_SECRET, &candidate, now).await?;
        let pair =
            ES256KeyPair::from_bytes(&stored).map_err(|e| StoreError::Corrupt(format!("stored VAPID key: {e}")))?;
        let public_key = URL_SAFE_NO_PAD.encode(pair.public_key().public_key().to_bytes_uncompressed());
        Ok(VapidKeys { pair, public_key })
    }
}

/// A device as a browser posts it: its PushSubscription JSON's parts, the kinds, and a
/// label for the settings page.
#[derive(Clone, Debug, Default)]
pub struct SubscriptionInput {
    /// `endpoint`.
    pub endpoint: String,
    /// `keys.p256dh`.
    pub p256dh: String,
    /// `keys.auth`.
    pub auth: String,
    /// The kinds' words; `None` chooses every kind.
    pub kinds: Option<Vec<String>>,
    /// What the device is ("Chrome on Android"); may be empty.
    pub label: String,
}

/// Longest device label kept.
const MAX_LABEL: usize = 80;

fn endpoint_problem(refusal: EndpointRefusal) -> FieldError {
    let expected = match refusal {
        EndpointRefusal::TooLong => "an endpoint of at most 2048 bytes",
        EndpointRefusal::NotUrl => "an absolute URL",
        EndpointRefusal::NotHttps => "an https URL",
        EndpointRefusal::NotPublic => "a push service on a public address",
        EndpointRefusal::HasCredentials => "a URL without a user name or password",
    };
    FieldError::new("endpoint", refusal.code(), expected)
}

/// Issue 13: which kinds a device is told: every known word, at least one.
pub fn parse_kinds(words: Option<&[String]>) -> Result<Vec<PushKind>, FieldError> {
    let Some(words) = words else {
        return Ok(PushKind::ALL.to_vec());
    };
    let mut kinds = Vec::with_capacity(words.len());
    for word in words {
        let kind = PushKind::parse(word).ok_or_else(|| {
            FieldError::new("kinds", "unknown", "new_inquiry, near_limit, overdue, low_review, request_decided")
        })?;
        kinds.push(kind);
    }
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return Err(FieldError::new("kinds", "required", "at least one kind (remove the device to be told nothing)"));
    }
    Ok(kinds)
}

fn check(app: &App, input: &SubscriptionInput, user: &vocdesk_domain::ids::UserId) -> AppResult<NewPushSubscription> {
    let mut errors = ValidationErrors::default();
    let endpoint =
        errors.check(push::check_endpoint(&input.endpoint, app.config().allow_loopback_push).map_err(endpoint_problem));
    let keys = errors.check(push::check_keys(&input.p256dh, &input.auth).map_err(|refusal| match refusal {
        KeyRefusal::P256dh => {
            FieldError::new("keys.p256dh", "invalid", "base64url of an uncompressed P-256 public key")
        }
        KeyRefusal::Auth => FieldError::new("keys.auth", "invalid", "base64url of 16 bytes"),
    }));
    if let Some(keys) = &keys
        && p256::PublicKey::from_sec1_bytes(&keys.p256dh).is_err()
    {
        errors.push(FieldError::new("keys.p256dh", "invalid", "a point on the P-256 curve"));
    }
    let kinds = errors.check(parse_kinds(input.kinds.as_deref()));
    let label: String = input.label.chars().filter(|c| !c.is_control()).take(MAX_LABEL).collect();
    let valid = errors.0.is_empty();
    let (Some(endpoint), Some(keys), Some(kinds), true) = (endpoint, keys, kinds, valid) else {
        return Err(AppError::Invalid(errors));
    };
    Ok(NewPushSubscription {
        user_id: user.clone(),
        endpoint: endpoint.to_string(),
        p256dh: URL_SAFE_NO_PAD.encode(&keys.p256dh),
        auth: URL_SAFE_NO_PAD.encode(&keys.auth),
        kinds,
        label: label.trim().to_owned(),
    })
}

/// Leave to subscribe devices and list them: developers only (403 before anything is
/// read).
pub fn permit(actor: &Actor) -> AppResult<()> {
    Ok(policy::subscribe_to_push(actor)?)
}

/// Issue 13: subscribes (or re-subscribes) a device; `true` when it is new. Refused:
/// an endpoint that is not `https` to a public host, malformed keys, unknown kinds
/// (422), a developer with [`push::MAX_SUBSCRIPTIONS_PER_USER`] devices already (409).
pub async fn subscribe(
    app: &App,
    caller: Caller<'_>,
    input: &SubscriptionInput,
) -> AppResult<(PushSubscription, bool)> {
    permit(caller.actor)?;
    let new = check(app, input, &caller.user.id)?;
    match app.store().subscribe_push(&new, push::MAX_SUBSCRIPTIONS_PER_USER, &caller.acting(), app.now()).await? {
        SubscribeOutcome::Created(sub) => Ok((sub, true)),
        SubscribeOutcome::Updated(sub) => Ok((sub, false)),
        SubscribeOutcome::TooMany => Err(AppError::TooManyDevices { max: push::MAX_SUBSCRIPTIONS_PER_USER }),
    }
}

/// The caller's devices, oldest first.
pub async fn devices(app: &App, actor: &Actor) -> AppResult<Vec<PushSubscription>> {
    permit(actor)?;
    Ok(app.store().push_subscriptions_of(&actor.user_id).await?)
}

/// Leave to change one device: it exists and is the caller's (anyone else's is 404).
pub async fn permit_device(app: &App, actor: &Actor, id: &PushSubscriptionId) -> AppResult<PushSubscription> {
    permit(actor)?;
    let sub = app.store().push_subscription(id).await?.ok_or(AppError::NotFound)?;
    policy::own_push_subscription(actor, &sub.user_id)?;
    Ok(sub)
}

/// Issue 13: removes one of the caller's devices (another user's: 404, nothing changed).
pub async fn unsubscribe(app: &App, caller: Caller<'_>, id: &PushSubscriptionId) -> AppResult<()> {
    permit_device(app, caller.actor, id).await?;
    if app.store().unsubscribe_push(id, &caller.acting(), app.now()).await? { Ok(()) } else { Err(AppError::NotFound) }
}

/// Issue 13: changes what one of the caller's devices is told.
pub async fn set_kinds(
    app: &App,
    caller: Caller<'_>,
    id: &PushSubscriptionId,
    words: &[String],
) -> AppResult<PushSubscription> {
    permit_device(app, caller.actor, id).await?;
    let kinds = parse_kinds(Some(words)).map_err(|e| AppError::Invalid(ValidationErrors(vec![e])))?;
    app.store().set_push_kinds(id, &kinds, &caller.acting(), app.now()).await?.ok_or(AppError::NotFound)
}

/// Issue 13: the operators' health view over the last day, with the public key.
pub async fn health(app: &App, actor: &Actor) -> AppResult<(PushHealth, String)> {
    policy::read_push_health(actor)?;
    let since = app.now().checked_sub(jiff::SignedDuration::from_hours(24)).unwrap_or(jiff::Timestamp::MIN);
    Ok((app.store().push_health(since).await?, app.vapid_keys().public_key().to_owned()))
}
