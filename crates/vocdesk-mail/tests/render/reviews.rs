//! Review mail (R11 official reply, R12 moderation): who gets which mail, where it links,
//! what it tells the reader, and that review text, reply text and the operator's reason
//! are escaped in HTML but kept as written in plain text. Part of the `render` tests, so
//! it shares their recipients and snapshot format.

use vocdesk_domain::ids::{AppId, ReviewId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_domain::review::Stars;
use vocdesk_mail::{Moderation, Recipient, ReviewFacts};

use super::{customer, developer, renderer, snapshot_of};

const APP: &str = "0195a3c4-0000-7000-8000-00000000a001";
const REVIEW: &str = "0195a3c4-7b2e-7d10-9f00-00000000ae01";
const REVIEW_TEXT: &str = "퍼즐은 재미있는데 광고가 너무 자주 나와요.\n<b>광고</b> & 결제 문제만 고쳐 주세요.";
const REPLY_TEXT: &str =
    "소중한 의견 감사합니다.\n다음 업데이트에서 광고 빈도를 줄이겠습니다 & 결제 문제도 확인 중입니다.";
const REASON: &str = "리뷰에 개인 연락처가 포함되어 있습니다.\n운영 정책 4조 참고 & 수정 후 재검토 가능";
const HOSTILE: &str = "<script>alert(1)</script> & \"quoted\"";
const HOSTILE_HTML: &str = "&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quoted&#34;";

const MODERATIONS: [Moderation; 4] =
    [Moderation::ReviewHidden, Moderation::ReviewRestored, Moderation::ReplyHidden, Moderation::ReplyRestored];

struct Ids {
    review: ReviewId,
    app: AppId,
}

fn ids() -> Ids {
    Ids { review: ReviewId(REVIEW.to_owned()), app: AppId(APP.to_owned()) }
}

fn stars(n: i64) -> Stars {
    Stars::parse("rating", n).expect("one to five stars")
}

fn review(ids: &Ids) -> ReviewFacts<'_> {
    ReviewFacts {
        review_id: &ids.review,
        app_id: &ids.app,
        app_title: "별빛 퍼즐 & Friends",
        seller_name: "달빛게임즈",
        stars: stars(4),
        review_text: Some(REVIEW_TEXT),
    }
}

fn reviewer_link() -> String {
    format!("http://localhost:8080/apps/{APP}#review-{REVIEW}")
}

fn developer_link() -> String {
    format!("http://localhost:8080/developer/reviews?app_id={APP}")
}

/// Who reads the mail of a moderation, and which kind it is.
fn moderation_mail(what: Moderation) -> (MailKind, bool) {
    match what {
        Moderation::ReviewHidden => (MailKind::ReviewHidden, true),
        Moderation::ReviewRestored => (MailKind::ReviewRestored, true),
        Moderation::ReplyHidden => (MailKind::ReplyHidden, false),
        Moderation::ReplyRestored => (MailKind::ReplyRestored, false),
    }
}

/// What every review mail carries: its kind, the recipient, no inquiry, the link in both
/// bodies, and no catalog key or unfilled argument.
fn assert_review_mail(mail: &OutgoingMail, kind: MailKind, recipient: &Recipient, link: &str) {
    assert_eq!(mail.kind, kind);
    assert_eq!(mail.to_user, recipient.user_id);
    assert_eq!(mail.to_email, recipient.email);
    assert_eq!(mail.locale, recipient.locale);
    assert_eq!(mail.inquiry_id, None, "a review mail belongs to no inquiry");
    assert!(mail.body_text.contains(&format!("\n{link}\n")), "link in text:\n{}", mail.body_text);
    assert!(mail.body_html.contains(&format!("href=\"{link}\"")), "link in HTML:\n{}", mail.body_html);
    assert!(mail.body_html.contains(&format!("<html lang=\"{}\">", recipient.locale.tag())));
    assert!(!mail.body_html.contains("<script>") && !mail.body_html.contains("<b>"), "raw markup:\n{}", mail.body_html);
    assert!(!mail.body_html.contains("& "), "a bare & in HTML:\n{}", mail.body_html);
    assert_no_catalog_key(mail);
}

