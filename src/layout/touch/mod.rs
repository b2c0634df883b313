//! The touch terminal's own screens: home, a category's list, a notice, its QR code, and the
//! idle countdown over any of them. Each is a `Frame` plus the named targets a finger can hit.
//!
//! Everything is sized in millimetres of the panel (`Touch::diagonal_in`): targets at least
//! 20 mm with at least 4 mm between them, body text at least 6 mm (9 mm in large type), so the
//! same playlist reads the same on a 21.5" and a 43" panel.
//!
//! This file holds the sizes and the two entry points (`pages`, `compose`); `screens` draws each
//! screen out of the pieces in `widgets`.

use serde::Serialize;

mod screens;
mod widgets;

use super::body::{Heights, Source, pack_body};
use super::fonts::Fonts;
use std::sync::Arc;

use super::frame::{Frame, Image, Rect, Rgba};
use super::measure::{balanced_lines, printable};
use super::page::{BodyPage, aside_paragraphs, date_label, weekday};
use super::parts::header;
use super::theme::Theme;
pub use crate::model::target::{Button, TargetName};
use crate::model::{Category, Notice, Playlist, Priority, Timestamp, Touch, beijing};
use screens::{countdown, figure_screen, home_screen, list_screen, notice_screen, qr_screen};
use widgets::bar;

/// Rows on one page of a category's list.
pub const ROWS_PER_PAGE: usize = 6;
/// The smallest touch target and the smallest gap between two, in millimetres.
pub const TARGET_MM: f32 = 20.0;
pub const GAP_MM: f32 = 4.0;
/// The smallest body text, normal and large, in millimetres.
pub const BODY_MM: f32 = 6.0;
pub const LARGE_BODY_MM: f32 = 9.0;
/// How much larger 大字 makes the type.
pub const LARGE_SCALE: f32 = 1.5;

/// A place a finger can hit, in page pixels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub name: TargetName,
    pub rect: Rect,
}

/// What one touch screen shows.
pub enum TouchScene<'a> {
    Home {
        /// Current emergency notices, shown above the categories.
        emergencies: &'a [&'a Notice],
        /// Every category with its number of current notices.
        categories: &'a [(Category, usize)],
    },
    List {
        category: Category,
        /// The rows of this page.
        notices: &'a [&'a Notice],
        page: usize,
        pages: usize,
    },
    Notice {
        notice: &'a Notice,
        /// This page of the body (from `touch_pages`).
        body: &'a BodyPage,
        page: usize,
        pages: usize,
        /// Whether 手机看 has an address to show.
        has_qr: bool,
        /// The pixels of the page's figure, when it shows one and they are at hand.
        figure: Option<Arc<Image>>,
    },
    /// Figure `index` of a notice enlarged, moved `pan` steps from its centre.
    Figure {
        notice: &'a Notice,
        index: usize,
        image: Option<Arc<Image>>,
        pan: (i32, i32),
    },
    Qr {
        notice: &'a Notice,
        url: &'a str,
    },
}

pub struct TouchView<'a> {
    pub scene: TouchScene<'a>,
    pub large: bool,
    pub now: Timestamp,
    /// Seconds left before the terminal returns to the rotation, while the countdown runs.
    pub countdown: Option<u32>,
}

/// Sizes in pixels for one panel and type setting.
#[derive(Debug, Clone, Copy)]
pub struct Metrics {
    pub px_per_mm: f32,
    pub target: f32,
    pub gap: f32,
    pub margin: f32,
    pub body_px: f32,
    pub line_px: f32,
    pub title_px: f32,
    pub label_px: f32,
    pub small_px: f32,
    header_h: f32,
    bar_h: f32,
}

impl Metrics {
    pub fn new(playlist: &Playlist, touch: &Touch, large: bool) -> Metrics {
        let t = &playlist.typography;
        let mm = touch.px_per_mm(playlist.screen.width, playlist.screen.height);
        let body = if large {
            (t.body_px * LARGE_SCALE).max(LARGE_BODY_MM * mm)
        } else {
            t.body_px.max(BODY_MM * mm)
        }
        .round();
        // Button labels stay the same size in large type: the bar must not move under a finger.
        let label = t.body_px.max(BODY_MM * mm).round();
        let target = (TARGET_MM * mm).ceil().max(label * 2.0).round();
        // Whole pixels, rounded up: a gap is never a fraction of a pixel short of 4 mm.
        let gap = (GAP_MM * mm * 1.5).ceil().max((label * 0.4).round());
        Metrics {
            px_per_mm: mm,
            target,
            gap,
            margin: (label * 1.0).round().max(gap),
            body_px: body,
            line_px: (body * t.line_height).round(),
            title_px: (t.title_px * if large { 1.25 } else { 1.0 })
                .round()
                .max(body),
            label_px: label,
            small_px: t.footer().max(BODY_MM * mm * 0.8).round(),
            header_h: (t.header() * 2.0).round(),
            bar_h: target + 2.0 * gap,
        }
    }
}

