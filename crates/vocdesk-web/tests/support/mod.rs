//! The test application of the web suite (crates.io's `TestApp`, zero2prod's
//! `spawn_app`): the real [`vocdesk_web::router`] over a fresh, migrated store of either
//! engine, driven in process with `tower::ServiceExt::oneshot`, on a [`ManualClock`] the
//! test moves by hand.
//!
//! SQLite: a temporary directory per test, removed when the test ends.
//! PostgreSQL: a database `vocdesk_web_test_<uuid>` per test on the server that
//! `VOCDESK_TEST_POSTGRES_URL` names, dropped `WITH (FORCE)` when the test ends (also
//! when it fails). Without that variable the PostgreSQL variant says it is skipped and
//! passes, unless `VOCDESK_REQUIRE_POSTGRES=1` makes the missing URL a failure.
//!
//! Fixtures are written straight through the [`Store`] trait; tokens are obtained the
//! way clients obtain them, through `POST /api/v1/auth/login`.

#![allow(dead_code)]

pub mod browser;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use tower::ServiceExt;
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::clock::ManualClock;
use vocdesk_domain::ids::UserId;
use vocdesk_domain::inquiry::{Inquiry, InquiryFilter, InquiryScope};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::money::{Currency, Money};
use vocdesk_domain::outbox::QueuedMail;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy::RequestScope;
use vocdesk_domain::purchase::{NewPurchase, PaymentIds, PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::CancellationRequest;
use vocdesk_domain::review::{InboxFilter, ReviewScope};
use vocdesk_domain::role::Role;
use vocdesk_store::{AuditFilter, BlobStore, InquiryQuery, PgStore, RecordOutcome, RequestQuery, SqliteStore, Store};
use vocdesk_web::{AppState, WebConfig};

/// The server the PostgreSQL variants run against (an admin URL: the user may create
/// and drop databases).
pub const POSTGRES_URL_VAR: &str = "VOCDESK_TEST_POSTGRES_URL";
/// Set to `1` to make a missing [`POSTGRES_URL_VAR`] fail the PostgreSQL variants.
pub const REQUIRE_POSTGRES_VAR: &str = "VOCDESK_REQUIRE_POSTGRES";
/// Every per-test database name starts with this.
const DATABASE_PREFIX: &str = "vocdesk_web_test_";
/// Per-test databases older than this were left by a killed run and are dropped.
const STALE_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// Every fixture account's password.
pub const PASSWORD: &str = "fixture-password-1";

/// Its argon2 hash, computed once per test binary: hashing is slow on purpose.
pub static PASSWORD_HASH: LazyLock<String> =
    LazyLock::new(|| vocdesk_app::password::hash(PASSWORD).expect("hash the fixture password"));

/// Item 19: a configuration whose sign-in budgets (per address and per account) let a
/// test sign one account in many times at one instant of its clock; the production
/// budgets stay in force everywhere else.
pub fn many_sign_ins() -> WebConfig {
    let roomy = vocdesk_domain::throttle::Budget { burst: 1_000, period: SignedDuration::from_secs(1) };
    let mut config = WebConfig::default();
    config.app.sign_in_budgets = vocdesk_app::SignInBudgets { per_address: roomy, per_account: roomy };
    config
}

/// The suite's "now" when a test starts.
pub fn t0() -> Timestamp {
    "2026-11-21T00:00:00Z".parse().expect("a valid timestamp")
}

/// Generates, for one `async fn name(app: TestApp)` of the calling module, a module
/// `name` with a `sqlite` and a `postgres` `#[tokio::test]` that run it against a fresh
/// application on each engine:
///
/// ```ignore
/// web_test!(name);
/// async fn name(app: TestApp) { ... }
/// ```
///
/// The bodies stay ordinary functions, so rustfmt and the compiler's diagnostics treat
/// them as such. [`web_test_with!`] does the same with a [`vocdesk_web::WebConfig`].
macro_rules! web_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::support::TestApp::sqlite().await).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) = $crate::support::TestApp::postgres().await else {
                    return;
                };
                super::$name(app).await;
            }
        }
    };
}

/// [`web_test!`] with the application built on `config` (an expression evaluated in the
/// calling module, e.g. `WebConfig { auto_cancel: AutoCancelPolicy::Auto, ..Default::default() }`):
///
/// ```ignore
/// web_test_with!(name, auto_policy());
/// async fn name(app: TestApp) { ... }
/// ```
macro_rules! web_test_with {
    ($name:ident, $config:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::support::TestApp::sqlite_with($config).await).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(app) = $crate::support::TestApp::postgres_with($config).await else {
                    return;
                };
                super::$name(app).await;
            }
        }
    };
}

