//! Refunds through the `Store` trait, on SQLite and PostgreSQL: R8 cancellation
//! requests (one open per purchase, idempotency keys, final decisions), R9 off-store
//! filings, R5 cancellation on the developer's behalf and the sweep's reads
//! (candidates, reminders), R7 consent and reveals, and the R14 audit trail by inquiry
//! and by purchase. Races run on two handles of one database, as two server processes
//! would, and a purchase is cancelled at most once whatever wins.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, AuditRecord, Channel};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, MessageId, PurchaseId, UserId};
use vocdesk_domain::inquiry::{
    Category, DEFAULT_RESPONSE_LIMIT, Inquiry, InquiryFilter, InquiryInput, InquiryScope, InquiryStatus, NewInquiry,
    NewMessage, Side,
};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::policy::RequestScope;
use vocdesk_domain::purchase::{PurchaseStatus, PurchaseView};
use vocdesk_domain::refund::{
    AUTO_CANCEL_ACTOR, CancelRefusal, CancellationRequest, Decision, Idempotency, NewCancellationRequest,
    REMINDER_ACTOR, RequestStatus, reminder_cutoff,
};
use vocdesk_domain::role::Role;
use vocdesk_store::{
    Acting, AuditFilter, DecideOutcome, InquiryQuery, MessageOutcome, OffStoreOutcome, OnBehalfOutcome, RequestQuery,
    Store, StoreError, SubmitOutcome, sweep_sql,
};

use support::*;

// ----- helpers -----

fn acting(user: &User) -> Acting {
    Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Api }
}

/// The store's `auto` policy, as the sweep acts (R5).
fn policy() -> Acting {
    Acting { actor: AuditActor::system(AUTO_CANCEL_ACTOR), channel: Channel::System }
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

/// What an approval or a cancellation tells: the customer and the developer.
fn cancel_mails(world: &World, inquiry: &InquiryId) -> Vec<OutgoingMail> {
    vec![
        mail(MailKind::PurchaseCancelled, &world.customer, inquiry),
        mail(MailKind::CancellationApproved, &world.developer, inquiry),
    ]
}

/// `hours` (and `ms` milliseconds) after [`t0`].
fn after(hours: i64, ms: i64) -> Timestamp {
    t0() + SignedDuration::from_hours(hours) + SignedDuration::from_millis(ms)
}

/// R5: the overdue cut-off at `now` under the default limit.
fn cutoff(now: Timestamp) -> Timestamp {
    now - DEFAULT_RESPONSE_LIMIT
}

/// The accounts, purchases and the refund inquiry most tests start from.
struct Refunds {
    world: World,
    /// The customer's purchase of the paid app (1,200 won).
    paid: PurchaseView,
    /// The customer's purchase of the paid app's item (3,300 won).
    gems: PurchaseView,
    /// The customer's free app of the other seller.
    free: PurchaseView,
    /// The customer's purchase of the other seller's item, recorded cancelled.
    cancelled: PurchaseView,
    /// The customer's refund inquiry about `paid`, asked at [`t0`].
    inquiry: Inquiry,
}

impl Refunds {
    async fn seed(store: &dyn Store) -> Refunds {
        let world = World::seed(store).await;
        let c = &world.customer;
        let paid =
            record_purchase(store, purchase_of(c, &world.app.id, None, 1_200, at_min(-40), "T-PAID"), at_min(-40))
                .await;
        let gems = record_purchase(
            store,
            purchase_of(c, &world.app.id, Some(&world.item.id), 3_300, at_min(-39), "T-GEMS"),
            at_min(-39),
        )
        .await;
        let free =
            record_purchase(store, purchase_of(c, &world.other_app.id, None, 0, at_min(-38), "T-FREE"), at_min(-38))
                .await;
        let mut gone = purchase_of(c, &world.other_app.id, Some(&world.other_item.id), 2_500, at_min(-37), "T-GONE");
        gone.status = PurchaseStatus::Cancelled;
        let cancelled = record_purchase(store, gone, at_min(-37)).await;
        let inquiry = ask(store, c, &world.app, "refund", Some(&paid), at_min(0)).await;
        Refunds { world, paid, gems, free, cancelled, inquiry }
    }
}

/// Opens an inquiry of `customer` about `app`, naming `purchase`.
async fn ask(
    store: &dyn Store,
    customer: &User,
    app: &App,
    category: &str,
    purchase: Option<&PurchaseView>,
    at: Timestamp,
) -> Inquiry {
    let purchase_id = purchase.map(|p| p.purchase.id.0.clone());
    let input = InquiryInput {
        category,
        subject: "환불 부탁드립니다",
        body: "실수로 구매했어요.",
        purchase_id: purchase_id.as_deref(),
        consent_personal_info: false,
    };
    let new = NewInquiry::parse(&input, app.id.clone(), customer.id.clone(), Channel::Store).expect("a valid inquiry");
    store.create_inquiry(&new, &[], &acting(customer), at).await.expect("create inquiry").inquiry
}

/// A developer's request to cancel `purchase`, agreed in `inquiry`.
fn request(
    developer: &User,
    inquiry: &InquiryId,
    purchase: &PurchaseId,
    reason: &str,
    key: Option<&str>,
) -> NewCancellationRequest {
    NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.clone(),
        inquiry_id: inquiry.clone(),
        requested_by: developer.id.clone(),
        channel: Channel::Store,
        reason: reason.to_owned(),
        message_to_customer: None,
        idempotency: key.map(|k| Idempotency::new(k, purchase, inquiry, reason, None).expect("a valid key")),
    }
}

/// Submits a request that R8 takes as new.
async fn open_request(store: &dyn Store, setup: &Refunds, at: Timestamp) -> CancellationRequest {
    let new = request(&setup.world.developer, &setup.inquiry.id, &setup.paid.purchase.id, "고객과 합의했습니다", None);
    match store.submit_cancellation_request(&new, &[], &acting(&setup.world.developer), at).await {
        Ok(SubmitOutcome::Created(created)) => created,
        other => panic!("not created: {other:?}"),
    }
}

/// Everything a refund writes that the `Store` trait shows.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    inquiries: Vec<Inquiry>,
    requests: Vec<CancellationRequest>,
    purchases: Vec<PurchaseView>,
    audit: usize,
    outbox: usize,
}

async fn snapshot(store: &dyn Store, world: &World) -> Snapshot {
    let query = InquiryQuery { scope: InquiryScope::All, filter: InquiryFilter::default(), overdue_cutoff: t0() };
    let inquiries = store.list_inquiries(&query, &PageRequest { limit: 100, after: None }).await.expect("inquiries");
    let mut purchases = Vec::new();
    for customer in [&world.customer, &world.other_customer] {
        let page = PageRequest { limit: 100, after: None };
        purchases.extend(store.purchases_of_customer(&customer.id, &page).await.expect("purchases").items);
    }
    Snapshot {
        inquiries: inquiries.items,
        requests: all_requests(store, RequestScope::All, None).await,
        purchases,
        audit: all_audit(store, &AuditFilter::default()).await.len(),
        outbox: outbox_len(store).await,
    }
}

async fn outbox_len(store: &dyn Store) -> usize {
    let mut count = 0;
    let mut page = PageRequest { limit: 100, after: None };
    loop {
        let got = store.outbox(None, &page).await.expect("outbox");
        count += got.items.len();
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => return count,
        }
    }
}

