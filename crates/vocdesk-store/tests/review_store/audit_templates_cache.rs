//! Part of the review store suite (see `review_store.rs`).

use super::*;

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

store_test! {
    /// R10 through `CachedStore`: "has not obtained the app" is never kept, so a customer
    /// who buys it (in this process or another) may review it at once; "has obtained"
    /// is kept, since a purchase is never deleted.
    async fn r10_the_cache_never_keeps_a_customer_from_reviewing_what_they_just_bought(fixture: &TestStore) {
        let inner = fixture.store();
        let w = World::seed(inner).await;
        let cache = CachedStore::new(fixture.shared(), Duration::from_secs(3600));
        let store: &dyn Store = &cache;
        let asked = || store.has_obtained(&w.customer.id, &w.app.id);
        assert!(!asked().await.expect("obtained"));
        // Bought past the cache, as another process would record it.
        record_purchase(inner, purchase_of(&w.customer, &w.app.id, None, 0, at_min(1), "T-CACHE"), at_min(1)).await;
        assert!(asked().await.expect("obtained"), "a no is asked again");
        assert!(asked().await.expect("obtained"), "and the yes stays");
        assert!(!store.has_obtained(&w.other_customer.id, &w.app.id).await.expect("obtained"), "per customer");
    }
}
