//! The paper-like page of the TV and of the terminal's rotation: header band, title, body, what
//! to do and whom to call, QR code, footer and ticker.
//!
//! A template configures it with a [`Paper`] (landscape or portrait, how many title lines) and
//! calls [`paginate`] and [`compose`]; the page never calls back into a template. In phases:
//! `areas` measures where each part goes, the body is packed into its area (`body`), and
//! `compose` draws one page of it into a `Frame`.

mod areas;
mod compose;
mod ticker;

use std::borrow::Cow;

use super::body::{Heights, Source, pack_body};
use super::fonts::Fonts;
use super::frame::Frame;
use super::page::{Page, Scene, count_chars};
use crate::model::{Notice, Playlist, Priority};
use areas::Place;

pub use ticker::{ticker_step, ticker_text};

/// Under the QR code.
const QR_CAPTION: &str = "扫码查看全文";
/// Under the closing page's large QR code.
pub(super) const CLOSING_CAPTION: &str = "扫码阅读全文";

/// How much larger an emergency's title and body are set.
pub const EMERGENCY_TITLE: f32 = 1.3;
pub const EMERGENCY_BODY: f32 = 1.15;

/// What sets one paper-like page (header, title, body, footer) apart from another: given by
/// each template that uses one.
#[derive(Debug, Clone, Copy)]
pub struct Paper {
    /// Parts stacked (the QR code under the body), not side by side.
    pub portrait: bool,
    /// A longer title is set smaller.
    pub max_title_lines: usize,
}

/// Lays out a notice's body into pages of a paper-like page (a TV's, a terminal's).
pub(super) fn paginate(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    notice: &Notice,
) -> Vec<Page> {
    let playlist = &*dressed(playlist, notice);
    let t = &playlist.typography;
    let mut body = |place| areas::areas(fonts, playlist, paper, Some(notice), place).body;
    let (first, rest, last) = (body(Place::First), body(Place::Middle), body(Place::Last));
    let heights = Heights {
        first: first.h,
        rest: rest.h,
        last: last.h,
    };
    let line_px = (t.body_px * t.line_height).round();
    // One width on every page (a landscape page's QR code may narrow one and not another).
    let width = first.w.min(rest.w).min(last.w);
    let source = Source {
        body: &notice.body,
        issuer: &notice.issuer,
        ..Source::default()
    };
    let pages = pack_body(fonts, &source, t.body_px, line_px, width, heights);
    let title_chars = count_chars(&notice.title);
    pages
        .into_iter()
        .enumerate()
        .map(|(i, body)| {
            let body_chars: usize = body.lines.iter().map(|l| count_chars(&l.text)).sum();
            let chars = body_chars + if i == 0 { title_chars } else { 0 };
            Page {
                lines: body.lines,
                shades: body.shades,
                figure: None,
                label: None,
                closing: None,
                chars,
                motion_s: None,
            }
        })
        .collect()
}

/// [`paginate`], and where the notice has no web address of its own, is no warning, and takes
/// more than `max` pages, paginated again with the residents' page of it on the service as its
/// address (where the playlist names the service's public address): a QR code that lets a
/// passer-by read the rest on a phone, and on a TV the closing page. Returns the address the
/// pages' codes lead to.
pub(super) fn paginate_addressed(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    notice: &Notice,
    max: usize,
) -> (Vec<Page>, Option<String>) {
    let pages = paginate(fonts, playlist, paper, notice);
    if notice.url.is_some() || notice.priority == Priority::Emergency || pages.len() <= max {
        return (pages, notice.url.clone());
    }
    let Some(url) = playlist.public_page(&notice.id) else {
        return (pages, None);
    };
    let addressed = Notice {
        url: Some(url),
        ..notice.clone()
    };
    (paginate(fonts, playlist, paper, &addressed), addressed.url)
}

/// The pages of a notice's figures, one each, after its text.
pub(super) fn figure_pages(notice: &Notice) -> Vec<Page> {
    (0..notice.figures.len())
        .map(|i| super::page::figure_page(notice, i))
        .collect()
}

/// The frame for `scene` on a paper-like page (a TV's, a terminal's rotation).
pub(super) fn compose(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    scene: &Scene,
) -> Frame {
    compose::compose(fonts, playlist, paper, scene)
}

/// The playlist as an emergency is set on a paper-like page: the title 1.3 times and the body
/// 1.15 times their normal size, the header, footer and ticker unchanged.
pub fn dressed<'p>(playlist: &'p Playlist, notice: &Notice) -> Cow<'p, Playlist> {
    if notice.priority != Priority::Emergency {
        return Cow::Borrowed(playlist);
    }
    let mut p = playlist.clone();
    let t = &mut p.typography;
    t.header_px = Some(t.header());
    t.footer_px = Some(t.footer());
    t.ticker_px = Some(t.ticker());
    t.title_px = (t.title_px * EMERGENCY_TITLE).round();
    t.body_px = (t.body_px * EMERGENCY_BODY).round();
    Cow::Owned(p)
}
