//! The demo store (DESIGN.md "Demo"): the five accounts with their roles, developers of
//! different sellers, customers with paid and free purchases of both sellers' apps, and
//! inquiries in every state (R4), some overdue (R5), in Korean and English, with their
//! mail in the outbox (R3).

mod common;

use std::collections::BTreeSet;

use vocdesk::demo::{DEMO_PASSWORD, StoreNotEmpty};
use vocdesk_domain::inquiry::{Category, DEFAULT_RESPONSE_LIMIT, InquiryFilter, InquiryScope, InquiryStatus, Side};
use vocdesk_domain::outbox::MailKind;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::purchase::PurchaseStatus;
use vocdesk_domain::role::Role;
use vocdesk_store::{BlobStore, InquiryQuery};

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
    let blobs = BlobStore::in_data_dir(dir.path());
    let error = vocdesk::demo::seed(store.as_ref(), &blobs, common::now()).await.expect_err("second seed refused");
    assert_eq!(error.downcast_ref::<StoreNotEmpty>(), Some(&StoreNotEmpty));
    let apps = store.list_apps(None, &PageRequest { limit: 100, after: None }).await.expect("query").items;
    assert_eq!(apps.len(), seed.apps.len(), "no second set of apps");
    let query =
        InquiryQuery { scope: InquiryScope::All, filter: InquiryFilter::default(), overdue_cutoff: common::now() };
    let inquiries = store.list_inquiries(&query, &PageRequest { limit: 100, after: None }).await.expect("query").items;
    assert_eq!(inquiries.len(), seed.inquiries.len(), "no second set of inquiries");
    let mails = store.outbox(None, &PageRequest { limit: 100, after: None }).await.expect("query").items;
    assert_eq!(mails.len(), seed.mails, "no second set of mails");
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
        let inquiries: Vec<_> = seed
            .inquiries
            .iter()
            .map(|(k, i)| (*k, i.subject.clone(), i.status, i.awaiting_since, i.message_count, i.last_activity_at))
            .collect();
        (apps, purchases, inquiries)
    };
    assert_eq!(content(&a), content(&b));
}

/// Everything an operator may see, in inbox order.
async fn all_inquiries(
    store: &dyn vocdesk_store::Store,
    now: jiff::Timestamp,
) -> Vec<vocdesk_domain::inquiry::Inquiry> {
    let overdue_cutoff = now.checked_sub(DEFAULT_RESPONSE_LIMIT).expect("in range");
    let query = InquiryQuery { scope: InquiryScope::All, filter: InquiryFilter::default(), overdue_cutoff };
    store.list_inquiries(&query, &PageRequest { limit: 100, after: None }).await.expect("query").items
}

