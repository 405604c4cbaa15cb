//! `vocdesk serve` against clients that stall, idle, send bodies nobody reads, or
//! arrive past the connection cap, over raw TCP on loopback so that every byte is the
//! test's choice. Each test starts the real binary on a free port with short limits.
//!
//! The times asserted are bounds against hanging (a process or connection that never
//! ends), never measurements of speed.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long any single read waits before the test calls the server stuck.
const PATIENCE: Duration = Duration::from_secs(10);

/// A running `vocdesk serve` on a fresh embedded store; killed when dropped.
struct Server {
    child: Child,
    address: String,
    // Kept open so that the server never writes to a closed pipe.
    _stdout: BufReader<ChildStdout>,
    dir: tempfile::TempDir,
}

impl Server {
    /// Starts `vocdesk serve --listen 127.0.0.1:0` with these extra flags and waits for
    /// the line that names its address.
    fn start(flags: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(dir.path().join("server.log")).expect("log file");
        let data = dir.path().join("data");
        let mut child = common::vocdesk()
            .args(["serve", "--listen", "127.0.0.1:0", "--data"])
            .arg(&data)
            .args(flags)
            .env("RUST_LOG", "info,vocdesk=debug")
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("serve starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        let address = loop {
            line.clear();
            assert!(stdout.read_line(&mut line).expect("read stdout") > 0, "serve ended before listening");
            if let Some(rest) = line.trim().strip_prefix("vocdesk listening on http://") {
                break rest.to_owned();
            }
        };
        Server { child, address, _stdout: stdout, dir }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.address).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("read timeout");
        stream
    }

    fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(status.success(), "kill -TERM");
    }

    /// Waits up to `limit` for the process to exit; `None` if it is still running.
    fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One response as read off the wire.
#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }
}

/// Reads one response with a `Content-Length` body (every vocdesk API answer has one).
fn read_response(stream: &mut TcpStream) -> Response {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("read the response head");
        assert!(n > 0, "connection closed inside a response head: {:?}", String::from_utf8_lossy(&head));
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).expect("ASCII head");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("status code");
    let mut response = Response { status, head, body: Vec::new() };
    let length: usize = response.header("content-length").and_then(|v| v.parse().ok()).expect("content-length");
    response.body = vec![0; length];
    stream.read_exact(&mut response.body).expect("read the body");
    response
}

/// Waits for the server to close `stream`: `Ok(elapsed)` at end of stream, `Err` with
/// what came instead.
fn wait_for_eof(stream: &mut TcpStream) -> Result<Duration, String> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    match stream.read(&mut buf) {
        Ok(0) => Ok(start.elapsed()),
        Ok(n) => Err(format!("{n} bytes instead of end of stream: {:?}", String::from_utf8_lossy(&buf[..n]))),
        Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
            Err(format!("still open after {:?}", start.elapsed()))
        }
        // A reset is a close too, but not the clean one these tests expect.
        Err(e) => Err(format!("read failed: {e}")),
    }
}

fn get_healthz(stream: &mut TcpStream) -> Response {
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
    read_response(stream)
}

#[test]
fn a_half_sent_request_does_not_hold_sigterm_past_the_grace() {
    let mut server = Server::start(&["--shutdown-grace-secs", "3", "--header-timeout-secs", "600"]);
    let mut stalled = server.connect();
    stalled.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").expect("send half a request");
    let mut idle = server.connect();
    assert_eq!(get_healthz(&mut idle).status, 200);
    std::thread::sleep(Duration::from_millis(200));

    server.terminate();
    let status = server.wait_exit(Duration::from_secs(3 + 5));
    let log = server.log();
    let status = status.unwrap_or_else(|| panic!("still running 8 s after SIGTERM (grace 3 s); log:\n{log}"));
    assert!(status.success(), "exit status {status:?}; log:\n{log}");
    assert!(wait_for_eof(&mut stalled).is_ok(), "the half-sent request's connection is closed");
    assert!(wait_for_eof(&mut idle).is_ok(), "the idle connection is closed");
}

#[test]
fn sigterm_exits_after_the_grace_even_with_a_request_stuck_in_flight() {
    let mut server = Server::start(&["--shutdown-grace-secs", "1"]);
    let mut stuck = server.connect();
    // Headers complete, body promised but never sent: the handler waits for it.
    stuck
        .write_all(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"email\"")
        .expect("send");
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    let status = server.wait_exit(Duration::from_secs(1 + 5));
    let log = server.log();
    let status = status.unwrap_or_else(|| panic!("still running 6 s after SIGTERM (grace 1 s); log:\n{log}"));
    assert!(status.success(), "exit status {status:?}; log:\n{log}");
    assert!(log.contains("shutdown grace over"), "the stuck connection was cut at the deadline; log:\n{log}");
}

