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

use tokio::sync::watch;
use tokio::task::JoinHandle;
use vocdesk_app::App;
use vocdesk_app::sweep::sweep;

/// A running sweep; [`Sweeper::stop`] lets the current run finish and ends it.
pub struct Sweeper {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Sweeper {
    /// Starts sweeping now and then every `interval`.
    pub fn start(app: App, interval: Duration) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => return,
                }
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
        });
        Self { stop, task }
    }

    /// Lets a run in progress finish (its units commit or roll back whole) and stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the sweep task ended abnormally");
        }
    }
}
