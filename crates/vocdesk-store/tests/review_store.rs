//! Ratings and reviews through the `ReviewStore` interface of every `Store`, on SQLite
//! and PostgreSQL: R13's per-star counters against random sequences of writes (a
//! property test) and against concurrent writes on two handles, R10's kept versions and
//! revivals, R11's official reply with its history and R18's outdated mark, the public
//! list (filters, the four orders, keyset pages, and the partial indexes it reads),
//! R12's reports and moderation queue (deleting resolves what was deleted), the R14
//! audit trail of every write, saved replies, the developers' unanswered counts, and
//! `CachedStore` showing each change at once.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::{AppId, ReplyTemplateId, ReviewId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::{MailKind, OutgoingMail};
use vocdesk_domain::page::{Page, PageRequest};
use vocdesk_domain::review::{
    AppReviewCounts, ReportDraft, ReportReason, ReportTarget, ReportedItem, Review, ReviewDraft, ReviewFilter,
    ReviewSort, StarSet, Stars, TemplateDraft,
};
use vocdesk_domain::role::Role;
use vocdesk_store::{
    Acting, AuditFilter, CachedStore, HideOutcome, PutReviewOutcome, ReplyOutcome, ReportOutcome, ReviewWrite, Store,
    StoreError, review_sql,
};

use support::*;

// ----- helpers -----

fn acting(user: &User) -> Acting {
    Acting { actor: AuditActor::user(user.id.clone(), user.role), channel: Channel::Api }
}

fn stars(n: i64) -> Stars {
    Stars::parse("rating", n).expect("one to five stars")
}

/// A review as `author` writes it (a Korean-speaking author: a star-only rating is
/// Korean, text is in the language it is written in).
fn write_of(app: &App, author: &User, rating: i64, text: Option<&str>) -> ReviewWrite {
    ReviewWrite {
        app_id: app.id.clone(),
        seller_id: app.seller_id.clone(),
        author_id: author.id.clone(),
        draft: ReviewDraft::parse(rating, text, Locale::Ko).expect("a valid review"),
    }
}

async fn put(
    store: &dyn Store,
    app: &App,
    author: &User,
    rating: i64,
    text: Option<&str>,
    at: Timestamp,
) -> PutReviewOutcome {
    store.put_review(&write_of(app, author, rating, text), &acting(author), at).await.expect("put review")
}

/// Writes a review that must be new (or revived) and answers it.
async fn create(store: &dyn Store, app: &App, author: &User, rating: i64, text: Option<&str>, at: Timestamp) -> Review {
    match put(store, app, author, rating, text, at).await {
        PutReviewOutcome::Created(review) => review,
        other => panic!("review not created: {other:?}"),
    }
}

/// Posts or changes the official reply and answers the review with it.
async fn reply(store: &dyn Store, review: &ReviewId, developer: &User, text: &str, at: Timestamp) -> Review {
    match store.put_reply(review, &developer.id, text, &[], &acting(developer), at).await.expect("put reply") {
        ReplyOutcome::Posted(review) => review,
        other => panic!("reply not posted: {other:?}"),
    }
}

async fn hide(store: &dyn Store, w: &World, review: &ReviewId, target: ReportTarget, hide: bool, at: Timestamp) {
    let outcome =
        store.set_hidden(review, target, hide, "광고성 내용", &[], &acting(&w.operator), at).await.expect("set hidden");
    assert!(matches!(outcome, HideOutcome::Changed(_)), "not changed: {outcome:?}");
}

fn mail(kind: MailKind, to: &User) -> OutgoingMail {
    OutgoingMail {
        kind,
        to_user: Some(to.id.clone()),
        to_email: to.email.clone(),
        locale: Locale::Ko,
        subject: kind.as_str().to_owned(),
        body_text: "text".to_owned(),
        body_html: "<p>html</p>".to_owned(),
        inquiry_id: None,
    }
}

fn report(target: ReportTarget, reason: ReportReason) -> ReportDraft {
    ReportDraft::parse(target.as_str(), reason.as_str(), Some("신고합니다")).expect("a valid report")
}

/// `seconds` after [`t0`].
fn at_sec(seconds: i64) -> Timestamp {
    t0() + SignedDuration::from_secs(seconds)
}

/// `n` more customers, `reviewer0@...` on.
async fn customers(store: &dyn Store, tag: &str, n: usize) -> Vec<User> {
    let mut users = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("{tag}{i}@example.com");
        let name = format!("{tag} {i}");
        let number = format!("C-{tag}-{i}");
        users.push(make_user(store, &new_user(&email, &name, Role::Customer, None, Some(&number)), at_min(-40)).await);
    }
    users
}

/// R13: the app's per-star counters as the store carries them on the app.
async fn histogram(store: &dyn Store, app: &AppId) -> [i64; 5] {
    store.app(app).await.expect("read app").expect("the app exists").rating.histogram
}

/// Every review of the public list, read page by page with `limit`; no review is seen
/// twice and the last page says so.
async fn all_public(store: &dyn Store, app: &AppId, filter: &ReviewFilter, limit: u32) -> Vec<Review> {
    let mut reviews: Vec<Review> = Vec::new();
    let mut request = PageRequest { limit, after: None };
    loop {
        let page: Page<Review> = store.public_reviews(app, filter, &request).await.expect("public reviews");
        assert!(page.items.len() <= limit as usize);
        for review in page.items {
            assert!(!reviews.iter().any(|r| r.id == review.id), "{} listed twice", review.id);
            reviews.push(review);
        }
        match page.next_cursor {
            Some(cursor) => request.after = Some(cursor),
            None => return reviews,
        }
    }
}

fn ids(reviews: &[Review]) -> Vec<ReviewId> {
    reviews.iter().map(|r| r.id.clone()).collect()
}

/// A count by stars of the reviews listed.
fn counted(reviews: &[Review]) -> [i64; 5] {
    let mut counts = [0; 5];
    for review in reviews {
        counts[review.stars.index()] += 1;
    }
    counts
}

/// The order each sort promises, with the id breaking ties the way the index does.
fn sorted(mut reviews: Vec<Review>, sort: ReviewSort) -> Vec<ReviewId> {
    reviews.sort_by(|a, b| match sort {
        ReviewSort::Newest => (b.created_at, &b.id.0).cmp(&(a.created_at, &a.id.0)),
        ReviewSort::Oldest => (a.created_at, &a.id.0).cmp(&(b.created_at, &b.id.0)),
        ReviewSort::RatingHigh => (b.stars, b.created_at, &b.id.0).cmp(&(a.stars, a.created_at, &a.id.0)),
        ReviewSort::RatingLow => a.stars.cmp(&b.stars).then(b.created_at.cmp(&a.created_at)).then(a.id.0.cmp(&b.id.0)),
    });
    ids(&reviews)
}

const SORTS: [ReviewSort; 4] = [ReviewSort::Newest, ReviewSort::Oldest, ReviewSort::RatingHigh, ReviewSort::RatingLow];

async fn outbox_len(store: &dyn Store) -> usize {
    let mut count = 0;
    let mut page = PageRequest { limit: 100, after: None };
    loop {
        let got = store.outbox(None, &page).await.expect("outbox");
        count += got.items.len();
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => return count,
        }
    }
}

/// The actions recorded about one subject, oldest first.
async fn actions(store: &dyn Store, subject_type: &str, subject_id: &str) -> Vec<String> {
    let mut records = audit_of(store, subject_type, subject_id).await;
    records.reverse();
    records.into_iter().map(|r| r.entry.action).collect()
}

/// Every audit entry (by anyone, about anything).
async fn audit_len(store: &dyn Store) -> usize {
    all_audit(store, &AuditFilter::default()).await.len()
}

/// The whole moderation queue, read page by page with `limit`.
async fn queue(store: &dyn Store, limit: u32) -> Vec<ReportedItem> {
    let mut items: Vec<ReportedItem> = Vec::new();
    let mut request = PageRequest { limit, after: None };
    loop {
        let page = store.moderation_queue(&request).await.expect("moderation queue");
        assert!(page.items.len() <= limit as usize);
        items.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request.after = Some(cursor),
            None => return items,
        }
    }
}

/// The queue as `(review, target, open reports)`, in its order.
async fn queue_items(store: &dyn Store) -> Vec<(ReviewId, ReportTarget, i64)> {
    queue(store, 100).await.into_iter().map(|i| (i.review.id, i.target, i.open_reports)).collect()
}

// ----- R13: the summary against random writes -----

