//! The operator console's held-mail page (R15, R16): the mail that waits for an
//! operator, the longest waiting first, each with its sender (From and envelope), its
//! recipient, its subject, why it is held in words and what processing noticed, a link
//! to the inquiry when one is known and to the original (.eml); forms that put it into
//! its thread or discard it; a tab with everything received and what became of it; and
//! the addresses that bounced, each with a form that clears it.
//!
//! Operators only (403 for anyone else), asked through [`policy::work_inbound_mail`]
//! before any form is read. Each form checks CSRF, calls the use case the JSON API
//! calls too ([`vocdesk_app::inbound`]) and returns to the page saying what happened.
//! Mail is anyone's words to anyone: the page and the originals are sent `no-store`.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;
use vocdesk_app::{AppError, inbound};
use vocdesk_domain::ids::{InboundId, UserId};
use vocdesk_domain::inbound::{HoldReason, InboundMail, InboundStatus};
use vocdesk_domain::policy;
use vocdesk_store::BouncingAddress;

use super::console_views::Notice;
use super::context::{PageCtx, percent_encode};
use super::error::PageError;
use super::inquiries::caller;
use super::reviews::read_form;
use super::{PageQuery, PageResult, page_request, query};
use crate::headers::see_other;
use crate::i18n::I18n;
use crate::state::AppState;

/// The page's address.
const PAGE: &str = "/operator/mail";
/// Mails per page.
const MAILS_PER_PAGE: u32 = 30;

/// The page's routes. The `GET` of each form's address leads back to the page, so that
/// a language switch or a reload after a form lands somewhere sensible.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PAGE, get(mail_page))
        .route("/operator/mail/{id}/raw", get(original))
        .route("/operator/mail/{id}/release", get(to_page).post(release))
        .route("/operator/mail/{id}/discard", get(to_page).post(discard))
        .route("/operator/mail/bouncing/clear", get(to_page).post(clear_bouncing))
}

async fn to_page() -> Redirect {
    see_other(PAGE)
}

/// Which list the page shows: what waits (the work to do), or everything received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    Waiting,
    All,
}

impl View {
    /// From `?view=`; absent or empty is the queue, anything unknown a bad request.
    fn parse(word: &str) -> Result<Self, PageError> {
        match word.trim() {
            "" | "waiting" => Ok(View::Waiting),
            "all" => Ok(View::All),
            _ => Err(PageError::BadRequest),
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            View::Waiting => "waiting",
            View::All => "all",
        }
    }
}

/// The words of a received mail's status (`mail-in-status-held`, ...).
fn status_label(i18n: &I18n, status: InboundStatus) -> String {
    i18n.t(&format!("mail-in-status-{}", status.as_str()))
}

/// The words of why a mail is held (`hold-reason-not_from_token_holder`, ...): an
/// operator reads a sentence, never the stored word.
fn reason_label(i18n: &I18n, reason: HoldReason) -> String {
    i18n.t(&format!("hold-reason-{}", reason.as_str()))
}

/// One received mail as a card of the page.
pub struct MailCard {
    /// The id the forms and the original's link name.
    pub id: String,
    /// When it arrived, in the operator's language.
    pub received_at: String,
    /// The From address, or words saying there was not exactly one.
    pub from: String,
    /// The envelope sender, or words saying there was none.
    pub envelope: String,
    /// The reply or support address it was sent to, which says what it answers.
    pub recipient: String,
    /// The decoded subject (escaped by the template), or words saying it had none.
    pub subject: String,
    /// The original's size, so an operator knows what the download is.
    pub size: String,
    /// The stored word, for the badge's class.
    pub status: &'static str,
    /// What became of it, in words.
    pub status_label: String,
    /// The stored word of the hold reason, for the card's class.
    pub reason: Option<&'static str>,
    /// Why it is held, in words.
    pub reason_label: Option<String>,
    /// What processing noticed, as it noted it.
    pub detail: Option<String>,
    /// The thread it joined or names, linked so the operator can read the context.
    pub inquiry_id: Option<String>,
    /// Who decided it and when, for a mail an operator decided.
    pub decided: Option<String>,
    /// Whether the release and discard forms are offered.
    pub waiting: bool,
}

