//! The web crate's API and page suite: every test runs through the real router, once on
//! SQLite and once on PostgreSQL (see `support`).

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

mod attachment_names;
mod audit_log;
mod auth;
mod authorization;
mod authorize_first;
mod bad_input;
mod catalog;
mod delivery;
mod inbound;
mod inquiries;
mod item4_my_page;
mod item5_confirm;
mod item6_off_store_lookup;
mod languages;
mod localization;
mod no_store;
mod openapi;
mod pages;
mod pages_devices;
mod pages_inquiries;
mod pages_mail;
mod pages_operator_home;
mod pages_refund_console;
mod pages_refunds;
mod pages_reviews;
mod pages_session;
mod pages_store_turn;
mod provisioning;
mod purchases;
mod push;
mod push_send;
mod pwa;
mod refunds;
mod reviews;
mod search;
mod shapes;
mod sign_in_budget;
