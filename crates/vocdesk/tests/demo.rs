//! The demo store (DESIGN.md "Demo"): the five accounts with their roles, developers of
//! different sellers, customers with paid and free purchases of both sellers' apps.

mod common;

use std::collections::BTreeSet;

use vocdesk::demo::{DEMO_PASSWORD, StoreNotEmpty};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::purchase::PurchaseStatus;
use vocdesk_domain::role::Role;

const ACCOUNTS: [(&str, Role); 5] = [
    ("operator@example.com", Role::Operator),
    ("dev1@example.com", Role::Developer),
    ("dev2@example.com", Role::Developer),
    ("customer1@example.com", Role::Customer),
    ("customer2@example.com", Role::Customer),
];

#[tokio::test]
async fn the_five_demo_accounts_sign_in_with_the_demo_password_and_their_roles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    assert_eq!(seed.users.len(), ACCOUNTS.len(), "exactly the accounts of DESIGN.md");
    let mut hashes = BTreeSet::new();
    for (email, role) in ACCOUNTS {
        let (user, hash) = store.credentials(email).await.expect("query").unwrap_or_else(|| panic!("{email} exists"));
        assert_eq!(user.role, role, "{email}");
        assert!(vocdesk_web::password::verify(DEMO_PASSWORD, &hash), "{email} signs in with the demo password");
        assert_eq!(user.seller_id.is_some(), role == Role::Developer, "{email}");
        assert_eq!(user.customer_no.is_some(), role == Role::Customer, "{email}");
        hashes.insert(hash);
    }
    assert_eq!(hashes.len(), 1, "the password is hashed once and the hash reused");

    let dev1 = store.credentials("dev1@example.com").await.expect("query").expect("dev1").0;
    let dev2 = store.credentials("dev2@example.com").await.expect("query").expect("dev2").0;
    assert_ne!(dev1.seller_id, dev2.seller_id, "dev1 and dev2 belong to different sellers");
    let customer1 = store.credentials("customer1@example.com").await.expect("query").expect("c1").0;
    let customer2 = store.credentials("customer2@example.com").await.expect("query").expect("c2").0;
    assert_eq!(customer1.locale.tag(), "ko");
    assert_eq!(customer2.locale.tag(), "en");
    assert_eq!(
        store.customer_by_number("C-100001").await.expect("query").map(|u| u.id),
        Some(customer1.id),
        "customers are found by customer number"
    );
}

#[tokio::test]
async fn each_customer_has_paid_and_free_purchases_of_both_sellers_apps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let now = common::now();
    let month_ago = now.checked_sub(jiff::SignedDuration::from_hours(24 * 31)).expect("in range");
    let sellers: Vec<_> = seed.sellers.values().map(|s| s.id.clone()).collect();
    assert_eq!(sellers.len(), 2);
    let page = PageRequest { limit: 100, after: None };
    let mut cancelled = 0;
    for email in ["customer1@example.com", "customer2@example.com"] {
        let customer = &seed.users[email];
        let purchases = store.purchases_of_customer(&customer.id, &page).await.expect("query").items;
        assert!(purchases.iter().any(|p| p.purchase.item_id.is_some()), "{email} bought in-app items");
        for seller in &sellers {
            let of_seller: Vec<_> = purchases.iter().filter(|p| &p.seller_id == seller).collect();
            assert!(
                of_seller.iter().any(|p| p.purchase.amount.amount_minor > 0
                    && p.purchase.item_id.is_none()
                    && p.purchase.status == PurchaseStatus::Paid),
                "{email} has a paid app of seller {seller}"
            );
            assert!(
                of_seller.iter().any(|p| p.purchase.amount.amount_minor == 0 && p.purchase.item_id.is_none()),
                "{email} has a free app of seller {seller}"
            );
        }
        for view in &purchases {
            let p = &view.purchase;
            assert!(p.purchased_at < now && p.purchased_at > month_ago, "purchases lie in the last month");
            assert!(p.payment.tid.starts_with('T'), "{}", p.payment.tid);
            if p.amount.amount_minor > 0 {
                assert!(p.payment.txid.as_deref().is_some_and(|t| t.starts_with("TX-")));
                assert!(p.payment.receipt_no.as_deref().is_some_and(|r| r.starts_with("R-")));
            }
        }
        cancelled += purchases.iter().filter(|p| p.purchase.status == PurchaseStatus::Cancelled).count();
    }
    assert!(cancelled >= 1, "some purchases are cancelled");
}

#[tokio::test]
async fn seeding_a_store_that_has_accounts_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    assert!(vocdesk::demo::accounts_present(store.as_ref()).await.expect("query"));
    let error = vocdesk::demo::seed(store.as_ref(), common::now()).await.expect_err("second seed refused");
    assert_eq!(error.downcast_ref::<StoreNotEmpty>(), Some(&StoreNotEmpty));
    let apps = store.list_apps(None, &PageRequest { limit: 100, after: None }).await.expect("query").items;
    assert_eq!(apps.len(), seed.apps.len(), "no second set of apps");
}

#[tokio::test]
async fn the_demo_content_is_the_same_on_every_run() {
    let (first, second) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let (_, a) = common::demo_store(first.path()).await;
    let (_, b) = common::demo_store(second.path()).await;
    let content = |seed: &vocdesk::demo::DemoSeed| {
        let apps: Vec<_> = seed.apps.iter().map(|(k, app)| (*k, app.title.clone(), app.price.clone())).collect();
        let purchases: Vec<_> = seed
            .purchases
            .iter()
            .map(|(k, v)| (*k, v.purchase.payment.clone(), v.purchase.amount.clone(), v.purchase.purchased_at))
            .collect();
        (apps, purchases)
    };
    assert_eq!(content(&a), content(&b));
}
