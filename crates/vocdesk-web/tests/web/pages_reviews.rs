//! The ratings and reviews pages (R10-R13, R18): the app page with the customer's own
//! review and the report forms, the developer center's reviews inbox with the reply box
//! and saved replies, and the operator's moderation page. Through the real router and a
//! browser that signs in on the page and posts forms with its visitor's CSRF token;
//! every refusal is checked to have changed nothing.

use axum::http::{StatusCode, header};
use vocdesk_domain::ids::AppId;
use vocdesk_domain::role::Role;

use crate::support::browser::Browser;
use crate::support::{Fixture, TestApp, TestResponse};

/// The developer center's inbox and saved replies, and the moderation page.
mod staff;

/// `<script>` as askama escapes it.
const ESCAPED_SCRIPT: &str = "&#60;script&#62;";

/// Words of the page that look like a message key (`review-notice-published`): a key
/// missing from a catalog shows as itself. Only text and the attributes people read
/// are searched, not ids and classes.
#[track_caller]
pub(crate) fn assert_no_raw_keys(html: &str) {
    const WORDS: [&str; 4] = ["in-app", "sign-in", "e-mail", "follow-up"];
    let looks_like_key = |word: &str| {
        let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_');
        let mut parts = word.split('-');
        let first_is_word = parts.next().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()));
        let rest: Vec<&str> = parts.collect();
        first_is_word
            && !rest.is_empty()
            && rest
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
            && !WORDS.contains(&word)
    };
    let mut readable: Vec<&str> =
        html.split('<').filter_map(|chunk| chunk.split_once('>').map(|(_, text)| text)).collect();
    for attribute in ["aria-label=\"", "title=\"", "placeholder=\""] {
        readable.extend(html.split(attribute).skip(1).filter_map(|rest| rest.split('"').next()));
    }
    for text in readable {
        for word in text.split_whitespace() {
            assert!(!looks_like_key(word), "a raw message key {word:?} in {text:?}");
        }
    }
}

/// The CSRF token of a signed-in browser.
async fn token(browser: &mut Browser, app: &TestApp) -> String {
    browser.form_token(app).await
}

fn app_path(app: &vocdesk_domain::catalog::App) -> String {
    format!("/apps/{}", app.id)
}

/// Posts the review form of the app page.
async fn write_review(browser: &mut Browser, app: &TestApp, app_id: &AppId, rating: &str, text: &str) -> TestResponse {
    let csrf = token(browser, app).await;
    let path = format!("/apps/{app_id}/reviews/mine");
    browser.post_form(app, &path, &[("csrf", &csrf), ("rating", rating), ("text", text)]).await
}

/// Posts the reply box of the reviews inbox.
async fn write_reply(browser: &mut Browser, app: &TestApp, review: &str, text: &str) -> TestResponse {
    let csrf = token(browser, app).await;
    browser.post_form(app, &format!("/developer/reviews/{review}/reply"), &[("csrf", &csrf), ("text", text)]).await
}

/// The id of `customer`'s review of `app`.
async fn review_id(
    app: &TestApp,
    of: &vocdesk_domain::catalog::App,
    customer: &vocdesk_domain::account::User,
) -> String {
    let review = app.store.review_by_author(&of.id, &customer.id).await.expect("read").expect("a review");
    review.id.0
}

#[track_caller]
fn location(response: &TestResponse) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "status; body: {}", response.text());
    response.header(header::LOCATION).unwrap_or_default().to_owned()
}

/// Switches a browser's pages to English.
async fn in_english(browser: &mut Browser, app: &TestApp) {
    assert_eq!(browser.switch_language(app, "en", "/").await.status, StatusCode::SEE_OTHER);
}

/// The part of a page from the element with `id` on.
fn from_id<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    html.find(&marker).map_or("", |at| &html[at..])
}

/// The public list of the app page (from its `<ol>` to the pager).
fn review_list(html: &str) -> &str {
    let list = from_id(html, "review-list");
    &list[..list.find("class=\"pager\"").unwrap_or(list.len())]
}