fn assert_no_catalog_key(mail: &OutgoingMail) {
    for part in [&mail.subject, &mail.body_text, &mail.body_html] {
        assert!(!part.contains("mail-"), "a catalog key leaked: {part}");
        assert!(!part.contains("{ $") && !part.contains("{$"), "an argument was not filled in: {part}");
    }
}

#[test]
fn r11_reply_mail_tells_the_reviewer_in_their_language() {
    let ids = ids();
    let r = renderer();
    let ko = r.review_replied(&review(&ids), REPLY_TEXT, &customer(Locale::Ko)).expect("renders");
    let en = r.review_replied(&review(&ids), REPLY_TEXT, &customer(Locale::En)).expect("renders");

    for (mail, locale) in [(&ko, Locale::Ko), (&en, Locale::En)] {
        assert_review_mail(mail, MailKind::ReviewReplied, &customer(locale), &reviewer_link());
        // The reviewer's own text, then the reply, each as written.
        let (review_at, reply_at) = (mail.body_text.find(REVIEW_TEXT), mail.body_text.find(REPLY_TEXT));
        assert!(review_at.is_some() && reply_at.is_some() && review_at < reply_at, "{}", mail.body_text);
        assert!(mail.body_html.contains("&#60;b&#62;광고&#60;/b&#62; &#38; 결제 문제만"), "{}", mail.body_html);
        assert!(mail.body_html.contains("광고 빈도를 줄이겠습니다 &#38; 결제 문제도"), "{}", mail.body_html);
        assert!(mail.body_text.contains("★★★★☆"), "{}", mail.body_text);
    }
    assert_eq!(ko.subject, "[vocdesk] 별빛 퍼즐 & Friends 리뷰에 달빛게임즈의 답변이 등록되었습니다");
    assert!(ko.body_text.starts_with("김민지님, 안녕하세요.\n"));
    assert!(ko.body_text.contains("별점: ★★★★☆ (5점 만점에 4점)\n"), "{}", ko.body_text);
    assert!(ko.body_text.contains("[달빛게임즈의 공식 답변]\n"), "{}", ko.body_text);
    assert!(ko.body_text.contains("공식 답변으로 공개되어 누구나 볼 수 있습니다"), "{}", ko.body_text);
    assert_eq!(en.subject, "[vocdesk] 달빛게임즈 replied to your review of 별빛 퍼즐 & Friends");
    assert!(en.body_text.starts_with("Hello 김민지,\n"));
    assert!(en.body_text.contains("Rating: ★★★★☆ (4 out of 5 stars)\n"), "{}", en.body_text);
    assert!(en.body_text.contains("[Your review]\n") && en.body_text.contains("[Official reply from 달빛게임즈]\n"));
    assert!(en.body_text.contains("The reply is public"), "{}", en.body_text);
    // R18: the reviewer learns what editing does to the reply.
    assert!(en.body_text.contains("marked as written for an earlier version"), "{}", en.body_text);

    insta::assert_snapshot!("review_replied_ko", snapshot_of(&ko));
    insta::assert_snapshot!("review_replied_en", snapshot_of(&en));
}

