//! The touch terminal's rotation (portrait): the paper-like page with its parts stacked, the QR
//! code under the body, a title of up to four lines. Read at arm's length by someone who
//! stopped, so every page of a notice is shown. Its interactive screens (home, lists, a notice
//! opened by a finger) are `layout::touch`.

use super::Template;
use crate::layout::frame::Frame;
use crate::layout::page::{Paged, Paper, Scene, Typesetter};
use crate::model::{Notice, Playlist};

const PAPER: Paper = Paper {
    portrait: true,
    max_title_lines: 4,
};

pub struct Terminal;

impl Template for Terminal {
    fn paginate(&self, ts: &mut Typesetter, playlist: &Playlist, notice: &Notice) -> Paged {
        Paged {
            pages: ts.paper_pages(playlist, &PAPER, notice),
        }
    }

    fn compose(&self, ts: &mut Typesetter, playlist: &Playlist, scene: &Scene) -> Frame {
        ts.compose_paper(playlist, &PAPER, scene)
    }
}