impl MailCard {
    fn new(mail: &InboundMail, i18n: &I18n, names: &HashMap<UserId, String>) -> Self {
        let decided = mail.decided_at.map(|at| {
            let who = mail.decided_by.as_ref().and_then(|u| names.get(u)).cloned().unwrap_or_else(|| "-".to_owned());
            format!("{who} · {}", i18n.datetime(&at))
        });
        Self {
            id: mail.id.0.clone(),
            received_at: i18n.datetime(&mail.received_at),
            from: mail.from_address.clone().unwrap_or_else(|| i18n.t("mail-from-none")),
            envelope: match mail.envelope_from.as_deref().map(str::trim) {
                Some(envelope) if !envelope.is_empty() => envelope.to_owned(),
                _ => i18n.t("mail-envelope-none"),
            },
            recipient: mail.recipient.clone(),
            subject: if mail.subject.trim().is_empty() { i18n.t("mail-subject-none") } else { mail.subject.clone() },
            size: size_words(mail.size),
            status: mail.status.as_str(),
            status_label: status_label(i18n, mail.status),
            reason: mail.reason.map(HoldReason::as_str),
            reason_label: mail.reason.map(|r| reason_label(i18n, r)),
            detail: mail.detail.clone().filter(|d| !d.trim().is_empty()),
            inquiry_id: mail.inquiry_id.as_ref().map(|i| i.0.clone()),
            decided,
            waiting: mail.status.awaits_operator(),
        }
    }
}

/// A size for people: "812 B", "12.3 KB", "4.0 MB".
fn size_words(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// One bouncing address (R16).
pub struct BouncingRow {
    /// The address, which the clear form posts back.
    pub email: String,
    /// Since when no mail goes to it.
    pub since: String,
    /// The delivery report's words.
    pub reason: String,
}

impl BouncingRow {
    fn new(address: &BouncingAddress, i18n: &I18n) -> Self {
        Self { email: address.email.clone(), since: i18n.datetime(&address.since), reason: address.reason.clone() }
    }
}

#[derive(Template)]
#[template(path = "operator_mail.html")]
struct MailPage {
    ctx: PageCtx,
    /// `waiting` or `all`, handed back by the forms.
    view: &'static str,
    notice: Option<Notice>,
    /// The inquiry a release put the mail into, linked from the notice.
    notice_inquiry: Option<String>,
    cards: Vec<MailCard>,
    bouncing: Vec<BouncingRow>,
    query: String,
    next_cursor: Option<String>,
    is_first_page: bool,
}

#[derive(Debug, Deserialize)]
struct MailQuery {
    #[serde(default)]
    view: String,
    cursor: Option<String>,
    #[serde(default)]
    notice: String,
    #[serde(default)]
    why: String,
    #[serde(default)]
    inquiry: String,
}

/// What the form that redirected here did, in the operator's words; an unknown word
/// shows nothing rather than itself.
fn notice_of(i18n: &I18n, q: &MailQuery) -> Option<Notice> {
    Some(match q.notice.as_str() {
        "released" => Notice::done(i18n.t("mail-notice-released")),
        "discarded" => Notice::done(i18n.t("mail-notice-discarded")),
        "bouncing_cleared" => Notice::done(i18n.t("mail-notice-bouncing-cleared")),
        "bouncing_unknown" => Notice::refused(i18n.t("mail-notice-bouncing-unknown")),
        "not_releasable" => Notice::refused(i18n.with("mail-notice-not-releasable", &why_words(i18n, &q.why))),
        _ => return None,
    })
}

/// Why a mail could not be released, in words: the reason it is still held, or what
/// stands in the way.
fn why_words(i18n: &I18n, why: &str) -> String {
    match why {
        "decided" | "unreadable" | "no_thread" => i18n.t(&format!("mail-why-{why}")),
        other => match HoldReason::parse(other) {
            Some(reason) => reason_label(i18n, reason),
            None => i18n.t("mail-why-other"),
        },
    }
}

/// The word a refused release or discard is told back with (see
/// [`AppError::MailNotReleasable`]): one the page knows how to say.
fn why_word(why: &str) -> &'static str {
    match why {
        "it was decided already" => "decided",
        "it cannot be read as a mail" => "unreadable",
        "its recipient names no thread" => "no_thread",
        other => HoldReason::parse(other).map_or("other", HoldReason::as_str),
    }
}

async fn mail_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let session = ctx.authorize(policy::work_inbound_mail)?.clone();
    let q: MailQuery = query(&uri)?;
    let view = View::parse(&q.view)?;
    let page = page_request(&PageQuery { cursor: q.cursor.clone() }, MAILS_PER_PAGE)?;
    let got = inbound::list(state.app(), &session.actor, view == View::Waiting, &page).await?;
    let mut names = HashMap::new();
    for id in got.items.iter().filter_map(|m| m.decided_by.as_ref()) {
        if !names.contains_key(id)
            && let Some(user) = state.store().user(id).await?
        {
            names.insert(id.clone(), user.display_name);
        }
    }
    let bouncing = inbound::bouncing(state.app(), &session.actor).await?;
    let i18n = ctx.i18n;
    let notice_inquiry = (q.notice == "released" && !q.inquiry.trim().is_empty()).then(|| q.inquiry.trim().to_owned());
    let page = MailPage {
        view: view.as_str(),
        notice: notice_of(&i18n, &q),
        notice_inquiry,
        cards: got.items.iter().map(|m| MailCard::new(m, &i18n, &names)).collect(),
        bouncing: bouncing.iter().map(|b| BouncingRow::new(b, &i18n)).collect(),
        query: format!("view={}", view.as_str()),
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(page.render()?)).into_response())
}