/// The address 手机看 shows for a notice: its own URL, else the service's public page for it.
pub fn qr_url(notice: &Notice, touch: &Touch) -> Option<String> {
    notice.url.clone().or_else(|| {
        touch
            .public_url
            .as_ref()
            .map(|base| format!("{}/{}", base.trim_end_matches('/'), notice.id))
    })
}

/// Colours of the touch screens: the rotation's theme plus buttons and tiles.
struct Colors {
    theme: Theme,
    button: Rgba,
    button_text: Rgba,
    tile: Rgba,
    tile_text: Rgba,
    disabled: Rgba,
    disabled_text: Rgba,
    row: Rgba,
}

impl Colors {
    /// The colours of a screen; an emergency's notice screen is in its level's colours.
    fn new(playlist: &Playlist, warning: Option<crate::model::Level>) -> Colors {
        let theme = match warning {
            Some(level) => Theme::warning(playlist.screen.palette, level),
            None => Theme::for_palette(playlist.screen.palette),
        };
        Colors {
            theme,
            button: theme.header_band,
            button_text: Rgba::WHITE,
            tile: theme.ticker_band,
            tile_text: Rgba::WHITE,
            disabled: Rgba::rgb(0xE4E0D6),
            disabled_text: Rgba::rgb(0x3A3A3A),
            row: Rgba::rgb(0xF1EBDD),
        }
    }
}

/// A frame under construction with its targets.
struct Canvas {
    frame: Frame,
    targets: Vec<Target>,
}

/// The body of `notice` in pages for the touch notice screen (its title takes room on every
/// page, so the title's length matters too).
pub fn pages(
    fonts: &mut Fonts,
    playlist: &Playlist,
    touch: &Touch,
    notice: &Notice,
    large: bool,
) -> Vec<BodyPage> {
    let m = Metrics::new(playlist, touch, large);
    let title = touch_title(fonts, playlist, &m, notice);
    let body = notice_body_rect(playlist, &m, title.len());
    // What to do and whom to call, whole: an emergency's come first, another notice's last;
    // the body's 落款 is found at the body's end all the same.
    let aside = aside_paragraphs(notice);
    let (before, after) = match notice.priority {
        Priority::Emergency => (aside.as_slice(), &[][..]),
        _ => (&[][..], aside.as_slice()),
    };
    let source = Source {
        body: &notice.body,
        issuer: &notice.issuer,
        before,
        after,
    };
    let mut pages = pack_body(
        fonts,
        &source,
        m.body_px,
        m.line_px,
        body.w,
        Heights::all(body.h),
    );
    // Each figure a page of its own after the text; tapped, it opens enlarged.
    pages.extend((0..notice.figures.len()).map(|i| BodyPage {
        figure: Some(i),
        ..BodyPage::default()
    }));
    pages
}

/// The notice's title as its screen sets it: balanced lines across the content, on every page.
fn touch_title(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    notice: &Notice,
) -> Vec<String> {
    let title = printable(fonts, &notice.title);
    let width = playlist.screen.width as f32 - 2.0 * m.margin;
    balanced_lines(fonts, &title, &notice.names(), m.title_px, true, width)
}

/// The line height of titles and headings: tighter than the body's, so two lines of a title
/// read as one.
fn title_line_px(m: &Metrics) -> f32 {
    (m.title_px * 1.35).round()
}

/// The area between the header and the bar.
fn content_rect(playlist: &Playlist, m: &Metrics) -> Rect {
    let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
    let top = m.header_h + m.gap;
    Rect::new(m.margin, top, w - 2.0 * m.margin, h - m.bar_h - top - m.gap)
}

/// The pager row (上一页, 第 n/m 页, 下一页) at the bottom of the content.
fn pager_rect(playlist: &Playlist, m: &Metrics) -> Rect {
    let c = content_rect(playlist, m);
    Rect::new(c.x, c.bottom() - m.target, c.w, m.target)
}

/// The line under a notice's title: issuer, 发文字号 and date, as on the printed notice.
fn meta_line_px(m: &Metrics) -> f32 {
    (m.small_px * 1.5).round()
}

/// The body's area on the notice screen: under the title and the meta line, above the pager.
/// `pages` packs into it and `screens` draws into it, so both must agree.
fn notice_body_rect(playlist: &Playlist, m: &Metrics, title_lines: usize) -> Rect {
    let c = content_rect(playlist, m);
    let top = c.y + title_lines as f32 * title_line_px(m) + meta_line_px(m) + m.gap * 2.0;
    let bottom = pager_rect(playlist, m).y - m.gap;
    Rect::new(c.x, top, c.w, bottom - top)
}

