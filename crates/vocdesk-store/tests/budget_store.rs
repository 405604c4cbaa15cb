//! Attempt budgets (issue 12, item 19) through the `Store` trait, on SQLite and
//! PostgreSQL: a bucket lets its burst through and then asks to wait; an attempt that
//! one of its buckets refuses spends from none; two handles on one database (two server
//! processes) spend from the same bucket, also all at once; full buckets are removed.

// Not every fixture of the shared support module is used by this suite.
#[macro_use]
#[allow(dead_code)]
mod support;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use vocdesk_domain::throttle::{Admission, Budget, BudgetKey, Charge, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_ADDRESS};
use vocdesk_store::Store;

fn t0() -> Timestamp {
    "2026-12-07T09:00:00Z".parse().expect("a timestamp")
}

fn address(ip: &str) -> Charge {
    Charge { key: BudgetKey::sign_in_address(ip.parse().expect("an address")), budget: SIGN_IN_PER_ADDRESS }
}

fn account(email: &str) -> Charge {
    Charge { key: BudgetKey::sign_in_account(email), budget: SIGN_IN_PER_ACCOUNT }
}

async fn spend(store: &dyn Store, charges: &[Charge], now: Timestamp) -> Admission {
    store.spend_budgets(charges, now).await.expect("spend")
}

/// Spends at `now` until the first refusal; answers how many went through.
async fn allowed_until_refused(store: &dyn Store, charges: &[Charge], now: Timestamp) -> usize {
    let mut n = 0;
    while let Admission::Allowed(_) = spend(store, charges, now).await {
        n += 1;
        assert!(n <= 100, "no refusal after 100 attempts");
    }
    n
}

store_test! {
    async fn item19_a_bucket_lets_its_burst_through_then_asks_to_wait(store: &dyn Store) {
        let charge = [address("203.0.113.7")];
        assert_eq!(allowed_until_refused(store, &charge, t0()).await, 30);
        let refused = spend(store, &charge, t0()).await;
        assert_eq!(refused, Admission::Refused { retry_after: SignedDuration::from_secs(2) });
        // Another address has its own bucket.
        assert_eq!(allowed_until_refused(store, &[address("203.0.113.8")], t0()).await, 30);
        // Two seconds later one more attempt fits, and the wait starts again.
        assert_eq!(allowed_until_refused(store, &charge, t0() + SignedDuration::from_secs(2)).await, 1);
    }
}

store_test! {
    async fn item19_an_attempt_one_bucket_refuses_spends_from_none(store: &dyn Store) {
        let both = [address("198.51.100.1"), account("victim@example.com")];
        // The account's ten, each also spending one of the address's thirty.
        assert_eq!(allowed_until_refused(store, &both, t0()).await, 10);
        let refused = spend(store, &both, t0()).await;
        assert_eq!(refused, Admission::Refused { retry_after: SignedDuration::from_mins(1) });
        for _ in 0..5 {
            assert!(matches!(spend(store, &both, t0()).await, Admission::Refused { .. }));
        }
        // The refused attempts took nothing from the address: twenty are left.
        assert_eq!(allowed_until_refused(store, &[address("198.51.100.1")], t0()).await, 20);
    }
}

store_test! {
    async fn item19_two_handles_on_one_database_spend_from_one_bucket(fixture: &TestStore) {
        let first = fixture.store();
        let second = fixture.reopen().await;
        let charge = [account("someone@example.com")];
        for n in 0..10 {
            let store = if n % 2 == 0 { first } else { second.as_ref() };
            assert!(matches!(spend(store, &charge, t0()).await, Admission::Allowed(_)), "attempt {n}");
        }
        assert!(matches!(spend(first, &charge, t0()).await, Admission::Refused { .. }));
        assert!(matches!(spend(second.as_ref(), &charge, t0()).await, Admission::Refused { .. }));
    }
}

store_test! {
    async fn item19_attempts_at_the_same_instant_from_two_handles_never_overspend(fixture: &TestStore) {
        let second = fixture.reopen().await;
        let budget = Budget { burst: 10, period: SignedDuration::from_hours(1) };
        let charges = vec![
            Charge { key: BudgetKey::new("test", "shared"), budget },
            Charge { key: BudgetKey::new("test", "also-shared"), budget: Budget { burst: 1_000, ..budget } },
        ];
        let mut tasks = Vec::new();
        for n in 0..40 {
            let store: Arc<dyn Store> = second.clone();
            // Every other attempt names its buckets in the other order.
            let mut charges = charges.clone();
            if n % 2 == 1 {
                charges.reverse();
            }
            tasks.push(tokio::spawn(async move { store.spend_budgets(&charges, t0()).await }));
        }
        let mut allowed = 0;
        for _ in 0..20 {
            if let Admission::Allowed(_) = spend(fixture.store(), &charges, t0()).await {
                allowed += 1;
            }
        }
        for task in tasks {
            if let Admission::Allowed(_) = task.await.expect("joined").expect("spend") {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 10, "exactly the burst, however the attempts interleave");
    }
}

store_test! {
    async fn item19_full_buckets_are_removed_as_the_store_goes(fixture: &TestStore) {
        let store = fixture.store();
        for n in 0..20 {
            spend(store, &[address(&format!("192.0.2.{n}"))], t0()).await;
        }
        assert_eq!(fixture.count("SELECT COUNT(*) FROM attempt_budgets").await, 20);
        // Each bucket is full again two seconds on; the next spends clean them up.
        let later = t0() + SignedDuration::from_secs(3);
        let fresh = [address("192.0.2.200")];
        spend(store, &fresh, later).await;
        assert_eq!(fixture.count("SELECT COUNT(*) FROM attempt_budgets").await, 1);
        // A bucket still spending stays, with its count.
        assert_eq!(allowed_until_refused(store, &fresh, later).await, 29);
    }
}
