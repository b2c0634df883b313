//! The central service, `noticecast serve`: notices and their review, screen groups and their
//! playlists, signed per-group feeds, the screen registry and the disclosure statistics.
//!
//! Layers, each depending only on those before it (`tests/module_graph.rs` checks that no
//! import goes back up):
//! - `domain`: `error`, `storage` (schema, `Conn`) → `passwords`, `audit` → `accounts`, `keys`
//!   → `sessions`, `limits`, `calendar`, `groups` → `policy` (提级审核) → `notices` (the workflow
//!   and the door for every notice write) → `alerts`, `feeds` (composition and signing),
//!   `screens`, `plays`, `report`, `proof`: plain functions over a storage connection and an
//!   explicit time, tested without a socket or a clock (`domain/mod.rs` has the order);
//! - `domain::state`: the running `Service` (database, keys, signed feeds) and its `read`,
//!   `record` and `change`;
//! - `http` (what the areas share) → the areas `api`, `console`, `public`, `feed_http`, each
//!   with its routes and its gate → `openapi`, `server` (merges them, serves);
//! - `commands`: the command-line verbs; `loadgen`: the load generator.
//!
//! This file only names the modules and re-exports what other parts of the program use.

pub mod commands;
pub mod domain;
pub mod http;
pub mod loadgen;

pub use domain::error::Error;
pub use domain::state::{
    Clock, DB_FILE, FEED_BUDGET, LONG_POLL, OpenError, Options, Service, system_clock,
};
pub use http::guard::{BODY_TIMEOUT, HEADER_TIMEOUT, WRITE_TIMEOUT};
pub use http::server::serve_listener;
pub use http::tenants::serve;
