//! The pieces every mail-in test shares: the demo store with an application whose reply
//! domain is `reply.example.com`, the delivery worker sending to the suite's SMTP sink,
//! vocdesk's own SMTP listener on loopback, and a lettre client that writes to it.

#![allow(dead_code)] // each test file uses a different part

use std::sync::Arc;

use jiff::SignedDuration;
use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use vocdesk::periodic::Periodic;
use vocdesk_app::delivery::{DeliveryReport, deliver_due};
use vocdesk_app::{App, AppConfig, Caller};
use vocdesk_domain::account::User;
use vocdesk_domain::audit::Channel;
use vocdesk_domain::clock::ManualClock;
use vocdesk_domain::delivery::{RecipientCap, RetryPolicy};
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inquiry::{InquiryInput, Thread};
use vocdesk_domain::outbox::MailStatus;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::role::{Actor, TokenScope};
use vocdesk_smtp::sink::Sink;
use vocdesk_smtp::{Delivery, Identity};
use vocdesk_store::{BlobStore, Store};

use crate::common;

/// The reply domain of every test here.
pub const DOMAIN: &str = "reply.example.com";

/// A demo store with both mail doors open.
pub struct MailWorld {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub sink: Sink,
    pub smtp_port: u16,
    _listener: Periodic,
    pub seed: vocdesk::demo::DemoSeed,
    _dir: tempfile::TempDir,
}

impl MailWorld {
    /// The demo in `store`, its earlier mail already delivered, so that what the sink
    /// receives from now on is what the test caused.
    pub async fn start(store: Arc<dyn Store>) -> MailWorld {
        let dir = tempfile::tempdir().expect("temp dir");
        let blobs = BlobStore::in_data_dir(dir.path());
        let seed = vocdesk::demo::seed(store.as_ref(), &blobs, common::now()).await.expect("seed");
        let clock = Arc::new(ManualClock::new(common::now()));
        let config = AppConfig { reply_domain: DOMAIN.to_owned(), ..AppConfig::default() };
        let app = App::open(store, blobs, clock.clone(), config).await.expect("app");
        let (address, listener) = vocdesk::mail_in::start_listener(app.clone(), "127.0.0.1:0").await.expect("listen");
        let world = MailWorld {
            app,
            clock,
            sink: Sink::start("250 2.1.5 OK").await.expect("sink"),
            smtp_port: address.port(),
            _listener: listener,
            seed,
            _dir: dir,
        };
        world.deliver().await;
        world.sink.take();
        world
    }

    pub fn store(&self) -> &dyn Store {
        self.app.store()
    }

    pub fn user(&self, email: &str) -> User {
        self.seed.users.get(email).cloned().expect("a demo user")
    }

    /// Sends everything due to the sink.
    pub async fn deliver(&self) -> DeliveryReport {
        let identity = Identity::new("vocdesk <no-reply@reply.example.com>", Some(DOMAIN)).expect("identity");
        let transport = Delivery::smtp(&self.sink.url(), identity).expect("transport");
        let mut total = DeliveryReport::default();
        loop {
            let cap = RecipientCap { max: 1_000, window: SignedDuration::from_hours(1) };
            let run = deliver_due(&self.app, &transport, "test-worker", &RetryPolicy::default(), &cap, 500)
                .await
                .expect("deliver");
            total.sent += run.sent;
            total.failed += run.failed;
            if run == DeliveryReport::default() {
                return total;
            }
        }
    }

    /// A customer asks on the web, as the pages' handler does.
    pub async fn ask(&self, customer: &User, app_key: &str, subject: &str, body: &str) -> Thread {
        let actor = actor(customer);
        let caller = Caller { user: customer, actor: &actor, channel: Channel::Store };
        let input = InquiryInput { category: "question", subject, body, ..Default::default() };
        let listed = self.seed.apps.get(app_key).expect("demo app");
        vocdesk_app::inquiries::open(&self.app, caller, &listed.id, &input, vec![]).await.expect("asked")
    }

    /// Writes `raw` to vocdesk's SMTP listener as `from` for `to`.
    pub async fn send(
        &self,
        from: Option<&str>,
        to: &[&str],
        raw: &[u8],
    ) -> Result<(), lettre::transport::smtp::Error> {
        let client = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(self.smtp_port).build();
        let envelope =
            Envelope::new(from.map(|f| f.parse().expect("from")), to.iter().map(|t| t.parse().expect("to")).collect())
                .expect("envelope");
        client.send_raw(&envelope, raw).await.map(|_| ())
    }

    /// How many mails wait in the outbox.
    pub async fn pending(&self) -> usize {
        let page = PageRequest { limit: 500, after: None };
        self.store().outbox(Some(MailStatus::Pending), &page).await.expect("outbox").items.len()
    }

    pub async fn thread(&self, id: &InquiryId) -> Thread {
        self.store().thread(id).await.expect("thread").expect("exists")
    }
}

pub fn actor(user: &User) -> Actor {
    Actor { user_id: user.id.clone(), role: user.role, seller_id: user.seller_id.clone(), scope: TokenScope::Full }
}

/// A header's value in a raw mail.
pub fn header(mail: &str, name: &str) -> Option<String> {
    let prefix = format!("{name}: ");
    mail.lines().find_map(|line| line.strip_prefix(&prefix)).map(str::to_owned)
}

/// A reply as a mail client writes it: new text on top, the earlier mail quoted below.
pub fn reply(from: &str, to: &str, in_reply_to: &str, subject: &str, text: &str, quoted: &str) -> Vec<u8> {
    let quoted: String = quoted.lines().map(|l| format!("> {l}\r\n")).collect();
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Re: {subject}\r\nMessage-ID: <{}@client.example.org>\r\n\
         In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         {text}\r\n\r\nOn Fri, Dec 4, 2026 at 9:00 AM vocdesk <no-reply@reply.example.com> wrote:\r\n{quoted}",
        vocdesk_domain::ids::InboundId::generate()
    )
    .into_bytes()
}
