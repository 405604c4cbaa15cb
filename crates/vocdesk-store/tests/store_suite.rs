//! The store suite: every test here runs twice, against SQLite (`<name>::sqlite`) and
//! against PostgreSQL (`<name>::postgres`), through the one `Store` trait. See
//! `support/mod.rs` for the fixtures and for how the PostgreSQL variants find a server.
//!
//! Times are fixed values (`t0()`, `at_min(n)`), never the wall clock.

#[macro_use]
mod support;

use jiff::SignedDuration;
use vocdesk_domain::account::NewUser;
use vocdesk_domain::audit::{AuditActor, AuditRecord, Channel};
use vocdesk_domain::catalog::{App, NewApp, NewItem};
use vocdesk_domain::ids::{AppId, ItemId, PurchaseId, SellerId, UserId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::{Cursor, PageRequest};
use vocdesk_domain::purchase::{NewPurchase, PurchaseStatus, PurchaseView};
use vocdesk_domain::role::{Role, TokenScope};
use vocdesk_store::{AuditFilter, RecordOutcome, Rejection, Store, StoreError, TokenKind};

use support::*;

// ----- helpers of this suite -----

/// A page request, after the cursor a client would send back (encoded and decoded, as
/// it travels through `?cursor=`).
fn page(limit: u32, after: Option<&Cursor>) -> PageRequest {
    PageRequest { limit, after: after.map(|c| Cursor::decode(&c.encode()).expect("a cursor decodes")) }
}

/// Every app of the listing, page by page; also the number of pages.
async fn app_pages(store: &dyn Store, seller: Option<&SellerId>, limit: u32) -> (Vec<App>, usize) {
    let mut apps = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<Cursor> = None;
    loop {
        let next = store.list_apps(seller, &page(limit, cursor.as_ref())).await.expect("list apps");
        pages += 1;
        assert!(next.items.len() <= limit as usize, "a page holds at most `limit` rows");
        assert!(pages <= 50, "paging does not end");
        apps.extend(next.items);
        match next.next_cursor {
            Some(c) => cursor = Some(c),
            None => return (apps, pages),
        }
    }
}

/// A customer's purchase history, page by page; also the number of pages.
async fn history_pages(store: &dyn Store, customer: &UserId, limit: u32) -> (Vec<PurchaseView>, usize) {
    let mut views = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<Cursor> = None;
    loop {
        let next = store.purchases_of_customer(customer, &page(limit, cursor.as_ref())).await.expect("list purchases");
        pages += 1;
        assert!(next.items.len() <= limit as usize, "a page holds at most `limit` rows");
        assert!(pages <= 50, "paging does not end");
        views.extend(next.items);
        match next.next_cursor {
            Some(c) => cursor = Some(c),
            None => return (views, pages),
        }
    }
}

/// Records one batch and returns the outcomes.
async fn record(store: &dyn Store, world: &World, batch: &[NewPurchase], now_min: i64) -> Vec<RecordOutcome> {
    store.record_purchases(batch, &world.importer(), Channel::Api, at_min(now_min)).await.expect("record purchases")
}

/// The view of a purchase that must have been created.
fn created(outcome: &RecordOutcome) -> PurchaseView {
    match outcome {
        RecordOutcome::Created(view) => view.clone(),
        other => panic!("expected Created, got {other:?}"),
    }
}

/// The field named by an `Invalid` rejection.
fn invalid_field(outcome: &RecordOutcome) -> String {
    match outcome {
        RecordOutcome::Rejected(Rejection::Invalid(errors)) => {
            assert_eq!(errors.0.len(), 1, "one problem per rejected purchase: {errors:?}");
            errors.0[0].field.clone()
        }
        other => panic!("expected Rejected(Invalid), got {other:?}"),
    }
}

fn is_tid_conflict(outcome: &RecordOutcome) -> bool {
    matches!(outcome, RecordOutcome::Rejected(Rejection::Conflict { what }) if what == "tid")
}

/// Whether records are strictly newest first (time, then id, descending).
fn newest_first(records: &[AuditRecord]) -> bool {
    records.windows(2).all(|w| (w[0].at, &w[0].id) > (w[1].at, &w[1].id))
}

// ----- migrations and accounts -----

store_test! {
    /// Migrating a migrated database again, and from a second handle as a restarted or
    /// second server process does, changes nothing and keeps the data.
    async fn migrations_are_idempotent(fixture: &TestStore) {
        let store = fixture.store();
        let world = World::seed(store).await;
        store.migrate().await.expect("second migrate");
        store.migrate().await.expect("third migrate");
        let again = fixture.reopen().await;
        again.migrate().await.expect("migrate from a second handle");
        again.ping().await.expect("ping");
        assert_eq!(again.engine(), store.engine());
        assert!(["sqlite", "postgresql"].contains(&store.engine()));
        assert_eq!(again.user(&world.customer.id).await.expect("read user"), Some(world.customer.clone()));
        assert_eq!(again.app(&world.app.id).await.expect("read app"), Some(world.app.clone()));
    }
}

store_test! {
    /// `migrate` is safe from several processes at once: handles migrating a new
    /// database together all succeed (SQLite: a file lock; PostgreSQL: an advisory lock).
    async fn concurrent_first_migrations_all_succeed(fixture: &TestStore) {
        for round in 0..3 {
            let fresh = fixture.sibling_unmigrated().await;
            let handles = [fresh.reopen().await, fresh.reopen().await, fresh.reopen().await, fresh.reopen().await];
            let (a, b, c, d) = tokio::join!(
                handles[0].migrate(),
                handles[1].migrate(),
                handles[2].migrate(),
                handles[3].migrate(),
            );
            for (n, result) in [a, b, c, d].into_iter().enumerate() {
                result.unwrap_or_else(|e| panic!("round {round}, handle {n}: {e:?}"));
            }
            assert!(!fresh.store().has_users().await.expect("the schema is there"));
            make_seller(fresh.store(), "Seller", t0()).await;
        }
    }
}

store_test! {
    /// The demo seeds only an empty store: a seller alone is not an account.
    async fn has_users_turns_true_with_the_first_account(store: &dyn Store) {
        assert!(!store.has_users().await.expect("has_users"));
        make_seller(store, "Seller", t0()).await;
        assert!(!store.has_users().await.expect("has_users"));
        make_user(store, &new_user("op@example.com", "Op", Role::Operator, None, None), t0()).await;
        assert!(store.has_users().await.expect("has_users"));
    }
}

store_test! {
    async fn sellers_are_created_and_found_by_id(store: &dyn Store) {
        let seller = store
            .create_seller("Seller One", "help@seller.example", &system_audit("seller.created"), t0())
            .await
            .expect("create seller");
        assert_eq!(seller.name, "Seller One");
        assert_eq!(seller.support_email, "help@seller.example");
        assert_eq!(store.seller(&seller.id).await.expect("read seller"), Some(seller));
        assert_eq!(store.seller(&SellerId::generate()).await.expect("read seller"), None);
    }
}

store_test! {
    async fn users_are_found_by_id_email_and_customer_number(store: &dyn Store) {
        let world = World::seed(store).await;
        for user in [&world.customer, &world.developer, &world.other_developer, &world.operator] {
            assert_eq!(store.user(&user.id).await.expect("user by id").as_ref(), Some(user));
            let (found, hash) = store
                .credentials(&user.email)
                .await
                .expect("credentials")
                .unwrap_or_else(|| panic!("{} signs in", user.email));
            assert_eq!(&found, user);
            assert_eq!(hash, "$argon2id$test-hash");
        }
        assert_eq!(world.customer.role, Role::Customer);
        assert_eq!(world.customer.display_name, "고객 하나");
        assert_eq!(world.customer.locale, Locale::Ko);
        assert_eq!(world.customer.created_at, at_min(-55));
        assert_eq!(world.developer.seller_id, Some(world.seller.id.clone()));
        assert_eq!(world.operator.seller_id, None);

        let by_number = store.customer_by_number("C-0001").await.expect("customer by number");
        assert_eq!(by_number, Some(world.customer.clone()));
        assert_eq!(
            store.customer_by_number("C-0002").await.expect("customer by number"),
            Some(world.other_customer.clone())
        );
        assert_eq!(store.customer_by_number("C-9999").await.expect("customer by number"), None);
        assert_eq!(store.user(&UserId::generate()).await.expect("user by id"), None);
        assert!(store.credentials("nobody@example.com").await.expect("credentials").is_none());
    }
}

store_test! {
    /// A taken email (the domain lower-cases it first) is `Conflict { what: "email" }`,
    /// and the refused account leaves neither a row nor an audit entry (R14: all or nothing).
    async fn duplicate_email_is_a_conflict_on_email(store: &dyn Store) {
        let world = World::seed(store).await;
        let audit_before = all_audit(store, &AuditFilter::default()).await.len();
        let same_email = new_user("Customer1@Example.COM", "Someone Else", Role::Customer, None, Some("C-0100"));
        let error = store
            .create_user(&same_email, "hash", &system_audit("user.created"), t0())
            .await
            .expect_err("the email is taken");
        assert!(matches!(&error, StoreError::Conflict { what } if what == "email"), "{error:?}");
        assert_eq!(all_audit(store, &AuditFilter::default()).await.len(), audit_before);
        assert_eq!(store.customer_by_number("C-0100").await.expect("lookup"), None);
        let (owner, _) = store.credentials("customer1@example.com").await.expect("lookup").expect("still there");
        assert_eq!(owner, world.customer);
    }
}

store_test! {
    async fn duplicate_customer_number_is_a_conflict_on_customer_no(store: &dyn Store) {
        let world = World::seed(store).await;
        let audit_before = all_audit(store, &AuditFilter::default()).await.len();
        let same_number = new_user("customer3@example.com", "Third", Role::Customer, None, Some("C-0001"));
        let error = store
            .create_user(&same_number, "hash", &system_audit("user.created"), t0())
            .await
            .expect_err("the customer number is taken");
        assert!(matches!(&error, StoreError::Conflict { what } if what == "customer_no"), "{error:?}");
        assert_eq!(all_audit(store, &AuditFilter::default()).await.len(), audit_before);
        assert!(store.credentials("customer3@example.com").await.expect("lookup").is_none());
        assert_eq!(store.customer_by_number("C-0001").await.expect("lookup"), Some(world.customer));
    }
}

store_test! {
    /// The domain refuses a developer without a seller (and anyone else with one); the
    /// database's CHECK refuses them too, for a caller that skipped the domain.
    async fn db_check_refuses_seller_membership_that_does_not_fit_the_role(store: &dyn Store) {
        let seller = make_seller(store, "Seller", t0()).await;
        let developer_without_seller = NewUser {
            email: "dev@example.com".to_owned(),
            display_name: "Dev".to_owned(),
            role: Role::Developer,
            seller_id: None,
            customer_no: None,
            locale: Locale::En,
        };
        assert!(NewUser::new("dev@example.com", "Dev", Role::Developer, None, None, Locale::En).is_err());
        let customer_with_seller = NewUser {
            email: "customer@example.com".to_owned(),
            role: Role::Customer,
            seller_id: Some(seller.id.clone()),
            ..developer_without_seller.clone()
        };
        for refused in [&developer_without_seller, &customer_with_seller] {
            let error = store
                .create_user(refused, "hash", &system_audit("user.created"), t0())
                .await
                .expect_err("the CHECK refuses it");
            assert!(!matches!(error, StoreError::Conflict { .. }), "not a conflict: {error:?}");
        }
        assert!(!store.has_users().await.expect("has_users"));
        let audit = all_audit(store, &AuditFilter::default()).await;
        assert!(audit.iter().all(|r| r.entry.subject_type != "user"), "{audit:?}");
    }
}

store_test! {
    async fn a_developer_of_an_unknown_seller_is_an_invalid_reference(store: &dyn Store) {
        let ghost = SellerId::generate();
        let developer = new_user("dev@example.com", "Dev", Role::Developer, Some(&ghost), None);
        let error = store
            .create_user(&developer, "hash", &system_audit("user.created"), t0())
            .await
            .expect_err("no such seller");
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
        assert!(!store.has_users().await.expect("has_users"));
    }
}

// ----- tokens -----

store_test! {
    /// A token is found by its hash and kind from issue until (not including) its expiry.
    async fn tokens_are_found_by_hash_and_kind_until_they_expire(store: &dyn Store) {
        let world = World::seed(store).await;
        let token = token_for(&world.customer, "hash-api-1", TokenKind::Api, TokenScope::Full, at_min(0));
        store
            .insert_token(&token, &audit_by(&world.customer, "token.issued"))
            .await
            .expect("insert token");
        let grant = store
            .token("hash-api-1", TokenKind::Api, at_min(1))
            .await
            .expect("look up")
            .expect("a valid token");
        assert_eq!(grant.token_id, token.id);
        assert_eq!(grant.scope, TokenScope::Full);
        assert_eq!(grant.user, world.customer);

        let last_valid = token.expires_at - SignedDuration::from_millis(1);
        assert!(store.token("hash-api-1", TokenKind::Api, last_valid).await.expect("look up").is_some());
        assert!(store.token("hash-api-1", TokenKind::Api, token.expires_at).await.expect("look up").is_none());
        let later = token.expires_at + SignedDuration::from_hours(1);
        assert!(store.token("hash-api-1", TokenKind::Api, later).await.expect("look up").is_none());
        assert!(store.token("no-such-hash", TokenKind::Api, at_min(1)).await.expect("look up").is_none());

        let import = token_for(&world.operator, "hash-import", TokenKind::Api, TokenScope::PaymentSystem, at_min(0));
        store
            .insert_token(&import, &audit_by(&world.operator, "token.issued"))
            .await
            .expect("insert token");
        let grant = store
            .token("hash-import", TokenKind::Api, at_min(1))
            .await
            .expect("look up")
            .expect("a valid token");
        assert_eq!(grant.scope, TokenScope::PaymentSystem);
        assert_eq!(grant.user, world.operator);
    }
}

store_test! {
    async fn a_revoked_token_is_not_returned_and_revoking_twice_returns_false(store: &dyn Store) {
        let world = World::seed(store).await;
        let token = token_for(&world.developer, "hash-web-1", TokenKind::Web, TokenScope::Full, at_min(0));
        store
            .insert_token(&token, &audit_by(&world.developer, "token.issued"))
            .await
            .expect("insert token");
        assert!(store.token("hash-web-1", TokenKind::Web, at_min(1)).await.expect("look up").is_some());

        let revoke = audit_by(&world.developer, "token.revoked");
        assert!(store.revoke_token("hash-web-1", &revoke, at_min(2)).await.expect("revoke"));
        assert!(store.token("hash-web-1", TokenKind::Web, at_min(3)).await.expect("look up").is_none());
        assert!(!store.revoke_token("hash-web-1", &revoke, at_min(4)).await.expect("revoke again"));
        assert!(!store.revoke_token("never-issued", &revoke, at_min(4)).await.expect("revoke unknown"));

        // R14: the issue and the one effective revocation, newest first.
        let audit = audit_of(store, "token", &token.id.0).await;
        let actions: Vec<_> = audit.iter().map(|r| r.entry.action.as_str()).collect();
        assert_eq!(actions, ["token.revoked", "token.issued"]);
        assert_eq!(audit[0].at, at_min(2));
    }
}

store_test! {
    async fn a_web_token_is_not_found_as_an_api_token(store: &dyn Store) {
        let world = World::seed(store).await;
        let web = token_for(&world.customer, "hash-web", TokenKind::Web, TokenScope::Full, at_min(0));
        let api = token_for(&world.customer, "hash-api", TokenKind::Api, TokenScope::Full, at_min(0));
        for token in [&web, &api] {
            store
                .insert_token(token, &audit_by(&world.customer, "token.issued"))
                .await
                .expect("insert token");
        }
        assert!(store.token("hash-web", TokenKind::Api, at_min(1)).await.expect("look up").is_none());
        assert!(store.token("hash-api", TokenKind::Web, at_min(1)).await.expect("look up").is_none());
        assert!(store.token("hash-web", TokenKind::Web, at_min(1)).await.expect("look up").is_some());
        assert!(store.token("hash-api", TokenKind::Api, at_min(1)).await.expect("look up").is_some());
    }
}

store_test! {
    async fn a_duplicate_token_hash_is_a_conflict(store: &dyn Store) {
        let world = World::seed(store).await;
        let first = token_for(&world.customer, "same-hash", TokenKind::Api, TokenScope::Full, at_min(0));
        let second = token_for(&world.developer, "same-hash", TokenKind::Api, TokenScope::Full, at_min(1));
        store.insert_token(&first, &audit_by(&world.customer, "token.issued")).await.expect("insert");
        let error = store
            .insert_token(&second, &audit_by(&world.developer, "token.issued"))
            .await
            .expect_err("the hash is taken");
        assert!(matches!(&error, StoreError::Conflict { what } if what == "token_hash"), "{error:?}");
        let grant = store.token("same-hash", TokenKind::Api, at_min(2)).await.expect("look up").expect("first");
        assert_eq!(grant.user, world.customer);
        assert!(audit_of(store, "token", &second.id.0).await.is_empty());
    }
}

// ----- apps and items -----

store_test! {
    async fn apps_and_items_are_created_listed_and_read_back(store: &dyn Store) {
        let world = World::seed(store).await;
        let paid = &world.app;
        assert_eq!(paid.seller_id, world.seller.id);
        assert_eq!(paid.seller_name, "Seller One");
        assert_eq!(paid.title, "Puzzle One");
        assert_eq!(paid.summary, "An app of the store suite.");
        assert_eq!(paid.price, Some(krw(1_200)));
        assert_eq!(paid.rating.count, 0);
        assert_eq!(paid.rating.histogram, [0; 5]);
        assert_eq!(paid.created_at, at_min(-53));
        assert_eq!(store.app(&paid.id).await.expect("read app").as_ref(), Some(paid));
        let free = store.app(&world.other_app.id).await.expect("read app").expect("the free app");
        assert_eq!(free.price, None);
        assert!(!free.is_paid());
        assert_eq!(store.app(&AppId::generate()).await.expect("read app"), None);

        assert_eq!(world.item.app_id, paid.id);
        assert_eq!(world.item.title, "100 Gems");
        assert_eq!(world.item.price, krw(3_300));
        let newer = make_item(store, &paid.id, "500 Gems", 9_900, at_min(1)).await;
        // Created last but dated first: items are listed by time, oldest first.
        let oldest = make_item(store, &paid.id, "Starter Pack", 1_100, at_min(-100)).await;
        let items = store.items_of_app(&paid.id).await.expect("items");
        assert_eq!(items, [oldest, world.item.clone(), newer]);
        assert_eq!(store.items_of_app(&world.other_app.id).await.expect("items"), std::slice::from_ref(&world.other_item));
        let bare = make_app(store, &world.seller.id, "No Items", None, at_min(2)).await;
        assert!(store.items_of_app(&bare.id).await.expect("items").is_empty());
    }
}

store_test! {
    async fn an_app_of_an_unknown_seller_and_an_item_of_an_unknown_app_are_invalid(store: &dyn Store) {
        let world = World::seed(store).await;
        let audit_before = all_audit(store, &AuditFilter::default()).await.len();
        let app = NewApp::new(SellerId::generate(), "Orphan", "", None).expect("valid app");
        let error = store
            .create_app(&app, &system_audit("app.created"), t0())
            .await
            .expect_err("no such seller");
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
        let item = NewItem::new(AppId::generate(), "Orphan Item", 1_000, "KRW").expect("valid item");
        let error = store
            .create_item(&item, &system_audit("item.created"), t0())
            .await
            .expect_err("no such app");
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
        assert_eq!(all_audit(store, &AuditFilter::default()).await.len(), audit_before);
        let (apps, _) = app_pages(store, None, 100).await;
        assert_eq!(apps.len(), 2, "only the world's apps: {apps:?}");
        assert_eq!(store.items_of_app(&world.app.id).await.expect("items"), [world.item]);
    }
}

store_test! {
    /// Keyset pages of two, newest first (ties on time broken by id), yield every app
    /// exactly once and in order; the last page says there is no next one.
    async fn app_pages_of_two_yield_every_app_once_newest_first(store: &dyn Store) {
        let one = make_seller(store, "Seller One", t0()).await;
        let two = make_seller(store, "Seller Two", t0()).await;
        let mut made = Vec::new();
        for (n, minute) in [1, 2, 2, 3, 4, 4, 4].into_iter().enumerate() {
            let seller = if n % 2 == 0 { &one.id } else { &two.id };
            made.push(make_app(store, seller, &format!("App {n}"), None, at_min(minute)).await);
        }
        let mut expected = made.clone();
        expected.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let (listed, pages) = app_pages(store, None, 2).await;
        let ids = |apps: &[App]| apps.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&listed), ids(&expected));
        assert_eq!(listed, expected);
        assert_eq!(pages, 4);

        // An exact multiple of the limit ends without an empty extra page.
        let (first_six, pages) = app_pages(store, None, 6).await;
        assert_eq!(pages, 2);
        assert_eq!(ids(&first_six), ids(&expected));
        let all = store.list_apps(None, &page(7, None)).await.expect("list");
        assert_eq!(all.items.len(), 7);
        assert_eq!(all.next_cursor, None);
    }
}

