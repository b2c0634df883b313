//! What layout hands on between its phases and to the rest of the program: a notice's pages
//! (`Paged`, laid out once per feed), the scene a frame is composed for, and the small facts
//! about a notice that every kind of screen shows the same way (its date, what to do and whom
//! to call).

use chrono::Datelike;

pub use super::body::{BodyLine, BodyPage, LineKind, Shade, ShadeKind};
pub use super::measure::MISSING;
use crate::model::{Notice, Timestamp, beijing};

/// What a screen held on standby by an admin says.
pub const BLACKOUT: &str = "本屏暂停播放";

/// One page of a notice on one screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub lines: Vec<BodyLine>,
    /// Shaded under the lines: a table's header band and stripes, cards.
    pub shades: Vec<Shade>,
    /// A page that shows the notice's figure of this index (`Notice::figures`), fitted, with
    /// its caption.
    pub figure: Option<usize>,
    /// What the LED's label row says on this page, when not the notice's kind: the title of
    /// the table whose row runs below.
    pub label: Option<String>,
    /// The closing page of a notice cut short on a TV (`[rotation] max_pages`): how many pages
    /// of the body were left out; the page shows a large QR code to read it all.
    pub closing: Option<usize>,
    /// Characters a reader reads on this page (the title counts on the first page).
    pub chars: usize,
    /// Seconds a marquee needs to run through once, for LED pages.
    pub motion_s: Option<f64>,
}

/// A notice laid out for one screen: its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    pub pages: Vec<Page>,
    /// Where the pages' QR codes lead: the notice's own address, or, for a long notice without
    /// one, the residents' page of it on the service (`Playlist::public_page`).
    pub url: Option<String>,
}

/// What to draw.
pub enum Scene<'a> {
    /// Page `page` (from 0) of a notice; `elapsed_s` since the page appeared drives the marquee.
    Notice {
        notice: &'a Notice,
        paged: &'a Paged,
        page: usize,
        elapsed_s: f64,
        now: Timestamp,
        /// What the ticker runs, item by item (`schedule::ticker_items`).
        ticker: &'a [String],
        /// The pixels of the page's figure, if it shows one and they are at hand (a screen
        /// whose cache lacks the file shows the caption and says so).
        figure: Option<std::sync::Arc<super::frame::Image>>,
    },
    /// On-hours without any notice to show: never a black screen. `waiting` names the screen
    /// while it has no feed at all yet (empty cache, no network).
    Empty {
        now: Timestamp,
        ticker: &'a [String],
        waiting: Option<&'a str>,
    },
    /// Off-hours: black.
    Standby,
    /// An admin holds the group's screens on a neutral page (a hijacked or faulty screen, an
    /// event): the office's name and the date, nothing else, no ticker.
    Blackout { now: Timestamp },
}

/// How long a figure's page stays up at least, counted as characters a reader reads: a drawing
/// is looked at longer than its caption takes to read.
pub const FIGURE_CHARS: usize = 60;

/// The page of `notice`'s figure `index`.
pub fn figure_page(notice: &Notice, index: usize) -> Page {
    let caption = notice.figures[index].caption.as_deref().unwrap_or("");
    Page {
        lines: Vec::new(),
        shades: Vec::new(),
        figure: Some(index),
        label: None,
        closing: None,
        chars: count_chars(caption).max(FIGURE_CHARS),
        motion_s: None,
    }
}

/// Characters a reader reads, for how long a page stays up: spaces are not read.
pub fn count_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// `一` for Monday: what follows 星期 in a header.
pub(super) fn weekday(t: Timestamp) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][t.weekday().num_days_from_monday() as usize]
}

/// `2026年11月27日`, in Beijing time.
pub fn date_label(t: Timestamp) -> String {
    let t = beijing(t);
    format!("{}年{}月{}日", t.year(), t.month(), t.day())
}

/// The paragraphs of a notice's own blocks, what to do and whom to call, as shown.
pub fn aside_paragraphs(notice: &Notice) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(i) = &notice.instruction {
        out.push(format!("【防御指南】{}", one_line(i)));
    }
    if let Some(c) = &notice.contact {
        out.push(format!("【联系方式】{}", one_line(c)));
    }
    out
}

/// Lines joined with a full-width space: these blocks are short and read as one paragraph.
fn one_line(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("　")
}
