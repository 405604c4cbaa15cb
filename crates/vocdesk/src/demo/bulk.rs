//! `vocdesk demo --reviews N`: N generated reviews spread over the demo apps, for trying
//! and measuring a store at scale (a million reviews, as the reviews issue asks).
//!
//! Each generated customer (`reviewer1001@example.com` and up, password
//! [`DEMO_PASSWORD`], one hash for all) obtained every demo app (a free download or a
//! paid purchase, recorded before the review) and reviewed each one once, so N reviews
//! take about N/6 customers. Reviews are in Korean or English (the customer's language),
//! some star-only, some answered by the seller's developer, with a star distribution
//! per app that leans to five stars as app stores do; they are dated over the past year,
//! before `now`. The content depends only on N and `now`, apart from the ids.
//!
//! Batches of [`REVIEWS_PER_BATCH`] go through [`ReviewStore::import_reviews`]: one
//! unit of work each (customers, purchases, reviews, the apps' R13 counters and one
//! audit entry). A thread generates the next batch while the store writes this one.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use vocdesk_domain::ids::{AppId, UserId};
use vocdesk_domain::review::{ReviewDraft, Stars};
use vocdesk_store::{ImportedCustomer, ImportedReply, ImportedReview, ReviewImport};

use super::bulk_text::{self, Dice};
use super::*;

/// The number of the first generated reviewer: `reviewer1001@example.com`.
pub const FIRST_GENERATED: u64 = 1001;

/// Reviews per batch (one transaction): a multiple of the six demo apps.
pub const REVIEWS_PER_BATCH: usize = 12_000;

/// The `i`-th generated reviewer's sign-in address, from 0.
pub fn generated_email(i: u64) -> String {
    format!("reviewer{}@example.com", FIRST_GENERATED + i)
}

/// How long the generated reviews span, ending an hour before `now`.
const SPAN: SignedDuration = SignedDuration::from_hours(24 * 365);

/// What [`seed_generated_reviews`] added.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BulkSummary {
    /// Generated customer accounts.
    pub customers: u64,
    /// Their purchases (one per app they reviewed).
    pub purchases: u64,
    /// Reviews written.
    pub reviews: u64,
    /// Of which answered by the developer.
    pub replies: u64,
    /// Of which star-only.
    pub star_only: u64,
    /// Wall-clock time taken.
    pub elapsed: Duration,
}

/// One demo app as the generator needs it.
#[derive(Clone)]
struct AppPlan {
    key: &'static str,
    id: AppId,
    developer: UserId,
    price: Money,
    /// Percent of 1..5 stars.
    stars: [u64; 5],
}

/// The apps' star distributions, in percent of 1..5 stars (a J-curve, as app stores see).
fn distribution(key: &str) -> [u64; 5] {
    match key {
        "farm" => [9, 5, 10, 24, 52],
        "dungeon" => [7, 4, 8, 22, 59],
        "puzzle" => [6, 5, 11, 28, 50],
        "weather" => [14, 8, 12, 24, 42],
        "budget" => [5, 3, 7, 20, 65],
        _ => [10, 6, 11, 25, 48],
    }
}

/// Percent of reviews by stars that the developer answered: the unhappy ones most.
const REPLY_PERCENT: [u64; 5] = [45, 40, 25, 12, 9];

/// Percent of ratings without text.
const STAR_ONLY_PERCENT: u64 = 28;

/// Percent of generated customers who write in Korean.
const KOREAN_PERCENT: u64 = 65;

