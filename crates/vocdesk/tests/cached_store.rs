//! `CachedStore`, the cache `vocdesk serve` puts in front of the store: this process's
//! writes show at once, another process's within the TTL (a revoked token stops
//! working everywhere), and a token's own expiry is exact even when its grant is cached.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::SignedDuration;
use vocdesk_domain::account::{NewUser, User};
use vocdesk_domain::audit::{AuditActor, AuditEntry, Channel};
use vocdesk_domain::catalog::{NewApp, NewItem};
use vocdesk_domain::ids::{SellerId, TokenId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::role::{Role, TokenScope};
use vocdesk_store::{Acting, CachedStore, NewToken, PgStore, Store, TokenKind};

fn audit(action: &str) -> AuditEntry {
    AuditEntry {
        actor: AuditActor::system("cache-test"),
        channel: Channel::Cli,
        action: action.to_owned(),
        subject_type: String::new(),
        subject_id: String::new(),
        detail: "{}".to_owned(),
    }
}

async fn operator(store: &dyn Store, email: &str) -> User {
    let new = NewUser {
        email: email.to_owned(),
        display_name: "Ops".to_owned(),
        role: Role::Operator,
        seller_id: None,
        customer_no: None,
        locale: Locale::Ko,
    };
    store.create_user(&new, "not-a-real-hash", &audit("user.created"), common::now()).await.expect("create user")
}

/// Stores a token of `user` valid for `valid_for` from [`common::now`]; answers its hash.
async fn token(store: &dyn Store, user: &User, hash: &str, valid_for: SignedDuration) -> String {
    let now = common::now();
    let token = NewToken {
        id: TokenId::generate(),
        token_hash: hash.to_owned(),
        user_id: user.id.clone(),
        kind: TokenKind::Api,
        scope: TokenScope::Full,
        label: "cache test".to_owned(),
        created_at: now,
        expires_at: now + valid_for,
    };
    store.insert_token(&token, &audit("token.issued")).await.expect("insert token");
    hash.to_owned()
}

fn cached(store: &Arc<dyn Store>, ttl: Duration) -> CachedStore {
    CachedStore::new(Arc::clone(store), ttl)
}

#[tokio::test]
async fn a_token_revoked_by_one_process_stops_working_in_another_within_the_ttl() {
    let Some(database) = common::PgDatabase::create("vocdesk_cache_test") else { return };
    let ttl = Duration::from_millis(300);
    // Two processes: two pools on one database, each with its own cache.
    let first: Arc<dyn Store> = Arc::new(PgStore::connect(&database.url()).await.expect("connect"));
    first.migrate().await.expect("migrate");
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&database.url()).await.expect("connect"));
    let (first, second) = (cached(&first, ttl), cached(&second, ttl));
    let user = operator(&first, "ops@example.com").await;
    let hash = token(&first, &user, "a1", SignedDuration::from_hours(1)).await;
    let now = common::now();
    assert!(second.token(&hash, TokenKind::Api, now).await.expect("lookup").is_some(), "valid, and now cached");

    assert!(first.revoke_token(&hash, &audit("token.revoked"), now).await.expect("revoke"));
    assert!(first.token(&hash, TokenKind::Api, now).await.expect("lookup").is_none(), "refused at once where revoked");
    let start = Instant::now();
    loop {
        if second.token(&hash, TokenKind::Api, now).await.expect("lookup").is_none() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "the other process still accepts the revoked token");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_revoked_token_is_refused_at_once_in_the_same_process() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = cached(&common::empty_store(dir.path()).await, Duration::from_secs(60));
    let user = operator(&store, "ops@example.com").await;
    let hash = token(&store, &user, "b1", SignedDuration::from_hours(1)).await;
    let now = common::now();
    let grant = store.token(&hash, TokenKind::Api, now).await.expect("lookup").expect("valid");
    assert_eq!(grant.user.id, user.id);
    assert!(store.token(&hash, TokenKind::Web, now).await.expect("lookup").is_none(), "an API token is no session");

    assert!(store.revoke_token(&hash, &audit("token.revoked"), now).await.expect("revoke"));
    assert!(store.token(&hash, TokenKind::Api, now).await.expect("lookup").is_none(), "no waiting for the TTL");
}

#[tokio::test]
async fn within_the_ttl_another_process_s_revocation_is_not_seen_yet() {
    // What the TTL bounds: a write that bypasses this cache (another process) shows
    // only when the entry expires. Shown with a TTL longer than the test.
    let dir = tempfile::tempdir().expect("temp dir");
    let raw = common::empty_store(dir.path()).await;
    let store = cached(&raw, Duration::from_secs(600));
    let user = operator(&store, "ops@example.com").await;
    let hash = token(&store, &user, "c1", SignedDuration::from_hours(1)).await;
    let now = common::now();
    assert!(store.token(&hash, TokenKind::Api, now).await.expect("lookup").is_some());
    assert!(raw.revoke_token(&hash, &audit("token.revoked"), now).await.expect("revoke behind the cache's back"));
    assert!(store.token(&hash, TokenKind::Api, now).await.expect("lookup").is_some(), "served from memory");
    assert!(cached(&raw, Duration::from_secs(600)).token(&hash, TokenKind::Api, now).await.expect("lookup").is_none());
}

