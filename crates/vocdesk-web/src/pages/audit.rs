//! R14: the operator console's audit log, as people read it: who acted by name and
//! email, what they did and through which door in words, links to the thing acted on,
//! and filters by person (name or email), action and date, with signing in and out
//! folded away unless asked. Operators only; anyone else is refused before the query
//! is read.

use askama::Template;
use axum::extract::State;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};
use serde::Deserialize;
use vocdesk_domain::account::EMAIL_MAX;
use vocdesk_domain::audit::{ACTIONS, AuditRecord};
use vocdesk_domain::ids::{InquiryId, PurchaseId, UserId};
use vocdesk_domain::policy;
use vocdesk_store::AuditFilter;

use super::context::{PageCtx, percent_encode};
use super::error::PageError;
use super::inquiries::channel_label;
use super::{PageQuery, PageResult, html, page_request, query};
use crate::i18n::{I18n, action_key, lookup};
use crate::state::AppState;

/// Entries per page of the log.
const PAGE_SIZE: u32 = 50;

/// The operator console's home: its links and the audit log.
#[derive(Template)]
#[template(path = "operator_audit.html")]
pub(super) struct OperatorPage {
    ctx: PageCtx,
    audit: AuditLog,
}

/// What the log section shows: the filters as given, the entries, the pager.
pub(super) struct AuditLog {
    /// The person filter as typed.
    person: String,
    /// The date range as typed (`YYYY-MM-DD`, days in Korea Standard Time).
    from: String,
    to: String,
    /// Whether signing in and out is shown.
    sign_ins: bool,
    /// The action filter's choices: value, words, chosen.
    actions: Vec<ActionOption>,
    /// The narrowing that only links set (one inquiry's, one purchase's or one
    /// account's story), kept by the form as hidden fields.
    hidden: Vec<(&'static str, String)>,
    /// The same in words, each with the address of the log without it.
    narrowed: Vec<(String, String)>,
    /// Whether any filter is set.
    filtered: bool,
    entries: Vec<AuditLine>,
    /// The filters as a query string, for the pager.
    query: String,
    next_cursor: Option<String>,
    is_first_page: bool,
}

/// One choice of the action filter.
pub(super) struct ActionOption {
    value: &'static str,
    label: String,
    selected: bool,
}

/// The log's filters (a GET form, and the links of its entries); they combine.
#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    #[serde(default)]
    person: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    sign_ins: String,
    #[serde(default)]
    inquiry_id: String,
    #[serde(default)]
    purchase_id: String,
    #[serde(default)]
    actor_id: String,
    cursor: Option<String>,
}