fn is_korean(text: &str) -> bool {
    text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

#[tokio::test]
async fn r4_inquiries_are_seeded_in_every_status_both_sides_closing_and_one_reopened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let listed = all_inquiries(store.as_ref(), common::now()).await;
    assert_eq!(listed.len(), seed.inquiries.len(), "every seeded inquiry is in the operator's list");
    assert!((10..=12).contains(&listed.len()), "about a dozen inquiries, not {}", listed.len());
    for status in InquiryStatus::ALL {
        assert!(listed.iter().any(|i| i.status == status), "an inquiry is {}", status.as_str());
    }
    for category in Category::ALL {
        assert!(listed.iter().any(|i| i.category == category), "an inquiry is about {}", category.as_str());
    }
    let customers: BTreeSet<_> = listed.iter().map(|i| i.customer_id.clone()).collect();
    let sellers: BTreeSet<_> = listed.iter().map(|i| i.seller_id.clone()).collect();
    assert_eq!((customers.len(), sellers.len()), (2, 2), "both customers ask both sellers");
    assert!(listed.iter().any(|i| i.channel.as_str() == "api"), "one came through the API (R2)");
    assert!(listed.iter().all(|i| ["store", "api"].contains(&i.channel.as_str())));
    assert!(listed.iter().any(|i| i.consent_personal_info) && listed.iter().any(|i| !i.consent_personal_info));
    assert!(listed.iter().any(|i| i.purchase_id.is_some()) && listed.iter().any(|i| i.purchase_id.is_none()));

    // Who closed, and the reopened thread: read from the threads themselves.
    let mut closed_by = BTreeSet::new();
    let mut reopened = 0;
    for inquiry in &listed {
        let thread = store.thread(&inquiry.id).await.expect("query").expect("thread");
        assert_eq!(thread.messages.len() as i64, inquiry.message_count);
        assert_eq!(thread.messages.first().map(|m| m.side), Some(Side::Customer), "a customer asks first");
        let answered = thread.messages.iter().any(|m| m.side == Side::Developer);
        assert_eq!(inquiry.first_response_at.is_some(), answered, "{}", inquiry.subject);
        if inquiry.status == InquiryStatus::Closed {
            let last = thread.messages.last().expect("messages");
            closed_by.insert(if last.side == Side::Customer { "customer" } else { "developer" });
        }
        let audit = store
            .audit_log(
                &vocdesk_store::AuditFilter { subject: Some(("inquiry".into(), inquiry.id.0.clone())), actor: None },
                &PageRequest { limit: 100, after: None },
            )
            .await
            .expect("audit");
        let closes = audit.items.iter().filter(|r| r.entry.action == "inquiry.closed").count();
        if closes > 0 && inquiry.status == InquiryStatus::AwaitingDeveloper {
            reopened += 1;
        }
    }
    assert_eq!(closed_by.len(), 2, "one closed after the customer's thanks, one by the developer: {closed_by:?}");
    assert!(reopened >= 1, "one inquiry was reopened by a customer message after closing");
    let follow_up = listed.iter().any(|i| {
        i.status == InquiryStatus::AwaitingDeveloper && i.first_response_at.is_some() && i.closed_at.is_none()
    });
    assert!(follow_up, "a customer followed up after an answer");
}

#[tokio::test]
async fn r5_some_inquiries_are_overdue_when_seeded_including_a_paid_refund_with_consent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let now = common::now();
    let listed = all_inquiries(store.as_ref(), now).await;
    let overdue: Vec<_> = listed.iter().filter(|i| i.state().is_overdue(now, DEFAULT_RESPONSE_LIMIT)).collect();
    assert!(overdue.len() >= 2, "overdue at seeding time: {}", overdue.len());
    assert_eq!(overdue.len(), seed.overdue(now, DEFAULT_RESPONSE_LIMIT));
    for inquiry in &overdue {
        let since = inquiry.awaiting_since.expect("an owed answer");
        assert!(now.duration_since(since) > jiff::SignedDuration::from_hours(72), "{}", inquiry.subject);
        assert_eq!(inquiry.first_response_at, None, "{}: no developer reply", inquiry.subject);
    }
    let refund = overdue
        .iter()
        .find(|i| i.category == Category::Refund && i.consent_personal_info)
        .expect("an overdue refund inquiry with consent");
    let purchase = store.purchase(refund.purchase_id.as_ref().expect("a purchase")).await.expect("query").expect("it");
    assert_eq!(purchase.purchase.status, PurchaseStatus::Paid);
    assert!(purchase.purchase.amount.amount_minor > 0, "a paid purchase");

    // The `overdue` filter and the developer counts agree with the seed (R5).
    let filter = InquiryFilter { overdue: Some(true), ..InquiryFilter::default() };
    let cutoff = now.checked_sub(DEFAULT_RESPONSE_LIMIT).expect("in range");
    let query = InquiryQuery { scope: InquiryScope::All, filter, overdue_cutoff: cutoff };
    let filtered = store.list_inquiries(&query, &PageRequest { limit: 100, after: None }).await.expect("query");
    assert_eq!(filtered.items.len(), overdue.len());
    let mut counted = 0;
    for seller in seed.sellers.values() {
        counted +=
            store.inquiry_counts(&seller.id, cutoff).await.expect("counts").iter().map(|c| c.overdue).sum::<i64>();
    }
    assert_eq!(counted as usize, overdue.len());
}

