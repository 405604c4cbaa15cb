//! Background work in `vocdesk serve` (the R5 sweep, R16 delivery): one run now and
//! then one every interval, until [`Periodic::stop`] lets the run in progress finish.
//! Each run reads what is due from the store afresh, so a restart loses nothing.

use std::future::Future;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Whether the task has been asked to stop: a run doing several batches checks it
/// between them.
#[derive(Clone, Debug)]
pub struct Stopping(watch::Receiver<bool>);

impl Stopping {
    /// True once [`Periodic::stop`] was called.
    pub fn requested(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once [`Periodic::stop`] was called: the shutdown signal of a server
    /// loop run by [`Periodic::background`].
    pub async fn wait(mut self) {
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

/// A running periodic task.
pub struct Periodic {
    name: &'static str,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Periodic {
    /// Runs `run` now and then every `interval` (a run that overruns delays the next;
    /// missed ticks are not made up).
    pub fn start<F, Fut>(name: &'static str, interval: Duration, mut run: F) -> Self
    where
        F: FnMut(Stopping) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send,
    {
        let (stop, mut stopped) = watch::channel(false);
        let stopping = Stopping(stopped.clone());
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(interval);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    _ = ticks.tick() => {}
                    _ = stopped.changed() => return,
                }
                run(stopping.clone()).await;
            }
        });
        Self { name, stop, task }
    }

    /// Runs `task` once, in the background, until it ends by itself or after
    /// [`Periodic::stop`] (a server loop such as the SMTP listener, which finishes the
    /// mail it is receiving first).
    pub fn background<F, Fut>(name: &'static str, task: F) -> Self
    where
        F: FnOnce(Stopping) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(task(Stopping(stopped)));
        Self { name, stop, task }
    }

    /// Lets a run in progress finish (its units commit or roll back whole) and stops.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(%error, task = self.name, "a background task ended abnormally");
        }
    }
}