/// customer1 rates the paid app 4 stars in Korean and dev1 answers; returns the review id.
async fn reviewed_and_answered(app: &TestApp, fx: &Fixture) -> String {
    let mut c1 = Browser::signed_in(app, "customer1@example.com").await;
    let response =
        write_review(&mut c1, app, &fx.paid_app.id, "4", "퍼즐이 재미있어요. 힌트가 조금 더 있으면 좋겠습니다.").await;
    location(&response);
    let id = review_id(app, &fx.paid_app, &fx.customer1).await;
    let mut dev1 = Browser::signed_in(app, "dev1@example.com").await;
    location(&write_reply(&mut dev1, app, &id, "소중한 의견 감사합니다. 다음 업데이트에 힌트를 늘리겠습니다.").await);
    id
}

web_test!(r10_r11_a_customer_reviews_on_the_app_page_and_everyone_reads_the_official_reply);
async fn r10_r11_a_customer_reviews_on_the_app_page_and_everyone_reads_the_official_reply(app: TestApp) {
    let fx = app.seed().await;
    let path = app_path(&fx.paid_app);

    // Before: the customer who bought it is offered the form with stars 1-5.
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let page = c1.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"review-form\"") && page.contains("아직 이 앱에 리뷰가 없습니다."), "{page}");
    for n in 1..=5 {
        assert!(page.contains(&format!("name=\"rating\" value=\"{n}\"")), "a radio button for {n} stars");
    }
    assert!(page.contains("maxlength=\"2000\""), "R10: up to 2,000 characters");

    // R10: published, back to the page with what happens next.
    let response = write_review(&mut c1, &app, &fx.paid_app.id, "4", "퍼즐이 재미있어요.").await;
    assert_eq!(location(&response), format!("{path}?notice=review_published#review-notice"));
    let page = c1.get(&app, &format!("{path}?notice=review_published")).await.assert_html(StatusCode::OK);
    assert!(
        page.contains("id=\"review-notice\"") && page.contains("개발자가 답변하면 이메일로 알려 드립니다"),
        "{page}"
    );
    assert!(
        page.contains("id=\"my-review-card\"") && page.contains("id=\"delete-review\""),
        "own review, edit and delete"
    );
    assert!(
        page.contains("<span id=\"rating-average\" class=\"nowrap\">★ 4.0</span>"),
        "R13: average with one decimal"
    );
    assert!(page.contains("평점 1개") && page.contains("★★★★☆"));
    assert!(page.contains("KST"), "times in Korea Standard Time");
    assert_no_raw_keys(&page);

    // R11: dev1 answers from the inbox; everyone reads it under the review, marked.
    let id = review_id(&app, &fx.paid_app, &fx.customer1).await;
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let response = write_reply(&mut dev1, &app, &id, "감사합니다. 힌트를 늘리겠습니다.").await;
    assert_eq!(location(&response), format!("/developer/reviews?notice=replied#review-notice"));
    assert_eq!(app.mails_of_kind("review_replied").await.len(), 1, "R11: the reviewer is told by mail");
    let public = app.get(&path, None).await.assert_html(StatusCode::OK);
    let item = from_id(&public, &format!("review-{id}"));
    for fact in [
        "퍼즐이 재미있어요.",
        "customer1",
        "공식 답변",
        "Seller One",
        "감사합니다. 힌트를 늘리겠습니다.",
        "lang=\"ko\"",
    ] {
        assert!(item.contains(fact), "the public list shows {fact}: {item}");
    }
    assert!(!item.contains("이 답변 이후에 리뷰가 수정되었습니다."), "not outdated yet");
    assert!(public.contains("id=\"signin-to-review\""), "a visitor is asked to sign in to review");
    assert!(!public.contains("class=\"report\""), "only signed-in customers report");
    assert_no_raw_keys(&public);

    // R10/R18: the customer edits (3 stars); the reply is marked outdated everywhere.
    let response = write_review(&mut c1, &app, &fx.paid_app.id, "3", "퍼즐이 재미있지만 어려워요.").await;
    assert_eq!(location(&response), format!("{path}?notice=review_updated#review-notice"));
    let page = c1.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(page.contains("이 답변 이후에 리뷰가 수정되었습니다.") && page.contains("수정됨"), "{page}");
    assert!(page.contains("id=\"my-review-history\"") && page.contains("퍼즐이 재미있어요."), "R10: earlier version");
    assert!(page.contains("value=\"3\" required checked"), "the form holds the current rating");
    let inbox = dev1.get(&app, "/developer/reviews").await.assert_html(StatusCode::OK);
    let card = from_id(&inbox, &format!("review-{id}"));
    assert!(card.contains("수정 전 답변") && card.contains("/reply/confirm"), "R18: outdated, with the confirm button");
    let csrf = token(&mut dev1, &app).await;
    let response = dev1.post_form(&app, &format!("/developer/reviews/{id}/reply/confirm"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&response), format!("/developer/reviews?notice=reply_confirmed#review-notice"));
    assert!(!app.get(&path, None).await.text().contains("이 답변 이후에 리뷰가 수정되었습니다."), "R18: confirmed");

    // In English.
    in_english(&mut c1, &app).await;
    let en = c1.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(en.contains("Official reply") && en.contains("Your review") && en.contains("Delete your review"), "{en}");
    assert!(en.contains("Edit your review") && en.contains("Newest") && en.contains("Lowest rated"));
    assert_no_raw_keys(&en);

    // R10/R13: deleted after the confirmation step; the summary forgets it.
    assert!(en.contains("<details class=\"confirm danger-zone\" id=\"delete-review\">"), "a confirmation step first");
    let csrf = token(&mut c1, &app).await;
    let response = c1.post_form(&app, &format!("{path}/reviews/mine/delete"), &[("csrf", &csrf)]).await;
    assert_eq!(location(&response), format!("{path}?notice=review_deleted#review-notice"));
    assert_eq!(app.rating_of(&fx.paid_app).await, [0; 5]);
    let page = c1.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(
        page.contains("id=\"rating-none\"") && page.contains("id=\"review-form\""),
        "rated no more; may write again"
    );
}

