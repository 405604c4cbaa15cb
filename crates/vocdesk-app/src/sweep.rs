//! R5's background work: reminders before the response limit and, under the `auto`
//! policy, cancelling overdue `refund` inquiries' purchases on the developer's behalf.
//! The binary's sweeper schedules [`sweep`]; tests call it directly after moving the
//! clock.

use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::inquiry::Category;
use vocdesk_domain::refund::{self, AUTO_CANCEL_ACTOR, REMINDER_ACTOR};
use vocdesk_mail::ThreadFacts;
use vocdesk_store::Acting;

use crate::context::App;
use crate::error::{AppError, AppResult};
use crate::parties::developer_recipients;
use crate::refunds::cancel_for_inquiry;

/// What one run of the sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// R5 reminders queued.
    pub reminded: usize,
    /// Purchases cancelled under the `auto` policy.
    pub cancelled: usize,
    /// Issue 13: inquiries that passed the limit and had their `overdue` push queued.
    pub overdue_pushed: usize,
    /// Due inquiries whose purchase needed no cancelling (settled now) or that another
    /// process handled first.
    pub skipped: usize,
}

/// How many due rows one store read of the sweep takes.
const SWEEP_BATCH: i64 = 100;

/// R5's background work, safe to run from several processes at once and again after a
/// restart: it reads only due rows (through partial indexes), and each unit re-checks
/// under row locks, so a reminder is queued once per wait and a purchase is cancelled
/// at most once.
/// 1. Reminds the seller of every inquiry within 24 hours of the limit.
/// 2. Issue 13: queues the `overdue` push of every inquiry that passed the limit, once.
/// 3. Under the `auto` policy, cancels the purchase of every overdue `refund` inquiry.
pub async fn sweep(app: &App) -> AppResult<SweepReport> {
    let mut report = SweepReport::default();
    remind(app, &mut report).await?;
    loop {
        let marked = app.store().queue_overdue_pushes(app.overdue_cutoff(), SWEEP_BATCH as u32, app.now()).await?;
        report.overdue_pushed += marked;
        if (marked as i64) < SWEEP_BATCH {
            break;
        }
    }
    if app.config().auto_cancel.cancels(Category::Refund) {
        auto_cancel(app, &mut report).await?;
    }
    Ok(report)
}

async fn remind(app: &App, report: &mut SweepReport) -> AppResult<()> {
    let acting = Acting { actor: AuditActor::system(REMINDER_ACTOR), channel: Channel::System };
    let limit = app.config().response_limit;
    loop {
        let cutoff = refund::reminder_cutoff(app.now(), limit);
        let due = app.store().due_reminders(cutoff, SWEEP_BATCH).await?;
        let mut progressed = false;
        for inquiry in &due {
            let (Some(since), Some(due_at)) = (inquiry.awaiting_since, inquiry.state().due_at(limit)) else {
                continue;
            };
            let seller = app.store().seller(&inquiry.seller_id).await?.ok_or(AppError::NotFound)?;
            let developers = developer_recipients(app, &seller.id, &seller.support_email).await?;
            let mails = app.mail().response_reminder(&ThreadFacts::from(inquiry), due_at, &developers)?;
            if app.store().mark_reminded(&inquiry.id, since, &mails, &acting, app.now()).await? {
                report.reminded += 1;
                progressed = true;
            } else {
                report.skipped += 1;
            }
        }
        if (due.len() as i64) < SWEEP_BATCH || !progressed {
            return Ok(());
        }
    }
}

async fn auto_cancel(app: &App, report: &mut SweepReport) -> AppResult<()> {
    let acting = Acting { actor: AuditActor::system(AUTO_CANCEL_ACTOR), channel: Channel::System };
    loop {
        let due = app.store().auto_cancel_candidates(app.overdue_cutoff(), SWEEP_BATCH).await?;
        for id in &due {
            match cancel_for_inquiry(app, &acting, id).await {
                Ok(_) => report.cancelled += 1,
                // Settled by the store (cancelled elsewhere, free) or no longer due.
                Err(AppError::Refused(_)) => report.skipped += 1,
                Err(other) => return Err(other),
            }
        }
        if (due.len() as i64) < SWEEP_BATCH {
            return Ok(());
        }
    }
}