store_test! {
    async fn seller_filter_lists_only_that_sellers_apps(store: &dyn Store) {
        let one = make_seller(store, "Seller One", t0()).await;
        let two = make_seller(store, "Seller Two", t0()).await;
        let lonely = make_seller(store, "Seller Three", t0()).await;
        let mut of_one = Vec::new();
        for minute in [1, 2, 3, 3, 5] {
            of_one.push(make_app(store, &one.id, &format!("One {minute}"), None, at_min(minute)).await);
            make_app(store, &two.id, &format!("Two {minute}"), Some(990), at_min(minute)).await;
        }
        of_one.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let (listed, pages) = app_pages(store, Some(&one.id), 2).await;
        assert_eq!(listed, of_one);
        assert_eq!(pages, 3);
        let (of_two, _) = app_pages(store, Some(&two.id), 2).await;
        assert_eq!(of_two.len(), 5);
        assert!(of_two.iter().all(|a| a.seller_id == two.id && a.seller_name == "Seller Two"));
        let (none, pages) = app_pages(store, Some(&lonely.id), 2).await;
        assert!(none.is_empty());
        assert_eq!(pages, 1);
        let (everything, _) = app_pages(store, None, 3).await;
        assert_eq!(everything.len(), 10);
    }
}

// ----- purchases -----