#[tokio::test]
async fn a_cached_token_still_expires_at_its_expiry() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = cached(&common::empty_store(dir.path()).await, Duration::from_secs(60));
    let user = operator(&store, "ops@example.com").await;
    let long = token(&store, &user, "d1", SignedDuration::from_hours(1)).await;
    let short = token(&store, &user, "d2", SignedDuration::from_secs(30)).await;
    let now = common::now();
    assert!(store.token(&long, TokenKind::Api, now).await.expect("lookup").is_some());
    let expired = now + SignedDuration::from_hours(1);
    assert!(store.token(&long, TokenKind::Api, expired).await.expect("lookup").is_none(), "expired at expires_at");
    // Expiring within the TTL: valid until then, not a moment longer.
    assert!(store.token(&short, TokenKind::Api, now).await.expect("lookup").is_some());
    let almost = now + SignedDuration::from_secs(29);
    assert!(store.token(&short, TokenKind::Api, almost).await.expect("lookup").is_some());
    let after = now + SignedDuration::from_secs(30);
    assert!(store.token(&short, TokenKind::Api, after).await.expect("lookup").is_none());
}

#[tokio::test]
async fn catalog_and_account_changes_through_the_cache_show_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = cached(&common::empty_store(dir.path()).await, Duration::from_secs(600));
    let now = common::now();
    let seller = store.create_seller("Seller", "s@example.com", &audit("seller.created"), now).await.expect("seller");
    assert_eq!(store.seller(&seller.id).await.expect("seller").map(|s| s.name), Some("Seller".to_owned()));
    assert!(store.seller(&SellerId("nobody".to_owned())).await.expect("seller").is_none());
    let page = PageRequest::default();
    assert!(store.list_apps(None, &page).await.expect("list").items.is_empty(), "cached empty");
    assert!(store.list_apps(Some(&seller.id), &page).await.expect("list").items.is_empty(), "cached empty");

    let new = NewApp::new(seller.id.clone(), "Farm", "", None).expect("valid app");
    let app = store.create_app(&new, &audit("app.created"), now).await.expect("app");
    assert_eq!(store.list_apps(None, &page).await.expect("list").items.len(), 1, "the new app is listed at once");
    assert_eq!(store.list_apps(Some(&seller.id), &page).await.expect("list").items.len(), 1);
    let read = store.app(&app.id).await.expect("app").expect("found");
    assert_eq!((read.title.as_str(), read.rating.count), ("Farm", 0));
    assert!(store.items_of_app(&app.id).await.expect("items").is_empty(), "cached empty");

    let item = NewItem::new(app.id.clone(), "Gems", 1200, "KRW").expect("valid item");
    store.create_item(&item, &audit("item.created"), now).await.expect("item");
    let items = store.items_of_app(&app.id).await.expect("items");
    assert_eq!(items.iter().map(|i| i.title.as_str()).collect::<Vec<_>>(), ["Gems"], "the new item shows at once");

    let user = operator(&store, "ops@example.com").await;
    let hash = token(&store, &user, "e1", SignedDuration::from_hours(1)).await;
    assert_eq!(store.user(&user.id).await.expect("user").map(|u| u.locale), Some(Locale::Ko));
    let grant = store.token(&hash, TokenKind::Api, now).await.expect("lookup").expect("valid");
    assert_eq!(grant.user.locale, Locale::Ko);
    let acting = Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Store };
    store.set_user_locale(&user.id, Locale::En, &acting, now).await.expect("set locale");
    assert_eq!(store.user(&user.id).await.expect("user").map(|u| u.locale), Some(Locale::En), "the account at once");
    let grant = store.token(&hash, TokenKind::Api, now).await.expect("lookup").expect("valid");
    assert_eq!(grant.user.locale, Locale::En, "and the account a cached token carries");
}

#[tokio::test]
async fn a_zero_ttl_caches_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let raw = common::empty_store(dir.path()).await;
    let store = cached(&raw, Duration::ZERO);
    let user = operator(&store, "ops@example.com").await;
    let hash = token(&store, &user, "f1", SignedDuration::from_hours(1)).await;
    let now = common::now();
    assert!(store.token(&hash, TokenKind::Api, now).await.expect("lookup").is_some());
    assert!(raw.revoke_token(&hash, &audit("token.revoked"), now).await.expect("revoke behind the cache's back"));
    assert!(store.token(&hash, TokenKind::Api, now).await.expect("lookup").is_none());
}

#[tokio::test]
async fn r3_a_sellers_new_developer_and_a_developers_new_language_are_mailed_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = cached(&common::empty_store(dir.path()).await, Duration::from_secs(600));
    let now = common::now();
    let seller = store.create_seller("Seller", "s@example.com", &audit("seller.created"), now).await.expect("seller");
    assert!(store.developers_of_seller(&seller.id).await.expect("developers").is_empty(), "cached empty");
    let new = NewUser {
        email: "dev@example.com".to_owned(),
        display_name: "Dev".to_owned(),
        role: Role::Developer,
        seller_id: Some(seller.id.clone()),
        customer_no: None,
        locale: Locale::Ko,
    };
    let developer = store.create_user(&new, "not-a-real-hash", &audit("user.created"), now).await.expect("developer");
    let developers = store.developers_of_seller(&seller.id).await.expect("developers");
    assert_eq!(developers.iter().map(|d| &d.id).collect::<Vec<_>>(), [&developer.id], "the new developer at once");

    let acting = Acting { actor: AuditActor::user(developer.id.clone(), developer.role), channel: Channel::Store };
    store.set_mail_locale(&developer.id, Locale::En, &acting, now).await.expect("set the mail language");
    let developers = store.developers_of_seller(&seller.id).await.expect("developers");
    assert_eq!(developers[0].mail_locale, Locale::En, "their mail follows the new language at once");
}
