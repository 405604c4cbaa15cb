//! Issue 13: the push sender in `vocdesk serve`. Every second it claims the pushes that
//! are due ([`vocdesk_app::push::send::send_due`]) and posts them over HTTPS. Claims are
//! leases in the store, so several processes on one PostgreSQL may all run it.
//!
//! The endpoint came from a browser, so the client is kept from being turned against
//! the store's own network: the endpoint is checked again before each post, every name is
//! resolved here and only public addresses are connected to (loopback only under the
//! test setting), redirects are not followed, and no proxy from the environment is used.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use vocdesk_app::App;
use vocdesk_app::push::send::{PushTransport, send_due};
use vocdesk_domain::push::{check_endpoint, is_public_ip};

use crate::periodic::Periodic;

/// Pushes claimed per run.
const BATCH: u32 = 50;

/// How long one push may take, connecting included.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Resolves names to public addresses only (or loopback ones, under the test setting).
struct PublicOnly {
    allow_loopback: bool,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| is_public_ip(a.ip()) || (allow_loopback && a.ip().is_loopback()))
                .collect();
            if allowed.is_empty() {
                return Err(format!("{} resolves to no public address", name.as_str()).into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Posts pushes over HTTPS (HTTP only to loopback, under the test setting).
pub struct HttpPush {
    client: reqwest::Client,
    allow_loopback: bool,
}

impl HttpPush {
    /// A client that connects only where a push may go.
    pub fn new(allow_loopback: bool) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .dns_resolver(Arc::new(PublicOnly { allow_loopback }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(TIMEOUT)
            .user_agent(concat!("vocdesk/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self { client, allow_loopback })
    }
}

impl PushTransport for HttpPush {
    fn post(&self, request: http::Request<Vec<u8>>) -> Pin<Box<dyn Future<Output = Result<u16, String>> + Send + '_>> {
        Box::pin(async move {
            check_endpoint(&request.uri().to_string(), self.allow_loopback)
                .map_err(|refusal| format!("endpoint refused: {}", refusal.code()))?;
            let request = reqwest::Request::try_from(request).map_err(|e| format!("request: {e}"))?;
            let response = self.client.execute(request).await.map_err(|e| format!("no answer: {e}"))?;
            Ok(response.status().as_u16())
        })
    }
}

/// Starts sending now and then every `interval`; stopping lets the push being sent
/// finish (its attempt is recorded).
pub fn start(app: App, transport: HttpPush, interval: Duration) -> Periodic {
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let worker: Arc<str> = format!("push-{}-{started:x}", std::process::id()).into();
    let transport = Arc::new(transport);
    Periodic::start("push", interval, move |stopping| {
        let (app, transport, worker) = (app.clone(), transport.clone(), worker.clone());
        async move {
            loop {
                match send_due(&app, transport.as_ref(), &worker, BATCH).await {
                    Ok(report) => {
                        let tried = report.sent + report.retried + report.failed + report.gone + report.dropped;
                        if tried > 0 {
                            tracing::info!(
                                sent = report.sent,
                                retried = report.retried,
                                failed = report.failed,
                                gone = report.gone,
                                dropped = report.dropped,
                                lost = report.lost,
                                "pushed"
                            );
                        }
                        if tried < BATCH || stopping.requested() {
                            return;
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, "push sending failed; retrying at the next interval");
                        return;
                    }
                }
            }
        }
    })
}
