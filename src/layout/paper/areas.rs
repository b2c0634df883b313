//! Where each part of a paper-like page goes, measured once per notice and screen: the bands
//! at the edges, the title at the size that fits its lines, what to do and whom to call, then
//! the body and the QR code in what is left.

use super::{Paper, QR_CAPTION};
use crate::layout::fonts::Fonts;
use crate::layout::frame::{Rect, Rgba};
use crate::layout::measure::{balanced_lines, break_lines, printable};
use crate::layout::page::aside_paragraphs;
use crate::layout::qr::qr_image;
use crate::model::{Notice, Playlist};

/// The side of a QR code on a panel of known size, in millimetres: scannable from 1.5 m.
const QR_SCAN_MM: f32 = 150.0;

/// Which of a notice's pages the areas are for. The first page carries the whole title; the
/// pages after it a one-line running title, so the body has the room (a three-line title on
/// each of 21 pages was a page in seven). A portrait page shows the QR code under the body on
/// the first and the last page only: in between it would take a fifth of every page for an
/// address the reader has already been shown. (A landscape page keeps it beside the body on
/// every page: it narrows the body, and every page of a notice breaks its lines at one width.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    First,
    Middle,
    Last,
}

/// Areas of a TV or terminal page, in pixels.
pub(super) struct Areas {
    pub margin: f32,
    pub header: Rect,
    pub title_top: f32,
    pub title_lines: Vec<String>,
    pub title_px: f32,
    pub title_line_px: f32,
    pub rule_y: f32,
    pub body: Rect,
    pub qr: Option<Rect>,
    pub footer: Rect,
    pub ticker: Option<Rect>,
    /// The notice's own blocks and their lines, above the footer.
    pub aside: Rect,
    pub aside_lines: Vec<String>,
    pub aside_px: f32,
    pub aside_line_px: f32,
}

/// What to do and whom to call, set to fit: its lines, their size, and the height they take.
struct Aside {
    lines: Vec<String>,
    px: f32,
    line_px: f32,
    height: f32,
}

/// The areas of `playlist`'s page as `paper` arranges it, for `notice` (or for a page without
/// one: the empty and blackout pages).
pub(super) fn areas(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    notice: Option<&Notice>,
    place: Place,
) -> Areas {
    let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
    let t = &playlist.typography;
    let margin = (t.body_px * 1.25).round();
    let header = Rect::new(0.0, 0.0, w, (t.header() * 2.0).round());
    // The band's room is kept whenever the playlist has a ticker, running or not: pages are
    // laid out once, and the urgent titles that fill the band come and go.
    let ticker_h = if playlist.ticker.is_some() {
        (t.ticker() * 1.8).round()
    } else {
        0.0
    };
    let ticker = (ticker_h > 0.0).then(|| Rect::new(0.0, h - ticker_h, w, ticker_h));
    let footer_h = (t.footer() * 2.2).round();
    let footer = Rect::new(0.0, h - ticker_h - footer_h, w, footer_h);
    let (title_lines, title_px) = match notice {
        Some(n) => fit_title(fonts, playlist, paper, n, w - 2.0 * margin),
        None => (Vec::new(), t.title_px),
    };
    let title_top = header.bottom() + (margin * 0.6).round();
    let below_title = |lines: usize, px: f32| {
        let rule_y = title_top + lines as f32 * (px * t.line_height.min(1.4)).round();
        rule_y + (margin * 0.3).round()
    };
    // What to do and whom to call are sized once, for the first page (under the whole title),
    // and set alike on every page.
    let first_body_top = below_title(title_lines.len(), title_px) + (margin * 0.5).round();
    let first_room = BodyRoom {
        width: w - 2.0 * margin,
        height: |aside: f32| footer.y - aside - first_body_top - (margin * 0.3).round(),
        page: footer.y - header.bottom(),
    };
    let aside = fit_aside(fonts, playlist, notice, margin, &first_room);
    let (title_lines, title_px) = match notice {
        Some(n) if place != Place::First && title_lines.len() > 1 => {
            running_title(fonts, playlist, n, (title_px, w - 2.0 * margin))
        }
        _ => (title_lines, title_px),
    };
    let title_line_px = (title_px * t.line_height.min(1.4)).round();
    let rule_y = below_title(title_lines.len(), title_px);
    let body_top = rule_y + (margin * 0.5).round();
    let aside_rect = Rect::new(
        margin,
        footer.y - aside.height,
        w - 2.0 * margin,
        aside.height,
    );
    let mut body = Rect::new(
        margin,
        body_top,
        w - 2.0 * margin,
        footer.y - aside.height - body_top - (margin * 0.3).round(),
    );
    let bottom = aside_rect.y;
    let qr = notice
        .filter(|_| !(paper.portrait && place == Place::Middle))
        .and_then(|n| qr_square(fonts, playlist, paper, n, &mut body, (bottom, margin)));
    Areas {
        margin,
        header,
        title_top,
        title_lines,
        title_px,
        title_line_px,
        rule_y,
        body,
        qr,
        footer,
        ticker,
        aside: aside_rect,
        aside_lines: aside.lines,
        aside_px: aside.px,
        aside_line_px: aside.line_px,
    }
}

