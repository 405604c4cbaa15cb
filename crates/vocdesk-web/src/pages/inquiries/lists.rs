//! The inquiry lists: My inquiries, the developer inbox with its per-app counts, the
//! operator's inquiries and outbox.

use super::*;

/// One inquiry in a list.
pub struct InquiryRow {
    pub id: String,
    pub subject: String,
    pub app_title: String,
    pub customer_name: String,
    pub category: String,
    pub status: &'static str,
    pub status_label: String,
    pub last_activity: String,
    pub due: Option<DueView>,
}

impl InquiryRow {
    fn new(state: &AppState, i18n: &I18n, inquiry: &Inquiry, with_due: bool) -> Self {
        Self {
            id: inquiry.id.0.clone(),
            subject: inquiry.subject.clone(),
            app_title: inquiry.app_title.clone(),
            customer_name: inquiry.customer_name.clone(),
            category: category_label(i18n, inquiry.category),
            status: inquiry.status.as_str(),
            status_label: status_label(i18n, inquiry.status),
            last_activity: i18n.datetime(&inquiry.last_activity_at),
            due: if with_due { due_view(state, i18n, inquiry) } else { None },
        }
    }
}

/// The rows of a list page, with the time left to R5's limit when `with_due`.
pub(in crate::pages) fn rows(state: &AppState, i18n: &I18n, page: &Page<Inquiry>, with_due: bool) -> Vec<InquiryRow> {
    page.items.iter().map(|q| InquiryRow::new(state, i18n, q, with_due)).collect()
}

#[derive(Template)]
#[template(path = "my_inquiries.html")]
pub(super) struct MyInquiriesPage {
    ctx: PageCtx,
    rows: Vec<InquiryRow>,
    next_cursor: Option<String>,
    is_first_page: bool,
}

pub(super) async fn my_inquiries_page(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    // R1: a customer's own list; other roles have their inbox or queue.
    let session = ctx.authorize(|actor| match policy::list_inquiries(actor, None)? {
        InquiryScope::Customer(_) => Ok(()),
        _ => Err(Refusal::Forbidden),
    })?;
    let page = page_request(&query::<PageQuery>(&uri)?, LIST_LIMIT)?;
    let got = inquiries::list(state.app(), &session.actor, None, InquiryFilter::default(), &page).await?;
    // R17/item 3: the customer reads each status in their own words.
    let mut own = rows(&state, &ctx.i18n, &got, false);
    for (row, inquiry) in own.iter_mut().zip(&got.items) {
        row.status_label = customer_status_label(&ctx.i18n, inquiry.status);
    }
    html(&MyInquiriesPage {
        rows: own,
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    })
}

/// The filters of the inbox and the operator's queue, as submitted (GET form).
#[derive(Debug, Default, Deserialize)]
pub(super) struct FilterQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    app_id: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    seller_id: String,
    /// Words to search for (subject, conversation, customer name or number, TID).
    #[serde(default)]
    q: String,
    cursor: Option<String>,
}

impl FilterQuery {
    fn filter(&self) -> Result<InquiryFilter, PageError> {
        let word = |value: &str| Some(value.trim()).filter(|v| !v.is_empty()).map(str::to_owned);
        Ok(InquiryFilter {
            status: word(&self.status).map(|s| InquiryStatus::parse(&s).ok_or(PageError::BadRequest)).transpose()?,
            app_id: word(&self.app_id).map(AppId),
            category: word(&self.category).map(|c| Category::parse(&c).ok_or(PageError::BadRequest)).transpose()?,
            overdue: (self.overdue == "true").then_some(true),
            words: vocdesk_domain::search::SearchQuery::parse(&self.q),
        })
    }

