//! Part of the review store suite (see `review_store.rs`).

use super::*;

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
