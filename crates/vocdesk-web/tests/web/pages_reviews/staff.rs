//! The developer center's reviews inbox (the order, the filters, saved replies that
//! only fill the reply box), the saved replies page, the dashboard's counts, and the
//! operator's moderation page in both languages.

use axum::http::StatusCode;

use super::{
    app_path, assert_no_raw_keys, from_id, in_english, location, review_id, reviewed_and_answered, token, write_review,
};
use crate::support::TestApp;
use crate::support::browser::Browser;

web_test!(r11_the_developer_inbox_puts_unanswered_first_and_saved_replies_only_fill_the_box);
async fn r11_the_developer_inbox_puts_unanswered_first_and_saved_replies_only_fill_the_box(app: TestApp) {
    let fx = app.seed().await;
    let answered = reviewed_and_answered(&app, &fx).await;
    let mut c2 = Browser::signed_in(&app, "customer2@example.com").await;
    location(&write_review(&mut c2, &app, &fx.paid_app.id, "1", "자꾸 멈춰요").await);
    let waiting = review_id(&app, &fx.paid_app, &fx.customer2).await;
    // Another seller's review never shows in dev1's inbox.
    location(&write_review(&mut c2, &app, &fx.free_app.id, "2", "메모가 사라져요").await);
    let other = review_id(&app, &fx.free_app, &fx.customer2).await;

    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let inbox = dev1.get(&app, "/developer/reviews").await.assert_html(StatusCode::OK);
    let (first, second) =
        (inbox.find(&format!("id=\"review-{waiting}\"")), inbox.find(&format!("id=\"review-{answered}\"")));
    assert!(first.is_some() && first < second, "R11: the unanswered review comes first: {inbox}");
    assert!(!inbox.contains(&other), "only the seller's apps");
    assert!(from_id(&inbox, &format!("review-{waiting}")).contains("답변 필요"), "marked as needing a reply");
    assert!(inbox.contains("<details class=\"filter-box\" id=\"review-filters\">"), "filters collapsed by default");
    assert!(inbox.contains("href=\"/developer/reviews?rating=1%2C2\""), "a quick 1-2 stars link");
    assert!(inbox.contains("<strong id=\"reviews-unanswered\" class=\"nowrap\">1</strong>"));
    assert_no_raw_keys(&inbox);
    let low = dev1.get(&app, "/developer/reviews?rating=1%2C2").await.assert_html(StatusCode::OK);
    assert!(low.contains(&format!("review-{waiting}")) && !low.contains(&format!("id=\"review-{answered}\"")));
    assert!(low.contains("id=\"review-filters\" open"), "an active filter opens the box");
    let done = dev1.get(&app, "/developer/reviews?replied=true").await.assert_html(StatusCode::OK);
    assert!(done.contains(&format!("id=\"review-{answered}\"")) && !done.contains(&format!("id=\"review-{waiting}\"")));
    dev1.get(&app, "/developer/reviews?replied=maybe").await.assert_html(StatusCode::BAD_REQUEST);

    // Saved replies: created on their page, offered as links that fill one box.
    let page = dev1.get(&app, "/developer/reply-templates").await.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"no-templates\"") && page.contains("id=\"template-form-new\""), "{page}");
    assert_no_raw_keys(&page);
    let csrf = token(&mut dev1, &app).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("title", "사과"),
        ("text", "{customer_name}님, {app_title} 이용에 불편을 드려 죄송합니다."),
        ("lang", "ko"),
    ];
    let to = location(&dev1.post_form(&app, "/developer/reply-templates", &form).await);
    assert!(to.starts_with("/developer/reply-templates?notice=created#tpl-notice"), "{to}");
    let template = app.store.reply_templates(&fx.seller1.id).await.expect("templates").remove(0);
    let empty = [("csrf", csrf.as_str()), ("title", ""), ("text", "x"), ("lang", "ko")];
    let html =
        dev1.post_form(&app, "/developer/reply-templates", &empty).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("이 항목은 필수입니다.") || html.contains("field-error"), "{html}");

    let before = app.counts(&fx).await;
    let inbox = dev1.get(&app, "/developer/reviews").await.assert_html(StatusCode::OK);
    let card = from_id(&inbox, &format!("review-{waiting}"));
    let link = card.split("class=\"template-link\"").next().unwrap_or_default();
    let link = link.rsplit("href=\"").next().unwrap_or_default();
    assert!(
        link.starts_with(&format!("/developer/reviews?template={}&", template.id)),
        "a link per saved reply: {card}"
    );
    assert!(link.contains(&format!("for={waiting}#review-{waiting}")), "{link}");
    let filled = dev1.get(&app, &format!("/developer/reviews?template={}&for={waiting}", template.id)).await;
    let filled = filled.assert_html(StatusCode::OK);
    let card = from_id(&filled, &format!("review-{waiting}"));
    assert!(card.contains(">customer2님, Paid Puzzle 이용에 불편을 드려 죄송합니다.</textarea>"), "{card}");
    assert!(card.contains("저장된 답변으로 채웠습니다"), "the developer is told to read it first");
    assert!(!from_id(&filled, &format!("review-{answered}")).contains("죄송합니다.</textarea>"), "only that box");
    assert_eq!(app.counts(&fx).await, before, "nothing posts by itself");

    // Edited and deleted on their page.
    let edit = [("csrf", csrf.as_str()), ("title", "사과 (수정)"), ("text", "죄송합니다."), ("lang", "ko")];
    let to = location(&dev1.post_form(&app, &format!("/developer/reply-templates/{}", template.id), &edit).await);
    assert_eq!(to, "/developer/reply-templates?notice=updated#tpl-notice");
    let dev2 = Browser::signed_in(&app, "dev2@example.com").await;
    let mut dev2 = dev2;
    let csrf2 = token(&mut dev2, &app).await;
    let path = format!("/developer/reply-templates/{}/delete", template.id);
    dev2.post_form(&app, &path, &[("csrf", &csrf2)]).await.assert_html(StatusCode::FORBIDDEN);
    assert_eq!(
        location(&dev1.post_form(&app, &path, &[("csrf", &csrf)]).await),
        "/developer/reply-templates?notice=deleted#tpl-notice"
    );
    assert!(app.store.reply_templates(&fx.seller1.id).await.expect("templates").is_empty());

    // The dashboard counts what waits, per app, with a link to the filtered inbox.
    let dash = dev1.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert_no_raw_keys(&dash);
    let counts = from_id(&dash, "review-summary");
    assert!(counts.contains(&format!("href=\"/developer/reviews?app_id={}\"", fx.paid_app.id)), "{counts}");
    assert!(counts.contains("1건 대기") && dash.contains("href=\"/developer/reviews\""), "{counts}");
    assert!(dash.contains("data-nav=\"developer-reviews\""), "in the developer navigation");
    in_english(&mut dev1, &app).await;
    let en = dev1.get(&app, "/developer").await.assert_html(StatusCode::OK);
    assert!(en.contains("1 waiting") && en.contains("Ratings &#38; reviews"), "{en}");
    assert_no_raw_keys(&en);
    let en = dev1.get(&app, "/developer/reviews").await.assert_html(StatusCode::OK);
    assert!(en.contains("Needs a reply") && en.contains("Post reply") && en.contains("Outdated replies"), "{en}");
    assert_no_raw_keys(&en);
    let en = dev1.get(&app, "/developer/reply-templates").await.assert_html(StatusCode::OK);
    assert!(en.contains("Saved replies") && en.contains("New saved reply"));
    assert_no_raw_keys(&en);
}

