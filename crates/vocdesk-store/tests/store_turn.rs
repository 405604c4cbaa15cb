//! R17, the store's turn, through the `Store` trait on SQLite and PostgreSQL: a
//! cancellation request hands every open thread about its purchase to the store (the
//! developer's R5 clock stops), posts the developer's message to the customer and queues
//! the customer's notice with it; every thread about the purchase shows the request; the
//! decision hands each thread back, to the customer or, when the customer wrote while
//! the store had the turn, to the developer with a fresh clock.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use jiff::Timestamp;
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::{CancellationRequestId, InquiryId};
use vocdesk_domain::inquiry::{Inquiry, InquiryInput, InquiryStatus, NewInquiry, NewMessage, Side};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_domain::purchase::PurchaseView;
use vocdesk_domain::refund::{Decision, NewCancellationRequest};
use vocdesk_store::{Acting, DecideOutcome, MessageOutcome, Store, SubmitOutcome};

use support::*;

fn acting(user: &User) -> Acting {
    Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Store }
}

async fn ask(
    store: &dyn Store,
    customer: &User,
    app: &App,
    category: &str,
    purchase: &PurchaseView,
    at: Timestamp,
) -> Inquiry {
    let id = purchase.purchase.id.0.clone();
    let input = InquiryInput {
        category,
        subject: "환불",
        body: "환불해 주세요",
        purchase_id: Some(&id),
        consent_personal_info: false,
    };
    let new = NewInquiry::parse(&input, app.id.clone(), customer.id.clone(), Channel::Store).expect("valid");
    store.create_inquiry(&new, &[], &acting(customer), at).await.expect("create").inquiry
}

async fn now_of(store: &dyn Store, id: &InquiryId) -> Inquiry {
    store.inquiry(id).await.expect("read").expect("exists")
}

fn notice(to: &User, inquiry: &InquiryId) -> OutgoingMail {
    OutgoingMail {
        kind: MailKind::CancellationRequested,
        to_user: Some(to.id.clone()),
        to_email: to.email.clone(),
        locale: Locale::Ko,
        subject: "환불 요청이 스토어에 전달되었습니다".to_owned(),
        body_text: "t".to_owned(),
        body_html: "<p>t</p>".to_owned(),
        inquiry_id: Some(inquiry.clone()),
    }
}

store_test! {
    /// R17: filing from one thread moves it and every other open thread about the same
    /// purchase to `awaiting_store` (clock stopped), posts the message to the customer
    /// and queues their notice in the same write; a closed thread and one about another
    /// purchase stay as they were; every thread about the purchase lists the request; the
    /// rejection hands the turn back, to the customer, or to the developer (clock from
    /// the decision) where the customer wrote meanwhile.
    async fn r17_a_request_gives_the_store_the_turn_and_its_decision_hands_it_back(store: &dyn Store) {
        let w = World::seed(store).await;
        let c = &w.customer;
        let paid = record_purchase(store, purchase_of(c, &w.app.id, None, 1_200, at_min(-40), "T-PAID"), at_min(-40)).await;
        let gems = record_purchase(store, purchase_of(c, &w.app.id, Some(&w.item.id), 3_300, at_min(-39), "T-GEMS"), at_min(-39)).await;
        let asked = ask(store, c, &w.app, "refund", &paid, at_min(0)).await;
        let also = ask(store, c, &w.app, "question", &paid, at_min(1)).await;
        let closed = ask(store, c, &w.app, "question", &paid, at_min(2)).await;
        store.close_inquiry(&closed.id, Side::Customer, &acting(c), at_min(3)).await.expect("close");
        let other = ask(store, c, &w.app, "refund", &gems, at_min(4)).await;

        let message = NewMessage::parse(w.developer.id.clone(), Side::Developer, Channel::Store, "환불을 요청했습니다")
            .expect("valid");
        let request = NewCancellationRequest {
            id: CancellationRequestId::generate(),
            purchase_id: paid.purchase.id.clone(),
            inquiry_id: asked.id.clone(),
            requested_by: w.developer.id.clone(),
            channel: Channel::Store,
            reason: "중복 구매로 확인됨".to_owned(),
            message_to_customer: Some(message.clone()),
            idempotency: None,
        };
        let mails = [notice(c, &asked.id)];
        let SubmitOutcome::Created(open) =
            store.submit_cancellation_request(&request, &mails, &acting(&w.developer), at_min(5)).await.expect("submit")
        else {
            panic!("not created")
        };

        let a = now_of(store, &asked.id).await;
        assert_eq!((a.status, a.awaiting_since), (InquiryStatus::AwaitingStore, None), "R17: the clock stopped");
        assert_eq!(a.first_response_at, Some(at_min(5)), "filing answers the customer");
        let thread = store.thread(&asked.id).await.expect("read").expect("exists");
        let last = thread.messages.last().expect("a message");
        assert_eq!((last.id.clone(), last.side, last.body.as_str()), (message.id.clone(), Side::Developer, "환불을 요청했습니다"));
        let b = now_of(store, &also.id).await;
        assert_eq!(b.status, InquiryStatus::AwaitingStore, "every open thread about the purchase waits on the store");
        assert_eq!(now_of(store, &closed.id).await.status, InquiryStatus::Closed);
        assert_eq!(now_of(store, &other.id).await.status, InquiryStatus::AwaitingDeveloper, "another purchase");
        let queued = store.mail_about_inquiry(&asked.id).await.expect("read");
        assert_eq!(queued.iter().filter(|m| m.mail.kind == MailKind::CancellationRequested).count(), 1);
        for id in [&asked.id, &also.id, &closed.id] {
            let listed: Vec<CancellationRequestId> =
                store.requests_of_inquiry(id).await.expect("read").into_iter().map(|r| r.id).collect();
            assert_eq!(listed, vec![open.id.clone()], "every thread about the purchase shows the request");
        }
        assert!(store.requests_of_inquiry(&other.id).await.expect("read").is_empty());

        // The customer writes on the second thread while the store has the turn.
        let follow_up = NewMessage::parse(c.id.clone(), Side::Customer, Channel::Store, "언제 되나요?").expect("valid");
        let added = store.add_message(&also.id, &follow_up, &[], &acting(c), at_min(6)).await.expect("write");
        assert!(matches!(added, MessageOutcome::Added { .. }));
        assert_eq!(now_of(store, &also.id).await.status, InquiryStatus::AwaitingStore, "the store keeps the turn");

        let decision = Decision::Reject { reason: "사용 이력이 있습니다".to_owned() };
        let decided = store
            .decide_cancellation_request(&open.id, &decision, &[], &acting(&w.operator), at_min(10))
            .await
            .expect("decide");
        assert!(matches!(decided, DecideOutcome::Decided(_)), "{decided:?}");
        let a = now_of(store, &asked.id).await;
        assert_eq!((a.status, a.awaiting_since), (InquiryStatus::AwaitingCustomer, None));
        let b = now_of(store, &also.id).await;
        assert_eq!(
            (b.status, b.awaiting_since),
            (InquiryStatus::AwaitingDeveloper, Some(at_min(10))),
            "the customer's question waits for the developer from the decision on"
        );
        assert_eq!(now_of(store, &closed.id).await.status, InquiryStatus::Closed);
    }
}
