//! The pages in a real headless Chromium, driven over WebDriver (chromedriver), against
//! the real `vocdesk serve --demo` binary. Needs Debian's `chromium` and
//! `chromium-driver`; without them these tests say they were skipped, unless
//! `VOCDESK_REQUIRE_BROWSER=1` (set by CI), which makes a missing browser a failure.
//!
//! Each test starts its own server and browser; a lock runs them one at a time so the
//! two cores are not shared by several Chromiums.

#[path = "../common/mod.rs"]
mod common;
mod support;

mod accounts;
mod conversation;
mod layout;
mod mail;
mod money;
mod pwa;
mod reviews;
