//! `vocdesk import purchases`: loads a payment system's CSV export into the purchase
//! ledger (R6), idempotent on TID, so an interrupted or repeated import can simply be
//! run again.
//!
//! Every row is checked on its own: a row that does not parse, names an unknown
//! customer number, or that the store refuses (an item of another app, a TID recorded
//! with other content) is reported with its line number and skipped; the rest load.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use csv::ByteRecord;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiff::Timestamp;
use vocdesk_domain::FieldError;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::UserId;
use vocdesk_domain::purchase::{NewPurchase, PurchaseInput};
use vocdesk_store::{RecordOutcome, Rejection, Store};

use crate::cli::{EXIT_ROWS_REJECTED, ImportPurchasesArgs};

/// The columns of the payment system's export, in its order.
pub const COLUMNS: [&str; 10] = [
    "tid",
    "txid",
    "receipt_no",
    "customer_no",
    "app_id",
    "item_id",
    "amount_minor",
    "currency",
    "purchased_at",
    "status",
];

/// The audit label of imported purchases (R14).
pub const AUDIT_LABEL: &str = "import";

/// One row that was not loaded, and why; shown to the operator who ran the import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedRow {
    /// The line of the CSV file the row starts on (the header is line 1).
    pub line: u64,
    /// What is wrong with it.
    pub reason: String,
}

/// What an import did, for the closing summary and the exit code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Rows written now.
    pub created: u64,
    /// Rows whose TID was recorded before with the same content.
    pub already_recorded: u64,
    /// Rows not loaded, in file order.
    pub rejected: Vec<RejectedRow>,
}

impl ImportReport {
    /// The one-line summary printed at the end.
    pub fn summary(&self) -> String {
        format!(
            "{} created, {} already recorded, {} rejected",
            self.created,
            self.already_recorded,
            self.rejected.len()
        )
    }
}

/// The column positions of one file, found from its header.
struct Layout {
    index: [usize; COLUMNS.len()],
    width: usize,
}

impl Layout {
    /// Finds every expected column in the header; extra columns are ignored.
    fn from_header(header: &ByteRecord) -> anyhow::Result<Self> {
        let names: Vec<String> =
            header.iter().map(|name| String::from_utf8_lossy(name).trim().to_ascii_lowercase()).collect();
        let mut index = [0; COLUMNS.len()];
        let mut missing = Vec::new();
        for (slot, column) in index.iter_mut().zip(COLUMNS) {
            match names.iter().position(|name| name == column) {
                Some(position) => *slot = position,
                None => missing.push(column),
            }
        }
        if !missing.is_empty() {
            bail!(
                "the CSV header lacks the column(s) {}; expected a header naming {}",
                missing.join(", "),
                COLUMNS.join(",")
            );
        }
        Ok(Self { index, width: header.len() })
    }

    /// The ten fields of a record as text, in [`COLUMNS`] order.
    fn fields<'r>(&self, record: &'r ByteRecord) -> Result<[&'r str; COLUMNS.len()], String> {
        if record.len() != self.width {
            return Err(format!("malformed record: {} fields where the header has {}", record.len(), self.width));
        }
        let mut fields = [""; COLUMNS.len()];
        for ((field, &position), column) in fields.iter_mut().zip(&self.index).zip(COLUMNS) {
            let bytes = record.get(position).unwrap_or_default();
            *field =
                std::str::from_utf8(bytes).map_err(|_| format!("malformed record: {column} is not valid UTF-8"))?;
        }
        Ok(fields)
    }
}

/// Purchases waiting to be recorded together, with the line each came from.
#[derive(Default)]
struct Batch {
    lines: Vec<u64>,
    purchases: Vec<NewPurchase>,
}

/// Reads purchases from `input` (CSV with a header) and records them through `store`,
/// `batch_size` valid rows per transaction, stamped `now`. `progress` counts rows;
/// `on_reject` hears of each rejected row as soon as it is known (they are also in the
/// report). Fails only when the input cannot be read or the store fails; rows recorded
/// before that stay recorded, and running the import again is safe.
pub async fn import_purchases<R: Read>(
    store: &dyn Store,
    input: R,
    batch_size: usize,
    now: Timestamp,
    progress: &ProgressBar,
    mut on_reject: impl FnMut(&RejectedRow),
) -> anyhow::Result<ImportReport> {
    let batch_size = batch_size.max(1);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input);
    let layout = Layout::from_header(reader.byte_headers().context("reading the CSV header")?)?;
    let mut customers: HashMap<String, Option<UserId>> = HashMap::new();
    let mut report = ImportReport::default();
    let mut batch = Batch::default();
    let mut record = ByteRecord::new();
    let mut reject = |report: &mut ImportReport, line: u64, reason: String| {
        let row = RejectedRow { line, reason };
        on_reject(&row);
        report.rejected.push(row);
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) if error.is_io_error() => return Err(error).context("reading the CSV file"),
            Err(error) => {
                // Anything else the reader complains about concerns one record only.
                let line = error.position().map_or(0, |p| p.line());
                progress.inc(1);
                reject(&mut report, line, format!("malformed record: {error}"));
                continue;
            }
        }
        progress.inc(1);
        let line = record.position().map_or(0, |p| p.line());
        let fields = match layout.fields(&record) {
            Ok(fields) => fields,
            Err(reason) => {
                reject(&mut report, line, reason);
                continue;
            }
        };
        match parse_row(store, &mut customers, fields).await? {
            Ok(purchase) => {
                batch.lines.push(line);
                batch.purchases.push(purchase);
            }
            Err(reason) => reject(&mut report, line, reason),
        }
        if batch.purchases.len() >= batch_size {
            flush(store, &mut batch, now, &mut report, &mut reject).await?;
        }
    }
    flush(store, &mut batch, now, &mut report, &mut reject).await?;
    report.rejected.sort_by_key(|row| row.line);
    Ok(report)
}

