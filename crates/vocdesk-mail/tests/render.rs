//! Notification mail as the outbox receives it (R3 thread mail, R5/R8 refund mail): who
//! gets which mail, in which language, and that user text is escaped in HTML but kept as
//! written in plain text.

use std::collections::BTreeSet;

use jiff::Timestamp;
use vocdesk_domain::ids::{InquiryId, UserId};
use vocdesk_domain::inquiry::Category;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::money::{Currency, Money};
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_mail::{CancelledHow, MailRenderer, MessageFacts, PurchaseFacts, Reader, Recipient, ThreadFacts};

const BASE_URL: &str = "http://localhost:8080/";
const INQUIRY: &str = "0195a3c4-7b2e-7d10-9f00-00000000c0de";
const HOSTILE_SUBJECT: &str = "결제 오류 <script>alert(1)</script> & 환불";
const HOSTILE_BODY: &str =
    "어제 결제했는데 앱이 열리지 않아요.\n<script>alert(1)</script> & \"따옴표\"\n\n확인 부탁드립니다.";

fn inquiry_id() -> InquiryId {
    InquiryId(INQUIRY.to_owned())
}

fn at() -> Timestamp {
    // 09:30 in Seoul.
    "2026-11-21T00:30:00Z".parse().expect("fixed timestamp")
}

fn thread(id: &InquiryId) -> ThreadFacts<'_> {
    ThreadFacts {
        inquiry_id: id,
        app_title: "별빛 퍼즐 & Friends",
        seller_name: "달빛게임즈",
        customer_name: "김민지",
        category: Category::ErrorReport,
        subject: HOSTILE_SUBJECT,
    }
}

fn customer_message() -> MessageFacts<'static> {
    MessageFacts { author_name: "김민지", body: HOSTILE_BODY, attachment_count: 2, at: at() }
}

fn developer_message() -> MessageFacts<'static> {
    MessageFacts {
        author_name: "박지훈",
        body: "불편을 드려 죄송합니다.\n<script>alert(1)</script> & 재설치 후 다시 시도해 주세요.",
        attachment_count: 1,
        at: at(),
    }
}

fn developer(n: u8, locale: Locale) -> Recipient {
    Recipient {
        user_id: Some(UserId(format!("0195a3c4-0000-7000-8000-00000000d00{n}"))),
        email: format!("dev{n}@example.com"),
        name: match locale {
            Locale::Ko => "이서연".to_owned(),
            Locale::En => "Alex Kim".to_owned(),
        },
        locale,
    }
}

/// The mail's text after the R15 "reply above this line" line and the blank after it.
fn below_reply_line(text: &str) -> &str {
    match text.split_once("##\n\n") {
        Some((line, rest)) if line.starts_with("##") && !line.contains('\n') => rest,
        _ => text,
    }
}

fn customer(locale: Locale) -> Recipient {
    Recipient {
        user_id: Some(UserId("0195a3c4-0000-7000-8000-0000000c0001".to_owned())),
        email: "minji@example.com".to_owned(),
        name: "김민지".to_owned(),
        locale,
    }
}

fn renderer() -> MailRenderer {
    MailRenderer::new(BASE_URL)
}

/// The whole mail as one snapshot: subject, then the text body, then the HTML body.
fn snapshot_of(mail: &OutgoingMail) -> String {
    format!(
        "to: {} ({:?}, {})\nsubject: {}\n\n===== text =====\n{}\n===== html =====\n{}",
        mail.to_email,
        mail.to_user.as_ref().map(UserId::as_str),
        mail.locale.tag(),
        mail.subject,
        mail.body_text,
        mail.body_html
    )
}