/// The customers a random sequence writes as.
const WRITERS: usize = 5;

#[derive(Clone, Debug)]
enum Op {
    /// The customer writes (creates, edits, rewrites after deleting) their review.
    Put { app: usize, who: usize, rating: i64, text: bool },
    /// The customer deletes their review.
    Delete { app: usize, who: usize },
    /// An operator hides or shows again the customer's review.
    Hide { app: usize, who: usize, hide: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, 0..WRITERS, 1..=5i64, any::<bool>())
            .prop_map(|(app, who, rating, text)| Op::Put { app, who, rating, text }),
        1 => (0..2usize, 0..WRITERS).prop_map(|(app, who)| Op::Delete { app, who }),
        2 => (0..2usize, 0..WRITERS, any::<bool>()).prop_map(|(app, who, hide)| Op::Hide { app, who, hide }),
    ]
}

/// What the test expects of one customer's review of one app.
#[derive(Clone, Debug)]
struct Modelled {
    id: ReviewId,
    rating: i64,
    text: bool,
    hidden: bool,
    deleted: bool,
}

fn model_histogram(model: &HashMap<(usize, usize), Modelled>, app: usize) -> [i64; 5] {
    let mut counts = [0; 5];
    for ((of, _), review) in model {
        if *of == app && !review.hidden && !review.deleted {
            counts[stars(review.rating).index()] += 1;
        }
    }
    counts
}

/// The seeded world and the customers of the random sequences, shared by the cases.
struct Writers {
    world: World,
    customers: Vec<User>,
}

/// One random sequence on fresh apps of the shared store: after every step the app's
/// counters equal the model's count of visible reviews, and at the end they also equal
/// a count by stars of the public list, read through every order in small pages.
async fn r13_case(
    store: &dyn Store,
    writers: &Writers,
    apps: usize,
    ops: &[Op],
    clock: &AtomicI64,
) -> Result<(), TestCaseError> {
    let w = &writers.world;
    let mut listed = Vec::with_capacity(apps);
    for (i, seller) in [&w.seller, &w.other_seller].into_iter().enumerate().take(apps) {
        listed.push(make_app(store, &seller.id, &format!("Random {i}"), None, at_min(-30)).await);
    }
    let mut model: HashMap<(usize, usize), Modelled> = HashMap::new();
    for op in ops {
        // Two steps share each instant, so that the orders break ties by id.
        let now = at_sec(clock.fetch_add(1, Ordering::SeqCst) / 2);
        let app = match op {
            Op::Put { app, .. } | Op::Delete { app, .. } | Op::Hide { app, .. } => app % apps,
        };
        match *op {
            Op::Put { who, rating, text, .. } => {
                let author = &writers.customers[who];
                let body = text.then(|| format!("{rating}점짜리 리뷰"));
                let outcome = put(store, &listed[app], author, rating, body.as_deref(), now).await;
                let key = (app, who);
                let expected = match model.get(&key) {
                    None => "created",
                    Some(m) if m.deleted => "created",
                    Some(m) if m.rating == rating && m.text == text => "unchanged",
                    Some(_) => "edited",
                };
                let got = match &outcome {
                    PutReviewOutcome::Created(_) => "created",
                    PutReviewOutcome::Edited(_) => "edited",
                    PutReviewOutcome::Unchanged(_) => "unchanged",
                };
                prop_assert_eq!(got, expected, "{:?}", op);
                let review = outcome.review();
                let hidden = model.get(&key).is_some_and(|m| m.hidden);
                prop_assert_eq!(review.hidden.is_some(), hidden, "a rewrite keeps the operator's decision");
                prop_assert_eq!(review.stars, stars(rating));
                model.insert(key, Modelled { id: review.id.clone(), rating, text, hidden, deleted: false });
            }
            Op::Delete { who, .. } => {
                let deleted = store
                    .delete_review(&listed[app].id, &writers.customers[who].id, &acting(&writers.customers[who]), now)
                    .await
                    .expect("delete review");
                let live = model.get_mut(&(app, who)).filter(|m| !m.deleted);
                prop_assert_eq!(deleted.is_some(), live.is_some(), "{:?}", op);
                if let Some(m) = live {
                    m.deleted = true;
                }
            }
            Op::Hide { who, hide, .. } => {
                let Some(m) = model.get_mut(&(app, who)) else { continue };
                let result =
                    store.set_hidden(&m.id, ReportTarget::Review, hide, "reason", &[], &acting(&w.operator), now).await;
                match result {
                    Err(StoreError::NotFound) => prop_assert!(m.deleted, "{:?}: not found but not deleted", op),
                    Ok(HideOutcome::Changed(review)) => {
                        prop_assert!(!m.deleted && m.hidden != hide, "{:?}: changed", op);
                        prop_assert_eq!(review.hidden.is_some(), hide);
                        m.hidden = hide;
                    }
                    Ok(HideOutcome::Unchanged(_)) => {
                        prop_assert!(!m.deleted && m.hidden == hide, "{:?}: unchanged", op)
                    }
                    other => return Err(TestCaseError::fail(format!("{op:?}: {other:?}"))),
                }
            }
        }
        prop_assert_eq!(histogram(store, &listed[app].id).await, model_histogram(&model, app), "after {:?}", op);
    }
    for (i, app) in listed.iter().enumerate() {
        let summary = store.app(&app.id).await.expect("read app").expect("the app exists").rating;
        prop_assert_eq!(summary.histogram, model_histogram(&model, i));
        prop_assert_eq!(summary.count, summary.histogram.iter().sum::<i64>());
        let visible: HashSet<ReviewId> = model
            .iter()
            .filter(|((of, _), m)| *of == i && !m.hidden && !m.deleted)
            .map(|(_, m)| m.id.clone())
            .collect();
        for sort in SORTS {
            let filter = ReviewFilter { sort, ..Default::default() };
            let public = all_public(store, &app.id, &filter, 2).await;
            prop_assert_eq!(counted(&public), summary.histogram, "{:?}", sort);
            prop_assert_eq!(ids(&public).into_iter().collect::<HashSet<_>>(), visible.clone());
        }
    }
    Ok(())
}

/// Runs the R13 property on one engine's store: 24 random sequences of up to 30 writes.
async fn r13_property(fixture: &TestStore) {
    let store = fixture.store();
    let world = World::seed(store).await;
    let mut customers = vec![world.customer.clone(), world.other_customer.clone()];
    customers.extend(self::customers(store, "writer", WRITERS - 2).await);
    let writers = Writers { world, customers };
    let clock = AtomicI64::new(0);
    let strategy = (1..=2usize, proptest::collection::vec(op(), 1..=30));
    let config = Config { cases: 24, failure_persistence: None, ..Config::default() };
    let handle = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
        let mut runner = TestRunner::new(config);
        let outcome =
            runner.run(&strategy, |(apps, ops)| handle.block_on(r13_case(store, &writers, apps, &ops, &clock)));
        if let Err(failure) = outcome {
            panic!("{failure}");
        }
    });
}

/// R13: whatever the sequence of reviews written, edited, deleted, written again,
/// hidden and shown again by several customers on one or two apps, each app's per-star
/// counters equal a count by stars of the reviews the public list shows, and the model.
mod r13_the_summary_counts_exactly_the_visible_reviews {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        let fixture = TestStore::sqlite().await;
        r13_property(&fixture).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(fixture) = TestStore::postgres("r13_the_summary_counts_exactly_the_visible_reviews").await else {
            return;
        };
        r13_property(&fixture).await;
    }
}

