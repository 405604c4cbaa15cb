//! The demo's reviews (the README's demo, R10-R13, R18): every app reviewed in Korean
//! and English by customer1, customer2 and the demo reviewers, star-only ratings,
//! official replies (one outdated), a hidden review and reply with their reasons, one
//! of each hidden and shown again, open reports in the moderation queue, the sellers'
//! saved replies, and the mail all of it sent.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use vocdesk::demo::DEMO_PASSWORD;
use vocdesk_domain::ids::AppId;
use vocdesk_domain::locale::Locale;
use vocdesk_domain::outbox::MailKind;
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::review::{InboxFilter, ReportTarget, Review, ReviewFilter, ReviewScope};
use vocdesk_store::Store;

/// Every visible review of an app, through the public list's pages (R10).
pub async fn visible_reviews(store: &dyn Store, app: &AppId) -> Vec<Review> {
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

fn is_korean(text: &str) -> bool {
    text.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c))
}

#[tokio::test]
async fn r10_every_app_has_reviews_in_both_languages_star_only_ones_and_many_reviewers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let mut languages = BTreeSet::new();
    let mut star_only = 0;
    let mut authors = BTreeSet::new();
    for (key, app) in &seed.apps {
        let reviews = visible_reviews(store.as_ref(), &app.id).await;
        assert!(reviews.len() >= 3, "{key} has a few reviews, not {}", reviews.len());
        let langs: BTreeSet<_> = reviews.iter().filter(|r| r.text.is_some()).map(|r| r.lang.tag()).collect();
        assert_eq!(langs.len(), 2, "{key} is reviewed in Korean and English");
        for review in &reviews {
            languages.insert(review.lang.tag());
            authors.insert(review.author_id.clone());
            match &review.text {
                None => star_only += 1,
                Some(text) => assert_eq!(is_korean(text), review.lang == Locale::Ko, "{text}"),
            }
            let author = store.user(&review.author_id).await.expect("query").expect("author");
            assert!(
                store.has_obtained(&author.id, &app.id).await.expect("query"),
                "R10: {} obtained {key}",
                author.email
            );
        }
    }
    assert_eq!(languages, BTreeSet::from(["en", "ko"]));
    assert!(star_only >= 3, "star-only ratings: {star_only}");
    assert!(authors.len() >= 8, "more than two customers review: {}", authors.len());
    assert!(authors.contains(&seed.users["customer1@example.com"].id));
    assert!(authors.contains(&seed.users["customer2@example.com"].id));
    // The reviewers are customers with their own number and the demo password.
    assert!(seed.reviewers.len() >= 4);
    for (email, reviewer) in &seed.reviewers {
        let (user, hash) = store.credentials(email).await.expect("query").expect("reviewer");
        assert!(user.customer_no.is_some() && email.starts_with("reviewer"), "{email}");
        assert!(vocdesk_app::password::verify(DEMO_PASSWORD, &hash), "{email}");
        assert_eq!(user.id, reviewer.id);
    }
}

#[tokio::test]
async fn r13_each_apps_summary_equals_a_count_of_its_visible_reviews() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    for (key, app) in &seed.apps {
        let mut histogram = [0_i64; 5];
        for review in visible_reviews(store.as_ref(), &app.id).await {
            histogram[review.stars.index()] += 1;
        }
        let listed = store.app(&app.id).await.expect("query").expect("app");
        assert_eq!(listed.rating.histogram, histogram, "{key}: the summary counts the visible reviews");
        assert_eq!(listed.rating.count, histogram.iter().sum::<i64>(), "{key}");
    }
}

