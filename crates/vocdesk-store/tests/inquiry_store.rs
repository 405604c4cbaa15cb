//! Inquiries through the `Store` trait, on SQLite and PostgreSQL: the R4 status machine
//! as the store applies it under the row lock, R5's `awaiting_since`, the outbox rows
//! (R3) and audit entries (R14) committed with each change, concurrent replies, the
//! inbox order with its filters, and the per-app counts.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::{InquiryId, SellerId};
use vocdesk_domain::inquiry::{
    Category, Inquiry, InquiryFilter, InquiryInput, InquiryScope, InquiryStatus, NewInquiry, NewMessage, Side,
    TransitionError,
};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_domain::page::PageRequest;
use vocdesk_store::{Acting, AuditFilter, InquiryQuery, MessageOutcome, Store, StoreError};

use support::*;

// ----- helpers -----

fn acting(user: &User) -> Acting {
    Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Api }
}

fn mail(kind: MailKind, to: &User, inquiry: &InquiryId) -> OutgoingMail {
    OutgoingMail {
        kind,
        to_user: Some(to.id.clone()),
        to_email: to.email.clone(),
        locale: Locale::Ko,
        subject: format!("{} {}", kind.as_str(), inquiry),
        body_text: "text".to_owned(),
        body_html: "<p>html</p>".to_owned(),
        inquiry_id: Some(inquiry.clone()),
    }
}

fn new_inquiry(customer: &User, app: &App, category: &str) -> NewInquiry {
    let input = InquiryInput { category, subject: "레벨 3", body: "열리지 않아요", ..Default::default() };
    NewInquiry::parse(&input, app.id.clone(), customer.id.clone(), Channel::Store).expect("a valid inquiry")
}

/// Opens an inquiry of `customer` about `app` at `at`, with one mail to the developer.
async fn ask(store: &dyn Store, world: &World, customer: &User, app: &App, category: &str, at: Timestamp) -> Inquiry {
    let new = new_inquiry(customer, app, category);
    let mails = [mail(MailKind::InquiryCreated, &world.developer, &new.id)];
    store.create_inquiry(&new, &mails, &acting(customer), at).await.expect("create inquiry").inquiry
}

fn message(author: &User, side: Side, body: &str) -> NewMessage {
    NewMessage::parse(author.id.clone(), side, Channel::Api, body).expect("a valid message")
}

/// Adds a message that R4 allows.
async fn write(store: &dyn Store, inquiry: &InquiryId, author: &User, side: Side, at: Timestamp) -> Inquiry {
    let to = author; // the recipient does not matter to the store
    let mails = [mail(MailKind::DeveloperReply, to, inquiry)];
    match store.add_message(inquiry, &message(author, side, "메시지"), &mails, &acting(author), at).await {
        Ok(MessageOutcome::Added { inquiry, message }) => {
            assert_eq!(message.side, side);
            assert_eq!(message.created_at, at);
            *inquiry
        }
        other => panic!("message refused: {other:?}"),
    }
}

/// Rows a change writes: inquiries, messages (of every inquiry), outbox, audit.
async fn rows(store: &dyn Store) -> (usize, usize, usize, usize) {
    let all = listed(store, InquiryScope::All, InquiryFilter::default(), t0()).await;
    let mut messages = 0;
    for inquiry in &all {
        messages += store.thread(&inquiry.id).await.expect("thread").expect("exists").messages.len();
    }
    let mut outbox = 0;
    let mut page = PageRequest { limit: 100, after: None };
    loop {
        let got = store.outbox(None, &page).await.expect("outbox");
        outbox += got.items.len();
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => break,
        }
    }
    (all.len(), messages, outbox, all_audit(store, &AuditFilter::default()).await.len())
}

/// Every inquiry in `scope` matching `filter`, page by page (two rows a page).
async fn listed(store: &dyn Store, scope: InquiryScope, filter: InquiryFilter, now: Timestamp) -> Vec<Inquiry> {
    let query = InquiryQuery { scope, filter, overdue_cutoff: now - SignedDuration::from_hours(72) };
    let mut out = Vec::new();
    let mut page = PageRequest { limit: 2, after: None };
    for _ in 0..50 {
        let got = store.list_inquiries(&query, &page).await.expect("list inquiries");
        out.extend(got.items);
        match got.next_cursor {
            Some(c) => page.after = Some(c),
            None => return out,
        }
    }
    panic!("paging does not end");
}

