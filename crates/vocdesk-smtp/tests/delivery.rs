//! R16 over real SMTP on loopback: a small SMTP sink in the test takes what `Delivery`
//! sends (and can be told to answer 421 or 550), and the `.eml` route writes files.

use jiff::Timestamp;
use tokio::net::TcpListener;
use vocdesk_app::delivery::MailTransport;
use vocdesk_domain::delivery::AttemptFailure;
use vocdesk_domain::ids::{InquiryId, OutboxId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, MailStatus, OutgoingMail, QueuedMail};
use vocdesk_smtp::sink::Sink;
use vocdesk_smtp::{Delivery, Identity};

fn identity() -> Identity {
    Identity::new("vocdesk <no-reply@reply.example.com>", Some("reply.example.com")).expect("identity")
}

fn queued(to: &str) -> QueuedMail {
    QueuedMail {
        id: OutboxId("0193a8c4-5d2e-7000-8000-000000000001".to_owned()),
        mail: OutgoingMail {
            kind: MailKind::DeveloperReply,
            to_user: None,
            to_email: to.to_owned(),
            locale: Locale::Ko,
            subject: "[vocdesk] 답변이 도착했어요: 레벨 3".to_owned(),
            body_text: "안녕하세요, 고객님.\n답변이 도착했어요.".to_owned(),
            body_html: "<p>안녕하세요, 고객님.</p>".to_owned(),
            inquiry_id: Some(InquiryId("0193a8c4-0000-7000-8000-00000000abcd".to_owned())),
        },
        status: MailStatus::Pending,
        attempts: 0,
        created_at: Timestamp::from_second(1_800_000_000).expect("time"),
        sent_at: None,
        last_error: None,
        window_from: Timestamp::from_second(1_800_000_000).expect("time"),
    }
}

#[tokio::test]
async fn r15_r16_mail_goes_over_smtp_with_its_message_id_thread_anchor_and_auto_submitted() {
    let sink = Sink::start("250 2.1.5 OK").await.expect("sink");
    let delivery = Delivery::smtp(&sink.url(), identity()).expect("transport");
    let reply_to = "reply+0123456789abcdef0123456789abcdef@reply.example.com";
    delivery.send(&queued("customer1@example.com"), Some(reply_to)).await.expect("sent");
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    for header in [
        "Message-ID: <0193a8c4-5d2e-7000-8000-000000000001@reply.example.com>",
        "In-Reply-To: <inquiry.0193a8c4-0000-7000-8000-00000000abcd@reply.example.com>",
        "References: <inquiry.0193a8c4-0000-7000-8000-00000000abcd@reply.example.com>",
        "Auto-Submitted: auto-generated",
        "X-Auto-Response-Suppress: All",
        "To: customer1@example.com",
        "Reply-To: reply+0123456789abcdef0123456789abcdef@reply.example.com",
    ] {
        assert!(mail.lines().any(|line| line == header), "{header} missing in:\n{mail}");
    }
    assert!(mail.contains("multipart/alternative"), "text and HTML");
    let subject = mail.lines().find(|l| l.starts_with("Subject:")).unwrap_or_default();
    assert!(subject.is_ascii() && subject.contains("=?"), "the Korean subject is RFC 2047 encoded: {subject}");
}

#[tokio::test]
async fn r16_a_421_is_a_transient_failure_and_a_550_a_permanent_one() {
    for (reply, expected) in [
        ("421 4.7.0 try again later", AttemptFailure::Transient),
        ("550 5.1.1 no such user", AttemptFailure::Permanent),
    ] {
        let sink = Sink::start(reply).await.expect("sink");
        let delivery = Delivery::smtp(&sink.url(), identity()).expect("transport");
        let failure = delivery.send(&queued("gone@example.com"), None).await.expect_err("refused");
        assert_eq!(failure.failure, expected, "{reply}");
        assert!(failure.reason.contains(&reply[..3]), "the server's code is kept: {}", failure.reason);
        assert!(sink.received().is_empty());
    }
}

#[tokio::test]
async fn r16_a_refused_connection_is_transient() {
    let port = TcpListener::bind("127.0.0.1:0").await.expect("bind").local_addr().expect("address").port();
    let delivery = Delivery::smtp(&format!("smtp://127.0.0.1:{port}"), identity()).expect("transport");
    let failure = delivery.send(&queued("customer1@example.com"), None).await.expect_err("nobody listens");
    assert_eq!(failure.failure, AttemptFailure::Transient);
}

#[tokio::test]
async fn r16_an_address_that_cannot_be_a_header_fails_for_good_without_a_connection() {
    let delivery = Delivery::smtp("smtp://127.0.0.1:9", identity()).expect("transport");
    let failure =
        delivery.send(&queued("customer1@example.com\r\nBcc: everyone@example.com"), None).await.expect_err("bad");
    assert_eq!(failure.failure, AttemptFailure::Permanent);
}

#[tokio::test]
async fn r16_without_smtp_each_mail_is_one_eml_file_named_by_its_outbox_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = dir.path().join("mail").join("outgoing");
    let delivery = Delivery::files(folder.clone(), identity());
    let mail = queued("customer1@example.com");
    delivery.send(&mail, None).await.expect("written");
    delivery.send(&mail, None).await.expect("written again: the same file");
    let files: Vec<String> = std::fs::read_dir(&folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, [format!("{}.eml", mail.id.0)]);
    let text = std::fs::read_to_string(folder.join(format!("{}.eml", mail.id.0))).expect("eml");
    assert!(text.contains("Auto-Submitted: auto-generated") && text.contains("Message-ID: <"));
}

#[test]
fn r16_the_sender_and_the_mail_domain_are_checked_at_start_up() {
    assert!(Identity::new("not an address", Some("reply.example.com")).is_err());
    assert!(Identity::new("no-reply@example.com", Some("reply example.com")).is_err());
    assert!(Identity::new("no-reply@example.com", Some("")).is_err());
    assert!(Delivery::smtp("http://example.com", identity()).is_err());
}

#[test]
fn r16_message_ids_default_to_the_senders_domain() {
    let domain_of = |from: &str| Identity::new(from, None).ok().map(|i| i.message_id("x"));
    assert_eq!(domain_of("vocdesk <no-reply@store.example.com>").as_deref(), Some("<x@store.example.com>"));
    assert_eq!(domain_of("no-reply@localhost").as_deref(), Some("<x@localhost>"));
    assert_eq!(domain_of("vocdesk"), None);
}
