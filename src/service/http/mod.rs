//! The service's HTTP shell: the shared guard and errors (`error`: the domain's errors as the
//! API's JSON answers, with the shell's own), the areas (`api`, `console`, `public`,
//! `feed_http`), the API description and the server. Knows no SQL: every read and change goes
//! through the domain's functions.

pub mod api;
pub mod capacity;
pub mod console;
pub mod error;
pub mod feed_http;
pub mod guard;
pub mod openapi;
pub mod public;
pub mod server;
pub mod tenants;