/// The title's lines and size: a long title is set smaller, never longer than its template
/// allows, and never smaller than the body.
fn fit_title(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    notice: &Notice,
    width: f32,
) -> (Vec<String>, f32) {
    let t = &playlist.typography;
    let mut title_px = t.title_px;
    let title = printable(fonts, &notice.title);
    loop {
        let lines = balanced_lines(fonts, &title, &notice.names(), title_px, true, width);
        if lines.len() <= paper.max_title_lines || title_px * 0.92 < t.body_px {
            return (lines, title_px);
        }
        title_px = (title_px * 0.92).floor();
    }
}

/// The body's room beside the aside: its width, its height once an aside of a given height
/// is set, and the room between the header and the footer.
struct BodyRoom<H: Fn(f32) -> f32> {
    width: f32,
    height: H,
    page: f32,
}

/// The title of the pages after the first, on one line: as large as lets it fit (never larger
/// than on the first page, never smaller than the body), else at the body's size the 《…》 of
/// the document it issues, else cut between words with "……".
fn running_title(
    fonts: &mut Fonts,
    playlist: &Playlist,
    notice: &Notice,
    (first_px, width): (f32, f32),
) -> (Vec<String>, f32) {
    let t = &playlist.typography;
    let title = printable(fonts, &notice.title);
    let mut px = (first_px * 0.8).floor().max(t.body_px);
    loop {
        if fonts.width(&title, px, true) <= width {
            return (vec![title], px);
        }
        if px * 0.92 < t.body_px {
            break;
        }
        px = (px * 0.92).floor();
    }
    let px = t.body_px;
    // An 印发 notice is known by the document it issues: its 《…》 alone, where that fits.
    if let (Some(open), Some(close)) = (title.find('《'), title.rfind('》'))
        && open < close
    {
        let book = &title[open..close + '》'.len_utf8()];
        if fonts.width(book, px, true) <= width {
            return (vec![book.to_string()], px);
        }
    }
    let chars: Vec<char> = title.chars().collect();
    let advances = fonts.advances(&title, px, true);
    let room = width - fonts.width("……", px, true);
    let names = notice.names();
    let lines = crate::layout::words::fill_words(&chars, &advances, &names, room, 0.0);
    let first: String = lines
        .first()
        .map(|l| chars[l.range.clone()].iter().collect())
        .unwrap_or_default();
    let mut first = first
        .trim_end_matches(['，', '、', '：', '；', '（', '《', '“'])
        .to_string();
    // Measured as one run the text may come out a little wider than its pieces: shorten it.
    while !first.is_empty() && fonts.width(&format!("{first}……"), px, true) > width {
        first.pop();
    }
    (vec![format!("{first}……")], px)
}

