//! Attempt budgets: how often someone may try a thing (sign in, today) before being
//! asked to wait. Each budget is a leaky bucket kept as one instant, the generic cell
//! rate algorithm (GCRA): a bucket holds `burst` attempts and gets one back every
//! `period`; its whole state is the *theoretical arrival time* (TAT), the instant at
//! which it would be full again. The store keeps one TAT per [`BudgetKey`], so every
//! door and every process on one database spends the same budget; the decision itself
//! is the pure function [`Budget::admit`] (and [`admit_all`] for several budgets spent
//! by one attempt), so it is tested here without a database or a clock.
//!
//! A key is a namespace and a subject (`sign_in_addr:203.0.113.7`,
//! `sign_in_account:<sha-256 of the email>`), so another action can be budgeted later
//! with keys of its own namespace and numbers of its own, through the same table.

use std::net::IpAddr;

use jiff::{SignedDuration, Timestamp};
use sha2::{Digest, Sha256};

use crate::account::normalize_email;

/// How many attempts a bucket holds, and how fast it refills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Attempts that may be made at once, from a full bucket. At least 1.
    pub burst: u32,
    /// One attempt comes back per this period. Positive.
    pub period: SignedDuration,
}

/// Sign-in attempts per client address: 30 at once, then one every 2 seconds (the
/// numbers the per-process throttle had). Enough for an office or a household behind
/// one address, or a test run, to sign in freely; a guesser from one address gets at
/// most 43,200 tries a day, over every account together.
pub const SIGN_IN_PER_ADDRESS: Budget = Budget { burst: 30, period: SignedDuration::from_secs(2) };

/// Sign-in attempts per account (the email as typed, normalised the way accounts are
/// looked up; unknown emails alike, so the answer never says whether an account
/// exists): 10 at once, then one a minute. Guessing one account's password from many
/// addresses gets 1,440 tries a day at most; a person who mistypes ten times waits one
/// minute for the next try, never longer. (Anyone may spend someone else's budget and
/// so keep them waiting a minute between tries; that is the price of a per-account
/// limit, and the address budget bounds how fast one client can do it.)
pub const SIGN_IN_PER_ACCOUNT: Budget = Budget { burst: 10, period: SignedDuration::from_mins(1) };

/// The namespace of sign-in budgets per client address.
pub const SIGN_IN_ADDRESS: &str = "sign_in_addr";
/// The namespace of sign-in budgets per account.
pub const SIGN_IN_ACCOUNT: &str = "sign_in_account";

/// What a budget is kept under: `namespace:subject`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BudgetKey(String);

impl BudgetKey {
    /// The key of `subject` in `namespace` (a short lowercase word of ours, never a
    /// client's text).
    pub fn new(namespace: &'static str, subject: &str) -> Self {
        Self(format!("{namespace}:{subject}"))
    }

    /// The sign-in budget of a client address. IPv6 clients are keyed by their /64,
    /// since one host is usually given a whole /64 and could otherwise hop between
    /// addresses for a fresh budget each time; an IPv4-mapped address is its IPv4.
    pub fn sign_in_address(address: IpAddr) -> Self {
        let subject = match address {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        };
        Self::new(SIGN_IN_ADDRESS, &subject)
    }

    /// The sign-in budget of the account `email` names, whether or not it exists. The
    /// email is normalised as sign-in looks it up (text that is no email is only
    /// trimmed and lowercased) and kept as its SHA-256 only: people type passwords into
    /// the email field, and the budget table is no place to keep them.
    pub fn sign_in_account(email: &str) -> Self {
        let normalised = normalize_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
        let digest = Sha256::digest(normalised.as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        Self::new(SIGN_IN_ACCOUNT, &hex)
    }

    /// The key as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One budget an attempt spends from: which bucket, with which numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charge {
    /// The bucket.
    pub key: BudgetKey,
    /// Its size and refill.
    pub budget: Budget,
}

/// Whether an attempt may go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// It may; these are the buckets' new TATs, in the order of the charges.
    Allowed(Vec<Timestamp>),
    /// It may not; try again after this long. Nothing is spent.
    Refused {
        /// How long until every bucket it needs has an attempt again (positive).
        retry_after: SignedDuration,
    },
}

impl Admission {
    /// Whole seconds to wait, rounded up, at least 1: what `Retry-After` says.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            Admission::Allowed(_) => None,
            Admission::Refused { retry_after } => {
                let millis = u128::try_from(retry_after.as_millis()).unwrap_or(0).max(1);
                Some(u64::try_from(millis.div_ceil(1000)).unwrap_or(u64::MAX))
            }
        }
    }
}

/// One bucket's answer: the new TAT, or how long to wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BucketAnswer {
    /// Allowed: the bucket's TAT after this attempt.
    Allowed(Timestamp),
    /// Refused: wait this long (positive).
    Refused(SignedDuration),
}

