//! Fixtures for the store suite: a fresh store per test on either engine, the macro that
//! runs one test body against both, and builders for the rows most tests need.
//!
//! SQLite: a temporary directory per test, removed when the test ends.
//! PostgreSQL: a database `vocdesk_test_<uuid>` per test on the server that
//! `VOCDESK_TEST_POSTGRES_URL` names, dropped when the test ends (also when it fails).
//! Without that variable the PostgreSQL variant says it is skipped and passes, unless
//! `VOCDESK_REQUIRE_POSTGRES=1` (CI) makes the missing URL a failure.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::{SignedDuration, Timestamp};
use sqlx::{AssertSqlSafe, Connection, PgConnection, Row};
use vocdesk_domain::account::{NewUser, Seller, User};
use vocdesk_domain::audit::{AuditActor, AuditEntry, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, Item, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, ItemId, SellerId, TokenId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::money::{Currency, Money};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::purchase::{NewPurchase, PaymentIds, PurchaseStatus, PurchaseView};
use vocdesk_domain::role::{Role, TokenScope};
use vocdesk_store::{AuditFilter, NewToken, PgStore, RecordOutcome, SqliteStore, Store, TokenKind};

/// The server the PostgreSQL variants run against (an admin URL: the user may create
/// and drop databases).
pub const POSTGRES_URL_VAR: &str = "VOCDESK_TEST_POSTGRES_URL";
/// Set to `1` to make a missing [`POSTGRES_URL_VAR`] fail the PostgreSQL variants.
pub const REQUIRE_POSTGRES_VAR: &str = "VOCDESK_REQUIRE_POSTGRES";
/// Every per-test database name starts with this.
const DATABASE_PREFIX: &str = "vocdesk_test_";
/// Per-test databases older than this were left by a killed run and are dropped.
const STALE_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// Generates, from one async test body, a module with a `sqlite` and a `postgres`
/// `#[tokio::test]` that run the body against a fresh, migrated store of each engine.
///
/// `async fn name(store: &dyn Store) { ... }` receives the store;
/// `async fn name(fixture: &TestStore) { ... }` receives the fixture (to reopen it).
macro_rules! store_test {
    ($(#[$meta:meta])* async fn $name:ident($store:ident: &dyn Store) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($store: &dyn vocdesk_store::Store) $body

            #[tokio::test]
            async fn sqlite() {
                let fixture = $crate::support::TestStore::sqlite().await;
                body(fixture.store()).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(fixture) = $crate::support::TestStore::postgres(stringify!($name)).await else {
                    return;
                };
                body(fixture.store()).await;
            }
        }
    };
    ($(#[$meta:meta])* async fn $name:ident($fixture:ident: &TestStore) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($fixture: &$crate::support::TestStore) $body

            #[tokio::test]
            async fn sqlite() {
                let fixture = $crate::support::TestStore::sqlite().await;
                body(&fixture).await;
            }

            #[tokio::test]
            async fn postgres() {
                let Some(fixture) = $crate::support::TestStore::postgres(stringify!($name)).await else {
                    return;
                };
                body(&fixture).await;
            }
        }
    };
}

/// A fresh, migrated store that cleans up after itself.
pub struct TestStore {
    // Declared before `database` so that the pools close before the database goes.
    store: Arc<dyn Store>,
    database: Database,
}

enum Database {
    Sqlite(tempfile::TempDir),
    Postgres(PgDatabase),
}

impl TestStore {
    /// An embedded store in a new temporary directory.
    pub async fn sqlite() -> TestStore {
        Self::open_sqlite(true).await
    }

    /// A PostgreSQL store in a new database, or `None` (after saying so) when no server
    /// is configured and none is required.
    pub async fn postgres(test: &str) -> Option<TestStore> {
        let Some(admin_url) = std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.trim().is_empty()) else {
            if std::env::var(REQUIRE_POSTGRES_VAR).is_ok_and(|v| v.trim() == "1") {
                panic!(
                    "{POSTGRES_URL_VAR} is not set but {REQUIRE_POSTGRES_VAR}=1: the PostgreSQL store tests must run"
                );
            }
            eprintln!("skipped: {POSTGRES_URL_VAR} is not set (PostgreSQL store tests) [{test}::postgres]");
            return None;
        };
        Some(Self::open_postgres(&admin_url, true).await)
    }

    /// Another fresh store on the same engine, *not* migrated yet.
    pub async fn sibling_unmigrated(&self) -> TestStore {
        match &self.database {
            Database::Sqlite(_) => Self::open_sqlite(false).await,
            Database::Postgres(db) => Self::open_postgres(&db.admin_url, false).await,
        }
    }

    async fn open_sqlite(migrate: bool) -> TestStore {
        let dir = tempfile::tempdir().expect("create a temporary data directory");
        let store = SqliteStore::open(dir.path()).await.expect("open the SQLite store");
        if migrate {
            store.migrate().await.expect("migrate the SQLite store");
        }
        TestStore { store: Arc::new(store), database: Database::Sqlite(dir) }
    }

    async fn open_postgres(admin_url: &str, migrate: bool) -> TestStore {
        let database = PgDatabase::create(admin_url).await;
        let store = PgStore::connect(&database.url)
            .await
            .unwrap_or_else(|e| panic!("connect to test database {}: {e:?}", database.name));
        if migrate {
            store.migrate().await.expect("migrate the PostgreSQL store");
        }
        TestStore { store: Arc::new(store), database: Database::Postgres(database) }
    }

    /// The store under test.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// A second handle on the same database, as a restarted (or another) server
    /// process would open it; not migrated yet.
    pub async fn reopen(&self) -> Arc<dyn Store> {
        match &self.database {
            Database::Sqlite(dir) => Arc::new(SqliteStore::open(dir.path()).await.expect("reopen the SQLite store")),
            Database::Postgres(db) => {
                Arc::new(PgStore::connect(&db.url).await.expect("reconnect to the test database"))
            }
        }
    }
}