/// The frame and targets of a touch screen.
pub fn compose(
    fonts: &mut Fonts,
    playlist: &Playlist,
    touch: &Touch,
    view: &TouchView,
) -> (Frame, Vec<Target>) {
    let m = Metrics::new(playlist, touch, view.large);
    let warning = match &view.scene {
        TouchScene::Notice { notice, .. } | TouchScene::Figure { notice, .. } => notice.warning(),
        _ => None,
    };
    let colors = Colors::new(playlist, warning);
    let (w, h) = (playlist.screen.width, playlist.screen.height);
    let mut canvas = Canvas {
        frame: Frame::blank(w, h, colors.theme.background),
        targets: Vec::new(),
    };
    let now = view.now;
    let right = [
        format!("{}　星期{}", date_label(now), weekday(beijing(now))),
        date_label(now),
    ];
    let band = Rect::new(0.0, 0.0, w as f32, m.header_h);
    let emergency = match &view.scene {
        TouchScene::Notice { notice, .. } => notice.priority == Priority::Emergency,
        _ => false,
    };
    header(
        fonts,
        playlist,
        &colors.theme,
        (band, m.margin),
        &right,
        emergency,
        &mut canvas.frame,
    );
    let on_notice = match &view.scene {
        TouchScene::Home {
            emergencies,
            categories,
        } => {
            home_screen(
                fonts,
                playlist,
                &m,
                &colors,
                emergencies,
                categories,
                &mut canvas,
            );
            None
        }
        TouchScene::List {
            category,
            notices,
            page,
            pages,
        } => {
            list_screen(
                fonts,
                playlist,
                &m,
                &colors,
                *category,
                notices,
                (*page, *pages),
                &mut canvas,
            );
            None
        }
        TouchScene::Notice {
            notice,
            body,
            page,
            pages,
            has_qr,
            figure,
        } => {
            notice_screen(
                fonts,
                playlist,
                &m,
                &colors,
                (notice, body, figure.as_ref()),
                (*page, *pages),
                &mut canvas,
            );
            Some(*has_qr)
        }
        TouchScene::Figure {
            notice,
            index,
            image,
            pan,
        } => {
            let figure = (*index, image.as_ref(), *pan);
            figure_screen(fonts, playlist, &m, &colors, notice, figure, &mut canvas);
            None
        }
        TouchScene::Qr { notice, url } => {
            qr_screen(fonts, playlist, &m, &colors, notice, url, &mut canvas);
            None
        }
    };
    let at_home = matches!(view.scene, TouchScene::Home { .. });
    bar(
        fonts,
        playlist,
        &m,
        &colors,
        at_home,
        view.large,
        on_notice,
        &mut canvas,
    );
    if let Some(seconds) = view.countdown {
        countdown(fonts, playlist, &m, &colors, seconds, &mut canvas);
    }
    (canvas.frame, canvas.targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::theme::contrast;
    use crate::model::Palette;

    #[test]
    fn every_text_on_the_touch_screens_reaches_seven_to_one() {
        let playlist = crate::model::Playlist::from_toml(
            include_str!("../../../playlists/village-terminal.toml"),
            "village-terminal.toml",
        )
        .unwrap();
        // An emergency's notice screen: in its level's colours, with the same buttons.
        for level in crate::model::Level::ALL {
            let c = Colors::new(&playlist, Some(level));
            let t = c.theme;
            let home_row = Theme::warning(playlist.screen.palette, level);
            for (what, fg, bg) in [
                ("button", c.button_text, c.button),
                ("pressed button", c.tile_text, c.tile),
                ("disabled button", c.disabled_text, c.disabled),
                ("title", t.title, t.background),
                ("body, page count", t.body, t.background),
                ("issuer line, URL", t.footer_text, t.background),
                ("home emergency row", home_row.body, home_row.background),
            ] {
                let ratio = contrast(fg, bg, Palette::Full);
                assert!(ratio >= 7.0, "{level:?} {what}: {ratio:.2}:1");
            }
        }
        let c = Colors::new(&playlist, None);
        let t = c.theme;
        let pairs = [
            ("button", c.button_text, c.button),
            ("pressed button, tile", c.tile_text, c.tile),
            ("disabled button", c.disabled_text, c.disabled),
            ("row title", t.title, c.row),
            ("row date and issuer", t.footer_text, c.row),
            ("home emergency row", t.emergency_text, t.emergency_band),
            ("heading, countdown", t.title, t.background),
            ("body, page count", t.body, t.background),
            ("issuer line, URL", t.footer_text, t.background),
        ];
        for (what, fg, bg) in pairs {
            let ratio = contrast(fg, bg, Palette::Full);
            assert!(ratio >= 7.0, "{what}: {ratio:.2}:1");
        }
    }

    #[test]
    fn target_names_round_trip() {
        for s in [
            "category:policy",
            "category:public_affairs",
            "notice:2026-0153",
            "button:back",
            "button:continue",
        ] {
            let name: TargetName = s.parse().unwrap();
            assert_eq!(name.to_string(), s);
        }
        for bad in ["category:weather", "button:exit", "notice:", "policy", ""] {
            assert!(bad.parse::<TargetName>().is_err(), "{bad}");
        }
    }
}
