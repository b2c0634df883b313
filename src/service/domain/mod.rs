//! The service's domain: notices and their review, alerts, screen groups and playlists, screens
//! and their plays, accounts, the audit log, policies, the calendar, keys, feeds, the report and
//! the proof; plain functions over the database and an explicit time. Knows no HTTP.

pub mod accounts;
pub mod alerts;
pub mod audit;
pub mod calendar;
pub mod error;
pub mod feeds;
pub mod groups;
pub mod keys;
pub mod limits;
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
