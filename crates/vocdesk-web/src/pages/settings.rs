//! Settings, for every signed-in role: the language of the pages and, apart from it,
//! the language of their notification mail (R3). The header's language switch changes
//! only the first; the mail language changes only here (or through `PATCH
//! /api/v1/me`), a POST with CSRF, audited.

use askama::Template;
use axum::extract::{Request, State};
use axum::response::IntoResponse;
use serde::Deserialize;
use vocdesk_app::accounts;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::policy;

use super::context::PageCtx;
use super::error::PageError;
use super::inquiries::caller;
use super::reviews::read_form;
use super::{PageResult, html, query};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

/// The page's address.
const PAGE: &str = "/settings";

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    ctx: PageCtx,
    /// The page language's choices.
    page_options: Vec<LocaleOption>,
    /// The mail language's choices.
    mail_options: Vec<LocaleOption>,
    /// The form was just saved.
    saved: bool,
    /// Developers also have devices to notify (issue 13).
    is_developer: bool,
}

/// One language of a select: its tag, its name, whether it is the current one.
struct LocaleOption {
    tag: &'static str,
    label: String,
    selected: bool,
}

fn options(i18n: &I18n, current: Locale) -> Vec<LocaleOption> {
    Locale::ALL
        .iter()
        .map(|l| LocaleOption { tag: l.tag(), label: i18n.t(&format!("lang-{}", l.tag())), selected: *l == current })
        .collect()
}

/// `?saved=1` after the form.
#[derive(Debug, Deserialize)]
struct SavedQuery {
    #[serde(default)]
    saved: String,
}

/// `GET /settings`.
pub(super) async fn settings_page(ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(policy::use_account)?;
    let q: SavedQuery = query(&uri)?;
    let (page, mail) = (session.user.locale, session.user.mail_locale);
    html(&SettingsPage {
        page_options: options(&ctx.i18n, page),
        mail_options: options(&ctx.i18n, mail),
        saved: q.saved == "1",
        is_developer: session.user.role == vocdesk_domain::role::Role::Developer,
        ctx,
    })
}

/// The settings form.
#[derive(Debug, Deserialize)]
struct SettingsForm {
    // Defaulted, so that a form without a token is refused as CSRF (403).
    #[serde(default)]
    csrf: String,
    page_locale: String,
    mail_locale: String,
}

/// `POST /settings`: saves both languages, each audited when it changes; an unknown
/// language is a 400 page that changes nothing.
pub(super) async fn save_settings(State(state): State<AppState>, ctx: PageCtx, request: Request) -> PageResult {
    let session = ctx.authorize(policy::use_account)?;
    let form: SettingsForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let exact = |tag: &str| Locale::ALL.into_iter().find(|l| l.tag() == tag).ok_or(PageError::BadRequest);
    let (page, mail) = (exact(&form.page_locale)?, exact(&form.mail_locale)?);
    accounts::set_mail_locale(state.app(), caller(session), mail).await?;
    accounts::set_locale(state.app(), caller(session), page).await?;
    Ok(see_other(&format!("{PAGE}?saved=1")).into_response())
}
