//! A browser for the page tests: it keeps the cookies the site sets (visitor, session,
//! language), sends them back, and fills forms with the CSRF token of its visitor.

use axum::http::{Method, StatusCode};

use super::{MultipartForm, PASSWORD, TestApp, TestResponse, req};

/// A browser: the cookies it has been given, and the headers it sends with every
/// request (its `Accept-Language`).
#[derive(Default)]
pub struct Browser {
    cookies: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Browser {
    /// A browser that sends `name: value` with every request.
    pub fn with_header(name: &str, value: &str) -> Browser {
        Browser { cookies: Vec::new(), headers: vec![(name.to_owned(), value.to_owned())] }
    }

    fn request(&self, method: Method, path: &str) -> super::RequestBuilder {
        let mut request = req(method, path).cookies(&self.pairs());
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        request
    }

    fn keep(&mut self, response: &TestResponse) {
        for name in ["vd_visitor", "vd_session", "vd_lang"] {
            if let Some(value) = response.set_cookie(name) {
                self.cookies.retain(|(n, _)| n != name);
                self.cookies.push((name.to_owned(), value));
            }
        }
    }

    /// The value of a cookie the site set.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The cookies, as a request header sends them.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.cookies.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
    }

    /// Opens a page.
    pub async fn get(&mut self, app: &TestApp, path: &str) -> TestResponse {
        let response = app.send(self.request(Method::GET, path).empty()).await;
        self.keep(&response);
        response
    }

    /// Posts a URL-encoded form.
    pub async fn post_form(&mut self, app: &TestApp, path: &str, form: &[(&str, &str)]) -> TestResponse {
        let response = app.send(self.request(Method::POST, path).form(form)).await;
        self.keep(&response);
        response
    }

    /// Posts a `multipart/form-data` form, as a form with a file input is sent.
    pub async fn post_multipart(&mut self, app: &TestApp, path: &str, form: MultipartForm) -> TestResponse {
        let response = app.send(self.request(Method::POST, path).multipart_form(form)).await;
        self.keep(&response);
        response
    }

    /// Opens the sign-in page and returns the CSRF token of its form.
    pub async fn csrf(&mut self, app: &TestApp) -> String {
        let page = self.get(app, "/signin").await;
        let html = page.assert_html(StatusCode::OK);
        assert!(self.cookie("vd_visitor").is_some(), "the first visit sets vd_visitor");
        hidden_input(&html, "csrf").expect("a csrf input on the sign-in form")
    }

    /// The CSRF token of this browser's visitor: from the header's sign-out form when
    /// signed in, from the sign-in form otherwise.
    pub async fn form_token(&mut self, app: &TestApp) -> String {
        let home = self.get(app, "/").await.text();
        if let Some(token) = hidden_input(&home, "csrf") {
            return token;
        }
        let html = self.get(app, "/signin").await.text();
        hidden_input(&html, "csrf").expect("a csrf input")
    }

    /// Opens `page`, takes the CSRF token of its forms.
    pub async fn csrf_on(&mut self, app: &TestApp, page: &str) -> String {
        let html = self.get(app, page).await.text();
        hidden_input(&html, "csrf").expect("a csrf input on the page")
    }

    /// Switches the language with the header's form (a POST with this visitor's CSRF
    /// token), coming back to `next`.
    pub async fn switch_language(&mut self, app: &TestApp, tag: &str, next: &str) -> TestResponse {
        let csrf = self.form_token(app).await;
        self.post_form(app, &format!("/lang/{tag}"), &[("csrf", &csrf), ("next", next)]).await
    }

    /// Signs in through the form and returns the response.
    pub async fn sign_in(&mut self, app: &TestApp, email: &str, next: &str) -> TestResponse {
        let csrf = self.csrf(app).await;
        self.post_form(app, "/signin", &[("csrf", &csrf), ("email", email), ("password", PASSWORD), ("next", next)])
            .await
    }

    /// A new browser, signed in as `email`.
    pub async fn signed_in(app: &TestApp, email: &str) -> Browser {
        let mut browser = Browser::default();
        let csrf = browser.form_token(app).await;
        let response =
            browser.post_form(app, "/signin", &[("csrf", &csrf), ("email", email), ("password", PASSWORD)]).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "sign in as {email}: {}", response.text());
        browser
    }
}

/// The `next` the sign-in form carries (the header's language forms have one too).
pub fn signin_next(html: &str) -> Option<String> {
    let form = html.find("id=\"signin-form\"")?;
    hidden_input(&html[form..], "next")
}

/// The value of `<input type="hidden" name="{name}" value="...">`.
pub fn hidden_input(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}
