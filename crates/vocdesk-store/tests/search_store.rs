//! Finding an inquiry by its words (issue 12, item 13) through the `Store` trait, on
//! SQLite and PostgreSQL with the same answers: two-syllable Korean words inside longer
//! ones, English words in any case, the customer's name and number, words of a later
//! message; every word must be there, and a seller's search sees only its inquiries.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use jiff::SignedDuration;
use vocdesk_domain::account::User;
use vocdesk_domain::audit::{AuditActor, Channel};
use vocdesk_domain::catalog::App;
use vocdesk_domain::ids::InquiryId;
use vocdesk_domain::inquiry::{InquiryFilter, InquiryInput, InquiryScope, NewInquiry, NewMessage, Side};
use vocdesk_domain::page::PageRequest;
use vocdesk_domain::search::SearchQuery;
use vocdesk_store::{Acting, InquiryQuery, Store};

use support::*;

async fn ask(store: &dyn Store, customer: &User, app: &App, subject: &str, body: &str) -> InquiryId {
    let input = InquiryInput { category: "question", subject, body, ..Default::default() };
    let new = NewInquiry::parse(&input, app.id.clone(), customer.id.clone(), Channel::Store).expect("valid");
    let acting = Acting { actor: AuditActor::user(customer.id.clone(), customer.role), channel: Channel::Store };
    store.create_inquiry(&new, &[], &acting, at_min(0)).await.expect("create").inquiry.id
}

async fn found(store: &dyn Store, scope: InquiryScope, words: &str) -> Vec<InquiryId> {
    let filter = InquiryFilter { words: SearchQuery::parse(words), ..Default::default() };
    let query = InquiryQuery { scope, filter, overdue_cutoff: at_min(0) - SignedDuration::from_hours(72) };
    let page = store.list_inquiries(&query, &PageRequest { limit: 50, after: None }).await.expect("list");
    let mut ids: Vec<InquiryId> = page.items.into_iter().map(|i| i.id).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<InquiryId>) -> Vec<InquiryId> {
    ids.sort();
    ids
}

store_test! {
    async fn search_finds_korean_two_syllable_words_english_words_and_the_customer(store: &dyn Store) {
        let w = World::seed(store).await;
        let refund = ask(store, &w.customer, &w.app, "환불 요청합니다", "구매를 취소하고 환불을 받고 싶어요").await;
        let crash = ask(store, &w.customer, &w.app, "Crash on level 3", "The game crashes after the Update.").await;
        let other = ask(store, &w.other_customer, &w.app, "결제 오류", "두 번 결제됐어요. 환불해 주세요").await;
        let elsewhere = ask(store, &w.customer, &w.other_app, "환불", "다른 판매자의 앱입니다").await;

        let seller = InquiryScope::Seller(w.seller.id.clone());
        assert_eq!(found(store, seller.clone(), "환불").await, sorted(vec![refund.clone(), other.clone()]));
        assert_eq!(found(store, seller.clone(), "환불 취소").await, vec![refund.clone()], "every word");
        assert_eq!(found(store, seller.clone(), "UPDATE crash").await, vec![crash.clone()], "any case");
        assert_eq!(found(store, seller.clone(), "C-0002").await, vec![other.clone()], "the customer number");
        assert_eq!(found(store, seller.clone(), "고객 둘").await, vec![other.clone()], "the customer's name");
        assert!(found(store, seller.clone(), "없는낱말").await.is_empty());
        assert_eq!(found(store, InquiryScope::All, "환불").await.len(), 3, "operators search every seller");
        let own = InquiryScope::Customer(w.customer.id.clone());
        assert_eq!(found(store, own, "환불").await, sorted(vec![refund.clone(), elsewhere]), "a customer's own");

        // A later message's words find its thread.
        let message = NewMessage::parse(w.developer.id.clone(), Side::Developer, Channel::Store, "Fixed in 2.1.1, 패치했습니다")
            .expect("valid");
        let acting = Acting { actor: AuditActor::user(w.developer.id.clone(), w.developer.role), channel: Channel::Store };
        store.add_message(&crash, &message, &[], &acting, at_min(1)).await.expect("message");
        assert_eq!(found(store, seller, "패치 fixed").await, vec![crash]);
    }
}

store_test! {
    /// When every word is common, the search walks the list and looks each inquiry up
    /// instead of starting from the postings: it must answer the same, in list order.
    async fn search_for_common_words_walks_the_list_and_finds_only_those_with_every_word(store: &dyn Store) {
        let w = World::seed(store).await;
        for n in 0..2_100 {
            // The newest fifty have only the first word: a wrong search lists them first.
            let body = if n >= 2_050 { "환불해 주세요" } else { "환불 요청드립니다" };
            ask(store, &w.customer, &w.app, "문의", body).await;
        }
        let own = InquiryScope::Customer(w.customer.id.clone());
        let filter = InquiryFilter { words: SearchQuery::parse("환불 요청"), ..Default::default() };
        let query = InquiryQuery { scope: own, filter, overdue_cutoff: at_min(0) - SignedDuration::from_hours(72) };
        let page = store.list_inquiries(&query, &PageRequest { limit: 50, after: None }).await.expect("list");
        assert_eq!(page.items.len(), 50, "a full page");
        for inquiry in &page.items {
            let thread = store.thread(&inquiry.id).await.expect("thread").expect("exists");
            assert!(thread.messages[0].body.contains("요청"), "only inquiries with every word");
        }
        assert!(page.next_cursor.is_some());
    }
}

store_test! {
    /// Inquiries written before search existed are found after the next start: they are
    /// indexed once, by the migration's backfill, and later starts do nothing.
    async fn inquiries_written_before_search_are_indexed_once_at_the_next_start(fixture: &TestStore) {
        let store = fixture.store();
        let w = World::seed(store).await;
        let old = ask(store, &w.customer, &w.app, "결제 오류", "환불해 주세요").await;
        fixture.execute("DELETE FROM inquiry_search").await;
        fixture.execute("INSERT INTO search_backfill (after_id) VALUES ('')").await;
        let seller = InquiryScope::Seller(w.seller.id.clone());
        assert!(found(store, seller.clone(), "환불").await.is_empty(), "as an older version left it");
        store.migrate().await.expect("the next start");
        assert_eq!(found(store, seller, "환불").await, vec![old]);
        assert_eq!(fixture.count("SELECT COUNT(*) FROM search_backfill").await, 0, "done for good");
    }
}
