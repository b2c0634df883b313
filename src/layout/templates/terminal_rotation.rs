//! The touch terminal's rotation (portrait): the paper-like page with its parts stacked, the QR
//! code under the body, a title of up to four lines. Read at arm's length by someone who
//! stopped, so every page of a notice is shown. Its interactive screens (home, lists, a notice
//! opened by a finger) are `layout::touch`.

use super::Template;
use crate::layout::fonts::Fonts;
use crate::layout::frame::Frame;
use crate::layout::page::{Paged, Scene};
use crate::layout::paper::{self, Paper};
use crate::model::{MAX_PAGES, Notice, Playlist};

const PAPER: Paper = Paper {
    portrait: true,
    max_title_lines: 4,
};

/// Named for what it lays out, the terminal's rotation, apart from `touch::Terminal`, which
/// runs the terminal's touch session.
pub struct TerminalRotation;

impl Template for TerminalRotation {
    fn paginate(&self, fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Paged {
        let (mut pages, url) =
            paper::paginate_addressed(fonts, playlist, &PAPER, notice, MAX_PAGES as usize);
        pages.extend(paper::figure_pages(notice));
        Paged { pages, url }
    }

    fn compose(&self, fonts: &mut Fonts, playlist: &Playlist, scene: &Scene) -> Frame {
        paper::compose(fonts, playlist, &PAPER, scene)
    }
}
