//! The seller's saved replies: a page of the developer center to list, create, change
//! and delete them. They are starting points only: the reviews inbox offers each as a
//! link that fills a reply box with its placeholders replaced, for the developer to read,
//! edit and post; nothing is ever posted from one by itself.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_app::{AppError, reply_templates};
use vocdesk_domain::ids::{ReplyTemplateId, SellerId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::review::{REPLY_TEXT_MAX, TEMPLATE_TITLE_MAX};

use super::super::console_views::Notice;
use super::super::context::PageCtx;
use super::super::error::PageError;
use super::super::inquiries::{FieldErrors, caller};
use super::super::{CsrfForm, PageResult, query};
use super::views::language_label;
use super::{back_to, field_errors, limit_text, read_form, textarea};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

/// The page's address.
const SAVED: &str = "/developer/reply-templates";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(SAVED, get(saved_page).post(create))
        .route("/developer/reply-templates/{id}", get(to_saved).post(update))
        .route("/developer/reply-templates/{id}/delete", get(to_saved).post(delete))
}

async fn to_saved() -> Redirect {
    see_other(SAVED)
}

/// A saved reply's form, as it was left or as stored.
#[derive(Default)]
struct TemplateForm {
    title: String,
    text: String,
    lang: String,
    errors: FieldErrors,
}

/// One saved reply, with its edit form.
struct TemplateRow {
    id: String,
    /// The edit form's address.
    action: String,
    title: String,
    text: String,
    lang: &'static str,
    lang_label: String,
    updated_at: String,
    form: TemplateForm,
}

#[derive(Template)]
#[template(path = "reply_templates.html")]
struct SavedPage {
    ctx: PageCtx,
    notice: Option<Notice>,
    rows: Vec<TemplateRow>,
    new_form: TemplateForm,
    /// `(tag, name)`.
    langs: Vec<(String, String)>,
    title_max: usize,
    text_max: usize,
    text_help: String,
}

/// A form that came back with problems: the new one, or the edit form of a saved reply.
enum FormBack {
    New(TemplateForm),
    Edit(String, TemplateForm),
}

async fn render_saved(
    state: &AppState,
    ctx: PageCtx,
    seller: &SellerId,
    notice: Option<Notice>,
    back: Option<FormBack>,
) -> Result<String, PageError> {
    let i18n = ctx.i18n;
    let own_lang = ctx.session.as_ref().map(|s| s.user.locale).unwrap_or_default();
    let (mut new_form, mut edit) = (None, None);
    match back {
        Some(FormBack::New(form)) => new_form = Some(form),
        Some(FormBack::Edit(id, form)) => edit = Some((id, form)),
        None => {}
    }
    let rows = reply_templates::list(state.app(), seller)
        .await?
        .into_iter()
        .map(|t| {
            let form = match edit.take() {
                Some((id, form)) if id == t.id.0 => form,
                other => {
                    edit = other;
                    TemplateForm {
                        title: t.title.clone(),
                        text: t.text.clone(),
                        lang: t.lang.tag().to_owned(),
                        errors: FieldErrors::default(),
                    }
                }
            };
            TemplateRow {
                id: t.id.0.clone(),
                action: format!("{SAVED}/{}", t.id.0),
                lang: t.lang.tag(),
                lang_label: language_label(&i18n, t.lang),
                updated_at: i18n.datetime(&t.updated_at),
                title: t.title,
                text: t.text,
                form,
            }
        })
        .collect();
    let page = SavedPage {
        notice,
        rows,
        new_form: new_form
            .unwrap_or_else(|| TemplateForm { lang: own_lang.tag().to_owned(), ..TemplateForm::default() }),
        langs: [Locale::Ko, Locale::En].iter().map(|l| (l.tag().to_owned(), language_label(&i18n, *l))).collect(),
        title_max: TEMPLATE_TITLE_MAX,
        text_max: REPLY_TEXT_MAX,
        text_help: limit_text(&i18n, "tpl-text-help", REPLY_TEXT_MAX),
        ctx,
    };
    Ok(page.render()?)
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    notice: Option<String>,
}

fn notice_for(i18n: &I18n, word: &str) -> Option<Notice> {
    let key = match word {
        "created" => "tpl-notice-created",
        "updated" => "tpl-notice-updated",
        "deleted" => "tpl-notice-deleted",
        _ => return None,
    };
    Some(Notice::done(i18n.t(key)))
}

async fn saved_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.require_session()?.clone();
    let seller = reply_templates::permit(&session.actor)?;
    let q: SavedQuery = query(&uri)?;
    let notice = q.notice.as_deref().and_then(|word| notice_for(&ctx.i18n, word));
    Ok(Html(render_saved(&state, ctx, &seller, notice, None).await?).into_response())
}

#[derive(Debug, Deserialize)]
struct TemplateBody {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    lang: String,
}

impl TemplateBody {
    fn form(&self, errors: &vocdesk_domain::ValidationErrors, i18n: &I18n) -> TemplateForm {
        TemplateForm {
            title: self.title.clone(),
            text: textarea(&self.text),
            lang: self.lang.clone(),
            errors: field_errors(errors, i18n, REPLY_TEXT_MAX),
        }
    }
}

/// Saves a new reply for the seller.
async fn create(State(state): State<AppState>, ctx: PageCtx, request: Request) -> PageResult {
    let session = ctx.require_session()?.clone();
    let seller = reply_templates::permit(&session.actor)?;
    let form: TemplateBody = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let text = textarea(&form.text);
    match reply_templates::create(state.app(), caller(&session), &seller, &form.title, &text, &form.lang).await {
        Ok(_) => Ok(see_other(&back_to(SAVED, "", "created", "tpl-notice")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let back = FormBack::New(form.form(&errors, &ctx.i18n));
            let notice = Some(Notice::refused(ctx.i18n.t("form-has-errors")));
            let html = render_saved(&state, ctx, &seller, notice, Some(back)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Changes a saved reply of the seller (another seller's is refused, 403).
async fn update(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    let session = ctx.require_session()?.clone();
    let template = reply_templates::permit_change(state.app(), &session.actor, &ReplyTemplateId(id)).await?;
    let form: TemplateBody = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let text = textarea(&form.text);
    match reply_templates::update(state.app(), caller(&session), &template, &form.title, &text, &form.lang).await {
        Ok(_) => Ok(see_other(&back_to(SAVED, "", "updated", "tpl-notice")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let back = FormBack::Edit(template.id.0.clone(), form.form(&errors, &ctx.i18n));
            let notice = Some(Notice::refused(ctx.i18n.t("form-has-errors")));
            let html = render_saved(&state, ctx, &template.seller_id, notice, Some(back)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// Deletes a saved reply of the seller, after the page's confirmation step.
async fn delete(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    let session = ctx.require_session()?.clone();
    let template = reply_templates::permit_change(state.app(), &session.actor, &ReplyTemplateId(id)).await?;
    let form: CsrfForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    reply_templates::delete(state.app(), caller(&session), &template).await?;
    Ok(see_other(&back_to(SAVED, "", "deleted", "tpl-notice")).into_response())
}
