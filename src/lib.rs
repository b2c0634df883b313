//! noticecast: approved public notices on unattended LED, TV and touch-terminal screens.
//!
//! Data flows down this list and never back up: `model` (feeds, notices, playlists) →
//! `schedule` (what is on screen when) and `layout` (pages and frames, with the bundled fonts) →
//! `render` (wgpu + glyphon). `show` ties them together for one screen; `cli` is the command line.
//! See docs/ARCHITECTURE.md.
//!
//! Without the default `app` feature only the parsers of outside input build (`model`, the feed's
//! envelope, trust rules and `player.toml`, input scripts): the fuzz package's build.

#[cfg(feature = "app")]
pub mod bench;
#[cfg(feature = "app")]
pub mod cli;
pub mod feed;
#[cfg(feature = "app")]
pub mod figures;
#[cfg(feature = "import")]
pub mod import;
#[cfg(feature = "app")]
pub mod layout;
pub mod model;
#[cfg(feature = "app")]
pub mod player;
#[cfg(feature = "app")]
pub mod proof;
#[cfg(feature = "app")]
pub mod render;
pub mod schedule;
#[cfg(feature = "app")]
pub mod service;
#[cfg(feature = "app")]
pub mod show;
pub mod touch;