store_test! {
    /// Recording the same TID with the same content again answers with the existing row
    /// and writes nothing: one row, one audit entry. Also within one batch.
    async fn purchase_recording_is_idempotent_on_tid(store: &dyn Store) {
        let world = World::seed(store).await;
        let new = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T20261121000000000001");
        let outcomes = record(store, &world, std::slice::from_ref(&new), 0).await;
        assert_eq!(outcomes.len(), 1);
        let view = created(&outcomes[0]);
        let p = &view.purchase;
        assert_eq!(p.customer_id, world.customer.id);
        assert_eq!(p.app_id, world.app.id);
        assert_eq!(p.item_id, None);
        assert_eq!(p.amount, krw(1_200));
        assert_eq!(p.purchased_at, at_min(-30));
        assert_eq!(p.payment, new.payment);
        assert_eq!(p.status, PurchaseStatus::Paid);
        assert_eq!(p.cancelled_at, None);

        let again = record(store, &world, std::slice::from_ref(&new), 5).await;
        assert_eq!(again, [RecordOutcome::AlreadyRecorded(view.clone())]);

        let twice_in_one_batch = purchase_of(&world.customer, &world.app.id, Some(&world.item.id), 3_300, at_min(-20), "T2");
        let outcomes = record(store, &world, &[twice_in_one_batch.clone(), twice_in_one_batch], 6).await;
        let second = created(&outcomes[0]);
        assert_eq!(outcomes[1], RecordOutcome::AlreadyRecorded(second.clone()));

        let (history, _) = history_pages(store, &world.customer.id, 100).await;
        assert_eq!(history, [second.clone(), view.clone()]);
        for id in [&view.purchase.id, &second.purchase.id] {
            let audit = audit_of(store, "purchase", &id.0).await;
            assert_eq!(audit.len(), 1, "one entry per recorded purchase: {audit:?}");
            assert_eq!(audit[0].entry.action, "purchase.recorded");
        }
        assert_eq!(audit_of(store, "purchase", &view.purchase.id.0).await[0].at, at_min(0));
    }
}

