//! What every use case shares: the store, the attachment files, the mail renderer, the
//! clock and the store's policy. Every door (the web crate's handlers, the background
//! sweep, the command line) holds one [`App`] and passes it to the use cases, so that
//! none of them needs to know how the others reach it.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::clock::Clock;
use vocdesk_domain::inbound::ReplyKey;
use vocdesk_domain::refund::AutoCancelPolicy;
use vocdesk_domain::throttle::{Budget, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS};
use vocdesk_mail::MailRenderer;
use vocdesk_store::{BlobStore, Store, StoreError};

use crate::off_store::LookupThrottle;
use crate::push::VapidKeys;

/// The store's policy as the use cases apply it; the binary fills it from flags and
/// environment, and the web crate's configuration holds it.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// R5: how long a customer may wait for a developer reply (72 hours unless the
    /// store configures otherwise).
    pub response_limit: SignedDuration,
    /// The address people reach the store at, for links in mail.
    pub public_url: String,
    /// R5: whether the sweep cancels overdue `refund` inquiries' purchases by itself.
    pub auto_cancel: AutoCancelPolicy,
    /// R15: the domain of reply and support addresses (`reply+TOKEN@…`,
    /// `support+SELLER@…`); mail to any other domain is not ours to receive.
    pub reply_domain: String,
    /// Item 19: how many sign-in attempts a client address and an account get, on
    /// every door and every process together. Production keeps the domain's numbers;
    /// a test suite that signs in many times from one address raises them.
    pub sign_in_budgets: SignInBudgets,
    /// Issue 13, a test setting: push endpoints on loopback (`http://127.0.0.1`) are
    /// accepted, for a push service in the test suite; never on in production.
    pub allow_loopback_push: bool,
}

/// The two budgets every sign-in attempt spends from (item 19).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInBudgets {
    /// Per client address.
    pub per_address: Budget,
    /// Per account (the email as typed).
    pub per_account: Budget,
}

impl Default for SignInBudgets {
    fn default() -> Self {
        Self { per_address: SIGN_IN_PER_ADDRESS, per_account: SIGN_IN_PER_ACCOUNT }
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            response_limit: vocdesk_domain::inquiry::DEFAULT_RESPONSE_LIMIT,
            public_url: "http://localhost:8080".to_owned(),
            auto_cancel: AutoCancelPolicy::Manual,
            reply_domain: "localhost".to_owned(),
            sign_in_budgets: SignInBudgets::default(),
            allow_loopback_push: false,
        }
    }
}

/// The application: shared by every door and every task; cheap to clone.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    blobs: BlobStore,
    mail: MailRenderer,
    clock: Arc<dyn Clock>,
    config: AppConfig,
    reply_key: ReplyKey,
    /// R9: the off-store look-ups each developer made lately (in this process).
    lookups: LookupThrottle,
    /// Issue 13: the store's VAPID key pair, shared by every process on the store.
    vapid: Arc<VapidKeys>,
}

impl App {
    /// An application over `store`, keeping attachment bytes in `blobs`, telling time
    /// by `clock`; mail links start with the configured public address. The key reply
    /// tokens are made with (R15) is the store's, created at the first start, so that
    /// every process on one database issues and recognises the same tokens.
    pub async fn open(
        store: Arc<dyn Store>,
        blobs: BlobStore,
        clock: Arc<dyn Clock>,
        config: AppConfig,
    ) -> Result<Self, StoreError> {
        let candidate: [u8; 32] = rand::random();
        let secret = store.secret("reply_key", &candidate, clock.now()).await?;
        let reply_key = ReplyKey::new(&secret)
            .ok_or_else(|| StoreError::Corrupt("reply_key is shorter than 32 bytes".to_owned()))?;
        let mail = MailRenderer::new(&config.public_url);
        let lookups = LookupThrottle::default();
        let vapid = Arc::new(VapidKeys::load(store.as_ref(), clock.now()).await?);
        Ok(Self { inner: Arc::new(Inner { store, blobs, mail, clock, config, reply_key, lookups, vapid }) })
    }

    /// R15: the key reply tokens are made and checked with.
    pub fn reply_key(&self) -> &ReplyKey {
        &self.inner.reply_key
    }

    /// Issue 13: the VAPID keys every push is signed with.
    pub fn vapid_keys(&self) -> &VapidKeys {
        &self.inner.vapid
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    /// Where attachment bytes are kept.
    pub fn blobs(&self) -> &BlobStore {
        &self.inner.blobs
    }

    /// Renders notification mail (R3) for the outbox.
    pub fn mail(&self) -> &MailRenderer {
        &self.inner.mail
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// R5: the instant before which a customer's unanswered message makes an inquiry
    /// overdue.
    pub fn overdue_cutoff(&self) -> Timestamp {
        self.now().checked_sub(self.inner.config.response_limit).unwrap_or(Timestamp::MIN)
    }

    /// The store's policy.
    pub fn config(&self) -> &AppConfig {
        &self.inner.config
    }

    /// R9: the budget of off-store look-ups, per developer.
    pub(crate) fn lookups(&self) -> &LookupThrottle {
        &self.inner.lookups
    }
}