/// User text shows escaped in HTML and as written in plain text; no catalog key leaks.
/// askama's HTML escaper writes numeric character references (`&#60;` for `<`, `&#38;`
/// for `&`), which mean the same to every mail client as `&lt;` and `&amp;`.
fn assert_user_text_handled(mail: &OutgoingMail, body: &str) {
    assert!(!mail.body_html.contains("<script>"), "raw <script> in HTML:\n{}", mail.body_html);
    assert!(mail.body_html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "HTML:\n{}", mail.body_html);
    assert!(!mail.body_html.contains("& "), "a bare & in HTML:\n{}", mail.body_html);
    assert!(mail.body_html.contains("별빛 퍼즐 &#38; Friends"), "app title unescaped:\n{}", mail.body_html);
    assert!(mail.body_html.contains("&#38; 환불"), "subject unescaped:\n{}", mail.body_html);
    assert!(mail.body_text.contains(body), "text body must keep the message as written:\n{}", mail.body_text);
    assert!(mail.body_text.contains(HOSTILE_SUBJECT), "text body must keep the subject as written");
    assert!(mail.body_text.contains("별빛 퍼즐 & Friends"));
    assert!(mail.subject.contains(HOSTILE_SUBJECT), "subject line keeps the user's subject: {}", mail.subject);
    for part in [&mail.subject, &mail.body_text, &mail.body_html] {
        assert!(!part.contains("mail-"), "a catalog key leaked: {part}");
    }
}

#[test]
fn r3_new_inquiry_mail_goes_to_each_developer_in_their_language() {
    let id = inquiry_id();
    let to = [developer(1, Locale::Ko), developer(2, Locale::En)];
    let mails = renderer().inquiry_created(&thread(&id), &customer_message(), &to).expect("renders");

    assert_eq!(mails.len(), 2);
    for (mail, recipient) in mails.iter().zip(&to) {
        assert_eq!(mail.kind, MailKind::InquiryCreated);
        assert_eq!(mail.to_user, recipient.user_id);
        assert_eq!(mail.to_email, recipient.email);
        assert_eq!(mail.locale, recipient.locale);
        assert_eq!(mail.inquiry_id, Some(id.clone()));
        assert!(mail.body_text.contains(&format!("http://localhost:8080/inquiries/{INQUIRY}\n")));
        assert!(mail.body_html.contains(&format!("href=\"http://localhost:8080/inquiries/{INQUIRY}\"")));
        assert!(mail.body_text.contains("2026-11-21 09:30 KST"));
        assert_user_text_handled(mail, HOSTILE_BODY);
    }

    let (ko, en) = (&mails[0], &mails[1]);
    assert_eq!(ko.subject, format!("[vocdesk] 별빛 퍼즐 & Friends 새 문의: {HOSTILE_SUBJECT}"));
    assert!(below_reply_line(&ko.body_text).starts_with("이서연님, 안녕하세요."));
    assert!(ko.body_text.contains("문의 유형: 오류 신고"));
    assert!(ko.body_text.contains("첨부 파일 2개"));
    assert_eq!(en.subject, format!("[vocdesk] 별빛 퍼즐 & Friends new inquiry: {HOSTILE_SUBJECT}"));
    assert!(below_reply_line(&en.body_text).starts_with("Hello Alex Kim,"));
    assert!(en.body_text.contains("Category: Error report"));
    assert!(en.body_text.contains("2 attachments"));

    insta::assert_snapshot!("inquiry_created_ko", snapshot_of(ko));
    insta::assert_snapshot!("inquiry_created_en", snapshot_of(en));
}

#[test]
fn r5_developer_mail_reminds_of_the_three_day_limit_and_customer_mail_does_not() {
    let id = inquiry_id();
    let created = renderer()
        .inquiry_created(&thread(&id), &customer_message(), &[developer(1, Locale::Ko), developer(2, Locale::En)])
        .expect("renders");
    let follow_up =
        renderer().customer_follow_up(&thread(&id), &customer_message(), &[developer(1, Locale::Ko)]).expect("renders");
    let ko_deadline = "고객 문의는 3일(72시간) 안에 답변해 주세요. 기한이 지나면 스토어가 구매를 취소할 수 있습니다.";
    let en_deadline = "within 3 days (72 hours)";
    assert!(created[0].body_text.contains(ko_deadline) && created[0].body_html.contains(ko_deadline));
    assert!(created[1].body_text.contains(en_deadline) && created[1].body_html.contains(en_deadline));
    assert!(follow_up[0].body_text.contains(ko_deadline));

    for locale in Locale::ALL {
        let reply = renderer().developer_reply(&thread(&id), &developer_message(), &customer(locale)).expect("renders");
        assert!(!reply.body_text.contains("72"), "no R5 reminder for the customer:\n{}", reply.body_text);
    }
}

