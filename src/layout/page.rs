//! What pages are made of, shared by the templates (`layout::templates`): the `Typesetter` and
//! its line breaking, the scene a frame is composed for, and the paper-like page of header,
//! title, body, aside, QR code, footer and ticker that the TV and the terminal both lay out
//! (landscape or portrait, as their `Paper` says).

use chrono::Datelike;

use super::fonts::Fonts;
use super::frame::{
    Area, Fill, Frame, ImageBox, Motion, Rect, Rgba, Role, Step, TextBlock, TextLine,
};
use super::linebreak::{self, Line};
use super::qr::qr_image;
use super::theme::Theme;
use crate::model::{Notice, Playlist, Priority, Timestamp, beijing};

/// Drawn in place of a character that no bundled font has: the geta mark, the typesetter's
/// traditional sign for a missing character, rather than an invisible box.
pub const MISSING: char = '〓';

/// Under the QR code.
const QR_CAPTION: &str = "扫码查看全文";
/// The side of a QR code on a panel of known size, in millimetres: scannable from 1.5 m.
const QR_SCAN_MM: f32 = 150.0;
/// Under the closing page's large QR code.
pub(super) const CLOSING_CAPTION: &str = "扫码阅读全文";

/// What a screen held on standby by an admin says.
pub const BLACKOUT: &str = "本屏暂停播放";

pub use super::body::{BodyLine, LineKind};

/// One page of a notice on one screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub lines: Vec<BodyLine>,
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

/// What sets one paper-like page (header, title, body, footer) apart from another: given by
/// each template that uses one.
#[derive(Debug, Clone, Copy)]
pub struct Paper {
    /// Parts stacked (the QR code under the body), not side by side.
    pub portrait: bool,
    /// A longer title is set smaller.
    pub max_title_lines: usize,
}

/// Areas of a TV or terminal page, in pixels.
struct Areas {
    margin: f32,
    header: Rect,
    title_top: f32,
    title_lines: Vec<String>,
    title_px: f32,
    title_line_px: f32,
    rule_y: f32,
    body: Rect,
    qr: Option<Rect>,
    footer: Rect,
    ticker: Option<Rect>,
    /// The notice's own blocks and their lines, above the footer.
    aside: Rect,
    aside_lines: Vec<String>,
    aside_px: f32,
    aside_line_px: f32,
}

/// Lays out notices with the bundled fonts. Owns the font system; pure apart from its caches.
pub struct Typesetter {
    pub(super) fonts: Fonts,
    /// While an LED frame for single-colour modules is composed: lines in the bitmap face.
    pub(super) bitmap: bool,
}

pub fn count_chars(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

pub(super) fn weekday(t: Timestamp) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "日"][t.weekday().num_days_from_monday() as usize]
}

/// `2026年11月27日`, in Beijing time.
pub fn date_label(t: Timestamp) -> String {
    let t = beijing(t);
    format!("{}年{}月{}日", t.year(), t.month(), t.day())
}

impl Typesetter {
    pub fn new(fonts: Fonts) -> Typesetter {
        Typesetter {
            fonts,
            bitmap: false,
        }
    }

    pub fn fonts(&mut self) -> &mut Fonts {
        &mut self.fonts
    }

    /// `text` with every character the fonts lack replaced by `MISSING`.
    pub(super) fn printable(&mut self, text: &str) -> String {
        text.chars()
            .map(|c| if self.fonts.covers(c) { c } else { MISSING })
            .collect()
    }

    /// Breaks `text` (one paragraph) into lines of at most `width` pixels.
    pub(super) fn break_lines(
        &mut self,
        text: &str,
        px: f32,
        bold: bool,
        width: f32,
        indent: f32,
    ) -> (Vec<char>, Vec<Line>) {
        let chars: Vec<char> = text.chars().collect();
        let advances = self.fonts.advances(text, px, bold);
        // Measured with punctuation compressed, as drawn.
        let lines = linebreak::fill(&chars, &advances, width, indent);
        (chars, lines)
    }

