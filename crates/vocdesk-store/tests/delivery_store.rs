//! Delivering the outbox (R16) through the `Store` trait, on SQLite and PostgreSQL: a
//! worker claims due mail for a lease, no other worker gets it meanwhile, each attempt is
//! recorded by the worker that held it, a retry is due again only at its time, and two
//! workers claiming at once on one PostgreSQL never share a mail.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::inquiry::{InquiryInput, NewInquiry};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, MailStatus, OutgoingMail, QueuedMail};
use vocdesk_domain::page::PageRequest;
use vocdesk_store::{Acting, AttemptOutcome, Store};

use support::*;

/// Opens `count` inquiries, each queuing one mail to the developer, at `at`.
async fn queue(store: &dyn Store, world: &World, count: usize, at: Timestamp) {
    for n in 0..count {
        let input =
            InquiryInput {
                category: "question", subject: "레벨 3", body: "열리지 않아요", ..Default::default()
            };
        let new = NewInquiry::parse(&input, world.app.id.clone(), world.customer.id.clone(), Channel::Store)
            .expect("a valid inquiry");
        let mail = to(&world.developer, &format!("새 문의 {n}"), &new);
        let acting =
            Acting { actor: AuditActor::user(world.customer.id.clone(), world.customer.role), channel: Channel::Api };
        store.create_inquiry(&new, &[mail], &acting, at).await.expect("create inquiry");
    }
}

fn to(user: &User, subject: &str, inquiry: &NewInquiry) -> OutgoingMail {
    OutgoingMail {
        kind: MailKind::InquiryCreated,
        to_user: Some(user.id.clone()),
        to_email: user.email.clone(),
        locale: Locale::Ko,
        subject: subject.to_owned(),
        body_text: "text".to_owned(),
        body_html: "<p>html</p>".to_owned(),
        inquiry_id: Some(inquiry.id.clone()),
    }
}

async fn claim(store: &dyn Store, worker: &str, now: Timestamp) -> Vec<QueuedMail> {
    store.claim_due_mail(worker, now, now + SignedDuration::from_mins(5), 100).await.expect("claim")
}

async fn statuses(store: &dyn Store) -> Vec<(MailStatus, i64)> {
    let page = store.outbox(None, &PageRequest { limit: 100, after: None }).await.expect("outbox");
    page.items.iter().map(|m| (m.status, m.attempts)).collect()
}

store_test! {
    /// R16: a claimed mail is no other worker's until its lease runs out; the worker
    /// that holds it records the attempt, and a worker that lost it cannot.
    async fn r16_each_mail_is_claimed_by_one_worker_at_a_time(store: &dyn Store) {
        let w = World::seed(store).await;
        queue(store, &w, 2, at_min(0)).await;
        let mine = claim(store, "worker-a", at_min(1)).await;
        assert_eq!(mine.len(), 2, "both due");
        assert!(claim(store, "worker-b", at_min(2)).await.is_empty(), "leased to worker-a");

        // worker-a took a while: its lease ran out and worker-b took one mail over.
        let taken = claim(store, "worker-b", at_min(7)).await;
        assert_eq!(taken.len(), 2);
        let late = store.finish_delivery_attempt(&mine[0].id, "worker-a", &AttemptOutcome::Sent, at_min(7)).await;
        assert!(!late.expect("finish"), "worker-a no longer holds it");
        for mail in &taken {
            assert!(store.finish_delivery_attempt(&mail.id, "worker-b", &AttemptOutcome::Sent, at_min(8)).await.expect("finish"));
        }
        assert_eq!(statuses(store).await, [(MailStatus::Sent, 1), (MailStatus::Sent, 1)]);
        assert!(claim(store, "worker-c", at_min(60)).await.is_empty(), "a sent mail is never claimed again");
    }
}

store_test! {
    /// R16: a transient failure is due again at its retry time and not before; a
    /// permanent one fails for good; both are audited (R14) with their reason.
    async fn r14_r16_a_retry_is_due_at_its_time_and_a_failure_for_good_stays_failed_and_audited(store: &dyn Store) {
        let w = World::seed(store).await;
        queue(store, &w, 1, at_min(0)).await;
        let mail = claim(store, "worker-a", at_min(0)).await.pop().expect("due");
        let retry = AttemptOutcome::Retry { at: at_min(2), error: "421 4.7.0 try again later".to_owned() };
        assert!(store.finish_delivery_attempt(&mail.id, "worker-a", &retry, at_min(0)).await.expect("finish"));
        assert!(claim(store, "worker-a", at_min(1)).await.is_empty(), "not yet due");
        let again = claim(store, "worker-a", at_min(2)).await.pop().expect("due again");
        assert_eq!((again.id.clone(), again.attempts), (mail.id.clone(), 1));
        let failed = AttemptOutcome::Failed { error: "550 5.1.1 no such user".to_owned() };
        assert!(store.finish_delivery_attempt(&again.id, "worker-a", &failed, at_min(2)).await.expect("finish"));
        assert_eq!(statuses(store).await, [(MailStatus::Failed, 2)]);
        assert!(claim(store, "worker-a", at_min(600)).await.is_empty(), "failed mail waits for an operator");
        let audit = audit_of(store, "outbox", &mail.id.0).await;
        let actions: Vec<&str> = audit.iter().map(|a| a.entry.action.as_str()).collect();
        assert_eq!(actions.len(), 2);
        assert!(actions.contains(&"mail.attempt_failed") && actions.contains(&"mail.failed"), "{actions:?}");
        assert!(audit.iter().any(|a| a.entry.detail.contains("550 5.1.1")), "the reason is kept");
    }
}

store_test! {
    /// R16: workers claiming at the same moment (several `serve` processes on one
    /// PostgreSQL) split the due mail between them: none is claimed twice.
    async fn r16_workers_claiming_at_once_never_share_a_mail(fixture: &TestStore) {
        let store = fixture.store();
        let w = World::seed(store).await;
        queue(store, &w, 40, at_min(0)).await;
        let shared = fixture.shared();
        let claims = (0..4).map(|n| {
            let store = shared.clone();
            tokio::spawn(async move {
                let now = at_min(1);
                store.claim_due_mail(&format!("worker-{n}"), now, now + SignedDuration::from_mins(5), 15).await
            })
        });
        let mut seen = HashSet::new();
        let mut total = 0;
        for claim in claims {
            for mail in claim.await.expect("joined").expect("claim") {
                total += 1;
                assert!(seen.insert(mail.id.clone()), "{} claimed twice", mail.id);
            }
        }
        assert_eq!(total, 40, "four claims of up to 15 take all 40");
    }
}
