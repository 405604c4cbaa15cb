//! R1-R8 in the browser: a Korean conversation, and a refund from request to cancelled purchase on both engines.

use crate::support::*;

#[test]
fn r1_r3_r4_a_korean_conversation_from_question_to_answer() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        let subject = format!("던전 러너 환불 요청드립니다 {}", unique_suffix());
        let question = "어제 던전 러너를 구매했는데 실수로 두 번 결제된 것 같습니다. 한 건은 환불 부탁드립니다.";
        let answer = "안녕하세요, 한빛게임즈입니다. 중복 결제를 확인했고 한 건의 구매 취소를 스토어에 요청했습니다.";

        // 1. R1: customer1 (Korean in the demo) asks dev1's seller from the app page.
        sign_in(&browser, &fixture, "customer1@example.com").await;
        switch_language(&browser, "ko").await;
        assert_eq!(html_lang(&browser).await, "ko", "customer1 reads the store in Korean");
        browser.goto(&fixture.url("/")).await.expect("apps");
        let mut app_href = None;
        for link in browser.find_all(Locator::Css("a[href^='/apps/']")).await.expect("app links") {
            if link.text().await.expect("text").contains("Dungeon Runner") {
                app_href = link.attr("href").await.expect("href");
                break;
            }
        }
        let app_href = app_href.expect("Dungeon Runner, an app of dev1's seller, is listed");
        browser.goto(&fixture.url(&app_href)).await.expect("app page");
        let page = text_of(&browser, "body").await;
        assert!(page.contains("한빛게임즈"), "the app belongs to dev1's seller (Hanbit Games)");
        browser.find(Locator::Css("#contact-seller")).await.expect("contact seller").click().await.expect("click");
        wait_for(&browser, "#inquiry-form").await;
        assert_eq!(path_of(&browser).await, format!("{app_href}/inquiries/new"));
        let category = browser.find(Locator::Css("#inquiry-form [name=category]")).await.expect("category");
        category.select_by_value("refund").await.expect("choose refund");
        fill(&browser, "#inquiry-form [name=subject]", &subject).await;
        fill(&browser, "#inquiry-form [name=body]", question).await;
        let consent = browser.find(Locator::Css("#inquiry-form [name=consent_personal_info]")).await.expect("consent");
        consent.click().await.expect("tick consent");
        assert!(consent.is_selected().await.expect("checked"), "consent is ticked (R7)");
        browser.find(Locator::Css("#inquiry-submit")).await.expect("submit").click().await.expect("send");
        wait_for(&browser, ".status.status-awaiting_developer").await;
        let thread_path = path_of(&browser).await;
        assert!(thread_path.starts_with("/inquiries/"), "lands on the thread, not {thread_path}");
        assert!(text_of(&browser, "body").await.contains(&subject), "the thread shows its subject");
        save_screenshot("r1-customer-sent-inquiry", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;

        // 2. R3/R4: dev1 finds it in the inbox and answers; the turn goes to the customer.
        sign_in(&browser, &fixture, "dev1@example.com").await;
        browser.goto(&fixture.url("/developer/inquiries")).await.expect("inbox");
        let mut row_link = None;
        for row in browser.find_all(Locator::Css(".inquiry-row")).await.expect("rows") {
            if row.text().await.expect("text").contains(&subject) {
                row_link = Some(row.find(Locator::Css("a")).await.expect("a link in the row"));
                break;
            }
        }
        let row_link = row_link.unwrap_or_else(|| panic!("dev1's inbox lists {subject:?}"));
        save_screenshot("r1-developer-inbox", &browser.screenshot().await.expect("png"));
        row_link.click().await.expect("open the thread");
        wait_for(&browser, "#reply-form").await;
        assert_eq!(path_of(&browser).await, thread_path, "the row links to the thread");
        fill(&browser, "#reply-form [name=body]", answer).await;
        browser.find(Locator::Css("#reply-submit")).await.expect("reply").click().await.expect("send");
        wait_for(&browser, ".status.status-awaiting_customer").await;
        let replies = texts_of(&browser, "article.message-developer").await;
        assert!(replies.iter().any(|t| t.contains(answer)), "the answer shows as the developer's: {replies:?}");
        save_screenshot("r3-developer-answered", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;

        // 3. The customer reads the answer in the store.
        sign_in(&browser, &fixture, "customer1@example.com").await;
        browser.goto(&fixture.url(&thread_path)).await.expect("thread");
        wait_for(&browser, ".status.status-awaiting_customer").await;
        let replies = texts_of(&browser, "article.message-developer").await;
        assert!(replies.iter().any(|t| t.contains(answer)), "customer1 reads the answer: {replies:?}");
        save_screenshot("r4-customer-reads-answer", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;

        // 4. R3: the reply mail to the customer waits in the outbox, in Korean.
        sign_in(&browser, &fixture, "operator@example.com").await;
        browser.goto(&fixture.url("/operator/outbox")).await.expect("outbox");
        let rows: Vec<String> =
            texts_of(&browser, "tr, li, article").await.into_iter().filter(|t| t.contains(&subject)).collect();
        assert!(
            rows.iter().any(|t| t.contains("답변")),
            "the outbox lists the Korean reply mail about {subject:?}: {rows:?}"
        );
        save_screenshot("r3-operator-outbox", &browser.screenshot().await.expect("png"));
        sign_out(&browser).await;
        browser.close().await.expect("close");
    });
}

