//! R15/R16: what must never join a thread, over real SMTP to vocdesk's own listener:
//! forged senders (From, envelope, RFC 2047 tricks), a real token from another thread,
//! a guessed token, our own notification sent back, an out-of-office reply, a bounce, a
//! mail that is not one, a 30 MB mail, another domain, and header injection through a
//! mail's subject. Each is held, ignored or refused with the right SMTP code; nothing
//! is lost, nothing joins, nothing is sent in reply. On SQLite and PostgreSQL.

mod common;
mod mail_world;

use std::sync::Arc;

use mail_world::{DOMAIN, MailWorld, header, reply};
use vocdesk_domain::inbound::{HoldReason, InboundMail, InboundStatus, support_address};
use vocdesk_domain::inquiry::InquiryStatus;
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::page::PageRequest;
use vocdesk_store::{PgStore, Store};

/// The demo with a fresh question of customer1's to hanbit (dev1's seller), whose
/// notifications are delivered: answers the world, the inquiry and the customer's and
/// dev1's reply addresses with the Message-ID of the mail to dev1.
struct Asked {
    w: MailWorld,
    inquiry: vocdesk_domain::ids::InquiryId,
    dev_address: String,
    dev_mail: String,
    _dir: tempfile::TempDir,
    _database: Option<common::PgDatabase>,
}

/// `None` for PostgreSQL when no server is configured (and none is required).
async fn asked(postgres: bool) -> Option<Asked> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, database): (Arc<dyn Store>, _) = if postgres {
        let database = common::PgDatabase::create("vocdesk_mail_refusals")?;
        let store: Arc<dyn Store> = Arc::new(PgStore::connect(&database.url()).await.expect("connect"));
        store.migrate().await.expect("migrate");
        (store, Some(database))
    } else {
        (common::empty_store(dir.path()).await, None)
    };
    let w = MailWorld::start(store).await;
    let customer = w.user("customer1@example.com");
    let thread = w.ask(&customer, "farm", "결제 오류", "결제가 두 번 됐어요.").await;
    w.deliver().await;
    let dev_mail = w
        .sink
        .take()
        .into_iter()
        .find(|m| m.contains("dev1@example.com") && m.contains(&thread.inquiry.id.0))
        .expect("dev1 told");
    let dev_address = header(&dev_mail, "Reply-To").expect("reply address");
    Some(Asked { w, inquiry: thread.inquiry.id, dev_address, dev_mail, _dir: dir, _database: database })
}

async fn latest(w: &MailWorld) -> InboundMail {
    let page = w.store().list_inbound(false, &PageRequest { limit: 1, after: None }).await.expect("list");
    page.items.into_iter().next().expect("a received mail")
}

async fn messages(a: &Asked) -> usize {
    a.w.thread(&a.inquiry).await.messages.len()
}