store_test! {
    /// A TID recorded before with other content is `Rejected(Conflict { what: "tid" })`
    /// and the recorded purchase stays as it was.
    async fn same_tid_with_different_content_is_rejected_as_a_tid_conflict(store: &dyn Store) {
        let world = World::seed(store).await;
        let original = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T-CONFLICT");
        let view = created(&record(store, &world, std::slice::from_ref(&original), 0).await[0]);

        let mut other_amount = original.clone();
        other_amount.amount = krw(1_300);
        let mut other_customer = original.clone();
        other_customer.customer_id = world.other_customer.id.clone();
        let mut other_time = original.clone();
        other_time.purchased_at = at_min(-29);
        let mut other_item = original.clone();
        other_item.item_id = Some(world.item.id.clone());
        let mut other_txid = original.clone();
        other_txid.payment.txid = Some("TX-SOMETHING-ELSE".to_owned());
        let batch = [other_amount, other_customer, other_time, other_item, other_txid];
        let outcomes = record(store, &world, &batch, 1).await;
        assert_eq!(outcomes.len(), batch.len());
        for outcome in &outcomes {
            assert!(is_tid_conflict(outcome), "{outcome:?}");
        }
        assert_eq!(store.purchase(&view.purchase.id).await.expect("read"), Some(view.clone()));
        let (history, _) = history_pages(store, &world.customer.id, 100).await;
        assert_eq!(history, std::slice::from_ref(&view));
        assert!(history_pages(store, &world.other_customer.id, 100).await.0.is_empty());
        assert_eq!(audit_of(store, "purchase", &view.purchase.id.0).await.len(), 1);
    }
}

