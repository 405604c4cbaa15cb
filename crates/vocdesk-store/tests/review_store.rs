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

#[path = "review_store/audit_templates_cache.rs"]
mod audit_templates_cache;
#[path = "review_store/counters.rs"]
mod counters;
#[path = "review_store/moderation.rs"]
mod moderation;
#[path = "review_store/public_list.rs"]
mod public_list;
#[path = "review_store/versions_and_replies.rs"]
mod versions_and_replies;
