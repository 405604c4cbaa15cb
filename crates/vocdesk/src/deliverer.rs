//! The R16 delivery worker in `vocdesk serve`: every few seconds it claims the mail that
//! is due and sends it ([`vocdesk_app::delivery::deliver_due`]), batch after batch
//! while there is more. Claims are leases in the store, so several server processes on
//! one PostgreSQL database may all run it and each mail is tried by one at a time.

use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use vocdesk_app::App;
use vocdesk_app::delivery::deliver_due;
use vocdesk_domain::delivery::{RecipientCap, RetryPolicy};
use vocdesk_smtp::Delivery;

/// Mails claimed per run.
const BATCH: u32 = 50;

/// A running delivery worker; [`Deliverer::stop`] lets the current mail finish.
pub struct Deliverer {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Deliverer {
    /// Starts delivering now and then every `interval`.
    pub fn start(app: App, delivery: Delivery, interval: Duration) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        // Unique per process and start, so that a restarted worker never mistakes the
        // leases of its previous life for its own.
        let worker = format!("{}-{}", std::process::id(), rand_suffix());
        let policy = RetryPolicy::default();
        let cap = RecipientCap::default();
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => return,
                }
                loop {
                    match deliver_due(&app, &delivery, &worker, &policy, &cap, BATCH).await {
                        Ok(report) => {
                            let tried = report.sent + report.retried + report.failed + report.deferred + report.lost;
                            if tried > 0 {
                                tracing::info!(
                                    sent = report.sent,
                                    retried = report.retried,
                                    failed = report.failed,
                                    deferred = report.deferred,
                                    lost = report.lost,
                                    "delivered"
                                );
                            }
                            if tried < BATCH || *stopped.borrow() {
                                break;
                            }
                        }
                        // Claimed mail stays leased and is tried again when the lease runs out.
                        Err(error) => {
                            tracing::error!(%error, "delivery failed; retrying at the next interval");
                            break;
                        }
                    }
                }
            }
        });
        Self { stop, task }
    }

    /// Lets the mail being sent finish (its attempt is recorded) and stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, "the delivery task ended abnormally");
        }
    }
}

fn rand_suffix() -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{nanos:x}")
}