web_test!(r10_a_star_only_rating_counts_and_a_star_filter_shows_only_those_stars);
async fn r10_a_star_only_rating_counts_and_a_star_filter_shows_only_those_stars(app: TestApp) {
    let fx = app.seed().await;
    let path = app_path(&fx.paid_app);
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    location(&write_review(&mut c1, &app, &fx.paid_app.id, "5", "Great puzzles, clean design.").await);
    let mut c2 = Browser::signed_in(&app, "customer2@example.com").await;
    location(&write_review(&mut c2, &app, &fx.paid_app.id, "1", "").await);

    let all = app.get(&path, None).await.assert_html(StatusCode::OK);
    assert_eq!(review_list(&all).matches("<li class=\"review review-card").count(), 2, "{all}");
    assert!(all.contains("별점만 남김"), "R10: a rating without text is shown as such");
    assert!(all.contains("★ 3.0") && all.contains("평점 2개"), "R13");
    assert!(all.contains("lang=\"en\"") && all.contains(">English<"), "the review's language");
    assert!(all.contains(&format!("href=\"{path}?rating=1#reviews\"")), "a star filter link");
    assert!(all.contains(&format!("href=\"{path}?sort=rating_low#reviews\"")), "a sort link");

    for (rating, stars) in [("1", "1"), ("5", "5")] {
        let only = app.get(&format!("{path}?rating={rating}"), None).await.assert_html(StatusCode::OK);
        let list = review_list(&only);
        assert_eq!(list.matches("<li class=\"review review-card").count(), 1, "{only}");
        assert!(list.contains(&format!("data-stars=\"{stars}\"")), "only {stars}-star reviews");
        assert!(!list.contains(&format!("data-stars=\"{}\"", if stars == "1" { 5 } else { 1 })), "{list}");
        assert!(only.contains("aria-current=\"true\">★ ".to_owned().as_str()), "the filter in effect is marked");
    }
    let none = app.get(&format!("{path}?rating=3"), None).await.assert_html(StatusCode::OK);
    assert!(none.contains("id=\"no-reviews\"") && none.contains("이 평점의 리뷰가 없습니다."));
    let low = app.get(&format!("{path}?sort=rating_low"), None).await.assert_html(StatusCode::OK);
    let list = review_list(&low);
    assert!(list.find("data-stars=\"1\"") < list.find("data-stars=\"5\""), "fewest stars first");
    app.get(&format!("{path}?rating=9"), None).await.assert_html(StatusCode::BAD_REQUEST);
    app.get(&format!("{path}?sort=best"), None).await.assert_html(StatusCode::BAD_REQUEST);
}