// The refund suite's fixtures below are not used by every suite that includes this module.

/// The SQLite store's file inside its data directory (`vocdesk_store::sqlite`).
#[allow(dead_code)]
const SQLITE_FILE: &str = "vocdesk.sqlite3";

/// The engine behind a [`TestStore`], opened directly: for facts the `Store` trait does
/// not expose (the `purchase_cancellations` ledger, query plans).
#[allow(dead_code)]
enum Raw {
    Sqlite(rusqlite::Connection),
    Postgres(PgConnection),
}

#[allow(dead_code)]
impl TestStore {
    /// Whether this is the SQLite variant.
    pub fn is_sqlite(&self) -> bool {
        matches!(self.database, Database::Sqlite(_))
    }

    async fn raw(&self) -> Raw {
        match &self.database {
            Database::Sqlite(dir) => {
                let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
                Raw::Sqlite(
                    rusqlite::Connection::open_with_flags(dir.path().join(SQLITE_FILE), flags)
                        .expect("open the SQLite file"),
                )
            }
            Database::Postgres(db) => {
                Raw::Postgres(PgConnection::connect(&db.url).await.expect("connect to the test database"))
            }
        }
    }

    /// Runs one statement past the store (to make a state only an older version wrote).
    pub async fn execute(&self, sql: &'static str) {
        match self.raw().await {
            Raw::Sqlite(_) => {
                let Database::Sqlite(dir) = &self.database else { unreachable!("a SQLite store") };
                let conn = rusqlite::Connection::open(dir.path().join(SQLITE_FILE)).expect("open the SQLite file");
                conn.busy_timeout(std::time::Duration::from_secs(5)).expect("busy timeout");
                conn.execute(sql, []).unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            }
            Raw::Postgres(mut conn) => {
                sqlx::query(sql).execute(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            }
        }
    }

    /// The one integer a query answers (`SELECT COUNT(*) ...`), read past the store.
    pub async fn count(&self, sql: &'static str) -> i64 {
        match self.raw().await {
            Raw::Sqlite(conn) => conn.query_row(sql, [], |row| row.get(0)).unwrap_or_else(|e| panic!("{sql}: {e:?}")),
            Raw::Postgres(mut conn) => {
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap_or_else(|e| panic!("{sql}: {e:?}"))
            }
        }
    }

    /// The plan the engine chooses for `sql` with these integer parameters, one line per
    /// step: SQLite's `EXPLAIN QUERY PLAN` details, or PostgreSQL's `EXPLAIN` lines with
    /// sequential scans discouraged (the test tables are tiny, and what matters is
    /// which index the planner *can* read the query through).
    pub async fn plan(&self, sql: &str, params: &[i64]) -> Vec<String> {
        match self.raw().await {
            Raw::Sqlite(conn) => {
                // The store's SQL numbers its parameters `$1`; SQLite's numbered form is `?1`.
                let explain = format!("EXPLAIN QUERY PLAN {}", sql.replace('$', "?"));
                let mut statement = conn.prepare(&explain).unwrap_or_else(|e| panic!("explain {sql}: {e:?}"));
                let details = statement
                    .query_map(rusqlite::params_from_iter(params.iter()), |row| row.get::<_, String>("detail"))
                    .unwrap_or_else(|e| panic!("explain {sql}: {e:?}"));
                details.map(|d| d.expect("a plan row")).collect()
            }
            Raw::Postgres(mut conn) => {
                sqlx::query("SET enable_seqscan = off").execute(&mut conn).await.expect("discourage sequential scans");
                let explain = format!("EXPLAIN {sql}");
                let mut query = sqlx::query(AssertSqlSafe(explain));
                for param in params {
                    query = query.bind(*param);
                }
                let rows = query.fetch_all(&mut conn).await.unwrap_or_else(|e| panic!("explain {sql}: {e:?}"));
                rows.iter().map(|row| row.get::<String, _>(0)).collect()
            }
        }
    }
}

/// An argument of a statement whose plan [`TestStore::plan_with`] shows.
#[allow(dead_code)]
#[derive(Clone, Debug)]
pub enum PlanArg {
    /// An integer.
    Int(i64),
    /// Text.
    Text(String),
}

#[allow(dead_code)]
impl TestStore {
    /// The store under test, shared: for a wrapper such as `CachedStore` that owns its
    /// inner store.
    pub fn shared(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    /// [`TestStore::plan`] for a statement whose arguments are integers and text.
    pub async fn plan_with(&self, sql: &str, args: &[PlanArg]) -> Vec<String> {
        match self.raw().await {
            Raw::Sqlite(conn) => {
                let explain = format!("EXPLAIN QUERY PLAN {}", sql.replace('$', "?"));
                let mut statement = conn.prepare(&explain).unwrap_or_else(|e| panic!("explain {sql}: {e:?}"));
                let values = args.iter().map(|arg| match arg {
                    PlanArg::Int(n) => rusqlite::types::Value::Integer(*n),
                    PlanArg::Text(s) => rusqlite::types::Value::Text(s.clone()),
                });
                let details = statement
                    .query_map(rusqlite::params_from_iter(values), |row| row.get::<_, String>("detail"))
                    .unwrap_or_else(|e| panic!("explain {sql}: {e:?}"));
                details.map(|d| d.expect("a plan row")).collect()
            }
            Raw::Postgres(mut conn) => {
                sqlx::query("SET enable_seqscan = off").execute(&mut conn).await.expect("discourage sequential scans");
                let explain = format!("EXPLAIN {sql}");
                let mut query = sqlx::query(AssertSqlSafe(explain));
                for arg in args {
                    query = match arg {
                        PlanArg::Int(n) => query.bind(*n),
                        PlanArg::Text(s) => query.bind(s.clone()),
                    };
                }
                let rows = query.fetch_all(&mut conn).await.unwrap_or_else(|e| panic!("explain {sql}: {e:?}"));
                rows.iter().map(|row| row.get::<String, _>(0)).collect()
            }
        }
    }
}

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
    let names: Vec<(String,)> = match sqlx::query_as("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
        .bind(DATABASE_PREFIX)
        .fetch_all(&mut *admin)
        .await
    {
        Ok(names) => names,
        Err(_) => return,
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

#[test]
fn with_database_replaces_only_the_path() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgresql://u:p%2F@h/db?sslmode=disable", "t2"),
        "postgresql://u:p%2F@h/t2?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h:5432", "t3"), "postgres://h:5432/t3");
}

// ----- time -----

/// A time written in RFC 3339.
pub fn ts(text: &str) -> Timestamp {
    text.parse().unwrap_or_else(|e| panic!("timestamp {text:?}: {e}"))
}

/// The suite's "now": the day vocdesk's migrations are dated.
pub fn t0() -> Timestamp {
    ts("2026-11-21T00:00:00Z")
}

/// `minutes` after [`t0`].
pub fn at_min(minutes: i64) -> Timestamp {
    t0() + SignedDuration::from_mins(minutes)
}

// ----- audit entries -----

/// An entry for a change a user made through the API; the store fills in the subject.
pub fn audit_by(user: &User, action: &str) -> AuditEntry {
    AuditEntry {
        actor: AuditActor::user(user.id.clone(), user.role),
        channel: Channel::Api,
        action: action.to_owned(),
        subject_type: String::new(),
        subject_id: String::new(),
        detail: "{}".to_owned(),
    }
}

/// An entry for a change the store's own tooling made (seeding, imports).
pub fn system_audit(action: &str) -> AuditEntry {
    AuditEntry {
        actor: AuditActor::system("store-suite"),
        channel: Channel::Cli,
        action: action.to_owned(),
        subject_type: String::new(),
        subject_id: String::new(),
        detail: "{}".to_owned(),
    }
}

/// Every audit record matching `filter`, newest first, read page by page.
pub async fn all_audit(store: &dyn Store, filter: &AuditFilter) -> Vec<AuditRecord> {
    let mut records = Vec::new();
    let mut request = PageRequest { limit: 100, after: None };
    loop {
        let page: Page<AuditRecord> = store.audit_log(filter, &request).await.expect("read the audit log");
        records.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request.after = Some(cursor),
            None => return records,
        }
    }
}

