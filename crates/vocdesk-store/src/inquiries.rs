//! Inquiries (R1-R4): threads, messages and attachments, the R4 status kept under the
//! inquiry's row lock, the inbox order (R5).

use jiff::Timestamp;
use vocdesk_domain::attachment::AttachmentMeta;
use vocdesk_domain::ids::{AppId, AttachmentId, InquiryId, SellerId};
use vocdesk_domain::inquiry::{
    AppInquiryCounts, Event, Inquiry, InquiryScope, InquiryStatus, Message, NewInquiry, NewMessage, Side, Thread,
    ThreadState, inbox_rank,
};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Page, PageRequest};

use crate::audit::{entry, write_audit};
use crate::db::{Db, SqlBuilder, query};
use crate::outbox::queue_mails;
use crate::rows::{self, AttachmentRow, InquiryRow, MessageRow, millis};
use crate::search;
use crate::{Acting, InquiryQuery, MessageOutcome, StoreError, StoreResult};

pub(crate) async fn fetch_inquiry(db: &mut dyn Db, id: &str) -> StoreResult<Option<Inquiry>> {
    let row: Option<InquiryRow> =
        query(concat!(inquiry_select!(), "WHERE q.id = $1")).bind(id).fetch_optional(db).await?;
    row.map(Inquiry::try_from).transpose()
}