/// The application under test, with the store and clock behind it.
pub struct TestApp {
    /// The whole router, as `vocdesk serve` mounts it.
    pub router: Router,
    /// The state behind the router, for the background work `vocdesk serve` runs
    /// beside it (`vocdesk_app::sweep::sweep(app.state.app())`).
    pub state: AppState,
    /// The store, for seeding fixtures and checking what was (not) written.
    pub store: Arc<dyn Store>,
    /// The clock every handler reads; advance it to expire tokens.
    pub clock: Arc<ManualClock>,
    /// The configuration the state was built with.
    pub config: WebConfig,
    /// The engine this variant was built on, as `/healthz` should name it.
    pub engine: &'static str,
    // Last, so that the store's pools close before the database goes.
    _database: Database,
}

/// Opens and migrates the embedded store in `dir`, as `vocdesk serve` does at start.
async fn open_sqlite(dir: &std::path::Path) -> Arc<dyn Store> {
    let store = SqliteStore::open(dir).await.expect("open the SQLite store");
    store.migrate().await.expect("migrate the SQLite store");
    Arc::new(store)
}

/// Connects to and migrates the test's PostgreSQL database.
async fn connect_postgres(database: &PgDatabase) -> Arc<dyn Store> {
    let store = PgStore::connect(&database.url)
        .await
        .unwrap_or_else(|e| panic!("connect to test database {}: {e:?}", database.name));
    store.migrate().await.expect("migrate the PostgreSQL store");
    Arc::new(store)
}

enum Database {
    Sqlite(tempfile::TempDir),
    /// The database, and the data directory that keeps attachment files.
    Postgres(PgDatabase, tempfile::TempDir),
    /// Another application's database, which that application removes
    /// ([`TestApp::twin`]), and its data directory.
    Shared(std::path::PathBuf),
}

