//! Received mail (R15, R16) through the `Store` trait, on SQLite and PostgreSQL: a mail
//! is kept byte for byte before anything is decided, joins a thread at most once (a
//! second join or a release after the join writes nothing), a hold waits in the
//! operators' queue until released or discarded (each audited, R14), and a bounce fails
//! the mail it reports and holds back further mail to the address until cleared.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{InboundId, OutboxId};
use vocdesk_domain::inbound::{HoldReason, InboundDecision, InboundStatus, NewInbound, ReplyKey};
use vocdesk_domain::inquiry::{InquiryInput, NewInquiry, NewMessage, Side, Thread};
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::page::PageRequest;
use vocdesk_store::{Acting, BounceReport, MailJoin, MessageOutcome, Store, StoreError};

use support::*;

fn system() -> Acting {
    Acting { actor: AuditActor::system("mail-in"), channel: Channel::Email }
}

/// A received mail with bytes that are not UTF-8 (an EUC-KR body), as mail often is.
fn received(recipient: &str) -> NewInbound {
    let mut raw = b"From: customer@example.com\r\nSubject: =?euc-kr?B?x9HAzA==?=\r\n\r\n".to_vec();
    raw.extend_from_slice(&[0xc7, 0xd1, 0xb1, 0xdb, b'\r', b'\n']);
    NewInbound {
        id: InboundId::generate(),
        envelope_from: Some("customer@example.com".to_owned()),
        recipient: recipient.to_owned(),
        from_address: Some("customer@example.com".to_owned()),
        subject: "한글".to_owned(),
        message_id: Some("<m1@example.com>".to_owned()),
        raw,
    }
}

async fn open_thread(store: &dyn Store, w: &World) -> Thread {
    let input =
        InquiryInput { category: "question", subject: "레벨 3", body: "열리지 않아요", ..Default::default() };
    let new = NewInquiry::parse(&input, w.app.id.clone(), w.customer.id.clone(), Channel::Store).expect("valid");
    let acting = Acting { actor: AuditActor::user(w.customer.id.clone(), w.customer.role), channel: Channel::Store };
    store.create_inquiry(&new, &[], &acting, at_min(0)).await.expect("create")
}

fn by_mail(w: &World, text: &str) -> NewMessage {
    NewMessage::parse(w.developer.id.clone(), Side::Developer, Channel::Email, text).expect("valid")
}

async fn waiting(store: &dyn Store) -> Vec<(InboundId, InboundStatus)> {
    let page = store.list_inbound(true, &PageRequest { limit: 50, after: None }).await.expect("list");
    page.items.into_iter().map(|m| (m.id, m.status)).collect()
}

store_test! {
    /// R15: the raw mail is kept exactly as it arrived, and its message joins the thread
    /// once: joining the same mail again is a conflict that writes nothing.
    async fn r15_a_mail_is_kept_raw_and_joins_its_thread_once(store: &dyn Store) {
        let w = World::seed(store).await;
        let thread = open_thread(store, &w).await;
        let mail = received("reply+0123@reply.example");
        store.record_inbound(&mail, at_min(1)).await.expect("record");
        assert_eq!(store.inbound_raw(&mail.id).await.expect("raw"), Some(mail.raw.clone()), "byte for byte");
        assert_eq!(waiting(store).await, [(mail.id.clone(), InboundStatus::Received)], "undecided waits too");

        let join = MailJoin { inbound: mail.id.clone(), released_by: None };
        let message = by_mail(&w, "답장 드립니다");
        let outcome = store.join_by_mail(&join, &thread.inquiry.id, &message, &[], &system(), at_min(2)).await;
        let MessageOutcome::Added { message: stored, .. } = outcome.expect("join") else { panic!("refused") };
        assert_eq!((stored.channel, stored.seq), (Channel::Email, 2));
        let linked = store.inbound_of_message(&stored.id).await.expect("of message").expect("linked");
        assert_eq!((linked.status, linked.inquiry_id), (InboundStatus::Joined, Some(thread.inquiry.id.clone())));
        assert!(waiting(store).await.is_empty());

        let again = store.join_by_mail(&join, &thread.inquiry.id, &by_mail(&w, "twice"), &[], &system(), at_min(3)).await;
        assert!(matches!(again, Err(StoreError::Conflict { .. })), "{again:?}");
        let after = store.thread(&thread.inquiry.id).await.expect("thread").expect("exists");
        assert_eq!(after.messages.len(), 2, "the second join was rolled back");

        // The sending MTA delivers the same mail again: it is known as a copy.
        let copy = NewInbound { id: InboundId::generate(), ..mail.clone() };
        assert_eq!(store.earlier_copy(&mail).await.expect("copy"), None, "the first is no copy");
        store.record_inbound(&copy, at_min(4)).await.expect("record");
        assert_eq!(store.earlier_copy(&copy).await.expect("copy"), Some(mail.id.clone()));
        let other = NewInbound { id: InboundId::generate(), from_address: Some("x@example.com".to_owned()), ..mail.clone() };
        assert_eq!(store.earlier_copy(&other).await.expect("copy"), None, "another sender's is not a copy");
    }
}

