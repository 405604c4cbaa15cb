//! Issue 12 items 8 and 11 in a real browser, where layout is the point: at 390 px (a
//! phone) and 1280 px, in Korean and English, on SQLite and PostgreSQL, the developer's
//! inbox, a thread with purchases and amounts (masked, then revealed), the refund
//! request consoles, the operator's home and the audit log:
//!
//! - no amount, id, date or badge breaks over two lines, no heading, label or subject
//!   breaks inside a word, and no page scrolls sideways;
//! - every data table is a stack of cards on the phone;
//! - the consoles use the screen's width at 1280 px;
//! - on the phone the inbox's filters are folded, so the first inquiry is in the first
//!   screen; at 1280 px they are shown;
//! - the operator's home shows its three counts, and the header marks the page in view.
//!
//! Every check of a page is collected before anything fails, so one run names every
//! problem; screenshots of each page are kept (`target/tmp/browser-screenshots/`,
//! `item8-*` and `item11-*`).

use serde_json::Value;

use crate::support::*;

/// What must never break over two lines: amounts, ids (TID, TXID, receipt numbers,
/// purchase and record ids), dates and times, and badges.
const ONE_LINE: &str = ".amount, .price, .ident, .payment-id, .when, time, .status, .badge, .tag, .nowrap";

/// Words people read as words (headings, labels, table headers, buttons, the header's
/// links, subjects): they may wrap between words, never inside one.
const WHOLE_WORDS: &str = "main h1, main h2, main h3, main th, main dt, main label, main summary, main button, \
                           header nav a, a.inquiry-link, .tile-label, .request-product";

/// Collects, for the page in view, every way it breaks the layout rules; `[]` is good.
/// An element counts as broken when its box has more than one fragment, or when the
/// text inside it sits on more than one line.
const LAYOUT_PROBLEMS: &str = r#"
const oneLine = arguments[0], phone = arguments[1];
const problems = [];
// An emulated phone widens its layout viewport to fit what overflows: measure against
// the phone's own width, not against innerWidth.
const vw = phone ? 390 : document.documentElement.clientWidth;
if (document.documentElement.scrollWidth > vw || window.innerWidth > (phone ? 390 : window.innerWidth)) {
  problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} (viewport ${window.innerWidth}) > ${vw}`);
}
const lines = el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  if (rects.length === 0) return 1;
  const first = rects[0];
  return rects.some(r => r.top >= first.bottom - 1) ? 2 : 1;
};
for (const el of document.querySelectorAll(oneLine)) {
  if (!el.checkVisibility({ visibilityProperty: true })) continue;
  const what = `${el.className || el.tagName}: ${el.textContent.trim().slice(0, 40)}`;
  if (el.getClientRects().length !== 1 || lines(el) !== 1) problems.push(`wraps: ${what}`);
  const box = el.getBoundingClientRect();
  if (box.right > vw + 1) problems.push(`runs off the screen (${Math.round(box.right)} > ${vw}): ${what}`);
  if (getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`does not fit its box (${el.scrollWidth} > ${el.clientWidth}): ${what}`);
  }
}
// Words, labels and headings break only between words: never more lines than words.
const textRects = el => {
  const rects = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    if (node.parentElement.closest('select, option, textarea')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    rects.push(...range.getClientRects());
  }
  return rects;
};
const lineCount = el => {
  const rects = textRects(el).filter(r => r.width > 0 && r.height > 0).sort((a, b) => a.top - b.top);
  let count = 0, bottom = -Infinity;
  for (const r of rects) {
    if (r.top >= bottom - 1) { count += 1; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
  }
  return Math.max(count, 1);
};
for (const el of document.querySelectorAll(arguments[2])) {
  if (!el.checkVisibility({ visibilityProperty: true })) continue;
  const text = el.innerText || '';
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  if (words > 0 && lineCount(el) > words) {
    problems.push(`breaks inside a word (${lineCount(el)} lines, ${words} words): ${text.trim().slice(0, 40)}`);
  }
}
for (const table of document.querySelectorAll('main table')) {
  const head = table.querySelector('thead');
  const row = table.querySelector('tbody tr');
  if (phone) {
    if (head && getComputedStyle(head).display !== 'none') problems.push(`#${table.id}: a header row on the phone`);
    if (row && getComputedStyle(row).display !== 'block') problems.push(`#${table.id}: rows are not cards`);
    for (const cell of table.querySelectorAll('tbody td')) {
      if (!cell.dataset.label) { problems.push(`#${table.id}: a cell without data-label`); break; }
    }
  }
  const box = table.getBoundingClientRect();
  if (box.right > vw + 1) problems.push(`#${table.id} is wider than the screen (${Math.round(box.right)})`);
}
return problems;
"#;