    /// The filters as a query string (without the cursor), for the pager's links.
    fn query_string(&self) -> String {
        let pairs = [
            ("seller_id", &self.seller_id),
            ("status", &self.status),
            ("app_id", &self.app_id),
            ("category", &self.category),
            ("overdue", &self.overdue),
            ("q", &self.q),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// The filter form's choices and what is chosen.
pub struct FilterView {
    pub status: String,
    pub app_id: String,
    pub category: String,
    pub overdue: bool,
    pub seller_id: String,
    /// The search as typed.
    pub q: String,
    /// `(word, label)`.
    pub statuses: Vec<(String, String)>,
    /// `(word, label)`.
    pub categories: Vec<(String, String)>,
    /// `(id, name)`: apps (developer) or sellers (operator).
    pub choices: Vec<(String, String)>,
    /// The pager's query string.
    pub query: String,
    /// How many filters are set, said on the folded filter box's summary (item 8).
    pub active: i64,
}

impl FilterView {
    fn new(q: &FilterQuery, i18n: &I18n, choices: Vec<(String, String)>) -> Self {
        Self {
            status: q.status.clone(),
            app_id: q.app_id.clone(),
            category: q.category.clone(),
            overdue: q.overdue == "true",
            seller_id: q.seller_id.clone(),
            q: q.q.trim().to_owned(),
            statuses: InquiryStatus::ALL.iter().map(|s| (s.as_str().to_owned(), status_label(i18n, *s))).collect(),
            categories: Category::ALL.iter().map(|c| (c.as_str().to_owned(), category_label(i18n, *c))).collect(),
            choices,
            query: q.query_string(),
            active: [&q.status, &q.app_id, &q.category, &q.seller_id, &q.q]
                .iter()
                .filter(|v| !v.trim().is_empty())
                .count() as i64
                + i64::from(q.overdue == "true"),
        }
    }
}

/// R5: an app's unanswered and overdue counts.
pub struct CountRow {
    pub app_id: String,
    pub app_title: String,
    pub unanswered: i64,
    pub overdue: i64,
}

#[derive(Template)]
#[template(path = "developer_inquiries.html")]
pub(super) struct DeveloperInboxPage {
    ctx: PageCtx,
    counts: Vec<CountRow>,
    total_unanswered: i64,
    total_overdue: i64,
    filter: FilterView,
    rows: Vec<InquiryRow>,
    next_cursor: Option<String>,
    is_first_page: bool,
}

/// The developer's seller, after the one policy check of a developer-center page.
pub(in crate::pages) fn own_seller(ctx: &PageCtx) -> Result<(Session, SellerId), PageError> {
    let session = ctx.require_session()?;
    let seller_id = session.user.seller_id.clone().ok_or(PageError::Forbidden)?;
    let session = ctx.authorize(|actor| policy::act_for_seller(actor, &seller_id))?;
    Ok((session.clone(), seller_id))
}

/// Per-app counts of a seller, and their totals (R5).
pub async fn seller_counts(state: &AppState, seller: &SellerId) -> Result<(Vec<CountRow>, i64, i64), PageError> {
    let counts = state.store().inquiry_counts(seller, state.overdue_cutoff()).await?;
    let rows: Vec<CountRow> = counts
        .into_iter()
        .map(|c| CountRow { app_id: c.app_id.0, app_title: c.app_title, unanswered: c.unanswered, overdue: c.overdue })
        .collect();
    let unanswered = rows.iter().map(|r| r.unanswered).sum();
    let overdue = rows.iter().map(|r| r.overdue).sum();
    Ok((rows, unanswered, overdue))
}

pub(super) async fn developer_inbox(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    let (session, seller_id) = own_seller(&ctx)?;
    let q: FilterQuery = query(&uri)?;
    let filter = q.filter()?;
    let page = page_request(&PageQuery { cursor: q.cursor.clone() }, LIST_LIMIT)?;
    let (counts, total_unanswered, total_overdue) = seller_counts(&state, &seller_id).await?;
    let got = inquiries::list(state.app(), &session.actor, Some(&seller_id), filter, &page).await?;
    let apps = counts.iter().map(|c| (c.app_id.clone(), c.app_title.clone())).collect();
    // Issue 13: kept by the browser for reading offline (no payment ids on it).
    html(&DeveloperInboxPage {
        rows: rows(&state, &ctx.i18n, &got, true),
        filter: FilterView::new(&q, &ctx.i18n, apps),
        counts,
        total_unanswered,
        total_overdue,
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    })
    .map(crate::pages::pwa::keep_private)
}

#[derive(Template)]
#[template(path = "operator_inquiries.html")]
pub(super) struct OperatorInquiriesPage {
    ctx: PageCtx,
    filter: FilterView,
    rows: Vec<InquiryRow>,
    next_cursor: Option<String>,
    is_first_page: bool,
}

/// Every seller that lists an app, by name (there is no list of sellers of its own).
pub(super) async fn sellers(state: &AppState) -> Result<Vec<(String, String)>, PageError> {
    Ok(state.store().sellers().await?.into_iter().map(|s| (s.id.0, s.name)).collect())
}

pub(super) async fn operator_inquiries(
    State(state): State<AppState>,
    ctx: PageCtx,
    uri: axum::http::Uri,
) -> PageResult {
    let session = ctx.authorize(policy::operate_store)?.clone();
    let q: FilterQuery = query(&uri)?;
    let filter = q.filter()?;
    let page = page_request(&PageQuery { cursor: q.cursor.clone() }, LIST_LIMIT)?;
    let seller = Some(q.seller_id.trim()).filter(|s| !s.is_empty()).map(|s| SellerId(s.to_owned()));
    let got = inquiries::list(state.app(), &session.actor, seller.as_ref(), filter, &page).await?;
    html(&OperatorInquiriesPage {
        rows: rows(&state, &ctx.i18n, &got, true),
        filter: FilterView::new(&q, &ctx.i18n, sellers(&state).await?),
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        ctx,
    })
}

/// One queued mail (R3).
pub struct OutboxRow {
    pub created_at: String,
    pub kind: String,
    pub to: String,
    pub locale: &'static str,
    pub subject: String,
    pub status: &'static str,
    pub status_label: String,
    pub attempts: i64,
    pub inquiry_id: Option<String>,
    pub body_text: String,
    /// R16: the id the retry form posts to.
    pub id: String,
    /// R16: why the last attempt failed.
    pub last_error: Option<String>,
    /// R16: whether "Send again" is offered (failed for good).
    pub failed: bool,
}

impl OutboxRow {
    fn new(queued: &QueuedMail, i18n: &I18n) -> Self {
        let mail = &queued.mail;
        Self {
            created_at: i18n.datetime(&queued.created_at),
            kind: i18n.t(&format!("mail-kind-{}", mail.kind.as_str())),
            to: mail.to_email.clone(),
            locale: mail.locale.tag(),
            subject: mail.subject.clone(),
            status: queued.status.as_str(),
            status_label: i18n.t(&format!("mail-status-{}", queued.status.as_str())),
            attempts: queued.attempts,
            inquiry_id: mail.inquiry_id.as_ref().map(|i| i.0.clone()),
            body_text: mail.body_text.clone(),
            id: queued.id.0.clone(),
            last_error: queued.last_error.clone(),
            failed: queued.status == MailStatus::Failed,
        }
    }
}

#[derive(Template)]
#[template(path = "operator_outbox.html")]
pub(super) struct OutboxPage {
    ctx: PageCtx,
    status: String,
    /// `(word, label)`.
    statuses: Vec<(String, String)>,
    rows: Vec<OutboxRow>,
    query: String,
    next_cursor: Option<String>,
    is_first_page: bool,
    /// R16: what the retry that redirected here did, in the operator's words.
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct OutboxQuery {
    #[serde(default)]
    status: String,
    cursor: Option<String>,
    #[serde(default)]
    notice: String,
}

pub(super) async fn operator_outbox(State(state): State<AppState>, ctx: PageCtx, uri: axum::http::Uri) -> PageResult {
    ctx.authorize(policy::read_outbox)?;
    let q: OutboxQuery = query(&uri)?;
    let status = match q.status.trim() {
        "" => None,
        word => Some(MailStatus::parse(word).ok_or(PageError::BadRequest)?),
    };
    let page = page_request(&PageQuery { cursor: q.cursor.clone() }, 50)?;
    let got = state.store().outbox(status, &page).await?;
    let statuses = [MailStatus::Pending, MailStatus::Sent, MailStatus::Failed]
        .iter()
        .map(|s| (s.as_str().to_owned(), ctx.i18n.t(&format!("mail-status-{}", s.as_str()))))
        .collect();
    html(&OutboxPage {
        rows: got.items.iter().map(|m| OutboxRow::new(m, &ctx.i18n)).collect(),
        query: status.map(|s| format!("status={}", s.as_str())).unwrap_or_default(),
        status: q.status.trim().to_owned(),
        statuses,
        next_cursor: got.next_cursor.map(|c| c.encode()),
        is_first_page: page.after.is_none(),
        notice: match q.notice.as_str() {
            word @ ("mail_retried" | "mail_not_failed") => Some(ctx.i18n.t(&format!("outbox-notice-{word}"))),
            _ => None,
        },
        ctx,
    })
}

/// R16: the outbox page's "Send again" on a mail that failed for good: operators only,
/// checked before the form is read; back to the outbox saying what happened (a mail
/// that is pending or was sent is not sent again).
pub(super) async fn retry_mail(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(id): Path<String>,
    request: Request,
) -> PageResult {
    let session = ctx.authorize(policy::retry_mail)?.clone();
    let form: CsrfForm = super::super::reviews::read_form(request).await?;
    ctx.check_csrf(&state, &form.csrf)?;
    let notice =
        match vocdesk_app::delivery::retry(state.app(), caller(&session), &vocdesk_domain::ids::OutboxId(id)).await {
            Ok(_) => "status=pending&notice=mail_retried",
            Err(AppError::MailNotFailed(_)) => "notice=mail_not_failed",
            Err(other) => return Err(other.into()),
        };
    Ok(see_other(&format!("/operator/outbox?{notice}")).into_response())
}