    /// Lines of about equal length, as few as at full width: a centred title should not end
    /// with one lonely character on its last line.
    ///
    /// Lines break only between words (`words::title_atoms`); `names` (the issuer, the place)
    /// are words too.
    pub(super) fn balanced_lines(
        &mut self,
        text: &str,
        names: &[&str],
        px: f32,
        bold: bool,
        width: f32,
    ) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let advances = self.fonts.advances(text, px, bold);
        let atoms = super::words::title_atoms(&chars, names);
        let fill = |w: f32| linebreak::fill_atoms(&chars, &atoms, &advances, w, 0.0);
        let count = |w: f32| fill(w).len();
        let n = count(width);
        let (mut lo, mut hi) = (width / n as f32, width);
        if n > 1 {
            for _ in 0..16 {
                let mid = (lo + hi) / 2.0;
                if count(mid) > n { lo = mid } else { hi = mid }
            }
        }
        fill(hi)
            .into_iter()
            .map(|l| chars[l.range].iter().collect())
            .collect()
    }

    /// The first of `candidates` that fits in `width`, else the last one.
    pub(super) fn first_fitting(
        &mut self,
        candidates: &[String],
        px: f32,
        bold: bool,
        width: f32,
    ) -> String {
        for c in candidates {
            if self.fonts.width(c, px, bold) <= width {
                return c.clone();
            }
        }
        candidates.last().cloned().unwrap_or_default()
    }

    fn areas(&mut self, playlist: &Playlist, paper: &Paper, notice: Option<&Notice>) -> Areas {
        let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
        let t = &playlist.typography;
        let portrait = paper.portrait;
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
        // A long title is set smaller, never longer than its template allows, and never
        // smaller than the body.
        let max_title_lines = paper.max_title_lines;
        let mut title_px = t.title_px;
        let title_lines = match notice {
            Some(n) => {
                let title = self.printable(&n.title);
                loop {
                    let lines =
                        self.balanced_lines(&title, &n.names(), title_px, true, w - 2.0 * margin);
                    if lines.len() <= max_title_lines || title_px * 0.92 < t.body_px {
                        break lines;
                    }
                    title_px = (title_px * 0.92).floor();
                }
            }
            None => Vec::new(),
        };
        let title_line_px = (title_px * t.line_height.min(1.4)).round();
        // What to do and whom to call: above the footer on every page, whole. The body and the
        // QR code make room for them, never the other way round; only when they would take more
        // than half the page are they set smaller (down to the footer's size).
        let room = footer.y - header.bottom();
        let paragraphs: Vec<String> = notice
            .map(aside_paragraphs)
            .unwrap_or_default()
            .iter()
            .map(|p| self.printable(p))
            .collect();
        let mut aside_px = t.body_px;
        let (aside_lines, aside_line_px, aside_h) = loop {
            let line_px = (aside_px * t.line_height.min(1.4)).round();
            let mut lines = Vec::new();
            for paragraph in &paragraphs {
                let (chars, broken) =
                    self.break_lines(paragraph, aside_px, false, w - 2.0 * margin, 0.0);
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
            if height <= room * 0.5 || aside_px * 0.92 < t.footer() {
                break (lines, line_px, height);
            }
            aside_px = (aside_px * 0.92).floor();
        };
        let aside = Rect::new(margin, footer.y - aside_h, w - 2.0 * margin, aside_h);
        let bottom = aside.y;
        let title_top = header.bottom() + (margin * 0.6).round();
        let rule_y = title_top + title_lines.len() as f32 * title_line_px + (margin * 0.3).round();
        let body_top = rule_y + (margin * 0.5).round();
        let mut body = Rect::new(
            margin,
            body_top,
            w - 2.0 * margin,
            bottom - body_top - (margin * 0.3).round(),
        );
        let caption = (t.footer() * 1.6).round();
        // The body keeps at least three lines: where it would not, the QR code gives way.
        let min_body = 3.0 * (t.body_px * t.line_height).round();
        let without_qr = body;
        // A phone reads a code from about ten times its side: on a panel of known size the code
        // is at least 150 mm, to scan from 1.5 m, within what the page can give it.
        // Drawn with whole pixels a module, so the side is rounded up to whole modules.
        let modules = notice
            .and_then(|n| n.url.as_deref())
            .and_then(|url| qr_image(url, Rgba::BLACK, Rgba::WHITE))
            .map_or(1.0, |image| image.width as f32);
        let scannable = playlist.px_per_mm().map_or(0.0, |per_mm| {
            (QR_SCAN_MM * per_mm / modules).ceil() * modules
        });
        let mut qr = notice.and_then(|n| n.url.as_ref()).map(|_| {
            if portrait {
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
                let column = side.max(self.fonts.width(QR_CAPTION, t.footer(), false).ceil());
                let qr = Rect::new(
                    (w - margin - (column + side) / 2.0).round(),
                    bottom - side - caption - (margin * 0.2).round(),
                    side,
                    side,
                );
                body.w -= column + (margin * 0.6).round();
                qr
            }
        });
        if body.h < min_body || qr.is_some_and(|q| q.w < h * 0.1) {
            body = without_qr;
            qr = None;
        }
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
            aside,
            aside_lines,
            aside_px,
            aside_line_px,
        }
    }

    /// Lays out a notice's body into pages of a paper-like page (a TV's, a terminal's).
    pub(super) fn paper_pages(
        &mut self,
        playlist: &Playlist,
        paper: &Paper,
        notice: &Notice,
    ) -> Vec<Page> {
        let playlist = &*dressed(playlist, notice);
        let t = &playlist.typography;
        let areas = self.areas(playlist, paper, Some(notice));
        let line_px = (t.body_px * t.line_height).round();
        let pages = self.pack_body(&notice.body, t.body_px, line_px, areas.body.w, areas.body.h);
        let title_chars = count_chars(&notice.title);
        pages
            .into_iter()
            .enumerate()
            .map(|(i, lines)| {
                let body_chars: usize = lines.iter().map(|l| count_chars(&l.text)).sum();
                let chars = body_chars + if i == 0 { title_chars } else { 0 };
                Page {
                    lines,
                    closing: None,
                    chars,
                    motion_s: None,
                }
            })
            .collect()
    }

    /// The frame for `scene` on a paper-like page (a TV's, a terminal's rotation).
    pub(super) fn compose_paper(
        &mut self,
        playlist: &Playlist,
        paper: &Paper,
        scene: &Scene,
    ) -> Frame {
        let (w, h) = (playlist.screen.width, playlist.screen.height);
        let theme = Theme::for_palette(playlist.screen.palette);
        match scene {
            Scene::Standby => Frame::blank(w, h, Rgba::BLACK),
            Scene::Blackout { now } => {
                self.compose_empty(playlist, paper, &theme, *now, &[], Some(BLACKOUT), None)
            }
            Scene::Empty {
                now,
                ticker,
                waiting,
            } => self.compose_empty(playlist, paper, &theme, *now, ticker, None, *waiting),
            Scene::Notice {
                notice,
                paged,
                page,
                now,
                ticker,
                ..
            } => self.compose_page(playlist, paper, notice, paged, *page, *now, ticker),
        }
    }

    pub(super) fn block(
        role: Role,
        px: f32,
        line_px: f32,
        bold: bool,
        color: Rgba,
        clip: Rect,
        lines: Vec<TextLine>,
    ) -> TextBlock {
        TextBlock {
            role,
            px,
            line_px,
            bold,
            bitmap: false,
            color,
            clip,
            lines,
            motion: None,
        }
    }

    /// A line running right to left through `band`, placed where it is at `now`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn running(
        &mut self,
        role: Role,
        px: f32,
        bold: bool,
        color: Rgba,
        band: Rect,
        text: String,
        since: Timestamp,
        step: Step,
        now: Timestamp,
    ) -> TextBlock {
        let width = self.fonts.width_for(&text, px, bold, self.bitmap);
        let motion = Motion {
            right: band.right(),
            offset_px: 0.0,
            since,
            step,
            cycle_px: (width + band.w).ceil() as f64,
        };
        let line = TextLine {
            text,
            x: motion.x_at(now),
            y: band.y,
            justify_px: 0.0,
        };
        TextBlock {
            motion: Some(motion),
            bitmap: self.bitmap,
            ..Self::block(role, px, band.h, bold, color, band, vec![line])
        }
    }

    pub(super) fn line(text: String, x: f32, y: f32) -> TextLine {
        TextLine {
            text,
            x: x.round(),
            y: y.round(),
            justify_px: 0.0,
        }
    }

    pub(super) fn header(
        &mut self,
        playlist: &Playlist,
        theme: &Theme,
        (band_rect, margin): (Rect, f32),
        right: &[String],
        emergency: bool,
        frame: &mut Frame,
    ) {
        let px = playlist.typography.header();
        let band = if emergency {
            theme.emergency_band
        } else {
            theme.header_band
        };
        let color = if emergency {
            theme.emergency_text
        } else {
            theme.header_text
        };
        frame.fills.push(Fill {
            rect: band_rect,
            color: band,
        });
        let line_px = band_rect.h;
        let name = self.printable(&playlist.name);
        // At the right, the longest of `right` that fits beside the name.
        let room = frame.width as f32 - 2.0 * margin - self.fonts.width(&name, px, true) - px;
        let right = self.first_fitting(right, px, false, room);
        let right_w = self.fonts.width(&right, px, false);
        let full = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
        frame.blocks.push(Self::block(
            Role::Header,
            px,
            line_px,
            true,
            color,
            full,
            vec![Self::line(name, margin, 0.0)],
        ));
        frame.blocks.push(Self::block(
            Role::Header,
            px,
            line_px,
            false,
            color,
            full,
            vec![Self::line(
                right,
                frame.width as f32 - margin - right_w,
                0.0,
            )],
        ));
    }

    fn ticker(
        &mut self,
        playlist: &Playlist,
        theme: &Theme,
        areas: &Areas,
        now: Timestamp,
        items: &[String],
        frame: &mut Frame,
    ) {
        let (Some(band), Some(text)) = (areas.ticker, ticker_text(playlist, items)) else {
            return;
        };
        let px = playlist.typography.ticker();
        let text = self.printable(&text);
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
        let block = self.running(
            Role::Ticker,
            px,
            false,
            theme.ticker_text,
            band,
            text,
            midnight,
            speed,
            now,
        );
        frame.blocks.push(block);
    }

    #[allow(clippy::too_many_arguments)]
    fn compose_page(
        &mut self,
        playlist: &Playlist,
        paper: &Paper,
        notice: &Notice,
        paged: &Paged,
        page: usize,
        now: Timestamp,
        items: &[String],
    ) -> Frame {
        // An emergency: the whole page in its level's colour, larger type.
        let theme = &match notice.warning() {
            Some(level) => Theme::warning(playlist.screen.palette, level),
            None => Theme::for_palette(playlist.screen.palette),
        };
        let playlist = &*dressed(playlist, notice);
        let t = &playlist.typography;
        let areas = self.areas(playlist, paper, Some(notice));
        let mut frame = Frame::blank(
            playlist.screen.width,
            playlist.screen.height,
            theme.background,
        );
        let full = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
        let emergency = notice.priority == Priority::Emergency;
        let label = notice
            .warning_label()
            .unwrap_or_else(|| notice.category.label());
        let date = date_label(now);
        let right = [
            format!("{label}　{date}　星期{}", weekday(beijing(now))),
            format!("{label}　{date}"),
            label.to_string(),
        ];
        self.header(
            playlist,
            theme,
            (areas.header, areas.margin),
            &right,
            emergency,
            &mut frame,
        );

        // Title, centred, every page: a passer-by arriving on page 3 still knows what it is.
        let mut lines = Vec::new();
        for (i, text) in areas.title_lines.iter().enumerate() {
            let width = self.fonts.width(text, areas.title_px, true);
            let x = (frame.width as f32 - width) / 2.0;
            lines.push(Self::line(
                text.clone(),
                x,
                areas.title_top + i as f32 * areas.title_line_px,
            ));
        }
        frame.blocks.push(Self::block(
            Role::Title,
            areas.title_px,
            areas.title_line_px,
            true,
            theme.title,
            full,
            lines,
        ));
        let rule_h = (t.body_px / 24.0).round().max(2.0);
        frame.fills.push(Fill {
            rect: Rect::new(
                areas.margin,
                areas.rule_y,
                frame.width as f32 - 2.0 * areas.margin,
                rule_h,
            ),
            color: theme.rule,
        });

        // Body: its lines by kind, each kind a block of its own (a heading 一、 in bold).
        let page = page.min(paged.pages.len().saturating_sub(1));
        let line_px = (t.body_px * t.line_height).round();
        let body_lines: &[BodyLine] = paged.pages.get(page).map_or(&[], |p| &p.lines);
        for (role, bold, wanted) in [
            (Role::Body, false, LineKind::Text),
            (Role::Addressee, false, LineKind::Addressee),
            (Role::Heading, true, LineKind::Heading { level: 1 }),
            (Role::Heading, false, LineKind::Heading { level: 2 }),
            (Role::Heading, false, LineKind::Heading { level: 3 }),
            (Role::Signature, false, LineKind::Signature),
        ] {
            let lines: Vec<TextLine> = body_lines
                .iter()
                .filter(|l| l.kind == wanted)
                .map(|l| TextLine {
                    text: l.text.clone(),
                    x: (areas.body.x + l.dx).round(),
                    y: (areas.body.y + l.dy).round(),
                    justify_px: l.justify_px,
                })
                .collect();
            // The plain body is always there (an empty block on a page of headings only).
            if lines.is_empty() && role != Role::Body {
                continue;
            }
            frame.blocks.push(Self::block(
                role, t.body_px, line_px, bold, theme.body, full, lines,
            ));
        }

        // The closing page of a notice cut short: a QR code as large as the body allows, to be
        // scanned from a few metres, and what it leads to.
        let closing = paged.pages.get(page).and_then(|p| p.closing);
        let mut closing_area = None;
        if let (Some(left_out), Some(url)) = (closing, notice.url.as_ref())
            && let Some(image) = qr_image(url, theme.qr_dark, theme.qr_light)
        {
            let px = t.body_px;
            let line = (px * 1.5).round();
            let room = (areas.body.h - 2.0 * line).min(frame.width as f32 * 0.5);
            // Centred on the page: the column of the small code is empty here.
            let content = Rect::new(
                areas.margin,
                areas.body.y,
                frame.width as f32 - 2.0 * areas.margin,
                areas.body.h,
            );
            let top = Rect::new(content.x, content.y, content.w, room);
            let side = place_qr(&mut frame, image, top, false).w;
            let note = format!("{CLOSING_CAPTION}（屏幕上略去后 {left_out} 页）");
            let nw = self.fonts.width(&note, px, true);
            closing_area = Some(Rect::new(
                content.x,
                content.y,
                content.w,
                side + (line * 1.3).round(),
            ));
            frame.blocks.push(Self::block(
                Role::Caption,
                px,
                line,
                true,
                theme.body,
                full,
                vec![Self::line(
                    note,
                    content.x + (content.w - nw) / 2.0,
                    areas.body.y + side + (line * 0.3).round(),
                )],
            ));
        }

        // QR code and its caption (beside the text; on the closing page the large one is enough).
        if closing.is_none()
            && let (Some(rect), Some(url)) = (areas.qr, notice.url.as_ref())
            && let Some(image) = qr_image(url, theme.qr_dark, theme.qr_light)
        {
            place_qr(&mut frame, image, rect, true);
            let caption = QR_CAPTION.to_string();
            let px = t.footer();
            let cw = self.fonts.width(&caption, px, false);
            frame.blocks.push(Self::block(
                Role::Caption,
                px,
                (px * 1.6).round(),
                false,
                theme.footer_text,
                full,
                vec![Self::line(
                    caption,
                    rect.x + (rect.w - cw) / 2.0,
                    rect.bottom(),
                )],
            ));
        }

        // Footer: who issued it, its number and date; the page count.
        let px = t.footer();
        frame.fills.push(Fill {
            rect: Rect::new(
                areas.margin,
                areas.footer.y,
                frame.width as f32 - 2.0 * areas.margin,
                (rule_h / 2.0).max(1.0),
            ),
            color: theme.rule,
        });
        let mut footer = Vec::new();
        let mut room = frame.width as f32 - 2.0 * areas.margin;
        if paged.pages.len() > 1 {
            let count = format!("第 {}/{} 页", page + 1, paged.pages.len());
            let cw = self.fonts.width(&count, px, false);
            room -= cw + px;
            footer.push(Self::line(
                count,
                frame.width as f32 - areas.margin - cw,
                areas.footer.y,
            ));
        }
        // Issuer, number and date if they fit beside the page count; the issuer at least.
        let issuer = self.printable(&notice.issuer);
        let number = notice.doc_number.as_deref().map(|d| self.printable(d));
        let date = date_label(notice.published_at);
        let mut candidates = Vec::new();
        if let Some(number) = &number {
            candidates.push(format!("{issuer}　{number}　{date}"));
            candidates.push(format!("{issuer}　{number}"));
        } else {
            candidates.push(format!("{issuer}　{date}"));
        }
        candidates.push(issuer);
        let left = self.first_fitting(&candidates, px, false, room);
        footer.insert(0, Self::line(left, areas.margin, areas.footer.y));
        frame.blocks.push(Self::block(
            Role::Footer,
            px,
            areas.footer.h,
            false,
            theme.footer_text,
            full,
            footer,
        ));
        self.aside(playlist, theme, &areas, &mut frame);
        self.ticker(playlist, theme, &areas, now, items, &mut frame);
        let title = Rect::new(
            areas.margin,
            areas.title_top,
            frame.width as f32 - 2.0 * areas.margin,
            areas.title_lines.len() as f32 * areas.title_line_px,
        );
        let caption = (t.footer() * 1.6).round();
        let mut named = vec![
            ("header", Some(areas.header)),
            ("title", Some(title)),
            ("body", closing_area.is_none().then_some(areas.body)),
            (
                "aside",
                (!areas.aside_lines.is_empty()).then_some(areas.aside),
            ),
            (
                "qr",
                closing_area.or_else(|| {
                    areas.qr.filter(|_| notice.url.is_some()).map(|q| {
                        let column =
                            q.w.max(self.fonts.width(QR_CAPTION, t.footer(), false).ceil());
                        Rect::new(q.x + (q.w - column) / 2.0, q.y, column, q.h + caption)
                    })
                }),
            ),
            ("footer", Some(areas.footer)),
        ];
        if ticker_text(playlist, items).is_some() {
            named.push(("ticker", areas.ticker));
        }
        frame.areas = named
            .into_iter()
            .filter_map(|(name, rect)| rect.map(|rect| Area { name, rect }))
            .collect();
        frame
    }

    /// What to do and whom to call, under a rule, above the footer.
    fn aside(&mut self, playlist: &Playlist, theme: &Theme, areas: &Areas, frame: &mut Frame) {
        if areas.aside_lines.is_empty() {
            return;
        }
        let t = &playlist.typography;
        let rule_h = (t.body_px / 24.0).round().max(2.0);
        frame.fills.push(Fill {
            rect: Rect::new(areas.aside.x, areas.aside.y, areas.aside.w, rule_h),
            color: theme.rule,
        });
        let top = areas.aside.y + (areas.margin * 0.3).round();
        let lines = areas
            .aside_lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Self::line(
                    l.clone(),
                    areas.aside.x,
                    top + i as f32 * areas.aside_line_px,
                )
            })
            .collect();
        let full = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
        frame.blocks.push(Self::block(
            Role::Aside,
            areas.aside_px,
            areas.aside_line_px,
            false,
            theme.body,
            full,
            lines,
        ));
    }

    #[allow(clippy::too_many_arguments)]
    fn compose_empty(
        &mut self,
        playlist: &Playlist,
        paper: &Paper,
        theme: &Theme,
        now: Timestamp,
        items: &[String],
        message: Option<&str>,
        waiting: Option<&str>,
    ) -> Frame {
        let t = &playlist.typography;
        let areas = self.areas(playlist, paper, None);
        let mut frame = Frame::blank(
            playlist.screen.width,
            playlist.screen.height,
            theme.background,
        );
        let full = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
        let right = [
            format!("{}　星期{}", date_label(now), weekday(beijing(now))),
            date_label(now),
        ];
        self.header(
            playlist,
            theme,
            (areas.header, areas.margin),
            &right,
            false,
            &mut frame,
        );
        let text = match (message, waiting) {
            (Some(message), _) => message,
            (None, Some(_)) => "正在获取公告，请稍候",
            (None, None) => "暂无需要公示的信息",
        }
        .to_string();
        let width = self.fonts.width(&text, t.title_px, true);
        let y = (frame.height as f32 - t.title_px * 1.4) / 2.0;
        frame.blocks.push(Self::block(
            Role::Message,
            t.title_px,
            (t.title_px * 1.4).round(),
            true,
            theme.title,
            full,
            vec![Self::line(text, (frame.width as f32 - width) / 2.0, y)],
        ));
        if let Some(id) = waiting {
            // The installer reads this off the screen when calling the office.
            let px = t.footer();
            let text = format!("屏幕编号 {id}");
            let width = self.fonts.width(&text, px, false);
            frame.blocks.push(Self::block(
                Role::Message,
                px,
                (px * 1.6).round(),
                false,
                theme.footer_text,
                full,
                vec![Self::line(
                    text,
                    (frame.width as f32 - width) / 2.0,
                    y + t.title_px * 2.0,
                )],
            ));
        }
        self.ticker(playlist, theme, &areas, now, items, &mut frame);
        frame
    }
}