/// Adds `count` generated reviews (and their customers and purchases) to a store that
/// holds the demo; `progress` hears how many reviews are written so far.
pub async fn seed_generated_reviews(
    store: &dyn Store,
    demo: &DemoSeed,
    count: u64,
    now: Timestamp,
    password_hash: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> anyhow::Result<BulkSummary> {
    let started = Instant::now();
    let mut apps = Vec::with_capacity(demo.apps.len());
    for (key, app) in &demo.apps {
        let seller = threads::seller_of(demo, app)?;
        let developers = store.developers_of_seller(&seller.id).await?;
        let developer = developers.first().ok_or_else(|| anyhow!("seller {} has no developer", seller.name))?;
        let price =
            app.price.clone().unwrap_or(Money { amount_minor: 0, currency: Currency::parse("currency", "KRW")? });
        apps.push(AppPlan {
            key,
            id: app.id.clone(),
            developer: developer.id.clone(),
            price,
            stars: distribution(key),
        });
    }
    if apps.is_empty() || count == 0 {
        return Ok(BulkSummary { elapsed: started.elapsed(), ..BulkSummary::default() });
    }
    let plan = Plan { apps, count, now, password_hash: password_hash.to_owned() };
    let (batches, mut incoming) = mpsc::channel::<anyhow::Result<ReviewImport>>(2);
    let generator = std::thread::Builder::new()
        .name("vocdesk-demo-reviews".to_owned())
        .spawn(move || plan.generate(&batches))
        .context("starting the review generator")?;

    let acting = Acting { actor: AuditActor::system(AUDIT_LABEL), channel: Channel::Cli };
    let mut summary = BulkSummary::default();
    while let Some(batch) = incoming.recv().await {
        let batch = batch?;
        summary.customers += batch.customers.len() as u64;
        summary.purchases += batch.purchases.len() as u64;
        summary.replies += batch.reviews.iter().filter(|r| r.reply.is_some()).count() as u64;
        summary.star_only += batch.reviews.iter().filter(|r| r.draft.text.is_none()).count() as u64;
        summary.reviews += store.import_reviews(&batch, &acting, now).await.context("importing generated reviews")?;
        progress(summary.reviews);
    }
    drop(incoming);
    generator.join().map_err(|_| anyhow!("the review generator panicked"))?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// Everything the generator thread needs.
struct Plan {
    apps: Vec<AppPlan>,
    count: u64,
    now: Timestamp,
    password_hash: String,
}

impl Plan {
    /// Sends every batch in turn; stops early when the receiver is gone (an import failed).
    fn generate(&self, batches: &mpsc::Sender<anyhow::Result<ReviewImport>>) {
        let per_customer = self.apps.len() as u64;
        let customers = self.count.div_ceil(per_customer);
        let per_batch = (REVIEWS_PER_BATCH as u64 / per_customer).max(1);
        let mut first = 0;
        while first < customers {
            let last = (first + per_batch).min(customers);
            let batch = self.batch(first..last, customers);
            if batches.blocking_send(batch).is_err() {
                return;
            }
            first = last;
        }
    }

    /// The customers `range` (of `customers`), their purchases and reviews.
    fn batch(&self, range: std::ops::Range<u64>, customers: u64) -> anyhow::Result<ReviewImport> {
        let per_customer = self.apps.len() as u64;
        let seoul = TimeZone::fixed(tz::offset(9));
        let end = self.now.checked_sub(SignedDuration::from_hours(1))?;
        let start = end.checked_sub(SPAN)?;
        let window = SignedDuration::from_hours(24 * 14);
        let spread = (SPAN - window).as_millis() as i64;
        let mut batch = ReviewImport {
            password_hash: self.password_hash.clone(),
            customers: Vec::with_capacity((range.end - range.start) as usize),
            purchases: Vec::with_capacity(REVIEWS_PER_BATCH),
            reviews: Vec::with_capacity(REVIEWS_PER_BATCH),
        };
        for i in range {
            let mut dice = Dice::new(i);
            let locale = if dice.chance(KOREAN_PERCENT) { Locale::Ko } else { Locale::En };
            let name = bulk_text::name(&mut dice, locale);
            let number = FIRST_GENERATED + i;
            let user = NewUser::new(
                &generated_email(i),
                &name,
                Role::Customer,
                None,
                Some(format!("C-{}", 2_000_000 + number)),
                locale,
            )?;
            // Customers join over the year in order; each reviews within two weeks.
            let base = start.checked_add(SignedDuration::from_millis(spread / customers as i64 * i as i64))?;
            let id = UserId::generate();
            let created_at = base.checked_sub(SignedDuration::from_hours(72))?;
            let reviewed = (self.count - i * per_customer).min(per_customer);
            for j in 0..reviewed {
                let app = &self.apps[((i + j) % per_customer) as usize];
                let k = i * per_customer + j;
                let at = base.checked_add(SignedDuration::from_millis(dice.below(window.as_millis() as u64) as i64))?;
                let at = at.min(end);
                let purchased_at = at.checked_sub(SignedDuration::from_mins(60 + dice.below(71 * 60) as i64))?;
                let stars = roll_stars(&mut dice, &app.stars);
                let text = (!dice.chance(STAR_ONLY_PERCENT))
                    .then(|| bulk_text::review_text(&mut dice, app.key, stars.get(), locale));
                let draft = ReviewDraft::parse(i64::from(stars.get()), text.as_deref(), locale)?;
                let reply = dice.chance(REPLY_PERCENT[stars.index()]).then(|| {
                    let delay = SignedDuration::from_mins(30 + dice.below(72 * 60) as i64);
                    ImportedReply {
                        author_id: app.developer.clone(),
                        text: bulk_text::reply_text(&mut dice, stars.get(), draft.lang, &name),
                        at: at.checked_add(delay).unwrap_or(end).min(end).max(at),
                    }
                });
                let day = purchased_at.to_zoned(seoul.clone()).date();
                batch.purchases.push(NewPurchase {
                    customer_id: id.clone(),
                    app_id: app.id.clone(),
                    item_id: None,
                    payment: generated_payment(k, day, app.price.amount_minor > 0),
                    amount: app.price.clone(),
                    purchased_at,
                    status: PurchaseStatus::Paid,
                });
                batch.reviews.push(ImportedReview {
                    app_id: app.id.clone(),
                    author_id: id.clone(),
                    draft,
                    created_at: at,
                    reply,
                });
            }
            batch.customers.push(ImportedCustomer { id, user, created_at });
        }
        Ok(batch)
    }
}

fn roll_stars(dice: &mut Dice, percent: &[u64; 5]) -> Stars {
    let total: u64 = percent.iter().sum();
    let mut roll = dice.below(total);
    for stars in Stars::ALL {
        let share = percent[stars.index()];
        if roll < share {
            return stars;
        }
        roll -= share;
    }
    Stars::ALL[4]
}

/// Payment identifiers of the `k`-th generated purchase: a `G` after the date tells
/// them from the catalog's; free apps have a TID only.
fn generated_payment(k: u64, day: Date, paid: bool) -> PaymentIds {
    let ymd = day.strftime("%Y%m%d").to_string();
    let tid = format!("T{ymd}G{k:010}");
    if !paid {
        return PaymentIds { tid, txid: None, receipt_no: None };
    }
    PaymentIds {
        tid,
        txid: Some(format!("TX-{:016X}", scramble(k + 10_000_000))),
        receipt_no: Some(format!("R-{ymd}-G{k:010}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_follow_the_apps_distribution_and_lean_to_five() {
        let mut dice = Dice::new(7);
        let mut counts = [0_u64; 5];
        for _ in 0..100_000 {
            counts[roll_stars(&mut dice, &distribution("farm")).index()] += 1;
        }
        assert!(counts[4] > counts[3] && counts[3] > counts[0] && counts[0] > counts[1], "{counts:?}");
        assert!((50_000..54_000).contains(&counts[4]), "{counts:?}");
    }

    #[test]
    fn generated_text_is_in_the_customers_language() {
        let mut dice = Dice::new(3);
        for stars in 1..=5 {
            let ko = bulk_text::review_text(&mut dice, "budget", stars, Locale::Ko);
            let en = bulk_text::review_text(&mut dice, "budget", stars, Locale::En);
            assert!(ko.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c)), "{ko}");
            assert!(!en.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c)), "{en}");
        }
        assert_eq!(generated_email(0), "reviewer1001@example.com");
        let day = jiff::civil::date(2026, 1, 2);
        assert_eq!(generated_payment(12, day, false).tid, "T20260102G0000000012");
    }
}
