//! R15 inbound mail over real SMTP on loopback: the listener is bound on 127.0.0.1:0 and
//! served with a receiver that records what it is given and takes only mail for
//! `@reply.example.com`. lettre is the client where a real client's view matters (its
//! errors must be transient or permanent as intended); a raw TCP conversation covers the
//! protocol cases a well-behaved client never produces.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::address::Envelope as LettreEnvelope;
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vocdesk_smtp::listener::{Envelope, Limits, Listener, Receiver, Reception};

const WAIT: Duration = Duration::from_secs(10);

/// Records every mail it is given and answers with `answer`.
struct Recorder {
    received: Mutex<Vec<(Envelope, Vec<u8>)>>,
    answer: Mutex<Reception>,
}

impl Recorder {
    fn received(&self) -> Vec<(Envelope, Vec<u8>)> {
        self.received.lock().expect("lock").clone()
    }

    fn answer(&self, answer: Reception) {
        *self.answer.lock().expect("lock") = answer;
    }
}

impl Receiver for Recorder {
    fn accepts_recipient(&self, address: &str) -> bool {
        address.ends_with("@reply.example.com")
    }

    async fn receive(&self, envelope: Envelope, raw: Vec<u8>) -> Reception {
        self.received.lock().expect("lock").push((envelope, raw));
        self.answer.lock().expect("lock").clone()
    }
}

/// A listener being served, and the means to stop it.
struct Server {
    port: u16,
    recorder: Arc<Recorder>,
    stop: Option<oneshot::Sender<()>>,
    serving: JoinHandle<()>,
}

impl Server {
    async fn start(limits: Limits) -> Server {
        let listener = Listener::bind("127.0.0.1:0", "mx.reply.example.com", limits).await.expect("bind");
        let port = listener.local_addr().expect("address").port();
        let recorder = Arc::new(Recorder { received: Mutex::new(Vec::new()), answer: Mutex::new(Reception::Taken) });
        let (stop, stopped) = oneshot::channel::<()>();
        let serving = tokio::spawn(listener.serve(Arc::clone(&recorder), async move {
            let _ = stopped.await;
        }));
        Server { port, recorder, stop: Some(stop), serving }
    }

    async fn with_defaults() -> Server {
        Server::start(Limits::default()).await
    }

    fn transport(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(self.port)
            .timeout(Some(WAIT))
            .pool_config(PoolConfig::new().max_size(1))
            .build()
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn envelope(from: Option<&str>, to: &[&str]) -> LettreEnvelope {
    let from = from.map(|f| f.parse().expect("from"));
    LettreEnvelope::new(from, to.iter().map(|t| t.parse().expect("to")).collect()).expect("envelope")
}

/// A hand-written SMTP conversation.
struct Raw {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Raw {
    async fn connect(port: u16) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
        let (read, writer) = stream.into_split();
        Raw { reader: BufReader::new(read), writer }
    }

    /// Connects, checks the greeting and says EHLO.
    async fn greeted(port: u16) -> Raw {
        let mut raw = Raw::connect(port).await;
        let (code, greeting) = raw.reply().await;
        assert_eq!(code, 220, "{greeting}");
        assert!(greeting.contains("mx.reply.example.com"), "{greeting}");
        assert_eq!(raw.cmd("EHLO client.example.org").await, 250);
        raw
    }

    async fn write(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write");
    }

    /// One whole reply (all its lines): its code and its text.
    async fn reply(&mut self) -> (u16, String) {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            let read = tokio::time::timeout(WAIT, self.reader.read_line(&mut line)).await.expect("a reply in time");
            assert!(read.expect("read") > 0, "the connection closed; so far: {text:?}");
            text.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                let code = line.get(..3).and_then(|c| c.parse().ok()).expect("a reply code");
                return (code, text);
            }
        }
    }

    async fn code(&mut self) -> u16 {
        self.reply().await.0
    }

    /// Sends a command and returns its whole reply.
    async fn reply_to(&mut self, command: &str) -> (u16, String) {
        self.write(format!("{command}\r\n").as_bytes()).await;
        self.reply().await
    }

