//! `vocdesk import purchases`: every faulty row is reported by its line and skipped, the
//! rest load, and importing the same file again records nothing twice (idempotent TID).

mod common;

use indicatif::ProgressBar;
use vocdesk::demo::DemoSeed;
use vocdesk::import::{ImportReport, import_purchases};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::purchase::PurchaseStatus;
use vocdesk_store::Store;

/// The export: good rows and one row per kind of fault, with the line each starts on.
fn export(seed: &DemoSeed) -> Vec<u8> {
    let farm = &seed.apps["farm"].id;
    let dungeon = &seed.apps["dungeon"].id;
    let tiles = &seed.apps["tiles"].id;
    let gems = &seed.items["farm-gems"].id;
    let hints = &seed.items["tiles-hints"].id;
    let mut csv = Vec::new();
    let mut line = |text: &str| {
        csv.extend_from_slice(text.as_bytes());
        csv.push(b'\n');
    };
    line("tid,txid,receipt_no,customer_no,app_id,item_id,amount_minor,currency,purchased_at,status"); // 1
    line(&format!("T202611200001,,,C-100001,{farm},,0,KRW,2026-11-20T10:00:00+09:00,")); // 2: good, free
    line(&format!(
        "T202611200002,TX-00AA11,R-20261120-000002,C-100002,{dungeon},,3300,KRW,2026-11-20T11:30:00+09:00,paid"
    )); // 3: good, paid
    line(&format!("T202611200003,TX-00AA12,,C-100001,{dungeon},,3300,WON!,2026-11-20T12:00:00+09:00,paid")); // 4: bad currency
    line(&format!("T202611200004,TX-00AA13,,C-999999,{dungeon},,3300,KRW,2026-11-20T12:10:00+09:00,paid")); // 5: unknown customer
    line(&format!("T202611200005,TX-00AA14,,C-100001,{dungeon},{gems},1200,KRW,2026-11-20T12:20:00+09:00,paid")); // 6: item of another app
    line(&format!(
        "T202611200002,TX-00AA11,R-20261120-000002,C-100002,{dungeon},,9900,KRW,2026-11-20T11:30:00+09:00,paid"
    )); // 7: same TID as line 3, other amount
    line(&format!("T202611200006,TX-00AA15,,C-100001,{dungeon},3300,KRW,2026-11-20T12:30:00+09:00,paid")); // 8: nine fields
    line(&format!(
        "T202611200007,TX-00AA16,R-20261120-000007,C-100002,{tiles},{hints},1200,krw,2026-11-20T13:00:00Z,cancelled"
    )); // 9: good, item, cancelled
    csv.extend_from_slice(b"T202611200008,TX-00AA17,,C-100001,");
    csv.extend_from_slice(farm.as_str().as_bytes());
    csv.extend_from_slice(b",,0,KRW,2026-11-20T14:00:00+09:00,p\xffid\n"); // 10: invalid UTF-8
    let mut line = |text: &str| {
        csv.extend_from_slice(text.as_bytes());
        csv.push(b'\n');
    };
    line(&format!("T202611200009,\"TX-\nSPLIT\",,C-100001,{farm},,0,KRW,2026-11-20T15:00:00+09:00,")); // 11-12: newline in txid
    line(&format!("T202611200010,,,C-100002,{farm},,0,KRW,2026-11-20T16:00:00+09:00,paid")); // 13: good
    line(&format!("T202611200011,TX-00AA18,,C-100002,{dungeon},,12.5,KRW,2026-11-20T17:00:00+09:00,paid")); // 14: bad amount
    csv
}

const REJECTED_LINES: [u64; 8] = [4, 5, 6, 7, 8, 10, 11, 14];

async fn import(store: &dyn Store, csv: &[u8], batch_size: usize) -> ImportReport {
    let mut heard = Vec::new();
    let report =
        import_purchases(store, csv, batch_size, common::now(), &ProgressBar::hidden(), |row| heard.push(row.line))
            .await
            .expect("the import runs to the end");
    heard.sort_unstable();
    let lines: Vec<u64> = report.rejected.iter().map(|r| r.line).collect();
    assert_eq!(heard, lines, "every rejected row is reported as it is found");
    report
}

fn reason(report: &ImportReport, line: u64) -> &str {
    report.rejected.iter().find(|r| r.line == line).map_or("", |r| r.reason.as_str())
}

#[tokio::test]
async fn faulty_rows_are_reported_by_line_and_the_rest_load_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let csv = export(&seed);
    let customer2 = &seed.users["customer2@example.com"].id;
    let page = PageRequest { limit: 100, after: None };
    let before = store.purchases_of_customer(customer2, &page).await.expect("query").items.len();

    // Batches of two: the TID conflict of line 7 meets line 3 in an earlier transaction.
    let first = import(store.as_ref(), &csv, 2).await;
    let lines: Vec<u64> = first.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, REJECTED_LINES, "{:#?}", first.rejected);
    assert_eq!((first.created, first.already_recorded), (4, 0));
    for (line, needle) in [
        (4, "currency"),
        (5, "C-999999"),
        (6, "item_id"),
        (7, "tid"),
        (8, "malformed record"),
        (10, "UTF-8"),
        (11, "txid"),
        (14, "amount_minor"),
    ] {
        assert!(reason(&first, line).contains(needle), "line {line}: {}", reason(&first, line));
    }

    let after = store.purchases_of_customer(customer2, &page).await.expect("query").items;
    assert_eq!(after.len(), before + 3, "lines 3, 9 and 13 belong to customer2");
    let item_purchase = after.iter().find(|p| p.purchase.payment.tid == "T202611200007").expect("line 9 loaded");
    assert_eq!(item_purchase.purchase.status, PurchaseStatus::Cancelled);
    assert_eq!(item_purchase.purchase.amount.currency.as_str(), "KRW");
    let paid = after.iter().find(|p| p.purchase.payment.tid == "T202611200002").expect("line 3 loaded");
    assert_eq!(paid.purchase.amount.amount_minor, 3300, "the conflicting line 7 changed nothing");

    // Again, in one batch: nothing new, the good rows are already recorded.
    let second = import(store.as_ref(), &csv, 500).await;
    let lines: Vec<u64> = second.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, REJECTED_LINES);
    assert_eq!((second.created, second.already_recorded), (0, 4));
    let again = store.purchases_of_customer(customer2, &page).await.expect("query").items.len();
    assert_eq!(again, before + 3);
}

#[tokio::test]
async fn a_header_without_the_expected_columns_stops_the_import_before_any_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = common::empty_store(dir.path()).await;
    let csv = b"tid,customer,app\nT1,C-1,a\n";
    let error = import_purchases(store.as_ref(), &csv[..], 10, common::now(), &ProgressBar::hidden(), |_| {})
        .await
        .expect_err("refused");
    assert!(format!("{error:#}").contains("customer_no"), "{error:#}");
}