#[test]
fn r3_developer_reply_mail_goes_to_the_customer_in_korean() {
    let id = inquiry_id();
    let message = developer_message();
    let mail = renderer().developer_reply(&thread(&id), &message, &customer(Locale::Ko)).expect("renders");

    assert_eq!(mail.kind, MailKind::DeveloperReply);
    assert_eq!(mail.to_email, "minji@example.com");
    assert_eq!(mail.locale, Locale::Ko);
    assert_eq!(mail.inquiry_id, Some(id.clone()));
    assert_eq!(mail.subject, format!("[vocdesk] 달빛게임즈의 답변: {HOSTILE_SUBJECT}"));
    assert!(below_reply_line(&mail.body_text).starts_with("김민지님, 안녕하세요."));
    assert!(mail.body_text.contains("첨부 파일 1개"));
    assert_user_text_handled(&mail, message.body);

    insta::assert_snapshot!("developer_reply_ko", snapshot_of(&mail));
}

#[test]
fn r3_developer_reply_mail_goes_to_the_customer_in_english() {
    let id = inquiry_id();
    let message = developer_message();
    let mail = renderer().developer_reply(&thread(&id), &message, &customer(Locale::En)).expect("renders");

    assert_eq!(mail.kind, MailKind::DeveloperReply);
    assert_eq!(mail.locale, Locale::En);
    assert_eq!(mail.subject, format!("[vocdesk] Reply from 달빛게임즈: {HOSTILE_SUBJECT}"));
    assert!(mail.body_text.contains("This message has 1 attachment;"), "English singular:\n{}", mail.body_text);
    assert_user_text_handled(&mail, message.body);

    insta::assert_snapshot!("developer_reply_en", snapshot_of(&mail));
}

#[test]
fn r4_customer_follow_up_mail_tells_the_developers_again() {
    let id = inquiry_id();
    let message = MessageFacts { author_name: "김민지", body: HOSTILE_BODY, attachment_count: 0, at: at() };
    let mails = renderer()
        .customer_follow_up(&thread(&id), &message, &[developer(1, Locale::Ko), developer(3, Locale::Ko)])
        .expect("renders");

    assert_eq!(mails.len(), 2);
    assert_eq!(mails.iter().map(|m| m.to_email.as_str()).collect::<Vec<_>>(), ["dev1@example.com", "dev3@example.com"]);
    let mail = &mails[0];
    assert_eq!(mail.kind, MailKind::CustomerFollowUp);
    assert_eq!(mail.subject, format!("[vocdesk] 별빛 퍼즐 & Friends 추가 문의: {HOSTILE_SUBJECT}"));
    assert!(!mail.body_text.contains("첨부"), "no attachment line without attachments");
    assert_user_text_handled(mail, HOSTILE_BODY);

    insta::assert_snapshot!("customer_follow_up_ko", snapshot_of(mail));
}

#[test]
fn r3_no_developers_means_no_mail() {
    let id = inquiry_id();
    let mails = renderer().inquiry_created(&thread(&id), &customer_message(), &[]).expect("renders");
    assert!(mails.is_empty());
}

#[test]
fn subject_header_never_carries_a_line_break() {
    let id = inquiry_id();
    let facts = ThreadFacts { subject: "환불\r\nBcc: victim@example.com", ..thread(&id) };
    let mail = renderer().developer_reply(&facts, &developer_message(), &customer(Locale::En)).expect("renders");
    assert_eq!(mail.subject, "[vocdesk] Reply from 달빛게임즈: 환불 Bcc: victim@example.com");
}