fn ids(inquiries: &[Inquiry]) -> Vec<InquiryId> {
    inquiries.iter().map(|i| i.id.clone()).collect()
}

// ----- R4 / R5 -----

store_test! {
    /// R4 through the store, and R5's clock: it starts at the customer's oldest
    /// unanswered message, stops on a developer reply or close, and a developer cannot
    /// write into a closed thread (nothing is written).
    async fn r4_r5_the_status_machine_through_the_store(store: &dyn Store) {
        let world = World::seed(store).await;
        let (customer, developer) = (&world.customer, &world.developer);
        let opened = ask(store, &world, customer, &world.app, "question", at_min(0)).await;
        let id = opened.id.clone();
        assert_eq!(opened.status, InquiryStatus::AwaitingDeveloper);
        assert_eq!(opened.awaiting_since, Some(at_min(0)));
        assert_eq!(opened.message_count, 1);
        assert_eq!(opened.seller_id, world.seller.id);
        assert_eq!(opened.channel, Channel::Store);

        let answered = write(store, &id, developer, Side::Developer, at_min(1)).await;
        assert_eq!(answered.status, InquiryStatus::AwaitingCustomer);
        assert_eq!(answered.awaiting_since, None);
        assert_eq!(answered.first_response_at, Some(at_min(1)));

        let followed = write(store, &id, customer, Side::Customer, at_min(2)).await;
        assert_eq!(followed.status, InquiryStatus::AwaitingDeveloper);
        assert_eq!(followed.awaiting_since, Some(at_min(2)));
        let again = write(store, &id, customer, Side::Customer, at_min(3)).await;
        assert_eq!(again.awaiting_since, Some(at_min(2)), "the oldest unanswered message keeps counting");
        assert_eq!(again.last_activity_at, at_min(3));

        let second_answer = write(store, &id, developer, Side::Developer, at_min(4)).await;
        assert_eq!(second_answer.first_response_at, Some(at_min(1)), "the first response stays the first");

        let (closed, changed) =
            store.close_inquiry(&id, Side::Customer, &acting(customer), at_min(5)).await.expect("close");
        assert!(changed);
        assert_eq!(closed.status, InquiryStatus::Closed);
        assert_eq!(closed.closed_at, Some(at_min(5)));
        assert_eq!(closed.awaiting_since, None);

        let before = rows(store).await;
        let (unchanged, changed) =
            store.close_inquiry(&id, Side::Developer, &acting(developer), at_min(6)).await.expect("close again");
        assert!(!changed);
        assert_eq!(unchanged, closed);
        let mails = [mail(MailKind::DeveloperReply, customer, &id)];
        let refused = store
            .add_message(&id, &message(developer, Side::Developer, "늦은 답변"), &mails, &acting(developer), at_min(7))
            .await
            .expect("answered");
        assert_eq!(refused, MessageOutcome::Refused(TransitionError::Closed));
        assert_eq!(rows(store).await, before, "nothing written");
        assert_eq!(store.inquiry(&id).await.expect("read"), Some(closed));

        let reopened = write(store, &id, customer, Side::Customer, at_min(8)).await;
        assert_eq!(reopened.status, InquiryStatus::AwaitingDeveloper);
        assert_eq!(reopened.awaiting_since, Some(at_min(8)));
        assert_eq!(reopened.closed_at, None);
        let thread = store.thread(&id).await.expect("thread").expect("exists");
        let seqs: Vec<i64> = thread.messages.iter().map(|m| m.seq).collect();
        assert_eq!(seqs, [1, 2, 3, 4, 5, 6]);
        assert_eq!(thread.inquiry.message_count, 6);
        let sides: Vec<Side> = thread.messages.iter().map(|m| m.side).collect();
        use Side::{Customer as C, Developer as D};
        assert_eq!(sides, [C, D, C, C, D, C]);

        let nope = InquiryId("nope".into());
        let missing = store.close_inquiry(&nope, Side::Customer, &acting(customer), at_min(9)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

store_test! {
    /// R3/R14: the outbox rows and the audit entry commit with the change, and a refused
    /// or failed change writes neither.
    async fn r3_r14_mails_and_audit_commit_with_the_change(store: &dyn Store) {
        let world = World::seed(store).await;
        let start = rows(store).await;
        let new = new_inquiry(&world.customer, &world.app, "refund");
        let mails = [
            mail(MailKind::InquiryCreated, &world.developer, &new.id),
            mail(MailKind::InquiryCreated, &world.operator, &new.id),
        ];
        let created = store.create_inquiry(&new, &mails, &acting(&world.customer), at_min(0)).await.expect("create").inquiry;
        let after_create = rows(store).await;
        assert_eq!(after_create, (start.0 + 1, start.1 + 1, start.2 + 2, start.3 + 1));
        let audit = audit_of(store, "inquiry", &created.id.0).await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].entry.action, "inquiry.created");
        assert_eq!(audit[0].entry.actor.user_id.as_ref(), Some(&world.customer.id));
        assert_eq!(audit[0].entry.channel, Channel::Api);
        assert_eq!(audit[0].at, at_min(0));

        write(store, &created.id, &world.developer, Side::Developer, at_min(1)).await;
        assert_eq!(rows(store).await, (after_create.0, after_create.1 + 1, after_create.2 + 1, after_create.3 + 1));
        let actions: Vec<String> =
            audit_of(store, "inquiry", &created.id.0).await.into_iter().map(|r| r.entry.action).collect();
        assert_eq!(actions, ["inquiry.message_added", "inquiry.created"]);

        // An inquiry about an app that does not exist writes nothing at all.
        let before = rows(store).await;
        let mut orphan = new_inquiry(&world.customer, &world.app, "other");
        orphan.app_id = vocdesk_domain::ids::AppId("no-such-app".into());
        let mails = [mail(MailKind::InquiryCreated, &world.developer, &orphan.id)];
        let failed = store.create_inquiry(&orphan, &mails, &acting(&world.customer), at_min(2)).await;
        assert!(failed.is_err(), "{failed:?}");
        assert_eq!(rows(store).await, before);
        // A message to an inquiry that does not exist neither.
        let failed = store
            .add_message(
                &InquiryId("no-such-inquiry".into()),
                &message(&world.customer, Side::Customer, "여보세요"),
                &mails,
                &acting(&world.customer),
                at_min(3),
            )
            .await;
        assert!(matches!(failed, Err(StoreError::NotFound)), "{failed:?}");
        assert_eq!(rows(store).await, before);
    }
}

store_test! {
    /// R4: ten replies sent at once, at the same instant, all land, numbered 2..=11 in
    /// commit order without gaps or repeats (the inquiry's row lock on PostgreSQL, the
    /// single writer on SQLite).
    async fn r4_concurrent_messages_are_numbered_without_gaps(fixture: &TestStore) {
        let store = fixture.store();
        let world = World::seed(store).await;
        let opened = ask(store, &world, &world.customer, &world.app, "question", at_min(0)).await;
        let shared: Arc<dyn Store> = fixture.reopen().await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..10 {
            let shared = shared.clone();
            let id = opened.id.clone();
            let (author, side) = if i % 2 == 0 {
                (world.customer.clone(), Side::Customer)
            } else {
                (world.developer.clone(), Side::Developer)
            };
            tasks.spawn(async move {
                let new = message(&author, side, &format!("동시에 {i}"));
                let mails = [mail(MailKind::CustomerFollowUp, &author, &id)];
                shared.add_message(&id, &new, &mails, &acting(&author), at_min(1)).await
            });
        }
        let mut seqs = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined.expect("the task ran").expect("the store answered") {
                MessageOutcome::Added { message, .. } => seqs.push(message.seq),
                MessageOutcome::Refused(e) => panic!("refused: {e}"),
            }
        }
        seqs.sort();
        assert_eq!(seqs, (2..=11).collect::<Vec<i64>>());
        let thread = store.thread(&opened.id).await.expect("thread").expect("exists");
        assert_eq!(thread.messages.iter().map(|m| m.seq).collect::<Vec<_>>(), (1..=11).collect::<Vec<i64>>());
        assert_eq!(thread.inquiry.message_count, 11);
        assert_eq!(audit_of(store, "inquiry", &opened.id.0).await.len(), 11);
    }
}