/// The filters read and checked: a malformed one is a 400 page that reads nothing.
struct Checked {
    filter: AuditFilter,
    sign_ins: bool,
    /// Every filter given, trimmed, for the form and the pager: `(name, value)`.
    given: Vec<(&'static str, String)>,
}

impl AuditQuery {
    fn check(&self) -> Result<Checked, PageError> {
        let word = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        let person = word(&self.person);
        if person.as_ref().is_some_and(|p| p.chars().count() > EMAIL_MAX) {
            return Err(PageError::BadRequest);
        }
        let action = word(&self.action);
        if action.as_deref().is_some_and(|a| !ACTIONS.contains(&a)) {
            return Err(PageError::BadRequest);
        }
        let from = word(&self.from).map(|d| start_of_day(&d, 0)).transpose()?;
        // The "to" day is included: entries before the start of the day after it.
        let until = word(&self.to).map(|d| start_of_day(&d, 1)).transpose()?;
        let sign_ins = match self.sign_ins.trim() {
            "" => false,
            "1" | "on" | "true" => true,
            _ => return Err(PageError::BadRequest),
        };
        let given = [
            ("person", &self.person),
            ("action", &self.action),
            ("from", &self.from),
            ("to", &self.to),
            ("sign_ins", &self.sign_ins),
            ("inquiry_id", &self.inquiry_id),
            ("purchase_id", &self.purchase_id),
            ("actor_id", &self.actor_id),
        ]
        .into_iter()
        .filter_map(|(name, value)| word(value).map(|v| (name, v)))
        .collect();
        let filter = AuditFilter {
            subject: None,
            inquiry: word(&self.inquiry_id).map(InquiryId),
            purchase: word(&self.purchase_id).map(PurchaseId),
            actor: word(&self.actor_id).map(UserId),
            person,
            action,
            from,
            until,
            hide_sign_ins: !sign_ins,
        };
        Ok(Checked { filter, sign_ins, given })
    }
}

/// The start of `date` plus `days` in the store's zone (Korea Standard Time, as every
/// time on the pages is shown).
fn start_of_day(date: &str, days: i64) -> Result<Timestamp, PageError> {
    let date: Date = date.parse().map_err(|_| PageError::BadRequest)?;
    let date = date.checked_add(jiff::Span::new().days(days)).map_err(|_| PageError::BadRequest)?;
    let zoned = date.to_zoned(TimeZone::fixed(offset(9))).map_err(|_| PageError::BadRequest)?;
    Ok(zoned.timestamp())
}

/// `pairs` as a query string.
fn query_string(pairs: &[(&'static str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// `/operator` with `pairs`.
fn log_address(pairs: &[(&'static str, String)]) -> String {
    if pairs.is_empty() { "/operator/audit".to_owned() } else { format!("/operator/audit?{}", query_string(pairs)) }
}

/// `GET /operator`: the console's links and the audit log.
pub(super) async fn operator_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    ctx.authorize(policy::operate_store)?;
    let q: AuditQuery = query(&uri)?;
    let checked = q.check()?;
    let page = page_request(&PageQuery { cursor: q.cursor.clone() }, PAGE_SIZE)?;
    let entries = state.store().audit_log(&checked.filter, &page).await?;
    let i18n = ctx.i18n;
    let mut actions: Vec<ActionOption> = ACTIONS
        .iter()
        .map(|a| ActionOption {
            value: a,
            label: i18n.t(&action_key(a)),
            selected: checked.filter.action.as_deref() == Some(*a),
        })
        .collect();
    actions.sort_by(|a, b| a.label.cmp(&b.label));
    let first = entries.items.first();
    let mut narrowed = Vec::new();
    let mut hidden = Vec::new();
    for (name, value) in &checked.given {
        let words = match *name {
            "inquiry_id" => {
                first.and_then(|r| r.context.inquiry_subject.clone()).map(|s| i18n.with("audit-only-inquiry", &s))
            }
            "purchase_id" => {
                first.and_then(|r| r.context.purchase_app_title.clone()).map(|t| i18n.with("audit-only-purchase", &t))
            }
            "actor_id" => first.and_then(|r| r.context.actor_name.clone()).map(|n| i18n.with("audit-only-actor", &n)),
            _ => continue,
        };
        let without: Vec<_> = checked.given.iter().filter(|(n, _)| n != name).cloned().collect();
        narrowed.push((words.unwrap_or_else(|| i18n.t("audit-only-something")), log_address(&without)));
        hidden.push((*name, value.clone()));
    }
    let audit = AuditLog {
        person: q.person.trim().to_owned(),
        from: q.from.trim().to_owned(),
        to: q.to.trim().to_owned(),
        sign_ins: checked.sign_ins,
        actions,
        hidden,
        narrowed,
        filtered: !checked.given.is_empty(),
        entries: entries.items.iter().map(|e| AuditLine::new(e, &i18n)).collect(),
        query: query_string(&checked.given),
        next_cursor: entries.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
    };
    html(&OperatorPage { ctx, audit })
}

/// A link of an entry to what it was about.
pub(super) struct AuditLink {
    href: String,
    text: String,
    /// `audit-thing` (the thing itself) or `audit-story` (the log narrowed to it).
    class: &'static str,
}

/// R14: one entry as the log shows it.
pub(super) struct AuditLine {
    /// When, in Korea Standard Time.
    at: String,
    /// The stored action, for the row's `data-action` (never shown).
    action: String,
    /// The action in words.
    action_label: String,
    /// Who: a person's name, or the part of the store that acted.
    actor: String,
    /// A person's role and email.
    actor_detail: Option<String>,
    /// "Only what this person did": the log filtered by their email.
    actor_href: Option<String>,
    /// The kind of thing acted on, in words.
    subject_label: String,
    /// The thing, and the log narrowed to its inquiry or purchase.
    links: Vec<AuditLink>,
    /// R2: the door it came by, in words.
    channel: String,
}

impl AuditLine {
    fn new(record: &AuditRecord, i18n: &I18n) -> Self {
        let e = &record.entry;
        let context = &record.context;
        let role = e.actor.role.map(|r| i18n.t(&format!("role-{}", r.as_str())));
        let (actor, actor_detail) = match (&e.actor.user_id, &e.actor.label) {
            (Some(_), _) => {
                let name = context.actor_name.clone().unwrap_or_else(|| i18n.t("audit-actor-unknown"));
                let detail = [role, context.actor_email.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                (name, Some(detail).filter(|d| !d.is_empty()))
            }
            (None, Some(label)) => (system_actor(i18n, label), None),
            (None, None) => ("-".to_owned(), None),
        };
        let actor_href = context.actor_email.as_ref().map(|email| log_address(&[("person", email.clone())]));
        Self {
            at: i18n.datetime(&record.at),
            action: e.action.clone(),
            action_label: lookup(i18n.locale, &action_key(&e.action)).unwrap_or_else(|| e.action.clone()),
            actor,
            actor_detail,
            actor_href,
            subject_label: lookup(i18n.locale, &format!("audit-subject-{}", e.subject_type))
                .unwrap_or_else(|| e.subject_type.clone()),
            links: links(record, i18n),
            channel: channel_label(i18n, e.channel),
        }
    }
}

/// The part of the store that acted (a policy, the mail intake, an import), in words.
fn system_actor(i18n: &I18n, label: &str) -> String {
    lookup(i18n.locale, &format!("audit-system-{}", label.replace(':', "-")))
        .unwrap_or_else(|| i18n.with("audit-system-other", label))
}

/// The links of an entry: the inquiry it belongs to (and its story), the purchase's
/// story, or the page of the thing itself.
fn links(record: &AuditRecord, i18n: &I18n) -> Vec<AuditLink> {
    let e = &record.entry;
    let inquiry = record.context.inquiry_id.as_ref().map(|i| i.0.clone());
    let purchase = record.context.purchase_id.as_ref().map(|p| p.0.clone());
    let thing = |href: String, key: &str| AuditLink { href, text: i18n.t(key), class: "audit-thing" };
    let mut out = Vec::new();
    if let Some(inquiry) = inquiry {
        let text = record.context.inquiry_subject.clone().unwrap_or_else(|| i18n.t("audit-open-inquiry"));
        out.push(AuditLink { href: format!("/inquiries/{}", percent_encode(&inquiry)), text, class: "audit-thing" });
        let href = log_address(&[("inquiry_id", inquiry)]);
        out.push(AuditLink { href, text: i18n.t("audit-inquiry-story"), class: "audit-story" });
    }
    if let Some(purchase) = purchase {
        let text = match &record.context.purchase_app_title {
            Some(title) => format!("{} · {title}", i18n.t("audit-purchase-story")),
            None => i18n.t("audit-purchase-story"),
        };
        out.push(AuditLink { href: log_address(&[("purchase_id", purchase)]), text, class: "audit-story" });
    }
    let id = percent_encode(&e.subject_id);
    let detail_app = || {
        serde_json::from_str::<serde_json::Value>(&e.detail)
            .ok()
            .and_then(|d| d.get("app_id").and_then(|a| a.as_str()).map(percent_encode))
    };
    match e.subject_type.as_str() {
        _ if e.subject_id.is_empty() => {}
        "app" => out.push(thing(format!("/apps/{id}"), "audit-open-app")),
        "review" => match detail_app() {
            Some(app) => out.push(thing(format!("/apps/{app}"), "audit-open-app")),
            None => out.push(thing("/operator/moderation".to_owned(), "audit-open-queue")),
        },
        "review_report" => out.push(thing("/operator/moderation".to_owned(), "audit-open-queue")),
        "inbound_mail" | "address" => out.push(thing("/operator/mail".to_owned(), "audit-open-queue")),
        "outbox" => out.push(thing("/operator/outbox".to_owned(), "audit-open-queue")),
        "cancellation_request" => out.push(thing("/operator/cancellation-requests".to_owned(), "audit-open-queue")),
        "user" => out.push(AuditLink {
            href: log_address(&[("actor_id", e.subject_id.clone())]),
            text: i18n.t("audit-their-entries"),
            class: "audit-story",
        }),
        _ => {}
    }
    out
}
