//! The demo store (the README's demo): the five accounts with their roles, developers of
//! different sellers, customers with paid and free purchases of both sellers' apps, and
//! inquiries in every state (R4), some overdue (R5), in Korean and English, with their
//! mail in the outbox (R3); and the refund story: overdue refund inquiries with and
//! without consent (R5, R7), consent given later, reminders, cancellation requests in
//! every state (R8), one filed off-store (R9), one cancellation on the developer's
//! behalf (R5), with every kind of mail.

mod common;

use std::collections::BTreeSet;

use vocdesk::demo::{DEMO_PASSWORD, StoreNotEmpty};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::inquiry::{Category, DEFAULT_RESPONSE_LIMIT, InquiryFilter, InquiryScope, InquiryStatus, Side};
use vocdesk_domain::outbox::MailKind;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy::RequestScope;
use vocdesk_domain::purchase::PurchaseStatus;
use vocdesk_domain::refund::{RequestStatus, reminder_cutoff};
use vocdesk_domain::role::Role;
use vocdesk_store::{BlobStore, InquiryQuery, RequestQuery};

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
    assert_eq!(seed.users.len(), ACCOUNTS.len(), "exactly the accounts of the README");
    let mut hashes = BTreeSet::new();
    for (email, role) in ACCOUNTS {
        let (user, hash) = store.credentials(email).await.expect("query").unwrap_or_else(|| panic!("{email} exists"));
        assert_eq!(user.role, role, "{email}");
        assert!(vocdesk_app::password::verify(DEMO_PASSWORD, &hash), "{email} signs in with the demo password");
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
        let requests: Vec<_> = seed
            .requests
            .iter()
            .map(|(k, r)| (*k, r.status, r.reason.clone(), r.decision_note.clone(), r.created_at, r.decided_at))
            .collect();
        (apps, purchases, inquiries, requests)
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

/// R9: filed by a developer for a customer who asked by email or phone.
fn off_store(inquiry: &vocdesk_domain::inquiry::Inquiry) -> bool {
    matches!(inquiry.channel, Channel::Email | Channel::Phone)
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
    assert!((15..=20).contains(&listed.len()), "a dozen and a half inquiries, not {}", listed.len());
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
    assert!(listed.iter().any(|i| i.channel == Channel::Phone), "one was filed off-store by phone (R9)");
    assert!(listed.iter().all(|i| ["store", "api", "phone"].contains(&i.channel.as_str())));
    assert!(listed.iter().any(|i| i.consent_personal_info) && listed.iter().any(|i| !i.consent_personal_info));
    assert!(listed.iter().any(|i| i.purchase_id.is_some()) && listed.iter().any(|i| i.purchase_id.is_none()));

    // Who closed, and the reopened thread: read from the threads themselves.
    let mut closed_by = BTreeSet::new();
    let mut reopened = 0;
    for inquiry in &listed {
        let thread = store.thread(&inquiry.id).await.expect("query").expect("thread");
        assert_eq!(thread.messages.len() as i64, inquiry.message_count);
        if off_store(inquiry) {
            // R9: the developer's record of the customer's call opens the thread.
            assert_eq!(thread.messages.first().map(|m| m.side), Some(Side::Developer), "{}", inquiry.subject);
        } else {
            assert_eq!(thread.messages.first().map(|m| m.side), Some(Side::Customer), "a customer asks first");
            let answered = thread.messages.iter().any(|m| m.side == Side::Developer);
            assert_eq!(inquiry.first_response_at.is_some(), answered, "{}", inquiry.subject);
        }
        if inquiry.status == InquiryStatus::Closed {
            let last = thread.messages.last().expect("messages");
            closed_by.insert(if last.side == Side::Customer { "customer" } else { "developer" });
        }
        let audit = store
            .audit_log(
                &vocdesk_store::AuditFilter {
                    subject: Some(("inquiry".into(), inquiry.id.0.clone())),
                    actor: None,
                    ..Default::default()
                },
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
async fn r5_r7_some_inquiries_are_overdue_when_seeded_including_paid_refunds_with_and_without_consent() {
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
    for consent in [true, false] {
        let refund = overdue
            .iter()
            .find(|i| i.category == Category::Refund && i.consent_personal_info == consent)
            .unwrap_or_else(|| panic!("an overdue refund inquiry with consent {consent}"));
        let purchase =
            store.purchase(refund.purchase_id.as_ref().expect("a purchase")).await.expect("query").expect("it");
        assert_eq!(purchase.purchase.status, PurchaseStatus::Paid, "{}", refund.subject);
        assert!(purchase.purchase.amount.amount_minor > 0, "{}: a paid purchase, not a free one", refund.subject);
        assert_eq!(purchase.purchase.customer_id, refund.customer_id, "{}: the customer's own", refund.subject);
        let waited = now.duration_since(refund.awaiting_since.expect("waiting"));
        assert!(
            (jiff::SignedDuration::from_hours(96)..=jiff::SignedDuration::from_hours(120)).contains(&waited),
            "{}: waited 4 to 5 days, not {waited:?}",
            refund.subject
        );
    }

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
        // R9: an inquiry a developer files for a customer notifies no one of itself.
        assert_eq!(
            of_inquiry.iter().any(|m| m.mail.kind == MailKind::InquiryCreated),
            !off_store(inquiry),
            "{}",
            inquiry.subject
        );
        for queued in &of_inquiry {
            let mail = &queued.mail;
            let about_purchase = matches!(
                mail.kind,
                MailKind::PurchaseCancelled
                    | MailKind::CancellationApproved
                    | MailKind::CancellationRejected
                    | MailKind::CancelledOnBehalf
                    | MailKind::CancellationRequested
                    | MailKind::ConsentRecorded
            );
            // Refund mail names the purchase (its app); the others the thread's subject.
            let named = if about_purchase { &inquiry.app_title } else { &inquiry.subject };
            assert!(mail.subject.contains(named.as_str()), "{}: {}", inquiry.subject, mail.subject);
        }
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

/// Every cancellation request, oldest first, as the operators' queue reads them.
async fn all_requests(store: &dyn vocdesk_store::Store) -> Vec<vocdesk_domain::refund::CancellationRequest> {
    let query = RequestQuery { scope: RequestScope::All, status: None };
    store.cancellation_requests(&query, &PageRequest { limit: 100, after: None }).await.expect("requests").items
}

#[tokio::test]
async fn r8_r9_cancellation_requests_are_seeded_in_every_state_for_both_sellers_and_customers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let requests = all_requests(store.as_ref()).await;
    assert_eq!(requests.len(), seed.requests.len(), "the queue holds every seeded request");
    for (status, count) in seed.requests_by_status() {
        assert!(count >= 1, "a request is {}", status.as_str());
        assert_eq!(requests.iter().filter(|r| r.status == status).count(), count, "{}", status.as_str());
    }
    let sellers: BTreeSet<_> = requests.iter().map(|r| r.seller_id.clone()).collect();
    let customers: BTreeSet<_> = requests.iter().map(|r| r.customer_id.clone()).collect();
    assert_eq!((sellers.len(), customers.len()), (2, 2), "spread over both sellers and both customers");
    assert!(requests.windows(2).all(|w| w[0].created_at <= w[1].created_at), "the queue is oldest first");

    for request in &requests {
        let purchase = store.purchase(&request.purchase_id).await.expect("query").expect("the purchase");
        let inquiry = store.inquiry(&request.inquiry_id).await.expect("query").expect("the inquiry");
        assert_eq!(inquiry.purchase_id.as_ref(), Some(&request.purchase_id), "the inquiry names the purchase");
        assert_eq!(purchase.purchase.customer_id, inquiry.customer_id);
        assert_eq!(purchase.seller_id, request.seller_id, "the seller's own purchase");
        assert!(purchase.purchase.amount.amount_minor > 0, "a purchase for money");
        let developer = store.user(&request.requested_by).await.expect("query").expect("the developer");
        assert_eq!(developer.seller_id.as_ref(), Some(&request.seller_id), "requested by the seller's developer");
        assert!(!request.reason.trim().is_empty());
        match request.status {
            RequestStatus::Open => {
                assert_eq!(purchase.purchase.status, PurchaseStatus::Paid, "an open request cancels nothing yet");
                assert_eq!(request.decided_at, None);
            }
            RequestStatus::Approved => {
                assert_eq!(purchase.purchase.status, PurchaseStatus::Cancelled, "approval cancelled the purchase");
                let decided = request.decided_at.expect("decided");
                assert!(decided > request.created_at && decided < common::now());
                assert_eq!(purchase.purchase.cancelled_at, Some(decided));
            }
            RequestStatus::Rejected => {
                assert_eq!(purchase.purchase.status, PurchaseStatus::Paid, "a rejection keeps the purchase");
                assert!(request.decision_note.as_deref().is_some_and(|n| !n.trim().is_empty()), "with a reason");
                assert!(request.decided_at.is_some_and(|d| d > request.created_at));
            }
        }
    }

    // R9: the phone request, open, with the seed form as the developer's first message.
    let phone = requests.iter().find(|r| r.channel == Channel::Phone).expect("a request filed by phone");
    assert_eq!(phone.status, RequestStatus::Open);
    let inquiry = store.inquiry(&phone.inquiry_id).await.expect("query").expect("inquiry");
    assert_eq!((inquiry.channel, inquiry.category), (Channel::Phone, Category::Refund));
    assert!(inquiry.consent_personal_info, "consent O on the form");
    let thread = store.thread(&inquiry.id).await.expect("query").expect("thread");
    assert_eq!(thread.messages.len(), 1);
    let record = &thread.messages[0];
    assert_eq!(record.side, Side::Developer);
    let customer = store.user(&inquiry.customer_id).await.expect("query").expect("customer");
    let customer_no = customer.customer_no.expect("a customer number");
    for field in ["(O/X): O", customer_no.as_str(), "KST"] {
        assert!(record.body.contains(field), "the form's {field:?} in\n{}", record.body);
    }
    // R17: the reason is the developer's note for the store; the customer reads the record.
    assert!(!record.body.contains(phone.reason.as_str()), "the note stays on the request:\n{}", record.body);
    assert_eq!(inquiry.status, InquiryStatus::AwaitingStore, "R17: the store has the turn");
    assert!(inquiry.consent_recorded_by.is_some(), "R7: consent O recorded by the developer, for the customer");
    let of_thread = store.requests_of_inquiry(&inquiry.id).await.expect("query");
    assert_eq!(of_thread.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), vec![phone.id.clone()]);
}

#[tokio::test]
async fn r8_the_approved_request_cancelled_its_purchase_and_both_sides_were_told() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _seed) = common::demo_store(dir.path()).await;
    let requests = all_requests(store.as_ref()).await;
    let mails = store.outbox(None, &PageRequest { limit: 200, after: None }).await.expect("outbox").items;
    for request in requests.iter().filter(|r| r.status != RequestStatus::Open) {
        let inquiry = store.inquiry(&request.inquiry_id).await.expect("query").expect("inquiry");
        let of_inquiry: Vec<_> =
            mails.iter().filter(|m| m.mail.inquiry_id.as_ref() == Some(&inquiry.id)).map(|m| &m.mail).collect();
        let to_customer =
            |kind| of_inquiry.iter().any(|m| m.kind == kind && m.to_user == Some(inquiry.customer_id.clone()));
        let to_developer = |kind| {
            of_inquiry
                .iter()
                .any(|m| m.kind == kind && m.to_user.is_some() && m.to_user != Some(inquiry.customer_id.clone()))
        };
        match request.status {
            RequestStatus::Approved => {
                assert!(to_customer(MailKind::PurchaseCancelled), "the customer hears of the cancellation");
                assert!(to_developer(MailKind::CancellationApproved), "the developers hear of the approval");
            }
            _ => {
                assert!(to_customer(MailKind::CancellationRejected), "the customer hears of the rejection");
                assert!(to_developer(MailKind::CancellationRejected), "the developers hear of the rejection");
            }
        }
    }
}

#[tokio::test]
async fn r5_one_purchase_was_cancelled_on_the_developers_behalf_after_the_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    assert_eq!(seed.cancelled_on_behalf.len(), 1, "one cancellation on the developer's behalf");
    let (key, cancelled) = seed.cancelled_on_behalf.iter().next().expect("one");
    let inquiry = &seed.inquiries[key];
    let purchase = store.purchase(&cancelled.purchase.id).await.expect("query").expect("purchase");
    assert_eq!(purchase.purchase.status, PurchaseStatus::Cancelled);
    assert!(purchase.purchase.amount.amount_minor > 0);
    let cancelled_at = purchase.purchase.cancelled_at.expect("when");
    assert!(
        cancelled_at.duration_since(inquiry.created_at) > DEFAULT_RESPONSE_LIMIT,
        "cancelled only after the customer had waited past the limit"
    );
    assert_eq!(inquiry.category, Category::Refund);
    assert!(store.requests_of_inquiry(&inquiry.id).await.expect("query").is_empty(), "no request: the store acted");
    let mails = store.outbox(None, &PageRequest { limit: 200, after: None }).await.expect("outbox").items;
    let kinds: BTreeSet<_> = mails
        .iter()
        .filter(|m| m.mail.inquiry_id.as_ref() == Some(&inquiry.id))
        .map(|m| m.mail.kind.as_str())
        .collect();
    assert!(kinds.contains("cancelled_on_behalf") && kinds.contains("purchase_cancelled"), "{kinds:?}");
}

