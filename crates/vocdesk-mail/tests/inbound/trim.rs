//! [`trim_reply`] alone: each marker that starts the quoted conversation or the signature,
//! in the shapes the clients write it.

use vocdesk_mail::inbound::trim_reply;

#[track_caller]
fn trims(text: &str, reply: &str) {
    assert_eq!(trim_reply(text), reply, "trimming {text:?}");
}

#[test]
fn quote_lines_go() {
    trims("Yes, please.\n\n> Shall we refund?\n> Thanks", "Yes, please.");
    trims("Yes.\r\n  > indented quote\r\n", "Yes.");
}

#[test]
fn english_attributions_go_on_one_line_or_two() {
    trims("Thanks!\n\nOn Thu, Dec 3, 2026 at 9:00 AM vocdesk <r@x.example> wrote:\n> hi", "Thanks!");
    trims("Thanks!\n\nOn Thu, Dec 3, 2026 at 9:00 AM vocdesk <\nr@x.example> wrote:\n\n> hi", "Thanks!");
    // Words of the customer's own that merely start with "On" stay.
    trims("On Monday the app crashed.\nPlease help.", "On Monday the app crashed.\nPlease help.");
}

#[test]
fn korean_attributions_go() {
    trims(
        "확인했습니다.\n\n2026년 12월 3일 (목) 오전 9:00, 김민지 <m@x.example>님이 작성:\n> 안녕하세요",
        "확인했습니다.",
    );
    trims(
        "확인했습니다.\n\n2026년 12월 3일 (목) 오전 9:00, 김민지 <m@x.example>\n님이 작성:\n> 안녕하세요",
        "확인했습니다.",
    );
    trims("감사합니다.\n님이 작성:\n> 내용", "감사합니다.");
    trims("네.\n\n2026. 12. 3. 오전 9:00, vocdesk <r@x.example> 작성:\n\n> 답변", "네.");
}

#[test]
fn outlook_separators_go() {
    trims("Please refund.\n\n-----Original Message-----\nFrom: vocdesk", "Please refund.");
    trims("환불 부탁드립니다.\n\n-----원본 메시지-----\n보낸 사람: vocdesk", "환불 부탁드립니다.");
    trims("OK\n________________________________\nFrom: vocdesk", "OK");
}

#[test]
fn outlook_header_blocks_go_in_english_and_korean() {
    trims(
        "Fine.\n\nFrom: vocdesk <r@x.example>\nSent: Thursday, December 3, 2026 9:00 AM\nTo: Tom\nSubject: Answer\n\nHello",
        "Fine.",
    );
    trims(
        "좋습니다.\n\n보낸 사람: vocdesk <r@x.example>\n보낸 날짜: 2026년 12월 3일 목요일 오전 9:00\n받는 사람: 박서준\n제목: 답변",
        "좋습니다.",
    );
    trims("Fine.\n\n*From:* vocdesk\n*Sent:* Thursday\n*To:* Tom", "Fine.");
    // A lone "From:" of the customer's own is kept.
    trims("From: my old account\nTo my new one, please.", "From: my old account\nTo my new one, please.");
}

#[test]
fn signatures_go() {
    trims("Thanks\n-- \nJane Doe\nACME Corp", "Thanks");
    trims("Thanks\n--\nJane", "Thanks");
    // Only a line that is exactly the delimiter starts a signature.
    trims("Version -- 2.1\n--- not a delimiter", "Version -- 2.1\n--- not a delimiter");
}

#[test]
fn mobile_footers_go() {
    for footer in [
        "Sent from my iPhone",
        "Sent from my Android",
        "Get Outlook for iOS",
        "Get Outlook for Android",
        "iPhone에서 보냄",
        "나의 iPhone에서 보냄",
        "Galaxy에서 보냄",
        "삼성 갤럭시에서 보냄",
        "Naver Mail에서 보냄",
    ] {
        trims(&format!("OK, thanks.\n\n{footer}\n\n> quoted"), "OK, thanks.");
    }
    // A long sentence that happens to end so is the customer's.
    let sentence = "어제 회사 노트북의 메일 프로그램에서 문의 메일을 여러 번 보냈는데 그중 하나만 집에서 보냄";
    trims(sentence, sentence);
}

#[test]
fn only_the_first_marker_counts_and_the_rest_goes() {
    trims("Answer\n-- \nsig\n\nOn Mon, A wrote:\n> old\n> older", "Answer");
}

#[test]
fn blank_lines_at_the_ends_go_inside_lines_stay() {
    trims("\n\n  Hello,\n\n  indented line\n\n\n", "  Hello,\n\n  indented line");
}

#[test]
fn a_reply_that_is_all_quote_stays_whole() {
    trims("> only a quote\n> nothing else\n", "> only a quote\n> nothing else");
    trims("Sent from my iPhone", "Sent from my iPhone");
    trims("", "");
}

#[test]
fn r15_a_reply_stops_at_our_own_reply_line_when_the_client_quoted_without_marks() {
    let text =
        "고맙습니다, 해결됐어요.\n\n## 이 줄 위에 답장을 쓰시면 문의에 그대로 남습니다 ##\n\n김민지님, 안녕하세요.\n";
    assert_eq!(trim_reply(text), "고맙습니다, 해결됐어요.");
    let text = "Thanks!\n## Reply above this line to answer in the inquiry ##\nHello Minji,";
    assert_eq!(trim_reply(text), "Thanks!");
}
