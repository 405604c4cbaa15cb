//! R10-R12, R18: a review from the app page to the official reply and moderation, at 1280 and 390 px.

use crate::support::*;

#[test]
fn r10_r11_r12_r18_a_review_from_the_app_page_to_the_reply_and_moderation() {
    scenario(|fixture| async move {
        let desktop = fixture.browser(false).await;
        let phone = fixture.browser(true).await;
        let text =
            format!("던전이 매일 바뀌어서 질리지 않아요. 보스 패턴만 조금 더 다양했으면 좋겠어요. {}", unique_suffix());
        let answer = "소중한 리뷰 감사합니다! 다음 업데이트에서 새로운 보스 패턴을 추가할 예정입니다. — 한빛게임즈";

        // 1. R10: customer1 rates Dungeon Runner 4 stars and writes a Korean review.
        sign_in(&desktop, &fixture, "customer1@example.com").await;
        switch_language(&desktop, "ko").await;
        let app = app_href(&desktop, &fixture, "Dungeon Runner").await;
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        wait_for(&desktop, "#review-form").await;
        let counted_before = rating_count(&desktop).await;
        desktop
            .find(Locator::Css("#review-form input[name=rating][value='4']"))
            .await
            .expect("4 stars")
            .click()
            .await
            .expect("click");
        fill(&desktop, "#review-text", &text).await;
        desktop.find(Locator::Css("#review-submit")).await.expect("publish").click().await.expect("click");
        wait_for(&desktop, "#review-notice").await;
        assert!(text_of(&desktop, "#review-notice").await.contains("이메일"), "the notice says what comes next");
        let mine = desktop.find(Locator::Css("#my-review-card")).await.expect("own review");
        let review = mine.attr("data-review").await.expect("attr").expect("review id");
        assert!(mine.text().await.expect("text").contains(&text));
        assert_eq!(rating_count(&desktop).await, counted_before + 1, "R13: the rating counts it");
        sign_out(&desktop).await;

        // 2. R11: dev1, on a phone, finds it first among the unanswered and replies.
        sign_in(&phone, &fixture, "dev1@example.com").await;
        phone
            .find(Locator::Css("a[data-nav=developer-reviews]"))
            .await
            .expect("navigation")
            .click()
            .await
            .expect("click");
        wait_for(&phone, "#review-inbox").await;
        let first = phone.find(Locator::Css("#review-inbox > li")).await.expect("a review");
        assert_eq!(
            first.attr("data-review").await.expect("attr").as_deref(),
            Some(review.as_str()),
            "first unanswered"
        );
        assert_fits_width(&phone, "the reviews inbox").await;
        assert_tap_targets(&phone, "the reviews inbox").await;
        save_page(&phone, "reviews-developer-inbox-390").await;
        fill(&phone, &format!("#reply-{review}"), answer).await;
        phone
            .find(Locator::Css(&format!("#review-{review} .reply-submit")))
            .await
            .expect("post")
            .click()
            .await
            .expect("click");
        wait_for(&phone, "#review-notice").await;
        assert_fits_width(&phone, "the inbox after replying").await;
        sign_out(&phone).await;

        // 3. The customer reads the official reply on the public app page.
        sign_in(&desktop, &fixture, "customer1@example.com").await;
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        let reply = text_of(&desktop, &format!("#review-{review} .official-reply")).await;
        assert!(reply.contains(answer) && reply.contains("공식 답변"), "the reply is shown, marked: {reply}");

        // 4. R18: the customer edits the review (3 stars); dev1 sees the reply outdated.
        desktop.find(Locator::Css("#edit-review summary")).await.expect("edit").click().await.expect("open");
        desktop
            .find(Locator::Css("#review-form input[name=rating][value='3']"))
            .await
            .expect("3 stars")
            .click()
            .await
            .expect("click");
        desktop.find(Locator::Css("#review-submit")).await.expect("save").click().await.expect("click");
        wait_for(&desktop, "#review-notice").await;
        assert!(
            text_of(&desktop, &format!("#review-{review}")).await.contains("이 답변 이후에 리뷰가 수정되었습니다.")
        );
        save_page(&desktop, "reviews-app-page-1280").await;
        sign_out(&desktop).await;
        sign_in(&phone, &fixture, "dev1@example.com").await;
        phone.goto(&fixture.url("/developer/reviews")).await.expect("inbox");
        wait_for(&phone, &format!("#review-{review} .official-reply.is-outdated")).await;
        phone.find(Locator::Css(&format!("#review-{review} .confirm-reply"))).await.expect("R18: a confirm button");
        sign_out(&phone).await;

        // 5. R12: customer2 reports the review.
        sign_in(&desktop, &fixture, "customer2@example.com").await;
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        desktop
            .find(Locator::Css(&format!("#review-{review} details.report summary")))
            .await
            .expect("report")
            .click()
            .await
            .expect("open");
        let reason = desktop.find(Locator::Css(&format!("#report-reason-{review}"))).await.expect("reason");
        reason.select_by_value("abusive").await.expect("choose a reason");
        fill(&desktop, &format!("#report-note-{review}"), "다른 사용자를 비난하는 내용입니다.").await;
        desktop
            .find(Locator::Css(&format!("#review-{review} .report-submit")))
            .await
            .expect("send")
            .click()
            .await
            .expect("click");
        wait_for(&desktop, "#review-notice").await;
        sign_out(&desktop).await;

        // 6. The operator sees the reply mail in the outbox and hides the reported review.
        sign_in(&desktop, &fixture, "operator@example.com").await;
        desktop.goto(&fixture.url("/operator/outbox")).await.expect("outbox");
        let mails: Vec<String> = texts_of(&desktop, "tr.outbox-row").await;
        assert!(
            mails
                .iter()
                .any(|t| t.contains("customer1@example.com")
                    && (t.contains("Reply to a review") || t.contains("리뷰 답변"))),
            "R11: the review_replied mail waits in the outbox: {mails:?}"
        );
        desktop.goto(&fixture.url("/operator/moderation")).await.expect("moderation");
        let item = format!("#item-{review}-review");
        wait_for(&desktop, &item).await;
        save_page(&desktop, "reviews-moderation-1280").await;
        fill(&desktop, &format!("#reason-{review}-review"), "Personal attacks on other players are not allowed.").await;
        desktop.find(Locator::Css(&format!("{item} button.hide"))).await.expect("hide").click().await.expect("click");
        wait_for(&desktop, "#lookup").await;
        desktop.find(Locator::Css("#lookup form.unhide-form")).await.expect("show again is offered");
        sign_out(&desktop).await;

        // 7. R13: the app page's summary no longer counts it.
        desktop.goto(&fixture.url(&app)).await.expect("app page");
        assert_eq!(rating_count(&desktop).await, counted_before, "R13: hidden reviews leave the summary");
        assert!(desktop.find(Locator::Css(&format!("#review-{review}"))).await.is_err(), "and the public list");
        save_page(&desktop, "reviews-app-page-public-1280").await;

        // The pages at 390 px, for a person to look at.
        phone.goto(&fixture.url(&app)).await.expect("app page");
        assert_fits_width(&phone, "the app page").await;
        assert_tap_targets(&phone, "the app page").await;
        save_page(&phone, "reviews-app-page-390").await;
        sign_in(&phone, &fixture, "customer1@example.com").await;
        phone.goto(&fixture.url(&app)).await.expect("app page");
        wait_for(&phone, "#my-review-hidden").await;
        phone.find(Locator::Css("#edit-review summary")).await.expect("edit").click().await.expect("open");
        assert_fits_width(&phone, "the customer's own review").await;
        assert_tap_targets(&phone, "the customer's own review").await;
        let mine = phone.find(Locator::Css("#my-review")).await.expect("own review");
        mine.click().await.expect("scroll to it");
        save_page(&phone, "reviews-app-page-mine-390").await;
        sign_out(&phone).await;
        sign_in(&phone, &fixture, "operator@example.com").await;
        phone.goto(&fixture.url("/operator/moderation")).await.expect("moderation");
        assert_fits_width(&phone, "the moderation page").await;
        save_page(&phone, "reviews-moderation-390").await;
        sign_out(&phone).await;
        sign_in(&desktop, &fixture, "dev1@example.com").await;
        desktop.goto(&fixture.url("/developer/reviews")).await.expect("inbox");
        save_page(&desktop, "reviews-developer-inbox-1280").await;
        desktop.close().await.expect("close");
        phone.close().await.expect("close");
    });
}