impl Budget {
    /// GCRA: from the stored TAT (`None`: never used, or forgotten, which is the same
    /// as a full bucket) and now, whether one more attempt fits. The attempt moves the
    /// TAT one period past `max(tat, now)`; it fits while that is no more than `burst`
    /// periods ahead of now. A refused attempt changes nothing, so hammering a full
    /// budget does not lengthen the wait.
    pub fn admit(&self, stored: Option<Timestamp>, now: Timestamp) -> BucketAnswer {
        let period = self.period.as_millis().max(1);
        let window = period.saturating_mul(i128::from(self.burst.max(1)));
        let now_ms = i128::from(now.as_millisecond());
        let start = stored.map_or(now_ms, |tat| i128::from(tat.as_millisecond()).max(now_ms));
        let tat = start + period;
        let ahead = tat - now_ms;
        if ahead > window {
            let wait = i64::try_from(ahead - window).unwrap_or(i64::MAX);
            return BucketAnswer::Refused(SignedDuration::from_millis(wait));
        }
        let tat = i64::try_from(tat).ok().and_then(|ms| Timestamp::from_millisecond(ms).ok()).unwrap_or(Timestamp::MAX);
        BucketAnswer::Allowed(tat)
    }
}

/// One attempt that spends from every charge, all or nothing: allowed only if each
/// bucket has an attempt, and then each is spent; refused otherwise, with the longest
/// wait, and then none is. `stored[i]` is the TAT of `charges[i]`.
pub fn admit_all(charges: &[Charge], stored: &[Option<Timestamp>], now: Timestamp) -> Admission {
    let mut tats = Vec::with_capacity(charges.len());
    let mut wait: Option<SignedDuration> = None;
    for (i, charge) in charges.iter().enumerate() {
        match charge.budget.admit(stored.get(i).copied().flatten(), now) {
            BucketAnswer::Allowed(tat) => tats.push(tat),
            BucketAnswer::Refused(w) => wait = Some(wait.map_or(w, |longest| longest.max(w))),
        }
    }
    match wait {
        Some(retry_after) => Admission::Refused { retry_after },
        None => Admission::Allowed(tats),
    }
}

