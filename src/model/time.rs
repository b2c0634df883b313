//! Instants in the feed, and the one time zone the screens show.

use chrono::{DateTime, FixedOffset};

/// An RFC 3339 instant with its offset, as written in feeds.
pub type Timestamp = DateTime<FixedOffset>;

/// Beijing time, UTC+8. China has no daylight saving, so a fixed offset is exact.
pub fn beijing_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The same instant as seen on a screen's clock.
pub fn beijing(t: Timestamp) -> Timestamp {
    t.with_timezone(&beijing_offset())
}