#[test]
fn r12_hidden_review_tells_the_reviewer_why_and_what_they_can_do() {
    let ids = ids();
    let r = renderer();
    let mut mails = Vec::new();
    for locale in Locale::ALL {
        let to = [customer(locale)];
        let mut one = r.review_moderated(&review(&ids), Moderation::ReviewHidden, REASON, &to).expect("renders");
        assert_eq!(one.len(), 1);
        let mail = one.remove(0);
        assert_review_mail(&mail, MailKind::ReviewHidden, &to[0], &reviewer_link());
        // The reason first, as the news of the mail, then the review it is about.
        let (reason_at, review_at) = (mail.body_text.find(REASON), mail.body_text.find(REVIEW_TEXT));
        assert!(reason_at.is_some() && review_at.is_some() && reason_at < review_at, "{}", mail.body_text);
        assert!(mail.body_html.contains("운영 정책 4조 참고 &#38; 수정 후 재검토 가능"), "{}", mail.body_html);
        mails.push(mail);
    }
    let [ko, en] = &mails[..] else { panic!("two mails") };
    assert_eq!(ko.subject, "[vocdesk] 별빛 퍼즐 & Friends 리뷰 숨김 안내");
    assert!(ko.body_text.contains("더 이상 앱 페이지에 표시되지 않으며, 별점도 앱 평점에 반영되지 않습니다"));
    assert!(ko.body_text.contains("[숨김 사유]\n"), "{}", ko.body_text);
    assert!(ko.body_text.contains("수정하거나 삭제할 수 있습니다"), "{}", ko.body_text);
    assert_eq!(en.subject, "[vocdesk] Your review of 별빛 퍼즐 & Friends has been hidden");
    assert!(en.body_text.contains("It no longer shows on the app page, and its rating no longer counts"));
    assert!(en.body_text.contains("[Reason for hiding]\n"), "{}", en.body_text);
    assert!(en.body_text.contains("edit or delete it"), "{}", en.body_text);

    insta::assert_snapshot!("review_hidden_ko", snapshot_of(ko));
    insta::assert_snapshot!("review_hidden_en", snapshot_of(en));
}

#[test]
fn r12_hidden_reply_tells_each_developer_in_their_language() {
    let ids = ids();
    let to = [developer(1, Locale::Ko), developer(2, Locale::En)];
    let mails = renderer().review_moderated(&review(&ids), Moderation::ReplyHidden, REASON, &to).expect("renders");

    assert_eq!(mails.len(), 2);
    for (mail, recipient) in mails.iter().zip(&to) {
        assert_review_mail(mail, MailKind::ReplyHidden, recipient, &developer_link());
        assert!(mail.body_text.contains(REASON) && mail.body_text.contains(REVIEW_TEXT), "{}", mail.body_text);
        assert!(!mail.body_text.contains(&format!("#review-{REVIEW}")), "developers get their inbox link");
    }
    let (ko, en) = (&mails[0], &mails[1]);
    assert_eq!(ko.subject, "[vocdesk] 별빛 퍼즐 & Friends 리뷰 답변 숨김 안내");
    assert!(ko.body_text.starts_with("이서연님, 안녕하세요.\n"));
    assert!(ko.body_text.contains("리뷰 자체는 계속 표시됩니다"), "{}", ko.body_text);
    assert_eq!(en.subject, "[vocdesk] Your reply to a review of 별빛 퍼즐 & Friends has been hidden");
    assert!(en.body_text.starts_with("Hello Alex Kim,\n"));
    assert!(en.body_text.contains("The reply no longer shows under the review on the app page"), "{}", en.body_text);
    assert!(en.body_text.contains("It stays hidden until the store shows it again."), "{}", en.body_text);
    assert!(en.body_text.contains("developer of 달빛게임즈"), "{}", en.body_text);

    insta::assert_snapshot!("reply_hidden_developer_en", snapshot_of(en));
}