/// The audit records about one subject, newest first.
pub async fn audit_of(store: &dyn Store, subject_type: &str, subject_id: &str) -> Vec<AuditRecord> {
    let filter = AuditFilter {
        subject: Some((subject_type.to_owned(), subject_id.to_owned())),
        actor: None,
        ..Default::default()
    };
    all_audit(store, &filter).await
}

// ----- builders -----

/// Money in won.
pub fn krw(amount_minor: i64) -> Money {
    Money { amount_minor, currency: Currency::parse("currency", "KRW").expect("KRW is a currency") }
}

/// A validated account (Korean locale).
pub fn new_user(
    email: &str,
    display_name: &str,
    role: Role,
    seller_id: Option<&SellerId>,
    customer_no: Option<&str>,
) -> NewUser {
    NewUser::new(email, display_name, role, seller_id.cloned(), customer_no.map(str::to_owned), Locale::Ko)
        .unwrap_or_else(|e| panic!("valid account {email}: {e:?}"))
}

/// Creates a seller.
pub async fn make_seller(store: &dyn Store, name: &str, now: Timestamp) -> Seller {
    store
        .create_seller(name, "support@example.com", &system_audit("seller.created"), now)
        .await
        .unwrap_or_else(|e| panic!("create seller {name}: {e:?}"))
}