#[test]
fn a_recipient_without_a_name_is_greeted_without_one() {
    let id = inquiry_id();
    let nameless = Recipient { name: "  ".to_owned(), ..customer(Locale::Ko) };
    let mail = renderer().developer_reply(&thread(&id), &developer_message(), &nameless).expect("renders");
    let greeting = mail.body_text.lines().find(|line| !line.starts_with("##") && !line.is_empty());
    assert_eq!(greeting, Some("안녕하세요."), "{}", mail.body_text);
}

#[test]
fn r15_mail_to_a_person_says_to_reply_above_the_line_and_mail_to_a_support_address_does_not() {
    let id = inquiry_id();
    let mail = renderer().developer_reply(&thread(&id), &developer_message(), &customer(Locale::En)).expect("renders");
    assert!(mail.body_text.starts_with("## Reply above this line to answer in the inquiry ##\n"), "{}", mail.body_text);
    let support = Recipient { user_id: None, ..customer(Locale::Ko) };
    let mail = renderer().developer_reply(&thread(&id), &developer_message(), &support).expect("renders");
    assert!(!mail.body_text.contains("##"), "nobody to reply as: {}", mail.body_text);
}

// R5/R8: refund mail.

const PRODUCT: &str = "별빛 퍼즐 & Friends · 보석 100개";
const HOSTILE_REASON: &str =
    "아이템을 이미 사용하여 환불 대상이 아닙니다.\n<script>alert(1)</script> & \"정책 3조\" 참고";

fn money(amount_minor: i64, code: &str) -> Money {
    Money { amount_minor, currency: Currency::parse("currency", code).expect("valid currency") }
}

fn purchased_at() -> Timestamp {
    // 18:00 in Seoul, three days before the inquiry's message.
    "2026-11-18T09:00:00Z".parse().expect("fixed timestamp")
}

fn purchase(amount: &Money) -> PurchaseFacts<'_> {
    PurchaseFacts { product: PRODUCT, amount, purchased_at: purchased_at() }
}

fn refund_thread(id: &InquiryId) -> ThreadFacts<'_> {
    ThreadFacts { category: Category::Refund, ..thread(id) }
}

/// What every refund mail carries, whoever reads it: its kind, the recipient, the
/// thread and its link, and no catalog key or raw user markup.
fn assert_refund_mail(mail: &OutgoingMail, kind: MailKind, recipient: &Recipient) {
    assert_eq!(mail.kind, kind);
    assert_eq!(mail.to_user, recipient.user_id);
    assert_eq!(mail.to_email, recipient.email);
    assert_eq!(mail.locale, recipient.locale);
    assert_eq!(mail.inquiry_id, Some(inquiry_id()));
    assert!(mail.body_text.contains(&format!("\nhttp://localhost:8080/inquiries/{INQUIRY}\n")), "{}", mail.body_text);
    assert!(mail.body_html.contains(&format!("href=\"http://localhost:8080/inquiries/{INQUIRY}\"")));
    assert!(mail.body_html.contains(&format!("<html lang=\"{}\">", recipient.locale.tag())));
    assert!(!mail.body_html.contains("<script>"), "raw <script> in HTML:\n{}", mail.body_html);
    assert!(!mail.body_html.contains("& "), "a bare & in HTML:\n{}", mail.body_html);
    for part in [&mail.subject, &mail.body_text, &mail.body_html] {
        assert!(!part.contains("mail-"), "a catalog key leaked: {part}");
        assert!(!part.contains("{ $") && !part.contains("{$"), "an argument was not filled in: {part}");
    }
}

/// The purchase block of a refund mail, in the reader's language.
fn assert_purchase_shown(mail: &OutgoingMail, amount: &str) {
    let (product, amount_label, purchased) = match mail.locale {
        Locale::Ko => ("상품", "결제 금액", "결제 일시"),
        Locale::En => ("Product", "Amount paid", "Purchased"),
    };
    assert!(mail.body_text.contains(&format!("{product}: {PRODUCT}\n")), "{}", mail.body_text);
    assert!(mail.body_text.contains(&format!("{amount_label}: {amount}\n")), "{}", mail.body_text);
    assert!(mail.body_text.contains(&format!("{purchased}: 2026-11-18 18:00 KST\n")), "{}", mail.body_text);
    assert!(mail.body_html.contains("별빛 퍼즐 &#38; Friends · 보석 100개"), "{}", mail.body_html);
    assert!(mail.body_html.contains(amount), "{}", mail.body_html);
}

