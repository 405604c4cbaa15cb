//! R17 and R7/R9 mail to the customer: the request filed for them (what comes next, the
//! developer's message quoted and escaped) and consent recorded on their behalf (by
//! whom, how to withdraw). Part of the `render` tests, sharing their fixtures.

use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::MailKind;

use super::{
    assert_purchase_shown, assert_refund_mail, at, customer, inquiry_id, money, purchase, refund_thread, renderer,
    snapshot_of,
};

const MESSAGE: &str = "스토어에 환불을 요청했어요.\n<script>alert(1)</script> & 곧 처리됩니다.";

#[test]
fn r17_the_customer_hears_the_store_has_their_refund_and_what_comes_next_in_their_language() {
    let id = inquiry_id();
    let amount = money(3_300, "KRW");
    for locale in [Locale::Ko, Locale::En] {
        let to = customer(locale);
        let mails = renderer()
            .cancellation_requested(&refund_thread(&id), &purchase(&amount), Some(MESSAGE), std::slice::from_ref(&to))
            .expect("render");
        let mail = &mails[0];
        assert_refund_mail(mail, MailKind::CancellationRequested, &to);
        assert_purchase_shown(mail, "₩3,300");
        assert!(mail.body_text.contains(MESSAGE), "the message as written:\n{}", mail.body_text);
        assert!(mail.body_html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; 곧"), "{}", mail.body_html);
        let next = match locale {
            Locale::Ko => "보통 3일 안에 결정합니다",
            Locale::En => "usually within 3 days",
        };
        assert!(mail.body_text.contains(next), "what happens next:\n{}", mail.body_text);
        insta::assert_snapshot!(format!("cancellation_requested_{}", locale.tag()), snapshot_of(mail));
    }
    let silent = renderer()
        .cancellation_requested(&refund_thread(&id), &purchase(&amount), None, &[customer(Locale::Ko)])
        .expect("render");
    assert!(!silent[0].body_text.contains("개발자가 보낸 메시지"), "no message, no quote:\n{}", silent[0].body_text);
}

#[test]
fn r7_r9_consent_recorded_for_the_customer_names_who_and_how_to_withdraw() {
    let id = inquiry_id();
    for (locale, withdraw) in [(Locale::Ko, "철회"), (Locale::En, "withdraw")] {
        let to = customer(locale);
        let mails = renderer()
            .consent_recorded(&refund_thread(&id), "김개발 <dev>", at(), std::slice::from_ref(&to))
            .expect("render");
        let mail = &mails[0];
        assert_refund_mail(mail, MailKind::ConsentRecorded, &to);
        assert!(mail.body_text.contains("김개발 <dev>") && mail.body_html.contains("김개발 &#60;dev&#62;"));
        assert!(mail.body_text.contains(withdraw), "how to undo it:\n{}", mail.body_text);
        insta::assert_snapshot!(format!("consent_recorded_{}", locale.tag()), snapshot_of(mail));
    }
}
