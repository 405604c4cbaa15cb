//! R16 end to end: the delivery worker takes the demo's outbox to a real SMTP server on
//! loopback (the suite's sink), retries a 421 on its schedule with the clock injected,
//! sends each mail once the server takes it, and never again; two workers on one
//! PostgreSQL database (two `serve` processes) deliver every mail exactly once.

mod common;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::SignedDuration;
use vocdesk_app::delivery::{DeliveryReport, deliver_due};
use vocdesk_app::{App, AppConfig};
use vocdesk_domain::clock::ManualClock;
use vocdesk_domain::delivery::{RecipientCap, RetryPolicy};
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::page::PageRequest;
use vocdesk_smtp::sink::Sink;
use vocdesk_smtp::{Delivery, Identity};
use vocdesk_store::{BlobStore, PgStore, Store};

fn delivery(sink: &Sink) -> Delivery {
    let identity = Identity::new("vocdesk <no-reply@reply.example.com>", Some("reply.example.com")).expect("identity");
    Delivery::smtp(&sink.url(), identity).expect("transport")
}

async fn pending(store: &dyn Store) -> usize {
    pending_since(store, jiff::Timestamp::MIN).await
}

/// Pending mail queued after `since`.
async fn pending_since(store: &dyn Store, since: jiff::Timestamp) -> usize {
    let page = PageRequest { limit: 500, after: None };
    let items = store.outbox(Some(MailStatus::Pending), &page).await.expect("outbox").items;
    items.iter().filter(|m| m.created_at > since).count()
}

/// How many times each Message-ID reached the sink.
fn message_ids(sink: &Sink) -> HashMap<String, usize> {
    let mut seen = HashMap::new();
    for mail in sink.received() {
        let id = mail.lines().find_map(|l| l.strip_prefix("Message-ID: ")).unwrap_or("none").to_owned();
        *seen.entry(id).or_default() += 1;
    }
    seen
}

#[tokio::test]
async fn r16_a_421_is_retried_on_its_schedule_and_each_mail_is_sent_once_the_server_takes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = common::demo_store(dir.path()).await;
    // The demo's mail was queued over the last days: what is older than a day is given
    // up at its first failure; the rest is retried.
    let all = pending(store.as_ref()).await;
    let queued = pending_since(store.as_ref(), common::now() - SignedDuration::from_hours(24)).await;
    assert!(queued >= 5 && all > queued, "the demo queues mail of today and of earlier days: {queued} of {all}");
    let clock = Arc::new(ManualClock::new(common::now()));
    let app = App::open(store.clone(), BlobStore::in_data_dir(dir.path()), clock.clone(), AppConfig::default())
        .await
        .expect("app");
    let sink = Sink::start("421 4.7.0 try again later").await.expect("sink");
    let transport = delivery(&sink);
    let policy = RetryPolicy::default();

    let first = deliver_due(&app, &transport, "worker-a", &policy, &RecipientCap::default(), 500).await.expect("run");
    let count = |n: usize| u32::try_from(n).expect("few");
    assert_eq!(first, DeliveryReport { retried: count(queued), failed: count(all - queued), ..Default::default() });
    assert_eq!(pending(store.as_ref()).await, queued, "still pending after a transient failure");
    let failed =
        store.outbox(Some(MailStatus::Failed), &PageRequest { limit: 500, after: None }).await.expect("outbox");
    assert!(failed.items.iter().all(|m| m.created_at <= common::now() - SignedDuration::from_hours(24)));
    let early = deliver_due(&app, &transport, "worker-a", &policy, &RecipientCap::default(), 500).await.expect("run");
    assert_eq!(early, DeliveryReport::default(), "nothing is due before its retry time");

    // The first retry waits 30-60 s (a minute, less up to half of it by jitter).
    sink.answer_rcpt("250 2.1.5 OK");
    clock.advance(SignedDuration::from_secs(61));
    let second = deliver_due(&app, &transport, "worker-a", &policy, &RecipientCap::default(), 500).await.expect("run");
    assert_eq!(second.sent, count(queued));
    assert_eq!(pending(store.as_ref()).await, 0);
    clock.advance(SignedDuration::from_hours(2));
    let after = deliver_due(&app, &transport, "worker-a", &policy, &RecipientCap::default(), 500).await.expect("run");
    assert_eq!(after, DeliveryReport::default(), "a sent mail is never sent again");
    let ids = message_ids(&sink);
    assert_eq!(ids.len(), queued);
    assert!(ids.values().all(|&n| n == 1), "each Message-ID once: {ids:?}");
}