/// R15: the original of a received mail, for operators, as the API's `raw` serves it.
async fn original(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>) -> PageResult {
    let session = ctx.authorize(policy::work_inbound_mail)?;
    let id = InboundId(id);
    let bytes = inbound::raw(state.app(), &session.actor, &id).await?;
    Ok(crate::api::eml_download(&id, bytes))
}

/// A release or discard form: the CSRF token and the list it came from.
#[derive(Debug, Deserialize)]
struct DecisionForm {
    // Defaulted, so that a form without a token is refused as CSRF (403), not as a
    // malformed body.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    view: String,
}

/// The page's address with `view` and what a form did.
fn back_to(view: &str, notice: &str) -> String {
    let view = View::parse(view).unwrap_or(View::Waiting);
    format!("{PAGE}?view={}&{notice}", view.as_str())
}

/// R15: "Put into the thread": operators only, checked before the form is read.
async fn release(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    let session = ctx.authorize(policy::work_inbound_mail)?.clone();
    let form: DecisionForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let notice = match inbound::release(state.app(), caller(&session), &InboundId(id)).await {
        Ok((_, inquiry)) => format!("notice=released&inquiry={}", percent_encode(&inquiry.0)),
        Err(AppError::MailNotReleasable(why)) => format!("notice=not_releasable&why={}", why_word(why)),
        Err(other) => return Err(other.into()),
    };
    Ok(see_other(&back_to(&form.view, &notice)).into_response())
}

/// R15: "Discard": operators only, checked before the form is read.
async fn discard(State(state): State<AppState>, ctx: PageCtx, Path(id): Path<String>, request: Request) -> PageResult {
    let session = ctx.authorize(policy::work_inbound_mail)?.clone();
    let form: DecisionForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let notice = match inbound::discard(state.app(), caller(&session), &InboundId(id)).await {
        Ok(_) => "notice=discarded".to_owned(),
        Err(AppError::MailNotReleasable(why)) => format!("notice=not_releasable&why={}", why_word(why)),
        Err(other) => return Err(other.into()),
    };
    Ok(see_other(&back_to(&form.view, &notice)).into_response())
}

/// The "Clear" form of a bouncing address.
#[derive(Debug, Deserialize)]
struct ClearForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    view: String,
}

/// R16: "Clear": mail goes to the address again. Operators only, checked before the
/// form is read; an address that is not bouncing is told back, not an error page.
async fn clear_bouncing(State(state): State<AppState>, ctx: PageCtx, request: Request) -> PageResult {
    let session = ctx.authorize(policy::work_inbound_mail)?.clone();
    let form: ClearForm = read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let notice = match inbound::clear_bouncing(state.app(), caller(&session), form.email.trim()).await {
        Ok(()) => "notice=bouncing_cleared",
        Err(AppError::NotFound) => "notice=bouncing_unknown",
        Err(other) => return Err(other.into()),
    };
    Ok(see_other(&format!("{}#bouncing", back_to(&form.view, notice))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vocdesk_domain::locale::Locale;

    #[test]
    fn every_status_and_hold_reason_has_words_in_both_languages() {
        for locale in [Locale::Ko, Locale::En] {
            let i18n = I18n { locale };
            for reason in HoldReason::ALL {
                let words = reason_label(&i18n, reason);
                assert!(!words.starts_with("hold-reason-") && !words.contains('_'), "{reason:?} in {locale:?}");
            }
            for status in InboundStatus::ALL {
                assert!(!status_label(&i18n, status).starts_with("mail-in-status-"), "{status:?} in {locale:?}");
            }
            for why in ["decided", "unreadable", "no_thread", "other", "refused"] {
                assert!(!why_words(&i18n, why).starts_with("mail-why-"), "{why} in {locale:?}");
            }
        }
    }

    #[test]
    fn a_refused_release_is_told_back_with_a_word_the_page_knows() {
        assert_eq!(why_word("it was decided already"), "decided");
        assert_eq!(why_word("its recipient names no thread"), "no_thread");
        assert_eq!(why_word("not_allowed"), "not_allowed");
        assert_eq!(why_word("<script>"), "other");
    }
}
