//! R16: delivering the outbox. What a failed attempt means, and when the next one is:
//! pure decisions, so that the schedule is tested with an injected clock and the worker
//! only carries them out.

use jiff::{SignedDuration, Timestamp};

/// How a mail server (or the local mail folder) refused an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptFailure {
    /// Worth trying again: a 4xx reply, a refused connection, a timeout, a full disk.
    Transient,
    /// Never worth trying again: a 5xx reply (no such mailbox, relaying denied), an
    /// address that cannot be written in a mail header.
    Permanent,
}

/// How often and how long a mail is tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The wait after the first failed attempt; each later one doubles it.
    pub first_delay: SignedDuration,
    /// The longest wait between two attempts.
    pub max_delay: SignedDuration,
    /// After this long since it was queued, a mail that still fails is given up.
    pub give_up_after: SignedDuration,
}

impl Default for RetryPolicy {
    /// A minute, doubling to an hour at most, for a day: what mail servers do
    /// themselves, so that an outage of a few hours loses nothing.
    fn default() -> Self {
        Self {
            first_delay: SignedDuration::from_mins(1),
            max_delay: SignedDuration::from_hours(1),
            give_up_after: SignedDuration::from_hours(24),
        }
    }
}

/// R16: how much mail one address may be sent in a while. A loop (an auto-responder
/// that slipped through, a script filing inquiries) must not flood anyone; mail past the
/// cap waits, it is never dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecipientCap {
    /// Mails sent to one address within [`RecipientCap::window`].
    pub max: u32,
    /// The window counted back from now.
    pub window: SignedDuration,
}

impl Default for RecipientCap {
    /// A hundred an hour: far above what a busy developer is sent (each new inquiry and
    /// follow-up is one mail), far below what a loop sends.
    fn default() -> Self {
        Self { max: 100, window: SignedDuration::from_hours(1) }
    }
}

/// R16: whether a mail to an address that was sent `sent_in_window` mails within the
/// cap's window must wait; it is tried again after [`RecipientCap::window`] / 4.
pub fn must_wait_for_cap(cap: &RecipientCap, sent_in_window: u64) -> bool {
    sent_in_window >= u64::from(cap.max)
}

/// What becomes of a mail after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterFailure {
    /// Pending again, due at this time.
    RetryAt(Timestamp),
    /// Failed for good: shown to operators (and on the thread) with a manual retry.
    GiveUp,
}

/// R16: after the `attempts`-th failed attempt (1 for the first) of a mail queued at
/// `queued_at`: a permanent failure gives up at once; a transient one waits
/// `first_delay * 2^(attempts-1)` (at most `max_delay`), shortened by up to half by
/// `jitter` (0.0-1.0, random per attempt) so that mail held up by one outage does not
/// all come back in the same second; past `give_up_after` it gives up.
pub fn after_failure(
    policy: &RetryPolicy,
    failure: AttemptFailure,
    attempts: u32,
    queued_at: Timestamp,
    now: Timestamp,
    jitter: f64,
) -> AfterFailure {
    if failure == AttemptFailure::Permanent {
        return AfterFailure::GiveUp;
    }
    let doublings = attempts.saturating_sub(1).min(30);
    let full = policy.first_delay.checked_mul(1 << doublings).unwrap_or(policy.max_delay).min(policy.max_delay);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
    let wait = full.mul_f64(1.0 - jitter / 2.0).max(SignedDuration::from_secs(1));
    let deadline = queued_at.checked_add(policy.give_up_after).unwrap_or(Timestamp::MAX);
    match now.checked_add(wait) {
        Ok(next) if next <= deadline => AfterFailure::RetryAt(next),
        _ => AfterFailure::GiveUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + secs).expect("in range")
    }

    #[test]
    fn r16_transient_failures_back_off_from_a_minute_doubling_to_an_hour() {
        let policy = RetryPolicy::default();
        let waits: Vec<i64> = (1..=8)
            .map(|n| match after_failure(&policy, AttemptFailure::Transient, n, at(0), at(0), 0.0) {
                AfterFailure::RetryAt(next) => next.as_second() - at(0).as_second(),
                AfterFailure::GiveUp => -1,
            })
            .collect();
        assert_eq!(waits, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn r16_an_address_past_its_cap_waits() {
        let cap = RecipientCap { max: 3, window: SignedDuration::from_hours(1) };
        assert_eq!([0, 2, 3, 50].map(|n| must_wait_for_cap(&cap, n)), [false, false, true, true]);
    }

    #[test]
    fn r16_a_permanent_failure_gives_up_at_once() {
        let policy = RetryPolicy::default();
        assert_eq!(after_failure(&policy, AttemptFailure::Permanent, 1, at(0), at(0), 0.3), AfterFailure::GiveUp);
    }

    #[test]
    fn r16_a_mail_still_failing_a_day_after_it_was_queued_is_given_up() {
        let policy = RetryPolicy::default();
        let late = at(24 * 3600 - 30);
        assert_eq!(after_failure(&policy, AttemptFailure::Transient, 20, at(0), late, 0.0), AfterFailure::GiveUp);
        let early = at(3600);
        assert!(matches!(
            after_failure(&policy, AttemptFailure::Transient, 20, at(0), early, 0.0),
            AfterFailure::RetryAt(_)
        ));
    }

    proptest! {
        #[test]
        fn r16_a_retry_is_always_later_than_now_and_never_past_the_deadline(
            attempts in 1u32..200,
            queued in 0i64..100_000,
            since in 0i64..100_000,
            jitter in prop::num::f64::ANY,
        ) {
            let policy = RetryPolicy::default();
            let (queued_at, now) = (at(queued), at(queued + since));
            match after_failure(&policy, AttemptFailure::Transient, attempts, queued_at, now, jitter) {
                AfterFailure::RetryAt(next) => {
                    prop_assert!(next > now);
                    prop_assert!(next <= queued_at + policy.give_up_after);
                    prop_assert!(next <= now + policy.max_delay);
                }
                // A transient failure is given up only when even the wait would pass the deadline.
                AfterFailure::GiveUp => prop_assert!(now + policy.max_delay > queued_at + policy.give_up_after),
            }
        }
    }
}