/// The seed story of a refund (R6-R8), from the customer's request to the cancelled
/// purchase, on the given engine.
async fn refund_story(fixture: Arc<Fixture>) {
    let browser = fixture.browser(false).await;
    let subject = format!("Refund for Dungeon Runner, please {}", unique_suffix());

    // 1. customer1 asks for a refund of their Dungeon Runner purchase from My page,
    //    consenting to share payment ids (R7), and notes its TID.
    sign_in(&browser, &fixture, "customer1@example.com").await;
    switch_language(&browser, "en").await;
    let mut target = None;
    for row in browser.find_all(Locator::Css("#purchases tbody tr.purchase")).await.expect("rows") {
        let text = row.text().await.expect("text");
        let cancelled = row.attr("class").await.expect("class").unwrap_or_default().contains("cancelled");
        if text.contains("Dungeon Runner") && !text.contains(" · ") && !cancelled {
            let tid = row.find(Locator::Css("code")).await.expect("tid cell").text().await.expect("tid");
            let Ok(ask) = row.find(Locator::Css(".refund-link")).await else { continue };
            target = Some((tid, ask.attr("href").await.expect("href").unwrap_or_default()));
            break;
        }
    }
    let (tid, ask_href) = target.expect("customer1 has a paid Dungeon Runner purchase on My page");
    browser.goto(&fixture.url(&ask_href)).await.expect("inquiry form");
    wait_for(&browser, "#inquiry-form").await;
    let category = browser.find(Locator::Css("#inquiry-form [name=category]")).await.expect("category");
    let chosen = category.prop("value").await.expect("value");
    assert_eq!(chosen.as_deref(), Some("refund"), "My page's refund link chooses refund");
    fill(&browser, "#inquiry-form [name=subject]", &subject).await;
    fill(&browser, "#inquiry-form [name=body]", "I bought it by mistake. Please refund it.").await;
    let consent = browser.find(Locator::Css("#inquiry-form [name=consent_personal_info]")).await.expect("consent");
    consent.click().await.expect("tick consent");
    browser.find(Locator::Css("#inquiry-submit")).await.expect("submit").click().await.expect("send");
    wait_for(&browser, ".status.status-awaiting_developer").await;
    let thread_path = path_of(&browser).await;
    assert_eq!(text_of(&browser, "#inquiry-consent").await, "O", "consent is recorded on the inquiry");
    sign_out(&browser).await;

    // 2. dev1 reveals the payment details (audited) and checks the TID against it (R6, R7).
    sign_in(&browser, &fixture, "dev1@example.com").await;
    browser.goto(&fixture.url(&thread_path)).await.expect("thread");
    wait_for(&browser, "#customer-purchases").await;
    let masked = text_of(&browser, "tr.this-purchase code.tid").await;
    assert_ne!(masked, tid, "the TID is masked until revealed");
    assert!(masked.contains('…'), "masked like T2026…8F3A: {masked}");
    browser.find(Locator::Css("#reveal-submit")).await.expect("show payment details").click().await.expect("click");
    wait_for(&browser, "#payment-details-shown").await;
    assert_eq!(text_of(&browser, "tr.this-purchase code.tid").await, tid, "the revealed TID is the customer's");
    save_screenshot("r7-developer-payment-details", &browser.screenshot().await.expect("png"));

    // 3. dev1 submits the cancellation request to the store (R8).
    let row = browser.find(Locator::Css("tr.this-purchase")).await.expect("the inquiry's purchase");
    let purchase_id = row.attr("data-purchase").await.expect("attr").expect("purchase id");
    browser.goto(&fixture.url(&thread_path)).await.expect("thread, ids masked again");
    wait_for(&browser, &format!("#reason-{purchase_id}")).await;
    fill(&browser, &format!("#reason-{purchase_id}"), "STORE-NOTE bought by mistake; agreed to refund.").await;
    fill(&browser, &format!("#message-{purchase_id}"), "I have asked the store to refund you.").await;
    let submit = format!("#request-{purchase_id} .request-submit");
    browser.find(Locator::Css(&submit)).await.expect("submit request").click().await.expect("click");
    wait_for(&browser, "#cancellation-requests li.request-open").await;
    let request = browser.find(Locator::Css("#cancellation-requests li.request-open")).await.expect("request");
    let request_id = request.attr("data-request").await.expect("attr").expect("request id");
    // R17: the developer's clock is paused while the store has the turn.
    let next = text_of(&browser, "#thread-next").await;
    assert!(next.contains("paused") || next.contains("멈춥니다"), "the developer is told the limit waits: {next}");
    sign_out(&browser).await;

    // 3b. R17: the customer, on their phone, reads that the store has their refund, in
    //     their words, with the developer's message and without the note for the store.
    let phone = fixture.browser(true).await;
    sign_in(&phone, &fixture, "customer1@example.com").await;
    for lang in ["ko", "en"] {
        switch_language(&phone, lang).await;
        phone.goto(&fixture.url(&thread_path)).await.expect("thread");
        wait_for(&phone, ".thread-event.event-filed").await;
        let page = phone.source().await.expect("html");
        assert!(page.contains("I have asked the store to refund you.") && !page.contains("STORE-NOTE"));
        assert!(page.contains("id=\"thread-next\""), "what comes next");
        assert_fits_width(&phone, "the customer's thread with the store's turn").await;
        save_screenshot(
            &format!("r17-customer-refund-with-the-store-390-{lang}"),
            &phone.screenshot().await.expect("png"),
        );
    }
    switch_language(&phone, "en").await;
    sign_out(&phone).await;
    phone.close().await.expect("close");

    // 4. The operator approves it from the queue, after its confirmation page.
    sign_in(&browser, &fixture, "operator@example.com").await;
    browser.goto(&fixture.url("/operator/cancellation-requests")).await.expect("queue");
    let approve = format!("#requests li[data-request='{request_id}'] a.approve");
    wait_for(&browser, &approve).await;
    save_screenshot("r8-operator-queue", &browser.screenshot().await.expect("png"));
    browser.find(Locator::Css(&approve)).await.expect("approve").click().await.expect("click");
    wait_for(&browser, "#confirm-submit").await;
    browser.find(Locator::Css("#confirm-submit")).await.expect("yes").click().await.expect("click");
    wait_for(&browser, "#console-notice").await;
    assert!(browser.find(Locator::Css(&approve)).await.is_err(), "the approved request has left the open queue");
    sign_out(&browser).await;

    // 5. The customer sees the purchase cancelled, in the thread and on My page.
    sign_in(&browser, &fixture, "customer1@example.com").await;
    browser.goto(&fixture.url(&thread_path)).await.expect("thread");
    wait_for(&browser, &format!("#cancellation-requests li.request-approved[data-request='{request_id}']")).await;
    browser.find(Locator::Css("#inquiry-purchase .status-cancelled")).await.expect("the purchase shows cancelled");
    // R17: the decision is posted back and the customer reads what became of the refund.
    browser.find(Locator::Css(".thread-event.event-approved")).await.expect("the decision is an event of the thread");
    assert!(text_of(&browser, "#refund-outcome").await.starts_with("Refunded"), "the outcome, in their words");
    assert!(!text_of(&browser, "#inquiry-status").await.contains("Awaiting customer"));
    save_screenshot("r8-customer-sees-cancelled", &browser.screenshot().await.expect("png"));
    browser.goto(&fixture.url("/my")).await.expect("My page");
    let mut cancelled = false;
    for row in browser.find_all(Locator::Css("#purchases tbody tr.purchase.cancelled")).await.expect("rows") {
        cancelled |= row.find(Locator::Css("code")).await.expect("tid").text().await.expect("tid") == tid;
    }
    assert!(cancelled, "My page shows the purchase {tid} cancelled");
    sign_out(&browser).await;
    browser.close().await.expect("close");
}

#[test]
fn r6_r7_r8_a_refund_from_request_to_cancelled_purchase_sqlite() {
    scenario_on(Engine::Sqlite, refund_story);
}

#[test]
fn r6_r7_r8_a_refund_from_request_to_cancelled_purchase_postgres() {
    scenario_on(Engine::Postgres, refund_story);
}