/// Creates an account.
pub async fn make_user(store: &dyn Store, user: &NewUser, now: Timestamp) -> User {
    store
        .create_user(user, "$argon2id$test-hash", &system_audit("user.created"), now)
        .await
        .unwrap_or_else(|e| panic!("create user {}: {e:?}", user.email))
}

/// Creates an app, paid when `price` is given.
pub async fn make_app(store: &dyn Store, seller: &SellerId, title: &str, price: Option<i64>, now: Timestamp) -> App {
    let app = NewApp::new(seller.clone(), title, "An app of the store suite.", price.map(|p| (p, "KRW")))
        .unwrap_or_else(|e| panic!("valid app {title}: {e:?}"));
    store
        .create_app(&app, &system_audit("app.created"), now)
        .await
        .unwrap_or_else(|e| panic!("create app {title}: {e:?}"))
}

/// Creates an in-app item.
pub async fn make_item(store: &dyn Store, app: &AppId, title: &str, price: i64, now: Timestamp) -> Item {
    let item = NewItem::new(app.clone(), title, price, "KRW").unwrap_or_else(|e| panic!("valid item {title}: {e:?}"));
    store
        .create_item(&item, &system_audit("item.created"), now)
        .await
        .unwrap_or_else(|e| panic!("create item {title}: {e:?}"))
}