// ----- lists and counts -----

store_test! {
    /// The inbox order (owed answers first, longest waiting on top, then the others by
    /// recent activity), the customer's own order (recent activity first), the filters,
    /// R5's overdue cut-off, and the per-app counts.
    async fn r5_inbox_order_filters_and_counts(store: &dyn Store) {
        let world = World::seed(store).await;
        let (c1, c2, dev) = (&world.customer, &world.other_customer, &world.developer);
        let a = ask(store, &world, c1, &world.app, "question", at_min(0)).await.id;
        let b = ask(store, &world, c2, &world.app, "refund", at_min(1)).await.id;
        let c = ask(store, &world, c1, &world.app, "error_report", at_min(2)).await.id;
        let d = ask(store, &world, c2, &world.app, "question", at_min(3)).await.id;
        write(store, &d, dev, Side::Developer, at_min(4)).await;
        store.close_inquiry(&d, Side::Developer, &acting(dev), at_min(5)).await.expect("close");
        write(store, &c, dev, Side::Developer, at_min(6)).await;
        let e = ask(store, &world, c1, &world.other_app, "other", at_min(7)).await.id;
        // b is followed up: its clock still runs from its first message.
        write(store, &b, c2, Side::Customer, at_min(8)).await;

        let seller = InquiryScope::Seller(world.seller.id.clone());
        let now = at_min(10);
        let all = InquiryFilter::default();
        let inbox = [a.clone(), b.clone(), c.clone(), d.clone()];
        assert_eq!(ids(&listed(store, seller.clone(), all.clone(), now).await), inbox);
        let other_seller = InquiryScope::Seller(world.other_seller.id.clone());
        assert_eq!(ids(&listed(store, other_seller, all.clone(), now).await), vec![e.clone()]);
        assert_eq!(
            ids(&listed(store, InquiryScope::Customer(c1.id.clone()), all.clone(), now).await),
            [e.clone(), c.clone(), a.clone()]
        );
        let everything = [a.clone(), b.clone(), e.clone(), c.clone(), d.clone()];
        assert_eq!(ids(&listed(store, InquiryScope::All, all.clone(), now).await), everything);
        let status = InquiryFilter { status: Some(InquiryStatus::AwaitingCustomer), ..Default::default() };
        assert_eq!(ids(&listed(store, seller.clone(), status, now).await), vec![c.clone()]);
        let refund = InquiryFilter { category: Some(Category::Refund), ..Default::default() };
        assert_eq!(ids(&listed(store, InquiryScope::All, refund, now).await), vec![b.clone()]);
        let other_app = InquiryFilter { app_id: Some(world.other_app.id.clone()), ..Default::default() };
        assert_eq!(ids(&listed(store, InquiryScope::All, other_app, now).await), vec![e.clone()]);

        // R5: exactly 72 hours is not overdue; a millisecond more is.
        let overdue = InquiryFilter { overdue: Some(true), ..Default::default() };
        let not_overdue = InquiryFilter { overdue: Some(false), ..Default::default() };
        let at_limit = at_min(0) + SignedDuration::from_hours(72);
        assert_eq!(ids(&listed(store, seller.clone(), overdue.clone(), at_limit).await), Vec::<InquiryId>::new());
        let past = at_limit + SignedDuration::from_millis(1);
        assert_eq!(ids(&listed(store, seller.clone(), overdue.clone(), past).await), vec![a.clone()]);
        assert_eq!(ids(&listed(store, seller.clone(), not_overdue, past).await), [b.clone(), c.clone(), d.clone()]);
        let later = at_min(1) + SignedDuration::from_hours(73);
        assert_eq!(ids(&listed(store, InquiryScope::All, overdue, later).await), [a.clone(), b.clone(), e.clone()]);

        let cutoff = |now: Timestamp| now - SignedDuration::from_hours(72);
        let counts = store.inquiry_counts(&world.seller.id, cutoff(now)).await.expect("counts");
        assert_eq!(counts.len(), 1);
        assert_eq!((counts[0].app_id.clone(), counts[0].unanswered, counts[0].overdue), (world.app.id.clone(), 2, 0));
        let counts = store.inquiry_counts(&world.seller.id, cutoff(past)).await.expect("counts");
        assert_eq!((counts[0].unanswered, counts[0].overdue), (2, 1));
        let counts = store.inquiry_counts(&world.other_seller.id, cutoff(later)).await.expect("counts");
        assert_eq!((counts[0].app_title.as_str(), counts[0].unanswered, counts[0].overdue), ("Free Two", 1, 1));
        let none = store.inquiry_counts(&SellerId("no-such-seller".into()), cutoff(now)).await.expect("counts");
        assert!(none.is_empty());
    }
}