impl TestApp {
    /// The application over an embedded store in a new temporary directory.
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(WebConfig::default()).await
    }

    /// [`TestApp::sqlite`] with this configuration.
    pub async fn sqlite_with(config: WebConfig) -> TestApp {
        let dir = tempfile::tempdir().expect("create a temporary data directory");
        let store = open_sqlite(dir.path()).await;
        let blobs = BlobStore::in_data_dir(dir.path());
        let clock = Arc::new(ManualClock::new(t0()));
        Self::build(store, blobs, Database::Sqlite(dir), "sqlite", clock, config).await
    }

    /// The application over a PostgreSQL store in a new database, or `None` (after
    /// saying so) when no server is configured and none is required.
    pub async fn postgres() -> Option<TestApp> {
        Self::postgres_with(WebConfig::default()).await
    }

    /// [`TestApp::postgres`] with this configuration.
    pub async fn postgres_with(config: WebConfig) -> Option<TestApp> {
        let Some(admin_url) = std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.trim().is_empty()) else {
            if std::env::var(REQUIRE_POSTGRES_VAR).is_ok_and(|v| v.trim() == "1") {
                panic!("{POSTGRES_URL_VAR} is not set but {REQUIRE_POSTGRES_VAR}=1: the PostgreSQL web tests must run");
            }
            eprintln!("skipped: {POSTGRES_URL_VAR} is not set");
            return None;
        };
        let database = PgDatabase::create(&admin_url).await;
        let store = connect_postgres(&database).await;
        let files = tempfile::tempdir().expect("create a temporary data directory");
        let blobs = BlobStore::in_data_dir(files.path());
        let clock = Arc::new(ManualClock::new(t0()));
        Some(Self::build(store, blobs, Database::Postgres(database, files), "postgresql", clock, config).await)
    }

    async fn build(
        store: Arc<dyn Store>,
        blobs: BlobStore,
        database: Database,
        engine: &'static str,
        clock: Arc<ManualClock>,
        config: WebConfig,
    ) -> TestApp {
        // `VOCDESK_TEST_CACHED_STORE=1` runs the suite through the cache that `vocdesk
        // serve` puts in front of the store.
        let store: Arc<dyn Store> = if std::env::var("VOCDESK_TEST_CACHED_STORE").is_ok_and(|v| v.trim() == "1") {
            Arc::new(vocdesk_store::CachedStore::new(store, vocdesk_store::DEFAULT_CACHE_TTL))
        } else {
            store
        };
        let state =
            AppState::new(store.clone(), blobs, clock.clone(), config.clone()).await.expect("build the app state");
        TestApp { router: vocdesk_web::router(state.clone()), state, store, clock, config, engine, _database: database }
    }

    /// A real restart, as after the process was killed and started again: the router,
    /// the state and the store (with every pooled connection) are dropped, and new
    /// ones are opened and migrated over the same database and data directory. Only
    /// the clock carries over, since time does not stop for a restart. Whatever a
    /// restart loses (anything held in memory) is lost here too.
    pub async fn restart(self) -> TestApp {
        let config = self.config.clone();
        self.restart_with(config).await
    }

    /// [`TestApp::restart`] with another configuration (a store changing its policy).
    pub async fn restart_with(self, config: WebConfig) -> TestApp {
        let TestApp { router, state, store, clock, config: _, engine, _database: database } = self;
        drop(router);
        drop(state);
        drop(store);
        // Let the pools' connections finish closing before the database is opened again.
        tokio::task::yield_now().await;
        let (store, files) = match &database {
            Database::Sqlite(dir) => (open_sqlite(dir.path()).await, dir.path().to_owned()),
            Database::Postgres(pg, files) => (connect_postgres(pg).await, files.path().to_owned()),
            Database::Shared(_) => panic!("restart the first application, not its twin"),
        };
        let blobs = BlobStore::in_data_dir(&files);
        Self::build(store, blobs, database, engine, clock, config).await
    }

    /// A second server process over the same database: its own store connections,
    /// state and router (as `vocdesk serve` started twice on one PostgreSQL, or on one
    /// SQLite file), on the same clock and configuration. Drop it before `self`.
    pub async fn twin(&self) -> TestApp {
        let (store, files) = match &self._database {
            Database::Sqlite(dir) => (open_sqlite(dir.path()).await, dir.path().to_owned()),
            Database::Postgres(pg, files) => (connect_postgres(pg).await, files.path().to_owned()),
            Database::Shared(_) => panic!("a twin of a twin: make it from the first application"),
        };
        let blobs = BlobStore::in_data_dir(&files);
        Self::build(store, blobs, Database::Shared(files), self.engine, self.clock.clone(), self.config.clone()).await
    }

    /// Now, by the application's clock.
    pub fn now(&self) -> Timestamp {
        use vocdesk_domain::clock::Clock;
        self.clock.now()
    }

    // ----- requests -----

    /// Sends one request through the router.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.expect("the router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("read the response body").to_bytes();
        TestResponse { status, headers, body }
    }

    /// `GET path`, with a bearer token when given.
    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send(req(Method::GET, path).bearer(token).empty()).await
    }

    /// `POST path` with a JSON body, with a bearer token when given.
    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> TestResponse {
        self.send(req(Method::POST, path).bearer(token).json(body)).await
    }

    /// Signs in through the API and returns the bearer token.
    pub async fn login(&self, email: &str) -> String {
        let response =
            self.post_json("/api/v1/auth/login", None, &json!({ "email": email, "password": PASSWORD })).await;
        assert_eq!(response.status, StatusCode::OK, "sign in as {email}: {}", response.text());
        response.json()["token"].as_str().expect("a token").to_owned()
    }

    /// Has an operator issue a payment-system token (`POST /api/v1/auth/tokens`).
    pub async fn payment_system_token(&self, operator_token: &str, label: &str) -> String {
        let response = self.post_json("/api/v1/auth/tokens", Some(operator_token), &json!({ "label": label })).await;
        assert_eq!(response.status, StatusCode::CREATED, "issue a payment-system token: {}", response.text());
        response.json()["token"].as_str().expect("a token").to_owned()
    }

    // ----- fixtures, through the store -----

    fn audit(&self, action: &str) -> AuditEntry {
        AuditEntry {
            actor: AuditActor::system("test-fixture"),
            channel: Channel::Cli,
            action: action.to_owned(),
            subject_type: String::new(),
            subject_id: String::new(),
            detail: "{}".to_owned(),
        }
    }

    /// A seller.
    pub async fn seller(&self, name: &str) -> Seller {
        let support = format!("support@{}.example", name.to_lowercase().replace(' ', "-"));
        self.store
            .create_seller(name, &support, &self.audit("seller.created"), self.now())
            .await
            .expect("create seller")
    }

    /// An account with the fixture password.
    pub async fn user(&self, email: &str, role: Role, seller: Option<&Seller>, customer_no: Option<&str>) -> User {
        let new = NewUser::new(
            email,
            email.split('@').next().unwrap_or(email),
            role,
            seller.map(|s| s.id.clone()),
            customer_no.map(str::to_owned),
            Locale::Ko,
        )
        .expect("a valid user");
        self.store
            .create_user(&new, &PASSWORD_HASH, &self.audit("user.created"), self.now())
            .await
            .expect("create user")
    }

    /// An app, listed one minute after the previous one so that "newest first" is
    /// decided by time, not by id.
    pub async fn app(&self, seller: &Seller, title: &str, price_krw: Option<i64>) -> App {
        self.clock.advance(SignedDuration::from_mins(1));
        let new = NewApp::new(seller.id.clone(), title, "An app of the test suite.", price_krw.map(|p| (p, "KRW")))
            .expect("a valid app");
        self.store.create_app(&new, &self.audit("app.created"), self.now()).await.expect("create app")
    }

    /// An in-app item.
    pub async fn item(&self, app: &App, title: &str, price_krw: i64) -> Item {
        let new = NewItem::new(app.id.clone(), title, price_krw, "KRW").expect("a valid item");
        self.store.create_item(&new, &self.audit("item.created"), self.now()).await.expect("create item")
    }

    /// A purchase, recorded as the payment-system import would.
    pub async fn purchase(
        &self,
        customer: &User,
        app: &App,
        item: Option<&Item>,
        amount_krw: i64,
        tid: &str,
        at: &str,
    ) -> PurchaseView {
        let new = NewPurchase {
            customer_id: customer.id.clone(),
            app_id: app.id.clone(),
            item_id: item.map(|i| i.id.clone()),
            amount: Money { amount_minor: amount_krw, currency: Currency::parse("currency", "KRW").expect("KRW") },
            purchased_at: at.parse().expect("a purchase time"),
            payment: PaymentIds {
                tid: tid.to_owned(),
                txid: Some(format!("TX-{tid}")),
                receipt_no: Some(format!("R-{tid}")),
            },
            status: PurchaseStatus::Paid,
        };
        let mut outcomes = self
            .store
            .record_purchases(&[new], &AuditActor::system("test-fixture"), Channel::Cli, self.now())
            .await
            .expect("record purchase");
        match outcomes.pop() {
            Some(RecordOutcome::Created(view)) => view,
            other => panic!("fixture purchase {tid} not created: {other:?}"),
        }
    }

    /// The standard cast: two sellers with a developer each, an operator, two customers,
    /// a paid app with an item (seller 1), a free app with an item (seller 2), and
    /// purchases of both sellers' apps by both customers.
    pub async fn seed(&self) -> Fixture {
        let seller1 = self.seller("Seller One").await;
        let seller2 = self.seller("Seller Two").await;
        let operator = self.user("operator@example.com", Role::Operator, None, None).await;
        let dev1 = self.user("dev1@example.com", Role::Developer, Some(&seller1), None).await;
        let dev2 = self.user("dev2@example.com", Role::Developer, Some(&seller2), None).await;
        let customer1 = self.user("customer1@example.com", Role::Customer, None, Some("C-0001")).await;
        let customer2 = self.user("customer2@example.com", Role::Customer, None, Some("C-0002")).await;
        let paid_app = self.app(&seller1, "Paid Puzzle", Some(1_200)).await;
        let paid_item = self.item(&paid_app, "Hint pack", 500).await;
        let free_app = self.app(&seller2, "Free Notes", None).await;
        let free_item = self.item(&free_app, "Theme", 1_000).await;
        let c1_paid = self.purchase(&customer1, &paid_app, None, 1_200, "T-C1-PAID", "2026-11-01T10:00:00Z").await;
        let c1_item =
            self.purchase(&customer1, &paid_app, Some(&paid_item), 500, "T-C1-ITEM", "2026-11-02T10:00:00Z").await;
        let c1_free = self.purchase(&customer1, &free_app, None, 0, "T-C1-FREE", "2026-11-03T10:00:00Z").await;
        let c2_paid = self.purchase(&customer2, &paid_app, None, 1_200, "T-C2-PAID", "2026-11-04T10:00:00Z").await;
        let c2_free = self.purchase(&customer2, &free_app, None, 0, "T-C2-FREE", "2026-11-05T10:00:00Z").await;
        Fixture {
            seller1,
            seller2,
            operator,
            dev1,
            dev2,
            customer1,
            customer2,
            paid_app,
            paid_item,
            free_app,
            free_item,
            customer1_purchases: vec![c1_paid, c1_item, c1_free],
            customer2_purchases: vec![c2_paid, c2_free],
        }
    }

    // ----- what the store holds -----

    /// Every audit entry, newest first.
    pub async fn audit_log(&self) -> Vec<AuditRecord> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        loop {
            let got = self.store.audit_log(&AuditFilter::default(), &page).await.expect("read the audit log");
            out.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// A customer's purchases, newest first.
    pub async fn purchases_of(&self, customer: &UserId) -> Vec<PurchaseView> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        loop {
            let got = self.store.purchases_of_customer(customer, &page).await.expect("read purchases");
            out.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// How much is stored: audit entries, and purchases of the fixture's customers.
    /// A refused or malformed request must leave both unchanged.
    pub async fn counts(&self, fixture: &Fixture) -> Counts {
        let inquiries = self.all_inquiries().await;
        let mut messages = 0;
        let mut attachments = 0;
        for inquiry in &inquiries {
            let thread = self.store.thread(&inquiry.id).await.expect("read a thread").expect("the thread exists");
            messages += thread.messages.len();
            attachments += thread.messages.iter().map(|m| m.attachments.len()).sum::<usize>();
        }
        let mut purchases = self.purchases_of(&fixture.customer1.id).await;
        purchases.extend(self.purchases_of(&fixture.customer2.id).await);
        Counts {
            audit_entries: self.audit_log().await.len(),
            purchases: purchases.len(),
            cancelled_purchases: purchases.iter().filter(|p| p.purchase.status == PurchaseStatus::Cancelled).count(),
            cancellation_requests: self.cancellation_requests().await.len(),
            inquiries: inquiries.len(),
            messages,
            attachments,
            outbox: self.outbox().await.len(),
            files: self.blob_files(),
            reviews: self.reviews().await,
            open_reports: self.open_reports().await,
            templates: self.store.reply_templates(&fixture.seller1.id).await.expect("templates").len()
                + self.store.reply_templates(&fixture.seller2.id).await.expect("templates").len(),
            ratings: [self.rating_of(&fixture.paid_app).await, self.rating_of(&fixture.free_app).await],
        }
    }

    /// R10-R12: every review not deleted (hidden ones too), as a comparable fingerprint:
    /// id, stars, text, hidden, reply text, reply outdated, reply hidden.
    pub async fn reviews(&self) -> Vec<ReviewPrint> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        loop {
            let got = self
                .store
                .review_inbox(&ReviewScope::All, &InboxFilter::default(), &page)
                .await
                .expect("read the reviews");
            out.extend(got.items.iter().map(|r| ReviewPrint {
                id: r.id.0.clone(),
                stars: r.stars.get(),
                text: r.text.clone(),
                hidden: r.hidden.is_some(),
                reply: r.reply.as_ref().map(|reply| (reply.text.clone(), reply.outdated, reply.hidden.is_some())),
            }));
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// R12: open reports in the moderation queue, summed over its items.
    pub async fn open_reports(&self) -> i64 {
        let page = PageRequest { limit: 100, after: None };
        self.store.moderation_queue(&page).await.expect("queue").items.iter().map(|i| i.open_reports).sum()
    }

    /// R13: an app's per-star counters as the store holds them now.
    pub async fn rating_of(&self, app: &App) -> [i64; 5] {
        self.store.app(&app.id).await.expect("read the app").expect("the app exists").rating.histogram
    }

    /// Every inquiry, in inbox order, read through the store.
    pub async fn all_inquiries(&self) -> Vec<Inquiry> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        let query =
            InquiryQuery { scope: InquiryScope::All, filter: InquiryFilter::default(), overdue_cutoff: self.now() };
        loop {
            let got = self.store.list_inquiries(&query, &page).await.expect("list inquiries");
            out.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// Every queued mail, newest first.
    pub async fn outbox(&self) -> Vec<QueuedMail> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        loop {
            let got = self.store.outbox(None, &page).await.expect("read the outbox");
            out.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// The data directory (attachment files live in its `attachments/`).
    pub fn data_dir(&self) -> &std::path::Path {
        match &self._database {
            Database::Sqlite(dir) | Database::Postgres(_, dir) => dir.path(),
            Database::Shared(dir) => dir,
        }
    }

    /// How many attachment files the data directory keeps.
    pub fn blob_files(&self) -> usize {
        fn count(dir: &std::path::Path) -> usize {
            let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
            entries.filter_map(Result::ok).map(|e| if e.path().is_dir() { count(&e.path()) } else { 1 }).sum()
        }
        count(&self.data_dir().join("attachments"))
    }

    /// Every cancellation request (R8/R9), oldest first.
    pub async fn cancellation_requests(&self) -> Vec<CancellationRequest> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        let query = RequestQuery { scope: RequestScope::All, status: None };
        loop {
            let got = self.store.cancellation_requests(&query, &page).await.expect("list cancellation requests");
            out.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// The audit entries `filter` selects, newest first.
    pub async fn audit_where(&self, filter: &AuditFilter) -> Vec<AuditRecord> {
        let mut out = Vec::new();
        let mut page = PageRequest { limit: 100, after: None };
        loop {
            let got = self.store.audit_log(filter, &page).await.expect("read the audit log");
            out.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => return out,
            }
        }
    }

    /// How many audit entries record `action`.
    pub async fn audited(&self, action: &str) -> usize {
        self.audit_log().await.iter().filter(|r| r.entry.action == action).count()
    }

    /// How many queued mails are of `kind` (`purchase_cancelled`, ...).
    pub async fn mails_of_kind(&self, kind: &str) -> Vec<QueuedMail> {
        self.outbox().await.into_iter().filter(|m| m.mail.kind.as_str() == kind).collect()
    }

    /// One purchase as the store now holds it.
    pub async fn purchase_now(&self, purchase: &PurchaseView) -> PurchaseView {
        self.store.purchase(&purchase.purchase.id).await.expect("read a purchase").expect("the purchase exists")
    }

    /// R8: customer 1 (signed in as `token`) asks seller 1 for a refund of `purchase`
    /// (one of their purchases of the paid app) through the API, consenting (R7) or
    /// not; returns the thread.
    pub async fn ask_refund(&self, token: &str, fixture: &Fixture, purchase: &PurchaseView, consent: bool) -> Value {
        let body = json!({
            "category": "refund",
            "subject": "환불 요청합니다",
            "body": "실수로 구매했습니다. 환불해 주세요.",
            "purchase_id": purchase.purchase.id.0,
            "consent_personal_info": consent,
        });
        self.ask(token, &fixture.paid_app, &body).await
    }

    /// R8: `token` submits a cancellation request for `purchase_id` from `inquiry_id`
    /// (`POST /api/v1/purchases/{id}/cancellation-requests`), with an `Idempotency-Key`
    /// when given; the response as it came.
    pub async fn submit_request(
        &self,
        token: &str,
        purchase_id: &str,
        inquiry_id: &str,
        reason: &str,
        key: Option<&str>,
    ) -> TestResponse {
        let path = format!("/api/v1/purchases/{purchase_id}/cancellation-requests");
        let mut request = req(Method::POST, &path).bearer(Some(token));
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        self.send(request.json(&json!({ "inquiry_id": inquiry_id, "reason": reason }))).await
    }

    /// R8 from the start: customer 1 asks a refund of their paid-app purchase with
    /// consent and dev1 submits the request; returns `(inquiry id, request)`.
    pub async fn open_request(&self, fixture: &Fixture) -> (String, Value) {
        let c1 = self.login("customer1@example.com").await;
        let dev1 = self.login("dev1@example.com").await;
        let purchase = &fixture.customer1_purchases[0];
        let thread = self.ask_refund(&c1, fixture, purchase, true).await;
        let inquiry_id = thread["id"].as_str().expect("an inquiry id").to_owned();
        let response =
            self.submit_request(&dev1, &purchase.purchase.id.0, &inquiry_id, "고객과 환불에 합의했습니다.", None).await;
        assert_eq!(response.status, StatusCode::CREATED, "submit a request: {}", response.text());
        (inquiry_id, response.json())
    }

    /// A customer asks about an app through the API (JSON body); returns the thread.
    pub async fn ask(&self, token: &str, app: &App, body: &Value) -> Value {
        let response = self.post_json(&format!("/api/v1/apps/{}/inquiries", app.id), Some(token), body).await;
        assert_eq!(response.status, StatusCode::CREATED, "ask about {}: {}", app.title, response.text());
        response.json()
    }

    /// One side writes `text` to inquiry `id` through the API; returns `{inquiry, message}`.
    pub async fn write(&self, token: &str, id: &str, text: &str) -> Value {
        let path = format!("/api/v1/inquiries/{id}/messages");
        let response = self.post_json(&path, Some(token), &json!({ "body": text })).await;
        assert_eq!(response.status, StatusCode::CREATED, "write to {id}: {}", response.text());
        response.json()
    }
}

/// What [`TestApp::counts`] saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Rows in the audit log.
    pub audit_entries: usize,
    /// Purchases of the fixture's customers.
    pub purchases: usize,
    /// Of those, the cancelled ones (R5/R8).
    pub cancelled_purchases: usize,
    /// Cancellation requests (R8/R9), whatever their status.
    pub cancellation_requests: usize,
    /// Inquiries (R1).
    pub inquiries: usize,
    /// Messages of every inquiry.
    pub messages: usize,
    /// Attachment rows of every message.
    pub attachments: usize,
    /// Queued mail (R3).
    pub outbox: usize,
    /// Attachment files in the data directory.
    pub files: usize,
    /// Every review with its reply (R10, R11).
    pub reviews: Vec<ReviewPrint>,
    /// Open reports (R12).
    pub open_reports: i64,
    /// Saved replies of both sellers.
    pub templates: usize,
    /// R13 counters of the paid and the free app.
    pub ratings: [[i64; 5]; 2],
}

/// What [`TestApp::reviews`] compares of one review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewPrint {
    pub id: String,
    pub stars: u8,
    pub text: Option<String>,
    pub hidden: bool,
    pub reply: Option<(String, bool, bool)>,
}

/// A minimal valid PNG (1x1).
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// One part of a `multipart/form-data` body.
pub enum Part<'a> {
    /// A text field.
    Field(&'a str, &'a str),
    /// A file: part name, file name, declared content type, bytes.
    File(&'a str, &'a str, &'a str, &'a [u8]),
}

/// The boundary [`RequestBuilder::multipart`] uses.
pub const BOUNDARY: &str = "----vocdesk-test-boundary-7MA4YWxkTrZu0gW";

/// Encodes `parts` as a `multipart/form-data` body with [`BOUNDARY`].
pub fn multipart_body(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match part {
            Part::Field(name, value) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(value.as_bytes());
            }
            Part::File(name, filename, content_type, bytes) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                         Content-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// One part of a [`MultipartForm`]: its name, the file name and type of a file, the bytes.
type OwnedPart = (String, Option<(String, String)>, Vec<u8>);

/// A multipart form built field by field, owning what it holds (the pages' forms).
#[derive(Default)]
pub struct MultipartForm {
    parts: Vec<OwnedPart>,
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &str, value: &str) -> Self {
        self.parts.push((name.to_owned(), None, value.as_bytes().to_vec()));
        self
    }

    /// Adds a file.
    pub fn file(mut self, name: &str, filename: &str, content_type: &str, data: &[u8]) -> Self {
        self.parts.push((name.to_owned(), Some((filename.to_owned(), content_type.to_owned())), data.to_vec()));
        self
    }

    /// The body, encoded by [`multipart_body`].
    pub fn body(&self) -> Vec<u8> {
        let parts: Vec<Part<'_>> = self
            .parts
            .iter()
            .map(|(name, file, data)| match file {
                Some((filename, content_type)) => Part::File(name, filename, content_type, data),
                None => Part::Field(name, std::str::from_utf8(data).unwrap_or_default()),
            })
            .collect();
        multipart_body(&parts)
    }
}

/// The rows [`TestApp::seed`] wrote.
pub struct Fixture {
    pub seller1: Seller,
    pub seller2: Seller,
    pub operator: User,
    pub dev1: User,
    pub dev2: User,
    pub customer1: User,
    pub customer2: User,
    /// Seller 1's paid app (₩1,200).
    pub paid_app: App,
    /// An item of the paid app (₩500).
    pub paid_item: Item,
    /// Seller 2's free app.
    pub free_app: App,
    /// An item of the free app (₩1,000).
    pub free_item: Item,
    /// Oldest first: paid app, paid item, free app.
    pub customer1_purchases: Vec<PurchaseView>,
    /// Oldest first: paid app, free app.
    pub customer2_purchases: Vec<PurchaseView>,
}

/// A valid `POST /api/v1/purchases` body for customer 1 buying the paid app.
pub fn purchase_body(fixture: &Fixture, tid: &str) -> Value {
    json!({
        "customer_id": fixture.customer1.id.0,
        "app_id": fixture.paid_app.id.0,
        "amount_minor": 1200,
        "currency": "KRW",
        "purchased_at": "2026-11-20T09:30:00+09:00",
        "tid": tid,
        "txid": format!("TX-{tid}"),
        "receipt_no": format!("R-{tid}"),
    })
}

/// Ids as strings, for comparing lists.
pub fn ids(values: &[Value]) -> Vec<String> {
    values.iter().map(|v| v["id"].as_str().expect("every object carries an id").to_owned()).collect()
}

// ----- requests -----

/// Starts a request.
pub fn req(method: Method, path: &str) -> RequestBuilder {
    RequestBuilder { inner: Request::builder().method(method).uri(path) }
}

/// A thin wrapper over [`axum::http::request::Builder`] with the headers tests use.
pub struct RequestBuilder {
    inner: axum::http::request::Builder,
}

impl RequestBuilder {
    /// Adds a header.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.inner = self.inner.header(name.as_ref(), value.as_ref());
        self
    }

    /// `Authorization: Bearer <token>` when a token is given.
    pub fn bearer(self, token: Option<&str>) -> Self {
        match token {
            Some(token) => self.header(header::AUTHORIZATION.as_str(), format!("Bearer {token}")),
            None => self,
        }
    }

    /// Item 19: the connection's peer address, as `vocdesk serve` records it
    /// (`ConnectInfo`); without it a request counts as coming from localhost.
    pub fn peer(mut self, address: &str) -> Self {
        let address: std::net::SocketAddr = address.parse().expect("a socket address such as 203.0.113.7:4000");
        self.inner = self.inner.extension(axum::extract::ConnectInfo(address));
        self
    }

    /// `Cookie: a=1; b=2` from `(name, value)` pairs.
    pub fn cookies(self, cookies: &[(&str, &str)]) -> Self {
        if cookies.is_empty() {
            return self;
        }
        let value = cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ");
        self.header(header::COOKIE.as_str(), value)
    }

    /// No body.
    pub fn empty(self) -> Request<Body> {
        self.inner.body(Body::empty()).expect("a valid request")
    }

    /// A JSON body with `Content-Type: application/json`.
    pub fn json(self, body: &Value) -> Request<Body> {
        self.header(header::CONTENT_TYPE.as_str(), "application/json").raw(body.to_string())
    }

    /// An `application/x-www-form-urlencoded` body from pairs.
    pub fn form(self, pairs: &[(&str, &str)]) -> Request<Body> {
        let body =
            pairs.iter().map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v))).collect::<Vec<_>>().join("&");
        self.header(header::CONTENT_TYPE.as_str(), "application/x-www-form-urlencoded").raw(body)
    }

    /// A `multipart/form-data` body of `parts`.
    pub fn multipart(self, parts: &[Part<'_>]) -> Request<Body> {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.header(header::CONTENT_TYPE.as_str(), content_type).raw(multipart_body(parts))
    }

    /// A `multipart/form-data` body built with [`MultipartForm`].
    pub fn multipart_form(self, form: MultipartForm) -> Request<Body> {
        let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
        self.header(header::CONTENT_TYPE.as_str(), content_type).raw(form.body())
    }

    /// Exactly these bytes, with whatever headers were set.
    pub fn raw(self, body: impl Into<Bytes>) -> Request<Body> {
        self.inner.body(Body::from(body.into())).expect("a valid request")
    }
}