#[tokio::test]
async fn r7_a_customer_gave_consent_later_and_its_time_is_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _seed) = common::demo_store(dir.path()).await;
    let listed = all_inquiries(store.as_ref(), common::now()).await;
    let later = listed
        .iter()
        .find(|i| i.consent_personal_info && i.consent_at.is_some_and(|at| at > i.created_at))
        .expect("an inquiry whose customer consented after asking");
    assert!(later.consent_at.is_some_and(|at| at < common::now()));
    assert!(listed.iter().any(|i| !i.consent_personal_info), "and some without consent");
}

#[tokio::test]
async fn r5_waits_past_48_hours_were_reminded_and_the_auto_policy_has_overdue_refunds_to_cancel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let now = common::now();
    let listed = all_inquiries(store.as_ref(), now).await;

    // A refund inquiry 60 hours old: reminded, not yet overdue.
    let hours = |h: i64| jiff::SignedDuration::from_hours(h);
    let recent = listed
        .iter()
        .find(|i| {
            i.category == Category::Refund
                && i.awaiting_since.is_some_and(|since| (hours(48)..hours(72)).contains(&now.duration_since(since)))
        })
        .expect("a refund inquiry inside the reminder window");
    assert!(!recent.state().is_overdue(now, DEFAULT_RESPONSE_LIMIT));
    let mails = store.outbox(None, &PageRequest { limit: 200, after: None }).await.expect("outbox").items;
    let reminded = |id: &vocdesk_domain::ids::InquiryId| {
        mails.iter().any(|m| m.mail.kind == MailKind::ResponseReminder && m.mail.inquiry_id.as_ref() == Some(id))
    };
    assert!(reminded(&recent.id), "the 60-hour refund inquiry's seller was reminded");
    for inquiry in listed.iter().filter(|i| i.state().is_overdue(now, DEFAULT_RESPONSE_LIMIT)) {
        assert!(reminded(&inquiry.id), "{}: reminded before it went overdue", inquiry.subject);
    }
    assert!(seed.reminders >= 4, "{} reminders", seed.reminders);
    // So the sweep's first run on the demo sends no late reminders.
    let due = store.due_reminders(reminder_cutoff(now, DEFAULT_RESPONSE_LIMIT), 100).await.expect("query");
    assert!(due.is_empty(), "every due wait was reminded: {:?}", due.iter().map(|i| &i.subject).collect::<Vec<_>>());

    // R5 `auto`: exactly the overdue refund inquiries whose paid purchase is not settled.
    let cutoff = now.checked_sub(DEFAULT_RESPONSE_LIMIT).expect("in range");
    let candidates: BTreeSet<_> = store.auto_cancel_candidates(cutoff, 100).await.expect("query").into_iter().collect();
    let expected: BTreeSet<_> = listed
        .iter()
        .filter(|i| i.category == Category::Refund && i.state().is_overdue(now, DEFAULT_RESPONSE_LIMIT))
        .map(|i| i.id.clone())
        .collect();
    assert!(expected.len() >= 2, "overdue refund inquiries with and without consent");
    assert_eq!(candidates, expected, "the auto policy has exactly these to cancel");
}