store_test! {
    /// A purchase must name a customer (not an operator or developer), an existing app,
    /// and an item of that app; otherwise it is `Rejected(Invalid)` naming the field.
    async fn purchases_naming_unknown_or_unfitting_records_are_rejected_as_invalid(store: &dyn Store) {
        let world = World::seed(store).await;
        let base = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T-BASE");
        let with = |tid: &str, change: &dyn Fn(&mut NewPurchase)| {
            let mut p = base.clone();
            p.payment.tid = tid.to_owned();
            change(&mut p);
            p
        };
        let cases = [
            (with("T-NOBODY", &|p| p.customer_id = UserId::generate()), "customer_id"),
            (with("T-OPERATOR", &|p| p.customer_id = world.operator.id.clone()), "customer_id"),
            (with("T-DEVELOPER", &|p| p.customer_id = world.developer.id.clone()), "customer_id"),
            (with("T-NO-APP", &|p| p.app_id = AppId::generate()), "app_id"),
            (with("T-FOREIGN-ITEM", &|p| p.item_id = Some(world.other_item.id.clone())), "item_id"),
            (with("T-NO-ITEM", &|p| p.item_id = Some(ItemId::generate())), "item_id"),
        ];
        let batch: Vec<NewPurchase> = cases.iter().map(|(p, _)| p.clone()).collect();
        let outcomes = record(store, &world, &batch, 0).await;
        assert_eq!(outcomes.len(), cases.len());
        for ((purchase, field), outcome) in cases.iter().zip(&outcomes) {
            assert_eq!(invalid_field(outcome), *field, "{}", purchase.payment.tid);
        }
        for user in [&world.customer, &world.operator, &world.developer] {
            assert!(history_pages(store, &user.id, 100).await.0.is_empty());
        }
        let audit = all_audit(store, &AuditFilter::default()).await;
        assert!(audit.iter().all(|r| r.entry.subject_type != "purchase"), "{audit:?}");
    }
}

store_test! {
    /// Rejected purchases leave the rest of their batch untouched: the good rows are written.
    async fn one_bad_row_does_not_stop_the_rest_of_the_batch(store: &dyn Store) {
        let world = World::seed(store).await;
        let first = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T-GOOD-1");
        let mut unknown_app = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-29), "T-BAD");
        unknown_app.app_id = AppId::generate();
        let second = purchase_of(&world.customer, &world.app.id, Some(&world.item.id), 3_300, at_min(-28), "T-GOOD-2");
        let mut clashing = first.clone();
        clashing.amount = krw(99);
        let outcomes = record(store, &world, &[first, unknown_app, second, clashing], 0).await;
        assert_eq!(outcomes.len(), 4);
        let first = created(&outcomes[0]);
        assert_eq!(invalid_field(&outcomes[1]), "app_id");
        let second = created(&outcomes[2]);
        assert!(is_tid_conflict(&outcomes[3]), "{:?}", outcomes[3]);
        let (history, _) = history_pages(store, &world.customer.id, 100).await;
        assert_eq!(history, [second.clone(), first.clone()]);
        let recorded: Vec<_> = all_audit(store, &AuditFilter::default())
            .await
            .into_iter()
            .filter(|r| r.entry.action == "purchase.recorded")
            .map(|r| r.entry.subject_id)
            .collect();
        assert_eq!(recorded, [second.purchase.id.0.clone(), first.purchase.id.0.clone()]);
    }
}

store_test! {
    /// Times are kept to the millisecond; a payment system that sends microseconds
    /// must still get `AlreadyRecorded` (not a TID conflict) when it retries.
    async fn purchase_recording_stays_idempotent_with_sub_millisecond_times(store: &dyn Store) {
        let world = World::seed(store).await;
        let precise = ts("2026-11-20T09:30:00.123456789Z");
        let new = purchase_of(&world.customer, &world.app.id, None, 1_200, precise, "T-MICROS");
        let view = created(&record(store, &world, std::slice::from_ref(&new), 0).await[0]);
        assert_eq!(view.purchase.purchased_at, ts("2026-11-20T09:30:00.123Z"));
        let again = record(store, &world, std::slice::from_ref(&new), 1).await;
        assert_eq!(again, [RecordOutcome::AlreadyRecorded(view.clone())]);
        // A different millisecond is different content.
        let mut later = new.clone();
        later.purchased_at = ts("2026-11-20T09:30:00.124Z");
        assert!(is_tid_conflict(&record(store, &world, &[later], 2).await[0]));
    }
}