    async fn cmd(&mut self, command: &str) -> u16 {
        self.write(format!("{command}\r\n").as_bytes()).await;
        self.code().await
    }

    /// Whether the server closed the connection (reads to the end).
    async fn closed(&mut self) -> bool {
        let mut rest = String::new();
        matches!(tokio::time::timeout(WAIT, self.reader.read_line(&mut rest)).await, Ok(Ok(0)))
    }

    /// MAIL, one RCPT, DATA with `body` (already dot-stuffed, ending in CRLF): the final code.
    async fn mail(&mut self, to: &str, body: &[u8]) -> u16 {
        assert_eq!(self.cmd("MAIL FROM:<customer@example.org>").await, 250);
        assert_eq!(self.cmd(&format!("RCPT TO:<{to}>")).await, 250);
        assert_eq!(self.cmd("DATA").await, 354);
        self.write(body).await;
        self.write(b".\r\n").await;
        self.code().await
    }
}

#[tokio::test]
async fn r15_a_mail_is_received_byte_exact_with_its_envelope() {
    let server = Server::with_defaults().await;
    // lettre dot-stuffs ".hello" and "..two" and ends the data with CRLF . CRLF, so the
    // receiver gets the message plus the CRLF that ends its last line.
    let message = "From: customer@example.org\r\nTo: support@reply.example.com\r\nSubject: refund\r\n\r\n\
                   .hello\r\n..two\r\n환불해 주세요.\r\n\r\nlast line";
    let envelope = envelope(Some("customer@example.org"), &["Support+S1@Reply.Example.com"]);
    server.transport().send_raw(&envelope, message.as_bytes()).await.expect("sent");

    let received = server.recorder.received();
    assert_eq!(received.len(), 1);
    let (envelope, raw) = &received[0];
    assert_eq!(raw, format!("{message}\r\n").as_bytes());
    assert_eq!(envelope.mail_from.as_deref(), Some("customer@example.org"));
    assert_eq!(envelope.rcpt_to, vec!["support+s1@reply.example.com".to_owned()]);
    assert!(envelope.peer.ip().is_loopback());
}

#[tokio::test]
async fn r15_a_dot_stuffed_line_arrives_unstuffed_and_other_bytes_untouched() {
    let server = Server::with_defaults().await;
    let mut raw = Raw::greeted(server.port).await;
    let code = raw.mail("a@reply.example.com", b"Subject: x\r\n\r\n..hello\r\n...\r\n. \r\nbare\nlf\r\n").await;
    assert_eq!(code, 250);
    let received = server.recorder.received();
    assert_eq!(received[0].1, b"Subject: x\r\n\r\n.hello\r\n..\r\n \r\nbare\nlf\r\n");
}

#[tokio::test]
async fn r15_mail_to_another_domain_is_refused_with_550_and_never_received() {
    let server = Server::with_defaults().await;
    let error = server
        .transport()
        .send_raw(&envelope(Some("customer@example.org"), &["someone@elsewhere.example"]), b"Subject: x\r\n\r\nhi")
        .await
        .expect_err("refused");
    assert!(error.is_permanent(), "{error}");
    assert_eq!(error.status().map(|c| c.to_string()), Some("550".to_owned()));

    let mut raw = Raw::greeted(server.port).await;
    assert_eq!(raw.cmd("MAIL FROM:<customer@example.org>").await, 250);
    let (code, text) = raw.reply_to("RCPT TO:<someone@elsewhere.example>").await;
    assert_eq!(code, 550);
    assert!(text.contains("5.1.1"), "{text}");
    // With no recipient there is nothing to send.
    assert_eq!(raw.cmd("DATA").await, 503);
    assert!(server.recorder.received().is_empty());
}

