//! Issue 12 items 4 and 6 through the `Store` trait, on SQLite and PostgreSQL: My page's
//! purchases with the open inquiry naming each and its newest cancellation request,
//! read in one query through indexes; and the off-store look-up's audit entry (R14).

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use jiff::Timestamp;
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId, PurchaseId};
use vocdesk_domain::inquiry::{Inquiry, InquiryInput, InquiryStatus, NewInquiry, Side};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::purchase::{PurchaseStanding, PurchaseView};
use vocdesk_domain::refund::{CancellationRequest, Decision, NewCancellationRequest, RequestStatus};
use vocdesk_store::{Acting, AuditFilter, DecideOutcome, Store, SubmitOutcome, ledger_sql};

use support::*;

fn acting(user: &User) -> Acting {
    Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Api }
}

async fn ask(store: &dyn Store, customer: &User, app: &App, purchase: &PurchaseView, at: Timestamp) -> Inquiry {
    let purchase_id = purchase.purchase.id.0.clone();
    let input = InquiryInput {
        category: "refund",
        subject: "환불 부탁드립니다",
        body: "실수로 구매했어요.",
        purchase_id: Some(&purchase_id),
        consent_personal_info: false,
    };
    let new = NewInquiry::parse(&input, app.id.clone(), customer.id.clone(), Channel::Store).expect("valid");
    store.create_inquiry(&new, &[], &acting(customer), at).await.expect("create inquiry").inquiry
}

async fn request(
    store: &dyn Store,
    developer: &User,
    inquiry: &InquiryId,
    purchase: &PurchaseId,
    at: Timestamp,
) -> CancellationRequest {
    let new = NewCancellationRequest {
        id: CancellationRequestId::generate(),
        purchase_id: purchase.clone(),
        inquiry_id: inquiry.clone(),
        requested_by: developer.id.clone(),
        channel: Channel::Store,
        reason: "합의했습니다".to_owned(),
        message_to_customer: None,
        idempotency: None,
    };
    match store.submit_cancellation_request(&new, &[], &acting(developer), at).await.expect("submit") {
        SubmitOutcome::Created(created) => created,
        other => panic!("not created: {other:?}"),
    }
}

async fn standings(store: &dyn Store, customer: &User) -> Vec<PurchaseStanding> {
    let page = PageRequest { limit: 100, after: None };
    store.purchase_standings(&customer.id, &page).await.expect("standings").items
}

fn of<'a>(list: &'a [PurchaseStanding], purchase: &PurchaseView) -> &'a PurchaseStanding {
    list.iter().find(|s| s.view.purchase.id == purchase.purchase.id).expect("the purchase is listed")
}

store_test! {
    /// Item 4: each purchase carries the newest open inquiry of its customer naming it
    /// and the newest request on it; a closed inquiry is not open, and another
    /// customer's purchases are not listed.
    async fn item4_each_purchase_comes_with_its_open_inquiry_and_newest_request(store: &dyn Store) {
        let w = World::seed(store).await;
        let c = &w.customer;
        let paid = record_purchase(store, purchase_of(c, &w.app.id, None, 1_200, at_min(-40), "T-PAID"), at_min(-40)).await;
        let gems = record_purchase(
            store,
            purchase_of(c, &w.app.id, Some(&w.item.id), 3_300, at_min(-39), "T-GEMS"),
            at_min(-39),
        )
        .await;
        let free = record_purchase(store, purchase_of(c, &w.other_app.id, None, 0, at_min(-38), "T-FREE"), at_min(-38)).await;
        let theirs = record_purchase(
            store,
            purchase_of(&w.other_customer, &w.app.id, None, 1_200, at_min(-37), "T-THEIRS"),
            at_min(-37),
        )
        .await;

        let nothing = standings(store, c).await;
        assert_eq!(nothing.len(), 3, "only the customer's own purchases");
        assert!(nothing.iter().all(|s| s.open_inquiry.is_none() && s.request.is_none()));
        assert!(!nothing.iter().any(|s| s.view.purchase.id == theirs.purchase.id));
        assert_eq!(nothing[0].view.purchase.id, free.purchase.id, "newest first");

        // An older inquiry, closed; a newer one, open: the open one shows.
        let old = ask(store, c, &w.app, &paid, at_min(0)).await;
        store.close_inquiry(&old.id, Side::Customer, &acting(c), at_min(1)).await.expect("close");
        let open = ask(store, c, &w.app, &paid, at_min(2)).await;
        // The item's inquiry gets a request, which the store rejects, then another one.
        let about_gems = ask(store, c, &w.app, &gems, at_min(3)).await;
        let first = request(store, &w.developer, &about_gems.id, &gems.purchase.id, at_min(4)).await;
        let rejected = Decision::Reject { reason: "사용 기록이 있습니다".to_owned() };
        let decided =
            store.decide_cancellation_request(&first.id, &rejected, &[], &acting(&w.operator), at_min(5)).await;
        assert!(matches!(decided, Ok(DecideOutcome::Decided(_))), "{decided:?}");
        store.close_inquiry(&about_gems.id, Side::Developer, &acting(&w.developer), at_min(6)).await.expect("close");

        let list = standings(store, c).await;
        let paid_now = of(&list, &paid);
        let shown = paid_now.open_inquiry.as_ref().expect("the open inquiry");
        assert_eq!((&shown.id, shown.status), (&open.id, InquiryStatus::AwaitingDeveloper));
        assert_eq!(shown.subject, "환불 부탁드립니다");
        assert!(paid_now.request.is_none());
        let gems_now = of(&list, &gems);
        assert!(gems_now.open_inquiry.is_none(), "its inquiry is closed");
        let note = gems_now.request.as_ref().expect("the rejected request");
        assert_eq!((&note.id, note.status, &note.inquiry_id), (&first.id, RequestStatus::Rejected, &about_gems.id));
        assert_eq!(note.decided_at, Some(at_min(5)));
        assert!(gems_now.may_request_refund(), "rejected: the customer may ask again");

        // A new request on the item: the newest one shows, open.
        let again = ask(store, c, &w.app, &gems, at_min(7)).await;
        let second = request(store, &w.developer, &again.id, &gems.purchase.id, at_min(8)).await;
        let list = standings(store, c).await;
        let gems_now = of(&list, &gems);
        let note = gems_now.request.as_ref().expect("the newest request");
        assert_eq!((&note.id, note.status, note.decided_at), (&second.id, RequestStatus::Open, None));
        assert_eq!(gems_now.open_inquiry.as_ref().map(|q| &q.id), Some(&again.id));
        assert!(!gems_now.may_request_refund(), "a request is waiting");
        assert!(!of(&list, &free).may_request_refund(), "free");
        assert!(of(&list, &paid).may_request_refund());

        // Pages are cut by the purchase, never by its inquiries or requests.
        let page = PageRequest { limit: 2, after: None };
        let first_page = store.purchase_standings(&c.id, &page).await.expect("page");
        assert_eq!(first_page.items.len(), 2);
        let rest = PageRequest { limit: 2, after: first_page.next_cursor.clone() };
        let second_page = store.purchase_standings(&c.id, &rest).await.expect("page");
        assert_eq!(second_page.items.len(), 1);
        assert!(second_page.next_cursor.is_none());
        assert_eq!(second_page.items[0].view.purchase.id, paid.purchase.id);
    }
}