/// Runs a story on SQLite and, when a server is configured, on PostgreSQL.
macro_rules! both_engines {
    ($(#[$meta:meta])* async fn $name:ident($a:ident: Asked) $body:block) => {
        $(#[$meta])*
        mod $name {
            use super::*;

            async fn body($a: Asked) $body

            #[tokio::test]
            async fn sqlite() {
                body(asked(false).await.expect("SQLite is always there")).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(asked) = asked(true).await {
                    body(asked).await;
                }
            }
        }
    };
}

/// Sends `raw` and checks that it was kept and held for `reason`, joined nothing and
/// caused no mail.
async fn assert_held(a: &Asked, envelope: &str, to: &str, raw: &[u8], reason: HoldReason) {
    let (before, pending) = (messages(a).await, a.w.pending().await);
    a.w.send(Some(envelope), &[to], raw).await.expect("taken: held, never lost");
    let held = latest(&a.w).await;
    assert_eq!((held.status, held.reason), (InboundStatus::Held, Some(reason)), "{held:?}");
    // The SMTP client ends the data with a line break when it does not end with one.
    let kept = a.w.store().inbound_raw(&held.id).await.expect("raw").expect("kept");
    assert!(kept == raw || kept == [raw, b"\r\n"].concat(), "kept byte for byte");
    assert_eq!(messages(a).await, before, "joined nothing");
    assert_eq!(a.w.pending().await, pending, "nothing sent in reply");
}

both_engines! {
    async fn r15_a_forged_sender_is_held_whatever_the_headers_claim(a: Asked) {
        let dev = "dev1@example.com";
        let text =
            |from: &str| reply(from, &a.dev_address, "<x@y>", "결제 오류", "환불해 드릴게요", "결제가 두 번 됐어요.");
        // Someone else, with dev1's name and even dev1's address as a display name or Reply-To.
        let forged = String::from_utf8(text("\"dev1@example.com\" <mallory@evil.example>")).expect("utf-8").replacen(
            "To: ",
            "Reply-To: dev1@example.com\r\nTo: ",
            1,
        );
        assert_held(&a, "mallory@evil.example", &a.dev_address, forged.as_bytes(), HoldReason::NotFromTokenHolder).await;
        // An RFC 2047 encoded word that decodes to dev1's address is not dev1's address.
        let encoded = text("=?utf-8?q?dev1=40example.com?= <mallory@evil.example>");
        assert_held(&a, "mallory@evil.example", &a.dev_address, &encoded, HoldReason::NotFromTokenHolder).await;
        // dev1's From with someone else's envelope.
        assert_held(&a, "mallory@evil.example", &a.dev_address, &text(dev), HoldReason::EnvelopeMismatch).await;
        // Two senders.
        let two = text("dev1@example.com, mallory@evil.example");
        assert_held(&a, dev, &a.dev_address, &two, HoldReason::NoSingleSender).await;
    }
}

both_engines! {
    async fn r15_a_real_token_of_another_thread_or_a_guessed_one_joins_nothing(a: Asked) {
        // customer2's own question, and its reply address for dev1: real, but not customer1's.
        let other = a.w.user("customer2@example.com");
        let theirs = a.w.ask(&other, "farm", "Other", "Someone else's question.").await;
        a.w.deliver().await;
        let told = a.w.sink.take().into_iter().find(|m| m.contains(&theirs.inquiry.id.0) && m.contains("dev1@"));
        let their_address = header(&told.expect("told"), "Reply-To").expect("address");
        let from_customer1 = reply("customer1@example.com", &their_address, "<x@y>", "Other", "mine now", "");
        assert_held(&a, "customer1@example.com", &their_address, &from_customer1, HoldReason::NotFromTokenHolder).await;
        assert_eq!(a.w.thread(&theirs.inquiry.id).await.messages.len(), 1, "their thread is untouched");

        let guessed = format!("reply+{}@{DOMAIN}", "0123456789abcdef".repeat(2));
        let raw = reply("dev1@example.com", &guessed, "<x@y>", "guess", "hello", "");
        assert_held(&a, "dev1@example.com", &guessed, &raw, HoldReason::UnknownToken).await;
    }
}

both_engines! {
    async fn r15_r16_our_own_mail_sent_back_and_an_out_of_office_reply_are_ignored(a: Asked) {
        let (before, pending) = (messages(&a).await, a.w.pending().await);
        // A loop: the notification itself comes back to the reply address.
        a.w.send(Some("dev1@example.com"), &[&a.dev_address], a.dev_mail.as_bytes()).await.expect("taken");
        assert_eq!(latest(&a.w).await.status, InboundStatus::Ignored);
        let out_of_office = String::from_utf8(reply("dev1@example.com", &a.dev_address, "<x@y>", "x", "휴가 중입니다", ""))
            .expect("utf-8")
            .replace("MIME-Version", "Auto-Submitted: auto-replied\r\nMIME-Version");
        a.w.send(Some("dev1@example.com"), &[&a.dev_address], out_of_office.as_bytes()).await.expect("taken");
        assert_eq!(latest(&a.w).await.status, InboundStatus::Ignored);
        assert_eq!((messages(&a).await, a.w.pending().await), (before, pending), "never a message, never answered");
    }
}

both_engines! {
    async fn r16_a_bounce_fails_the_mail_it_names_and_no_more_mail_goes_to_the_address(a: Asked) {
        let outbox_id =
            header(&a.dev_mail, "Message-ID").expect("id").trim_matches(['<', '>']).replace(&format!("@{DOMAIN}"), "");
        let bounce = format!(
            "From: MAILER-DAEMON@mx.example.com\r\nTo: bounce+{outbox_id}@{DOMAIN}\r\nSubject: Undelivered Mail\r\n\
             Message-ID: <dsn-1@mx.example.com>\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\
             --b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n\
             Final-Recipient: rfc822; dev1@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b--\r\n"
        );
        a.w.send(None, &[&format!("bounce+{outbox_id}@{DOMAIN}")], bounce.as_bytes()).await.expect("taken");
        assert_eq!(latest(&a.w).await.status, InboundStatus::Bounce);
        let failed =
            a.w.store().outbox(Some(MailStatus::Failed), &PageRequest { limit: 50, after: None }).await.expect("outbox");
        assert!(failed.items.iter().any(|m| m.id.0 == outbox_id), "the mail it names is failed");
        assert!(a.w.store().is_bouncing("dev1@example.com").await.expect("bouncing"));

        // The customer writes again: dev1's notification is not sent, and says why.
        let customer = a.w.user("customer1@example.com");
        let actor = mail_world::actor(&customer);
        let caller = vocdesk_app::Caller { user: &customer, actor: &actor, channel: vocdesk_domain::audit::Channel::Store };
        vocdesk_app::inquiries::reply(&a.w.app, caller, &a.inquiry, "아직 답이 없네요", vec![]).await.expect("reply");
        let report = a.w.deliver().await;
        assert!(report.failed >= 1, "{report:?}");
        assert!(!a.w.sink.take().iter().any(|m| m.contains("To: dev1@example.com")), "nothing to the bouncing address");
    }
}

both_engines! {
    async fn r15_a_mail_that_is_not_one_is_kept_raw_and_held(a: Asked) {
        assert_held(&a, "dev1@example.com", &a.dev_address, b"\x00\x01 not a mail at all", HoldReason::Unreadable).await;
    }
}

both_engines! {
    async fn r15_a_30_mb_mail_and_another_domain_are_refused_at_smtp_time_and_nothing_is_kept(a: Asked) {
        let before =
            a.w.store().list_inbound(false, &PageRequest { limit: 100, after: None }).await.expect("list").items.len();
        let mut big = reply("dev1@example.com", &a.dev_address, "<x@y>", "big", "see attached", "");
        big.extend(
            std::iter::repeat_n(b'a', 30 * 1024 * 1024)
                .collect::<Vec<u8>>()
                .chunks(998)
                .flat_map(|c| [c, b"\r\n"].concat()),
        );
        let refused = a.w.send(Some("dev1@example.com"), &[&a.dev_address], &big).await.expect_err("too large");
        assert!(refused.is_permanent() && refused.to_string().contains("552"), "{refused}");
        let elsewhere = a.w.send(Some("dev1@example.com"), &["someone@other.example"], b"Subject: x\r\n\r\nx\r\n").await;
        assert!(elsewhere.expect_err("not ours").to_string().contains("550"));
        let after =
            a.w.store().list_inbound(false, &PageRequest { limit: 100, after: None }).await.expect("list").items.len();
        assert_eq!(before, after, "refused mail is not kept: the sender's server still has it");
    }
}

both_engines! {
    async fn r3_r15_a_support_mail_opens_an_inquiry_and_its_subject_cannot_inject_headers(a: Asked) {
        let seller = a.w.seed.sellers.get("hanbit").expect("seller").id.clone();
        let to = support_address(&seller, DOMAIN);
        // "환불 요청\r\nBcc: victim@example.com", RFC 2047 encoded so that it decodes to a line break.
        let raw = format!(
            "From: customer1@example.com\r\nTo: {to}\r\nSubject: =?utf-8?b?7ZmY67aIIOyalOyyrQ0KQmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?=\r\n\
             Message-ID: <new-1@client.example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             지난주 구매를 환불하고 싶어요.\r\n"
        );
        a.w.send(Some("customer1@example.com"), &[&to], raw.as_bytes()).await.expect("taken");
        let opened = latest(&a.w).await;
        assert_eq!(opened.status, InboundStatus::Joined, "{opened:?}");
        let thread = a.w.thread(&opened.inquiry_id.clone().expect("an inquiry")).await;
        assert_eq!(thread.inquiry.category.as_str(), "refund", "the subject says 환불");
        assert_eq!(thread.inquiry.channel, vocdesk_domain::audit::Channel::Email);
        a.w.deliver().await;
        for mail in a.w.sink.take() {
            assert!(!mail.lines().any(|l| l.to_ascii_lowercase().starts_with("bcc:")), "no injected header:\n{mail}");
        }

        // From an address that is no customer's: held, never an inquiry.
        let stranger = raw.replace("From: customer1@example.com", "From: stranger@example.net").replace("new-1@", "new-2@");
        assert_held(&a, "stranger@example.net", &to, stranger.as_bytes(), HoldReason::UnregisteredSender).await;
    }
}

both_engines! {
    async fn r4_r15_a_developer_cannot_answer_a_closed_thread_by_mail_but_the_customer_reopens_it(a: Asked) {
        let customer = a.w.user("customer1@example.com");
        let actor = mail_world::actor(&customer);
        let caller = vocdesk_app::Caller { user: &customer, actor: &actor, channel: vocdesk_domain::audit::Channel::Store };
        vocdesk_app::inquiries::close(&a.w.app, caller, &a.inquiry).await.expect("closed");
        let raw = reply("dev1@example.com", &a.dev_address, "<x@y>", "결제 오류", "확인했습니다", "");
        assert_held(&a, "dev1@example.com", &a.dev_address, &raw, HoldReason::NotAllowed).await;

        // The customer's own reply address reopens it (R4).
        let token = a.w.app.reply_key().token(&a.inquiry, &customer.id);
        a.w.store().remember_reply_token(&token, &a.inquiry, &customer.id, a.w.app.now()).await.expect("token");
        let address = token.address(DOMAIN);
        let raw = reply("customer1@example.com", &address, "<x@y>", "결제 오류", "아직 해결이 안 됐어요", "");
        a.w.send(Some("customer1@example.com"), &[&address], &raw).await.expect("taken");
        let thread = a.w.thread(&a.inquiry).await;
        assert_eq!(thread.inquiry.status, InquiryStatus::AwaitingDeveloper, "reopened");
        assert_eq!(thread.messages.last().map(|m| m.body.as_str()), Some("아직 해결이 안 됐어요"));
    }
}

both_engines! {
    async fn r15_a_mail_delivered_twice_by_its_mta_joins_once(a: Asked) {
        let before = messages(&a).await;
        let raw = reply("dev1@example.com", &a.dev_address, "<x@y>", "결제 오류", "환불 처리했습니다", "");
        for _ in 0..2 {
            a.w.send(Some("dev1@example.com"), &[&a.dev_address], &raw).await.expect("taken");
        }
        assert_eq!(messages(&a).await, before + 1, "the second copy joins nothing");
        assert_eq!(latest(&a.w).await.status, InboundStatus::Ignored, "and is kept as a copy");
    }
}