store_test! {
    /// R13 under concurrency: customers writing and rewriting their reviews of one app
    /// at once, while operators hide some and authors delete others, on two handles of
    /// one database (two server processes), leave the counters equal to a count of the
    /// visible reviews.
    async fn r13_concurrent_writes_keep_the_summary_exact(fixture: &TestStore) {
        let store = fixture.store();
        let w = World::seed(store).await;
        let people = customers(store, "racer", 12).await;
        let handles: [std::sync::Arc<dyn Store>; 2] = [fixture.reopen().await, fixture.reopen().await];
        let mut tasks = tokio::task::JoinSet::new();
        for (i, person) in people.iter().enumerate() {
            let (shared, write) = (handles[i % 2].clone(), write_of(&w.app, person, (i % 5 + 1) as i64, None));
            let who = acting(person);
            tasks.spawn(async move { shared.put_review(&write, &who, at_sec(1)).await.map(|o| o.review().id.clone()) });
        }
        let mut ids = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            ids.push(joined.expect("the task ran").expect("the store answered"));
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (i, person) in people.iter().enumerate() {
            let review = store.review_by_author(&w.app.id, &person.id).await.expect("read").expect("written").id;
            let (one, other) = (handles[i % 2].clone(), handles[(i + 1) % 2].clone());
            let (author, operator) = (person.clone(), w.operator.clone());
            let app = w.app.clone();
            tasks.spawn(async move {
                let hiding = async {
                    if i % 3 == 0 {
                        let by = acting(&operator);
                        let _ = other.set_hidden(&review, ReportTarget::Review, true, "x", &[], &by, at_sec(2)).await;
                    }
                };
                let writing = async {
                    if i % 4 == 1 {
                        one.delete_review(&app.id, &author.id, &acting(&author), at_sec(2)).await.expect("delete");
                    } else {
                        for rating in [5, 1, (i % 5 + 1) as i64] {
                            let write = write_of(&app, &author, rating, Some("다시"));
                            one.put_review(&write, &acting(&author), at_sec(2)).await.expect("rewrite");
                        }
                    }
                };
                tokio::join!(hiding, writing);
            });
        }
        while let Some(joined) = tasks.join_next().await {
            joined.expect("the task ran");
        }
        let mut expected = [0; 5];
        for person in &people {
            let review = store.review_by_author(&w.app.id, &person.id).await.expect("read");
            if let Some(review) = review.filter(|r| r.hidden.is_none()) {
                expected[review.stars.index()] += 1;
            }
        }
        assert!(expected.iter().sum::<i64>() > 0);
        assert_eq!(histogram(store, &w.app.id).await, expected);
        assert_eq!(counted(&all_public(store, &w.app.id, &ReviewFilter::default(), 5).await), expected);
        assert_eq!(ids.len(), 12);
    }
}

// ----- R10, R18: versions and the outdated reply -----

store_test! {
    /// R10/R18: an edit keeps the earlier version (newest first), marks the review
    /// edited and an existing reply outdated, until the developer replies again or
    /// confirms it; writing the same rating and text again writes nothing; a deleted
    /// review written again is new, dated now, and every version is still kept.
    async fn r10_r18_edits_keep_versions_and_outdate_the_reply(store: &dyn Store) {
        let w = World::seed(store).await;
        let (app, c) = (&w.app, &w.customer);
        let first = create(store, app, c, 4, Some("재미있어요"), at_min(1)).await;
        assert!(!first.edited && first.reply.is_none());
        assert_eq!((first.created_at, first.updated_at), (at_min(1), at_min(1)));
        assert_eq!(first.lang, Locale::Ko);
        assert!(store.review_versions(&first.id).await.expect("versions").is_empty());
        let replied = reply(store, &first.id, &w.developer, "감사합니다", at_min(2)).await;
        let answer = replied.reply.as_ref().expect("a reply");
        assert!(!answer.outdated);
        assert_eq!((answer.author_id.clone(), answer.seller_name.as_str()), (w.developer.id.clone(), "Seller One"));

        // R18: the edit outdates the reply; the earlier version is kept.
        let edited = match put(store, app, c, 2, Some("Crashes now"), at_min(3)).await {
            PutReviewOutcome::Edited(review) => review,
            other => panic!("not an edit: {other:?}"),
        };
        assert!(edited.edited);
        assert_eq!((edited.stars, edited.text.as_deref(), edited.lang), (stars(2), Some("Crashes now"), Locale::En));
        assert_eq!((edited.created_at, edited.updated_at), (at_min(1), at_min(3)));
        assert!(edited.reply.as_ref().expect("the reply stays").outdated);
        assert_eq!(histogram(store, &app.id).await, [0, 1, 0, 0, 0]);
        let versions = store.review_versions(&first.id).await.expect("versions");
        assert_eq!(versions.len(), 1);
        assert_eq!(
            (versions[0].stars, versions[0].text.as_deref(), versions[0].lang, versions[0].written_at),
            (stars(4), Some("재미있어요"), Locale::Ko, at_min(1))
        );

        // Writing the same again writes nothing: no version, no audit entry, same times.
        let audit = audit_len(store).await;
        match put(store, app, c, 2, Some("Crashes now"), at_min(4)).await {
            PutReviewOutcome::Unchanged(review) => assert_eq!(review, edited),
            other => panic!("not unchanged: {other:?}"),
        }
        assert_eq!(store.review_versions(&first.id).await.expect("versions").len(), 1);
        assert_eq!(audit_len(store).await, audit);

        // Confirming clears the mark; confirming a current reply changes nothing.
        let confirmed = store.confirm_reply(&first.id, &acting(&w.developer), at_min(5)).await.expect("confirm");
        let confirmed = confirmed.expect("there is a reply");
        let answer = confirmed.reply.as_ref().expect("a reply");
        assert!(!answer.outdated);
        assert_eq!(answer.text, "감사합니다");
        let audit = audit_len(store).await;
        let again = store.confirm_reply(&first.id, &acting(&w.developer), at_min(6)).await.expect("confirm again");
        assert_eq!(again.as_ref(), Some(&confirmed));
        assert_eq!(audit_len(store).await, audit);

        // A second edit (star-only now): two versions, newest first; the reply is outdated
        // again, and replying again, even with the same text, clears the mark.
        let edited = match put(store, app, c, 3, None, at_min(7)).await {
            PutReviewOutcome::Edited(review) => review,
            other => panic!("not an edit: {other:?}"),
        };
        assert!(edited.reply.as_ref().expect("a reply").outdated);
        assert_eq!(edited.text, None);
        let versions = store.review_versions(&first.id).await.expect("versions");
        let seen: Vec<_> = versions.iter().map(|v| (v.stars, v.text.clone(), v.written_at)).collect();
        assert_eq!(
            seen,
            [(stars(2), Some("Crashes now".to_owned()), at_min(3)), (stars(4), Some("재미있어요".to_owned()), at_min(1))]
        );
        let replied = reply(store, &first.id, &w.developer, "감사합니다", at_min(8)).await;
        let answer = replied.reply.as_ref().expect("a reply");
        assert!(!answer.outdated);
        assert_eq!((answer.created_at, answer.updated_at), (at_min(2), at_min(8)));

        // Deleted: gone from `review` and `review_by_author`, its last state kept.
        let deleted = store.delete_review(&app.id, &c.id, &acting(c), at_min(9)).await.expect("delete");
        assert_eq!(deleted.map(|r| r.id), Some(first.id.clone()));
        assert_eq!(store.review(&first.id).await.expect("review"), None);
        assert_eq!(store.review_by_author(&app.id, &c.id).await.expect("by author"), None);
        assert_eq!(store.delete_review(&app.id, &c.id, &acting(c), at_min(10)).await.expect("delete again"), None);
        assert_eq!(histogram(store, &app.id).await, [0; 5]);
        assert_eq!(store.review_versions(&first.id).await.expect("versions").len(), 3);

        // Written again: the same review, new to its readers (dated now, not edited).
        let revived = create(store, app, c, 5, Some("다시 좋아졌어요"), at_min(11)).await;
        assert_eq!(revived.id, first.id);
        assert!(!revived.edited);
        assert_eq!((revived.created_at, revived.updated_at), (at_min(11), at_min(11)));
        assert_eq!(store.review_by_author(&app.id, &c.id).await.expect("by author"), Some(revived.clone()));
        assert_eq!(histogram(store, &app.id).await, [0, 0, 0, 0, 1]);
        let versions = store.review_versions(&first.id).await.expect("versions");
        assert_eq!(versions.len(), 3);
        assert_eq!((versions[0].stars, versions[0].written_at), (stars(3), at_min(7)));
    }
}

// ----- R11: the official reply -----

