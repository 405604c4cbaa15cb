//! Part of the review store suite (see `review_store.rs`).

use super::*;

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
