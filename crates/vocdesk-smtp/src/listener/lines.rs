//! Reading a client's lines without letting a client decide how much memory is used:
//! every read stops at a line feed or at a caller's limit, whichever comes first.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// How a bounded read ended.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Read {
    /// The buffer ends with a line feed.
    Line,
    /// The limit was reached before a line feed: the line goes on.
    Partial,
    /// The client closed the connection (a partial line before it is dropped).
    Closed,
}

/// Appends to `buf` up to and including the next line feed, but at most `max` bytes in
/// all (`buf` is expected empty). Cancelling it loses what was read, which is fine for the
/// one use of cancellation here: closing the connection.
pub(super) async fn read_line<R: AsyncBufRead + Unpin>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Read> {
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(Read::Closed);
        }
        let room = max.saturating_sub(buf.len());
        let (take, complete) = match available.iter().position(|&b| b == b'\n') {
            Some(end) if end < room => (end + 1, true),
            _ => (available.len().min(room), false),
        };
        buf.extend_from_slice(&available[..take]);
        reader.consume(take);
        if complete {
            return Ok(Read::Line);
        }
        if buf.len() >= max {
            return Ok(Read::Partial);
        }
    }
}

/// A message body as it arrives in DATA: dot-unstuffed, kept up to a limit, and over it
/// dropped (but still followed to its end, so that the connection stays in step).
#[derive(Debug)]
pub(super) struct Body {
    kept: Vec<u8>,
    limit: usize,
    too_big: bool,
    /// The previous chunk ended with CRLF (or nothing came yet): the next one starts a line.
    line_start: bool,
    /// The previous chunk ended with CR, so a chunk that is a lone LF completes a CRLF.
    after_cr: bool,
}

impl Body {
    /// An empty body that keeps at most `limit` bytes.
    pub(super) fn new(limit: usize) -> Self {
        Self { kept: Vec::new(), limit, too_big: false, line_start: true, after_cr: false }
    }

    /// Takes one chunk as read by [`read_line`]; `true` when it was the end of the data.
    ///
    /// Only `.` CRLF after a CRLF ends the data, and only a line after a CRLF is
    /// dot-unstuffed: a bare LF is not a line end here, so a `\n.\n` hidden in a mail
    /// cannot end it early and smuggle a second mail past the MTA in front.
    pub(super) fn push(&mut self, chunk: &[u8]) -> bool {
        if self.line_start && chunk == b".\r\n" {
            return true;
        }
        let content = match chunk {
            [b'.', rest @ ..] if self.line_start => rest,
            _ => chunk,
        };
        if !self.too_big {
            if self.kept.len() + content.len() > self.limit {
                self.too_big = true;
                self.kept = Vec::new();
            } else {
                self.kept.extend_from_slice(content);
            }
        }
        self.line_start = chunk.ends_with(b"\r\n") || (chunk == b"\n" && self.after_cr);
        self.after_cr = chunk.ends_with(b"\r");
        false
    }

    /// The whole message, or `None` when it grew over the limit.
    pub(super) fn finish(self) -> Option<Vec<u8>> {
        (!self.too_big).then_some(self.kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn feed(input: &[u8], limit: usize, chunk: usize) -> (Option<Vec<u8>>, Vec<u8>) {
        let mut reader = tokio::io::BufReader::with_capacity(7, input);
        let mut body = Body::new(limit);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match read_line(&mut reader, &mut buf, chunk).await.expect("read") {
                Read::Closed => panic!("no end of data"),
                _ if body.push(&buf) => break,
                _ => {}
            }
        }
        let mut rest = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut rest).await.expect("rest");
        (body.finish(), rest)
    }

    #[tokio::test]
    async fn data_is_unstuffed_and_ends_only_at_crlf_dot_crlf() {
        let (body, rest) = feed(b"a\r\n..b\r\nc\n.\nd\r\n.\r\nQUIT\r\n", 100, 1000).await;
        assert_eq!(body.as_deref(), Some(&b"a\r\n.b\r\nc\n.\nd\r\n"[..]));
        assert_eq!(rest, b"QUIT\r\n");
    }

    #[tokio::test]
    async fn long_lines_come_in_chunks_and_a_split_crlf_still_starts_a_line() {
        let (body, _) = feed(b"0123456789\r\n..x\r\n.\r\n", 100, 11).await;
        assert_eq!(body.as_deref(), Some(&b"0123456789\r\n.x\r\n"[..]));
        let (body, _) = feed(b"0123.56789\r\n.\r\n", 100, 4).await;
        assert_eq!(body.as_deref(), Some(&b"0123.56789\r\n"[..]));
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_dropped_but_read_to_its_end() {
        let (body, rest) = feed(b"0123456789\r\n0123456789\r\n.\r\nNOOP\r\n", 15, 1000).await;
        assert_eq!(body, None);
        assert_eq!(rest, b"NOOP\r\n");
    }
}