/// The header's marking: the `data-nav` of every link marked as the page in view, and
/// whether the marked one looks different from an unmarked one.
const NAV_MARK: &str = r#"
const links = [...document.querySelectorAll('header nav a')];
const marked = links.filter(a => a.getAttribute('aria-current') === 'page');
const other = links.find(a => !a.hasAttribute('aria-current'));
const look = a => { const s = getComputedStyle(a); return [s.fontWeight, s.color, s.borderBottomColor].join('|'); };
return { marked: marked.map(a => a.dataset.nav), distinct: marked.length === 1 && !!other && look(marked[0]) !== look(other) };
"#;

/// Everything one run found wrong, page by page.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn add(&mut self, page: &str, problem: impl Into<String>) {
        self.0.push(format!("{page}: {}", problem.into()));
    }

    fn assert_none(&self) {
        assert!(self.0.is_empty(), "layout problems:\n{}", self.0.join("\n"));
    }
}

/// One viewport and language of a run.
struct View<'a> {
    fixture: &'a Fixture,
    browser: Client,
    phone: bool,
    lang: &'static str,
    engine: &'static str,
}

impl View<'_> {
    fn name(&self, item: &str, page: &str) -> String {
        let width = if self.phone { 390 } else { 1280 };
        format!("{item}-{}-{page}-{}-{width}", self.engine, self.lang)
    }

    async fn script(&self, js: &str, args: Vec<Value>) -> Value {
        self.browser.execute(js, args).await.expect("script")
    }

    /// Opens `path`, waits for `css`, checks the layout rules and keeps a screenshot.
    async fn visit(&self, findings: &mut Findings, item: &str, page: &str, path: &str, css: &str) {
        self.browser.goto(&self.fixture.url(path)).await.expect("page");
        wait_for(&self.browser, css).await;
        self.check(findings, item, page).await;
    }

    /// Checks the page in view against the layout rules and keeps a screenshot.
    async fn check(&self, findings: &mut Findings, item: &str, page: &str) {
        let name = self.name(item, page);
        assert_eq!(html_lang(&self.browser).await, self.lang, "{name} is in its language");
        let problems = self.script(LAYOUT_PROBLEMS, vec![ONE_LINE.into(), self.phone.into(), WHOLE_WORDS.into()]).await;
        for problem in problems.as_array().into_iter().flatten() {
            findings.add(&name, problem.as_str().unwrap_or_default());
        }
        save_page(&self.browser, &name).await;
    }

    /// At 1280 px, a console is wider than the 960 px reading column.
    async fn assert_wide(&self, findings: &mut Findings, page: &str) {
        if self.phone {
            return;
        }
        let width = self.script("return document.querySelector('main').getBoundingClientRect().width", vec![]).await;
        if width.as_f64().unwrap_or(0.0) <= 960.0 {
            findings.add(&self.name("item8", page), format!("a console in a {width} px column"));
        }
    }

    /// The header marks exactly `current`, visibly.
    async fn assert_marked(&self, findings: &mut Findings, page: &str, current: &str) {
        let mark = self.script(NAV_MARK, vec![]).await;
        if mark["marked"] != serde_json::json!([current]) || mark["distinct"] != Value::Bool(true) {
            findings.add(&self.name("item11", page), format!("the header marks {mark} instead of {current}"));
        }
    }
}

