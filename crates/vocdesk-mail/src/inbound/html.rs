//! HTML-only mail as readable plain text: block elements and `<br>` become line breaks,
//! paragraphs are set apart by a blank line, `<blockquote>` becomes `> ` quoting (so the
//! trimming finds the quote as it does in plain text), `<hr>` becomes Outlook's underscore
//! line, tags are dropped and entities decoded. Styles and scripts say nothing to a reader
//! and are left out.

/// Elements whose content is never text for a reader.
const HIDDEN: [&str; 4] = ["style", "script", "title", "template"];

/// Elements that start and end a line of their own.
const BLOCKS: [&str; 20] = [
    "div", "li", "ul", "ol", "tr", "table", "tbody", "thead", "pre", "address", "section", "article", "header",
    "footer", "dd", "dt", "dl", "center", "form", "body",
];

/// The line Outlook on the web writes for the rule above a quoted message.
const RULE: &str = "________________________________";

/// The text of an HTML body.
pub(super) fn html_to_text(html: &str) -> String {
    let mut out = Writer::default();
    let mut hidden: Option<String> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if hidden.is_none() {
            out.text(&rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        // A `<` that opens no tag (`a < b` in careless HTML) is text.
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            if hidden.is_none() {
                out.text("<");
            }
            rest = &rest[1..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A tag cut off at the end of the body says nothing.
            rest = "";
            break;
        };
        let (closing, name) = tag(&rest[1..gt]);
        rest = &rest[gt + 1..];
        match &hidden {
            Some(open) => {
                if closing && *open == name {
                    hidden = None;
                }
            }
            None if !closing && HIDDEN.contains(&name.as_str()) => hidden = Some(name),
            None => out.tag(closing, &name),
        }
    }
    if hidden.is_none() {
        out.text(rest);
    }
    out.finish()
}

/// Whether a tag closes, and its name, lower-cased (`/DIV class=x` → `(true, "div")`).
fn tag(inner: &str) -> (bool, String) {
    let closing = inner.starts_with('/');
    let name = inner.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
    (closing, name.to_ascii_lowercase())
}

/// Text being written line by line.
#[derive(Default)]
struct Writer {
    lines: Vec<String>,
    line: String,
    /// Whether the current line holds text (beyond its quote marks).
    has_text: bool,
    /// Whitespace was seen since the last character written.
    space: bool,
    /// How many `<blockquote>` are open.
    quote: usize,
}

impl Writer {
    fn text(&mut self, raw: &str) {
        for c in decode_entities(raw).chars() {
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            if !self.has_text {
                self.line = "> ".repeat(self.quote);
                self.has_text = true;
            } else if self.space {
                self.line.push(' ');
            }
            self.space = false;
            self.line.push(c);
        }
    }

    fn tag(&mut self, closing: bool, name: &str) {
        match name {
            "br" => self.new_line(),
            "p" if closing => self.paragraph(),
            "p" => self.break_line(),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.paragraph(),
            "blockquote" => {
                self.break_line();
                self.quote = if closing { self.quote.saturating_sub(1) } else { self.quote + 1 };
            }
            "hr" => {
                self.break_line();
                self.lines.push(RULE.to_owned());
            }
            "li" if !closing => {
                self.break_line();
                self.text("- ");
            }
            "td" | "th" if !closing => self.space = true,
            _ if BLOCKS.contains(&name) => self.break_line(),
            _ => {}
        }
    }

    /// Ends the current line, even an empty one (`<br>`).
    fn new_line(&mut self) {
        self.lines.push(std::mem::take(&mut self.line).trim_end().to_owned());
        self.has_text = false;
        self.space = false;
    }

    /// Ends the current line if it has text (the edge of a block).
    fn break_line(&mut self) {
        if self.has_text {
            self.new_line();
        }
    }

    /// Ends the current line and leaves a blank one after it.
    fn paragraph(&mut self) {
        self.break_line();
        if self.lines.last().is_some_and(|last| !last.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// The lines, with no more than one blank line in a row and none at the ends.
    fn finish(mut self) -> String {
        self.break_line();
        let mut out: Vec<String> = Vec::with_capacity(self.lines.len());
        for line in self.lines {
            let blank = line.trim().is_empty();
            if blank && out.last().is_none_or(|last: &String| last.is_empty()) {
                continue;
            }
            out.push(if blank { String::new() } else { line });
        }
        while out.last().is_some_and(String::is_empty) {
            out.pop();
        }
        out.join("\n")
    }
}

/// Named entities that mail writes; anything else is numeric or kept as written.
const ENTITIES: [(&str, char); 24] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("middot", '·'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("bull", '•'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("times", '×'),
    ("won", '₩'),
    ("shy", '\u{ad}'),
];

/// `&amp;`, `&#39;`, `&#x2F;` and the names in [`ENTITIES`] as the characters they stand for.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let entity = rest[1..].find(';').filter(|&end| end <= 10).and_then(|end| Some((entity(&rest[1..=end])?, end)));
        match entity {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 2..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of one entity name (between `&` and `;`).
fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return Some(char::from_u32(code).filter(|c| *c != '\0').unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    ENTITIES.iter().find(|(entity, _)| *entity == name).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_breaks_become_lines() {
        let html = "<html><head><style>p { color: red }</style></head><body>\
                    <div>Hello,</div><div><br></div><div>Tom &amp; Jerry &lt;3&#33;</div>\
                    <p>First para</p><p>Second<br>line</p></body></html>";
        assert_eq!(html_to_text(html), "Hello,\n\nTom & Jerry <3!\nFirst para\n\nSecond\nline");
    }

    #[test]
    fn blockquotes_are_quoted_and_rules_drawn() {
        let html = "Thanks!<blockquote>Old <b>text</b><blockquote>older</blockquote></blockquote><hr>x";
        assert_eq!(html_to_text(html), format!("Thanks!\n> Old text\n> > older\n{RULE}\nx"));
    }

    #[test]
    fn careless_html_still_reads() {
        assert_eq!(html_to_text("a < b &unknown; & c <!-- hidden --> d <b"), "a < b &unknown; & c d");
        assert_eq!(html_to_text("<p>&#x1F600; &#0; &#99999999;</p>"), "😀 \u{fffd} \u{fffd}");
    }
}