/// Draws a QR code as large as fits in `room`, on whole pixels a module (sharp and scannable),
/// centred across `room` and, if `middle`, down it too (else at its top). Returns where it went.
pub(super) fn place_qr(
    frame: &mut Frame,
    image: super::frame::Image,
    room: Rect,
    middle: bool,
) -> Rect {
    let scale = (room.w.min(room.h) / image.width as f32).floor().max(1.0);
    let side = scale * image.width as f32;
    let y = if middle {
        (room.y + (room.h - side) / 2.0).round()
    } else {
        room.y
    };
    let rect = Rect::new((room.x + (room.w - side) / 2.0).round(), y, side, side);
    frame.images.push(ImageBox {
        rect,
        image: std::sync::Arc::new(image),
        nearest: true,
    });
    rect
}

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

/// The playlist as an emergency is set on a paper-like page: the title 1.3 times and the body
/// 1.15 times their normal size, the header, footer and ticker unchanged.
pub fn dressed<'p>(playlist: &'p Playlist, notice: &Notice) -> std::borrow::Cow<'p, Playlist> {
    if notice.priority != Priority::Emergency {
        return std::borrow::Cow::Borrowed(playlist);
    }
    let mut p = playlist.clone();
    let t = &mut p.typography;
    t.header_px = Some(t.header());
    t.footer_px = Some(t.footer());
    t.ticker_px = Some(t.ticker());
    t.title_px = (t.title_px * EMERGENCY_TITLE).round();
    t.body_px = (t.body_px * EMERGENCY_BODY).round();
    std::borrow::Cow::Owned(p)
}

/// How much larger an emergency's title and body are set.
pub const EMERGENCY_TITLE: f32 = 1.3;
pub const EMERGENCY_BODY: f32 = 1.15;

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

trait SecondsOfDay {
    fn num_seconds_from_midnight_f64(&self) -> f64;
}

impl SecondsOfDay for Timestamp {
    fn num_seconds_from_midnight_f64(&self) -> f64 {
        use chrono::Timelike;
        self.num_seconds_from_midnight() as f64 + self.nanosecond() as f64 / 1e9
    }
}