#[tokio::test]
async fn r12_hidden_items_carry_their_reason_and_leave_the_public_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let hidden: Vec<_> = seed.reviews.values().filter(|r| r.hidden.is_some()).collect();
    assert_eq!(hidden.len(), 1, "one hidden review");
    let review = hidden[0];
    assert!(!review.hidden.as_ref().expect("hidden").reason.trim().is_empty(), "hidden with a reason");
    let public = visible_reviews(store.as_ref(), &review.app_id).await;
    assert!(public.iter().all(|r| r.id != review.id), "absent from the public list");
    let inbox = store
        .review_inbox(
            &ReviewScope::Seller(review.seller_id.clone()),
            &InboxFilter::default(),
            &PageRequest { limit: 100, after: None },
        )
        .await
        .expect("inbox");
    assert!(inbox.items.iter().any(|r| r.id == review.id && r.hidden.is_some()), "the seller still sees it");
    // The author still reads their own review, with the reason.
    let own = store.review_by_author(&review.app_id, &review.author_id).await.expect("query").expect("own");
    assert_eq!(own.hidden, review.hidden);

    // One review was hidden and shown again, one reply hidden and shown again, one reply
    // stays hidden under a visible review.
    let restored = &seed.reviews["r8-tiles"];
    assert!(restored.hidden.is_none() && restored.counted().is_some());
    assert!(visible_reviews(store.as_ref(), &restored.app_id).await.iter().any(|r| r.id == restored.id));
    let shown_again = &seed.reviews["r2-puzzle"];
    assert!(shown_again.public_reply().is_some(), "the reply shows again");
    let reply_hidden = &seed.reviews["r5-budget"];
    let reply = reply_hidden.reply.as_ref().expect("a reply");
    assert!(reply.hidden.as_ref().is_some_and(|h| !h.reason.trim().is_empty()), "hidden with a reason");
    assert!(reply_hidden.public_reply().is_none() && reply_hidden.hidden.is_none(), "the review stays public");
}

#[tokio::test]
async fn r11_r18_replies_are_posted_and_one_is_outdated_by_a_later_edit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let answered = seed.reviews.values().filter(|r| r.public_reply().is_some()).count();
    assert!(answered >= 8, "official replies: {answered}");
    let outdated: Vec<_> =
        seed.reviews.values().filter(|r| r.reply.as_ref().is_some_and(|reply| reply.outdated)).collect();
    assert_eq!(outdated.len(), 1, "one outdated reply (R18)");
    let review = outdated[0];
    let reply = review.reply.as_ref().expect("reply");
    assert!(review.edited && review.updated_at > reply.updated_at, "edited after the reply");
    let versions = store.review_versions(&review.id).await.expect("versions");
    assert_eq!(versions.len(), 1, "the version the reply answered is kept");
    assert!(versions[0].stars != review.stars || versions[0].text != review.text);
    for review in seed.reviews.values() {
        if let Some(reply) = &review.reply {
            let author = store.user(&reply.author_id).await.expect("query").expect("developer");
            assert_eq!(author.seller_id.as_ref(), Some(&review.seller_id), "answered by the app's seller");
            assert!(!reply.text.contains('{'), "placeholders are filled: {}", reply.text);
            assert!(reply.created_at > review.created_at);
        }
    }
}

#[tokio::test]
async fn customer1_has_an_answered_farm_review_to_edit_and_no_dungeon_review_and_dev1_owes_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let customer1 = &seed.users["customer1@example.com"];
    let farm = &seed.apps["farm"];
    let dungeon = &seed.apps["dungeon"];
    assert_eq!(dungeon.title, "던전 러너 (Dungeon Runner)");
    let review = store.review_by_author(&farm.id, &customer1.id).await.expect("query").expect("a farm review");
    let reply = review.public_reply().expect("with an official reply");
    assert!(!reply.outdated, "the reply is current, so an edit makes it outdated");
    assert!(review.text.as_deref().is_some_and(is_korean));
    assert_eq!(store.review_by_author(&dungeon.id, &customer1.id).await.expect("query"), None);
    assert!(store.has_obtained(&customer1.id, &dungeon.id).await.expect("query"), "she may review it");

    let dev1 = &seed.users["dev1@example.com"];
    let seller = dev1.seller_id.clone().expect("a seller");
    assert_eq!(Some(&seller), Some(&dungeon.seller_id));
    let counts = store.unanswered_review_counts(&seller).await.expect("counts");
    assert!(counts.iter().map(|c| c.unanswered).sum::<i64>() >= 3, "dev1 owes answers: {counts:?}");
    let filter = InboxFilter { replied: Some(false), ..InboxFilter::default() };
    let owed = store
        .review_inbox(&ReviewScope::Seller(seller), &filter, &PageRequest { limit: 100, after: None })
        .await
        .expect("inbox");
    assert!(owed.items.iter().any(|r| r.app_id == dungeon.id), "including Dungeon Runner's");
}

