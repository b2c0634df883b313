//! noticecast: approved public notices on unattended LED, TV and touch-terminal screens.
//!
//! Data flows down this list and never back up: `model` (feeds, notices, playlists) →
//! `schedule` (what is on screen when) and `layout` (pages and frames, with the bundled fonts) →
//! `render` (wgpu + glyphon). `show` ties them together for one screen; `cli` is the command line.
//! See docs/ARCHITECTURE.md.

pub mod bench;
pub mod cli;
pub mod feed;
pub mod layout;
pub mod model;
pub mod player;
pub mod proof;
pub mod render;
pub mod schedule;
pub mod service;
pub mod show;
pub mod touch;
