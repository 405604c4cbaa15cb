//! A loopback SMTP server that keeps what it is sent: the suites' mail sink (R16), also
//! the way to try delivery without a mail server. It speaks just enough SMTP for a
//! client (no TLS, no authentication) and can be told to refuse recipients with any
//! reply, so that transient (421) and permanent (550) refusals can be tested for real.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A loopback SMTP server that keeps every message it accepts and answers RCPT with
/// `rcpt_reply` (e.g. "250 OK", "421 4.7.0 busy", "550 5.1.1 no such user").
pub struct Sink {
    port: u16,
    received: Arc<Mutex<Vec<String>>>,
    rcpt_reply: Arc<Mutex<&'static str>>,
}

impl Sink {
    /// Listens on a free loopback port; RCPT is answered with `rcpt_reply`.
    pub async fn start(rcpt_reply: &'static str) -> std::io::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        let reply = Arc::new(Mutex::new(rcpt_reply));
        let answer = reply.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let kept = kept.clone();
                let answer = answer.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                        let reply = match verb.as_str() {
                            "EHLO" | "HELO" => "250-sink\r\n250 8BITMIME".to_owned(),
                            "RCPT" => answer.lock().map(|r| (*r).to_owned()).unwrap_or_default(),
                            "DATA" => {
                                let _ = write.write_all(b"354 go ahead\r\n").await;
                                let mut body = String::new();
                                while let Ok(Some(line)) = lines.next_line().await {
                                    if line == "." {
                                        break;
                                    }
                                    body.push_str(&line);
                                    body.push('\n');
                                }
                                if let Ok(mut kept) = kept.lock() {
                                    kept.push(body);
                                }
                                "250 2.0.0 queued".to_owned()
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                return;
                            }
                            _ => "250 OK".to_owned(),
                        };
                        if write.write_all(format!("{reply}\r\n").as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Ok(Sink { port, received, rcpt_reply: reply })
    }

    /// The URL `Delivery::smtp` takes.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far (its DATA, lines joined by `\n`).
    pub fn received(&self) -> Vec<String> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Everything received so far, forgotten here: what arrives next starts afresh.
    pub fn take(&self) -> Vec<String> {
        self.received.lock().map(|mut r| std::mem::take(&mut *r)).unwrap_or_default()
    }

    /// From now on, RCPT is answered with `reply`.
    pub fn answer_rcpt(&self, reply: &'static str) {
        if let Ok(mut current) = self.rcpt_reply.lock() {
            *current = reply;
        }
    }
}