#[tokio::test]
async fn r12_open_reports_wait_in_the_queue_on_reviews_and_on_a_reply() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let queue = store.moderation_queue(&PageRequest { limit: 100, after: None }).await.expect("queue").items;
    let on_reviews = queue.iter().filter(|item| item.target == ReportTarget::Review).count();
    let on_replies = queue.iter().filter(|item| item.target == ReportTarget::Reply).count();
    assert!(on_reviews >= 2 && on_replies >= 1, "{on_reviews} reviews and {on_replies} replies reported");
    assert!(queue.iter().any(|item| item.open_reports >= 2), "one item reported twice");
    assert!(queue.iter().all(|item| item.review.hidden.is_none()), "hiding resolved the hidden one's reports");
    assert!(queue.windows(2).all(|w| w[0].first_reported_at <= w[1].first_reported_at), "longest waiting first");
    assert!(seed.reports > queue.iter().map(|i| i.open_reports as usize).sum::<usize>(), "some were resolved");
}

#[tokio::test]
async fn each_seller_keeps_saved_replies_in_korean_and_english_with_placeholders() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    for (key, seller) in &seed.sellers {
        let templates = store.reply_templates(&seller.id).await.expect("templates");
        assert!(templates.len() >= 2, "{key}");
        let langs: BTreeSet<_> = templates.iter().map(|t| t.lang.tag()).collect();
        assert_eq!(langs.len(), 2, "{key}: ko and en");
        assert!(templates.iter().all(|t| t.text.contains("{customer_name}")), "{key}");
        assert!(templates.iter().any(|t| t.text.contains("{app_title}")), "{key}");
    }
}

#[tokio::test]
async fn r11_r12_review_mail_goes_to_the_reviewer_or_the_sellers_developers_in_their_language() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, seed) = common::demo_store(dir.path()).await;
    let mails = store.outbox(None, &PageRequest { limit: 200, after: None }).await.expect("outbox").items;
    assert_eq!(mails.len(), seed.mails);
    let kinds: BTreeSet<_> = mails.iter().map(|m| m.mail.kind.as_str()).collect();
    for kind in MailKind::ALL {
        assert!(kinds.contains(kind.as_str()), "a {} mail", kind.as_str());
    }
    let people: BTreeMap<_, _> =
        seed.users.values().chain(seed.reviewers.values()).map(|u| (u.id.clone(), u.clone())).collect();
    for queued in &mails {
        let mail = &queued.mail;
        let to = mail.to_user.as_ref().and_then(|id| people.get(id));
        match mail.kind {
            MailKind::ReviewReplied | MailKind::ReviewHidden | MailKind::ReviewRestored => {
                let to = to.expect("to a customer");
                assert!(to.customer_no.is_some(), "{}: to the reviewer", mail.kind.as_str());
                assert_eq!(mail.locale, to.locale);
                assert!(mail.inquiry_id.is_none());
            }
            MailKind::ReplyHidden | MailKind::ReplyRestored => {
                let to = to.expect("to a developer");
                assert!(to.seller_id.is_some(), "{}: to the seller's developers", mail.kind.as_str());
                assert_eq!(mail.locale, to.locale);
            }
            _ => {}
        }
    }
    let replied = mails.iter().filter(|m| m.mail.kind == MailKind::ReviewReplied).count();
    assert_eq!(replied, seed.reviews.values().filter(|r| r.reply.is_some()).count(), "one per posted reply");
}

#[tokio::test]
async fn the_demo_reviews_are_the_same_on_every_run() {
    let (first, second) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let (_, a) = common::demo_store(first.path()).await;
    let (_, b) = common::demo_store(second.path()).await;
    let content = |seed: &vocdesk::demo::DemoSeed| {
        seed.reviews
            .iter()
            .map(|(k, r)| {
                let reply = r.reply.as_ref().map(|reply| (reply.text.clone(), reply.outdated, reply.hidden.clone()));
                (*k, r.stars, r.text.clone(), r.created_at, r.updated_at, r.hidden.clone(), reply)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(content(&a), content(&b));
    assert_eq!(a.reviews.len(), b.reviews.len());
}
