//! One template per screen kind: how a notice becomes pages on that kind of screen, and a page
//! a `Frame`. What several kinds share lives outside: the paper-like page of the TV and the
//! terminal in `paper` (a template configures it with a `Paper`), the header, running text and
//! QR codes in `parts`. A template is given the fonts to measure with, never a hub to call back.
//!
//! A new kind of screen (an e-paper panel, say) is one file here implementing [`Template`], a
//! variant of `ScreenKind` and one arm in [`for_kind`]; the compiler finds the arm.

mod led;
mod terminal_rotation;
mod tv;

use super::fonts::Fonts;
use super::frame::{Frame, Rgba, Step};
use super::page::{Paged, Scene};
use super::paper::ticker_step;
use crate::model::{Notice, Playlist, ScreenKind};

pub use led::led_step;

/// What one kind of screen does with notices.
pub trait Template: Sync {
    /// The pages of a notice on this kind of screen.
    fn paginate(&self, fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Paged;

    /// The frame for a scene (off-hours black is the same everywhere and never reaches here).
    fn compose(&self, fonts: &mut Fonts, playlist: &Playlist, scene: &Scene) -> Frame;

    /// How this kind's running text moves, if it has any: the ticker band by default.
    fn running(&self, playlist: &Playlist) -> Option<Step> {
        playlist.ticker.as_ref().map(|_| ticker_step(playlist))
    }

    /// How long a page has been up when a still preview (`render --at`) catches it.
    fn preview_elapsed_s(&self, _playlist: &Playlist) -> f64 {
        0.0
    }

    /// The page is a fixed rectangle of the desktop (`[screen] x, y`) that a sending card
    /// captures pixel for pixel, not the whole output.
    fn placed(&self) -> bool {
        false
    }
}

/// The template for a kind of screen: the one place that matches on the kind.
pub fn for_kind(kind: ScreenKind) -> &'static dyn Template {
    match kind {
        ScreenKind::Led => &led::Led,
        ScreenKind::Tv => &tv::Tv,
        ScreenKind::Terminal => &terminal_rotation::TerminalRotation,
    }
}

/// How this playlist's running text moves, if it has any.
pub fn running_step(playlist: &Playlist) -> Option<Step> {
    for_kind(playlist.kind).running(playlist)
}

/// Lays out a notice's body into pages for this playlist's screen.
pub fn paginate(fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Paged {
    for_kind(playlist.kind).paginate(fonts, playlist, notice)
}

/// The frame for `scene` on this playlist's screen.
pub fn compose(fonts: &mut Fonts, playlist: &Playlist, scene: &Scene) -> Frame {
    match scene {
        // Off-hours black is the same on every kind of screen.
        Scene::Standby => Frame::blank(playlist.screen.width, playlist.screen.height, Rgba::BLACK),
        _ => for_kind(playlist.kind).compose(fonts, playlist, scene),
    }
}