store_test! {
    /// R14/R15: a held mail waits for an operator, oldest first; a release joins it as
    /// the operator's decision, a discard keeps it out, and both are audited.
    async fn r14_r15_a_held_mail_waits_until_released_or_discarded(store: &dyn Store) {
        let w = World::seed(store).await;
        let thread = open_thread(store, &w).await;
        let first = received("reply+aaaa@reply.example");
        let second = received("reply+bbbb@reply.example");
        store.record_inbound(&first, at_min(1)).await.expect("record");
        store.record_inbound(&second, at_min(2)).await.expect("record");
        let hold = InboundDecision {
            status: InboundStatus::Held,
            reason: Some(HoldReason::NotFromTokenHolder),
            detail: Some("from mallory@example.com".to_owned()),
            inquiry_id: Some(thread.inquiry.id.clone()),
        };
        for mail in [&first, &second] {
            assert!(store.decide_inbound(&mail.id, &hold, &system(), at_min(3)).await.expect("decide"));
        }
        assert!(!store.decide_inbound(&first.id, &hold, &system(), at_min(3)).await.expect("decide"), "decided once");
        let queue = waiting(store).await;
        assert_eq!(queue, [(first.id.clone(), InboundStatus::Held), (second.id.clone(), InboundStatus::Held)]);
        let held = store.inbound_mail(&first.id).await.expect("one").expect("exists");
        assert_eq!(held.reason, Some(HoldReason::NotFromTokenHolder));

        let operator = Acting { actor: AuditActor::user(w.operator.id.clone(), w.operator.role), channel: Channel::Store };
        let join = MailJoin { inbound: first.id.clone(), released_by: Some(operator.clone()) };
        let message = NewMessage::parse(w.customer.id.clone(), Side::Customer, Channel::Email, "추가 질문").expect("valid");
        let outcome = store.join_by_mail(&join, &thread.inquiry.id, &message, &[], &operator, at_min(4)).await;
        assert!(matches!(outcome, Ok(MessageOutcome::Added { .. })), "{outcome:?}");
        assert!(store.discard_inbound(&second.id, &operator, at_min(5)).await.expect("discard"));
        assert!(!store.discard_inbound(&first.id, &operator, at_min(5)).await.expect("discard"), "released already");
        assert!(waiting(store).await.is_empty());

        let released = store.inbound_mail(&first.id).await.expect("one").expect("exists");
        assert_eq!((released.status, released.decided_by), (InboundStatus::Released, Some(w.operator.id.clone())));
        for (mail, action) in [(&first, "mail.released"), (&second, "mail.discarded")] {
            let actions: Vec<String> =
                audit_of(store, "inbound_mail", &mail.id.0).await.into_iter().map(|a| a.entry.action).collect();
            assert!(actions.contains(&"mail.held".to_owned()) && actions.contains(&action.to_owned()), "{actions:?}");
        }
    }
}

