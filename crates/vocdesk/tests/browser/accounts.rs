//! Signing in, languages, My page and the pages of other roles.

use crate::support::*;

#[test]
fn each_role_signs_in_and_lands_on_its_own_home() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        for (email, home, marker) in [
            ("customer1@example.com", "/my", "#purchases"),
            ("dev1@example.com", "/developer", "#seller-apps"),
            ("operator@example.com", "/operator", "#op-counts"),
        ] {
            sign_in(&browser, &fixture, email).await;
            assert_eq!(path_of(&browser).await, home, "{email} lands on {home}");
            browser.find(Locator::Css(marker)).await.unwrap_or_else(|_| panic!("{email} sees {marker}"));
            let who = browser.find(Locator::Css(".who")).await.expect("signed-in marker");
            assert_eq!(who.attr("data-user").await.expect("attr").as_deref(), Some(email));
            save_screenshot(&format!("home-{}", email.replace('@', "-at-")), &browser.screenshot().await.expect("png"));
            sign_out(&browser).await;
            assert_eq!(path_of(&browser).await, "/");
            assert!(browser.find(Locator::Css("#signin-link")).await.is_ok(), "{email} is signed out");
        }
        browser.close().await.expect("close");
    });
}

#[test]
fn a_wrong_password_is_refused_without_saying_which_part_was_wrong() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        browser.goto(&fixture.url("/signin")).await.expect("page");
        browser
            .find(Locator::Css("#email"))
            .await
            .expect("email")
            .send_keys("customer1@example.com")
            .await
            .expect("type");
        browser.find(Locator::Css("#password")).await.expect("pw").send_keys("not-the-password").await.expect("type");
        browser.find(Locator::Css("#signin-submit")).await.expect("submit").click().await.expect("click");
        wait_for(&browser, "#signin-error").await;
        assert_eq!(text_of(&browser, "#signin-error").await, "The email or password is incorrect.");
        assert!(browser.find(Locator::Css("#signin-link")).await.is_ok(), "still signed out");
        browser.close().await.expect("close");
    });
}

#[test]
fn the_language_switch_is_remembered_across_pages() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        browser.goto(&fixture.url("/")).await.expect("home");
        assert_eq!(html_lang(&browser).await, "en", "English from Accept-Language");
        // A button of a POST form (with the visitor's CSRF token), not a link.
        let form = browser.find(Locator::Css("form.lang-switch[method=post][action='/lang/ko']")).await;
        let form = form.expect("the switch is a form");
        form.find(Locator::Css("input[name=csrf]")).await.expect("with a CSRF token");
        form.find(Locator::Css("button#lang-ko")).await.expect("and a button");
        assert!(browser.find(Locator::Css("a[href^='/lang/']")).await.is_err(), "no language link is left");
        // The old link, followed from elsewhere, changes nothing.
        browser.goto(&fixture.url("/lang/ko?next=/")).await.expect("old link");
        assert_eq!(html_lang(&browser).await, "en", "a GET does not switch the language");
        browser.goto(&fixture.url("/")).await.expect("home");
        assert_eq!(html_lang(&browser).await, "en", "nor is anything remembered");
        browser.find(Locator::Css("#lang-ko")).await.expect("switch").click().await.expect("click");
        wait_for(&browser, "html[lang=ko]").await;
        assert_eq!(html_lang(&browser).await, "ko");
        assert_eq!(path_of(&browser).await, "/", "the switch returns to the same page");
        assert_eq!(text_of(&browser, "h1").await, "앱");
        browser.goto(&fixture.url("/signin")).await.expect("sign-in page");
        assert_eq!(html_lang(&browser).await, "ko", "remembered on the next page");
        assert_eq!(text_of(&browser, "h1").await, "로그인");
        browser.find(Locator::Css("#lang-en")).await.expect("switch").click().await.expect("click");
        wait_for(&browser, "html[lang=en]").await;
        assert_eq!(html_lang(&browser).await, "en");
        assert_eq!(path_of(&browser).await, "/signin");
        browser.close().await.expect("close");
    });
}

#[test]
fn my_page_shows_each_customer_only_their_own_purchases() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        sign_in(&browser, &fixture, "customer1@example.com").await;
        let first = tids_on_my_page(&browser).await;
        assert!(!first.is_empty(), "customer1 has purchases");
        sign_out(&browser).await;
        sign_in(&browser, &fixture, "customer2@example.com").await;
        let second = tids_on_my_page(&browser).await;
        assert!(!second.is_empty(), "customer2 has purchases");
        assert!(first.iter().all(|tid| !second.contains(tid)), "no purchase appears on both My pages");
        browser.close().await.expect("close");

        let phone = fixture.browser(true).await;
        sign_in(&phone, &fixture, "customer1@example.com").await;
        assert_eq!(path_of(&phone).await, "/my");
        let page_width = phone.execute("return document.documentElement.scrollWidth", vec![]).await.expect("script");
        let viewport = phone.execute("return window.innerWidth", vec![]).await.expect("script");
        let (page_width, viewport) = (page_width.as_i64().unwrap_or(i64::MAX), viewport.as_i64().unwrap_or(0));
        assert!(page_width <= viewport, "My page fits a phone without sideways scrolling ({page_width} > {viewport})");
        save_screenshot("my-page-phone", &phone.screenshot().await.expect("screenshot"));
        phone.close().await.expect("close");
    });
}

#[test]
fn pages_of_other_roles_are_refused_not_hidden() {
    scenario(|fixture| async move {
        let browser = fixture.browser(false).await;
        browser.goto(&fixture.url("/my")).await.expect("my page");
        assert_eq!(path_of(&browser).await, "/signin", "signed-out visitors are sent to sign in");
        sign_in(&browser, &fixture, "customer1@example.com").await;
        assert_eq!(path_of(&browser).await, "/my", "and come back after signing in");
        // customer1's account reads Korean, whatever this English browser asks for.
        for path in ["/developer", "/operator"] {
            browser.goto(&fixture.url(path)).await.expect("page");
            assert_eq!(
                text_of(&browser, "#error-message").await,
                "이 계정으로는 이 페이지를 열 수 없습니다.",
                "a customer on {path}"
            );
        }
        sign_out(&browser).await;
        sign_in(&browser, &fixture, "dev2@example.com").await;
        let seller = text_of(&browser, "#seller-name").await;
        sign_out(&browser).await;
        sign_in(&browser, &fixture, "dev1@example.com").await;
        assert_ne!(text_of(&browser, "#seller-name").await, seller, "dev1 and dev2 act for different sellers");
        browser.goto(&fixture.url("/my")).await.expect("page");
        assert_eq!(
            text_of(&browser, "#error-message").await,
            "이 계정으로는 이 페이지를 열 수 없습니다.",
            "dev1 reads Korean"
        );
        browser.close().await.expect("close");
    });
}