/// The developer's pages: the inbox (filters folded on the phone, the first inquiry in
/// the first screen), a thread with purchases (masked, then revealed) and the requests.
async fn developer_pages(view: &View<'_>, findings: &mut Findings) {
    let b = &view.browser;
    view.visit(findings, "item8", "inbox", "/developer/inquiries", "#inquiries").await;
    view.assert_wide(findings, "inbox").await;
    view.assert_marked(findings, "inbox", "developer-inquiries").await;
    let inbox = view.script(
        "const row = document.querySelector('#inquiries tbody tr').getBoundingClientRect();\
         const status = document.querySelector('#inquiry-filters select[name=status]');\
         return { row: row.top + 48, screen: window.innerHeight, filters: status.checkVisibility() };",
        vec![],
    );
    let inbox = inbox.await;
    let name = view.name("item8", "inbox");
    if inbox["row"].as_f64() > inbox["screen"].as_f64() {
        findings.add(&name, format!("the first inquiry is below the first screen: {inbox}"));
    }
    if inbox["filters"] != Value::Bool(!view.phone) {
        findings.add(&name, format!("filters shown: {} (phone: {})", inbox["filters"], view.phone));
    }

    // A thread of dev1's seller with the customer's purchases: the first listed.
    let mut threads = Vec::new();
    for link in b.find_all(Locator::Css("#inquiries a.inquiry-link")).await.expect("links") {
        threads.push(link.attr("href").await.expect("href").expect("an address"));
    }
    let mut with_purchases = None;
    for thread in threads.iter().take(12) {
        b.goto(&view.fixture.url(thread)).await.expect("thread");
        wait_for(b, "h1").await;
        if b.find(Locator::Css("#purchase-table .amount")).await.is_ok() {
            with_purchases = Some(thread.clone());
            break;
        }
    }
    let thread = with_purchases.expect("one of dev1's first inquiries lists the customer's purchases");
    view.check(findings, "item8", "thread").await;
    if let Ok(reveal) = b.find(Locator::Css("#reveal-submit")).await {
        reveal.click().await.expect("show the payment details");
        wait_for(b, "#payment-details-shown").await;
        view.check(findings, "item8", "thread-revealed").await;
        b.goto(&view.fixture.url(&thread)).await.expect("thread, masked again");
    }
    view.visit(findings, "item8", "requests-developer", "/developer/cancellation-requests", "h1").await;
    view.assert_wide(findings, "requests-developer").await;
}

/// The operator's pages: the home (three counts in the first screen), the refund
/// requests console and the audit log, each marked in the header.
async fn operator_pages(view: &View<'_>, findings: &mut Findings) {
    view.visit(findings, "item11", "home", "/operator", "#op-counts").await;
    view.assert_wide(findings, "home").await;
    view.assert_marked(findings, "home", "operator").await;
    let counts = view.script(
        "return ['count-open-requests', 'count-overdue', 'count-held-mail'].map(id => {\
           const el = document.getElementById(id);\
           return el && /^[0-9]+$/.test(el.textContent.trim()) && el.checkVisibility()\
             && el.getBoundingClientRect().bottom <= window.innerHeight;\
         });",
        vec![],
    );
    let counts = counts.await;
    if counts != serde_json::json!([true, true, true]) {
        findings.add(&view.name("item11", "home"), format!("the three counts in the first screen: {counts}"));
    }
    for (id, what) in [("#count-overdue", "the demo's overdue inquiries"), ("#count-held-mail", "the held mail")] {
        if text_of(&view.browser, id).await == "0" {
            findings.add(&view.name("item11", "home"), format!("{what} are not counted"));
        }
    }
    view.visit(findings, "item8", "requests-console", "/operator/cancellation-requests?status=", "#requests").await;
    view.assert_wide(findings, "requests-console").await;
    view.assert_marked(findings, "requests-console", "operator-requests").await;
    view.visit(findings, "item8", "audit", "/operator/audit", "#audit").await;
    view.assert_wide(findings, "audit").await;
    view.assert_marked(findings, "audit", "operator-audit").await;
}

/// Both widths, both languages, both roles' pages on one engine.
async fn layout_story(fixture: Arc<Fixture>, engine: &'static str) {
    let mut findings = Findings::default();
    // A held mail (in the server's own store, on either engine), for the home to count.
    let mail = format!(
        "From: Stranger <stranger@mail.test>\r\nTo: support+nosuch@localhost\r\nSubject: Refund\r\n\
         Message-ID: <layout-{}@mail.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Please refund my purchase.\r\n",
        unique_suffix()
    );
    pipe_mail(&fixture, "stranger@mail.test", "support+nosuch@localhost", &mail);
    for phone in [true, false] {
        for lang in ["ko", "en"] {
            let browser = fixture.browser(phone).await;
            let view = View { fixture: &fixture, browser, phone, lang, engine };
            sign_in(&view.browser, &fixture, "dev1@example.com").await;
            switch_language(&view.browser, lang).await;
            developer_pages(&view, &mut findings).await;
            sign_out(&view.browser).await;
            sign_in(&view.browser, &fixture, "operator@example.com").await;
            switch_language(&view.browser, lang).await;
            operator_pages(&view, &mut findings).await;
            sign_out(&view.browser).await;
            view.browser.close().await.expect("close");
        }
    }
    findings.assert_none();
}

#[test]
fn item8_item11_pages_read_well_at_390_and_1280_px_in_both_languages_sqlite() {
    scenario_on(Engine::Sqlite, |fixture| layout_story(fixture, "sqlite"));
}

#[test]
fn item8_item11_pages_read_well_at_390_and_1280_px_in_both_languages_postgres() {
    scenario_on(Engine::Postgres, |fixture| layout_story(fixture, "postgres"));
}
