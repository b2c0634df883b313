//! The TV (landscape): header band, title, body, footer, the QR code at the right, an optional
//! ticker. Read from metres away by people passing, so a long notice shows its first pages and
//! then a closing page with a large QR code (`[rotation] max_pages`).

use super::Template;
use crate::layout::fonts::Fonts;
use crate::layout::frame::Frame;
use crate::layout::page::{Page, Paged, Scene, count_chars};
use crate::layout::paper::{self, CLOSING_CAPTION, Paper};
use crate::model::{MAX_PAGES, Notice, Playlist, Priority};

const PAPER: Paper = Paper {
    portrait: false,
    max_title_lines: 3,
};

pub struct Tv;

impl Template for Tv {
    fn paginate(&self, fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Paged {
        let max = (playlist.rotation.max_pages.unwrap_or(MAX_PAGES) as usize).max(2);
        let (mut pages, url) = paper::paginate_addressed(fonts, playlist, &PAPER, notice, max);
        // The figures have pages of their own, after the text and before a closing page: a
        // drawing the law requires (a 规划总平面图) is never the part left out.
        let figures = paper::figure_pages(notice);
        // Not without a code to send readers to, and never a warning.
        if url.is_some() && notice.priority != Priority::Emergency && pages.len() > max {
            let shown = max - 1;
            let left_out = pages.len() - shown;
            pages.truncate(shown);
            pages.push(Page {
                lines: Vec::new(),
                shades: Vec::new(),
                figure: None,
                label: None,
                closing: Some(left_out),
                chars: count_chars(CLOSING_CAPTION),
                motion_s: None,
            });
        }
        let at = pages.len() - usize::from(pages.last().is_some_and(|p| p.closing.is_some()));
        pages.splice(at..at, figures);
        Paged { pages, url }
    }

    fn compose(&self, fonts: &mut Fonts, playlist: &Playlist, scene: &Scene) -> Frame {
        paper::compose(fonts, playlist, &PAPER, scene)
    }
}