/// Every request in the queue, read one row a page (so paging is exercised too).
async fn all_requests(
    store: &dyn Store,
    scope: RequestScope,
    status: Option<RequestStatus>,
) -> Vec<CancellationRequest> {
    let query = RequestQuery { scope, status };
    let mut out = Vec::new();
    let mut page = PageRequest { limit: 1, after: None };
    for _ in 0..100 {
        let got = store.cancellation_requests(&query, &page).await.expect("requests");
        out.extend(got.items);
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => return out,
        }
    }
    panic!("paging does not end");
}

fn actions(records: &[AuditRecord]) -> Vec<&str> {
    records.iter().map(|r| r.entry.action.as_str()).collect()
}

async fn audited(store: &dyn Store, action: &str) -> usize {
    all_audit(store, &AuditFilter::default()).await.iter().filter(|r| r.entry.action == action).count()
}

async fn purchase_now(store: &dyn Store, purchase: &PurchaseView) -> PurchaseView {
    store.purchase(&purchase.purchase.id).await.expect("read").expect("the purchase exists")
}

// ----- R8: submitting -----

store_test! {
    /// R8: one open request per purchase: a repeat (another id, another reason) answers
    /// the open request and writes nothing; the request carries the names lists show;
    /// unknown purchases and inquiries are not found.
    async fn r8_a_repeat_returns_the_open_request(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let created = open_request(store, &setup, at_min(1)).await;
        assert_eq!(created.status, RequestStatus::Open);
        assert_eq!(created.purchase_id, setup.paid.purchase.id);
        assert_eq!(created.inquiry_id, setup.inquiry.id);
        assert_eq!(created.inquiry_subject, "환불 부탁드립니다");
        assert_eq!((created.seller_id.clone(), created.seller_name.as_str()), (w.seller.id.clone(), "Seller One"));
        assert_eq!((created.app_id.clone(), created.app_title.as_str()), (w.app.id.clone(), "Puzzle One"));
        assert_eq!(created.item_title, None);
        assert_eq!((created.customer_id.clone(), created.customer_name.as_str()), (w.customer.id.clone(), "고객 하나"));
        assert_eq!(
            (created.requested_by.clone(), created.requested_by_name.as_str()),
            (w.developer.id.clone(), "Dev One")
        );
        assert_eq!(created.channel, Channel::Store);
        assert_eq!(created.reason, "고객과 합의했습니다");
        assert_eq!(
            (created.decided_by.clone(), created.decided_by_name.clone(), created.decided_at),
            (None, None, None)
        );
        assert_eq!(created.created_at, at_min(1));
        assert_eq!(store.cancellation_request(&created.id).await.expect("read"), Some(created.clone()));
        assert_eq!(store.requests_of_inquiry(&setup.inquiry.id).await.expect("read"), vec![created.clone()]);
        let audit = audit_of(store, "cancellation_request", &created.id.0).await;
        assert_eq!(actions(&audit), ["cancellation_request.submitted"]);
        assert_eq!(audit[0].entry.actor.user_id.as_ref(), Some(&w.developer.id));

        let before = snapshot(store, w).await;
        let again = request(&w.developer, &setup.inquiry.id, &setup.paid.purchase.id, "다시 요청", None);
        let outcome =
            store.submit_cancellation_request(&again, &[], &acting(&w.developer), at_min(2)).await.expect("submit");
        assert_eq!(outcome, SubmitOutcome::Existing(created.clone()));
        assert_eq!(snapshot(store, w).await, before, "nothing written");

        // Another purchase of the same inquiry gets its own request, with its item.
        let gems = request(&w.developer, &setup.inquiry.id, &setup.gems.purchase.id, "아이템도", None);
        match store.submit_cancellation_request(&gems, &[], &acting(&w.developer), at_min(3)).await.expect("submit") {
            SubmitOutcome::Created(r) => assert_eq!(r.item_title.as_deref(), Some("100 Gems")),
            other => panic!("not created: {other:?}"),
        }

        let before = snapshot(store, w).await;
        let nowhere = request(&w.developer, &setup.inquiry.id, &PurchaseId("no-such-purchase".into()), "r", None);
        let missing = store.submit_cancellation_request(&nowhere, &[], &acting(&w.developer), at_min(4)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        let orphan = request(&w.developer, &InquiryId("no-such-inquiry".into()), &setup.paid.purchase.id, "r", None);
        let missing = store.submit_cancellation_request(&orphan, &[], &acting(&w.developer), at_min(4)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        assert_eq!(snapshot(store, w).await, before, "nothing written");
    }
}

store_test! {
    /// R8: the same `Idempotency-Key` with the same request answers that request again
    /// (also after it was decided); with another request it is refused as reused; keys
    /// are the developer's own; nothing is written by either answer.
    async fn r8_an_idempotency_key_replays_its_request_and_refuses_another(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let dev = acting(&w.developer);
        let (inquiry, paid) = (&setup.inquiry.id, &setup.paid.purchase.id);
        let first = request(&w.developer, inquiry, paid, "합의함", Some("key-1"));
        let created = match store.submit_cancellation_request(&first, &[], &dev, at_min(1)).await.expect("submit") {
            SubmitOutcome::Created(created) => created,
            other => panic!("not created: {other:?}"),
        };
        let before = snapshot(store, w).await;
        // A retry: a new id is generated for it, the key and the request are the same.
        let retry = request(&w.developer, inquiry, paid, "합의함", Some("key-1"));
        let replayed = store.submit_cancellation_request(&retry, &[], &dev, at_min(2)).await.expect("submit");
        assert_eq!(replayed, SubmitOutcome::Replayed(created.clone()));
        let other_reason = request(&w.developer, inquiry, paid, "다른 이유", Some("key-1"));
        assert_eq!(
            store.submit_cancellation_request(&other_reason, &[], &dev, at_min(2)).await.expect("submit"),
            SubmitOutcome::KeyReused
        );
        let other_purchase = request(&w.developer, inquiry, &setup.gems.purchase.id, "합의함", Some("key-1"));
        assert_eq!(
            store.submit_cancellation_request(&other_purchase, &[], &dev, at_min(2)).await.expect("submit"),
            SubmitOutcome::KeyReused
        );
        assert_eq!(snapshot(store, w).await, before, "nothing written");

        // The key names one request of its developer: another developer's "key-1" is theirs.
        let theirs_inquiry = ask(store, &w.customer, &w.other_app, "refund", None, at_min(3)).await;
        let no_ads = record_purchase(
            store,
            purchase_of(&w.customer, &w.other_app.id, Some(&w.other_item.id), 2_500, at_min(3), "T-NOADS"),
            at_min(3),
        )
        .await;
        let theirs = request(&w.other_developer, &theirs_inquiry.id, &no_ads.purchase.id, "합의함", Some("key-1"));
        let outcome =
            store.submit_cancellation_request(&theirs, &[], &acting(&w.other_developer), at_min(4)).await.expect("submit");
        assert!(matches!(outcome, SubmitOutcome::Created(_)), "{outcome:?}");

        // Once decided, the retry still answers its request, not a refusal.
        let mails = cancel_mails(w, inquiry);
        store
            .decide_cancellation_request(&created.id, &Decision::Approve, &mails, &acting(&w.operator), at_min(5))
            .await
            .expect("approve");
        match store.submit_cancellation_request(&retry, &[], &dev, at_min(6)).await.expect("submit") {
            SubmitOutcome::Replayed(r) => assert_eq!((r.id, r.status), (created.id.clone(), RequestStatus::Approved)),
            other => panic!("not replayed: {other:?}"),
        }
    }
}

store_test! {
    /// R8: a cancelled purchase and a free one cannot be cancelled: the request is
    /// refused and nothing at all is written.
    async fn r8_cancelled_and_free_purchases_are_refused_and_nothing_is_written(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let other = ask(store, &w.customer, &w.other_app, "refund", Some(&setup.free), at_min(1)).await;
        let before = snapshot(store, w).await;
        let cases = [
            (&setup.cancelled, CancelRefusal::AlreadyCancelled, Some("key-c")),
            (&setup.free, CancelRefusal::NothingToRefund, None),
        ];
        for (purchase, refusal, key) in cases {
            let new = request(&w.other_developer, &other.id, &purchase.purchase.id, "환불", key);
            let outcome = store.submit_cancellation_request(&new, &[], &acting(&w.other_developer), at_min(2)).await;
            assert_eq!(outcome.expect("answered"), SubmitOutcome::Refused(refusal));
        }
        assert_eq!(snapshot(store, w).await, before, "nothing written");
        assert!(store.requests_of_inquiry(&other.id).await.expect("read").is_empty());
    }
}

store_test! {
    /// R8: ten submissions for one purchase at the same instant, from two server
    /// processes, create exactly one request; the nine others answer it.
    async fn r8_ten_concurrent_submissions_create_exactly_one_request(fixture: &TestStore) {
        let store = fixture.store();
        let setup = Refunds::seed(store).await;
        let handles: [Arc<dyn Store>; 2] = [fixture.reopen().await, fixture.reopen().await];
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..10 {
            let shared = handles[i % 2].clone();
            let key = (i % 3 == 0).then(|| format!("key-{i}"));
            let new = request(
                &setup.world.developer,
                &setup.inquiry.id,
                &setup.paid.purchase.id,
                &format!("요청 {i}"),
                key.as_deref(),
            );
            let dev = acting(&setup.world.developer);
            tasks.spawn(async move { shared.submit_cancellation_request(&new, &[], &dev, at_min(1)).await });
        }
        let (mut created, mut existing) = (Vec::new(), Vec::new());
        while let Some(joined) = tasks.join_next().await {
            match joined.expect("the task ran").expect("the store answered") {
                SubmitOutcome::Created(r) => created.push(r),
                SubmitOutcome::Existing(r) => existing.push(r),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(created.len(), 1, "{created:?}");
        assert_eq!(existing.len(), 9);
        assert!(existing.iter().all(|r| r.id == created[0].id));
        assert_eq!(all_requests(store, RequestScope::All, None).await, created);
        assert_eq!(audited(store, "cancellation_request.submitted").await, 1);
    }
}

// ----- R8: deciding -----

store_test! {
    /// R8: two operators approving one request at once (two server processes) cancel
    /// the purchase once: one `purchase_cancellations` row, one `purchase.cancelled`
    /// entry, the mails queued once; both see the same decision.
    async fn r8_two_concurrent_approvals_cancel_once(fixture: &TestStore) {
        let store = fixture.store();
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let second =
            make_user(store, &new_user("operator2@example.com", "Operator Two", Role::Operator, None, None), at_min(0))
                .await;
        let open = open_request(store, &setup, at_min(1)).await;
        let outbox = outbox_len(store).await;
        let mut tasks = tokio::task::JoinSet::new();
        for (handle, operator) in
            [(fixture.reopen().await, w.operator.clone()), (fixture.reopen().await, second.clone())]
        {
            let (id, mails) = (open.id.clone(), cancel_mails(w, &setup.inquiry.id));
            tasks.spawn(async move {
                handle.decide_cancellation_request(&id, &Decision::Approve, &mails, &acting(&operator), at_min(2)).await
            });
        }
        let mut outcomes = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            outcomes.push(joined.expect("the task ran").expect("the store answered"));
        }
        let decided: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                DecideOutcome::Decided(r) => Some(r),
                _ => None,
            })
            .collect();
        let done: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                DecideOutcome::AlreadyDone(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!((decided.len(), done.len()), (1, 1), "{outcomes:?}");
        assert_eq!(decided[0], done[0], "one decision, whoever came first");
        assert_eq!(decided[0].status, RequestStatus::Approved);
        assert_eq!(decided[0].decided_at, Some(at_min(2)));
        assert!(["Operator", "Operator Two"].contains(&decided[0].decided_by_name.as_deref().unwrap_or_default()));

        assert_eq!(fixture.count("SELECT COUNT(*) FROM purchase_cancellations").await, 1);
        assert_eq!(
            fixture.count("SELECT COUNT(*) FROM purchase_cancellations WHERE kind = 'request_approved'").await,
            1
        );
        assert_eq!(audited(store, "purchase.cancelled").await, 1);
        assert_eq!(audited(store, "cancellation_request.approved").await, 1);
        assert_eq!(outbox_len(store).await, outbox + 2, "the two mails, once");
        let now = purchase_now(store, &setup.paid).await;
        assert_eq!((now.purchase.status, now.purchase.cancelled_at), (PurchaseStatus::Cancelled, Some(at_min(2))));
        assert_eq!(fixture.count("SELECT COUNT(*) FROM inquiries WHERE refund_settled_at IS NOT NULL").await, 1);
    }
}

store_test! {
    /// R8: a decision is final: the same decision again changes nothing (nothing
    /// queued), the other one is refused; a rejection keeps the purchase and its
    /// reason, and then a new request may be opened; unknown requests are not found.
    async fn r8_a_decision_is_final(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let op = acting(&w.operator);
        let mails = cancel_mails(w, &setup.inquiry.id);
        let open = open_request(store, &setup, at_min(1)).await;
        let approved =
            match store.decide_cancellation_request(&open.id, &Decision::Approve, &mails, &op, at_min(2)).await {
                Ok(DecideOutcome::Decided(r)) => r,
                other => panic!("not decided: {other:?}"),
            };
        assert_eq!(approved.status, RequestStatus::Approved);
        assert_eq!(approved.decided_by.as_ref(), Some(&w.operator.id));
        assert_eq!(approved.decided_by_name.as_deref(), Some("Operator"));
        assert_eq!(approved.decision_note, None);

        let before = snapshot(store, w).await;
        let again = store.decide_cancellation_request(&open.id, &Decision::Approve, &mails, &op, at_min(3)).await;
        assert_eq!(again.expect("answered"), DecideOutcome::AlreadyDone(approved.clone()));
        let reject = Decision::Reject { reason: "늦었습니다".into() };
        let refused = store.decide_cancellation_request(&open.id, &reject, &mails, &op, at_min(3)).await;
        assert_eq!(
            refused.expect("answered"),
            DecideOutcome::Refused(CancelRefusal::AlreadyDecided(RequestStatus::Approved))
        );
        assert_eq!(snapshot(store, w).await, before, "nothing written");

        // A rejection: the purchase stays paid, the reason is kept, and it is final too.
        let gems = request(&w.developer, &setup.inquiry.id, &setup.gems.purchase.id, "아이템 환불", None);
        let SubmitOutcome::Created(gems) =
            store.submit_cancellation_request(&gems, &[], &acting(&w.developer), at_min(4)).await.expect("submit")
        else {
            panic!("not created")
        };
        let reason = Decision::Reject { reason: "이미 사용한 아이템입니다".into() };
        let rejected = match store.decide_cancellation_request(&gems.id, &reason, &[], &op, at_min(5)).await {
            Ok(DecideOutcome::Decided(r)) => r,
            other => panic!("not decided: {other:?}"),
        };
        assert_eq!(rejected.status, RequestStatus::Rejected);
        assert_eq!(rejected.decision_note.as_deref(), Some("이미 사용한 아이템입니다"));
        assert_eq!(purchase_now(store, &setup.gems).await.purchase.status, PurchaseStatus::Paid);
        let late = store.decide_cancellation_request(&gems.id, &Decision::Approve, &mails, &op, at_min(6)).await;
        assert_eq!(
            late.expect("answered"),
            DecideOutcome::Refused(CancelRefusal::AlreadyDecided(RequestStatus::Rejected))
        );
        assert_eq!(audited(store, "cancellation_request.rejected").await, 1);
        let renewed = request(&w.developer, &setup.inquiry.id, &setup.gems.purchase.id, "다시 합의", None);
        let outcome =
            store.submit_cancellation_request(&renewed, &[], &acting(&w.developer), at_min(7)).await.expect("submit");
        assert!(matches!(outcome, SubmitOutcome::Created(_)), "a rejected request is not open: {outcome:?}");

        let missing = store
            .decide_cancellation_request(&CancellationRequestId("nope".into()), &Decision::Approve, &[], &op, at_min(8))
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

store_test! {
    /// R8: the operators' queue is oldest first and pages without repeats; a seller's
    /// list holds only its requests; the status filter combines with both.
    async fn r8_the_queue_is_oldest_first_by_seller_and_status(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let first = open_request(store, &setup, at_min(1)).await;
        let gems = request(&w.developer, &setup.inquiry.id, &setup.gems.purchase.id, "아이템", None);
        let SubmitOutcome::Created(second) =
            store.submit_cancellation_request(&gems, &[], &acting(&w.developer), at_min(1)).await.expect("submit")
        else {
            panic!("not created")
        };
        let other_inquiry = ask(store, &w.customer, &w.other_app, "refund", None, at_min(2)).await;
        let no_ads = record_purchase(
            store,
            purchase_of(&w.customer, &w.other_app.id, Some(&w.other_item.id), 2_500, at_min(2), "T-NOADS"),
            at_min(2),
        )
        .await;
        let theirs = request(&w.other_developer, &other_inquiry.id, &no_ads.purchase.id, "환불", None);
        let SubmitOutcome::Created(third) =
            store.submit_cancellation_request(&theirs, &[], &acting(&w.other_developer), at_min(0)).await.expect("submit")
        else {
            panic!("not created")
        };
        let reject = Decision::Reject { reason: "아니요".into() };
        store
            .decide_cancellation_request(&second.id, &reject, &[], &acting(&w.operator), at_min(3))
            .await
            .expect("reject");

        let ids = |rs: Vec<CancellationRequest>| rs.into_iter().map(|r| r.id).collect::<Vec<_>>();
        // Same instant: the id breaks the tie, and ids are time-ordered.
        let mut tied = vec![first.id.clone(), second.id.clone()];
        tied.sort();
        let everything = [vec![third.id.clone()], tied.clone()].concat();
        assert_eq!(ids(all_requests(store, RequestScope::All, None).await), everything);
        assert_eq!(ids(all_requests(store, RequestScope::Seller(w.seller.id.clone()), None).await), tied);
        assert_eq!(
            ids(all_requests(store, RequestScope::Seller(w.other_seller.id.clone()), None).await),
            vec![third.id.clone()]
        );
        let open = ids(all_requests(store, RequestScope::All, Some(RequestStatus::Open)).await);
        assert_eq!(open, vec![third.id.clone(), first.id.clone()]);
        let rejected =
            ids(all_requests(store, RequestScope::Seller(w.seller.id.clone()), Some(RequestStatus::Rejected)).await);
        assert_eq!(rejected, vec![second.id.clone()]);
        assert!(
            all_requests(store, RequestScope::Seller(w.other_seller.id.clone()), Some(RequestStatus::Approved))
                .await
                .is_empty()
        );
        let of_inquiry = ids(store.requests_of_inquiry(&setup.inquiry.id).await.expect("read"));
        assert_eq!(of_inquiry, tied);
    }
}

// ----- R5: on the developer's behalf -----

store_test! {
    /// R5: the store cancels on the developer's behalf only once the customer has
    /// waited longer than the limit (exactly 72 hours is not overdue), once, recorded
    /// with who did it; the thread is the customer's turn again (R17: the store answered
    /// for the developer); an answered inquiry and one without a purchase are refused.
    async fn r5_on_behalf_is_refused_before_the_limit_and_cancels_once_after(fixture: &TestStore) {
        let store = fixture.store();
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let op = acting(&w.operator);
        let mails = cancel_mails(w, &setup.inquiry.id);
        let before = snapshot(store, w).await;
        let at_limit = after(72, 0);
        let early = store.cancel_on_behalf(&setup.inquiry.id, cutoff(at_limit), &mails, &op, at_limit).await;
        assert_eq!(early.expect("answered"), OnBehalfOutcome::Refused(CancelRefusal::NotOverdue));
        assert_eq!(snapshot(store, w).await, before, "nothing written");

        let past = after(72, 1);
        let (inquiry, purchase) = match store.cancel_on_behalf(&setup.inquiry.id, cutoff(past), &mails, &op, past).await
        {
            Ok(OnBehalfOutcome::Cancelled { inquiry, purchase }) => (*inquiry, *purchase),
            other => panic!("not cancelled: {other:?}"),
        };
        assert_eq!((purchase.purchase.status, purchase.purchase.cancelled_at), (PurchaseStatus::Cancelled, Some(past)));
        // R17: the store's cancellation answers the customer for the developer.
        assert_eq!((inquiry.status, inquiry.awaiting_since), (InquiryStatus::AwaitingCustomer, None));
        assert_eq!(fixture.count("SELECT COUNT(*) FROM purchase_cancellations WHERE kind = 'on_behalf'").await, 1);
        let by_operator = "SELECT COUNT(*) FROM purchase_cancellations p JOIN users u ON u.id = p.actor_user_id \
                           WHERE u.role = 'operator' AND p.actor_label IS NULL AND p.request_id IS NULL";
        assert_eq!(fixture.count(by_operator).await, 1);
        let story = audit_of(store, "purchase", &setup.paid.purchase.id.0).await;
        assert_eq!(actions(&story)[0], "purchase.cancelled_on_behalf");
        assert_eq!(story[0].entry.actor.user_id.as_ref(), Some(&w.operator.id));
        assert!(store.auto_cancel_candidates(cutoff(past), 10).await.expect("read").is_empty(), "settled");

        // At most once, however often it is asked.
        let before = snapshot(store, w).await;
        for at in [past, after(80, 0)] {
            let again = store.cancel_on_behalf(&setup.inquiry.id, cutoff(at), &mails, &op, at).await;
            assert_eq!(again.expect("answered"), OnBehalfOutcome::Refused(CancelRefusal::AlreadyCancelled));
        }
        assert_eq!(snapshot(store, w).await, before, "nothing written");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM purchase_cancellations").await, 1);

        // Answered in time: not overdue, whenever asked. No purchase: nothing to cancel.
        let answered = ask(store, &w.customer, &w.app, "refund", Some(&setup.gems), at_min(1)).await;
        let reply =
            NewMessage::parse(w.developer.id.clone(), Side::Developer, Channel::Store, "확인했습니다").expect("valid");
        let added =
            store.add_message(&answered.id, &reply, &[], &acting(&w.developer), at_min(2)).await.expect("reply");
        assert!(matches!(added, MessageOutcome::Added { .. }));
        let later = after(200, 0);
        let outcome = store.cancel_on_behalf(&answered.id, cutoff(later), &mails, &op, later).await;
        assert_eq!(outcome.expect("answered"), OnBehalfOutcome::Refused(CancelRefusal::NotOverdue));
        let without = ask(store, &w.customer, &w.app, "refund", None, at_min(3)).await;
        let outcome = store.cancel_on_behalf(&without.id, cutoff(later), &mails, &op, later).await;
        assert_eq!(outcome.expect("answered"), OnBehalfOutcome::Refused(CancelRefusal::NoPurchase));
        let missing = store.cancel_on_behalf(&InquiryId("nope".into()), cutoff(later), &mails, &op, later).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

store_test! {
    /// R5: the `auto` policy cancelling a purchase with an open request (filed from
    /// another inquiry, which waits on the store: R17) approves the request with it, in
    /// the policy's name, and hands the waiting thread back to the customer; an
    /// operator's approval afterwards changes nothing.
    async fn r5_on_behalf_approves_the_open_request_in_the_policys_name(fixture: &TestStore) {
        let store = fixture.store();
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let open = open_request(store, &setup, at_min(1)).await;
        // Asked again about the same purchase after the request, and never answered.
        let late = ask(store, &w.customer, &w.app, "refund", Some(&setup.paid), at_min(2)).await;
        let mails = cancel_mails(w, &late.id);
        let now = after(73, 0);
        let outcome = store.cancel_on_behalf(&late.id, cutoff(now), &mails, &policy(), now).await.expect("answered");
        assert!(matches!(outcome, OnBehalfOutcome::Cancelled { .. }), "{outcome:?}");
        let approved = store.cancellation_request(&open.id).await.expect("read").expect("exists");
        assert_eq!(approved.status, RequestStatus::Approved);
        assert_eq!(approved.decided_by, None);
        assert_eq!(approved.decided_by_name.as_deref(), Some(AUTO_CANCEL_ACTOR));
        assert_eq!(approved.decision_note.as_deref(), Some("cancelled on the developer's behalf (R5)"));
        assert_eq!(approved.decided_at, Some(now));
        let by_policy = "SELECT COUNT(*) FROM purchase_cancellations \
                         WHERE actor_label = 'policy:auto_cancel' AND actor_user_id IS NULL AND request_id IS NOT NULL";
        assert_eq!(fixture.count(by_policy).await, 1);
        let entry = all_audit(store, &AuditFilter::default())
            .await
            .into_iter()
            .find(|r| r.entry.action == "purchase.cancelled_on_behalf")
            .expect("audited");
        assert_eq!(
            (entry.entry.actor.label.as_deref(), entry.entry.channel),
            (Some(AUTO_CANCEL_ACTOR), Channel::System)
        );
        let detail: serde_json::Value = serde_json::from_str(&entry.entry.detail).expect("json");
        assert_eq!(detail["request_id"], serde_json::json!(open.id.0));
        assert_eq!(detail["inquiry_id"], serde_json::json!(late.id.0));
        assert_eq!(detail["waited_since"], serde_json::json!(at_min(2).to_string()));
        let waited = store.inquiry(&setup.inquiry.id).await.expect("read").expect("exists");
        assert_eq!(waited.status, InquiryStatus::AwaitingCustomer, "R17: the store's turn ended");

        let before = snapshot(store, w).await;
        let late =
            store.decide_cancellation_request(&open.id, &Decision::Approve, &mails, &acting(&w.operator), now).await;
        assert_eq!(late.expect("answered"), DecideOutcome::AlreadyDone(approved));
        assert_eq!(snapshot(store, w).await, before);
        assert_eq!(
            audited(store, "purchase.cancelled").await + audited(store, "purchase.cancelled_on_behalf").await,
            1
        );
    }
}

store_test! {
    /// R5/R8: an operator approving the request while the store cancels on the
    /// developer's behalf (two server processes, four rounds): whichever wins, the
    /// purchase is cancelled once, with one ledger row, one cancellation entry and one
    /// set of mails, and the request ends approved.
    async fn r5_r8_approval_and_on_behalf_racing_cancel_once(fixture: &TestStore) {
        let store = fixture.store();
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let (a, b) = (fixture.reopen().await, fixture.reopen().await);
        let now = after(73, 0);
        for round in 0..4 {
            let purchase = record_purchase(
                store,
                purchase_of(
                    &w.customer,
                    &w.app.id,
                    Some(&w.item.id),
                    3_300,
                    at_min(-30 + round),
                    &format!("T-RACE-{round}"),
                ),
                at_min(-30 + round),
            )
            .await;
            let asked = ask(store, &w.customer, &w.app, "refund", Some(&purchase), at_min(round)).await;
            let new = request(&w.developer, &asked.id, &purchase.purchase.id, "합의", None);
            let SubmitOutcome::Created(open) =
                store.submit_cancellation_request(&new, &[], &acting(&w.developer), at_min(10)).await.expect("submit")
            else {
                panic!("not created")
            };
            // R17: the request stopped that thread's clock; a second inquiry about the
            // purchase, asked after it and never answered, is the overdue one.
            let inquiry = ask(store, &w.customer, &w.app, "refund", Some(&purchase), at_min(11)).await;
            let outbox = outbox_len(store).await;
            let mails = cancel_mails(w, &inquiry.id);
            let (approve, on_behalf) = if round % 2 == 0 { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
            let (op, auto) = (acting(&w.operator), policy());
            let (decided, cancelled) = tokio::join!(
                approve.decide_cancellation_request(&open.id, &Decision::Approve, &mails, &op, now),
                on_behalf.cancel_on_behalf(&inquiry.id, cutoff(now), &mails, &auto, now),
            );
            match (decided.expect("answered"), cancelled.expect("answered")) {
                (DecideOutcome::Decided(_), OnBehalfOutcome::Refused(CancelRefusal::AlreadyCancelled)) => {}
                (DecideOutcome::AlreadyDone(_), OnBehalfOutcome::Cancelled { .. }) => {}
                other => panic!("round {round}: {other:?}"),
            }
            assert_eq!(outbox_len(store).await, outbox + 2, "round {round}: one set of mails");
            let story = audit_of(store, "purchase", &purchase.purchase.id.0).await;
            let cancellations = story.iter().filter(|r| r.entry.action.starts_with("purchase.cancelled")).count();
            assert_eq!(cancellations, 1, "round {round}: {:?}", actions(&story));
            let request = store.cancellation_request(&open.id).await.expect("read").expect("exists");
            assert_eq!(request.status, RequestStatus::Approved);
            assert_eq!(purchase_now(store, &purchase).await.purchase.status, PurchaseStatus::Cancelled);
        }
        assert_eq!(fixture.count("SELECT COUNT(*) FROM purchase_cancellations").await, 4);
    }
}

// ----- R5: the sweep's reads -----

store_test! {
    /// R5 sweep: the candidates are exactly the overdue `refund` inquiries with an
    /// unsettled purchase, longest waiting first; a free purchase is settled (once,
    /// audited once) when the store refuses it, and a cancellation settles every
    /// inquiry naming the purchase, so settled inquiries leave the candidates.
    async fn r5_settled_inquiries_leave_the_auto_cancel_candidates(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let a = setup.inquiry.id.clone(); // refund, paid, since t0
        let free = ask(store, &w.customer, &w.other_app, "refund", Some(&setup.free), at_min(1)).await.id;
        let question = ask(store, &w.customer, &w.app, "question", Some(&setup.gems), at_min(2)).await.id;
        let _without = ask(store, &w.customer, &w.app, "refund", None, at_min(3)).await.id;
        let same_purchase = ask(store, &w.customer, &w.app, "refund", Some(&setup.paid), at_min(4)).await.id;
        let answered = ask(store, &w.customer, &w.app, "refund", Some(&setup.gems), at_min(5)).await.id;
        let reply = NewMessage::parse(w.developer.id.clone(), Side::Developer, Channel::Store, "네").expect("valid");
        store.add_message(&answered, &reply, &[], &acting(&w.developer), at_min(6)).await.expect("reply");
        let _recent = ask(store, &w.customer, &w.app, "refund", Some(&setup.gems), after(10, 0)).await.id;
        let now = after(73, 0);
        let _ = question;

        let candidates = store.auto_cancel_candidates(cutoff(now), 10).await.expect("read");
        assert_eq!(candidates, vec![a.clone(), free.clone(), same_purchase.clone()]);
        assert_eq!(store.auto_cancel_candidates(cutoff(now), 2).await.expect("read"), vec![a.clone(), free.clone()]);
        assert!(store.auto_cancel_candidates(cutoff(after(71, 0)), 10).await.expect("read").is_empty());

        // Free: nothing to refund, settled once.
        for _ in 0..2 {
            let outcome = store.cancel_on_behalf(&free, cutoff(now), &[], &policy(), now).await.expect("answered");
            assert_eq!(outcome, OnBehalfOutcome::Refused(CancelRefusal::NothingToRefund));
        }
        assert_eq!(audited(store, "inquiry.refund_settled").await, 1);
        assert_eq!(
            store.auto_cancel_candidates(cutoff(now), 10).await.expect("read"),
            vec![a.clone(), same_purchase.clone()]
        );

        // An approval settles both inquiries naming the paid purchase.
        let open = open_request(store, &setup, at_min(10)).await;
        store
            .decide_cancellation_request(&open.id, &Decision::Approve, &[], &acting(&w.operator), at_min(11))
            .await
            .expect("approve");
        assert!(store.auto_cancel_candidates(cutoff(now), 10).await.expect("read").is_empty());
    }
}

store_test! {
    /// R5 reminders: a wait falls due 24 hours before the limit, is marked reminded
    /// once (concurrent sweeps included), with its mail and audit entry; a stale wait
    /// is not marked; a new wait is due again.
    async fn r5_reminders_are_marked_once_per_wait(fixture: &TestStore) {
        let store = fixture.store();
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let id = setup.inquiry.id.clone();
        let reminder = Acting { actor: AuditActor::system(REMINDER_ACTOR), channel: Channel::System };
        let mails = [mail(MailKind::ResponseReminder, &w.developer, &id)];
        let due = |now: Timestamp| async move {
            store.due_reminders(reminder_cutoff(now, DEFAULT_RESPONSE_LIMIT), 10).await.expect("read")
        };
        assert!(due(after(47, 0)).await.is_empty(), "more than 24 hours left");
        let listed = due(after(49, 0)).await;
        assert_eq!(listed.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), vec![id.clone()]);
        assert_eq!(listed[0], store.inquiry(&id).await.expect("read").expect("exists"));

        let outbox = outbox_len(store).await;
        let stale = store.mark_reminded(&id, at_min(-1), &mails, &reminder, after(49, 0)).await.expect("mark");
        assert!(!stale, "another wait");
        let (x, y) = (fixture.reopen().await, fixture.reopen().await);
        let (first, second) = tokio::join!(
            x.mark_reminded(&id, t0(), &mails, &reminder, after(49, 0)),
            y.mark_reminded(&id, t0(), &mails, &reminder, after(49, 0)),
        );
        assert_eq!([first.expect("mark"), second.expect("mark")].iter().filter(|m| **m).count(), 1);
        assert!(!store.mark_reminded(&id, t0(), &mails, &reminder, after(50, 0)).await.expect("mark"));
        assert_eq!(outbox_len(store).await, outbox + 1);
        assert!(due(after(60, 0)).await.is_empty(), "reminded");
        assert_eq!(fixture.count("SELECT COUNT(*) FROM inquiries WHERE reminder_sent_at IS NOT NULL").await, 1);

        // Answered, then a new customer message: a new wait, due again 48 hours later.
        let reply =
            NewMessage::parse(w.developer.id.clone(), Side::Developer, Channel::Store, "확인 중").expect("valid");
        store.add_message(&id, &reply, &[], &acting(&w.developer), after(50, 0)).await.expect("reply");
        let again =
            NewMessage::parse(w.customer.id.clone(), Side::Customer, Channel::Store, "아직이요").expect("valid");
        store.add_message(&id, &again, &[], &acting(&w.customer), after(51, 0)).await.expect("follow up");
        assert!(due(after(98, 0)).await.is_empty());
        assert_eq!(due(after(100, 0)).await.len(), 1);
        assert!(store.mark_reminded(&id, after(51, 0), &mails, &reminder, after(100, 0)).await.expect("mark"));
        let entries = audit_of(store, "inquiry", &id.0).await;
        let reminded: Vec<_> = entries.iter().filter(|r| r.entry.action == "inquiry.reminder_sent").collect();
        assert_eq!(reminded.len(), 2);
        assert_eq!(reminded[0].entry.actor.label.as_deref(), Some(REMINDER_ACTOR));
        assert_eq!(outbox_len(store).await, outbox + 2);
        assert!(
            !store
                .mark_reminded(&InquiryId("nope".into()), t0(), &mails, &reminder, after(100, 0))
                .await
                .expect("mark")
        );
    }
}

/// R5 "the sweep touches only due rows": SQLite reads both sweep queries through their
/// partial indexes, never by scanning `inquiries`.
#[tokio::test]
async fn r5_the_sweep_reads_only_due_rows_sqlite() {
    let fixture = TestStore::sqlite().await;
    assert_sweep_plans(&fixture).await;
}

/// The same on PostgreSQL: the planner can answer both through the partial indexes
/// (their predicates are implied by the queries).
#[tokio::test]
async fn r5_the_sweep_reads_only_due_rows_postgres() {
    let Some(fixture) = TestStore::postgres("r5_the_sweep_reads_only_due_rows_postgres").await else { return };
    assert_sweep_plans(&fixture).await;
}

async fn assert_sweep_plans(fixture: &TestStore) {
    for (sql, index) in [
        (sweep_sql::AUTO_CANCEL_CANDIDATES, "inquiries_auto_cancel_due"),
        (sweep_sql::DUE_REMINDERS, "inquiries_reminder_due"),
    ] {
        let plan = fixture.plan(sql, &[millis(t0()), 100]).await;
        assert!(plan.iter().any(|step| step.contains(index)), "{index} not used:\n{}", plan.join("\n"));
        if fixture.is_sqlite() {
            assert!(!plan.iter().any(|step| step.starts_with("SCAN")), "a full scan:\n{}", plan.join("\n"));
        } else {
            assert!(
                !plan.iter().any(|step| step.contains("Seq Scan on inquiries")),
                "a full scan:\n{}",
                plan.join("\n")
            );
        }
    }
}

fn millis(at: Timestamp) -> i64 {
    at.as_millisecond()
}

// ----- R9 -----

/// R9: the inquiry a developer files for a refund asked by phone, its record of the
/// call as the first message.
fn off_store(setup: &Refunds, purchase: &PurchaseView, consent: bool) -> (NewInquiry, NewCancellationRequest) {
    let w = &setup.world;
    let inquiry = NewInquiry {
        id: InquiryId::generate(),
        app_id: purchase.purchase.app_id.clone(),
        customer_id: purchase.purchase.customer_id.clone(),
        purchase_id: Some(purchase.purchase.id.clone()),
        category: Category::Refund,
        subject: "전화 환불 요청".to_owned(),
        channel: Channel::Phone,
        consent_personal_info: consent,
        first_message: NewMessage {
            id: MessageId::generate(),
            author_id: w.developer.id.clone(),
            side: Side::Developer,
            channel: Channel::Phone,
            body: "개인정보 제공 동의 (O/X): O\n고객번호: C-0001".to_owned(),
            attachments: Vec::new(),
        },
    };
    let request = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.purchase.id.clone(),
        inquiry_id: inquiry.id.clone(),
        requested_by: w.developer.id.clone(),
        channel: Channel::Phone,
        reason: "전화로 환불을 요청했습니다".to_owned(),
        message_to_customer: None,
        idempotency: None,
    };
    (inquiry, request)
}

store_test! {
    /// R9: filing writes the inquiry (channel phone, the developer's record first, so
    /// `awaiting_customer`, consent with its time) and its request in one unit with
    /// both audit entries; a purchase with an open request, a free one, or a request
    /// that does not fit its inquiry write nothing at all.
    async fn r9_off_store_filing_writes_the_inquiry_and_its_request_or_nothing(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let dev = acting(&w.developer);
        let (new, req) = off_store(&setup, &setup.gems, true);
        let at = at_min(5);
        let (inquiry, request) = match store.file_off_store_request(&new, &req, &[], &dev, at).await {
            Ok(OffStoreOutcome::Filed { inquiry, request }) => (*inquiry, *request),
            other => panic!("not filed: {other:?}"),
        };
        assert_eq!(inquiry.id, new.id);
        // R17: filed on the customer's behalf, the refund is the store's turn at once.
        assert_eq!((inquiry.status, inquiry.awaiting_since), (InquiryStatus::AwaitingStore, None));
        assert_eq!(inquiry.consent_recorded_by.as_ref(), Some(&w.developer.id), "R7: recorded for the customer");
        assert_eq!((inquiry.channel, inquiry.category), (Channel::Phone, Category::Refund));
        assert_eq!((inquiry.consent_personal_info, inquiry.consent_at), (true, Some(at)));
        assert_eq!((inquiry.first_response_at, inquiry.message_count, inquiry.created_at), (Some(at), 1, at));
        assert_eq!(inquiry.seller_id, w.seller.id);
        assert_eq!(inquiry.purchase_id.as_ref(), Some(&setup.gems.purchase.id));
        assert_eq!((request.id.clone(), request.inquiry_id.clone()), (req.id.clone(), inquiry.id.clone()));
        assert_eq!((request.channel, request.status), (Channel::Phone, RequestStatus::Open));
        assert_eq!(request.item_title.as_deref(), Some("100 Gems"));
        let thread = store.thread(&inquiry.id).await.expect("read").expect("exists");
        assert_eq!(thread.messages.len(), 1);
        assert_eq!((thread.messages[0].side, thread.messages[0].seq), (Side::Developer, 1));
        assert_eq!(thread.messages[0].author_id, w.developer.id);
        assert_eq!(store.requests_of_inquiry(&inquiry.id).await.expect("read"), vec![request.clone()]);
        let story = all_audit(store, &AuditFilter { inquiry: Some(inquiry.id.clone()), ..Default::default() }).await;
        assert_eq!(actions(&story), ["inquiry.awaiting_store", "cancellation_request.submitted", "inquiry.filed_off_store"]);

        let before = snapshot(store, w).await;
        let (again, again_req) = off_store(&setup, &setup.gems, false);
        let outcome = store.file_off_store_request(&again, &again_req, &[], &dev, at_min(6)).await.expect("answered");
        assert_eq!(outcome, OffStoreOutcome::Existing(request.clone()));
        let (free, free_req) = off_store(&setup, &setup.free, true);
        let outcome = store.file_off_store_request(&free, &free_req, &[], &acting(&w.other_developer), at_min(6)).await;
        assert_eq!(outcome.expect("answered"), OffStoreOutcome::Refused(CancelRefusal::NothingToRefund));
        let (gone, gone_req) = off_store(&setup, &setup.cancelled, true);
        let outcome = store.file_off_store_request(&gone, &gone_req, &[], &acting(&w.other_developer), at_min(6)).await;
        assert_eq!(outcome.expect("answered"), OffStoreOutcome::Refused(CancelRefusal::AlreadyCancelled));
        let (mut wrong, wrong_req) = off_store(&setup, &setup.paid, true);
        wrong.customer_id = w.other_customer.id.clone();
        let outcome = store.file_off_store_request(&wrong, &wrong_req, &[], &dev, at_min(6)).await;
        assert!(matches!(outcome, Err(StoreError::Invalid(_))), "{outcome:?}");
        let (other, mut other_req) = off_store(&setup, &setup.paid, true);
        other_req.inquiry_id = setup.inquiry.id.clone();
        let outcome = store.file_off_store_request(&other, &other_req, &[], &dev, at_min(6)).await;
        assert!(matches!(outcome, Err(StoreError::Invalid(_))), "{outcome:?}");
        assert_eq!(snapshot(store, w).await, before, "nothing written");
        assert!(store.inquiry(&free.id).await.expect("read").is_none());
    }
}

// ----- R7 -----

store_test! {
    /// R7: the customer gives and withdraws consent; each change is recorded with its
    /// time and audited, and a repeat changes nothing.
    async fn r7_consent_is_recorded_with_its_time_and_audited(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let id = &setup.inquiry.id;
        let customer = acting(&w.customer);
        assert_eq!((setup.inquiry.consent_personal_info, setup.inquiry.consent_at), (false, None));
        let (given, changed) = store.set_consent(id, true, &customer, at_min(1)).await.expect("consent");
        assert!(changed);
        assert_eq!((given.consent_personal_info, given.consent_at), (true, Some(at_min(1))));
        let before = snapshot(store, w).await;
        let (same, changed) = store.set_consent(id, true, &customer, at_min(2)).await.expect("consent");
        assert!(!changed);
        assert_eq!(same, given);
        assert_eq!(snapshot(store, w).await, before, "nothing written");
        let (withdrawn, changed) = store.set_consent(id, false, &customer, at_min(3)).await.expect("consent");
        assert!(changed);
        assert_eq!((withdrawn.consent_personal_info, withdrawn.consent_at), (false, Some(at_min(3))));
        let story = audit_of(store, "inquiry", &id.0).await;
        assert_eq!(actions(&story), ["inquiry.consent_withdrawn", "inquiry.consent_given", "inquiry.created"]);
        assert!(story.iter().take(2).all(|r| r.entry.actor.user_id.as_ref() == Some(&w.customer.id)));
        let missing = store.set_consent(&InquiryId("nope".into()), true, &customer, at_min(4)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
    }
}

store_test! {
    /// R7/R14: every reveal of payment ids is audited, one entry per purchase, naming
    /// the inquiry it was made from and the fields shown.
    async fn r7_every_reveal_is_audited_per_purchase(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let before = all_audit(store, &AuditFilter::default()).await.len();
        store.record_payment_reveal(&setup.inquiry.id, &[], &acting(&w.developer), at_min(1)).await.expect("reveal");
        assert_eq!(all_audit(store, &AuditFilter::default()).await.len(), before, "nothing revealed, nothing written");
        let ids = [setup.paid.purchase.id.clone(), setup.gems.purchase.id.clone()];
        store.record_payment_reveal(&setup.inquiry.id, &ids, &acting(&w.developer), at_min(2)).await.expect("reveal");
        for id in &ids {
            let entries = audit_of(store, "purchase", &id.0).await;
            assert_eq!(actions(&entries)[0], "payment_ids.revealed");
            let entry = &entries[0];
            assert_eq!((entry.entry.actor.user_id.as_ref(), entry.at), (Some(&w.developer.id), at_min(2)));
            let detail: serde_json::Value = serde_json::from_str(&entry.entry.detail).expect("json");
            assert_eq!(
                detail,
                serde_json::json!({
                    "inquiry_id": setup.inquiry.id.0,
                    "fields": ["tid", "txid", "receipt_no"],
                    "consent": "given_by_customer",
                })
            );
            assert!(!entry.entry.detail.contains("T-PAID") && !entry.entry.detail.contains("T-GEMS"), "no payment id");
        }
    }
}

// ----- R14 -----

store_test! {
    /// R14: the audit log read by inquiry tells everything that happened to it (asked,
    /// consent, reveals, request, decision, cancellation), by purchase everything that
    /// happened to that purchase (recorded, the inquiry naming it, its reveal, request,
    /// cancellation), and the filters combine with each other and with the actor.
    async fn r14_audit_by_inquiry_and_by_purchase_tells_the_whole_story(store: &dyn Store) {
        let setup = Refunds::seed(store).await;
        let w = &setup.world;
        let other = ask(store, &w.other_customer, &w.app, "question", None, at_min(1)).await;
        store.set_consent(&setup.inquiry.id, true, &acting(&w.customer), at_min(2)).await.expect("consent");
        let ids = [setup.paid.purchase.id.clone(), setup.gems.purchase.id.clone()];
        store.record_payment_reveal(&setup.inquiry.id, &ids, &acting(&w.developer), at_min(3)).await.expect("reveal");
        store.record_payment_reveal(&other.id, &ids[..1], &acting(&w.developer), at_min(3)).await.expect("reveal");
        let open = open_request(store, &setup, at_min(4)).await;
        let mails = cancel_mails(w, &setup.inquiry.id);
        store
            .decide_cancellation_request(&open.id, &Decision::Approve, &mails, &acting(&w.operator), at_min(5))
            .await
            .expect("approve");

        let by = |inquiry: Option<&InquiryId>, purchase: Option<&PurchaseId>, actor: Option<&UserId>| AuditFilter {
            inquiry: inquiry.cloned(),
            purchase: purchase.cloned(),
            actor: actor.cloned(),
            ..Default::default()
        };
        let story = all_audit(store, &by(Some(&setup.inquiry.id), None, None)).await;
        assert_eq!(
            actions(&story),
            [
                "inquiry.store_answered",
                "purchase.cancelled",
                "cancellation_request.approved",
                "inquiry.awaiting_store",
                "cancellation_request.submitted",
                "payment_ids.revealed",
                "payment_ids.revealed",
                "inquiry.consent_given",
                "inquiry.created",
            ]
        );
        assert!(story.windows(2).all(|p| (p[0].at, &p[0].id) > (p[1].at, &p[1].id)), "newest first");
        let paid = &setup.paid.purchase.id;
        let history = all_audit(store, &by(None, Some(paid), None)).await;
        assert_eq!(
            actions(&history),
            [
                "inquiry.store_answered",
                "purchase.cancelled",
                "cancellation_request.approved",
                "inquiry.awaiting_store",
                "cancellation_request.submitted",
                "payment_ids.revealed",
                "payment_ids.revealed",
                "inquiry.created",
                "purchase.recorded",
            ]
        );
        let from_other: Vec<_> = history.iter().filter(|r| r.entry.detail.contains(&other.id.0)).collect();
        assert_eq!(from_other.len(), 1, "the reveal from the other inquiry is the purchase's story too");

        let both = all_audit(store, &by(Some(&setup.inquiry.id), Some(paid), None)).await;
        assert_eq!(
            actions(&both),
            [
                "inquiry.store_answered",
                "purchase.cancelled",
                "cancellation_request.approved",
                "inquiry.awaiting_store",
                "cancellation_request.submitted",
                "payment_ids.revealed",
                "inquiry.created"
            ]
        );
        let operator = all_audit(store, &by(Some(&setup.inquiry.id), Some(paid), Some(&w.operator.id))).await;
        assert_eq!(actions(&operator), ["inquiry.store_answered", "purchase.cancelled", "cancellation_request.approved"]);
        let developer = all_audit(store, &by(Some(&setup.inquiry.id), None, Some(&w.developer.id))).await;
        assert_eq!(
            actions(&developer),
            ["inquiry.awaiting_store", "cancellation_request.submitted", "payment_ids.revealed", "payment_ids.revealed"]
        );
        let subject = AuditFilter {
            subject: Some(("purchase".to_owned(), paid.0.clone())),
            inquiry: Some(setup.inquiry.id.clone()),
            ..Default::default()
        };
        assert_eq!(actions(&all_audit(store, &subject).await), ["purchase.cancelled", "payment_ids.revealed"]);
        let nothing = all_audit(store, &by(Some(&other.id), Some(&setup.gems.purchase.id), None)).await;
        assert!(nothing.is_empty(), "{:?}", actions(&nothing));

        // Pages of two read the same story.
        let filter = by(Some(&setup.inquiry.id), None, None);
        let mut paged = Vec::new();
        let mut page = PageRequest { limit: 2, after: None };
        loop {
            let got = store.audit_log(&filter, &page).await.expect("audit");
            paged.extend(got.items);
            match got.next_cursor {
                Some(cursor) => page.after = Some(cursor),
                None => break,
            }
        }
        assert_eq!(paged, story);
    }
}