#[tokio::test]
async fn r16_two_workers_on_one_postgresql_deliver_each_mail_exactly_once() {
    let Some(database) = common::PgDatabase::create("vocdesk_delivery_test") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let first: Arc<dyn Store> = Arc::new(PgStore::connect(&database.url()).await.expect("connect"));
    first.migrate().await.expect("migrate");
    vocdesk::demo::seed(first.as_ref(), &BlobStore::in_data_dir(dir.path()), common::now()).await.expect("seed");
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&database.url()).await.expect("connect"));
    let queued = pending(first.as_ref()).await;
    let sink = Sink::start("250 2.1.5 OK").await.expect("sink");
    let mut workers = Vec::new();
    for (name, store) in [("worker-a", first), ("worker-b", second)] {
        let clock = Arc::new(ManualClock::new(common::now()));
        let app = App::open(store, BlobStore::in_data_dir(dir.path()), clock, AppConfig::default()).await.expect("app");
        let transport = delivery(&sink);
        workers.push(tokio::spawn(async move {
            let mut sent = 0;
            // Small batches, so that the two workers' claims interleave.
            loop {
                let report = deliver_due(&app, &transport, name, &RetryPolicy::default(), &RecipientCap::default(), 3)
                    .await
                    .expect("run");
                sent += report.sent;
                if report == DeliveryReport::default() {
                    return sent;
                }
            }
        }));
    }
    let mut total = 0;
    for worker in workers {
        total += worker.await.expect("joined");
    }
    assert_eq!(usize::try_from(total).expect("few"), queued);
    let ids = message_ids(&sink);
    assert_eq!(ids.len(), queued);
    assert!(ids.values().all(|&n| n == 1), "each Message-ID once: {ids:?}");
}

#[tokio::test]
async fn r16_an_address_past_its_cap_waits_untried_and_gets_its_mail_later() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = common::demo_store(dir.path()).await;
    let clock = Arc::new(ManualClock::new(common::now()));
    let app = App::open(store.clone(), BlobStore::in_data_dir(dir.path()), clock.clone(), AppConfig::default())
        .await
        .expect("app");
    let sink = Sink::start("250 2.1.5 OK").await.expect("sink");
    let transport = delivery(&sink);
    let queued = pending(store.as_ref()).await;
    let cap = RecipientCap { max: 2, window: SignedDuration::from_hours(1) };
    let first = deliver_due(&app, &transport, "worker-a", &RetryPolicy::default(), &cap, 500).await.expect("run");
    assert!(first.deferred > 0 && first.sent > 0, "the demo mails some addresses more than twice: {first:?}");
    assert_eq!(first.sent + first.deferred, u32::try_from(queued).expect("few"));
    let mut per_address: HashMap<String, usize> = HashMap::new();
    for mail in sink.received() {
        let to = mail.lines().find_map(|l| l.strip_prefix("To: ")).unwrap_or("none").to_owned();
        *per_address.entry(to).or_default() += 1;
    }
    assert!(per_address.values().all(|&n| n <= 2), "no address got more than the cap: {per_address:?}");
    let waiting =
        store.outbox(Some(MailStatus::Pending), &PageRequest { limit: 500, after: None }).await.expect("outbox");
    assert!(waiting.items.iter().all(|m| m.attempts == 0), "held back is not an attempt");
    // A window later the held mail goes out, cap by cap: none is lost.
    let mut sent = first.sent;
    for _ in 0..100 {
        clock.advance(SignedDuration::from_hours(1));
        sent += deliver_due(&app, &transport, "worker-a", &RetryPolicy::default(), &cap, 500).await.expect("run").sent;
        if pending(store.as_ref()).await == 0 {
            break;
        }
    }
    assert_eq!(usize::try_from(sent).expect("few"), queued);
    assert_eq!(message_ids(&sink).len(), queued);
}
