//! `Typesetter`, the handle the rest of the program holds: it owns the bundled fonts and lends
//! them to the layout phases. It lays out nothing itself.

use super::fonts::Fonts;
use super::frame::Frame;
use super::page::{BodyPage, Paged, Scene};
use super::templates;
use super::touch::{self, Target, TouchView};
use crate::model::{Notice, Playlist, Touch};

/// Lays out notices with the bundled fonts. Owns the font system; pure apart from its caches.
pub struct Typesetter {
    fonts: Fonts,
}

impl Typesetter {
    pub fn new(fonts: Fonts) -> Typesetter {
        Typesetter { fonts }
    }

    /// The fonts, for what measures or draws outside layout: the renderer must draw with the
    /// faces the lines were measured with, and the show warns of characters they lack.
    pub fn fonts(&mut self) -> &mut Fonts {
        &mut self.fonts
    }

    /// Lays out a notice's body into pages for this playlist's screen.
    pub fn paginate(&mut self, playlist: &Playlist, notice: &Notice) -> Paged {
        templates::paginate(&mut self.fonts, playlist, notice)
    }

    /// The frame for `scene` on this playlist's screen.
    pub fn compose(&mut self, playlist: &Playlist, scene: &Scene) -> Frame {
        templates::compose(&mut self.fonts, playlist, scene)
    }

    /// The body of `notice` in pages for the touch notice screen.
    pub fn touch_pages(
        &mut self,
        playlist: &Playlist,
        touch: &Touch,
        notice: &Notice,
        large: bool,
    ) -> Vec<BodyPage> {
        touch::pages(&mut self.fonts, playlist, touch, notice, large)
    }

    /// The frame and targets of a touch screen.
    pub fn compose_touch(
        &mut self,
        playlist: &Playlist,
        touch: &Touch,
        view: &TouchView,
    ) -> (Frame, Vec<Target>) {
        touch::compose(&mut self.fonts, playlist, touch, view)
    }
}