/// What to do and whom to call: above the footer on every page, whole. Each size from the
/// body's down to the footer's is tried: the description must start on the first page with at
/// least three lines (a warning read as fragments of one line a page is not read), and of the
/// sizes that leave it that, the largest that sets the description on the fewest pages wins.
/// Where no size leaves three lines, the smallest is taken.
fn fit_aside<H: Fn(f32) -> f32>(
    fonts: &mut Fonts,
    playlist: &Playlist,
    notice: Option<&Notice>,
    margin: f32,
    room: &BodyRoom<H>,
) -> Aside {
    let t = &playlist.typography;
    let paragraphs: Vec<String> = notice
        .map(aside_paragraphs)
        .unwrap_or_default()
        .iter()
        .map(|p| printable(fonts, p))
        .collect();
    let body_line_px = (t.body_px * t.line_height).round();
    // The description's lines at the body's width, as the body sets them (indented 2 em).
    let described = notice.map_or(0, |n| {
        n.body
            .split('\n')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let p = printable(fonts, p);
                break_lines(fonts, &p, t.body_px, false, room.width, 2.0 * t.body_px)
                    .1
                    .len()
            })
            .sum::<usize>()
    });
    if paragraphs.is_empty() {
        return set_aside(fonts, playlist, &paragraphs, t.body_px, margin, room.width);
    }
    let wanted = described.min(3);
    // Every size from the body's down to the footer's, largest first, with the body lines
    // each leaves on a page.
    let mut sizes = Vec::new();
    let mut px = t.body_px;
    loop {
        let aside = set_aside(fonts, playlist, &paragraphs, px, margin, room.width);
        let capacity = ((room.height)(aside.height) / body_line_px)
            .floor()
            .max(0.0) as usize;
        sizes.push((aside, capacity));
        if px * 0.92 < t.footer() {
            break;
        }
        px = (px * 0.92).floor();
    }
    let pages = |capacity: usize| described.div_ceil(capacity.max(1));
    let leaves_three = |(_, capacity): &&(Aside, usize)| *capacity >= wanted;
    // As before: the largest size within half the page, now also leaving three lines.
    let first = sizes
        .iter()
        .position(|s| leaves_three(&s) && s.0.height <= room.page * 0.5)
        .or_else(|| sizes.iter().position(|s| leaves_three(&s)));
    let Some(first) = first else {
        return sizes.pop().expect("one size at least").0;
    };
    // Smaller, when that sets the whole description on one page where it took more, or spares
    // its last page a single line.
    let fewest = sizes
        .iter()
        .filter(leaves_three)
        .map(|(_, c)| pages(*c))
        .min()
        .unwrap_or(1);
    let capacity = sizes[first].1;
    let chosen = if pages(capacity) > fewest && (fewest == 1 || described % capacity.max(1) == 1) {
        sizes
            .iter()
            .position(|(_, c)| *c >= wanted && pages(*c) == fewest)
            .unwrap_or(first)
    } else {
        first
    };
    sizes.swap_remove(chosen).0
}

/// The aside's paragraphs set at `px`.
fn set_aside(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paragraphs: &[String],
    px: f32,
    margin: f32,
    width: f32,
) -> Aside {
    let t = &playlist.typography;
    let line_px = (px * t.line_height.min(1.4)).round();
    let mut lines = Vec::new();
    for paragraph in paragraphs {
        let (chars, broken) = break_lines(fonts, paragraph, px, false, width, 0.0);
        lines.extend(
            broken
                .into_iter()
                .map(|l| chars[l.range].iter().collect::<String>()),
        );
    }
    let height = if lines.is_empty() {
        0.0
    } else {
        lines.len() as f32 * line_px + (margin * 0.6).round()
    };
    Aside {
        lines,
        px,
        line_px,
        height,
    }
}

/// The QR code's square for a notice with an address, taken from `body` (beside it on a
/// landscape page, under it on a portrait one) above `bottom`. None, and `body` left whole, when
/// the body would keep fewer than three lines or the code would be too small to scan.
fn qr_square(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    notice: &Notice,
    body: &mut Rect,
    (bottom, margin): (f32, f32),
) -> Option<Rect> {
    let url = notice.url.as_deref()?;
    let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
    let t = &playlist.typography;
    let caption = (t.footer() * 1.6).round();
    // The body keeps at least three lines: where it would not, the QR code gives way.
    let min_body = 3.0 * (t.body_px * t.line_height).round();
    let without_qr = *body;
    // A phone reads a code from about ten times its side: on a panel of known size the code
    // is at least 150 mm, to scan from 1.5 m, within what the page can give it.
    // Drawn with whole pixels a module, so the side is rounded up to whole modules.
    let modules = qr_image(url, Rgba::BLACK, Rgba::WHITE).map_or(1.0, |image| image.width as f32);
    let scannable = playlist.px_per_mm().map_or(0.0, |per_mm| {
        (QR_SCAN_MM * per_mm / modules).ceil() * modules
    });
    let qr = if paper.portrait {
        let side = (w * 0.26).max(scannable).min(w * 0.45).round();
        let qr = Rect::new(
            ((w - side) / 2.0).round(),
            bottom - side - caption - (margin * 0.3).round(),
            side,
            side,
        );
        body.h = qr.y - body.y - (margin * 0.8).round();
        qr
    } else {
        let side = (h * 0.2)
            .max(scannable)
            .min(h * 0.35)
            .round()
            .min(body.h - caption);
        // The caption under the code may be wider than the code: the column is as wide
        // as the wider of the two, and the body keeps clear of all of it.
        let column = side.max(fonts.width(QR_CAPTION, t.footer(), false).ceil());
        let qr = Rect::new(
            (w - margin - (column + side) / 2.0).round(),
            bottom - side - caption - (margin * 0.2).round(),
            side,
            side,
        );
        body.w -= column + (margin * 0.6).round();
        qr
    };
    if body.h < min_body || qr.w < h * 0.1 {
        *body = without_qr;
        return None;
    }
    Some(qr)
}