/// Percent-encodes a form value.
pub fn form_encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A response, read in full.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header's value as text.
    pub fn header(&self, name: impl header::AsHeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok())
    }

    /// The value a `Set-Cookie` header of this response gives cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .filter_map(|pair| pair.split_once('='))
            .find(|(n, _)| n.trim() == name)
            .map(|(_, v)| v.trim().to_owned())
    }

    /// Asserts an RFC 9457 problem document with this status and code, and returns it.
    #[track_caller]
    pub fn assert_problem(&self, status: StatusCode, code: &str) -> Value {
        assert_eq!(self.status, status, "status; body: {}", self.text());
        assert_eq!(
            self.header(header::CONTENT_TYPE),
            Some("application/problem+json"),
            "content type of a {status} problem; body: {}",
            self.text()
        );
        let problem = self.json();
        assert_eq!(problem["status"], json!(status.as_u16()), "problem status: {problem}");
        assert_eq!(problem["code"], json!(code), "problem code: {problem}");
        assert_eq!(problem["type"], json!(format!("https://vocdesk.dev/problems/{code}")), "problem type: {problem}");
        assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()), "a title: {problem}");
        problem
    }

    /// Asserts a 401 with the bearer challenge.
    #[track_caller]
    pub fn assert_unauthenticated(&self) {
        self.assert_problem(StatusCode::UNAUTHORIZED, "unauthenticated");
        let challenge = self.header(header::WWW_AUTHENTICATE).unwrap_or_default();
        assert!(challenge.starts_with("Bearer"), "WWW-Authenticate: {challenge:?}");
    }

    /// Asserts an HTML page with this status, and returns its text.
    #[track_caller]
    pub fn assert_html(&self, status: StatusCode) -> String {
        assert_eq!(self.status, status, "status; body: {}", self.text());
        let content_type = self.header(header::CONTENT_TYPE).unwrap_or_default();
        assert!(content_type.starts_with("text/html"), "content type {content_type:?}");
        self.text()
    }

    /// Asserts a `303 See Other` to `location`.
    #[track_caller]
    pub fn assert_see_other(&self, location: &str) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "status; body: {}", self.text());
        assert_eq!(self.header(header::LOCATION), Some(location), "Location");
    }
}