store_test! {
    /// R11/R12: a reply to a hidden review is refused and changes nothing, one to a
    /// deleted review is not found; every version of the reply is kept, a deletion
    /// included; its mail is queued only when the reply changed.
    async fn r11_replies_keep_every_version_and_mail_only_on_change(store: &dyn Store) {
        let w = World::seed(store).await;
        let dev = &w.developer;
        let notify = [mail(MailKind::ReviewReplied, &w.customer)];
        let review = create(store, &w.app, &w.customer, 2, Some("느려요"), at_min(1)).await;

        let outbox = outbox_len(store).await;
        let posted = store.put_reply(&review.id, &dev.id, "개선하겠습니다", &notify, &acting(dev), at_min(2)).await;
        assert!(matches!(posted, Ok(ReplyOutcome::Posted(_))), "{posted:?}");
        assert_eq!(outbox_len(store).await, outbox + 1);
        let mails = store.outbox(None, &PageRequest::default()).await.expect("outbox");
        assert_eq!(mails.items[0].mail, notify[0]);

        // The same text again: nothing written, nothing sent.
        let audit = audit_len(store).await;
        let same = store.put_reply(&review.id, &dev.id, "개선하겠습니다", &notify, &acting(dev), at_min(3)).await;
        match same {
            Ok(ReplyOutcome::Unchanged(r)) => assert_eq!(r.reply.expect("a reply").updated_at, at_min(2)),
            other => panic!("not unchanged: {other:?}"),
        }
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox + 1, audit));

        // Changed: a second version, a second mail.
        let edited = store.put_reply(&review.id, &dev.id, "고쳤습니다", &notify, &acting(dev), at_min(4)).await;
        assert!(matches!(edited, Ok(ReplyOutcome::Posted(_))), "{edited:?}");
        assert_eq!(outbox_len(store).await, outbox + 2);

        // Deleted: the deletion is a version too (no text), and the review has no reply.
        let gone = store.delete_reply(&review.id, &dev.id, &acting(dev), at_min(5)).await.expect("delete reply");
        assert_eq!(gone.expect("the review").reply, None);
        let nothing = store.delete_reply(&review.id, &dev.id, &acting(dev), at_min(6)).await.expect("delete again");
        assert_eq!(nothing, None);
        assert_eq!(store.confirm_reply(&review.id, &acting(dev), at_min(6)).await.expect("confirm"), None);
        let versions = store.reply_versions(&review.id).await.expect("reply versions");
        let seen: Vec<_> = versions.iter().map(|v| (v.text.as_deref(), v.at, v.author_name.as_str())).collect();
        assert_eq!(
            seen,
            [(None, at_min(5), "Dev One"), (Some("고쳤습니다"), at_min(4), "Dev One"), (Some("개선하겠습니다"), at_min(2), "Dev One")]
        );
        assert!(versions.iter().all(|v| v.author_id == dev.id));

        // A new reply after the deletion starts a new first-posted time.
        let again = reply(store, &review.id, dev, "다시 답변드립니다", at_min(7)).await;
        assert_eq!(again.reply.expect("a reply").created_at, at_min(7));
        assert_eq!(store.reply_versions(&review.id).await.expect("reply versions").len(), 4);

        // R12: hidden: refused, nothing written or sent.
        hide(store, &w, &review.id, ReportTarget::Review, true, at_min(8)).await;
        let (outbox, audit) = (outbox_len(store).await, audit_len(store).await);
        let refused = store.put_reply(&review.id, &dev.id, "숨겨진 리뷰에 답변", &notify, &acting(dev), at_min(9)).await;
        assert_eq!(refused.expect("an answer"), ReplyOutcome::ReviewHidden);
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox, audit));
        assert_eq!(store.reply_versions(&review.id).await.expect("reply versions").len(), 4);
        let unchanged = store.review(&review.id).await.expect("review").expect("still there");
        assert_eq!(unchanged.reply.expect("a reply").text, "다시 답변드립니다");

        // R10: deleted: not found, nothing written.
        let other = create(store, &w.app, &w.other_customer, 5, None, at_min(10)).await;
        store.delete_review(&w.app.id, &w.other_customer.id, &acting(&w.other_customer), at_min(11)).await.expect("delete");
        let (outbox, audit) = (outbox_len(store).await, audit_len(store).await);
        let missing = store.put_reply(&other.id, &dev.id, "답변", &notify, &acting(dev), at_min(12)).await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        let unknown = store.put_reply(&ReviewId("nope".into()), &dev.id, "답변", &notify, &acting(dev), at_min(12)).await;
        assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
        assert!(store.reply_versions(&other.id).await.expect("reply versions").is_empty());
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox, audit));
    }
}

// ----- R10: the public list -----

/// The reviews of the public-list tests: eight customers on the world's paid app, one
/// review hidden, one deleted, one with a shown reply and one whose reply is hidden.
struct Listing {
    world: World,
    /// The reviews the public sees, as they are now.
    visible: Vec<Review>,
    hidden: ReviewId,
    deleted: ReviewId,
    /// The review whose reply is shown.
    answered: ReviewId,
    /// The review whose reply is hidden.
    reply_hidden: ReviewId,
}

impl Listing {
    async fn seed(store: &dyn Store) -> Listing {
        let world = World::seed(store).await;
        let mut authors = vec![world.customer.clone(), world.other_customer.clone()];
        authors.extend(customers(store, "lister", 6).await);
        let app = &world.app;
        // (rating, text, second): the third and fourth share an instant.
        let plan: [(i64, Option<&str>, i64); 8] = [
            (5, Some("최고예요"), 1),
            (4, Some("Great fun"), 2),
            (3, None, 3),
            (5, Some("Love it"), 3),
            (1, Some("별로예요"), 4),
            (2, None, 5),
            (4, Some("Nice"), 6),
            (1, None, 7),
        ];
        let mut reviews = Vec::new();
        for (author, (rating, text, second)) in authors.iter().zip(plan) {
            reviews.push(create(store, app, author, rating, text, at_sec(second)).await.id);
        }
        hide(store, &world, &reviews[5], ReportTarget::Review, true, at_sec(10)).await;
        store.delete_review(&app.id, &authors[6].id, &acting(&authors[6]), at_sec(11)).await.expect("delete");
        reply(store, &reviews[1], &world.developer, "Thank you!", at_sec(12)).await;
        reply(store, &reviews[7], &world.developer, "연락 주세요", at_sec(13)).await;
        hide(store, &world, &reviews[7], ReportTarget::Reply, true, at_sec(14)).await;
        let mut visible = Vec::new();
        for id in [0, 1, 2, 3, 4, 7].map(|i| &reviews[i]) {
            visible.push(store.review(id).await.expect("review").expect("visible review"));
        }
        Listing {
            world,
            visible,
            hidden: reviews[5].clone(),
            deleted: reviews[6].clone(),
            answered: reviews[1].clone(),
            reply_hidden: reviews[7].clone(),
        }
    }

    /// The visible reviews `filter` lets through, in its order.
    fn expected(&self, filter: &ReviewFilter) -> Vec<ReviewId> {
        let through = self.visible.iter().filter(|r| {
            filter.stars.contains(r.stars)
                && filter.replied.is_none_or(|want| r.public_reply().is_some() == want)
                && filter.has_text.is_none_or(|want| r.text.is_some() == want)
                && filter.lang.is_none_or(|lang| r.lang == lang)
        });
        sorted(through.cloned().collect(), filter.sort)
    }
}

store_test! {
    /// R10/R12: the public list shows neither hidden nor deleted reviews nor a hidden
    /// reply; each order holds on every page size, each page continuing where the last
    /// ended, every visible review listed exactly once.
    async fn r10_r12_the_public_list_shows_the_visible_in_each_order_on_every_page(store: &dyn Store) {
        let listing = Listing::seed(store).await;
        let app = &listing.world.app.id;
        assert_eq!(histogram(store, app).await, [2, 0, 1, 1, 2]);
        for sort in SORTS {
            let filter = ReviewFilter { sort, ..Default::default() };
            let expected = listing.expected(&filter);
            assert_eq!(expected.len(), 6);
            for limit in [1, 2, 4, 6, 100] {
                let listed = all_public(store, app, &filter, limit).await;
                assert_eq!(ids(&listed), expected, "{sort:?} in pages of {limit}");
                assert!(listed.iter().all(|r| r.id != listing.hidden && r.id != listing.deleted));
                assert_eq!(counted(&listed), histogram(store, app).await);
            }
            // A full page of exactly the rest says there is nothing after it.
            let page = store.public_reviews(app, &filter, &PageRequest { limit: 6, after: None }).await.expect("page");
            assert_eq!((page.items.len(), page.next_cursor), (6, None));
        }
        // Newest first, concretely: the tie at second 3 is broken by id, the same way on
        // every page.
        let newest = all_public(store, app, &ReviewFilter::default(), 100).await;
        let times: Vec<_> = newest.iter().map(|r| r.created_at).collect();
        assert_eq!(times, [at_sec(7), at_sec(4), at_sec(3), at_sec(3), at_sec(2), at_sec(1)]);
        let high = all_public(store, app, &ReviewFilter { sort: ReviewSort::RatingHigh, ..Default::default() }, 100).await;
        let high: Vec<_> = high.iter().map(|r| (r.stars.get(), r.created_at)).collect();
        assert_eq!(high, [(5, at_sec(3)), (5, at_sec(1)), (4, at_sec(2)), (3, at_sec(3)), (1, at_sec(7)), (1, at_sec(4))]);
        let low = all_public(store, app, &ReviewFilter { sort: ReviewSort::RatingLow, ..Default::default() }, 100).await;
        let low: Vec<_> = low.iter().map(|r| (r.stars.get(), r.created_at)).collect();
        assert_eq!(low, [(1, at_sec(7)), (1, at_sec(4)), (3, at_sec(3)), (4, at_sec(2)), (5, at_sec(3)), (5, at_sec(1))]);

        // R12: the hidden reply is not shown; the other reply is, marked with its seller.
        let with_hidden_reply = newest.iter().find(|r| r.id == listing.reply_hidden).expect("the review is listed");
        assert!(with_hidden_reply.public_reply().is_none());
        let answered = newest.iter().find(|r| r.id == listing.answered).expect("listed");
        let shown = answered.public_reply().expect("a shown reply");
        assert_eq!((shown.text.as_str(), shown.seller_name.as_str()), ("Thank you!", "Seller One"));
    }
}