pub(crate) async fn fetch_message(db: &mut dyn Db, id: &str) -> StoreResult<Message> {
    let row: MessageRow = query(concat!(message_select!(), "WHERE m.id = $1")).bind(id).fetch_one(db).await?;
    let mut message = Message::try_from(row)?;
    let attachments: Vec<AttachmentRow> = query(
        "SELECT message_id, id, filename, content_type, size, sha256 FROM attachments \
         WHERE message_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    message.attachments = attachments.into_iter().map(AttachmentMeta::from).collect();
    Ok(message)
}

/// Writes a message at position `seq` with its attachments' rows.
pub(crate) async fn insert_message(
    db: &mut dyn Db,
    inquiry_id: &str,
    seq: i64,
    message: &NewMessage,
    now: Timestamp,
) -> StoreResult<()> {
    query(
        "INSERT INTO inquiry_messages (id, inquiry_id, seq, author_id, side, channel, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&message.id.0)
    .bind(inquiry_id)
    .bind(seq)
    .bind(&message.author_id.0)
    .bind(message.side.as_str())
    .bind(message.channel.as_str())
    .bind(&message.body)
    .bind(millis(now))
    .execute(db)
    .await?;
    search::index_text(db, inquiry_id, &message.body).await?;
    for (position, file) in message.attachments.iter().enumerate() {
        query(
            "INSERT INTO attachments (id, inquiry_id, message_id, position, filename, content_type, size, \
             sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&file.id.0)
        .bind(inquiry_id)
        .bind(&message.id.0)
        .bind(position as i64)
        .bind(&file.filename)
        .bind(&file.content_type)
        .bind(file.size)
        .bind(&file.sha256)
        .bind(millis(now))
        .execute(db)
        .await?;
    }
    Ok(())
}

/// R1/R9: writes a new inquiry's row, with its app's seller copied onto it, and its
/// first message at position 1, inside the caller's transaction; `NotFound` when
/// the app does not exist. `state` is where the thread starts (`awaiting_developer`
/// for a customer's inquiry, `awaiting_customer` for a developer's R9 record).
pub(crate) async fn insert_inquiry(
    db: &mut dyn Db,
    new: &NewInquiry,
    state: &ThreadState,
    first_response_at: Option<Timestamp>,
    now: Timestamp,
) -> StoreResult<()> {
    let seller: Option<(String,)> =
        query("SELECT seller_id FROM apps WHERE id = $1").bind(&new.app_id.0).fetch_optional(db).await?;
    let Some((seller_id,)) = seller else { return Err(StoreError::NotFound) };
    query(
        "INSERT INTO inquiries (id, app_id, seller_id, customer_id, purchase_id, category, subject, \
         status, awaiting_since, channel, consent_personal_info, consent_at, message_count, created_at, \
         first_response_at, last_activity_at, closed_at, inbox_rank) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $13, NULL, $15)",
    )
    .bind(&new.id.0)
    .bind(&new.app_id.0)
    .bind(&seller_id)
    .bind(&new.customer_id.0)
    .bind(new.purchase_id.as_ref().map(|p| p.0.clone()))
    .bind(new.category.as_str())
    .bind(&new.subject)
    .bind(state.status.as_str())
    .bind(state.awaiting_since.map(millis))
    .bind(new.channel.as_str())
    .bind(new.consent_personal_info)
    .bind(new.consent_personal_info.then(|| millis(now)))
    .bind(millis(now))
    .bind(first_response_at.map(millis))
    .bind(inbox_rank(state, now))
    .execute(db)
    .await?;
    search::index_inquiry(db, &new.id.0).await?;
    insert_message(db, &new.id.0, 1, &new.first_message, now).await
}

/// Takes the inquiry's row lock (PostgreSQL; SQLite has one writer) and answers
/// its R4/R5 state, message count and first response time.
pub(crate) async fn lock_inquiry(db: &mut dyn Db, id: &str) -> StoreResult<Option<(ThreadState, i64, Option<i64>)>> {
    let row: Option<(String, Option<i64>, i64, Option<i64>)> = query(
        "UPDATE inquiries SET message_count = message_count WHERE id = $1 \
         RETURNING status, awaiting_since, message_count, first_response_at",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Some((status, since, count, first_response)) = row else { return Ok(None) };
    let status = InquiryStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?;
    let state = ThreadState { status, awaiting_since: since.map(rows::timestamp).transpose()? };
    Ok(Some((state, count, first_response)))
}

/// Stores a thread's new R4/R5 state and its inbox position; R17: while the store has
/// the turn, the message count when it got it.
pub(crate) async fn save_state(
    db: &mut dyn Db,
    id: &str,
    state: &ThreadState,
    message_count: i64,
    first_response_at: Option<i64>,
    now: Timestamp,
) -> StoreResult<()> {
    let closed_at = (state.status == InquiryStatus::Closed).then(|| millis(now));
    query(
        "UPDATE inquiries SET status = $1, awaiting_since = $2, message_count = $3, \
         first_response_at = $4, last_activity_at = $5, closed_at = $6, inbox_rank = $7, \
         reminder_sent_at = CASE WHEN awaiting_since IS NOT DISTINCT FROM $2 THEN reminder_sent_at ELSE NULL END, \
         overdue_pushed_at = CASE WHEN awaiting_since IS NOT DISTINCT FROM $2 THEN overdue_pushed_at ELSE NULL END, \
         store_asked_seq = CASE WHEN $1 = 'awaiting_store' THEN COALESCE(store_asked_seq, $3) ELSE NULL END \
         WHERE id = $8",
    )
    .bind(state.status.as_str())
    .bind(state.awaiting_since.map(millis))
    .bind(message_count)
    .bind(first_response_at)
    .bind(millis(now))
    .bind(closed_at)
    .bind(inbox_rank(state, now))
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

pub(crate) async fn create_inquiry(
    db: &mut dyn Db,
    new: &NewInquiry,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<Thread> {
    let state = ThreadState::opened(now);
    insert_inquiry(db, new, &state, None, now).await?;
    queue_mails(db, mails, now).await?;
    let detail = serde_json::json!({
        "app_id": new.app_id.0,
        "category": new.category.as_str(),
        "purchase_id": new.purchase_id.as_ref().map(|p| &p.0),
        "consent_personal_info": new.consent_personal_info,
        "message_id": new.first_message.id.0,
        "attachments": new.first_message.attachments.len(),
        "mails_queued": mails.len(),
        "status": state.status.as_str(),
    });
    write_audit(db, &entry(acting, "inquiry.created", "inquiry", &new.id.0, detail), now).await?;
    thread(db, &new.id).await?.ok_or(StoreError::NotFound)
}

pub(crate) async fn add_message(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    message: &NewMessage,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<MessageOutcome> {
    let Some((before, count, first_response)) = lock_inquiry(db, &inquiry.0).await? else {
        return Err(StoreError::NotFound);
    };
    let after = match before.after(Event::Message(message.side), now) {
        Ok(after) => after,
        Err(refused) => return Ok(MessageOutcome::Refused(refused)),
    };
    let seq = count + 1;
    let first_response = match message.side {
        Side::Developer => first_response.or(Some(millis(now))),
        Side::Customer => first_response,
    };
    save_state(db, &inquiry.0, &after, seq, first_response, now).await?;
    insert_message(db, &inquiry.0, seq, message, now).await?;
    queue_mails(db, mails, now).await?;
    let detail = serde_json::json!({
        "message_id": message.id.0,
        "seq": seq,
        "side": message.side.as_str(),
        "from": before.status.as_str(),
        "to": after.status.as_str(),
        "attachments": message.attachments.len(),
        "mails_queued": mails.len(),
    });
    write_audit(db, &entry(acting, "inquiry.message_added", "inquiry", &inquiry.0, detail), now).await?;
    let updated = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
    let stored = fetch_message(db, &message.id.0).await?;
    Ok(MessageOutcome::Added { inquiry: Box::new(updated), message: Box::new(stored) })
}

pub(crate) async fn close_inquiry(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    side: Side,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<(Inquiry, bool)> {
    let Some((before, count, first_response)) = lock_inquiry(db, &inquiry.0).await? else {
        return Err(StoreError::NotFound);
    };
    if before.status == InquiryStatus::Closed {
        let unchanged = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
        return Ok((unchanged, false));
    }
    let after =
        before.after(Event::Close(side), now).map_err(|e| StoreError::Corrupt(format!("closing refused: {e}")))?;
    save_state(db, &inquiry.0, &after, count, first_response, now).await?;
    let detail = serde_json::json!({
        "side": side.as_str(),
        "from": before.status.as_str(),
        "to": after.status.as_str(),
    });
    write_audit(db, &entry(acting, "inquiry.closed", "inquiry", &inquiry.0, detail), now).await?;
    let updated = fetch_inquiry(db, &inquiry.0).await?.ok_or(StoreError::NotFound)?;
    Ok((updated, true))
}

pub(crate) async fn inquiry(db: &mut dyn Db, id: &InquiryId) -> StoreResult<Option<Inquiry>> {
    fetch_inquiry(db, &id.0).await
}

pub(crate) async fn thread(db: &mut dyn Db, id: &InquiryId) -> StoreResult<Option<Thread>> {
    let Some(inquiry) = fetch_inquiry(db, &id.0).await? else { return Ok(None) };
    let rows: Vec<MessageRow> =
        query(concat!(message_select!(), "WHERE m.inquiry_id = $1 ORDER BY m.seq")).bind(&id.0).fetch_all(db).await?;
    let mut messages: Vec<Message> = rows::convert(rows)?;
    let files: Vec<AttachmentRow> = query(
        "SELECT message_id, id, filename, content_type, size, sha256 FROM attachments \
         WHERE inquiry_id = $1 ORDER BY message_id, position",
    )
    .bind(&id.0)
    .fetch_all(db)
    .await?;
    for file in files {
        if let Some(message) = messages.iter_mut().find(|m| m.id.0 == file.message_id) {
            message.attachments.push(AttachmentMeta::from(file));
        }
    }
    Ok(Some(Thread { inquiry, messages }))
}

pub(crate) async fn list_inquiries(
    db: &mut dyn Db,
    query: &InquiryQuery,
    page: &PageRequest,
) -> StoreResult<Page<Inquiry>> {
    let mut sql = SqlBuilder::new(concat!(inquiry_select!(), "WHERE 1 = 1"));
    match &query.scope {
        InquiryScope::Customer(customer) => {
            sql.push(" AND q.customer_id = ").push_bind(customer.0.clone());
        }
        InquiryScope::Seller(seller) => {
            sql.push(" AND q.seller_id = ").push_bind(seller.0.clone());
        }
        InquiryScope::All => {}
    }
    if let Some(status) = query.filter.status {
        sql.push(" AND q.status = ").push_bind(status.as_str());
    }
    if let Some(app) = &query.filter.app_id {
        sql.push(" AND q.app_id = ").push_bind(app.0.clone());
    }
    if let Some(category) = query.filter.category {
        sql.push(" AND q.category = ").push_bind(category.as_str());
    }
    if let Some(words) = &query.filter.words {
        let seller = match &query.scope {
            InquiryScope::Seller(seller) => Some(seller.0.as_str()),
            _ => None,
        };
        let plan = search::plan(db, words, seller).await?;
        search::push_condition(&mut sql, words, seller, plan);
    }
    let cutoff = millis(query.overdue_cutoff);
    match query.filter.overdue {
        Some(true) => {
            sql.push(" AND q.awaiting_since IS NOT NULL AND q.awaiting_since < ").push_bind(cutoff);
        }
        Some(false) => {
            sql.push(" AND (q.awaiting_since IS NULL OR q.awaiting_since >= ").push_bind(cutoff).push(")");
        }
        None => {}
    }
    let by_activity = matches!(query.scope, InquiryScope::Customer(_));
    if by_activity {
        let (key, id) = rows::start_of_descending(page.after.as_ref());
        sql.push(" AND (q.last_activity_at, q.id) < (").push_bind(key).push(", ").push_bind(id);
        sql.push(") ORDER BY q.last_activity_at DESC, q.id DESC LIMIT ");
    } else {
        let (key, id) = match &page.after {
            Some(cursor) => (cursor.key, cursor.id.clone()),
            None => (i64::MIN, String::new()),
        };
        sql.push(" AND (q.inbox_rank, q.id) > (").push_bind(key).push(", ").push_bind(id);
        sql.push(") ORDER BY q.inbox_rank, q.id LIMIT ");
    }
    sql.push_bind(page.fetch_limit());
    let rows: Vec<InquiryRow> = sql.build().fetch_all(db).await?;
    let cursor = if by_activity { rows::activity_cursor } else { rows::inbox_cursor };
    Ok(Page::from_rows(rows::convert(rows)?, page, cursor))
}

pub(crate) async fn inquiry_counts(
    db: &mut dyn Db,
    seller: &SellerId,
    overdue_cutoff: Timestamp,
) -> StoreResult<Vec<AppInquiryCounts>> {
    let rows: Vec<(String, String, i64, i64)> = query(
        "SELECT a.id, a.title, COUNT(q.id), \
         COALESCE(SUM(CASE WHEN q.awaiting_since < $2 THEN 1 ELSE 0 END), 0) \
         FROM apps a LEFT JOIN inquiries q ON q.app_id = a.id AND q.awaiting_since IS NOT NULL \
         WHERE a.seller_id = $1 GROUP BY a.id, a.title ORDER BY a.title, a.id",
    )
    .bind(&seller.0)
    .bind(millis(overdue_cutoff))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(app_id, app_title, unanswered, overdue)| AppInquiryCounts {
            app_id: AppId(app_id),
            app_title,
            unanswered,
            overdue,
        })
        .collect())
}

pub(crate) async fn attachment(
    db: &mut dyn Db,
    inquiry: &InquiryId,
    id: &AttachmentId,
) -> StoreResult<Option<AttachmentMeta>> {
    let row: Option<AttachmentRow> = query(
        "SELECT message_id, id, filename, content_type, size, sha256 FROM attachments \
         WHERE id = $1 AND inquiry_id = $2",
    )
    .bind(&id.0)
    .bind(&inquiry.0)
    .fetch_optional(db)
    .await?;
    Ok(row.map(AttachmentMeta::from))
}
