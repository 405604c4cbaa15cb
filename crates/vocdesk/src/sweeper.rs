//! The R5 background sweep in `vocdesk serve`: every few seconds it queues reminders
//! for inquiries 24 hours from the response limit and, under the `auto` policy, cancels
//! the purchases of overdue `refund` inquiries on the developer's behalf.
//!
//! The work itself is [`vocdesk_app::sweep::sweep`]; this only schedules it. Each run
//! reads the due rows afresh from the store, so a restart loses nothing, and each unit
//! re-checks under row locks, so several server processes on one PostgreSQL database
//! may all run it: a reminder is queued once per wait and a purchase cancelled at most
//! once.

use std::time::Duration;

use vocdesk_app::App;
use vocdesk_app::sweep::sweep;

use crate::periodic::Periodic;

/// Starts sweeping now and then every `interval`.
pub fn start(app: App, interval: Duration) -> Periodic {
    Periodic::start("sweep", interval, move |_| {
        let app = app.clone();
        async move {
            match sweep(&app).await {
                Ok(report) if report.reminded + report.cancelled + report.skipped > 0 => tracing::info!(
                    reminded = report.reminded,
                    cancelled = report.cancelled,
                    skipped = report.skipped,
                    "sweep"
                ),
                Ok(_) => {}
                // The next run starts over from the store; nothing is half done.
                Err(error) => tracing::error!(%error, "sweep failed; retrying at the next interval"),
            }
        }
    })
}
