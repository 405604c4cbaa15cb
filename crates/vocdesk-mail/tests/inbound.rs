//! Received mail as vocdesk reads it: each mail of `tests/corpus` (real clients' shapes,
//! in English and Korean, in the charsets they use) with what [`read`] must make of it:
//! who sent it, the subject, the reply without the quoted conversation, the attachments,
//! and whether a person wrote it.

use vocdesk_mail::inbound::{Nature, ReceivedMail, Unreadable, read};

#[path = "inbound/never_panics.rs"]
mod never_panics;
#[path = "inbound/trim.rs"]
mod trim;

/// The Message-ID of the mail vocdesk sent that most of the corpus answers.
const THREAD: &str = "0190abcd-0000-7000-8000-000000000001@reply.example.com";

/// What a corpus mail must read as.
struct Case {
    file: &'static str,
    from: &'static [&'static str],
    from_name: Option<&'static str>,
    subject: &'static str,
    in_reply_to: &'static [&'static str],
    reply: Reply,
    /// Words the whole text must hold (the quote that the reply drops, say).
    text_has: &'static [&'static str],
    /// File name and content type of each attachment, in order.
    attachments: &'static [(&'static str, &'static str)],
    nature: Expected,
}

enum Reply {
    Is(&'static str),
    Has(&'static str),
}

enum Expected {
    Personal,
    Automatic(&'static str),
    Bounce { ids: &'static [&'static str], failed: &'static [&'static str], permanent: bool },
}

const BASE: Case = Case {
    file: "",
    from: &[],
    from_name: None,
    subject: "",
    in_reply_to: &[THREAD],
    reply: Reply::Has(""),
    text_has: &[],
    attachments: &[],
    nature: Expected::Personal,
};

const CASES: &[Case] = &[
    Case {
        file: "gmail_en_reply.eml",
        from: &["jane.doe@gmail.com"],
        from_name: Some("Jane Doe"),
        subject: "Re: [vocdesk] Refund for \"Puzzle Quest\"",
        reply: Reply::Is("Hi,\n\nThe refund hasn't arrived yet. Could you check again?\n\nThanks,\nJane"),
        text_has: &["> Your refund of ₩9,900 is on its way."],
        ..BASE
    },
    Case {
        file: "gmail_ko_reply.eml",
        from: &["minji@example.com"],
        from_name: Some("김민지"),
        subject: "Re: [vocdesk] 환불 문의",
        reply: Reply::Is("안녕하세요, 환불 요청드린 김민지입니다.\n아직 카드 취소가 안 됐어요. 확인 부탁드립니다."),
        text_has: &["님이 작성:", "> 환불이 접수되었습니다."],
        ..BASE
    },
    Case {
        file: "gmail_ko_wrapped.eml",
        from: &["minji@example.com"],
        from_name: Some("김민지"),
        subject: "Re: [vocdesk] 환불 문의",
        reply: Reply::Is("네 확인했습니다. 감사합니다!"),
        ..BASE
    },
    Case {
        file: "outlook_en.eml",
        from: &["tom.baker@contoso.example"],
        from_name: Some("Tom Baker"),
        subject: "RE: [vocdesk] New answer to your inquiry",
        reply: Reply::Is(
            "Hello,\n\nI was charged twice for the Pro upgrade. Please refund one of the charges.\n\nRegards,\nTom Baker",
        ),
        text_has: &["-----Original Message-----", "Sent: Thursday, December 3, 2026 9:00 AM"],
        ..BASE
    },
    // ks_c_5601-1987 is Outlook's name for Windows-949: 똠 is outside EUC-KR.
    Case {
        file: "outlook_ko_ks_c_5601.eml",
        from: &["seojun.park@company.example"],
        from_name: Some("박서준"),
        subject: "RE: [vocdesk] 똠방각하 아이템 문의",
        reply: Reply::Is(
            "안녕하세요.\n게임 닉네임이 '똠방각하'인데 결제한 아이템이 들어오지 않았습니다.\n확인 부탁드립니다.\n\n박서준 드림",
        ),
        text_has: &["보낸 사람: vocdesk", "제목: [vocdesk] 문의에 답변이 등록되었습니다"],
        ..BASE
    },
    Case {
        file: "naver_euc_kr.eml",
        from: &["gildong@naver.com"],
        from_name: Some("홍길동"),
        subject: "구독 해지 문의",
        in_reply_to: &[],
        reply: Reply::Is("안녕하세요. 앱 구독 해지 문의드립니다.\n해지 버튼이 보이지 않습니다."),
        text_has: &["-- \n홍길동 | 010-1234-5678"],
        ..BASE
    },
    // cp949, uhc and ms949 are names mail-parser does not know.
    Case {
        file: "cp949_labelled.eml",
        from: &["ddom@hanmail.example"],
        from_name: Some("최똠"),
        subject: "똠방각하 결제 문의",
        in_reply_to: &[],
        reply: Reply::Is("'똠방각하' 아이템 결제 내역 첨부합니다.\n햏 님께 선물한 것도 포함입니다."),
        attachments: &[("결제내역_똠.txt", "text/plain")],
        ..BASE
    },
    Case {
        file: "iphone_en.eml",
        from: &["alex.kim@icloud.example"],
        from_name: Some("Alex Kim"),
        subject: "Re: [vocdesk] Your inquiry was answered",
        reply: Reply::Is("Got it, thank you!"),
        text_has: &["Sent from my iPhone"],
        ..BASE
    },
    Case {
        file: "galaxy_ko.eml",
        from: &["seoyeon.lee@example.kr"],
        from_name: Some("이서연"),
        subject: "Re: [vocdesk] 답변 등록 안내",
        reply: Reply::Is("알겠습니다. 다시 설치해 볼게요."),
        text_has: &["-------- 원본 메시지 --------"],
        ..BASE
    },
    Case {
        file: "html_only.eml",
        from: &["sam@fastmail.example"],
        from_name: Some("Sam Lee"),
        subject: "Re: [vocdesk] Crash on restore",
        in_reply_to: &[],
        reply: Reply::Is("Hello,\n\nThe app crashes when I tap \"Restore\".\nVersion 2.1 & iOS 18.\n\nBest,\nSam"),
        text_has: &["> Hello Sam,\n> Please tell us your version & device."],
        ..BASE
    },
    // The text/plain alternative wins over the HTML one.
    Case {
        file: "multipart_alternative.eml",
        from: &["chris.park@outlook.example"],
        from_name: Some("Chris Park"),
        subject: "Re: [vocdesk] Answer",
        reply: Reply::Is("Thanks, that worked."),
        text_has: &["Get Outlook for Android\n________________________________\nFrom: vocdesk"],
        ..BASE
    },
    Case {
        file: "attachments.eml",
        from: &["jane.doe@gmail.example"],
        from_name: Some("Jane Doe"),
        subject: "Screenshot of the error",
        in_reply_to: &[],
        reply: Reply::Is("Here is the screenshot and the log."),
        // The `../../` of the sender's file name is dropped.
        attachments: &[("screenshot.png", "image/png"), ("error log.txt", "text/plain")],
        ..BASE
    },
    Case {
        file: "out_of_office_ko.eml",
        from: &["haneul.jung@corp.example"],
        from_name: Some("정하늘"),
        subject: "부재중: Re: [vocdesk] 문의 답변",
        reply: Reply::Is("12월 7일까지 휴가입니다. 급한 용무는 팀 메일로 연락 주세요."),
        nature: Expected::Automatic("Auto-Submitted: auto-replied"),
        ..BASE
    },
    Case {
        file: "precedence_bulk.eml",
        from: &["news@shop.example"],
        from_name: Some("Deals Team"),
        subject: "Our biggest sale of the year",
        in_reply_to: &[],
        nature: Expected::Automatic("Precedence: bulk"),
        ..BASE
    },
    Case {
        file: "x_autoreply.eml",
        from: &["robot@helpdesk.example"],
        from_name: Some("Support Robot"),
        subject: "We received your message",
        nature: Expected::Automatic("X-Autoreply: yes"),
        ..BASE
    },
    // List-Id alone (and X-Auto-Response-Suppress) does not make a mail automatic.
    Case {
        file: "list_id_personal.eml",
        from: &["dana@lists.example"],
        from_name: Some("Dana Choi"),
        subject: "Re: [vocdesk] Question about family sharing",
        reply: Reply::Is("Does family sharing include in-app items?"),
        ..BASE
    },
    Case {
        file: "dsn_permanent.eml",
        from: &["mailer-daemon@mx.reply.example.com"],
        subject: "Undelivered Mail Returned to Sender",
        from_name: Some("Mail Delivery System"),
        in_reply_to: &[],
        reply: Reply::Has("could not\nbe delivered"),
        attachments: &[("attachment-1", "message/delivery-status"), ("attachment-2", "text/rfc822-headers")],
        nature: Expected::Bounce { ids: &[THREAD], failed: &["minji.kim@example.com"], permanent: true },
        ..BASE
    },
    // Only an Action of failed names a failed recipient; a 4.x.x status is not permanent.
    Case {
        file: "dsn_delayed.eml",
        from: &["mailer-daemon@googlemail.example"],
        from_name: Some("Mail Delivery Subsystem"),
        subject: "Delivery Status Notification (Delay)",
        in_reply_to: &["0190abcd-0000-7000-8000-000000000002@reply.example.com"],
        reply: Reply::Has("has been delayed"),
        attachments: &[("attachment-1", "message/delivery-status"), ("attachment-2.eml", "message/rfc822")],
        nature: Expected::Bounce {
            ids: &["0190abcd-0000-7000-8000-000000000002@reply.example.com"],
            failed: &[],
            permanent: false,
        },
        ..BASE
    },
    Case {
        file: "exim_bounce.eml",
        from: &["mailer-daemon@mx.hosting.example"],
        from_name: Some("Mail Delivery System"),
        subject: "Mail delivery failed: returning message to sender",
        in_reply_to: &[],
        reply: Reply::Has("This is a permanent error."),
        nature: Expected::Bounce {
            ids: &[THREAD],
            failed: &["nobody@nowhere.example", "second@nowhere.example"],
            permanent: true,
        },
        ..BASE
    },
    // The sender is the address, never a display name that looks like one, nor Reply-To.
    Case {
        file: "forged_display_name.eml",
        from: &["attacker@evil.test"],
        from_name: Some("customer@example.com"),
        subject: "Re: [vocdesk] Please refund to this new account",
        reply: Reply::Is("Please send my refund to a different account."),
        ..BASE
    },
    // An encoded word that decodes to `name <address>` stays a name; a CR LF in an encoded
    // subject cannot add a header line.
    Case {
        file: "forged_encoded_word.eml",
        from: &["attacker@evil.test"],
        from_name: Some("customer@example.com <customer@example.com>"),
        subject: "Re: [vocdesk] urgent  Bcc: victim@example.com",
        in_reply_to: &[],
        reply: Reply::Is("It is me, really."),
        ..BASE
    },
    Case {
        file: "malformed_no_boundary.eml",
        from: &["broken@client.example"],
        from_name: Some("Broken Client"),
        subject: "Broken multipart",
        in_reply_to: &[],
        reply: Reply::Has("My app does not start."),
        ..BASE
    },
    Case {
        file: "malformed_truncated.eml",
        from: &["cut@client.example"],
        from_name: Some("Cut Off"),
        subject: "Truncated",
        in_reply_to: &[],
        reply: Reply::Is("The first part is whole."),
        attachments: &[("receipt.pdf", "application/pdf")],
        ..BASE
    },
    Case {
        file: "unknown_charset.eml",
        from: &["odd@client.example"],
        from_name: Some("Unknown Charset"),
        subject: "Café question",
        in_reply_to: &[],
        reply: Reply::Is("Café menu is broken \u{fffd} here."),
        ..BASE
    },
];

fn corpus(file: &str) -> Vec<u8> {
    let path = format!("{}/tests/corpus/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_corpus(file: &str) -> ReceivedMail {
    read(&corpus(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_corpus_mail_reads_as_expected() {
    for case in CASES {
        let mail = read_corpus(case.file);
        let file = case.file;
        assert_eq!(mail.from, case.from, "{file}: from");
        assert_eq!(mail.from_name.as_deref(), case.from_name, "{file}: from_name");
        assert_eq!(mail.subject, case.subject, "{file}: subject");
        assert_eq!(mail.in_reply_to, case.in_reply_to, "{file}: in_reply_to");
        assert!(mail.message_id.is_some(), "{file}: message_id");
        match case.reply {
            Reply::Is(reply) => assert_eq!(mail.reply, reply, "{file}: reply"),
            Reply::Has(words) => assert!(mail.reply.contains(words), "{file}: reply {:?}", mail.reply),
        }
        assert!(!mail.reply.is_empty(), "{file}: an empty reply");
        for words in case.text_has {
            assert!(mail.text.contains(words), "{file}: text {:?} lacks {words:?}", mail.text);
        }
        let attachments: Vec<(&str, &str)> =
            mail.attachments.iter().map(|a| (a.file_name.as_str(), a.content_type.as_str())).collect();
        assert_eq!(attachments, case.attachments, "{file}: attachments");
        let nature = match case.nature {
            Expected::Personal => Nature::Personal,
            Expected::Automatic(reason) => Nature::Automatic { reason: reason.to_owned() },
            Expected::Bounce { ids, failed, permanent } => Nature::Bounce {
                original_message_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
                failed_recipients: failed.iter().map(|addr| (*addr).to_owned()).collect(),
                permanent,
            },
        };
        assert_eq!(mail.nature, nature, "{file}: nature");
    }
}

#[test]
fn the_table_covers_the_whole_corpus() {
    let dir = format!("{}/tests/corpus", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus folder")
        .map(|entry| entry.expect("corpus entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".eml") && name != "not_a_mail.eml")
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|case| case.file.to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn attachments_keep_their_bytes() {
    let mail = read_corpus("attachments.eml");
    let png = &mail.attachments[0].bytes;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.ends_with(b"IEND\xaeB`\x82"), "{png:?}");
    assert_eq!(mail.attachments[1].bytes, b"E/AndroidRuntime: FATAL EXCEPTION: main");
    // A text file labelled ms949 arrives as UTF-8.
    let mail = read_corpus("cp949_labelled.eml");
    assert_eq!(String::from_utf8_lossy(&mail.attachments[0].bytes), "2026-12-03 똠방각하 9,900원\n");
}

#[test]
fn thread_ids_come_without_angle_brackets() {
    let mail = read_corpus("gmail_en_reply.eml");
    assert_eq!(mail.message_id.as_deref(), Some("CAF=abc123XyZ@mail.gmail.com"));
    assert_eq!(mail.references, ["0190abcd-0000-7000-8000-000000000000@reply.example.com", THREAD]);
}

#[test]
fn what_is_not_a_mail_is_unreadable() {
    assert!(matches!(read(&corpus("not_a_mail.eml")), Err(Unreadable::NoHeaders)));
    assert!(matches!(read(b""), Err(Unreadable::Empty)));
    assert!(matches!(read(b" \r\n\t\n"), Err(Unreadable::Empty)));
    assert!(matches!(read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Err(Unreadable::NoHeaders)));
}

#[test]
fn a_mail_of_headers_only_reads_with_an_empty_text() {
    let mail = read(b"From: a@example.com\r\nSubject: nothing to say\r\n\r\n").expect("reads");
    assert_eq!((mail.subject.as_str(), mail.text.as_str(), mail.reply.as_str()), ("nothing to say", "", ""));
}

#[test]
fn every_from_address_counts_and_reply_to_never() {
    let raw =
        b"From: One <ONE@a.example>, two@b.example\r\nFrom: three@c.example\r\nReply-To: boss@d.example\r\n\r\nhi";
    let mail = read(raw).expect("reads");
    assert_eq!(mail.from, ["one@a.example", "two@b.example", "three@c.example"]);
    assert_eq!(mail.from_name.as_deref(), Some("One"));
}
