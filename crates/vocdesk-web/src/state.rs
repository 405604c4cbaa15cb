//! What every handler shares: the application (store, clock, mail, the store's policy)
//! that the use cases take, and what only HTTP needs: its configuration and the keys
//! that sign cookies and CSRF tokens.

use std::sync::{Arc, Weak};

use axum::body::Bytes;

use axum::extract::FromRef;
use axum_extra::extract::cookie::Key;
use jiff::{SignedDuration, Timestamp};
use vocdesk_app::{App, AppConfig};
use vocdesk_domain::clock::Clock;
use vocdesk_domain::page::Page;
use vocdesk_domain::review::Review;
use vocdesk_store::{BlobStore, Store, StoreError};

/// How the web layer behaves; the binary fills it from flags and environment.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// How long an API sign-in token lasts.
    pub api_token_ttl: SignedDuration,
    /// How long a web session lasts.
    pub session_ttl: SignedDuration,
    /// How long a payment-system token lasts.
    pub payment_token_ttl: SignedDuration,
    /// The largest JSON body the API reads.
    pub json_body_limit: usize,
    /// The largest body of a message with attachments (five files of 10 MB, and the
    /// form around them).
    pub upload_body_limit: usize,
    /// The store's policy, as the use cases apply it (response limit, public address,
    /// auto-cancel).
    pub app: AppConfig,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            api_token_ttl: SignedDuration::from_hours(24 * 30),
            session_ttl: SignedDuration::from_hours(24 * 14),
            payment_token_ttl: SignedDuration::from_hours(24 * 365),
            json_body_limit: 64 * 1024,
            upload_body_limit: vocdesk_domain::attachment::MAX_FILES * vocdesk_domain::attachment::MAX_BYTES
                + 1024 * 1024,
            app: AppConfig::default(),
        }
    }
}

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app: App,
    config: WebConfig,
    cookie_key: Key,
    csrf_key: Vec<u8>,
    review_json: ReviewJson,
}

/// The JSON of public review pages (R10), kept per page the store's cache shares: an
/// entry is served only while the store still answers the very same page (compared by
/// pointer), so a write that makes the store forget the page makes this forget its
/// JSON too, and nothing here can be staler than the store's cache.
pub struct ReviewJson {
    entries: quick_cache::sync::Cache<usize, (Weak<Page<Review>>, Bytes)>,
}

impl ReviewJson {
    fn new() -> Self {
        Self { entries: quick_cache::sync::Cache::new(20_000) }
    }

    /// The JSON of `page`, made by `render` the first time this page is seen.
    pub fn get_or_render(&self, page: &Arc<Page<Review>>, render: impl FnOnce(&Page<Review>) -> Bytes) -> Bytes {
        // The key is the page's address; the kept `Weak` holds that allocation, so no
        // other page can get the address while the entry exists.
        let key = Arc::as_ptr(page) as usize;
        if let Some((kept, json)) = self.entries.get(&key)
            && Weak::ptr_eq(&kept, &Arc::downgrade(page))
        {
            return json;
        }
        let json = render(page);
        self.entries.insert(key, (Arc::downgrade(page), json.clone()));
        json
    }
}

impl AppState {
    /// Builds the state, loading (or creating, once per database) the keys that sign
    /// cookies and CSRF tokens, so that every server process on one database agrees.
    pub async fn new(
        store: Arc<dyn Store>,
        blobs: BlobStore,
        clock: Arc<dyn Clock>,
        config: WebConfig,
    ) -> Result<Self, StoreError> {
        let now = clock.now();
        let cookie_secret = store.secret("cookie_key", &random_bytes::<64>(), now).await?;
        let csrf_key = store.secret("csrf_key", &random_bytes::<32>(), now).await?;
        let cookie_key = Key::try_from(cookie_secret.as_slice())
            .map_err(|_| StoreError::Corrupt("cookie_key is shorter than 64 bytes".to_owned()))?;
        let app = App::open(store, blobs, clock, config.app.clone()).await?;
        Ok(Self { inner: Arc::new(Inner { app, config, cookie_key, csrf_key, review_json: ReviewJson::new() }) })
    }

    /// The application the use cases take; the background sweep holds a clone of it.
    pub fn app(&self) -> &App {
        &self.inner.app
    }

    /// The JSON of public review pages, kept while the store's cache keeps the page.
    pub fn review_json(&self) -> &ReviewJson {
        &self.inner.review_json
    }

    /// The store, for the reads a page or handler makes itself.
    pub fn store(&self) -> &dyn Store {
        self.inner.app.store()
    }

    /// R5: the instant before which a customer's unanswered message makes an inquiry
    /// overdue.
    pub fn overdue_cutoff(&self) -> Timestamp {
        self.inner.app.overdue_cutoff()
    }

    /// R5: how long a customer may wait for a developer reply.
    pub fn response_limit(&self) -> SignedDuration {
        self.inner.app.config().response_limit
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> Timestamp {
        self.inner.app.now()
    }

    /// The configuration.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    pub(crate) fn csrf_key(&self) -> &[u8] {
        &self.inner.csrf_key
    }
}

impl FromRef<AppState> for Key {
    fn from_ref(state: &AppState) -> Self {
        state.inner.cookie_key.clone()
    }
}

/// Fresh random bytes from the operating system's generator.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    rand::random()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_review_json_is_served_only_for_the_very_page_the_store_still_shares() {
        let cache = ReviewJson::new();
        let page = Arc::new(Page::<Review> { items: Vec::new(), next_cursor: None });
        let first = cache.get_or_render(&page, |_| Bytes::from_static(b"first"));
        let again = cache.get_or_render(&page, |_| Bytes::from_static(b"rendered again"));
        assert_eq!((first.as_ref(), again.as_ref()), (b"first".as_ref(), b"first".as_ref()));
        // The store forgot the page (a write): an equal but new page is rendered anew,
        // even while the old one is still alive elsewhere.
        let fresh = Arc::new(Page::<Review> { items: Vec::new(), next_cursor: None });
        assert_eq!(cache.get_or_render(&fresh, |_| Bytes::from_static(b"fresh")).as_ref(), b"fresh");
        drop(page);
        assert_eq!(cache.get_or_render(&fresh, |_| Bytes::from_static(b"x")).as_ref(), b"fresh");
    }
}