#[tokio::test]
async fn r15_a_body_over_the_size_limit_is_refused_with_552_and_never_received() {
    let server = Server::start(Limits { max_message_bytes: 1024 * 1024, ..Limits::default() }).await;
    let big = format!(
        "Subject: big\r\n\r\n{}",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd\r\n".repeat(24_000)
    );
    let error = server
        .transport()
        .send_raw(&envelope(Some("customer@example.org"), &["a@reply.example.com"]), big.as_bytes())
        .await
        .expect_err("too big");
    assert!(error.is_permanent(), "{error}");
    assert_eq!(error.status().map(|c| c.to_string()), Some("552".to_owned()));

    // The connection stays in step after an oversized body: the next mail goes through.
    let mut raw = Raw::greeted(server.port).await;
    assert_eq!(raw.mail("a@reply.example.com", big.as_bytes()).await, 552);
    assert_eq!(raw.cmd("NOOP").await, 250);
    assert!(server.recorder.received().is_empty());
    assert_eq!(raw.mail("a@reply.example.com", b"Subject: small\r\n\r\nok\r\n").await, 250);
    assert_eq!(server.recorder.received().len(), 1);
}

#[tokio::test]
async fn r15_a_declared_size_over_the_limit_is_refused_with_552_at_mail_from() {
    let server = Server::start(Limits { max_message_bytes: 1024 * 1024, ..Limits::default() }).await;
    let mut raw = Raw::connect(server.port).await;
    raw.reply().await;
    raw.write(b"EHLO client.example.org\r\n").await;
    let (code, ehlo) = raw.reply().await;
    assert_eq!(code, 250);
    for extension in ["SIZE 1048576", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES"] {
        assert!(ehlo.contains(extension), "{extension} in {ehlo}");
    }
    assert!(!ehlo.contains("AUTH") && !ehlo.contains("STARTTLS"), "{ehlo}");
    let (code, text) = raw.reply_to(&format!("MAIL FROM:<customer@example.org> SIZE={}", 30 * 1024 * 1024)).await;
    assert_eq!(code, 552);
    assert!(text.contains("5.3.4"), "{text}");
    assert_eq!(raw.cmd("MAIL FROM:<customer@example.org> SIZE=2000 BODY=8BITMIME").await, 250);
}