/// What the refund story left behind, read through the store: requests by status,
/// cancelled purchases, overdue inquiries, the `auto` sweep's candidates, due reminders
/// and mail by kind.
async fn refund_story(
    store: &dyn vocdesk_store::Store,
) -> (Vec<(String, usize)>, usize, usize, usize, usize, Vec<String>) {
    let now = common::now();
    let requests = all_requests(store).await;
    let by_status =
        RequestStatus::ALL.map(|s| (s.as_str().to_owned(), requests.iter().filter(|r| r.status == s).count())).to_vec();
    let listed = all_inquiries(store, now).await;
    let mut cancelled = 0;
    for inquiry in &listed {
        if let Some(id) = &inquiry.purchase_id {
            let view = store.purchase(id).await.expect("query").expect("purchase");
            cancelled += usize::from(view.purchase.status == PurchaseStatus::Cancelled);
        }
    }
    let overdue = listed.iter().filter(|i| i.state().is_overdue(now, DEFAULT_RESPONSE_LIMIT)).count();
    let cutoff = now.checked_sub(DEFAULT_RESPONSE_LIMIT).expect("in range");
    let candidates = store.auto_cancel_candidates(cutoff, 100).await.expect("query").len();
    let due = store.due_reminders(reminder_cutoff(now, DEFAULT_RESPONSE_LIMIT), 100).await.expect("query").len();
    let mails = store.outbox(None, &PageRequest { limit: 200, after: None }).await.expect("outbox").items;
    let mut kinds: Vec<String> = mails.iter().map(|m| m.mail.kind.as_str().to_owned()).collect();
    kinds.sort();
    (by_status, cancelled, overdue, candidates, due, kinds)
}

#[tokio::test]
async fn r5_r8_r9_the_refund_story_seeds_the_same_on_postgresql_as_on_sqlite() {
    let Some(database) = common::PgDatabase::create("vocdesk_demo") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let (sqlite, _) = common::demo_store(dir.path()).await;
    let expected = refund_story(sqlite.as_ref()).await;

    let pg_dir = tempfile::tempdir().expect("temp dir");
    let store = vocdesk_store::open(Some(&database.url()), pg_dir.path()).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate");
    let blobs = BlobStore::in_data_dir(pg_dir.path());
    let seed = vocdesk::demo::seed(store.as_ref(), &blobs, common::now()).await.expect("seed the demo on PostgreSQL");
    let got = refund_story(store.as_ref()).await;
    assert_eq!(got, expected, "(requests by status, cancelled, overdue, auto candidates, due reminders, mail kinds)");
    assert!(got.0.iter().all(|(_, n)| *n >= 1), "requests in every state: {:?}", got.0);
    assert_eq!(seed.cancelled_on_behalf.len(), 1);
    drop(store);
}
