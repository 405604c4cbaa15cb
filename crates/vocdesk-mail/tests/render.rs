//! R3 notification mail as the outbox receives it: who gets which mail, in which language,
//! and that user text is escaped in HTML but kept as written in plain text.

use std::collections::BTreeSet;

use jiff::Timestamp;
use vocdesk_domain::ids::{InquiryId, UserId};
use vocdesk_domain::inquiry::Category;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_mail::{MailRenderer, MessageFacts, Recipient, ThreadFacts};

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
    assert!(ko.body_text.starts_with("이서연님, 안녕하세요."));
    assert!(ko.body_text.contains("문의 유형: 오류 신고"));
    assert!(ko.body_text.contains("첨부 파일 2개"));
    assert_eq!(en.subject, format!("[vocdesk] 별빛 퍼즐 & Friends new inquiry: {HOSTILE_SUBJECT}"));
    assert!(en.body_text.starts_with("Hello Alex Kim,"));
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
    assert!(mail.body_text.starts_with("김민지님, 안녕하세요."));
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
    assert!(mail.body_text.starts_with("안녕하세요.\n"), "{}", mail.body_text);
}

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