#[test]
fn r8_approved_request_tells_the_customer_the_purchase_is_cancelled_and_refunded() {
    let id = inquiry_id();
    let won = money(12_000, "KRW");
    let dollars = money(499, "USD");
    let r = renderer();

    let ko = r
        .purchase_cancelled(
            &refund_thread(&id),
            &purchase(&won),
            CancelledHow::RequestApproved,
            &[customer(Locale::Ko)],
        )
        .expect("renders");
    assert_eq!(ko.len(), 1);
    let ko = &ko[0];
    assert_refund_mail(ko, MailKind::PurchaseCancelled, &customer(Locale::Ko));
    assert_purchase_shown(ko, "₩12,000");
    assert_eq!(ko.subject, format!("[vocdesk] 구매취소 및 환불 안내: {PRODUCT}"));
    assert!(below_reply_line(&ko.body_text).starts_with("김민지님, 안녕하세요.\n"));
    assert!(ko.body_text.contains("달빛게임즈의 요청에 따라 스토어가"), "{}", ko.body_text);
    assert!(ko.body_text.contains("결제하신 수단으로 환불됩니다"), "{}", ko.body_text);
    assert!(!ko.body_text.contains("72"), "no R5 reminder for the customer:\n{}", ko.body_text);

    let en = r
        .purchase_cancelled(
            &refund_thread(&id),
            &purchase(&dollars),
            CancelledHow::RequestApproved,
            &[customer(Locale::En)],
        )
        .expect("renders");
    let en = &en[0];
    assert_refund_mail(en, MailKind::PurchaseCancelled, &customer(Locale::En));
    // English readers get a dollar purchase here, so that both ways money shows are pinned.
    assert_purchase_shown(en, "US$4.99");
    assert_eq!(en.subject, format!("[vocdesk] Purchase cancelled, refund on its way: {PRODUCT}"));
    assert!(en.body_text.contains("At the request of 달빛게임즈, the store cancelled"), "{}", en.body_text);

    insta::assert_snapshot!("purchase_cancelled_request_approved_ko", snapshot_of(ko));
    insta::assert_snapshot!("purchase_cancelled_request_approved_en", snapshot_of(en));
}

#[test]
fn r5_cancelling_on_behalf_tells_the_customer_why() {
    let id = inquiry_id();
    let won = money(12_000, "KRW");
    let dollars = money(499, "USD");
    let r = renderer();

    let ko = &r
        .purchase_cancelled(&refund_thread(&id), &purchase(&won), CancelledHow::OnBehalf, &[customer(Locale::Ko)])
        .expect("renders")[0];
    assert_refund_mail(ko, MailKind::PurchaseCancelled, &customer(Locale::Ko));
    assert_purchase_shown(ko, "₩12,000");
    assert!(ko.body_text.contains("기한 안에 등록되지 않아, 스토어가 판매자를 대신해"), "{}", ko.body_text);

    let en = &r
        .purchase_cancelled(&refund_thread(&id), &purchase(&dollars), CancelledHow::OnBehalf, &[customer(Locale::En)])
        .expect("renders")[0];
    assert_refund_mail(en, MailKind::PurchaseCancelled, &customer(Locale::En));
    assert!(en.body_text.contains("on the seller's behalf"), "{}", en.body_text);

    // The two ways differ only in how the customer is told it came about.
    let approved = &r
        .purchase_cancelled(
            &refund_thread(&id),
            &purchase(&won),
            CancelledHow::RequestApproved,
            &[customer(Locale::Ko)],
        )
        .expect("renders")[0];
    assert_eq!(approved.subject, ko.subject);
    assert_ne!(approved.body_text, ko.body_text);

    insta::assert_snapshot!("purchase_cancelled_on_behalf_ko", snapshot_of(ko));
    insta::assert_snapshot!("purchase_cancelled_on_behalf_en", snapshot_of(en));
}