store_test! {
    /// R10: the filters (a set of ratings, with or without text, the language, with or
    /// without a shown reply) combine with each other and with every order and page.
    async fn r10_public_list_filters_combine(store: &dyn Store) {
        let listing = Listing::seed(store).await;
        let app = &listing.world.app.id;
        let set = |list: &[i64]| StarSet::of(&list.iter().map(|n| stars(*n)).collect::<Vec<_>>());
        let filters = [
            ReviewFilter { stars: set(&[1, 5]), ..Default::default() },
            ReviewFilter { has_text: Some(true), ..Default::default() },
            ReviewFilter { has_text: Some(false), ..Default::default() },
            ReviewFilter { lang: Some(Locale::En), ..Default::default() },
            ReviewFilter { lang: Some(Locale::Ko), ..Default::default() },
            ReviewFilter { replied: Some(true), ..Default::default() },
            ReviewFilter { replied: Some(false), ..Default::default() },
            ReviewFilter { stars: set(&[4, 5]), has_text: Some(true), lang: Some(Locale::Ko), ..Default::default() },
            ReviewFilter { stars: set(&[1, 5]), has_text: Some(false), ..Default::default() },
            ReviewFilter { stars: set(&[5]), lang: Some(Locale::En), replied: Some(false), ..Default::default() },
            ReviewFilter { stars: set(&[2]), ..Default::default() },
        ];
        // What each filter lets through, counted by hand.
        let sizes = [4, 4, 2, 2, 4, 1, 5, 1, 1, 1, 0];
        for (filter, size) in filters.iter().zip(sizes) {
            for sort in SORTS {
                let filter = ReviewFilter { sort, ..filter.clone() };
                let expected = listing.expected(&filter);
                assert_eq!(expected.len(), size, "{filter:?}");
                for limit in [1, 3, 100] {
                    assert_eq!(ids(&all_public(store, app, &filter, limit).await), expected, "{filter:?} by {limit}");
                }
            }
        }
        // `replied` means a *shown* reply: the review whose reply is hidden is unreplied.
        let replied = all_public(store, app, &ReviewFilter { replied: Some(true), ..Default::default() }, 10).await;
        assert_eq!(ids(&replied), vec![listing.answered.clone()]);
        let unreplied = all_public(store, app, &ReviewFilter { replied: Some(false), ..Default::default() }, 10).await;
        assert!(unreplied.iter().any(|r| r.id == listing.reply_hidden));
        // Another app's list is its own.
        assert!(all_public(store, &listing.world.other_app.id, &ReviewFilter::default(), 10).await.is_empty());
    }
}

// ----- R10: the public list's query plans -----

/// The partial index each order reads.
fn index_of(sort: ReviewSort) -> &'static str {
    match sort {
        ReviewSort::Newest | ReviewSort::Oldest => "reviews_public_newest",
        ReviewSort::RatingHigh => "reviews_public_high",
        ReviewSort::RatingLow => "reviews_public_low",
    }
}

async fn assert_public_plans(fixture: &TestStore) {
    let store = fixture.store();
    let listing = Listing::seed(store).await;
    let app = &listing.world.app.id;
    let combined = ReviewFilter {
        stars: StarSet::of(&[stars(1), stars(5)]),
        replied: Some(false),
        has_text: Some(true),
        lang: Some(Locale::En),
        ..Default::default()
    };
    for sort in SORTS {
        for filter in [ReviewFilter { sort, ..Default::default() }, ReviewFilter { sort, ..combined.clone() }] {
            let first = PageRequest { limit: 2, after: None };
            let next = store.public_reviews(app, &ReviewFilter { sort, ..Default::default() }, &first).await;
            let next = PageRequest { limit: 2, after: next.expect("first page").next_cursor };
            assert!(next.after.is_some());
            for page in [first, next] {
                let (sql, args) = review_sql::public_reviews(app, &filter, &page);
                let args: Vec<PlanArg> = args
                    .into_iter()
                    .map(|arg| match arg {
                        review_sql::Arg::Int(n) => PlanArg::Int(n),
                        review_sql::Arg::Text(s) => PlanArg::Text(s),
                    })
                    .collect();
                let plan = fixture.plan_with(&sql, &args).await;
                let shown = || format!("{filter:?} {page:?}\n{sql}\n{}", plan.join("\n"));
                let index = index_of(sort);
                assert!(plan.iter().any(|step| step.contains(index)), "{index} not used: {}", shown());
                if fixture.is_sqlite() {
                    assert!(!plan.iter().any(|step| step.starts_with("SCAN")), "a full scan: {}", shown());
                    assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "a sort: {}", shown());
                } else {
                    assert!(!plan.iter().any(|step| step.contains("Seq Scan on reviews")), "a full scan: {}", shown());
                    assert!(!plan.iter().any(|step| step.contains("Sort")), "a sort: {}", shown());
                }
            }
        }
    }
}

/// R10: SQLite reads each order of the public list, with or without filters, on the
/// first page and after a cursor, through its partial index in the index's order: no
/// scan of `reviews`, no sort.
#[tokio::test]
async fn r10_the_public_list_reads_its_partial_index_sqlite() {
    let fixture = TestStore::sqlite().await;
    assert_public_plans(&fixture).await;
}

/// The same on PostgreSQL: the planner can answer each order through its partial index
/// (`visible` is in every WHERE clause) without sorting.
#[tokio::test]
async fn r10_the_public_list_reads_its_partial_index_postgres() {
    let Some(fixture) = TestStore::postgres("r10_the_public_list_reads_its_partial_index_postgres").await else {
        return;
    };
    assert_public_plans(&fixture).await;
}

// ----- R12: reports and moderation -----