store_test! {
    /// Item 6 (R9, R14): a look-up is recorded with the customer it named, or none.
    async fn item6_each_look_up_is_audited_with_the_customer_it_named_or_none(store: &dyn Store) {
        let w = World::seed(store).await;
        let dev = acting(&w.developer);
        store.record_purchase_lookup(&w.seller.id, Some(&w.customer.id), 2, &dev, at_min(1)).await.expect("record");
        store.record_purchase_lookup(&w.seller.id, None, 0, &dev, at_min(2)).await.expect("record");
        let filter = AuditFilter { actor: Some(w.developer.id.clone()), ..AuditFilter::default() };
        let entries = all_audit(store, &filter).await;
        let lookups: Vec<_> = entries.iter().filter(|r| r.entry.action == "purchases.looked_up").collect();
        assert_eq!(lookups.len(), 2);
        let detail = |i: usize| serde_json::from_str::<serde_json::Value>(&lookups[i].entry.detail).expect("JSON");
        // Newest first.
        assert_eq!(detail(0)["customer_id"], serde_json::Value::Null);
        assert_eq!(detail(0)["listed"], 0);
        assert_eq!(lookups[0].entry.subject_id, "");
        assert_eq!(detail(1)["customer_id"], w.customer.id.0.as_str());
        assert_eq!(detail(1)["seller_id"], w.seller.id.0.as_str());
        assert_eq!(lookups[1].entry.subject_id, w.customer.id.0);
        assert_eq!(lookups[1].entry.channel, Channel::Api);
    }
}

/// Item 4 "no N+1, indexed": SQLite reads a customer's purchases through
/// `purchases_by_customer`, and each purchase's inquiry and request through their
/// indexes, never by scanning a table.
#[tokio::test]
async fn item4_my_page_reads_through_indexes_sqlite() {
    let fixture = TestStore::sqlite().await;
    assert_standing_plan(&fixture).await;
}

/// The same on PostgreSQL.
#[tokio::test]
async fn item4_my_page_reads_through_indexes_postgres() {
    let Some(fixture) = TestStore::postgres("item4_my_page_reads_through_indexes_postgres").await else { return };
    assert_standing_plan(&fixture).await;
}

async fn assert_standing_plan(fixture: &TestStore) {
    let args = [PlanArg::Text("c".into()), PlanArg::Int(i64::MAX), PlanArg::Text("~".into()), PlanArg::Int(21)];
    let plan = fixture.plan_with(ledger_sql::PURCHASE_STANDINGS, &args).await;
    let text = plan.join("\n");
    for index in ["purchases_by_customer", "inquiries_by_purchase_recent", "cancellation_requests_by_purchase"] {
        assert!(plan.iter().any(|step| step.contains(index)), "{index} not used:\n{text}");
    }
    if fixture.is_sqlite() {
        assert!(!plan.iter().any(|step| step.starts_with("SCAN")), "a full scan:\n{text}");
    } else {
        for table in ["purchases", "inquiries", "cancellation_requests"] {
            assert!(!text.contains(&format!("Seq Scan on {table}")), "a full scan of {table}:\n{text}");
        }
    }
}
