//! The service's domain: notices and their review, alerts, screen groups and playlists, screens
//! and their plays, accounts, the audit log, policies, the calendar, keys, feeds, the report and
//! the proof; plain functions over a storage connection (`storage::Conn`) and an explicit time.
//! Knows no HTTP.
//!
//! Layers, each depending only on those before it (no module imports one of its own layer or a
//! later one, and none imports `crate::service::http`):
//! 1. `error` (`Error`), `storage` (opening, the schema, `Conn`, and every SQL statement the
//!    domain runs, one module per area: a second database is one more module beside it);
//! 2. `passwords` (hashing, the password rules, tokens), `audit`, `playlist_delta`, `preview`
//!    (renders on its own thread);
//! 3. `accounts` (users, roles, 三员分立), `keys` (the feed signing keys);
//! 4. `sessions` (logging in, cookie sessions), `limits` (the login limiter), `calendar`,
//!    `groups` (screen groups and their playlists), `assets` (images uploaded for figures);
//! 5. `policy` (提级审核);
//! 6. `notices`: the review workflow and the one door for every write to the notice tables, by
//!    an `Author` (staff, or an alert source); `notices::content` (the input, its checks, the
//!    characters the fonts lack) and `notices::read`;
//! 7. `alerts` (writes through the notices door), `feeds` (composition and signing), `screens`
//!    (registry, device keys, heartbeats, screenshots), `plays` (proof of play), `report`,
//!    `proof`;
//! 8. `state`: the running `Service` (database, keys, signed feeds) and its `read`, `record` and
//!    `change`, and `approve`, the one way anything outside the domain approves; `waiters`, the
//!    cap on held long polls;
//! 9. `imports`: a file read into a draft for the notice form (`crate::import` off the
//!    runtime's threads, its images kept through `assets`), never a notice.

pub mod accounts;
pub mod alerts;
pub mod assets;
pub mod audit;
pub mod calendar;
pub mod error;
pub mod feeds;
pub mod groups;
pub mod imports;
pub mod keys;
pub mod limits;
pub mod nodes;
pub mod notices;
pub mod passwords;
pub mod playlist_delta;
pub mod plays;
pub mod policy;
pub mod preview;
pub mod proof;
pub mod report;
pub mod screens;
pub mod sessions;
pub mod state;
pub mod storage;
pub mod tenants;
pub mod waiters;
pub mod wall;