/// Whether a stored TAT says nothing any more: a bucket whose TAT is past is full, as
/// if it had never been used, so its row may be removed at no cost to anyone.
pub fn is_spent_out(tat: Timestamp, now: Timestamp) -> bool {
    tat <= now
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn t0() -> Timestamp {
        "2026-12-07T00:00:00Z".parse().expect("a timestamp")
    }

    fn secs(n: i64) -> SignedDuration {
        SignedDuration::from_secs(n)
    }

    fn allowed(answer: BucketAnswer) -> Option<Timestamp> {
        match answer {
            BucketAnswer::Allowed(tat) => Some(tat),
            BucketAnswer::Refused(_) => None,
        }
    }

    /// Spends attempts at `now` until the first refusal; answers how many went through
    /// and the TAT left.
    fn drain(budget: Budget, mut tat: Option<Timestamp>, now: Timestamp) -> (u32, Option<Timestamp>) {
        let mut n = 0;
        while let Some(next) = allowed(budget.admit(tat, now)) {
            tat = Some(next);
            n += 1;
            assert!(n <= budget.burst, "more than the burst at one instant");
        }
        (n, tat)
    }

    #[test]
    fn item19_a_fresh_budget_allows_its_burst_at_once_then_one_per_period() {
        let budget = SIGN_IN_PER_ADDRESS;
        let (n, tat) = drain(budget, None, t0());
        assert_eq!(n, 30);
        assert_eq!(budget.admit(tat, t0()), BucketAnswer::Refused(secs(2)));
        // A second later, still one second to wait; two seconds later, one attempt.
        assert_eq!(budget.admit(tat, t0() + secs(1)), BucketAnswer::Refused(secs(1)));
        let (n, tat) = drain(budget, tat, t0() + secs(2));
        assert_eq!(n, 1);
        assert_eq!(budget.admit(tat, t0() + secs(2)), BucketAnswer::Refused(secs(2)));
    }

    #[test]
    fn item19_the_account_budget_is_smaller_and_slower_but_a_typist_waits_a_minute_at_most() {
        let budget = SIGN_IN_PER_ACCOUNT;
        let (n, tat) = drain(budget, None, t0());
        assert_eq!(n, 10);
        assert_eq!(budget.admit(tat, t0()), BucketAnswer::Refused(SignedDuration::from_mins(1)));
        assert_eq!(drain(budget, tat, t0() + SignedDuration::from_mins(1)).0, 1);
        // Left alone, the bucket is full again after burst × period.
        assert_eq!(drain(budget, tat, t0() + SignedDuration::from_mins(10)).0, 10);
    }

    #[test]
    fn item19_an_attempt_spends_from_every_budget_or_from_none() {
        let address =
            Charge { key: BudgetKey::sign_in_address("203.0.113.7".parse().expect("ip")), budget: SIGN_IN_PER_ADDRESS };
        let account = Charge { key: BudgetKey::sign_in_account("a@example.com"), budget: SIGN_IN_PER_ACCOUNT };
        let charges = [address, account];
        let account_spent = drain(SIGN_IN_PER_ACCOUNT, None, t0()).1;
        let answer = admit_all(&charges, &[None, account_spent], t0());
        assert_eq!(answer, Admission::Refused { retry_after: SignedDuration::from_mins(1) });
        assert_eq!(answer.retry_after_secs(), Some(60));
        let Admission::Allowed(tats) = admit_all(&charges, &[None, None], t0()) else {
            panic!("a fresh pair of budgets allows");
        };
        assert_eq!(tats, vec![t0() + secs(2), t0() + SignedDuration::from_mins(1)]);
    }

    #[test]
    fn item19_keys_are_namespaced_and_say_nothing_of_the_email() {
        let key = BudgetKey::sign_in_account("  Someone@Example.COM ");
        assert_eq!(key, BudgetKey::sign_in_account("someone@example.com"));
        assert!(key.as_str().starts_with("sign_in_account:"));
        assert!(!key.as_str().contains("example"));
        assert_ne!(BudgetKey::sign_in_account("not an email"), key);
        assert_eq!(BudgetKey::sign_in_address("203.0.113.7".parse().expect("ip")).as_str(), "sign_in_addr:203.0.113.7");
        assert_eq!(
            BudgetKey::sign_in_address("::ffff:203.0.113.7".parse().expect("ip")).as_str(),
            "sign_in_addr:203.0.113.7"
        );
        let one = BudgetKey::sign_in_address("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        assert_eq!(one.as_str(), "sign_in_addr:2001:db8:1:2::/64");
        assert_eq!(one, BudgetKey::sign_in_address("2001:db8:1:2:bbbb::9".parse().expect("ip")));
        assert_eq!(BudgetKey::new("export", "x").as_str(), "export:x");
    }

    #[test]
    fn item19_retry_after_rounds_up_to_whole_seconds() {
        let refused = |ms| Admission::Refused { retry_after: SignedDuration::from_millis(ms) };
        assert_eq!(refused(1).retry_after_secs(), Some(1));
        assert_eq!(refused(1_000).retry_after_secs(), Some(1));
        assert_eq!(refused(1_001).retry_after_secs(), Some(2));
        assert_eq!(Admission::Allowed(Vec::new()).retry_after_secs(), None);
    }

    fn budgets() -> impl Strategy<Value = Budget> {
        (1u32..50, 1i64..120_000).prop_map(|(burst, ms)| Budget { burst, period: SignedDuration::from_millis(ms) })
    }

    proptest! {
        /// Over any schedule of attempts, no window of time lets through more than the
        /// burst plus one attempt per period elapsed; a refusal always names a positive
        /// wait after which the next attempt is allowed; and a refusal changes nothing.
        #[test]
        fn item19_no_schedule_gets_more_than_burst_plus_refill(
            budget in budgets(),
            gaps in proptest::collection::vec(0i64..5_000, 1..200),
        ) {
            let mut tat = None;
            let mut now = t0();
            let mut granted: Vec<Timestamp> = Vec::new();
            for gap in gaps {
                now += SignedDuration::from_millis(gap);
                match budget.admit(tat, now) {
                    BucketAnswer::Allowed(next) => {
                        prop_assert!(next > now);
                        tat = Some(next);
                        granted.push(now);
                    }
                    BucketAnswer::Refused(wait) => {
                        prop_assert!(wait.is_positive());
                        prop_assert!(allowed(budget.admit(tat, now + wait)).is_some());
                        prop_assert!(wait <= budget.period);
                    }
                }
            }
            let period = budget.period.as_millis();
            for (i, first) in granted.iter().enumerate() {
                for (j, last) in granted.iter().enumerate().skip(i) {
                    let elapsed = last.duration_since(*first).as_millis();
                    let most = i128::from(budget.burst) + elapsed / period;
                    prop_assert!((j - i + 1) as i128 <= most, "{} attempts in {elapsed} ms", j - i + 1);
                }
            }
        }

        /// An idle bucket is full again after burst × period, whatever was spent.
        #[test]
        fn item19_an_idle_budget_refills_completely(budget in budgets(), spent in 0u32..50) {
            let mut tat = None;
            for _ in 0..spent {
                if let BucketAnswer::Allowed(next) = budget.admit(tat, t0()) { tat = Some(next); }
            }
            let later = t0() + budget.period * i32::try_from(budget.burst).unwrap_or(i32::MAX);
            prop_assert!(tat.is_none_or(|tat| is_spent_out(tat, later)));
            prop_assert_eq!(drain(budget, tat, later).0, budget.burst);
        }
    }
}