web_test!(r10_bad_input_comes_back_with_its_problems_and_changes_nothing);
async fn r10_bad_input_comes_back_with_its_problems_and_changes_nothing(app: TestApp) {
    let fx = app.seed().await;
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let before = app.counts(&fx).await;
    let long = "가".repeat(2_001);
    let html =
        write_review(&mut c1, &app, &fx.paid_app.id, "", &long).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("별점을 1점부터 5점 중에서 골라 주세요.") && html.contains("2,000자 이내로 입력해 주세요."),
        "{html}"
    );
    assert!(html.contains(&long), "what was typed is kept");
    let html =
        write_review(&mut c1, &app, &fx.paid_app.id, "6", "좋아요").await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"rating-error\"") && html.contains(">좋아요</textarea>"));
    assert_eq!(app.counts(&fx).await, before, "nothing written");

    let id = reviewed_and_answered(&app, &fx).await;
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let before = app.counts(&fx).await;
    let html = write_reply(&mut dev1, &app, &id, "   ").await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(from_id(&html, &format!("review-{id}")).contains("답변 내용을 입력해 주세요."), "{html}");
    let html =
        write_reply(&mut dev1, &app, &id, &"a".repeat(1_001)).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("1,000자 이내로 입력해 주세요."));
    assert_eq!(app.counts(&fx).await, before, "nothing written");
}

web_test!(r10_r11_r12_refusals_on_the_review_pages_change_nothing);
async fn r10_r11_r12_refusals_on_the_review_pages_change_nothing(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let stranger = app.user("customer3@example.com", Role::Customer, None, Some("C-0003")).await;
    // Signing in is recorded too, so everyone signs in before the count.
    let mut dev2 = Browser::signed_in(&app, "dev2@example.com").await;
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let mut c2 = Browser::signed_in(&app, "customer2@example.com").await;
    let mut c3 = Browser::signed_in(&app, &stranger.email).await;
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let before = app.counts(&fx).await;
    let reply_path = format!("/developer/reviews/{id}/reply");

    // R11: another seller's developer is told the review does not exist.
    let csrf = token(&mut dev2, &app).await;
    for path in [reply_path.clone(), format!("{reply_path}/delete"), format!("{reply_path}/confirm")] {
        dev2.post_form(&app, &path, &[("csrf", &csrf), ("text", "남의 리뷰")]).await.assert_html(StatusCode::NOT_FOUND);
    }
    assert!(!dev2.get(&app, "/developer/reviews").await.text().contains(&id), "not in dev2's inbox");
    // R11: a customer (even with a valid token) is refused the reply route.
    let csrf = token(&mut c2, &app).await;
    c2.post_form(&app, &reply_path, &[("csrf", &csrf), ("text", "제가 답할게요")])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    // R10: a customer who did not obtain the app cannot review it, and is told so.
    let response = write_review(&mut c3, &app, &fx.paid_app.id, "1", "안 샀지만 별로").await;
    response.assert_html(StatusCode::FORBIDDEN);
    let page = c3.get(&app, &app_path(&fx.paid_app)).await.assert_html(StatusCode::OK);
    assert!(page.contains("id=\"review-not-obtained\"") && !page.contains("id=\"review-form\""), "{page}");
    // Developers do not review; operators do not reply.
    write_review(&mut dev1, &app, &fx.paid_app.id, "5", "최고").await.assert_html(StatusCode::FORBIDDEN);
    let csrf = token(&mut op, &app).await;
    op.post_form(&app, &reply_path, &[("csrf", &csrf), ("text", "x")]).await.assert_html(StatusCode::FORBIDDEN);
    // R12: only operators moderate.
    let hide = format!("/operator/moderation/{id}/hide");
    for browser in [&mut dev1, &mut c2] {
        let csrf = token(browser, &app).await;
        browser.post_form(&app, &hide, &[("csrf", &csrf), ("reason", "x")]).await.assert_html(StatusCode::FORBIDDEN);
    }
    // Pages of other roles: refused, not hidden.
    c2.get(&app, "/developer/reviews").await.assert_html(StatusCode::FORBIDDEN);
    c2.get(&app, "/developer/reply-templates").await.assert_html(StatusCode::FORBIDDEN);
    op.get(&app, "/developer/reviews").await.assert_html(StatusCode::FORBIDDEN);
    dev1.get(&app, "/operator/moderation").await.assert_html(StatusCode::FORBIDDEN);
    c2.get(&app, "/operator/moderation").await.assert_html(StatusCode::FORBIDDEN);

    // No session: sign in first, and come back.
    let mut visitor = Browser::default();
    let csrf = token(&mut visitor, &app).await;
    let mine = format!("/apps/{}/reviews/mine", fx.paid_app.id);
    let response = visitor.post_form(&app, &mine, &[("csrf", &csrf), ("rating", "5")]).await;
    assert!(location(&response).starts_with("/signin?next="), "a visitor is sent to sign in");
    let response = visitor.post_form(&app, &reply_path, &[("csrf", &csrf), ("text", "x")]).await;
    assert!(location(&response).starts_with("/signin?next="));
    let response =
        visitor.post_form(&app, &format!("/reviews/{id}/report"), &[("csrf", &csrf), ("reason", "spam")]).await;
    assert!(location(&response).starts_with("/signin?next="));
    app.get("/developer/reviews", None).await.assert_see_other("/signin?next=/developer/reviews");
    app.get("/operator/moderation", None).await.assert_see_other("/signin?next=/operator/moderation");
    // The address of a form, opened, leads back to its page.
    app.get(&mine, None).await.assert_see_other(&format!("/apps/{}#my-review", fx.paid_app.id));

    // Forms without this visitor's CSRF token are refused.
    c1.post_form(&app, &mine, &[("rating", "1"), ("text", "CSRF")]).await.assert_html(StatusCode::FORBIDDEN);
    c1.post_form(&app, &format!("{mine}/delete"), &[("csrf", "forged")]).await.assert_html(StatusCode::FORBIDDEN);
    dev1.post_form(&app, &reply_path, &[("text", "CSRF")]).await.assert_html(StatusCode::FORBIDDEN);
    c2.post_form(&app, &format!("/reviews/{id}/report"), &[("reason", "spam")])
        .await
        .assert_html(StatusCode::FORBIDDEN);
    op.post_form(&app, &hide, &[("reason", "CSRF")]).await.assert_html(StatusCode::FORBIDDEN);
    dev1.post_form(&app, "/developer/reply-templates", &[("title", "t"), ("text", "x"), ("lang", "ko")])
        .await
        .assert_html(StatusCode::FORBIDDEN);

    assert_eq!(app.counts(&fx).await, before, "no refusal wrote anything");
}