#[test]
fn r12_showing_again_tells_the_same_side_that_it_shows_again() {
    let ids = ids();
    let r = renderer();
    for locale in Locale::ALL {
        let (c, d) = (customer(locale), developer(1, locale));
        let review_mail = r
            .review_moderated(&review(&ids), Moderation::ReviewRestored, REASON, std::slice::from_ref(&c))
            .expect("renders");
        assert_review_mail(&review_mail[0], MailKind::ReviewRestored, &c, &reviewer_link());
        let reply_mail = r
            .review_moderated(&review(&ids), Moderation::ReplyRestored, REASON, std::slice::from_ref(&d))
            .expect("renders");
        assert_review_mail(&reply_mail[0], MailKind::ReplyRestored, &d, &developer_link());
        for mail in [&review_mail[0], &reply_mail[0]] {
            assert!(mail.body_text.contains(REASON), "the reason is quoted:\n{}", mail.body_text);
            let again = match locale {
                Locale::Ko => "다시 표시",
                Locale::En => "shown again",
            };
            assert!(mail.subject.contains(again), "{}", mail.subject);
        }
        if locale == Locale::En {
            assert!(review_mail[0].body_text.contains("its rating counts in the app's rating again"));
            assert!(reply_mail[0].body_text.contains("It shows under the review on the app page again"));
        } else {
            assert!(review_mail[0].body_text.contains("별점도 다시 앱 평점에 반영됩니다"));
            assert!(reply_mail[0].body_text.contains("다시 앱 페이지의 리뷰 아래에 공식 답변으로 표시됩니다"));
        }
    }
}

#[test]
fn review_mail_never_shows_a_catalog_key() {
    let ids = ids();
    let r = renderer();
    let mut kinds = std::collections::BTreeSet::new();
    for locale in Locale::ALL {
        for text in [Some(REVIEW_TEXT), None] {
            for n in 1..=5 {
                let facts = ReviewFacts { stars: stars(n), review_text: text, ..review(&ids) };
                let mut mails = vec![r.review_replied(&facts, REPLY_TEXT, &customer(locale)).expect("renders")];
                for what in MODERATIONS {
                    let to = [customer(locale), developer(1, locale)];
                    mails.extend(r.review_moderated(&facts, what, REASON, &to).expect("renders"));
                }
                for mail in &mails {
                    assert_eq!(mail.locale, locale);
                    assert_no_catalog_key(mail);
                    kinds.insert(mail.kind.as_str());
                }
            }
        }
    }
    let review_kinds = [
        MailKind::ReviewReplied,
        MailKind::ReviewHidden,
        MailKind::ReviewRestored,
        MailKind::ReplyHidden,
        MailKind::ReplyRestored,
    ];
    assert_eq!(kinds, review_kinds.iter().map(|k| k.as_str()).collect(), "every review kind was rendered");
}

#[test]
fn review_mail_escapes_user_text_in_html_and_keeps_it_in_text() {
    let ids = ids();
    let r = renderer();
    let (review_text, reply_text, reason) =
        (format!("review {HOSTILE}"), format!("reply {HOSTILE}"), format!("reason {HOSTILE}"));
    let facts = ReviewFacts {
        app_title: "<i>Puzzle</i> & Co",
        seller_name: "<b>Moon</b> & Games",
        review_text: Some(&review_text),
        ..review(&ids)
    };
    for locale in Locale::ALL {
        let (c, d) = (customer(locale), developer(1, locale));
        // Each mail with the text it quotes besides the review, as written and as escaped.
        let mut mails = vec![(
            r.review_replied(&facts, &reply_text, &c).expect("renders"),
            &reply_text,
            format!("reply {HOSTILE_HTML}"),
        )];
        for what in MODERATIONS {
            let (kind, to_reviewer) = moderation_mail(what);
            let to = if to_reviewer { &c } else { &d };
            let mut one = r.review_moderated(&facts, what, &reason, std::slice::from_ref(to)).expect("renders");
            assert_eq!(one[0].kind, kind);
            mails.push((one.remove(0), &reason, format!("reason {HOSTILE_HTML}")));
        }
        for (mail, said, said_html) in &mails {
            assert!(!mail.body_html.contains("<script>"), "raw <script> in HTML:\n{}", mail.body_html);
            assert!(!mail.body_html.contains("<b>") && !mail.body_html.contains("<i>"), "{}", mail.body_html);
            assert!(mail.body_html.contains(&format!("review {HOSTILE_HTML}")), "review escaped:\n{}", mail.body_html);
            assert!(mail.body_html.contains(said_html.as_str()), "reply or reason escaped:\n{}", mail.body_html);
            assert!(mail.body_text.contains(&review_text), "review as written:\n{}", mail.body_text);
            assert!(mail.body_text.contains(said.as_str()), "reply or reason as written:\n{}", mail.body_text);
            assert!(mail.body_html.contains("&#60;i&#62;Puzzle&#60;/i&#62; &#38; Co"), "{}", mail.body_html);
            assert!(mail.body_html.contains("&#60;b&#62;Moon&#60;/b&#62; &#38; Games"), "{}", mail.body_html);
            assert!(mail.body_text.contains("<i>Puzzle</i> & Co") && mail.body_text.contains("<b>Moon</b> & Games"));
            assert!(mail.subject.contains("<i>Puzzle</i> & Co"), "subject keeps the title: {}", mail.subject);
            assert_no_catalog_key(mail);
        }
    }
}