/// Turns one record's fields into a purchase, or the reason it cannot be one. The outer
/// error is a store failure (looking up the customer number).
async fn parse_row(
    store: &dyn Store,
    customers: &mut HashMap<String, Option<UserId>>,
    fields: [&str; COLUMNS.len()],
) -> anyhow::Result<Result<NewPurchase, String>> {
    let [tid, txid, receipt_no, customer_no, app_id, item_id, amount_minor, currency, purchased_at, status] = fields;
    let mut problems = Vec::new();
    let amount_minor = amount_minor.trim().parse::<i64>().unwrap_or_else(|_| {
        problems.push("amount_minor: expected a whole number of minor units (won, cents)".to_owned());
        0
    });
    let customer_no = customer_no.trim();
    let customer_id = if customer_no.is_empty() {
        problems.push("customer_no: expected a customer number".to_owned());
        None
    } else {
        let customer = match customers.get(customer_no) {
            Some(cached) => cached.clone(),
            None => {
                let found = store
                    .customer_by_number(customer_no)
                    .await
                    .with_context(|| format!("looking up customer number {customer_no}"))?
                    .map(|user| user.id);
                customers.insert(customer_no.to_owned(), found.clone());
                found
            }
        };
        if customer.is_none() {
            problems.push(format!("customer_no: no customer has the number {customer_no:?}"));
        }
        customer
    };
    let input = PurchaseInput {
        // A stand-in keeps the other fields' checks running; the row is rejected anyway.
        customer_id: customer_id.as_ref().map_or("unknown-customer", UserId::as_str),
        app_id,
        item_id: Some(item_id),
        amount_minor,
        currency,
        purchased_at,
        tid,
        txid: Some(txid),
        receipt_no: Some(receipt_no),
        status: Some(status),
    };
    let parsed = NewPurchase::parse(&input);
    if let Err(errors) = &parsed {
        problems.extend(errors.0.iter().map(describe));
    }
    Ok(match parsed {
        Ok(purchase) if problems.is_empty() => Ok(purchase),
        _ => Err(problems.join("; ")),
    })
}

/// Records the batch in one transaction and books each outcome against its line.
async fn flush(
    store: &dyn Store,
    batch: &mut Batch,
    now: Timestamp,
    report: &mut ImportReport,
    reject: &mut impl FnMut(&mut ImportReport, u64, String),
) -> anyhow::Result<()> {
    let (Some(&first), Some(&last)) = (batch.lines.first(), batch.lines.last()) else { return Ok(()) };
    let outcomes = store
        .record_purchases(&batch.purchases, &AuditActor::system(AUDIT_LABEL), Channel::Cli, now)
        .await
        .with_context(|| {
            format!("recording the rows of lines {first} to {last} failed; the rows before them were recorded")
        })?;
    if outcomes.len() != batch.purchases.len() {
        bail!("the store answered {} outcomes for {} purchases", outcomes.len(), batch.purchases.len());
    }
    for (&line, outcome) in batch.lines.iter().zip(outcomes) {
        match outcome {
            RecordOutcome::Created(_) => report.created += 1,
            RecordOutcome::AlreadyRecorded(_) => report.already_recorded += 1,
            RecordOutcome::Rejected(Rejection::Conflict { what }) => {
                reject(report, line, format!("{what}: already recorded with different content"));
            }
            RecordOutcome::Rejected(Rejection::Invalid(errors)) => {
                let reason = errors.0.iter().map(describe).collect::<Vec<_>>().join("; ");
                reject(report, line, reason);
            }
        }
    }
    batch.lines.clear();
    batch.purchases.clear();
    Ok(())
}

/// One field problem as a person reads it.
fn describe(error: &FieldError) -> String {
    format!("{}: expected {}", error.field, error.expected)
}

/// Runs `vocdesk import purchases`: reports each rejected row on standard error as it
/// is found, the summary on standard output, and exits 0 when nothing was rejected,
/// [`EXIT_ROWS_REJECTED`] when some rows were.
pub async fn run(store: &dyn Store, args: &ImportPurchasesArgs, now: Timestamp) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    let progress = progress_bar(&args.file);
    let report = import_purchases(store, file, args.batch_size, now, &progress, |row| {
        progress.suspend(|| eprintln!("line {}: rejected: {}", row.line, row.reason));
    })
    .await;
    progress.finish_and_clear();
    let report = report.with_context(|| format!("importing {}", args.file.display()))?;
    println!("Imported {}: {}.", args.file.display(), report.summary());
    if report.rejected.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} row(s) were rejected (listed above with their line numbers); the other rows were loaded.",
            report.rejected.len()
        );
        Ok(ExitCode::from(EXIT_ROWS_REJECTED))
    }
}

/// A bar counting rows on standard error, or a hidden one when standard error is not a
/// terminal (a log file or a pipe would only fill up with redraws).
fn progress_bar(path: &Path) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(count_records(path), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} rows ({eta} left)",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Counts the records of a CSV file (header excluded) so that the progress bar knows
/// its length; `None` when the file cannot be read, in which case the bar has none.
pub fn count_records(path: &Path) -> Option<u64> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(file);
    let mut record = ByteRecord::new();
    let mut count = 0;
    while reader.read_byte_record(&mut record).ok()? {
        count += 1;
    }
    Some(count)
}