web_test!(html_in_reviews_replies_and_report_notes_is_shown_escaped);
async fn html_in_reviews_replies_and_report_notes_is_shown_escaped(app: TestApp) {
    let fx = app.seed().await;
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    location(&write_review(&mut c1, &app, &fx.paid_app.id, "2", "<script>alert('review')</script>").await);
    let id = review_id(&app, &fx.paid_app, &fx.customer1).await;
    let mut dev1 = Browser::signed_in(&app, "dev1@example.com").await;
    location(&write_reply(&mut dev1, &app, &id, "<script>alert('reply')</script><b>bold</b>").await);
    let mut c2 = Browser::signed_in(&app, "customer2@example.com").await;
    let csrf = token(&mut c2, &app).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("target", "reply"),
        ("reason", "abusive"),
        ("note", "<script>alert('note')</script>"),
    ];
    let response = c2.post_form(&app, &format!("/reviews/{id}/report"), &form).await;
    assert_eq!(location(&response), format!("/apps/{}?notice=reported#review-notice", fx.paid_app.id));

    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let pages = [
        app.get(&app_path(&fx.paid_app), None).await.assert_html(StatusCode::OK),
        c1.get(&app, &app_path(&fx.paid_app)).await.assert_html(StatusCode::OK),
        dev1.get(&app, "/developer/reviews").await.assert_html(StatusCode::OK),
        op.get(&app, "/operator/moderation").await.assert_html(StatusCode::OK),
    ];
    for html in &pages {
        assert!(!html.contains("<script>") && !html.contains("<b>bold"), "never markup: {html}");
        assert!(html.contains(ESCAPED_SCRIPT), "shown as text");
    }
    let queue = &pages[3];
    assert!(queue.contains("alert(&#39;note&#39;)") || queue.contains("alert(&#x27;note&#x27;)"), "the note: {queue}");
}

