//! [`read`] takes whatever arrives from the internet: it may refuse bytes, never panic.

use proptest::prelude::*;
use vocdesk_mail::inbound::{read, trim_reply};

/// Pieces of real mail, so that random mails get deep into the MIME parser.
const PIECES: [&str; 12] = [
    "From: A <a@example.com>\r\n",
    "Subject: =?cp949?B?x9E=?=\r\n",
    "Content-Type: multipart/mixed; boundary=b\r\n",
    "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n",
    "Content-Type: text/plain; charset=ks_c_5601-1987\r\n",
    "Content-Type: message/rfc822\r\n",
    "Content-Transfer-Encoding: base64\r\n",
    "\r\n",
    "--b\r\n",
    "--b--\r\n",
    "Final-Recipient: rfc822; x@y\r\nAction: failed\r\n",
    "<blockquote>&amp;<p>text</p>",
];

// 256 cases each by default; PROPTEST_CASES raises it for a longer hunt.
proptest! {
    #[test]
    fn read_never_panics_on_arbitrary_bytes(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read(&raw);
    }

    #[test]
    fn read_never_panics_on_mail_shaped_bytes(
        pieces in proptest::collection::vec((0..PIECES.len(), proptest::collection::vec(any::<u8>(), 0..16)), 0..40),
    ) {
        let mut raw = Vec::new();
        for (piece, noise) in pieces {
            raw.extend_from_slice(PIECES[piece].as_bytes());
            raw.extend_from_slice(&noise);
        }
        if let Ok(mail) = read(&raw) {
            prop_assert!(mail.text.trim().is_empty() || !mail.reply.trim().is_empty());
        }
    }

    #[test]
    fn trimming_keeps_a_reply_whenever_there_is_text(text in "(\\PC{0,12}\n){0,12}") {
        let reply = trim_reply(&text);
        prop_assert!(text.trim().is_empty() || !reply.trim().is_empty());
    }
}
