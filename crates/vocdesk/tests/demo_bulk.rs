//! `vocdesk demo --reviews N`: generated reviews by generated customers who obtained
//! each app they review, one review per customer and app, in both languages, with the
//! R13 summary of each app still a count of its visible reviews; and the bulk import it
//! goes through, which fails a batch whole when a rule is broken.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use vocdesk::demo::DEMO_PASSWORD;
use vocdesk::demo::bulk::generated_email;
use vocdesk_domain::account::NewUser;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::ids::{AppId, UserId};
use vocdesk_domain::locale::Locale;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::review::{Review, ReviewDraft, ReviewFilter};
use vocdesk_domain::role::Role;
use vocdesk_store::{Acting, BlobStore, ImportedCustomer, ImportedReview, ReviewImport, Store, StoreError};

async fn visible_reviews(store: &dyn Store, app: &AppId) -> Vec<Review> {
    let mut out = Vec::new();
    let mut page = PageRequest { limit: 100, after: None };
    loop {
        let got = store.public_reviews(app, &ReviewFilter::default(), &page).await.expect("public reviews");
        out.extend(got.items);
        match got.next_cursor {
            Some(cursor) => page.after = Some(cursor),
            None => return out,
        }
    }
}

/// Seeds the demo with `generated` reviews and checks what every engine must show.
async fn seed_and_check(store: &dyn Store, dir: &std::path::Path, generated: u64) {
    let blobs = BlobStore::in_data_dir(dir);
    let (demo, summary) = vocdesk::demo::seed_with_reviews(store, &blobs, common::now(), generated, &|_| {})
        .await
        .expect("seed with generated reviews");
    assert_eq!(summary.reviews, generated);
    assert_eq!(summary.purchases, generated, "one purchase per review");
    assert_eq!(summary.customers, generated.div_ceil(demo.apps.len() as u64), "six reviews per customer");
    assert!(summary.replies > generated / 20 && summary.replies < generated / 2, "some answered: {summary:?}");
    assert!(summary.star_only > generated / 10 && summary.star_only < generated / 2, "{summary:?}");

    let demo_authors: BTreeSet<_> = demo.reviews.values().map(|r| r.author_id.clone()).collect();
    let mut per_author: BTreeMap<_, BTreeSet<_>> = BTreeMap::new();
    let mut stars = [0_u64; 5];
    let mut langs = BTreeSet::new();
    let mut total = 0;
    for (key, app) in &demo.apps {
        let reviews = visible_reviews(store, &app.id).await;
        let mut histogram = [0_i64; 5];
        for review in &reviews {
            histogram[review.stars.index()] += 1;
            assert!(review.created_at < common::now(), "dated before now");
            if let Some(reply) = &review.reply {
                assert!(reply.created_at >= review.created_at && reply.created_at < common::now());
            }
            if demo_authors.contains(&review.author_id) {
                continue;
            }
            total += 1;
            stars[review.stars.index()] += 1;
            langs.insert(review.lang.tag());
            assert!(per_author.entry(review.author_id.clone()).or_default().insert(app.id.clone()), "one per app");
        }
        let listed = store.app(&app.id).await.expect("query").expect("app");
        assert_eq!(listed.rating.histogram, histogram, "R13: {key}'s summary counts its visible reviews");
    }
    assert_eq!(total, generated, "every generated review is public");
    assert_eq!(langs, BTreeSet::from(["en", "ko"]));
    assert!(stars[4] > stars[3] && stars[3] > stars[2] && stars[0] > stars[1], "a J-curve: {stars:?}");

    // R10: each generated customer obtained what they reviewed, and signs in.
    let (first, hash) = store.credentials(&generated_email(0)).await.expect("query").expect("the first one");
    assert_eq!(first.role, Role::Customer);
    assert!(vocdesk_app::password::verify(DEMO_PASSWORD, &hash), "the demo password");
    for app in per_author.get(&first.id).expect("reviews") {
        assert!(store.has_obtained(&first.id, app).await.expect("query"));
    }
    let last = generated_email(summary.customers - 1);
    let (last, last_hash) = store.credentials(&last).await.expect("query").expect("the last one");
    assert_eq!(last_hash, hash, "one hash for every generated customer");
    let purchases = store.purchases_of_customer(&last.id, &PageRequest { limit: 100, after: None }).await;
    assert_eq!(purchases.expect("purchases").items.len(), per_author[&last.id].len());
}

#[tokio::test]
async fn demo_reviews_n_adds_n_reviews_by_customers_who_obtained_the_apps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = common::empty_store(dir.path()).await;
    seed_and_check(store.as_ref(), dir.path(), 1_000).await;
}

#[tokio::test]
async fn demo_reviews_n_seeds_the_same_on_postgresql() {
    let Some(database) = common::PgDatabase::create("vocdesk_bulk") else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let store = vocdesk_store::open(Some(&database.url()), dir.path()).await.expect("open PostgreSQL");
    store.migrate().await.expect("migrate");
    seed_and_check(store.as_ref(), dir.path(), 700).await;
    drop(store);
}

#[tokio::test]
async fn a_batch_that_breaks_a_rule_fails_whole_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let farm = &seed.apps["farm"];
    let before = store.app(&farm.id).await.expect("query").expect("farm").rating;
    let acting = Acting { actor: AuditActor::system("test"), channel: Channel::Cli };
    let customer = ImportedCustomer {
        id: UserId::generate(),
        user: NewUser::new("new@example.com", "새 고객", Role::Customer, None, Some("C-9".into()), Locale::Ko)
            .expect("user"),
        created_at: common::now(),
    };
    let review = ImportedReview {
        app_id: farm.id.clone(),
        author_id: customer.id.clone(),
        draft: ReviewDraft::parse(5, Some("좋아요"), Locale::Ko).expect("draft"),
        created_at: common::now(),
        reply: None,
    };
    // R10: the customer never obtained the farm app.
    let batch = ReviewImport {
        password_hash: "x".into(),
        customers: vec![customer.clone()],
        purchases: Vec::new(),
        reviews: vec![review.clone()],
    };
    let error = store.import_reviews(&batch, &acting, common::now()).await.expect_err("refused");
    assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
    assert_eq!(store.credentials("new@example.com").await.expect("query"), None, "no account either");
    assert_eq!(store.app(&farm.id).await.expect("query").expect("farm").rating, before, "R13 counters untouched");

    // A customer's second review of an app fails the batch too.
    let customer1 = seed.users["customer1@example.com"].id.clone();
    let twice = ReviewImport {
        reviews: vec![ImportedReview { author_id: customer1, ..review }],
        customers: Vec::new(),
        ..batch
    };
    assert!(store.import_reviews(&twice, &acting, common::now()).await.is_err(), "customer1 reviewed the farm app");
    assert_eq!(store.app(&farm.id).await.expect("query").expect("farm").rating, before);
}
