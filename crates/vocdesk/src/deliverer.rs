//! The R16 delivery worker in `vocdesk serve`: every few seconds it claims the mail that
//! is due and sends it ([`vocdesk_app::delivery::deliver_due`]), batch after batch
//! while there is more. Claims are leases in the store, so several server processes on
//! one PostgreSQL database may all run it and each mail is tried by one at a time.

use std::sync::Arc;
use std::time::Duration;

use vocdesk_app::App;
use vocdesk_app::delivery::deliver_due;
use vocdesk_domain::delivery::{RecipientCap, RetryPolicy};
use vocdesk_smtp::Delivery;

use crate::periodic::Periodic;

/// Mails claimed per run.
const BATCH: u32 = 50;

/// Starts delivering now and then every `interval`; stopping lets the mail being sent
/// finish (its attempt is recorded).
pub fn start(app: App, delivery: Delivery, interval: Duration) -> Periodic {
    // Unique per process and start, so that a restarted worker never mistakes the
    // leases of its previous life for its own.
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let worker: Arc<str> = format!("{}-{started:x}", std::process::id()).into();
    let delivery = Arc::new(delivery);
    Periodic::start("delivery", interval, move |stopping| {
        let (app, delivery, worker) = (app.clone(), delivery.clone(), worker.clone());
        async move {
            let (policy, cap) = (RetryPolicy::default(), RecipientCap::default());
            loop {
                match deliver_due(&app, delivery.as_ref(), &worker, &policy, &cap, BATCH).await {
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
                        if tried < BATCH || stopping.requested() {
                            return;
                        }
                    }
                    // Claimed mail stays leased and is tried again when the lease runs out.
                    Err(error) => {
                        tracing::error!(%error, "delivery failed; retrying at the next interval");
                        return;
                    }
                }
            }
        }
    })
}
