//! Issue 12 items 4 and 5, where layout is the point: My page's purchases with where
//! each stands and only the links that make sense, and the operator's confirmation
//! before money moves, at 390 and 1280 px, in Korean and English, with screenshots.

use crate::support::*;

/// My page and the confirmation pages in one language at one width.
async fn visit(fixture: &Fixture, phone: bool, lang: &str) {
    let width = if phone { 390 } else { 1280 };
    let browser = fixture.browser(phone).await;

    // Item 4: customer1's My page.
    sign_in(&browser, fixture, "customer1@example.com").await;
    switch_language(&browser, lang).await;
    browser.goto(&fixture.url("/my")).await.expect("My page");
    wait_for(&browser, "#purchases").await;
    let mut cancelled = 0;
    let mut refundable = 0;
    for row in browser.find_all(Locator::Css("#purchases tbody tr.purchase")).await.expect("rows") {
        let class = row.attr("class").await.expect("class").unwrap_or_default();
        let refund = row.find(Locator::Css("a.refund-link")).await.ok();
        row.find(Locator::Css("a.ask-link")).await.expect("every purchase can be asked about");
        let amount = row.find(Locator::Css("td.amount")).await.expect("amount").text().await.expect("text");
        if class.contains("cancelled") {
            cancelled += 1;
            assert!(refund.is_none(), "a cancelled purchase offers no refund");
            row.find(Locator::Css(".cancelled-note")).await.expect("it says when it was refunded");
        }
        if ["무료", "Free"].contains(&amount.trim()) {
            assert!(refund.is_none(), "a free purchase offers no refund");
        }
        if let Some(link) = refund {
            refundable += 1;
            let href = link.attr("href").await.expect("href").unwrap_or_default();
            assert!(href.contains("category=refund") && href.contains("purchase_id="), "{href}");
        }
    }
    assert!(cancelled > 0 && refundable > 0, "the demo's customer1 has both ({cancelled}, {refundable})");
    let cases = browser.find_all(Locator::Css("#purchases td.case .case-line")).await.expect("cases");
    assert!(!cases.is_empty(), "some purchases show their inquiry or request");
    assert_fits_width(&browser, &format!("My page at {width} px ({lang})")).await;
    save_page(&browser, &format!("item4-my-page-{lang}-{width}")).await;

    // The refund link opens the form with refund and the purchase chosen.
    let link = browser.find(Locator::Css("#purchases a.refund-link")).await.expect("a refund link");
    let href = link.attr("href").await.expect("href").unwrap_or_default();
    browser.goto(&fixture.url(&href)).await.expect("the form");
    wait_for(&browser, "#inquiry-form").await;
    let category = browser.find(Locator::Css("#category")).await.expect("category").prop("value").await;
    assert_eq!(category.expect("value").as_deref(), Some("refund"));
    let purchase = browser.find(Locator::Css("#purchase_id")).await.expect("purchase").prop("value").await;
    assert!(purchase.expect("value").is_some_and(|v| !v.is_empty()), "the purchase is chosen");
    sign_out(&browser).await;

    // Item 5: the operator's confirmation before approving, from the queue's link.
    sign_in(&browser, fixture, "operator@example.com").await;
    switch_language(&browser, lang).await;
    browser.goto(&fixture.url("/operator/cancellation-requests")).await.expect("queue");
    wait_for(&browser, "#requests a.approve").await;
    assert!(browser.find(Locator::Css("#requests form[action$='/approve']")).await.is_err(), "no one-click form");
    browser.find(Locator::Css("#requests a.approve")).await.expect("approve").click().await.expect("click");
    wait_for(&browser, "#confirm-form").await;
    let amount = text_of(&browser, "#confirm-amount").await;
    assert!(amount.contains('₩') || amount.contains('$'), "the amount with its currency: {amount}");
    assert!(text_of(&browser, "#confirm-submit").await.contains(&amount), "the button says how much");
    assert!(!text_of(&browser, "#confirm-product").await.is_empty());
    assert_fits_width(&browser, &format!("the confirmation at {width} px ({lang})")).await;
    assert_tap_targets(&browser, "the confirmation").await;
    save_page(&browser, &format!("item5-confirm-approve-{lang}-{width}")).await;
    // Back: nothing approved; the request is still in the open queue.
    browser.find(Locator::Css("#confirm-back")).await.expect("back").click().await.expect("click");
    wait_for(&browser, "#requests a.approve").await;

    // And before cancelling on the developer's behalf, when the demo has one to offer.
    browser.goto(&fixture.url("/operator/overdue")).await.expect("overdue queue");
    wait_for(&browser, "#auto-cancel-policy").await;
    if let Ok(link) = browser.find(Locator::Css("#overdue a.cancel-on-behalf")).await {
        link.click().await.expect("click");
        wait_for(&browser, "#confirm-form").await;
        assert!(text_of(&browser, "#confirm-submit").await.contains(&text_of(&browser, "#confirm-amount").await));
        assert_fits_width(&browser, &format!("the on-behalf confirmation at {width} px ({lang})")).await;
        save_page(&browser, &format!("item5-confirm-on-behalf-{lang}-{width}")).await;
    }
    sign_out(&browser).await;
    browser.close().await.expect("close");
}

#[test]
fn item4_item5_my_page_and_the_confirmation_before_money_moves_at_390_and_1280_px_in_korean_and_english() {
    scenario(|fixture| async move {
        for phone in [false, true] {
            for lang in ["ko", "en"] {
                visit(&fixture, phone, lang).await;
            }
        }
    });
}
