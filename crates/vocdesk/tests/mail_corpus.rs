//! R15/R16: the mail corpus of `vocdesk-mail` (real-world-shaped mails from Korean and
//! English clients, quoted replies, HTML-only, attachments, auto-replies, bounces,
//! forged senders, broken MIME) received for a real thread, each with the outcome it
//! must have. Personal mails are sent as the thread's customer, so that what decides is
//! the mail's shape, not its sender; the forged ones keep theirs.

mod common;

use std::sync::Arc;

use vocdesk_app::inbound::{Outcome, receive};
use vocdesk_app::{App, AppConfig, Caller};
use vocdesk_domain::audit::Channel;
use vocdesk_domain::clock::ManualClock;
use vocdesk_domain::inbound::HoldReason;
use vocdesk_domain::inquiry::InquiryInput;
use vocdesk_domain::role::{Actor, TokenScope};
use vocdesk_store::BlobStore;

const DOMAIN: &str = "reply.example.com";

/// What each mail of the corpus must become, and whether it is sent as the customer.
const EXPECTED: [(&str, Expect); 25] = [
    ("gmail_en_reply.eml", Expect::Joined),
    ("gmail_ko_reply.eml", Expect::Joined),
    ("gmail_ko_wrapped.eml", Expect::Joined),
    ("outlook_en.eml", Expect::Joined),
    ("outlook_ko_ks_c_5601.eml", Expect::Joined),
    ("naver_euc_kr.eml", Expect::Joined),
    ("cp949_labelled.eml", Expect::Joined),
    ("iphone_en.eml", Expect::Joined),
    ("galaxy_ko.eml", Expect::Joined),
    ("html_only.eml", Expect::Joined),
    ("multipart_alternative.eml", Expect::Joined),
    ("attachments.eml", Expect::Joined),
    ("list_id_personal.eml", Expect::Joined),
    ("malformed_no_boundary.eml", Expect::Joined),
    ("malformed_truncated.eml", Expect::Joined),
    ("unknown_charset.eml", Expect::Joined),
    ("out_of_office_ko.eml", Expect::Ignored),
    ("precedence_bulk.eml", Expect::Ignored),
    ("x_autoreply.eml", Expect::Ignored),
    ("dsn_permanent.eml", Expect::Bounce),
    ("dsn_delayed.eml", Expect::Bounce),
    ("exim_bounce.eml", Expect::Bounce),
    ("forged_display_name.eml", Expect::Forged),
    ("forged_encoded_word.eml", Expect::Forged),
    ("not_a_mail.eml", Expect::Unreadable),
];

#[derive(Clone, Copy, Debug)]
enum Expect {
    Joined,
    Ignored,
    Bounce,
    Forged,
    Unreadable,
}

/// `raw` with its From address replaced by `email` (the first From header only).
fn sent_as(raw: &[u8], email: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut done = false;
    let lines: Vec<String> = text
        .split("\r\n")
        .flat_map(|l| l.split('\n'))
        .map(|line| match (done, line.strip_prefix("From:")) {
            (false, Some(_)) => {
                done = true;
                format!("From: Customer <{email}>")
            }
            _ => line.to_owned(),
        })
        .collect();
    lines.join("\r\n").into_bytes()
}

#[tokio::test]
async fn r15_r16_every_mail_of_the_corpus_has_its_outcome() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let config = AppConfig { reply_domain: DOMAIN.to_owned(), ..AppConfig::default() };
    let clock = Arc::new(ManualClock::new(common::now()));
    let app = App::open(store, BlobStore::in_data_dir(dir.path()), clock, config).await.expect("app");
    let customer = seed.users.get("customer1@example.com").expect("customer").clone();
    let actor = Actor { user_id: customer.id.clone(), role: customer.role, seller_id: None, scope: TokenScope::Full };
    let caller = Caller { user: &customer, actor: &actor, channel: Channel::Store };
    let input =
        InquiryInput { category: "question", subject: "Level 3", body: "It does not open.", ..Default::default() };
    let farm = &seed.apps.get("farm").expect("farm").id;
    let thread = vocdesk_app::inquiries::open(&app, caller, farm, &input, vec![]).await.expect("asked");
    let token = app.reply_key().token(&thread.inquiry.id, &customer.id);
    app.store().remember_reply_token(&token, &thread.inquiry.id, &customer.id, app.now()).await.expect("token");
    let address = token.address(DOMAIN);

    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../vocdesk-mail/tests/corpus");
    let files = std::fs::read_dir(&corpus).expect("corpus").count();
    assert_eq!(files, EXPECTED.len(), "every mail of the corpus has an expected outcome here");
    let mut joined = 0;
    for (file, expect) in EXPECTED {
        let raw = std::fs::read(corpus.join(file)).expect("corpus mail");
        let (raw, sender) = match expect {
            Expect::Joined | Expect::Ignored => (sent_as(&raw, &customer.email), Some(customer.email.as_str())),
            Expect::Bounce => (raw, Some("")),
            Expect::Forged | Expect::Unreadable => (raw, Some("attacker@evil.test")),
        };
        let received = receive(&app, sender, &address, raw).await.expect("kept");
        let ok = match (expect, &received.outcome) {
            (Expect::Joined, Outcome::Joined(id)) => {
                joined += 1;
                id == &thread.inquiry.id
            }
            (Expect::Ignored, Outcome::Ignored) | (Expect::Bounce, Outcome::Bounce) => true,
            (Expect::Forged, Outcome::Held(HoldReason::NotFromTokenHolder | HoldReason::EnvelopeMismatch)) => true,
            (Expect::Unreadable, Outcome::Held(HoldReason::Unreadable)) => true,
            _ => false,
        };
        assert!(ok, "{file}: expected {expect:?}, got {:?}", received.outcome);
    }
    let after = app.store().thread(&thread.inquiry.id).await.expect("thread").expect("exists");
    assert_eq!(after.messages.len(), 1 + joined, "only the personal mails became messages");
    assert!(after.messages.iter().skip(1).all(|m| m.channel == Channel::Email && !m.body.trim().is_empty()));
    let with_files = after.messages.iter().filter(|m| !m.attachments.is_empty()).count();
    assert!(with_files >= 1, "the attachments passed the web's checks and were kept");
}