#[tokio::test]
async fn r1_every_attached_purchase_is_the_customers_own_purchase_of_that_app_made_before_asking() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _seed) = common::demo_store(dir.path()).await;
    let listed = all_inquiries(store.as_ref(), common::now()).await;
    let mut attached = 0;
    for inquiry in &listed {
        let Some(purchase_id) = &inquiry.purchase_id else { continue };
        attached += 1;
        let view = store.purchase(purchase_id).await.expect("query").expect("the purchase exists");
        assert_eq!(view.purchase.customer_id, inquiry.customer_id, "{}", inquiry.subject);
        assert_eq!(view.purchase.app_id, inquiry.app_id, "{}", inquiry.subject);
        assert!(view.purchase.purchased_at < inquiry.created_at, "{}: bought before asking", inquiry.subject);
    }
    assert!(attached >= 5, "most inquiries name a purchase");
}

#[tokio::test]
async fn r3_conversations_are_in_each_customers_language_and_their_mail_is_in_the_outbox() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let listed = all_inquiries(store.as_ref(), common::now()).await;
    let customer1 = &seed.users["customer1@example.com"];
    let customer2 = &seed.users["customer2@example.com"];
    let (mut korean, mut english) = (0, 0);
    for inquiry in &listed {
        let thread = store.thread(&inquiry.id).await.expect("query").expect("thread");
        let texts: Vec<&str> =
            std::iter::once(inquiry.subject.as_str()).chain(thread.messages.iter().map(|m| m.body.as_str())).collect();
        if inquiry.customer_id == customer1.id {
            assert!(texts.iter().all(|t| is_korean(t)), "customer1 (ko) talks in Korean: {}", inquiry.subject);
            korean += 1;
        } else {
            assert_eq!(inquiry.customer_id, customer2.id);
            assert!(texts.iter().all(|t| !is_korean(t)), "customer2 (en) talks in English: {}", inquiry.subject);
            english += 1;
        }
    }
    assert!(korean >= 3 && english >= 3, "both languages: {korean} Korean, {english} English");

    let page = PageRequest { limit: 200, after: None };
    let mails = store.outbox(None, &page).await.expect("outbox").items;
    assert!(!mails.is_empty(), "the inquiries queued mail");
    assert_eq!(mails.len(), seed.mails);
    for kind in MailKind::ALL {
        assert!(mails.iter().any(|m| m.mail.kind == kind), "a {} mail", kind.as_str());
    }
    for inquiry in &listed {
        let of_inquiry: Vec<_> = mails.iter().filter(|m| m.mail.inquiry_id.as_ref() == Some(&inquiry.id)).collect();
        assert!(of_inquiry.iter().any(|m| m.mail.kind == MailKind::InquiryCreated), "{}", inquiry.subject);
        assert!(of_inquiry.iter().all(|m| m.mail.subject.contains(&inquiry.subject)), "{}", inquiry.subject);
    }
    // A reply goes to the customer, in the customer's language.
    let reply =
        mails.iter().find(|m| m.mail.kind == MailKind::DeveloperReply && m.mail.to_user == Some(customer1.id.clone()));
    assert_eq!(reply.expect("a reply to customer1").mail.locale.tag(), "ko");
    let reply =
        mails.iter().find(|m| m.mail.kind == MailKind::DeveloperReply && m.mail.to_user == Some(customer2.id.clone()));
    assert_eq!(reply.expect("a reply to customer2").mail.locale.tag(), "en");
}

#[tokio::test]
async fn r1_a_message_carries_a_plain_text_log_kept_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _seed) = common::demo_store(dir.path()).await;
    let blobs = BlobStore::in_data_dir(dir.path());
    let mut found = Vec::new();
    for inquiry in all_inquiries(store.as_ref(), common::now()).await {
        let thread = store.thread(&inquiry.id).await.expect("query").expect("thread");
        for meta in thread.messages.iter().flat_map(|m| m.attachments.iter()) {
            let bytes = blobs.get(&meta.sha256).await.expect("read").expect("the bytes are kept");
            assert_eq!(bytes.len() as i64, meta.size);
            assert_eq!(store.attachment(&inquiry.id, &meta.id).await.expect("query").as_ref(), Some(meta));
            found.push(meta.clone());
        }
    }
    assert_eq!(found.len(), 1, "one log file: {found:?}");
    assert_eq!(found[0].content_type, "text/plain; charset=utf-8");
    assert!(found[0].filename.ends_with(".log"));
}
