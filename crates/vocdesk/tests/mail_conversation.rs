//! R15 end to end, by mail only, over real SMTP on loopback both ways: the delivery
//! worker sends each notification with its reply address to the suite's sink, the test
//! answers it as a mail client would, to vocdesk's own SMTP listener, and the thread
//! holds every message in order with the right channels. On SQLite and PostgreSQL.

mod common;
mod mail_world;

use std::sync::Arc;

use jiff::SignedDuration;
use mail_world::{DOMAIN, MailWorld, header, reply};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::inquiry::{InquiryStatus, Side};
use vocdesk_store::{PgStore, Store};

async fn a_conversation_by_mail_only(store: Arc<dyn Store>) {
    let w = MailWorld::start(store).await;
    let customer = w.user("customer1@example.com");
    let developer = w.user("dev1@example.com");
    let asked = w.ask(&customer, "farm", "Level 3 does not open", "After the update, level 3 does not open.").await;
    let id = asked.inquiry.id.clone();

    // The developer is told, with a reply address that is theirs alone.
    w.deliver().await;
    let told = w.sink.take().into_iter().find(|m| m.contains(&developer.email) && m.contains(&id.0)).expect("dev told");
    let dev_address = header(&told, "Reply-To").expect("a reply address");
    assert!(dev_address.starts_with("reply+") && dev_address.ends_with(&format!("@{DOMAIN}")), "{dev_address}");
    let notified_id = header(&told, "Message-ID").expect("message id");
    assert!(header(&told, "In-Reply-To").is_some_and(|anchor| anchor.contains(&id.0)), "threaded under the inquiry");

    // The developer answers from their mail client.
    w.clock.advance(SignedDuration::from_hours(1));
    let answer = "Please update to 2.1.1: it fixes level 3.";
    let raw = reply(
        &developer.email,
        &dev_address,
        &notified_id,
        "Level 3",
        answer,
        "After the update, level 3 does not open.",
    );
    w.send(Some(&developer.email), &[&dev_address], &raw).await.expect("the listener takes it");

    // The customer is told, with an address of their own.
    w.deliver().await;
    let told =
        w.sink.take().into_iter().find(|m| m.contains(&customer.email) && m.contains(&id.0)).expect("customer told");
    let customer_address = header(&told, "Reply-To").expect("a reply address");
    assert_ne!(customer_address, dev_address, "each person's address is their own");

    // The customer answers that mail, as Gmail in Korean quotes it.
    w.clock.advance(SignedDuration::from_hours(1));
    let thanks = "업데이트했더니 3단계가 열립니다. 감사합니다!";
    let raw = format!(
        "From: =?UTF-8?B?6rmA66+87KeA?= <{email}>\r\nTo: {customer_address}\r\nSubject: Re: Level 3\r\n\
         Message-ID: <ko-reply-1@mail.gmail.com>\r\nIn-Reply-To: {id}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{thanks}\r\n\r\n\
         2026년 12월 4일 (금) 오전 10:00, vocdesk <no-reply@{DOMAIN}>님이 작성:\r\n> {answer}\r\n",
        email = customer.email,
        id = header(&told, "Message-ID").expect("message id"),
    );
    w.send(Some(&customer.email), &[&customer_address], raw.as_bytes()).await.expect("the listener takes it");

    let thread = w.thread(&id).await;
    let messages: Vec<(Side, Channel, &str)> =
        thread.messages.iter().map(|m| (m.side, m.channel, m.body.as_str())).collect();
    assert_eq!(
        messages,
        [
            (Side::Customer, Channel::Store, "After the update, level 3 does not open."),
            (Side::Developer, Channel::Email, answer),
            (Side::Customer, Channel::Email, thanks),
        ],
        "in order, with the quoted conversation trimmed"
    );
    assert!(thread.inquiry.first_response_at.is_some(), "R5: the emailed answer is the developer's reply");
    assert_eq!(thread.inquiry.status, InquiryStatus::AwaitingDeveloper, "the customer wrote last");
    w.deliver().await;
    assert!(w.sink.take().iter().any(|m| m.contains(&developer.email) && m.contains(&id.0)), "dev told again");
    for message in &thread.messages[1..] {
        let original = w.store().inbound_of_message(&message.id).await.expect("lookup").expect("kept");
        assert!(w.store().inbound_raw(&original.id).await.expect("raw").is_some(), "the original is kept");
    }
}

#[tokio::test]
async fn r4_r5_r15_a_conversation_by_mail_only_lands_in_order_on_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    a_conversation_by_mail_only(common::empty_store(dir.path()).await).await;
}

#[tokio::test]
async fn r4_r5_r15_a_conversation_by_mail_only_lands_in_order_on_postgresql() {
    let Some(database) = common::PgDatabase::create("vocdesk_mail_conversation") else { return };
    let store: Arc<dyn Store> = Arc::new(PgStore::connect(&database.url()).await.expect("connect"));
    store.migrate().await.expect("migrate");
    a_conversation_by_mail_only(store).await;
}
