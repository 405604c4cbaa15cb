//! Group commit on both engines: many concurrent units of work, some of which fail
//! inside the writer after they have already written rows, and some before they write
//! anything. The good ones commit and are acknowledged; each bad one is rolled back
//! alone (no inquiry, no message, no outbox mail, no audit entry of it survives) and
//! answers its own error. On SQLite these units share commits (run straight, and again
//! with a savepoint each when one failed after writing); on PostgreSQL each is a
//! transaction.

#[macro_use]
#[allow(dead_code)]
mod support;

use vocdesk_domain::account::User;
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{AppId, AttachmentId};
use vocdesk_domain::inquiry::{InquiryInput, NewInquiry};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_store::{Acting, StoreError};

use support::*;

fn acting(user: &User) -> Acting {
    Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Api }
}

fn attachment(id: &AttachmentId) -> AttachmentMeta {
    AttachmentMeta {
        id: id.clone(),
        filename: "crash.log".to_owned(),
        content_type: "text/plain".to_owned(),
        size: 12,
        sha256: "0".repeat(64),
    }
}

store_test! {
    async fn group_commit_keeps_good_units_and_rolls_back_each_failing_unit_alone(fixture: &TestStore) {
        let store = fixture.store();
        let world = World::seed(store).await;
        // The attachment id a first inquiry takes; every "bad" unit below reuses it, so
        // it fails on the primary key after writing its inquiry and its message.
        let taken = AttachmentId::generate();
        let input = InquiryInput { category: "question", subject: "first", body: "첫 문의", ..Default::default() };
        let mut first = NewInquiry::parse(&input, world.app.id.clone(), world.customer.id.clone(), Channel::Api)
            .expect("a valid inquiry");
        first.first_message.attachments.push(attachment(&taken));
        store.create_inquiry(&first, &[], &acting(&world.customer), t0()).await.expect("the first inquiry");

        let shared = fixture.reopen().await;
        let mut units = tokio::task::JoinSet::new();
        for i in 0..120 {
            let store = shared.clone();
            let (app, customer, developer) = (world.app.clone(), world.customer.clone(), world.developer.clone());
            let taken = taken.clone();
            units.spawn(async move {
                let subject = format!("unit {i}");
                let input = InquiryInput { category: "question", subject: &subject, body: "본문", ..Default::default() };
                let bad = i % 3 == 0;
                // Refused before it writes: an app that does not exist.
                let missing = !bad && i % 4 == 1;
                let app_id = if missing { AppId::generate() } else { app.id.clone() };
                let mut new = NewInquiry::parse(&input, app_id, customer.id.clone(), Channel::Api)
                    .expect("a valid inquiry");
                let file = if bad { taken } else { AttachmentId::generate() };
                new.first_message.attachments.push(attachment(&file));
                let mail = OutgoingMail {
                    kind: MailKind::InquiryCreated,
                    to_user: Some(developer.id.clone()),
                    to_email: developer.email.clone(),
                    locale: Locale::Ko,
                    subject: subject.clone(),
                    body_text: "text".to_owned(),
                    body_html: "<p>html</p>".to_owned(),
                    inquiry_id: Some(new.id.clone()),
                };
                let outcome = store.create_inquiry(&new, &[mail], &acting(&customer), at_min(1)).await;
                (bad, missing, new.id, outcome)
            });
        }
        let (mut good, mut bad, mut missing) = (Vec::new(), Vec::new(), 0);
        while let Some(joined) = units.join_next().await {
            let (is_bad, is_missing, id, outcome) = joined.expect("a unit task");
            match (is_bad, is_missing, outcome) {
                (false, false, Ok(inquiry)) => good.push(inquiry.inquiry.id),
                (true, _, Err(StoreError::Conflict { .. })) => bad.push(id),
                (false, true, Err(StoreError::NotFound)) => missing += 1,
                (is_bad, is_missing, other) => panic!("unit (bad: {is_bad}, missing: {is_missing}) answered {other:?}"),
            }
        }
        assert_eq!((good.len(), bad.len(), missing), (60, 40, 20));
        for id in &good {
            let thread = store.thread(id).await.expect("read").expect("an acknowledged inquiry is there");
            assert_eq!(thread.messages.len(), 1);
            assert_eq!(thread.messages[0].attachments.len(), 1);
        }
        for id in &bad {
            assert!(store.inquiry(id).await.expect("read").is_none(), "a failed unit left its inquiry behind");
        }
        // Nothing of the failed units survives: only the good units' rows, mail and audit.
        assert_eq!(fixture.count("SELECT COUNT(*) FROM inquiries").await, 61);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM inquiry_messages").await, 61);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM attachments").await, 61);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM outbox").await, 60);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM audit_log WHERE action = 'inquiry.created'").await, 61);
    }
}

store_test! {
    async fn a_unit_handed_to_the_store_commits_whole_even_when_its_caller_goes_away(fixture: &TestStore) {
        // A client that disconnects drops its request's future wherever it is; the
        // unit it handed over still commits with its message and audit entry, on both
        // engines (SQLite's writer thread, PostgreSQL's own task), instead of stopping
        // between two statements.
        let store = fixture.store();
        let world = World::seed(store).await;
        let input = InquiryInput { category: "question", subject: "gone", body: "연결이 끊겼습니다", ..Default::default() };
        let new = NewInquiry::parse(&input, world.app.id.clone(), world.customer.id.clone(), Channel::Api)
            .expect("a valid inquiry");
        let customer = acting(&world.customer);
        let write = store.create_inquiry(&new, &[], &customer, t0());
        // Polled once (the unit is handed over), then dropped. SQLite's writer thread
        // may already have committed by the time the first poll returns (it runs on
        // another core); PostgreSQL cannot answer a round trip that fast. Either way
        // the rows must be there afterwards.
        let _dropped = tokio::time::timeout(std::time::Duration::ZERO, write).await;
        let mut thread = None;
        for _ in 0..100 {
            thread = store.thread(&new.id).await.expect("read");
            if thread.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let thread = thread.expect("the unit committed after its caller went away");
        assert_eq!(thread.messages.len(), 1);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM audit_log WHERE action = 'inquiry.created'").await, 1);
    }
}