web_test!(r12_r13_a_reported_review_is_hidden_from_the_moderation_page_and_shown_again);
async fn r12_r13_a_reported_review_is_hidden_from_the_moderation_page_and_shown_again(app: TestApp) {
    let fx = app.seed().await;
    let id = reviewed_and_answered(&app, &fx).await;
    let path = app_path(&fx.paid_app);
    assert_eq!(app.rating_of(&fx.paid_app).await, [0, 0, 0, 1, 0]);

    // R12: customer2 reports it from the app page; a second report is refused kindly.
    let mut c2 = Browser::signed_in(&app, "customer2@example.com").await;
    let page = c2.get(&app, &path).await.assert_html(StatusCode::OK);
    let item = from_id(&page, &format!("review-{id}"));
    assert!(item.contains(&format!("action=\"/reviews/{id}/report\"")) && item.contains("value=\"reply\""), "{item}");
    let csrf = token(&mut c2, &app).await;
    let form = [("csrf", csrf.as_str()), ("target", "review"), ("reason", "off_topic"), ("note", "앱과 무관")];
    let response = c2.post_form(&app, &format!("/reviews/{id}/report"), &form).await;
    assert_eq!(location(&response), format!("{path}?notice=reported#review-notice"));
    let response = c2.post_form(&app, &format!("/reviews/{id}/report"), &form).await;
    assert_eq!(location(&response), format!("{path}?notice=already_reported#review-notice"));
    assert_eq!(app.open_reports().await, 1);
    let bad = [("csrf", csrf.as_str()), ("target", "review"), ("reason", "rude")];
    let html =
        c2.post_form(&app, &format!("/reviews/{id}/report"), &bad).await.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("신고 사유를 골라 주세요."), "{html}");

    // The operator sees it queued with its count, reason and note.
    let mut op = Browser::signed_in(&app, "operator@example.com").await;
    let queue = op.get(&app, "/operator/moderation").await.assert_html(StatusCode::OK);
    let item = from_id(&queue, &format!("item-{id}-review"));
    for fact in
        ["신고 1건", "이 앱과 관계없는 내용", "앱과 무관", "Paid Puzzle", "/hide", "/dismiss", "유지(신고 종료)"]
    {
        assert!(item.contains(fact), "the queue shows {fact}: {item}");
    }
    assert_no_raw_keys(&queue);

    // Without a reason: refused, nothing changed.
    let before = app.counts(&fx).await;
    let csrf = token(&mut op, &app).await;
    let hide = format!("/operator/moderation/{id}/hide");
    let html = op.post_form(&app, &hide, &[("csrf", &csrf), ("target", "review"), ("reason", " ")]).await;
    let html = html.assert_html(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("사유를 입력해 주세요."), "{html}");
    assert_eq!(app.counts(&fx).await, before);

    // R12/R13: hidden with a reason; the summary forgets it; the author is told.
    let response = op.post_form(&app, &hide, &[("csrf", &csrf), ("target", "review"), ("reason", "광고성 내용")]).await;
    let to = location(&response);
    assert_eq!(to, format!("/operator/moderation?review={id}&notice=review_hidden#mod-notice"));
    let card = op.get(&app, &to).await.assert_html(StatusCode::OK);
    assert!(
        card.contains("id=\"lookup\"") && card.contains(&format!("action=\"/operator/moderation/{id}/unhide\"")),
        "{card}"
    );
    assert!(card.contains("리뷰 다시 표시") && card.contains("광고성 내용") && card.contains("id=\"queue-empty\""));
    assert_eq!(app.rating_of(&fx.paid_app).await, [0; 5]);
    let public = app.get(&path, None).await.assert_html(StatusCode::OK);
    assert!(public.contains("id=\"rating-none\"") && !public.contains(&format!("review-{id}")), "R13: {public}");
    let mut c1 = Browser::signed_in(&app, "customer1@example.com").await;
    let own = c1.get(&app, &path).await.assert_html(StatusCode::OK);
    assert!(own.contains("id=\"my-review-hidden\"") && own.contains("사유: “광고성 내용”"), "{own}");
    assert_eq!(app.mails_of_kind("review_hidden").await.len(), 1);
    let outbox = op.get(&app, "/operator/outbox").await.assert_html(StatusCode::OK);
    assert!(outbox.contains("리뷰 숨김") && outbox.contains("리뷰 답변"), "mail kinds in words: {outbox}");
    assert_no_raw_keys(&outbox);
    in_english(&mut op, &app).await;
    let outbox = op.get(&app, "/operator/outbox").await.assert_html(StatusCode::OK);
    assert!(outbox.contains("Review hidden") && outbox.contains("Reply to a review"));
    let dev = Browser::signed_in(&app, "dev1@example.com").await.get(&app, "/developer/reviews").await.text();
    assert!(
        from_id(&dev, &format!("review-{id}")).contains("Hidden by the store") || dev.contains("스토어에서 숨김 처리")
    );

    // Shown again, with a reason.
    let unhide = format!("/operator/moderation/{id}/unhide");
    let response = op
        .post_form(&app, &unhide, &[("csrf", &csrf), ("target", "review"), ("reason", "재검토 결과 문제 없음")])
        .await;
    assert_eq!(location(&response), format!("/operator/moderation?review={id}&notice=review_restored#mod-notice"));
    assert_eq!(app.rating_of(&fx.paid_app).await, [0, 0, 0, 1, 0]);
    assert_eq!(app.mails_of_kind("review_restored").await.len(), 1);

    // A reported reply is kept: the reports are dismissed, nothing is hidden.
    let csrf2 = token(&mut c2, &app).await;
    let form = [("csrf", csrf2.as_str()), ("target", "reply"), ("reason", "other")];
    location(&c2.post_form(&app, &format!("/reviews/{id}/report"), &form).await);
    let queue = op.get(&app, "/operator/moderation").await.assert_html(StatusCode::OK);
    assert!(queue.contains(&format!("id=\"item-{id}-reply\"")) && queue.contains("Official reply"), "{queue}");
    let dismiss = format!("/operator/moderation/{id}/dismiss");
    let response = op.post_form(&app, &dismiss, &[("csrf", &csrf), ("target", "reply")]).await;
    assert_eq!(location(&response), "/operator/moderation?notice=dismissed#mod-notice");
    assert_eq!(app.open_reports().await, 0);
    assert!(app.get(&path, None).await.text().contains("소중한 의견 감사합니다"), "the reply stays shown");
}