#[test]
fn a_star_only_rating_says_so_and_quotes_no_review() {
    let ids = ids();
    let facts = ReviewFacts { stars: stars(1), review_text: None, ..review(&ids) };
    let r = renderer();
    let ko = r.review_replied(&facts, REPLY_TEXT, &customer(Locale::Ko)).expect("renders");
    assert!(ko.body_text.contains("별점: ★☆☆☆☆ (5점 만점에 1점)\n"), "{}", ko.body_text);
    assert!(ko.body_text.contains("리뷰 내용: 내용 없이 별점만 남긴 리뷰\n"), "{}", ko.body_text);
    assert!(!ko.body_text.contains("[작성하신 리뷰]"), "{}", ko.body_text);
    let en =
        &r.review_moderated(&facts, Moderation::ReplyHidden, REASON, &[developer(2, Locale::En)]).expect("renders")[0];
    assert!(en.body_text.contains("Rating: ★☆☆☆☆ (1 out of 5 stars)\n"), "{}", en.body_text);
    assert!(en.body_text.contains("Review: Star rating only, no text\n"), "{}", en.body_text);
    assert!(!en.body_text.contains("[Review]"), "{}", en.body_text);
}

#[test]
fn review_mail_subject_header_never_carries_a_line_break() {
    let ids = ids();
    let facts = ReviewFacts { app_title: "퍼즐\r\nBcc: victim@example.com", ..review(&ids) };
    let mail = renderer().review_replied(&facts, REPLY_TEXT, &customer(Locale::En)).expect("renders");
    assert_eq!(mail.subject, "[vocdesk] 달빛게임즈 replied to your review of 퍼즐 Bcc: victim@example.com");
}

#[test]
fn review_links_keep_odd_ids_in_their_place() {
    let ids = Ids { review: ReviewId("a#b".to_owned()), app: AppId("x/y?z&w".to_owned()) };
    let r = renderer();
    let reviewer = r.review_replied(&review(&ids), REPLY_TEXT, &customer(Locale::En)).expect("renders");
    assert!(reviewer.body_text.contains("\nhttp://localhost:8080/apps/x%2Fy%3Fz%26w#review-a%23b\n"));
    let developers = r.review_moderated(&review(&ids), Moderation::ReplyRestored, REASON, &[developer(1, Locale::Ko)]);
    let developers = developers.expect("renders");
    assert!(developers[0].body_text.contains("\nhttp://localhost:8080/developer/reviews?app_id=x%2Fy%3Fz%26w\n"));
}

#[test]
fn r12_no_recipients_means_no_mail() {
    let ids = ids();
    for what in MODERATIONS {
        assert!(renderer().review_moderated(&review(&ids), what, REASON, &[]).expect("renders").is_empty());
    }
}