#[test]
fn r8_approval_tells_each_developer_in_their_language() {
    let id = inquiry_id();
    let won = money(12_000, "KRW");
    let to = [developer(1, Locale::Ko), developer(2, Locale::En)];
    let mails = renderer().cancellation_approved(&refund_thread(&id), &purchase(&won), &to).expect("renders");

    assert_eq!(mails.len(), 2);
    for (mail, recipient) in mails.iter().zip(&to) {
        assert_refund_mail(mail, MailKind::CancellationApproved, recipient);
        assert_purchase_shown(mail, "₩12,000");
    }
    let (ko, en) = (&mails[0], &mails[1]);
    assert_eq!(ko.subject, format!("[vocdesk] 구매취소 요청 승인: {PRODUCT}"));
    assert!(below_reply_line(&ko.body_text).starts_with("이서연님, 안녕하세요.\n"));
    assert!(ko.body_text.contains(
        "김민지님의 별빛 퍼즐 & Friends · 보석 100개 구매에 대해 요청하신 구매취소를 스토어가 승인했습니다."
    ));
    assert_eq!(en.subject, format!("[vocdesk] Cancellation request approved: {PRODUCT}"));
    assert!(below_reply_line(&en.body_text).starts_with("Hello Alex Kim,\n"));

    insta::assert_snapshot!("cancellation_approved_ko", snapshot_of(ko));
    insta::assert_snapshot!("cancellation_approved_en", snapshot_of(en));
}

#[test]
fn r8_rejection_tells_both_sides_with_the_operators_reason() {
    let id = inquiry_id();
    let won = money(12_000, "KRW");
    let r = renderer();
    let facts = purchase(&won);

    let mut mails = Vec::new();
    for locale in Locale::ALL {
        let to = [customer(locale)];
        let mail = r.cancellation_rejected(&refund_thread(&id), &facts, HOSTILE_REASON, Reader::Customer, &to);
        let mail = mail.expect("renders").remove(0);
        assert_refund_mail(&mail, MailKind::CancellationRejected, &to[0]);
        mails.push(mail);
        let to = [developer(1, locale)];
        let mail = r.cancellation_rejected(&refund_thread(&id), &facts, HOSTILE_REASON, Reader::Developer, &to);
        let mail = mail.expect("renders").remove(0);
        assert_refund_mail(&mail, MailKind::CancellationRejected, &to[0]);
        mails.push(mail);
    }
    for mail in &mails {
        assert_purchase_shown(mail, "₩12,000");
        assert!(mail.body_text.contains(&format!("]\n{HOSTILE_REASON}\n")), "reason as written:\n{}", mail.body_text);
        assert!(
            mail.body_html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;정책 3조&#34; 참고"),
            "reason escaped:\n{}",
            mail.body_html
        );
    }
    let [customer_ko, developer_ko, customer_en, developer_en] = &mails[..] else { panic!("four mails") };
    assert_eq!(customer_ko.subject, format!("[vocdesk] 구매취소 요청 반려: {PRODUCT}"));
    assert!(customer_ko.body_text.contains("[반려 사유]\n"));
    assert!(customer_ko.body_text.contains("환불도 진행되지 않습니다"), "{}", customer_ko.body_text);
    assert!(developer_ko.body_text.contains("고객과 다시 협의한 뒤"), "{}", developer_ko.body_text);
    assert!(customer_en.body_text.contains("[Reason for rejection]\n"));
    assert!(customer_en.body_text.contains("no refund will be made"), "{}", customer_en.body_text);
    assert!(developer_en.body_text.contains("submit a new request"), "{}", developer_en.body_text);
    // The customer's mail and the developers' differ in what they say, not only in the greeting.
    assert_ne!(customer_ko.body_text.lines().nth(2), developer_ko.body_text.lines().nth(2));

    insta::assert_snapshot!("cancellation_rejected_customer_ko", snapshot_of(customer_ko));
    insta::assert_snapshot!("cancellation_rejected_customer_en", snapshot_of(customer_en));
    insta::assert_snapshot!("cancellation_rejected_developer_ko", snapshot_of(developer_ko));
    insta::assert_snapshot!("cancellation_rejected_developer_en", snapshot_of(developer_en));
}