// ----- PostgreSQL databases -----

/// A database created for one test and dropped with it.
struct PgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

static STALE_SWEPT: AtomicBool = AtomicBool::new(false);

impl PgDatabase {
    async fn create(admin_url: &str) -> PgDatabase {
        let mut admin =
            PgConnection::connect(admin_url).await.unwrap_or_else(|e| panic!("connect to {POSTGRES_URL_VAR}: {e:?}"));
        if !STALE_SWEPT.swap(true, Ordering::SeqCst) {
            drop_stale_databases(&mut admin).await;
        }
        let name = format!("{DATABASE_PREFIX}{}", uuid::Uuid::now_v7().simple());
        // The name is our own prefix and hex digits: nothing to escape.
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("create test database {name}: {e:?}"));
        let _ = admin.close().await;
        PgDatabase { admin_url: admin_url.to_owned(), url: with_database(admin_url, &name), name }
    }
}

impl Drop for PgDatabase {
    /// Drops the database on a thread with its own runtime: the test's runtime may be
    /// the one dropping us (also while a failed test unwinds), and cannot block on itself.
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        let outcome = std::thread::spawn(move || -> Result<(), String> {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let mut admin = PgConnection::connect(&admin_url).await.map_err(|e| e.to_string())?;
                drop_database(&mut admin, &name).await?;
                let _ = admin.close().await;
                Ok(())
            })
        })
        .join();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("warning: could not drop test database {}: {e}", self.name),
            Err(_) => eprintln!("warning: dropping test database {} panicked", self.name),
        }
    }
}

async fn drop_database(admin: &mut PgConnection, name: &str) -> Result<(), String> {
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")))
        .execute(admin)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Drops per-test databases that a killed run (no destructor ran) left more than a day
/// ago; the UUIDv7 in the name says when it was created. Best effort.
async fn drop_stale_databases(admin: &mut PgConnection) {
    let Ok(names) = sqlx::query_as::<_, (String,)>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
        .bind(DATABASE_PREFIX)
        .fetch_all(&mut *admin)
        .await
    else {
        return;
    };
    let cutoff = Timestamp::now() - STALE_AFTER;
    for (name,) in names {
        let created = name
            .strip_prefix(DATABASE_PREFIX)
            .filter(|hex| hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|hex| i64::from_str_radix(&hex[..12], 16).ok())
            .and_then(|ms| Timestamp::from_millisecond(ms).ok());
        if created.is_some_and(|at| at < cutoff) {
            let _ = drop_database(admin, &name).await;
        }
    }
}

/// The same server URL with another database: `postgres://u@h:5432/postgres?x=y` →
/// `postgres://u@h:5432/<name>?x=y`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}