#[tokio::test]
async fn r15_of_a_thousand_recipients_only_max_recipients_are_taken_the_rest_get_452() {
    let server = Server::with_defaults().await;
    let mut raw = Raw::greeted(server.port).await;
    // Pipelined, as a real MTA would: all commands at once, then all the replies.
    let mut commands = String::from("MAIL FROM:<list@example.org>\r\n");
    for n in 0..1000 {
        commands.push_str(&format!("RCPT TO:<user{n}@reply.example.com>\r\n"));
    }
    raw.write(commands.as_bytes()).await;
    assert_eq!(raw.code().await, 250);
    let (mut taken, mut later) = (0, 0);
    for _ in 0..1000 {
        match raw.reply().await {
            (250, _) => taken += 1,
            (452, text) => {
                assert!(text.contains("4.5.3"), "{text}");
                later += 1;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((taken, later), (100, 900));
    assert_eq!(raw.cmd("DATA").await, 354);
    raw.write(b"Subject: many\r\n\r\nhi\r\n.\r\n").await;
    assert_eq!(raw.code().await, 250);
    let received = server.recorder.received();
    assert_eq!(received[0].0.rcpt_to.len(), 100);
    assert_eq!(received[0].0.rcpt_to[99], "user99@reply.example.com");
}

#[tokio::test]
async fn r15_try_later_is_451_and_a_transient_error_for_the_client() {
    let server = Server::with_defaults().await;
    server.recorder.answer(Reception::TryLater("database busy".to_owned()));
    let error = server
        .transport()
        .send_raw(&envelope(Some("customer@example.org"), &["a@reply.example.com"]), b"Subject: x\r\n\r\nhi")
        .await
        .expect_err("not taken");
    assert!(error.is_transient(), "{error}");
    assert_eq!(error.status().map(|c| c.to_string()), Some("451".to_owned()));
    assert!(error.to_string().contains("database busy"), "{error}");
}

#[tokio::test]
async fn r15_refused_is_554_and_a_permanent_error_for_the_client() {
    let server = Server::with_defaults().await;
    server.recorder.answer(Reception::Refused("not a mail\r\n250 fake".to_owned()));
    let mut raw = Raw::greeted(server.port).await;
    assert_eq!(raw.mail("a@reply.example.com", b"garbage\r\n").await, 554);
    // The receiver's reason cannot forge a second reply line: the next reply is NOOP's.
    let (code, text) = raw.reply_to("NOOP").await;
    assert_eq!((code, text.as_str()), (250, "250 2.0.0 OK\r\n"));

    server.recorder.answer(Reception::UnknownRecipient);
    let error = server
        .transport()
        .send_raw(&envelope(Some("customer@example.org"), &["gone@reply.example.com"]), b"Subject: x\r\n\r\nhi")
        .await
        .expect_err("refused");
    assert!(error.is_permanent(), "{error}");
    assert_eq!(error.status().map(|c| c.to_string()), Some("550".to_owned()));
}

#[tokio::test]
async fn r15_garbage_and_overlong_command_lines_get_500_and_the_connection_keeps_working() {
    let server = Server::with_defaults().await;
    let mut raw = Raw::greeted(server.port).await;
    assert_eq!(raw.cmd("HELLO?? \u{1}\u{7f}").await, 500);
    raw.write(b"\xff\xfe\x00 nonsense\r\n").await;
    assert_eq!(raw.code().await, 500);
    assert_eq!(raw.cmd(&format!("MAIL FROM:<{}@example.org>", "a".repeat(5000))).await, 500);
    assert_eq!(raw.cmd("AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=").await / 100, 5);
    assert_eq!(raw.cmd("STARTTLS").await / 100, 5);
    assert_eq!(raw.cmd("MAIL FROM:<a@example.org> XFOO=1").await, 555);
    assert_eq!(raw.cmd("RCPT TO:<a@reply.example.com>").await, 503);
    assert_eq!(raw.cmd("NOOP").await, 250);
    assert_eq!(raw.mail("a@reply.example.com", b"Subject: still\r\n\r\nworks\r\n").await, 250);
    assert_eq!(server.recorder.received().len(), 1);
}

#[tokio::test]
async fn r15_several_mails_on_one_connection_with_helo_rset_noop_and_quit() {
    let server = Server::with_defaults().await;
    let transport = server.transport();
    for n in 0..3 {
        let to = format!("inquiry{n}@reply.example.com");
        let body = format!("Subject: {n}\r\n\r\nmail {n}");
        transport
            .send_raw(&envelope(Some("customer@example.org"), &[to.as_str()]), body.as_bytes())
            .await
            .expect("sent");
    }
    let received = server.recorder.received();
    assert_eq!(received.len(), 3);
    // (lettre's pool hands its connection back in a spawned task, so whether these three
    // shared one connection is up to lettre; the raw conversation below makes sure.)

    let mut raw = Raw::connect(server.port).await;
    assert_eq!(raw.code().await, 220);
    assert_eq!(raw.cmd("HELO client.example.org").await, 250);
    assert_eq!(raw.cmd("NOOP").await, 250);
    assert_eq!(raw.cmd("MAIL FROM:<first@example.org>").await, 250);
    assert_eq!(raw.cmd("RCPT TO:<dropped@reply.example.com>").await, 250);
    assert_eq!(raw.cmd("RSET").await, 250);
    // After RSET the abandoned mail's sender and recipient are gone; the null sender works.
    assert_eq!(raw.cmd("MAIL FROM:<>").await, 250);
    assert_eq!(raw.cmd("RCPT TO:<bounces@reply.example.com>").await, 250);
    assert_eq!(raw.cmd("DATA").await, 354);
    raw.write(b"Subject: bounce\r\n\r\n.\r\n").await;
    assert_eq!(raw.code().await, 250);
    assert_eq!(raw.mail("again@reply.example.com", b"Subject: again\r\n\r\nx\r\n").await, 250);
    assert_eq!(raw.cmd("QUIT").await, 221);
    assert!(raw.closed().await);

    let received = server.recorder.received();
    assert_eq!(received.len(), 5);
    let bounce = &received[3].0;
    assert_eq!(bounce.mail_from, None);
    assert_eq!(bounce.rcpt_to, vec!["bounces@reply.example.com".to_owned()]);
    assert_eq!(received[4].0.mail_from.as_deref(), Some("customer@example.org"));
    assert_eq!(received[4].0.rcpt_to, vec!["again@reply.example.com".to_owned()]);
    assert_eq!(received[3].0.peer, received[4].0.peer, "both mails came over one connection");
}

#[tokio::test]
async fn r15_shutdown_stops_accepting_closes_idle_connections_and_finishes_the_mail_under_way() {
    let mut server = Server::with_defaults().await;
    let mut idle = Raw::greeted(server.port).await;
    let mut busy = Raw::greeted(server.port).await;
    assert_eq!(busy.cmd("MAIL FROM:<customer@example.org>").await, 250);
    assert_eq!(busy.cmd("RCPT TO:<a@reply.example.com>").await, 250);
    assert_eq!(busy.cmd("DATA").await, 354);
    busy.write(b"Subject: in flight\r\n\r\nfirst half\r\n").await;

    server.shut_down();
    let (code, _) = idle.reply().await;
    assert_eq!(code, 421);
    assert!(idle.closed().await);

    busy.write(b"second half\r\n.\r\n").await;
    assert_eq!(busy.code().await, 250);
    assert_eq!(busy.code().await, 421);
    tokio::time::timeout(WAIT, &mut server.serving).await.expect("serve returns").expect("no panic");

    assert_eq!(server.recorder.received()[0].1, b"Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n");
    assert!(TcpStream::connect(("127.0.0.1", server.port)).await.is_err(), "still accepting");
}

#[tokio::test]
async fn r15_an_idle_connection_is_closed_with_421() {
    let server = Server::start(Limits { idle_timeout: Duration::from_millis(300), ..Limits::default() }).await;
    let mut raw = Raw::greeted(server.port).await;
    let (code, text) = raw.reply().await;
    assert_eq!(code, 421, "{text}");
    assert!(raw.closed().await);
}

#[tokio::test]
async fn r15_connections_over_the_limit_are_told_421() {
    let server = Server::start(Limits { max_connections: 1, ..Limits::default() }).await;
    let mut first = Raw::greeted(server.port).await;
    let mut second = Raw::connect(server.port).await;
    assert_eq!(second.code().await, 421);
    assert!(second.closed().await);
    assert_eq!(first.cmd("QUIT").await, 221);
}

#[tokio::test]
async fn r15_a_bad_hostname_or_a_busy_address_fails_at_bind() {
    assert!(Listener::bind("127.0.0.1:0", "two words", Limits::default()).await.is_err());
    assert!(Listener::bind("not an address", "mx.example.com", Limits::default()).await.is_err());
    let taken = Listener::bind("127.0.0.1:0", "mx.example.com", Limits::default()).await.expect("bind");
    let address: SocketAddr = taken.local_addr().expect("address");
    assert!(Listener::bind(&address.to_string(), "mx.example.com", Limits::default()).await.is_err());
}

#[tokio::test]
async fn r15_thousands_of_random_command_lines_never_break_the_listener() {
    let server = Server::with_defaults().await;
    let mut raw = Raw::greeted(server.port).await;
    // A fixed xorshift sequence: the same "random" input every run.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let prefixes: [&[u8]; 9] =
        [b"", b"MAIL FROM:", b"RCPT TO:", b"EHLO ", b"HELO", b"VRFY ", b"NOOP", b"RSET ", b"AUTH "];
    for _ in 0..20 {
        let mut batch = Vec::new();
        for _ in 0..100 {
            batch.extend_from_slice(prefixes[(next() % 9) as usize]);
            let length = (next() % 1200) as usize;
            batch.extend((0..length).map(|_| (next() % 256) as u8).map(|b| if b == b'\n' { b' ' } else { b }));
            batch.extend_from_slice(b"\r\n");
        }
        raw.write(&batch).await;
        for _ in 0..100 {
            let code = raw.code().await;
            assert!((200..600).contains(&code) && code != 421, "{code}");
        }
    }
    assert_eq!(raw.cmd("RSET").await, 250);
    assert_eq!(raw.mail("a@reply.example.com", b"Subject: after the noise\r\n\r\nok\r\n").await, 250);
    assert_eq!(server.recorder.received().len(), 1);
}