store_test! {
    /// R12: one open report per reporter and item (a reply is an item of its own); the
    /// queue groups open reports by item, counts them, the longest waiting first, page
    /// by page; hiding resolves the item's reports, dismissing resolves them without
    /// hiding, and a resolved report no longer stops the reporter from reporting again.
    async fn r12_reports_one_open_per_reporter_and_item_and_the_queue(store: &dyn Store) {
        let w = World::seed(store).await;
        let (c, other, dev) = (&w.customer, &w.other_customer, &w.developer);
        let first = create(store, &w.app, c, 1, Some("광고 링크 http://spam"), at_min(1)).await;
        reply(store, &first.id, dev, "삭제 부탁드립니다", at_min(2)).await;
        let second = create(store, &w.app, other, 2, Some("별로"), at_min(3)).await;

        let file = |review: &ReviewId, reporter: &User, draft: ReportDraft, at: Timestamp| {
            let (review, reporter) = (review.clone(), reporter.clone());
            async move { store.file_report(&review, &reporter.id, &draft, &acting(&reporter), at).await.expect("report") }
        };
        let filed = file(&second.id, dev, report(ReportTarget::Review, ReportReason::OffTopic), at_min(9)).await;
        assert!(matches!(filed, ReportOutcome::Filed(_)), "{filed:?}");
        let spam = match file(&first.id, c, report(ReportTarget::Review, ReportReason::Spam), at_min(10)).await {
            ReportOutcome::Filed(report) => report,
            other => panic!("not filed: {other:?}"),
        };
        assert_eq!(
            (&spam.review_id, spam.target, &spam.reporter_id, spam.reason, spam.note.as_deref(), spam.created_at),
            (&first.id, ReportTarget::Review, &c.id, ReportReason::Spam, Some("신고합니다"), at_min(10))
        );
        // The same reporter on the same item, even for another reason: already open.
        let again = file(&first.id, c, report(ReportTarget::Review, ReportReason::Abusive), at_min(11)).await;
        assert_eq!(again, ReportOutcome::AlreadyOpen);
        // The reply is another item; another reporter is another report.
        let on_reply = file(&first.id, c, report(ReportTarget::Reply, ReportReason::Abusive), at_min(12)).await;
        assert!(matches!(on_reply, ReportOutcome::Filed(_)), "{on_reply:?}");
        let by_other = file(&first.id, other, report(ReportTarget::Review, ReportReason::Abusive), at_min(13)).await;
        assert!(matches!(by_other, ReportOutcome::Filed(_)), "{by_other:?}");

        let open = store.open_reports(&first.id).await.expect("open reports");
        let seen: Vec<_> = open.iter().map(|r| (r.target, r.reporter_id.clone(), r.created_at)).collect();
        assert_eq!(
            seen,
            [
                (ReportTarget::Review, c.id.clone(), at_min(10)),
                (ReportTarget::Reply, c.id.clone(), at_min(12)),
                (ReportTarget::Review, other.id.clone(), at_min(13)),
            ]
        );

        // The queue: by item, the longest waiting first, with counts and reasons.
        let items = queue(store, 100).await;
        let seen: Vec<_> = items
            .iter()
            .map(|i| (i.review.id.clone(), i.target, i.open_reports, i.first_reported_at, i.reasons.clone()))
            .collect();
        assert_eq!(
            seen,
            [
                (second.id.clone(), ReportTarget::Review, 1, at_min(9), vec![ReportReason::OffTopic]),
                (first.id.clone(), ReportTarget::Review, 2, at_min(10), vec![ReportReason::Abusive, ReportReason::Spam]),
                (first.id.clone(), ReportTarget::Reply, 1, at_min(12), vec![ReportReason::Abusive]),
            ]
        );
        assert_eq!(items[2].review.reply.as_ref().map(|r| r.text.as_str()), Some("삭제 부탁드립니다"));
        for limit in [1, 2] {
            assert_eq!(queue(store, limit).await, items, "in pages of {limit}");
        }

        // Hiding the review resolves its reports, not the reply's; the author is told.
        let outbox = outbox_len(store).await;
        let told = [mail(MailKind::ReviewHidden, c)];
        let hidden = store
            .set_hidden(&first.id, ReportTarget::Review, true, "스팸", &told, &acting(&w.operator), at_min(20))
            .await
            .expect("hide");
        let HideOutcome::Changed(hidden) = hidden else { panic!("not hidden: {hidden:?}") };
        assert_eq!(hidden.hidden.as_ref().map(|h| (h.at, h.reason.as_str())), Some((at_min(20), "스팸")));
        assert_eq!(outbox_len(store).await, outbox + 1);
        assert_eq!(
            queue_items(store).await,
            [(second.id.clone(), ReportTarget::Review, 1), (first.id.clone(), ReportTarget::Reply, 1)]
        );
        let open = store.open_reports(&first.id).await.expect("open reports");
        assert_eq!(open.iter().map(|r| r.target).collect::<Vec<_>>(), [ReportTarget::Reply]);
        // Hidden already: nothing changes, nothing is sent.
        let audit = audit_len(store).await;
        let same = store
            .set_hidden(&first.id, ReportTarget::Review, true, "스팸", &told, &acting(&w.operator), at_min(21))
            .await
            .expect("hide again");
        assert!(matches!(same, HideOutcome::Unchanged(_)), "{same:?}");
        assert_eq!((outbox_len(store).await, audit_len(store).await), (outbox + 1, audit));

        // Resolved, the reporter may report again: a new item in the queue.
        let anew = file(&first.id, c, report(ReportTarget::Review, ReportReason::Other), at_min(22)).await;
        assert!(matches!(anew, ReportOutcome::Filed(_)), "{anew:?}");
        assert_eq!(queue_items(store).await.last(), Some(&(first.id.clone(), ReportTarget::Review, 1)));
        assert_eq!(store.dismiss_reports(&first.id, ReportTarget::Review, &acting(&w.operator), at_min(23)).await.ok(), Some(1));

        // Dismissing keeps the reply as it is and resolves its reports.
        let dismissed = store.dismiss_reports(&first.id, ReportTarget::Reply, &acting(&w.operator), at_min(24)).await;
        assert_eq!(dismissed.expect("dismiss"), 1);
        let kept = store.review(&first.id).await.expect("review").expect("there");
        assert_eq!(kept.reply.expect("the reply").hidden, None);
        assert_eq!(queue_items(store).await, [(second.id.clone(), ReportTarget::Review, 1)]);
        let audit = audit_len(store).await;
        let none = store.dismiss_reports(&first.id, ReportTarget::Reply, &acting(&w.operator), at_min(25)).await;
        assert_eq!(none.expect("dismiss again"), 0);
        assert_eq!(audit_len(store).await, audit);

        // A review without a reply has no reply to hide.
        let no_reply = store
            .set_hidden(&second.id, ReportTarget::Reply, true, "x", &told, &acting(&w.operator), at_min(26))
            .await
            .expect("hide a reply that is not there");
        assert_eq!(no_reply, HideOutcome::NoReply);
        hide(store, &w, &second.id, ReportTarget::Review, true, at_min(27)).await;
        assert!(queue(store, 10).await.is_empty());
        let page = store.moderation_queue(&PageRequest::default()).await.expect("queue");
        assert_eq!((page.items.len(), page.next_cursor), (0, None));
    }
}

store_test! {
    /// R12: what its author deleted leaves the queue: deleting a review resolves the
    /// open reports of it and of its reply, deleting a reply resolves the reply's (an
    /// operator could neither hide nor dismiss a deleted review, and the oldest-first
    /// queue would keep it on top); a deleted review or a missing reply cannot be
    /// reported; written again, the review starts with no reports.
    async fn r12_deleting_resolves_the_reports_of_what_was_deleted(store: &dyn Store) {
        let w = World::seed(store).await;
        let (c, other, dev) = (&w.customer, &w.other_customer, &w.developer);
        let first = create(store, &w.app, c, 1, Some("광고"), at_min(1)).await;
        reply(store, &first.id, dev, "답변", at_min(2)).await;
        let second = create(store, &w.app, other, 2, Some("별로"), at_min(3)).await;
        reply(store, &second.id, dev, "답변", at_min(4)).await;
        let file = |review: &ReviewId, reporter: &User, target: ReportTarget, at: Timestamp| {
            let (review, reporter) = (review.clone(), reporter.clone());
            async move {
                let draft = report(target, ReportReason::Abusive);
                store.file_report(&review, &reporter.id, &draft, &acting(&reporter), at).await
            }
        };
        for (review, reporter, target, minute) in [
            (&first.id, other, ReportTarget::Review, 10),
            (&first.id, other, ReportTarget::Reply, 11),
            (&second.id, c, ReportTarget::Reply, 12),
            (&second.id, c, ReportTarget::Review, 13),
        ] {
            let filed = file(review, reporter, target, at_min(minute)).await;
            assert!(matches!(filed, Ok(ReportOutcome::Filed(_))), "{filed:?}");
        }
        assert_eq!(queue_items(store).await.len(), 4);

        // The author deletes the review: both of its items leave the queue.
        store.delete_review(&w.app.id, &c.id, &acting(c), at_min(20)).await.expect("delete review");
        assert!(store.open_reports(&first.id).await.expect("open reports").is_empty());
        assert_eq!(
            queue_items(store).await,
            [(second.id.clone(), ReportTarget::Reply, 1), (second.id.clone(), ReportTarget::Review, 1)]
        );
        // The developer deletes the other reply: its item leaves, the review's stays.
        store.delete_reply(&second.id, &dev.id, &acting(dev), at_min(21)).await.expect("delete reply");
        assert_eq!(queue_items(store).await, [(second.id.clone(), ReportTarget::Review, 1)]);

        // Nothing to report: a deleted review, a reply that is not there, an unknown id.
        let audit = audit_len(store).await;
        for (review, target) in [
            (&first.id, ReportTarget::Review),
            (&first.id, ReportTarget::Reply),
            (&second.id, ReportTarget::Reply),
            (&ReviewId("nope".into()), ReportTarget::Review),
        ] {
            let refused = file(review, dev, target, at_min(22)).await;
            assert!(matches!(refused, Err(StoreError::NotFound)), "{target:?}: {refused:?}");
        }
        assert_eq!(audit_len(store).await, audit);
        assert_eq!(queue_items(store).await, [(second.id.clone(), ReportTarget::Review, 1)]);

        // Written again, the review has no open reports, and may be reported anew.
        create(store, &w.app, c, 3, Some("다시 썼어요"), at_min(23)).await;
        assert!(store.open_reports(&first.id).await.expect("open reports").is_empty());
        let anew = file(&first.id, other, ReportTarget::Review, at_min(24)).await;
        assert!(matches!(anew, Ok(ReportOutcome::Filed(_))), "{anew:?}");
        assert_eq!(
            queue_items(store).await,
            [(second.id.clone(), ReportTarget::Review, 1), (first.id.clone(), ReportTarget::Review, 1)]
        );
    }
}