web_test!(r10_more_reviews_are_a_link_away_by_cursor);
async fn r10_more_reviews_are_a_link_away_by_cursor(app: TestApp) {
    use vocdesk_domain::audit::{AuditActor, Channel};
    use vocdesk_domain::locale::Locale;
    use vocdesk_domain::review::ReviewDraft;
    use vocdesk_store::{Acting, ReviewWrite};

    let fx = app.seed().await;
    for n in 0..23 {
        let email = format!("reader{n}@example.com");
        let user = app.user(&email, Role::Customer, None, Some(&format!("C-1{n:03}"))).await;
        let draft = ReviewDraft::parse(1 + n % 5, Some(&format!("review number {n}")), Locale::En).expect("draft");
        let write = ReviewWrite {
            app_id: fx.paid_app.id.clone(),
            seller_id: fx.seller1.id.clone(),
            author_id: user.id.clone(),
            draft,
        };
        let acting = Acting { actor: AuditActor::user(user.id.clone(), Role::Customer), channel: Channel::Store };
        app.clock.advance(jiff::SignedDuration::from_mins(1));
        app.store.put_review(&write, &acting, app.now()).await.expect("write a review");
    }
    let path = app_path(&fx.paid_app);
    let first = app.get(&path, None).await.assert_html(StatusCode::OK);
    assert_eq!(review_list(&first).matches("<li class=\"review review-card").count(), 20, "a page of 20");
    assert!(first.contains(">review number 22<") && !first.contains(">review number 2<"), "newest first");
    let more = from_id(&first, "more-reviews");
    let href = first[..first.len() - more.len()].rsplit("href=\"").next().unwrap_or_default();
    let href = href.split('"').next().unwrap_or_default().replace("&#38;", "&");
    assert!(href.starts_with(&format!("{path}?cursor=")), "{href}");
    let second = app.get(href.split('#').next().unwrap_or_default(), None).await.assert_html(StatusCode::OK);
    let list = review_list(&second);
    assert_eq!(list.matches("<li class=\"review review-card").count(), 3, "the rest");
    assert!(list.contains(">review number 0<") && !list.contains(">review number 22<"));
    assert!(!second.contains("id=\"more-reviews\""), "no page after the last");
    let filtered = app.get(&format!("{path}?rating=5"), None).await.assert_html(StatusCode::OK);
    assert_eq!(review_list(&filtered).matches("<li class=\"review review-card").count(), 4, "every fifth is 5 stars");
}
