//! The black-box suite: starts the real server on port 0 against SQLite and
//! against PostgreSQL and talks HTTP to it like any client; runs the real
//! binary for the command line. PostgreSQL comes from KINDRED_TEST_POSTGRES
//! (default postgres://postgres@127.0.0.1:5432/postgres); each test gets a
//! fresh database there. Tests fail, not skip, when PostgreSQL is missing.

// Tests may stop at the first surprise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod administration;
mod admission;
mod answers_alike;
mod auth;
mod backup;
mod calls;
mod cli;
mod community_pages;
mod compression;
mod confirmation;
mod credentials;
mod erasure;
mod events;
mod export;
mod forum;
mod forum_privacy;
mod forum_search;
mod groups;
mod harness;
mod home;
mod hostile_input;
mod http_baseline;
mod jobs;
mod knowledge;
mod legal;
mod live;
mod mails;
mod members;
mod messaging;
mod moderation;
mod notification_settings;
mod notifications;
mod page_weight;
mod pages;
mod passkeys;
mod people;
mod people_forum;
mod preferences;
mod privacy;
mod profiles;
mod pseudonyms;
mod slow_clients;
mod staff_flags;
mod staff_tools;
mod storage;
mod tenants;
mod terms;
mod transfer;
mod web_sessions;
mod wording;