store_test! {
    /// Concurrent imports of one TID (several server processes on PostgreSQL) record
    /// it once: one `Created`, the rest `AlreadyRecorded`, one row, one audit entry.
    async fn concurrent_imports_of_one_tid_record_it_once(store: &dyn Store) {
        let world = World::seed(store).await;
        let new = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T-RACE");
        let batch = std::slice::from_ref(&new);
        let (a, b, c, d) = tokio::join!(
            record(store, &world, batch, 0),
            record(store, &world, batch, 0),
            record(store, &world, batch, 0),
            record(store, &world, batch, 0),
        );
        let outcomes: Vec<RecordOutcome> = [a, b, c, d].into_iter().flatten().collect();
        let views: Vec<PurchaseView> = outcomes
            .iter()
            .filter_map(|o| match o {
                RecordOutcome::Created(v) => Some(v.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(views.len(), 1, "exactly one Created: {outcomes:?}");
        let already = outcomes
            .iter()
            .filter(|o| **o == RecordOutcome::AlreadyRecorded(views[0].clone()))
            .count();
        assert_eq!(already, 3, "{outcomes:?}");
        assert_eq!(history_pages(store, &world.customer.id, 100).await.0, views);
        assert_eq!(audit_of(store, "purchase", &views[0].purchase.id.0).await.len(), 1);
    }
}

store_test! {
    /// My page: a customer's purchases, newest first (ties by id), paged by cursor,
    /// every purchase once, and nobody else's.
    async fn purchase_history_is_the_customers_own_newest_first_in_pages(store: &dyn Store) {
        let world = World::seed(store).await;
        let mut batch = Vec::new();
        for (n, minute) in [-40, -10, -10, -25, -5].into_iter().enumerate() {
            let (app, item) = if n % 2 == 0 {
                (&world.app.id, None)
            } else {
                (&world.other_app.id, Some(&world.other_item.id))
            };
            batch.push(purchase_of(&world.customer, app, item, 1_000, at_min(minute), &format!("T-MINE-{n}")));
        }
        for (n, minute) in [-35, -10].into_iter().enumerate() {
            batch.push(purchase_of(&world.other_customer, &world.app.id, None, 1_200, at_min(minute), &format!("T-THEIRS-{n}")));
        }
        let views: Vec<PurchaseView> = record(store, &world, &batch, 0).await.iter().map(created).collect();
        let mut mine: Vec<PurchaseView> = views[..5].to_vec();
        mine.sort_by(|a, b| {
            (b.purchase.purchased_at, &b.purchase.id).cmp(&(a.purchase.purchased_at, &a.purchase.id))
        });
        let (history, pages) = history_pages(store, &world.customer.id, 2).await;
        assert_eq!(history, mine);
        assert_eq!(pages, 3);
        let (theirs, pages) = history_pages(store, &world.other_customer.id, 2).await;
        assert_eq!(pages, 1);
        assert_eq!(theirs.len(), 2);
        assert!(theirs.iter().all(|v| v.purchase.customer_id == world.other_customer.id));
        assert_eq!(theirs[0].purchase.purchased_at, at_min(-10));
        let (nobody, _) = history_pages(store, &UserId::generate(), 2).await;
        assert!(nobody.is_empty());
    }
}

store_test! {
    async fn purchase_by_id_carries_app_title_item_title_and_seller(store: &dyn Store) {
        let world = World::seed(store).await;
        let batch = [
            purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T-APP"),
            purchase_of(&world.customer, &world.other_app.id, Some(&world.other_item.id), 2_500, at_min(-20), "T-ITEM"),
        ];
        let outcomes = record(store, &world, &batch, 0).await;
        let (app_purchase, item_purchase) = (created(&outcomes[0]), created(&outcomes[1]));

        let read = store.purchase(&app_purchase.purchase.id).await.expect("read").expect("exists");
        assert_eq!(read, app_purchase);
        assert_eq!(read.app_title, "Puzzle One");
        assert_eq!(read.item_title, None);
        assert_eq!(read.seller_id, world.seller.id);

        let read = store.purchase(&item_purchase.purchase.id).await.expect("read").expect("exists");
        assert_eq!(read, item_purchase);
        assert_eq!(read.app_title, "Free Two");
        assert_eq!(read.item_title.as_deref(), Some("No Ads"));
        assert_eq!(read.seller_id, world.other_seller.id);
        assert_eq!(read.purchase.item_id, Some(world.other_item.id.clone()));

        assert_eq!(store.purchase(&PurchaseId::generate()).await.expect("read"), None);
    }
}

store_test! {
    async fn a_purchase_imported_as_cancelled_is_cancelled_at_import_time(store: &dyn Store) {
        let world = World::seed(store).await;
        let mut new = purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T-CANCELLED");
        new.status = PurchaseStatus::Cancelled;
        let view = created(&record(store, &world, &[new], 7).await[0]);
        assert_eq!(view.purchase.status, PurchaseStatus::Cancelled);
        assert_eq!(view.purchase.cancelled_at, Some(at_min(7)));
        assert_eq!(store.purchase(&view.purchase.id).await.expect("read"), Some(view));
    }
}

// ----- audit (R14, R7) -----

store_test! {
    /// R14: each write (seller, user, token issue and revoke, app, item, purchase)
    /// leaves an entry about what it changed: who, what, when, through which channel.
    async fn r14_every_write_leaves_an_audit_entry(store: &dyn Store) {
        let seller = make_seller(store, "Seller", at_min(1)).await;
        let operator = make_user(store, &new_user("op@example.com", "Op", Role::Operator, None, None), at_min(2)).await;
        let developer = store
            .create_user(
                &new_user("dev@example.com", "Dev", Role::Developer, Some(&seller.id), None),
                "hash",
                &audit_by(&operator, "user.created"),
                at_min(3),
            )
            .await
            .expect("create developer");
        let customer = make_user(store, &new_user("c@example.com", "C", Role::Customer, None, Some("C-1")), at_min(4)).await;
        let token = token_for(&customer, "hash-1", TokenKind::Api, TokenScope::Full, at_min(5));
        store.insert_token(&token, &audit_by(&customer, "token.issued")).await.expect("issue");
        assert!(store.revoke_token("hash-1", &audit_by(&customer, "token.revoked"), at_min(6)).await.expect("revoke"));
        let new_app = NewApp::new(seller.id.clone(), "App", "", Some((1_000, "KRW"))).expect("valid app");
        let app = store.create_app(&new_app, &audit_by(&developer, "app.created"), at_min(7)).await.expect("app");
        let new_item = NewItem::new(app.id.clone(), "Item", 500, "KRW").expect("valid item");
        let item = store.create_item(&new_item, &audit_by(&developer, "item.created"), at_min(8)).await.expect("item");
        let importer = AuditActor::user(operator.id.clone(), Role::Operator);
        let outcomes = store
            .record_purchases(
                &[purchase_of(&customer, &app.id, Some(&item.id), 500, at_min(0), "T-AUDIT")],
                &importer,
                Channel::Cli,
                at_min(9),
            )
            .await
            .expect("record");
        let purchase = created(&outcomes[0]);

        let system = AuditActor::system("store-suite");
        let by = |u: &vocdesk_domain::account::User| AuditActor::user(u.id.clone(), u.role);
        let expected = [
            ("seller", seller.id.0.clone(), "seller.created", 1, system.clone(), Channel::Cli),
            ("user", operator.id.0.clone(), "user.created", 2, system.clone(), Channel::Cli),
            ("user", developer.id.0.clone(), "user.created", 3, by(&operator), Channel::Api),
            ("user", customer.id.0.clone(), "user.created", 4, system.clone(), Channel::Cli),
            ("token", token.id.0.clone(), "token.revoked", 6, by(&customer), Channel::Api),
            ("token", token.id.0.clone(), "token.issued", 5, by(&customer), Channel::Api),
            ("app", app.id.0.clone(), "app.created", 7, by(&developer), Channel::Api),
            ("item", item.id.0.clone(), "item.created", 8, by(&developer), Channel::Api),
            ("purchase", purchase.purchase.id.0.clone(), "purchase.recorded", 9, importer.clone(), Channel::Cli),
        ];
        let everything = all_audit(store, &AuditFilter::default()).await;
        assert_eq!(everything.len(), expected.len(), "{everything:?}");
        for (subject_type, subject_id, action, minute, actor, channel) in expected {
            let records = audit_of(store, subject_type, &subject_id).await;
            let record = records
                .iter()
                .find(|r| r.entry.action == action)
                .unwrap_or_else(|| panic!("no {action} entry about {subject_type} {subject_id}: {records:?}"));
            assert_eq!(record.at, at_min(minute), "{action}");
            assert_eq!(record.entry.actor, actor, "{action}");
            assert_eq!(record.entry.channel, channel, "{action}");
            assert_eq!(record.entry.subject_type, subject_type);
            assert_eq!(record.entry.subject_id, subject_id);
        }
        let detail: serde_json::Value =
            serde_json::from_str(&audit_of(store, "purchase", &purchase.purchase.id.0).await[0].entry.detail)
                .expect("the purchase entry's detail is JSON");
        assert_eq!(detail["app_id"], app.id.0);
        assert_eq!(detail["item_id"], item.id.0);
        assert_eq!(detail["customer_id"], customer.id.0);
        assert_eq!(detail["amount_minor"], 500);
    }
}

store_test! {
    /// R14: the log filters by subject, by actor, and by both; always newest first.
    async fn r14_audit_log_filters_by_subject_and_actor_newest_first(store: &dyn Store) {
        let world = World::seed(store).await;
        let mut tokens = Vec::new();
        for (n, user) in [&world.customer, &world.developer, &world.customer].into_iter().enumerate() {
            let token = token_for(user, &format!("hash-{n}"), TokenKind::Web, TokenScope::Full, at_min(n as i64));
            store.insert_token(&token, &audit_by(user, "token.issued")).await.expect("issue");
            tokens.push(token);
        }
        let revoke = audit_by(&world.developer, "token.revoked");
        assert!(store.revoke_token("hash-0", &revoke, at_min(10)).await.expect("revoke"));

        let everything = all_audit(store, &AuditFilter::default()).await;
        assert!(newest_first(&everything), "{everything:?}");

        let by_customer = all_audit(store, &AuditFilter { subject: None, actor: Some(world.customer.id.clone()), ..Default::default() }).await;
        assert!(newest_first(&by_customer));
        let subjects: Vec<_> = by_customer.iter().map(|r| r.entry.subject_id.clone()).collect();
        assert_eq!(subjects, [tokens[2].id.0.clone(), tokens[0].id.0.clone()]);
        assert!(by_customer.iter().all(|r| r.entry.actor.user_id.as_ref() == Some(&world.customer.id)));

        let about_token = all_audit(
            store,
            &AuditFilter { subject: Some(("token".to_owned(), tokens[0].id.0.clone())), actor: None, ..Default::default() },
        )
        .await;
        let actions: Vec<_> = about_token.iter().map(|r| r.entry.action.as_str()).collect();
        assert_eq!(actions, ["token.revoked", "token.issued"]);
        assert!(newest_first(&about_token));

        // Both filters at once: entries about that token *by* the developer only.
        let both = all_audit(
            store,
            &AuditFilter {
                subject: Some(("token".to_owned(), tokens[0].id.0.clone())),
                actor: Some(world.developer.id.clone()), ..Default::default()
            },
        )
        .await;
        let actions: Vec<_> = both.iter().map(|r| r.entry.action.as_str()).collect();
        assert_eq!(actions, ["token.revoked"]);

        let by_nobody = all_audit(store, &AuditFilter { subject: None, actor: Some(UserId::generate()), ..Default::default() }).await;
        assert!(by_nobody.is_empty());
        let about_nothing =
            all_audit(store, &AuditFilter { subject: Some(("app".to_owned(), "nope".to_owned())), actor: None, ..Default::default() }).await;
        assert!(about_nothing.is_empty());
    }
}

store_test! {
    /// R14: paging the log (entries sharing a time included) shows every entry once.
    async fn r14_audit_log_pages_show_every_entry_once(store: &dyn Store) {
        let world = World::seed(store).await;
        for n in 0..4 {
            let token = token_for(&world.customer, &format!("same-time-{n}"), TokenKind::Api, TokenScope::Full, t0());
            store.insert_token(&token, &audit_by(&world.customer, "token.issued")).await.expect("issue");
        }
        let everything = all_audit(store, &AuditFilter::default()).await;
        assert_eq!(everything.len(), 11 + 4);
        let mut paged = Vec::new();
        let mut cursor: Option<Cursor> = None;
        for _ in 0..20 {
            let next = store.audit_log(&AuditFilter::default(), &page(2, cursor.as_ref())).await.expect("page");
            assert!(next.items.len() <= 2);
            paged.extend(next.items);
            cursor = next.next_cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert!(cursor.is_none(), "paging ends");
        assert_eq!(paged, everything);
    }
}

store_test! {
    /// R7: payment identifiers are personal information; no audit entry spells one out.
    async fn r7_no_audit_entry_contains_an_unmasked_payment_id(store: &dyn Store) {
        let world = World::seed(store).await;
        let batch = [
            purchase_of(&world.customer, &world.app.id, None, 1_200, at_min(-30), "T20261121000000008F3A"),
            purchase_of(&world.other_customer, &world.other_app.id, Some(&world.other_item.id), 2_500, at_min(-20), "T20261121000000009B7C"),
        ];
        let outcomes = record(store, &world, &batch, 0).await;
        assert!(outcomes.iter().all(|o| matches!(o, RecordOutcome::Created(_))));
        // A retry and a conflicting retry must not leak them either.
        let mut clash = batch[0].clone();
        clash.amount = krw(1);
        record(store, &world, &[batch[0].clone(), clash], 1).await;

        let everything = all_audit(store, &AuditFilter::default()).await;
        assert!(everything.iter().any(|r| r.entry.action == "purchase.recorded"));
        for record in &everything {
            let text = serde_json::to_string(record).expect("an audit record serialises");
            for purchase in &batch {
                let ids = &purchase.payment;
                for secret in [Some(&ids.tid), ids.txid.as_ref(), ids.receipt_no.as_ref()].into_iter().flatten() {
                    assert!(!text.contains(secret.as_str()), "audit entry reveals {secret}: {text}");
                }
            }
        }
    }
}

// ----- secrets and text -----

store_test! {
    /// Every server process on one database signs with the same key: the first
    /// candidate is kept, later candidates are ignored.
    async fn secret_keeps_the_first_candidate(store: &dyn Store) {
        let first = [0_u8, 1, 2, 0xfe, 0xff, b'\'', b'\\'];
        assert_eq!(store.secret("cookie", &first, t0()).await.expect("secret"), first);
        assert_eq!(store.secret("cookie", b"a different candidate", at_min(1)).await.expect("secret"), first);
        assert_eq!(store.secret("cookie", b"", at_min(2)).await.expect("secret"), first);
        assert_eq!(store.secret("csrf", b"another key", at_min(3)).await.expect("secret"), b"another key");
        assert_eq!(store.secret("cookie", b"x", at_min(4)).await.expect("secret"), first);
    }
}

store_test! {
    /// Text is stored exactly as given: HTML, SQL metacharacters, Korean, emoji,
    /// newlines and tabs come back unchanged and are never interpreted.
    async fn text_with_html_sql_and_korean_round_trips_unchanged(store: &dyn Store) {
        let seller_name = "<script>alert('x')</script> & \"Co\" '; DROP TABLE sellers; --";
        let seller = make_seller(store, seller_name, t0()).await;
        assert_eq!(store.seller(&seller.id).await.expect("read").expect("exists").name, seller_name);

        let display_name = "김민지 <b>고객</b> '; DROP TABLE users; --";
        let email = "o'brien+<tag>@example.com";
        let customer = make_user(store, &new_user(email, display_name, Role::Customer, None, Some("고객-0001'--")), t0()).await;
        let read = store.user(&customer.id).await.expect("read").expect("exists");
        assert_eq!(read.display_name, display_name);
        assert_eq!(read.email, email);
        assert_eq!(store.credentials(email).await.expect("lookup").expect("exists").0, read);
        assert_eq!(store.customer_by_number("고객-0001'--").await.expect("lookup"), Some(read.clone()));
        // Metacharacters in a lookup are a value, never SQL.
        assert!(store.credentials("' OR '1'='1").await.expect("lookup").is_none());
        assert!(store.customer_by_number("' OR 1=1; --").await.expect("lookup").is_none());

        let title = "환불 요청 <script>alert(1)</script>'; DROP TABLE apps; --";
        let summary = "첫 줄입니다.\n\t둘째 줄 — \"인용\" `back` \\ 100% _under_ 😀\r\n<img src=x onerror=alert(1)>";
        let new_app = NewApp::new(seller.id.clone(), title, summary, Some((1_200, "KRW"))).expect("valid app");
        let app = store.create_app(&new_app, &system_audit("app.created"), t0()).await.expect("app");
        let read_app = store.app(&app.id).await.expect("read").expect("exists");
        assert_eq!(read_app.title, title);
        assert_eq!(read_app.summary, summary);
        assert_eq!(read_app.seller_name, seller_name);
        let item_title = "보석 100개 '; DELETE FROM items; -- <i>";
        let item = make_item(store, &app.id, item_title, 1_100, t0()).await;
        assert_eq!(store.items_of_app(&app.id).await.expect("items")[0].title, item_title);

        let tid = "T';DROP/**/TABLE/**/purchases;--";
        let mut new = purchase_of(&customer, &app.id, Some(&item.id), 1_100, at_min(-1), tid);
        new.payment.txid = Some("TX<script>".to_owned());
        let importer = AuditActor::system("import");
        let outcomes = store.record_purchases(&[new.clone()], &importer, Channel::Api, t0()).await.expect("record");
        let view = created(&outcomes[0]);
        let read = store.purchase(&view.purchase.id).await.expect("read").expect("exists");
        assert_eq!(read.purchase.payment, new.payment);
        assert_eq!(read.app_title, title);
        assert_eq!(read.item_title.as_deref(), Some(item_title));

        // Every table is still there.
        assert!(store.has_users().await.expect("has_users"));
        assert_eq!(store.list_apps(None, &page(10, None)).await.expect("list").items.len(), 1);
        assert_eq!(history_pages(store, &customer.id, 10).await.0.len(), 1);
        assert!(!all_audit(store, &AuditFilter::default()).await.is_empty());
    }
}