#[test]
fn a_request_in_flight_completes_during_graceful_shutdown() {
    let mut server = Server::start(&["--shutdown-grace-secs", "10"]);
    let mut slow = server.connect();
    let body = br#"{"email":"nobody@example.com","password":"not-the-password"}"#;
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    slow.write_all(head.as_bytes()).expect("send the head");
    slow.write_all(&body[..10]).expect("send part of the body");
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    assert!(server.child.try_wait().expect("try_wait").is_none(), "the server waits for the request in flight");
    assert!(TcpStream::connect(&server.address).is_err(), "no new connections are accepted while shutting down");
    slow.write_all(&body[10..]).expect("send the rest of the body");
    let response = read_response(&mut slow);
    assert_eq!(response.status, 401, "the request was answered: {response:?}");
    assert_eq!(response.header("connection").as_deref(), Some("close"), "{response:?}");
    assert!(wait_for_eof(&mut slow).is_ok(), "then its connection closes");
    let status = server.wait_exit(Duration::from_secs(5));
    let status = status.unwrap_or_else(|| panic!("still running after the last request; log:\n{}", server.log()));
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let server = Server::start(&["--idle-timeout-secs", "1", "--header-timeout-secs", "30"]);
    let mut stream = server.connect();
    let response = get_healthz(&mut stream);
    assert_eq!(response.status, 200);
    assert_eq!(response.header("connection"), None, "keep-alive by default: {response:?}");
    let second = get_healthz(&mut stream);
    assert_eq!(second.status, 200, "the connection serves a second request");
    let waited = wait_for_eof(&mut stream).unwrap_or_else(|e| panic!("{e}; log:\n{}", server.log()));
    assert!(waited >= Duration::from_millis(500), "not closed before the idle timeout ({waited:?})");
}

#[test]
fn half_sent_headers_are_closed_after_the_header_timeout() {
    let server = Server::start(&["--header-timeout-secs", "1", "--idle-timeout-secs", "60"]);
    let mut stream = server.connect();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").expect("send half a request");
    let waited = wait_for_eof(&mut stream).unwrap_or_else(|e| panic!("{e}; log:\n{}", server.log()));
    assert!(waited >= Duration::from_millis(500), "not closed before the header timeout ({waited:?})");
    assert!(waited < Duration::from_secs(8), "closed by the header timeout, not the idle one ({waited:?})");

    // A client that connects and sends nothing is held to the same bound.
    let mut silent = server.connect();
    let waited = wait_for_eof(&mut silent).unwrap_or_else(|e| panic!("{e}; log:\n{}", server.log()));
    assert!(waited < Duration::from_secs(8), "a silent new connection is closed by the header timeout ({waited:?})");
}

#[test]
fn a_post_refused_before_its_body_is_read_answers_connection_close_and_closes() {
    let server = Server::start(&[]);
    let mut stream = server.connect();
    let body = br#"{"name":"Seller","support_email":"s@example.com"}"#;
    let request = format!(
        "POST /api/v1/sellers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send the head");
    stream.write_all(body).expect("send the body");
    let response = read_response(&mut stream);
    assert_eq!(response.status, 401, "no token: {response:?}");
    assert_eq!(response.header("connection").as_deref(), Some("close"), "{response:?}");
    wait_for_eof(&mut stream).unwrap_or_else(|e| panic!("{e}; log:\n{}", server.log()));

    let mut fresh = server.connect();
    assert_eq!(get_healthz(&mut fresh).status, 200, "a fresh connection works");
    // A refusal without a body keeps the connection: 404, then another request on it.
    fresh.write_all(b"GET /no/such/page HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
    let missing = read_response(&mut fresh);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("connection"), None, "{missing:?}");
    assert_eq!(get_healthz(&mut fresh).status, 200, "the same connection goes on");
}

#[test]
fn past_the_connection_cap_a_new_connection_is_served_once_one_closes() {
    let server = Server::start(&["--max-connections", "2"]);
    let mut first = server.connect();
    let mut second = server.connect();
    assert_eq!(get_healthz(&mut first).status, 200);
    assert_eq!(get_healthz(&mut second).status, 200);

    // The kernel completes the handshake; the server does not accept it yet.
    let mut third = server.connect();
    third.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
    third.set_read_timeout(Some(Duration::from_millis(700))).expect("timeout");
    let mut byte = [0u8; 1];
    let early = third.read(&mut byte);
    assert!(
        matches!(&early, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "the third connection waits while two are open: {early:?}"
    );

    drop(first);
    third.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let response = read_response(&mut third);
    assert_eq!(response.status, 200, "served once the first closed: {response:?}");
    assert_eq!(get_healthz(&mut second).status, 200, "the second is still served");
}