store_test! {
    /// R16: a permanent bounce fails the mail it reports and marks the address, which an
    /// operator clears (audited); a temporary one marks nothing.
    async fn r14_r16_a_bounce_fails_its_mail_and_marks_the_address_until_cleared(store: &dyn Store) {
        let w = World::seed(store).await;
        let input = InquiryInput { category: "question", subject: "레벨 3", body: "열리지 않아요", ..Default::default() };
        let new = NewInquiry::parse(&input, w.app.id.clone(), w.customer.id.clone(), Channel::Store).expect("valid");
        let mail = vocdesk_domain::outbox::OutgoingMail {
            kind: vocdesk_domain::outbox::MailKind::InquiryCreated,
            to_user: Some(w.developer.id.clone()),
            to_email: w.developer.email.clone(),
            locale: vocdesk_domain::locale::Locale::Ko,
            subject: "새 문의".to_owned(),
            body_text: "text".to_owned(),
            body_html: "<p>html</p>".to_owned(),
            inquiry_id: Some(new.id.clone()),
        };
        let acting = Acting { actor: AuditActor::user(w.customer.id.clone(), w.customer.role), channel: Channel::Store };
        store.create_inquiry(&new, &[mail], &acting, at_min(0)).await.expect("create");
        let queued = store.outbox(None, &PageRequest { limit: 10, after: None }).await.expect("outbox").items;
        let outbox_id: OutboxId = queued[0].id.clone();

        let temporary = received("bounces@reply.example");
        store.record_inbound(&temporary, at_min(1)).await.expect("record");
        let report = BounceReport {
            outbox_ids: vec![],
            failed_recipients: vec![w.developer.email.to_ascii_lowercase()],
            permanent: false,
            reason: "4.2.2 mailbox full".to_owned(),
        };
        store.record_bounce(&temporary.id, &report, &system(), at_min(1)).await.expect("bounce");
        assert!(!store.is_bouncing(&w.developer.email).await.expect("bouncing"), "temporary: not marked");

        let bounce = received("bounces@reply.example");
        store.record_inbound(&bounce, at_min(2)).await.expect("record");
        let report = BounceReport {
            outbox_ids: vec![outbox_id.clone(), OutboxId::generate()],
            failed_recipients: vec![w.developer.email.to_ascii_lowercase()],
            permanent: true,
            reason: "5.1.1 user unknown".to_owned(),
        };
        store.record_bounce(&bounce.id, &report, &system(), at_min(2)).await.expect("bounce");
        let failed = store.outbox(Some(MailStatus::Failed), &PageRequest { limit: 10, after: None }).await.expect("outbox");
        assert_eq!(failed.items.iter().map(|m| m.id.clone()).collect::<Vec<_>>(), [outbox_id]);
        assert_eq!(failed.items[0].last_error.as_deref(), Some("5.1.1 user unknown"));
        assert!(store.is_bouncing(&w.developer.email.to_ascii_uppercase()).await.expect("bouncing"), "any case");
        let listed = store.bouncing_addresses().await.expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].inbound_id, Some(bounce.id.clone()));
        assert_eq!(store.inbound_mail(&bounce.id).await.expect("one").expect("exists").status, InboundStatus::Bounce);

        let operator = Acting { actor: AuditActor::user(w.operator.id.clone(), w.operator.role), channel: Channel::Store };
        assert!(store.clear_bouncing(&w.developer.email, &operator, at_min(3)).await.expect("clear"));
        assert!(!store.clear_bouncing(&w.developer.email, &operator, at_min(3)).await.expect("clear"), "once");
        assert!(!store.is_bouncing(&w.developer.email).await.expect("bouncing"));
        let audit = audit_of(store, "address", &w.developer.email.to_ascii_lowercase()).await;
        assert_eq!(audit.iter().map(|a| a.entry.action.as_str()).collect::<Vec<_>>(), ["mail.bounce_cleared"]);
    }
}

store_test! {
    /// R15: a reply token names the inquiry and the person it was issued to, and only
    /// them; remembering it again changes nothing. A mail to a support address opens an
    /// inquiry by mail, linked to its first message.
    async fn r3_r15_tokens_name_their_holder_and_a_support_mail_opens_an_inquiry(store: &dyn Store) {
        let w = World::seed(store).await;
        let thread = open_thread(store, &w).await;
        let key = ReplyKey::new(&[7; 32]).expect("key");
        let token = key.token(&thread.inquiry.id, &w.customer.id);
        for _ in 0..2 {
            store.remember_reply_token(&token, &thread.inquiry.id, &w.customer.id, at_min(1)).await.expect("remember");
        }
        let holder = store.reply_token_holder(&token).await.expect("holder");
        assert_eq!(holder, Some((thread.inquiry.id.clone(), w.customer.id.clone())));
        let other = key.token(&thread.inquiry.id, &w.developer.id);
        assert_eq!(store.reply_token_holder(&other).await.expect("holder"), None, "never issued");

        let mail = received("support+seller@reply.example");
        store.record_inbound(&mail, at_min(2)).await.expect("record");
        let input = InquiryInput { category: "refund", subject: "환불 요청", body: "환불해 주세요", ..Default::default() };
        let new = NewInquiry::parse(&input, w.app.id.clone(), w.customer.id.clone(), Channel::Email).expect("valid");
        let join = MailJoin { inbound: mail.id.clone(), released_by: None };
        let opened = store.open_by_mail(&join, &new, &[], &system(), at_min(2)).await.expect("open");
        assert_eq!(opened.messages[0].channel, Channel::Email);
        let linked = store.inbound_mail(&mail.id).await.expect("one").expect("exists");
        assert_eq!((linked.status, linked.inquiry_id), (InboundStatus::Joined, Some(new.id.clone())));
        let again = store.open_by_mail(&join, &new, &[], &system(), at_min(3)).await;
        assert!(again.is_err(), "the same mail opens no second inquiry");
    }
}