/// A paid purchase with all three payment identifiers derived from `tid`.
pub fn purchase_of(
    customer: &User,
    app: &AppId,
    item: Option<&ItemId>,
    amount_minor: i64,
    purchased_at: Timestamp,
    tid: &str,
) -> NewPurchase {
    NewPurchase {
        customer_id: customer.id.clone(),
        app_id: app.clone(),
        item_id: item.cloned(),
        amount: krw(amount_minor),
        purchased_at,
        payment: PaymentIds {
            tid: tid.to_owned(),
            txid: Some(format!("TX{tid}")),
            receipt_no: Some(format!("RC{tid}")),
        },
        status: PurchaseStatus::Paid,
    }
}

/// Records one purchase from the payment system (by the suite's tooling) and answers
/// it as stored.
#[allow(dead_code)]
pub async fn record_purchase(store: &dyn Store, purchase: NewPurchase, at: Timestamp) -> PurchaseView {
    let tid = purchase.payment.tid.clone();
    let outcomes = store
        .record_purchases(&[purchase], &AuditActor::system("store-suite"), Channel::Cli, at)
        .await
        .unwrap_or_else(|e| panic!("record purchase {tid}: {e:?}"));
    match outcomes.into_iter().next() {
        Some(RecordOutcome::Created(view)) => view,
        other => panic!("purchase {tid} not recorded: {other:?}"),
    }
}

/// A token of `user`, valid from `created_at` for a day.
pub fn token_for(user: &User, hash: &str, kind: TokenKind, scope: TokenScope, created_at: Timestamp) -> NewToken {
    NewToken {
        id: TokenId::generate(),
        token_hash: hash.to_owned(),
        user_id: user.id.clone(),
        kind,
        scope,
        label: "sign-in".to_owned(),
        created_at,
        expires_at: created_at + SignedDuration::from_hours(24),
    }
}

/// The accounts and catalog most tests start from: two sellers with a developer each,
/// an operator, two customers, a paid app with an item for each seller.
pub struct World {
    pub seller: Seller,
    pub other_seller: Seller,
    pub developer: User,
    pub other_developer: User,
    pub operator: User,
    pub customer: User,
    pub other_customer: User,
    pub app: App,
    pub item: Item,
    pub other_app: App,
    pub other_item: Item,
}

impl World {
    /// Seeds the world at [`t0`], one minute per row.
    pub async fn seed(store: &dyn Store) -> World {
        let seller = make_seller(store, "Seller One", at_min(-60)).await;
        let other_seller = make_seller(store, "Seller Two", at_min(-59)).await;
        let developer = make_user(
            store,
            &new_user("dev1@example.com", "Dev One", Role::Developer, Some(&seller.id), None),
            at_min(-58),
        )
        .await;
        let other_developer = make_user(
            store,
            &new_user("dev2@example.com", "Dev Two", Role::Developer, Some(&other_seller.id), None),
            at_min(-57),
        )
        .await;
        let operator =
            make_user(store, &new_user("operator@example.com", "Operator", Role::Operator, None, None), at_min(-56))
                .await;
        let customer = make_user(
            store,
            &new_user("customer1@example.com", "고객 하나", Role::Customer, None, Some("C-0001")),
            at_min(-55),
        )
        .await;
        let other_customer = make_user(
            store,
            &new_user("customer2@example.com", "고객 둘", Role::Customer, None, Some("C-0002")),
            at_min(-54),
        )
        .await;
        let app = make_app(store, &seller.id, "Puzzle One", Some(1_200), at_min(-53)).await;
        let item = make_item(store, &app.id, "100 Gems", 3_300, at_min(-52)).await;
        let other_app = make_app(store, &other_seller.id, "Free Two", None, at_min(-51)).await;
        let other_item = make_item(store, &other_app.id, "No Ads", 2_500, at_min(-50)).await;
        World {
            seller,
            other_seller,
            developer,
            other_developer,
            operator,
            customer,
            other_customer,
            app,
            item,
            other_app,
            other_item,
        }
    }

    /// The operator as the actor of an import.
    pub fn importer(&self) -> AuditActor {
        AuditActor::user(self.operator.id.clone(), self.operator.role)
    }
}
