//! The content model: the feed document, notices and playlists, parsed then validated in one place.
//!
//! Everything past this module sees only validated values: a `Feed` whose notices have unique ids
//! and sane validity windows, a `Playlist` whose sizes and hours make sense. Nothing here knows of
//! fonts, the GPU or the network.

pub mod alert;
pub mod calendar;
mod category;
mod error;
mod feed;
mod figure;
mod notice_period;
pub mod personal;
mod playlist;
pub mod punctuation;
mod reason;
pub mod table;
pub mod target;
mod text;
mod time;
pub mod xml;

pub use category::Category;
pub(crate) use error::toml_reason;
pub use error::{Problem, Problems};
pub use feed::{
    Asset, Blackout, Feed, FeedDocument, FeedFormat, Level, MAX_ASSET_BYTES, MAX_ASSETS,
    MAX_PERIOD_WORKING_DAYS, Notice, NoticePeriod, Priority, drawn_fields,
};
pub use figure::{
    Figure, MAX_ALT_CHARS, MAX_CAPTION_CHARS, MAX_FIGURES, assets_named, is_sha256_hex,
};
pub use playlist::{
    ClockTime, Dwell, Hours, MAX_PAGES, MAX_PIXELS, MAX_SIDE, Marquee, Order, Palette, Playlist,
    Rotation, ScreenKind, ScreenSpec, Ticker, Touch, Transition, TransitionKind, TypeSizes,
};
pub use reason::{NameKind, Reason, Unit};
pub use time::{Timestamp, beijing, beijing_offset};

use std::path::Path;

/// Reads a file for parsing, turning an I/O failure into a `Problem` that names the file.
pub fn read_file(path: &Path) -> Result<String, Problems> {
    std::fs::read_to_string(path).map_err(|e| {
        Problems::one(Problem::new(
            path.display().to_string(),
            "",
            Reason::CannotRead(e.to_string()),
        ))
    })
}

/// True for names used in URLs and file names: group names, ids of screens.
pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !s.starts_with('-')
}