web_test!(r12_the_moderation_page_renders_for_operators_in_korean_and_english);
async fn r12_the_moderation_page_renders_for_operators_in_korean_and_english(app: TestApp) {
    let fx = app.seed().await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let ko = op.get(&app, "/operator/moderation").await.assert_html(StatusCode::OK);
    assert!(ko.contains("<html lang=\"ko\"") && ko.contains("리뷰 관리") && ko.contains("id=\"queue-empty\""), "{ko}");
    assert!(ko.contains("data-nav=\"operator-moderation\""), "in the operator navigation");
    assert_no_raw_keys(&ko);
    let missing = op.get(&app, "/operator/moderation?review=no-such-review").await.assert_html(StatusCode::OK);
    assert!(missing.contains("id=\"lookup-missing\""));
    let console = op.get(&app, "/operator").await.assert_html(StatusCode::OK);
    assert!(console.contains("href=\"/operator/moderation\""));
    in_english(&mut op, &app).await;
    let en = op.get(&app, "/operator/moderation").await.assert_html(StatusCode::OK);
    assert!(en.contains("<html lang=\"en\"") && en.contains("Moderation") && en.contains("Nothing is waiting"), "{en}");
    assert_no_raw_keys(&en);
    let public = app.get(&app_path(&fx.free_app), None).await.assert_html(StatusCode::OK);
    assert_no_raw_keys(&public);
}