// ----- R14: the audit trail -----

store_test! {
    /// R14: every write of a review, its reply, a report, moderation and saved replies
    /// leaves one audit entry with its action, actor and channel; writes that change
    /// nothing leave none.
    async fn r14_every_review_write_is_audited(store: &dyn Store) {
        let w = World::seed(store).await;
        let (c, dev, op) = (&w.customer, &w.developer, &w.operator);
        let id = create(store, &w.app, c, 3, None, at_min(1)).await.id;
        put(store, &w.app, c, 4, None, at_min(2)).await;
        put(store, &w.app, c, 4, None, at_min(3)).await; // unchanged
        reply(store, &id, dev, "감사합니다", at_min(4)).await;
        reply(store, &id, dev, "정말 감사합니다", at_min(5)).await;
        store.put_reply(&id, &dev.id, "정말 감사합니다", &[], &acting(dev), at_min(5)).await.expect("unchanged");
        put(store, &w.app, c, 5, None, at_min(6)).await;
        store.confirm_reply(&id, &acting(dev), at_min(7)).await.expect("confirm");
        store.confirm_reply(&id, &acting(dev), at_min(7)).await.expect("confirm again"); // nothing to confirm
        let draft = report(ReportTarget::Reply, ReportReason::Abusive);
        let report_id = match store.file_report(&id, &c.id, &draft, &acting(c), at_min(8)).await.expect("report") {
            ReportOutcome::Filed(report) => report.id,
            other => panic!("not filed: {other:?}"),
        };
        assert_eq!(store.file_report(&id, &c.id, &draft, &acting(c), at_min(8)).await.ok(), Some(ReportOutcome::AlreadyOpen));
        hide(store, &w, &id, ReportTarget::Reply, true, at_min(9)).await;
        hide(store, &w, &id, ReportTarget::Reply, false, at_min(10)).await;
        hide(store, &w, &id, ReportTarget::Review, true, at_min(11)).await;
        hide(store, &w, &id, ReportTarget::Review, false, at_min(12)).await;
        store.set_hidden(&id, ReportTarget::Review, false, "again", &[], &acting(op), at_min(12)).await.expect("unchanged");
        store.file_report(&id, &dev.id, &report(ReportTarget::Review, ReportReason::Spam), &acting(dev), at_min(13)).await.expect("report");
        assert_eq!(store.dismiss_reports(&id, ReportTarget::Review, &acting(op), at_min(14)).await.ok(), Some(1));
        assert_eq!(store.dismiss_reports(&id, ReportTarget::Review, &acting(op), at_min(14)).await.ok(), Some(0));
        store.delete_reply(&id, &dev.id, &acting(dev), at_min(15)).await.expect("delete reply");
        store.delete_reply(&id, &dev.id, &acting(dev), at_min(15)).await.expect("nothing to delete");
        store.delete_review(&w.app.id, &c.id, &acting(c), at_min(16)).await.expect("delete review");
        store.delete_review(&w.app.id, &c.id, &acting(c), at_min(16)).await.expect("nothing to delete");
        create(store, &w.app, c, 2, Some("다시 씁니다"), at_min(17)).await;

        assert_eq!(
            actions(store, "review", &id.0).await,
            [
                "review.created",
                "review.edited",
                "reply.posted",
                "reply.edited",
                "review.edited",
                "reply.confirmed",
                "reply.hidden",
                "reply.unhidden",
                "review.hidden",
                "review.unhidden",
                "reports.dismissed",
                "reply.deleted",
                "review.deleted",
                "review.created",
            ]
        );
        let records = audit_of(store, "review", &id.0).await;
        let by = |action: &str| records.iter().find(|r| r.entry.action == action).expect(action).entry.clone();
        for (action, who) in [("review.edited", c), ("reply.posted", dev), ("review.hidden", op), ("reports.dismissed", op)] {
            let entry = by(action);
            assert_eq!((entry.actor.user_id.as_ref(), entry.actor.role), (Some(&who.id), Some(who.role)), "{action}");
            assert_eq!(entry.channel, Channel::Api);
        }
        assert_eq!(records.iter().find(|r| r.entry.action == "review.hidden").map(|r| r.at), Some(at_min(11)));
        assert_eq!(actions(store, "review_report", &report_id.0).await, ["report.filed"]);
        let filed = all_audit(store, &AuditFilter::default()).await;
        assert_eq!(filed.iter().filter(|r| r.entry.action == "report.filed").count(), 2);

        // Saved replies.
        let draft = TemplateDraft::parse("감사 인사", "{customer_name}님 감사합니다", "ko").expect("a valid template");
        let template = store.create_reply_template(&w.seller.id, &draft, &acting(dev), at_min(20)).await.expect("create");
        let changed = TemplateDraft::parse("감사 인사", "{customer_name}님, 고맙습니다", "ko").expect("valid");
        store.update_reply_template(&template.id, &changed, &acting(dev), at_min(21)).await.expect("update");
        assert!(store.delete_reply_template(&template.id, &acting(dev), at_min(22)).await.expect("delete"));
        assert!(!store.delete_reply_template(&template.id, &acting(dev), at_min(23)).await.expect("delete again"));
        assert_eq!(
            actions(store, "reply_template", &template.id.0).await,
            ["reply_template.created", "reply_template.edited", "reply_template.deleted"]
        );
    }
}

// ----- saved replies and the developers' counts -----

store_test! {
    /// Saved replies: created, listed by title (only to their seller), read, changed
    /// and deleted; a missing one is not found.
    async fn saved_replies_crud(store: &dyn Store) {
        let w = World::seed(store).await;
        let dev = &w.developer;
        let parse = |title: &str, text: &str, lang: &str| TemplateDraft::parse(title, text, lang).expect("valid");
        let thanks = store
            .create_reply_template(&w.seller.id, &parse("Thanks", "Thank you, {customer_name}!", "en"), &acting(dev), at_min(1))
            .await
            .expect("create");
        assert_eq!(
            (&thanks.seller_id, thanks.title.as_str(), thanks.text.as_str(), thanks.lang),
            (&w.seller.id, "Thanks", "Thank you, {customer_name}!", Locale::En)
        );
        assert_eq!((thanks.created_at, thanks.updated_at), (at_min(1), at_min(1)));
        let apology = store
            .create_reply_template(&w.seller.id, &parse("Apology", "{app_title} 불편을 드려 죄송합니다", "ko"), &acting(dev), at_min(2))
            .await
            .expect("create");
        let titles = |list: Vec<vocdesk_domain::review::ReplyTemplate>| list.into_iter().map(|t| t.title).collect::<Vec<_>>();
        assert_eq!(titles(store.reply_templates(&w.seller.id).await.expect("list")), ["Apology", "Thanks"]);
        assert!(store.reply_templates(&w.other_seller.id).await.expect("list").is_empty());
        assert_eq!(store.reply_template(&thanks.id).await.expect("read"), Some(thanks.clone()));

        let renamed = store
            .update_reply_template(&thanks.id, &parse("Acknowledgement", "감사합니다", "ko"), &acting(dev), at_min(3))
            .await
            .expect("update");
        assert_eq!((renamed.id.clone(), renamed.title.as_str(), renamed.lang), (thanks.id.clone(), "Acknowledgement", Locale::Ko));
        assert_eq!((renamed.created_at, renamed.updated_at), (at_min(1), at_min(3)));
        assert_eq!(store.reply_template(&thanks.id).await.expect("read"), Some(renamed));
        assert_eq!(titles(store.reply_templates(&w.seller.id).await.expect("list")), ["Acknowledgement", "Apology"]);

        assert!(store.delete_reply_template(&apology.id, &acting(dev), at_min(4)).await.expect("delete"));
        assert_eq!(store.reply_template(&apology.id).await.expect("read"), None);
        assert_eq!(titles(store.reply_templates(&w.seller.id).await.expect("list")), ["Acknowledgement"]);
        let missing = ReplyTemplateId("nope".into());
        let updated = store.update_reply_template(&missing, &parse("x", "y", "ko"), &acting(dev), at_min(5)).await;
        assert!(matches!(updated, Err(StoreError::NotFound)), "{updated:?}");
        assert!(!store.delete_reply_template(&missing, &acting(dev), at_min(5)).await.expect("delete"));
    }
}