#[test]
fn r5_cancelling_on_behalf_tells_the_developers() {
    let id = inquiry_id();
    let won = money(12_000, "KRW");
    let to = [developer(1, Locale::Ko), developer(2, Locale::En)];
    let mails = renderer().cancelled_on_behalf(&refund_thread(&id), &purchase(&won), &to).expect("renders");

    assert_eq!(mails.len(), 2);
    for (mail, recipient) in mails.iter().zip(&to) {
        assert_refund_mail(mail, MailKind::CancelledOnBehalf, recipient);
        assert_purchase_shown(mail, "₩12,000");
    }
    let (ko, en) = (&mails[0], &mails[1]);
    assert_eq!(ko.subject, format!("[vocdesk] 답변 기한 초과로 구매취소: {PRODUCT}"));
    assert!(ko.body_text.contains("스토어가 판매자를 대신해"), "{}", ko.body_text);
    assert_eq!(en.subject, format!("[vocdesk] Purchase cancelled on your behalf: {PRODUCT}"));

    insta::assert_snapshot!("cancelled_on_behalf_ko", snapshot_of(ko));
    insta::assert_snapshot!("cancelled_on_behalf_en", snapshot_of(en));
}

#[test]
fn r5_reminder_tells_the_developers_when_the_limit_is_reached() {
    let id = inquiry_id();
    // The customer wrote at 09:30 on the 21st (Seoul); 72 hours later.
    let due_at: Timestamp = "2026-11-24T00:30:00Z".parse().expect("fixed timestamp");
    let to = [developer(1, Locale::Ko), developer(2, Locale::En)];
    let mails = renderer().response_reminder(&thread(&id), due_at, &to).expect("renders");

    assert_eq!(mails.len(), 2);
    for (mail, recipient) in mails.iter().zip(&to) {
        assert_refund_mail(mail, MailKind::ResponseReminder, recipient);
        assert!(mail.body_text.contains("2026-11-24 09:30 KST"), "{}", mail.body_text);
        assert!(mail.body_html.contains("2026-11-24 09:30 KST"), "{}", mail.body_html);
        // The thread's user text (the subject) is handled as in every other mail.
        assert!(mail.body_text.contains(HOSTILE_SUBJECT) && mail.subject.contains(HOSTILE_SUBJECT));
        assert!(mail.body_html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; 환불"));
    }
    let (ko, en) = (&mails[0], &mails[1]);
    assert_eq!(ko.subject, format!("[vocdesk] 별빛 퍼즐 & Friends 답변 기한 알림: {HOSTILE_SUBJECT}"));
    assert!(ko.body_text.contains("답변 기한: 2026-11-24 09:30 KST\n"), "{}", ko.body_text);
    assert!(ko.body_text.contains("답변 기한(2026-11-24 09:30 KST)이 지나도록"), "{}", ko.body_text);
    assert_eq!(en.subject, format!("[vocdesk] 별빛 퍼즐 & Friends reply due: {HOSTILE_SUBJECT}"));
    assert!(en.body_text.contains("Response deadline: 2026-11-24 09:30 KST\n"), "{}", en.body_text);
    assert!(en.body_text.contains("Once the response deadline (2026-11-24 09:30 KST) has passed"), "{}", en.body_text);

    insta::assert_snapshot!("response_reminder_ko", snapshot_of(ko));
    insta::assert_snapshot!("response_reminder_en", snapshot_of(en));
}

#[test]
fn refund_mail_escapes_user_text_in_html_and_keeps_it_in_text() {
    let id = inquiry_id();
    let won = money(1_200, "KRW");
    let product = "별빛 퍼즐 · <script>alert('item')</script> & 보석";
    let reason = "<script>alert('reason')</script> & 사유";
    let facts = PurchaseFacts { product, amount: &won, purchased_at: purchased_at() };
    let thread = refund_thread(&id);
    let r = renderer();

    for locale in Locale::ALL {
        let (c, d) = ([customer(locale)], [developer(1, locale)]);
        let mut mails = Vec::new();
        mails.extend(r.purchase_cancelled(&thread, &facts, CancelledHow::RequestApproved, &c).expect("renders"));
        mails.extend(r.purchase_cancelled(&thread, &facts, CancelledHow::OnBehalf, &c).expect("renders"));
        mails.extend(r.cancellation_approved(&thread, &facts, &d).expect("renders"));
        mails.extend(r.cancellation_rejected(&thread, &facts, reason, Reader::Customer, &c).expect("renders"));
        mails.extend(r.cancellation_rejected(&thread, &facts, reason, Reader::Developer, &d).expect("renders"));
        mails.extend(r.cancelled_on_behalf(&thread, &facts, &d).expect("renders"));
        assert_eq!(mails.len(), 6);
        for mail in &mails {
            assert!(!mail.body_html.contains("<script>"), "raw <script> in HTML:\n{}", mail.body_html);
            assert!(
                mail.body_html
                    .contains("별빛 퍼즐 · &#60;script&#62;alert(&#39;item&#39;)&#60;/script&#62; &#38; 보석"),
                "product escaped in HTML:\n{}",
                mail.body_html
            );
            assert!(mail.body_text.contains(product), "product as written in text:\n{}", mail.body_text);
            assert!(mail.subject.contains(product), "subject line keeps the product: {}", mail.subject);
            if mail.kind == MailKind::CancellationRejected {
                assert!(
                    mail.body_html.contains("&#60;script&#62;alert(&#39;reason&#39;)&#60;/script&#62; &#38; 사유"),
                    "reason escaped in HTML:\n{}",
                    mail.body_html
                );
                assert!(mail.body_text.contains(reason), "reason as written in text:\n{}", mail.body_text);
            }
        }
    }
}

#[test]
fn refund_mail_subject_header_never_carries_a_line_break() {
    let id = inquiry_id();
    let won = money(1_200, "KRW");
    let facts =
        PurchaseFacts { product: "보석\r\nBcc: victim@example.com", amount: &won, purchased_at: purchased_at() };
    let mail = &renderer()
        .cancellation_approved(&refund_thread(&id), &facts, &[developer(2, Locale::En)])
        .expect("renders")[0];
    assert_eq!(mail.subject, "[vocdesk] Cancellation request approved: 보석 Bcc: victim@example.com");
}

#[test]
fn r5_r8_no_recipients_means_no_mail() {
    let id = inquiry_id();
    let won = money(1_200, "KRW");
    let (thread, facts, r) = (refund_thread(&id), purchase(&won), renderer());
    assert!(r.purchase_cancelled(&thread, &facts, CancelledHow::OnBehalf, &[]).expect("renders").is_empty());
    assert!(r.cancellation_approved(&thread, &facts, &[]).expect("renders").is_empty());
    assert!(r.cancellation_rejected(&thread, &facts, "x", Reader::Developer, &[]).expect("renders").is_empty());
    assert!(r.cancelled_on_behalf(&thread, &facts, &[]).expect("renders").is_empty());
    assert!(r.response_reminder(&thread, at(), &[]).expect("renders").is_empty());
}

// R11/R12: review mail, in a file of its own that shares the helpers above.
#[path = "render/reviews.rs"]
mod reviews;
#[path = "render/store_turn.rs"]
mod store_turn;

fn catalog_keys(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|line| !line.starts_with([' ', '#', '\t']) && line.contains(" ="))
        .filter_map(|line| line.split(" =").next().map(|key| key.trim().to_owned()))
        .collect()
}

#[test]
fn korean_and_english_mail_catalogs_have_the_same_keys() {
    let ko = catalog_keys(include_str!("../locales/ko/mail.ftl"));
    let en = catalog_keys(include_str!("../locales/en/mail.ftl"));
    assert!(ko.len() > 20, "the parser found the keys: {ko:?}");
    let only_ko: Vec<_> = ko.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&ko).collect();
    assert!(only_ko.is_empty() && only_en.is_empty(), "only in ko: {only_ko:?}; only in en: {only_en:?}");
}
