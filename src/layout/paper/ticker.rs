//! The ticker band along the bottom of a paper-like page: what it runs and how it moves.

use crate::layout::fonts::Fonts;
use crate::layout::frame::{Fill, Frame, Rect, Role, Step};
use crate::layout::measure::{Face, printable};
use crate::layout::parts::running;
use crate::layout::theme::Theme;
use crate::model::{Playlist, Timestamp, beijing};

/// How the ticker moves: its speed locked to the refresh.
pub fn ticker_step(playlist: &Playlist) -> Step {
    let speed = playlist.ticker.as_ref().map_or(60.0, |t| t.speed_px_s);
    Step::locked(speed, playlist.screen.refresh_hz)
}

/// The ticker's text: its items joined; `None` when the playlist has no ticker or nothing to run.
pub fn ticker_text(playlist: &Playlist, items: &[String]) -> Option<String> {
    playlist.ticker.as_ref()?;
    (!items.is_empty()).then(|| items.join("　　◆　　"))
}

/// Draws the ticker running `items` in `band` (when the page keeps one) as it is at `now`.
pub(super) fn draw(
    fonts: &mut Fonts,
    playlist: &Playlist,
    theme: &Theme,
    (band, now, items): (Option<Rect>, Timestamp, &[String]),
    frame: &mut Frame,
) {
    let (Some(band), Some(text)) = (band, ticker_text(playlist, items)) else {
        return;
    };
    let px = playlist.typography.ticker();
    let text = printable(fonts, &text);
    let speed = ticker_step(playlist);
    // The ticker runs from Beijing midnight: every screen of a group and every re-render of
    // the same instant agree on where it is.
    let local = beijing(now);
    let midnight = local
        - chrono::TimeDelta::microseconds((local.num_seconds_from_midnight_f64() * 1e6) as i64);
    frame.fills.push(Fill {
        rect: band,
        color: theme.ticker_band,
    });
    let style = (Role::Ticker, px, false, theme.ticker_text);
    let block = running(
        fonts,
        Face::Outline,
        style,
        band,
        text,
        (midnight, speed, now),
    );
    frame.blocks.push(block);
}

trait SecondsOfDay {
    fn num_seconds_from_midnight_f64(&self) -> f64;
}

impl SecondsOfDay for Timestamp {
    fn num_seconds_from_midnight_f64(&self) -> f64 {
        use chrono::Timelike;
        self.num_seconds_from_midnight() as f64 + self.nanosecond() as f64 / 1e9
    }
}