store_test! {
    /// R11/R18: per app of a seller, the reviews that owe an answer: shown, and without
    /// a reply or with an outdated one; hidden and deleted reviews owe nothing.
    async fn r11_r18_unanswered_counts_per_app(store: &dyn Store) {
        let w = World::seed(store).await;
        let dev = &w.developer;
        let second = make_app(store, &w.seller.id, "Puzzle Two", None, at_min(-30)).await;
        let people = customers(store, "counter", 5).await;
        let counts = |list: Vec<AppReviewCounts>| list.into_iter().map(|c| (c.app_id, c.unanswered)).collect::<Vec<_>>();
        assert!(store.unanswered_review_counts(&w.seller.id).await.expect("counts").is_empty());

        // On the first app: unanswered, answered, answered then edited (outdated), hidden,
        // deleted.
        let unanswered = create(store, &w.app, &people[0], 3, None, at_min(1)).await;
        let answered = create(store, &w.app, &people[1], 4, None, at_min(2)).await;
        reply(store, &answered.id, dev, "감사합니다", at_min(3)).await;
        let outdated = create(store, &w.app, &people[2], 5, None, at_min(4)).await;
        reply(store, &outdated.id, dev, "감사합니다", at_min(5)).await;
        put(store, &w.app, &people[2], 1, Some("이제 별로"), at_min(6)).await;
        let hidden = create(store, &w.app, &people[3], 1, None, at_min(7)).await;
        hide(store, &w, &hidden.id, ReportTarget::Review, true, at_min(8)).await;
        create(store, &w.app, &people[4], 2, None, at_min(9)).await;
        store.delete_review(&w.app.id, &people[4].id, &acting(&people[4]), at_min(10)).await.expect("delete");
        // On the second app: two unanswered; on the other seller's app: one.
        create(store, &second, &people[0], 5, None, at_min(11)).await;
        create(store, &second, &people[1], 5, None, at_min(12)).await;
        create(store, &w.other_app, &people[0], 5, None, at_min(13)).await;

        let mut expected = vec![(w.app.id.clone(), 2), (second.id.clone(), 2)];
        expected.sort();
        assert_eq!(counts(store.unanswered_review_counts(&w.seller.id).await.expect("counts")), expected);
        assert_eq!(counts(store.unanswered_review_counts(&w.other_seller.id).await.expect("counts")), [(w.other_app.id.clone(), 1)]);
        assert!(unanswered.reply.is_none());

        // Confirming the outdated reply and answering the other settles the first app.
        store.confirm_reply(&outdated.id, &acting(dev), at_min(14)).await.expect("confirm");
        reply(store, &unanswered.id, dev, "확인했습니다", at_min(15)).await;
        assert_eq!(counts(store.unanswered_review_counts(&w.seller.id).await.expect("counts")), [(second.id.clone(), 2)]);
        // Shown again, the hidden review owes an answer again.
        hide(store, &w, &hidden.id, ReportTarget::Review, false, at_min(16)).await;
        let mut expected = vec![(w.app.id.clone(), 1), (second.id.clone(), 2)];
        expected.sort();
        assert_eq!(counts(store.unanswered_review_counts(&w.seller.id).await.expect("counts")), expected);
    }
}

// ----- the cache -----

/// The first page of the public list in `filter`'s order.
async fn page_of(store: &dyn Store, app: &AppId, filter: &ReviewFilter) -> Vec<Review> {
    store.public_reviews(app, filter, &PageRequest::default()).await.expect("public reviews").items
}

store_test! {
    /// R10/R12/R13 through `CachedStore`: after a write through the cache, a cached page
    /// of public reviews and the cached app with its summary show the change at once
    /// (a write past the cache does not, which shows that they are cached).
    async fn r13_the_cache_shows_review_writes_at_once(fixture: &TestStore) {
        let inner = fixture.store();
        let w = World::seed(inner).await;
        let cache = CachedStore::new(fixture.shared(), Duration::from_secs(3600));
        let store: &dyn Store = &cache;
        let app = &w.app.id;
        let low = ReviewFilter { sort: ReviewSort::RatingLow, ..Default::default() };
        // Warm the cache.
        assert!(page_of(store, app, &ReviewFilter::default()).await.is_empty());
        assert!(page_of(store, app, &low).await.is_empty());
        assert_eq!(histogram(store, app).await, [0; 5]);
        let apps = store.list_apps(None, &PageRequest::default()).await.expect("apps");
        assert!(apps.items.iter().any(|a| a.id == *app && a.rating.count == 0));

        // A write past the cache is not seen until a write through it.
        create(inner, &w.app, &w.other_customer, 1, None, at_min(1)).await;
        assert!(page_of(store, app, &ReviewFilter::default()).await.is_empty());
        assert_eq!(histogram(store, app).await, [0; 5]);

        let review = create(store, &w.app, &w.customer, 4, Some("좋아요"), at_min(2)).await;
        assert_eq!(page_of(store, app, &ReviewFilter::default()).await.len(), 2);
        assert_eq!(page_of(store, app, &low).await.len(), 2);
        assert_eq!(histogram(store, app).await, [1, 0, 0, 1, 0]);

        // An edit moves the counters and the page's content.
        put(store, &w.app, &w.customer, 2, Some("그저 그래요"), at_min(3)).await;
        let page = page_of(store, app, &ReviewFilter::default()).await;
        assert_eq!(page.iter().find(|r| r.id == review.id).map(|r| r.stars), Some(stars(2)));
        assert_eq!(histogram(store, app).await, [1, 1, 0, 0, 0]);

        // Hidden: off the page and the summary at once; shown again: back.
        hide(store, &w, &review.id, ReportTarget::Review, true, at_min(4)).await;
        assert!(!page_of(store, app, &ReviewFilter::default()).await.iter().any(|r| r.id == review.id));
        assert!(!page_of(store, app, &low).await.iter().any(|r| r.id == review.id));
        assert_eq!(histogram(store, app).await, [1, 0, 0, 0, 0]);
        assert_eq!(store.app(app).await.expect("app").expect("there").rating.count, 1);
        hide(store, &w, &review.id, ReportTarget::Review, false, at_min(5)).await;
        assert!(page_of(store, app, &ReviewFilter::default()).await.iter().any(|r| r.id == review.id));
        assert_eq!(histogram(store, app).await, [1, 1, 0, 0, 0]);

        // A reply, and its hiding, show at once on the cached page.
        reply(store, &review.id, &w.developer, "감사합니다", at_min(6)).await;
        let shown = |page: Vec<Review>| page.into_iter().find(|r| r.id == review.id).and_then(|r| r.public_reply().cloned());
        assert_eq!(shown(page_of(store, app, &ReviewFilter::default()).await).map(|r| r.text), Some("감사합니다".to_owned()));
        hide(store, &w, &review.id, ReportTarget::Reply, true, at_min(7)).await;
        assert_eq!(shown(page_of(store, app, &ReviewFilter::default()).await), None);

        // Deleted: gone from both.
        store.delete_review(app, &w.customer.id, &acting(&w.customer), at_min(8)).await.expect("delete");
        assert!(!page_of(store, app, &ReviewFilter::default()).await.iter().any(|r| r.id == review.id));
        assert_eq!(histogram(store, app).await, [1, 0, 0, 0, 0]);
        // The app lists carry the summary too.
        let apps = store.list_apps(None, &PageRequest::default()).await.expect("apps");
        let listed_app = apps.items.iter().find(|a| a.id == *app).expect("the app is listed");
        assert_eq!(listed_app.rating.histogram, [1, 0, 0, 0, 0]);
    }
}
