//! R15/R16: an operator works the held mail on a phone.

use crate::support::*;

#[test]
fn r15_r16_an_operator_works_the_held_mail_on_a_phone() {
    scenario(|fixture| async move {
        // A mail to the support address of no seller is held for an operator.
        let mail = format!(
            "From: Stranger <stranger@mail.test>\r\nTo: support+nosuch@localhost\r\nSubject: Refund {}\r\n\
             Message-ID: <browser-{}@mail.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
             Please refund my purchase.\r\n",
            unique_suffix(),
            unique_suffix()
        );
        let said = pipe_mail(&fixture, "stranger@mail.test", "support+nosuch@localhost", &mail);
        assert!(said.contains("held for an operator"), "{said}");

        let phone = fixture.browser(true).await;
        sign_in(&phone, &fixture, "operator@example.com").await;
        // The operator's account reads Korean; this one works in English.
        switch_language(&phone, "en").await;
        phone.find(Locator::Css("a[data-nav=operator-mail]")).await.expect("navigation").click().await.expect("click");
        wait_for(&phone, "#mail-list").await;
        let card = text_of(&phone, "#mail-list > li").await;
        assert!(
            card.contains("stranger@mail.test") && card.contains("It was sent to the support address of no seller."),
            "the sender and the reason in words: {card}"
        );
        assert_fits_width(&phone, "the held-mail page").await;
        assert_tap_targets(&phone, "the held-mail page").await;
        save_page(&phone, "mail-held-390").await;
        phone
            .find(Locator::Css("#mail-list > li button.discard"))
            .await
            .expect("discard")
            .click()
            .await
            .expect("click");
        wait_for(&phone, "#mail-notice").await;
        assert!(text_of(&phone, "#mail-notice").await.contains("discarded"), "the operator is told");
        phone.goto(&fixture.url("/operator/mail?view=all")).await.expect("all received mail");
        wait_for(&phone, "#mail-list").await;
        assert!(text_of(&phone, "#mail-list > li").await.contains("Discarded"), "its status in words");
        assert_fits_width(&phone, "every received mail").await;
        save_page(&phone, "mail-all-390").await;
        sign_out(&phone).await;
        phone.close().await.expect("close");

        let desktop = fixture.browser(false).await;
        sign_in(&desktop, &fixture, "operator@example.com").await;
        desktop.goto(&fixture.url("/operator/mail?view=all")).await.expect("all received mail");
        wait_for(&desktop, "#bouncing").await;
        save_page(&desktop, "mail-all-1280").await;
        desktop.close().await.expect("close");
    });
}
