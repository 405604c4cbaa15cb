//! Reports and moderation (R12): one open report per reporter and item, the operators'
//! queue grouped by item, hiding and unhiding with a reason (which moves the R13
//! counters of a review in the same transaction), and dismissing reports.

use jiff::Timestamp;
use serde_json::json;
use vocdesk_domain::ids::{ReportId, ReviewId, UserId};
use vocdesk_domain::outbox::OutgoingMail;
use vocdesk_domain::page::{Cursor, Page, PageRequest};
use vocdesk_domain::review::{Report, ReportDraft, ReportTarget, ReportedItem, summary_delta};

use crate::audit::{entry, write_audit};
use crate::db::{Db, query};
use crate::outbox::queue_mails;
use crate::review_store::{HideOutcome, ReportOutcome};
use crate::reviews::{bump_counters, fetch_review, lock_review};
use crate::rows::{self, ReportRow, millis};
use crate::{Acting, StoreError, StoreResult};

const REPORT_COLUMNS: &str = "SELECT id, review_id, target, reporter_id, reason, note, created_at FROM review_reports ";

/// R12: files a report unless the reporter has one open on the same item. A deleted
/// review, or a reply that is not there, is not found: its report could never be
/// resolved. The review is locked first, so that a deletion committing meanwhile is
/// applied either before (not found) or after (it resolves this report too).
pub(crate) async fn file_report(
    db: &mut dyn Db,
    review: &ReviewId,
    reporter: &UserId,
    draft: &ReportDraft,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<ReportOutcome> {
    let Some(locked) = lock_review(db, &review.0).await?.filter(|l| !l.deleted) else {
        return Err(StoreError::NotFound);
    };
    if draft.target == ReportTarget::Reply && !locked.has_reply {
        return Err(StoreError::NotFound);
    }
    let id = ReportId::generate();
    let inserted = query(
        "INSERT INTO review_reports (id, review_id, target, reporter_id, reason, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(&id.0)
    .bind(&review.0)
    .bind(draft.target.as_str())
    .bind(&reporter.0)
    .bind(draft.reason.as_str())
    .bind(draft.note.clone())
    .bind(millis(now))
    .execute(db)
    .await?;
    if inserted == 0 {
        return Ok(ReportOutcome::AlreadyOpen);
    }
    let detail = json!({ "review_id": review.0, "target": draft.target.as_str(), "reason": draft.reason.as_str() });
    write_audit(db, &entry(acting, "report.filed", "review_report", &id.0, detail), now).await?;
    let row: ReportRow = query(&format!("{REPORT_COLUMNS}WHERE id = $1")).bind(&id.0).fetch_one(db).await?;
    Ok(ReportOutcome::Filed(Report::try_from(row)?))
}

/// The open reports of one review (and its reply), oldest first.
pub(crate) async fn open_reports(db: &mut dyn Db, review: &ReviewId) -> StoreResult<Vec<Report>> {
    let rows: Vec<ReportRow> =
        query(&format!("{REPORT_COLUMNS}WHERE review_id = $1 AND resolved_at IS NULL ORDER BY created_at, id"))
            .bind(&review.0)
            .fetch_all(db)
            .await?;
    rows::convert(rows)
}

/// R12: the moderation queue: reported items with open reports, the longest waiting
/// first, each with its report count and reasons. The cursor is the oldest report's
/// time and `review_id:target`.
pub(crate) async fn moderation_queue(db: &mut dyn Db, page: &PageRequest) -> StoreResult<Page<ReportedItem>> {
    let (key, id) = rows::start_of_ascending(page.after.as_ref());
    let groups: Vec<(String, String, i64, i64)> = query(
        "SELECT review_id, target, COUNT(*), MIN(created_at) FROM review_reports WHERE resolved_at IS NULL \
         GROUP BY review_id, target HAVING (MIN(created_at), review_id || ':' || target) > ($1, $2) \
         ORDER BY MIN(created_at), review_id, target LIMIT $3",
    )
    .bind(key)
    .bind(id)
    .bind(page.fetch_limit())
    .fetch_all(db)
    .await?;
    let mut items = Vec::with_capacity(groups.len());
    for (review_id, target, count, first) in groups {
        let reasons: Vec<(String,)> = query(
            "SELECT DISTINCT reason FROM review_reports WHERE review_id = $1 AND target = $2 \
             AND resolved_at IS NULL ORDER BY reason",
        )
        .bind(&review_id)
        .bind(&target)
        .fetch_all(db)
        .await?;
        items.push(ReportedItem {
            review: fetch_review(db, &review_id).await?,
            target: rows::target(&target)?,
            open_reports: count,
            first_reported_at: rows::timestamp(first)?,
            reasons: reasons.iter().map(|(r,)| rows::reason(r)).collect::<Result<_, _>>()?,
        });
    }
    Ok(Page::from_rows(items, page, |item| Cursor {
        key: millis(item.first_reported_at),
        id: format!("{}:{}", item.review.id, item.target.as_str()),
    }))
}

/// R12/R13: an operator hides (`hide`) or shows again a review or its reply, with a
/// reason; hiding resolves the item's open reports. The author's mail is queued only
/// when something changed.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn set_hidden(
    db: &mut dyn Db,
    review: &ReviewId,
    target: ReportTarget,
    hide: bool,
    reason: &str,
    mails: &[OutgoingMail],
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<HideOutcome> {
    let Some(locked) = lock_review(db, &review.0).await?.filter(|l| !l.deleted) else {
        return Err(StoreError::NotFound);
    };
    let current = fetch_review(db, &locked.id).await?;
    let hidden_now = match target {
        ReportTarget::Review => current.hidden.is_some(),
        ReportTarget::Reply => match &current.reply {
            None => return Ok(HideOutcome::NoReply),
            Some(reply) => reply.hidden.is_some(),
        },
    };
    if hidden_now == hide {
        return Ok(HideOutcome::Unchanged(current));
    }
    let (at, why) = if hide { (Some(millis(now)), Some(reason.to_owned())) } else { (None, None) };
    let sql = match target {
        ReportTarget::Review => "UPDATE reviews SET hidden_at = $2, hidden_reason = $3 WHERE id = $1",
        ReportTarget::Reply => "UPDATE reviews SET reply_hidden_at = $2, reply_hidden_reason = $3 WHERE id = $1",
    };
    query(sql).bind(&locked.id).bind(at).bind(why).execute(db).await?;
    if target == ReportTarget::Review {
        let (before, after) = if hide { (Some(current.stars), None) } else { (None, Some(current.stars)) };
        bump_counters(db, &locked.app_id, summary_delta(before, after)).await?;
    }
    let resolved = if hide { resolve_reports(db, &locked.id, target, "hidden", now).await? } else { 0 };
    queue_mails(db, mails, now).await?;
    let action = match (target, hide) {
        (ReportTarget::Review, true) => "review.hidden",
        (ReportTarget::Review, false) => "review.unhidden",
        (ReportTarget::Reply, true) => "reply.hidden",
        (ReportTarget::Reply, false) => "reply.unhidden",
    };
    let detail = json!({ "app_id": locked.app_id, "reason": reason, "reports_resolved": resolved });
    write_audit(db, &entry(acting, action, "review", &locked.id, detail), now).await?;
    Ok(HideOutcome::Changed(fetch_review(db, &locked.id).await?))
}

/// R12: resolves the open reports of one item, as `resolution` says (`hidden`, `kept`,
/// or `deleted` by its author); answers how many.
pub(crate) async fn resolve_reports(
    db: &mut dyn Db,
    review: &str,
    target: ReportTarget,
    resolution: &str,
    now: Timestamp,
) -> StoreResult<u64> {
    query(
        "UPDATE review_reports SET resolved_at = $3, resolution = $4 \
         WHERE review_id = $1 AND target = $2 AND resolved_at IS NULL",
    )
    .bind(review)
    .bind(target.as_str())
    .bind(millis(now))
    .bind(resolution)
    .execute(db)
    .await
}

/// R12: an operator keeps a reported item as it is: its open reports are resolved.
pub(crate) async fn dismiss_reports(
    db: &mut dyn Db,
    review: &ReviewId,
    target: ReportTarget,
    acting: &Acting,
    now: Timestamp,
) -> StoreResult<u64> {
    let resolved = resolve_reports(db, &review.0, target, "kept", now).await?;
    if resolved > 0 {
        let detail = json!({ "target": target.as_str(), "reports_resolved": resolved });
        write_audit(db, &entry(acting, "reports.dismissed", "review", &review.0, detail), now).await?;
    }
    Ok(resolved)
}
