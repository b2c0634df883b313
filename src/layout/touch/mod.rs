//! The touch terminal's own screens: home, a category's list, a notice, its QR code, and the
//! idle countdown over any of them. Each is a `Frame` plus the named targets a finger can hit.
//!
//! Everything is sized in millimetres of the panel (`Touch::diagonal_in`): targets at least
//! 20 mm with at least 4 mm between them, body text at least 6 mm (9 mm in large type), so the
//! same playlist reads the same on a 21.5" and a 43" panel.

use std::sync::Arc;

use serde::Serialize;

use super::frame::{Fill, Frame, ImageBox, Rect, Rgba, Role, TextLine};
use super::page::{BodyLine, Typesetter, date_label, weekday};
use super::qr::qr_image;
use super::theme::Theme;
pub use crate::model::target::{Button, TargetName};
use crate::model::{Category, Notice, Playlist, Priority, Timestamp, Touch, beijing};

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
        /// This page's body lines (from `touch_pages`).
        lines: &'a [BodyLine],
        page: usize,
        pages: usize,
        /// Whether 手机看 has an address to show.
        has_qr: bool,
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

impl Typesetter {
    /// The body of `notice` in pages for the touch notice screen (its title takes room on every
    /// page, so the title's length matters too).
    pub fn touch_pages(
        &mut self,
        playlist: &Playlist,
        touch: &Touch,
        notice: &Notice,
        large: bool,
    ) -> Vec<Vec<BodyLine>> {
        let m = Metrics::new(playlist, touch, large);
        let title = self.touch_title(playlist, &m, notice);
        let body = self.notice_body_rect(playlist, &m, title.len());
        // What to do and whom to call, whole: an emergency's come first, another notice's last.
        let aside = super::page::aside_paragraphs(notice).join("\n\n");
        let text = match (notice.priority, aside.is_empty()) {
            (_, true) => notice.body.clone(),
            (Priority::Emergency, false) => format!("{aside}\n\n{}", notice.body),
            _ => format!("{}\n\n{aside}", notice.body),
        };
        self.pack_body(&text, m.body_px, m.line_px, body.w, body.h)
    }

    fn touch_title(&mut self, playlist: &Playlist, m: &Metrics, notice: &Notice) -> Vec<String> {
        let title = self.printable(&notice.title);
        let width = playlist.screen.width as f32 - 2.0 * m.margin;
        self.balanced_lines(&title, &notice.names(), m.title_px, true, width)
    }

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
        let c = Self::content_rect(playlist, m);
        Rect::new(c.x, c.bottom() - m.target, c.w, m.target)
    }

    /// The line under a notice's title: issuer, 发文字号 and date, as on the printed notice.
    fn meta_line_px(m: &Metrics) -> f32 {
        (m.small_px * 1.5).round()
    }

    fn notice_body_rect(&mut self, playlist: &Playlist, m: &Metrics, title_lines: usize) -> Rect {
        let c = Self::content_rect(playlist, m);
        let top =
            c.y + title_lines as f32 * Self::title_line_px(m) + Self::meta_line_px(m) + m.gap * 2.0;
        let bottom = Self::pager_rect(playlist, m).y - m.gap;
        Rect::new(c.x, top, c.w, bottom - top)
    }

    /// The frame and targets of a touch screen.
    pub fn compose_touch(
        &mut self,
        playlist: &Playlist,
        touch: &Touch,
        view: &TouchView,
    ) -> (Frame, Vec<Target>) {
        let m = Metrics::new(playlist, touch, view.large);
        let warning = match &view.scene {
            TouchScene::Notice { notice, .. } => notice.warning(),
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
        let header = Rect::new(0.0, 0.0, w as f32, m.header_h);
        let emergency = matches!(&view.scene, TouchScene::Notice { notice, .. } if notice.priority == Priority::Emergency);
        self.header(
            playlist,
            &colors.theme,
            (header, m.margin),
            &right,
            emergency,
            &mut canvas.frame,
        );
        let on_notice = match &view.scene {
            TouchScene::Home {
                emergencies,
                categories,
            } => {
                self.home(playlist, &m, &colors, emergencies, categories, &mut canvas);
                None
            }
            TouchScene::List {
                category,
                notices,
                page,
                pages,
            } => {
                self.list(
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
                lines,
                page,
                pages,
                has_qr,
            } => {
                self.notice(
                    playlist,
                    &m,
                    &colors,
                    notice,
                    lines,
                    (*page, *pages),
                    &mut canvas,
                );
                Some(*has_qr)
            }
            TouchScene::Qr { notice, url } => {
                self.qr(playlist, &m, &colors, notice, url, &mut canvas);
                None
            }
        };
        let at_home = matches!(view.scene, TouchScene::Home { .. });
        self.bar(
            playlist,
            &m,
            &colors,
            at_home,
            view.large,
            on_notice,
            &mut canvas,
        );
        if let Some(seconds) = view.countdown {
            self.countdown(playlist, &m, &colors, seconds, &mut canvas);
        }
        (canvas.frame, canvas.targets)
    }

    fn text(
        &mut self,
        canvas: &mut Canvas,
        role: Role,
        (px, bold, color): (f32, bool, Rgba),
        text: String,
        (x, y): (f32, f32),
    ) {
        let full = Rect::new(
            0.0,
            0.0,
            canvas.frame.width as f32,
            canvas.frame.height as f32,
        );
        let line_px = (px * 1.35).round();
        canvas.frame.blocks.push(Self::block(
            role,
            px,
            line_px,
            bold,
            color,
            full,
            vec![Self::line(text, x, y)],
        ));
    }

    /// `text` centred in `rect`, vertically too.
    fn centred(
        &mut self,
        canvas: &mut Canvas,
        rect: Rect,
        (px, bold, color): (f32, bool, Rgba),
        text: &str,
    ) {
        let text = self.fit(text, px, bold, rect.w - px * 0.5);
        let width = self.fonts().width(&text, px, bold);
        let line_px = (px * 1.35).round();
        let at = (
            rect.x + (rect.w - width) / 2.0,
            rect.y + (rect.h - line_px) / 2.0,
        );
        self.text(canvas, Role::Message, (px, bold, color), text, at);
    }

    /// `text` cut to fit `width`, ending in an ellipsis when cut.
    /// The first line of `text` broken at `width` (bold).
    fn first_line(&mut self, text: &str, px: f32, width: f32) -> String {
        let (chars, lines) = self.break_lines(text, px, true, width, 0.0);
        lines
            .first()
            .map(|l| chars[l.range.clone()].iter().collect())
            .unwrap_or_default()
    }

    fn fit(&mut self, text: &str, px: f32, bold: bool, width: f32) -> String {
        let text = self.printable(text);
        if self.fonts().width(&text, px, bold) <= width {
            return text;
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut lo, mut hi) = (0, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
            if self.fonts().width(&candidate, px, bold) <= width {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        chars[..lo].iter().chain(['…'].iter()).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn button(
        &mut self,
        canvas: &mut Canvas,
        colors: &Colors,
        m: &Metrics,
        rect: Rect,
        label: &str,
        name: Option<TargetName>,
        pressed: bool,
    ) {
        let (fill, text) = match (&name, pressed) {
            (None, _) => (colors.disabled, colors.disabled_text),
            (Some(_), true) => (colors.tile, colors.tile_text),
            (Some(_), false) => (colors.button, colors.button_text),
        };
        canvas.frame.fills.push(Fill { rect, color: fill });
        self.centred(canvas, rect, (m.label_px, true, text), label);
        if let Some(name) = name {
            canvas.targets.push(Target { name, rect });
        }
    }

    /// `n` equal cells across `row` with `gap` between them.
    fn cells(row: Rect, n: usize, gap: f32) -> Vec<Rect> {
        let w = ((row.w - gap * (n as f32 - 1.0)) / n as f32).floor();
        (0..n)
            .map(|i| Rect::new((row.x + i as f32 * (w + gap)).round(), row.y, w, row.h))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn bar(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        at_home: bool,
        large: bool,
        on_notice: Option<bool>,
        canvas: &mut Canvas,
    ) {
        let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
        let band = Rect::new(0.0, h - m.bar_h, w, m.bar_h);
        canvas.frame.fills.push(Fill {
            rect: band,
            color: colors.theme.rule,
        });
        let row = Rect::new(m.margin, band.y + m.gap, w - 2.0 * m.margin, m.target);
        let cells = Self::cells(row, 4, m.gap);
        let back = (!at_home).then_some(TargetName::Button(Button::Back));
        let home = (!at_home).then_some(TargetName::Button(Button::Home));
        let qr = (on_notice == Some(true)).then_some(TargetName::Button(Button::Qr));
        self.button(canvas, colors, m, cells[0], "返回", back, false);
        self.button(canvas, colors, m, cells[1], "首页", home, false);
        let large_button = Some(TargetName::Button(Button::Large));
        self.button(canvas, colors, m, cells[2], "大字", large_button, large);
        self.button(canvas, colors, m, cells[3], "手机看", qr, false);
    }

    fn pager(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        (page, pages): (usize, usize),
        canvas: &mut Canvas,
    ) {
        if pages <= 1 {
            return;
        }
        let row = Self::pager_rect(playlist, m);
        let cells = Self::cells(row, 3, m.gap);
        let prev = (page > 0).then_some(TargetName::Button(Button::Prev));
        let next = (page + 1 < pages).then_some(TargetName::Button(Button::Next));
        self.button(canvas, colors, m, cells[0], "上一页", prev, false);
        let count = format!("第 {}/{} 页", page + 1, pages);
        self.centred(
            canvas,
            cells[1],
            (m.label_px, true, colors.theme.body),
            &count,
        );
        self.button(canvas, colors, m, cells[2], "下一页", next, false);
    }

    fn heading(&mut self, m: &Metrics, colors: &Colors, c: Rect, text: &str, canvas: &mut Canvas) {
        let px = m.title_px;
        let text = self.fit(text, px, true, c.w);
        let width = self.fonts().width(&text, px, true);
        self.text(
            canvas,
            Role::Title,
            (px, true, colors.theme.title),
            text,
            (c.x + (c.w - width) / 2.0, c.y),
        );
    }

    fn home(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        emergencies: &[&Notice],
        categories: &[(Category, usize)],
        canvas: &mut Canvas,
    ) {
        let c = Self::content_rect(playlist, m);
        let mut y = c.y;
        // At most two emergencies here: more would push the categories off the screen. Each
        // title gets up to two lines: a warning cut short is worse than a smaller tile.
        for notice in emergencies.iter().take(2) {
            let px = m.body_px;
            let line_px = (px * 1.35).round();
            let label = notice.warning_label().unwrap_or("紧急通知");
            let text = self.printable(&format!("【{label}】{}", notice.title));
            // The row in the warning's own colours.
            let warning = Theme::warning(
                playlist.screen.palette,
                notice.warning().unwrap_or(crate::model::Level::Red),
            );
            let width = c.w - 2.0 * m.gap;
            let mut lines = self.balanced_lines(&text, &notice.names(), px, true, width);
            if lines.len() > 2 {
                let rest: String = lines[1..].concat();
                lines = vec![lines[0].clone(), self.fit(&rest, px, true, width)];
            }
            let row_h = m.target.max(lines.len() as f32 * line_px + 2.0 * m.gap);
            let rect = Rect::new(c.x, y, c.w, row_h);
            canvas.frame.fills.push(Fill {
                rect,
                color: warning.background,
            });
            let top = rect.y + (rect.h - lines.len() as f32 * line_px) / 2.0;
            for (i, line) in lines.into_iter().enumerate() {
                let w = self.fonts().width(&line, px, true);
                let at = (rect.x + (rect.w - w) / 2.0, top + i as f32 * line_px);
                let style = (px, true, warning.body);
                self.text(canvas, Role::Message, style, line, at);
            }
            canvas.targets.push(Target {
                name: TargetName::Notice(notice.id.clone()),
                rect,
            });
            y += row_h + m.gap;
        }
        let heading = Rect::new(c.x, y, c.w, Self::title_line_px(m));
        self.heading(m, colors, heading, "请点击要查看的公开信息", canvas);
        y += heading.h + m.gap;
        let rows = categories.len().div_ceil(2).max(1);
        let tile_h = ((c.bottom() - y - m.gap * (rows as f32 - 1.0)) / rows as f32).floor();
        for (i, (category, count)) in categories.iter().enumerate() {
            let row = Rect::new(
                c.x,
                (y + (i / 2) as f32 * (tile_h + m.gap)).round(),
                c.w,
                tile_h,
            );
            let rect = Self::cells(row, 2, m.gap)[i % 2];
            canvas.frame.fills.push(Fill {
                rect,
                color: colors.tile,
            });
            let px = m.title_px;
            let upper = Rect::new(rect.x, rect.y, rect.w, rect.h * 0.55);
            let lower = Rect::new(rect.x, rect.y + rect.h * 0.5, rect.w, rect.h * 0.4);
            self.centred(
                canvas,
                upper,
                (px, true, colors.tile_text),
                category.label(),
            );
            let n = if *count == 0 {
                "暂无".to_string()
            } else {
                format!("{count} 条")
            };
            self.centred(canvas, lower, (m.body_px, false, colors.tile_text), &n);
            canvas.targets.push(Target {
                name: TargetName::Category(*category),
                rect,
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        category: Category,
        notices: &[&Notice],
        (page, pages): (usize, usize),
        canvas: &mut Canvas,
    ) {
        let c = Self::content_rect(playlist, m);
        let heading = Rect::new(c.x, c.y, c.w, Self::title_line_px(m));
        self.heading(m, colors, heading, category.full_name(), canvas);
        let top = heading.bottom() + m.gap;
        let bottom = Self::pager_rect(playlist, m).y - m.gap;
        let rows = ROWS_PER_PAGE as f32;
        let row_h = ((bottom - top - m.gap * (rows - 1.0)) / rows).floor();
        if notices.is_empty() {
            let rect = Rect::new(c.x, top, c.w, row_h);
            let color = colors.theme.footer_text;
            self.centred(canvas, rect, (m.body_px, false, color), "暂无信息");
        }
        for (i, notice) in notices.iter().enumerate() {
            let rect = Rect::new(c.x, (top + i as f32 * (row_h + m.gap)).round(), c.w, row_h);
            canvas.frame.fills.push(Fill {
                rect,
                color: colors.row,
            });
            let pad = m.gap;
            // An emergency says so in words: red on the row's paper would not reach 7:1.
            let title = match notice.warning_label() {
                Some(label) => format!("【{label}】{}", notice.title),
                None => notice.title.clone(),
            };
            let title_line = (m.body_px * 1.35).round();
            let small_line = (m.small_px * 1.35).round();
            // Up to two title lines where the row has room, the second cut with an ellipsis: a
            // title cut after ten characters rarely says which notice it is.
            let width = rect.w - 2.0 * pad;
            let two = rect.h >= 2.0 * title_line + small_line;
            let printable = self.printable(&title);
            let mut lines =
                self.balanced_lines(&printable, &notice.names(), m.body_px, true, width);
            if !two || lines.len() == 1 {
                lines = vec![self.fit(&title, m.body_px, true, width)];
            } else if lines.len() > 2 {
                // Break at full width and cut the rest onto the second line.
                let full = self.first_line(&printable, m.body_px, width);
                let rest: String = printable.chars().skip(full.chars().count()).collect();
                lines = vec![full, self.fit(&rest, m.body_px, true, width)];
            }
            let block = lines.len() as f32 * title_line + small_line;
            let y = rect.y + ((rect.h - block) / 2.0).max(0.0);
            for (k, line) in lines.iter().enumerate() {
                self.text(
                    canvas,
                    Role::Title,
                    (m.body_px, true, colors.theme.title),
                    line.clone(),
                    (rect.x + pad, y + k as f32 * title_line),
                );
            }
            let y = y + (lines.len() - 1) as f32 * title_line;
            let issuer = self.printable(&notice.issuer);
            let meta = format!("{}　{issuer}", date_label(notice.published_at));
            let meta = self.fit(&meta, m.small_px, false, rect.w - 2.0 * pad);
            self.text(
                canvas,
                Role::Footer,
                (m.small_px, false, colors.theme.footer_text),
                meta,
                (rect.x + pad, y + title_line),
            );
            canvas.targets.push(Target {
                name: TargetName::Notice(notice.id.clone()),
                rect,
            });
        }
        self.pager(playlist, m, colors, (page, pages), canvas);
    }

    #[allow(clippy::too_many_arguments)]
    fn notice(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        notice: &Notice,
        lines: &[BodyLine],
        (page, pages): (usize, usize),
        canvas: &mut Canvas,
    ) {
        let c = Self::content_rect(playlist, m);
        let title = self.touch_title(playlist, m, notice);
        let full = Rect::new(
            0.0,
            0.0,
            canvas.frame.width as f32,
            canvas.frame.height as f32,
        );
        let title_line = Self::title_line_px(m);
        let mut title_lines = Vec::new();
        for (i, text) in title.iter().enumerate() {
            let width = self.fonts().width(text, m.title_px, true);
            title_lines.push(Self::line(
                text.clone(),
                c.x + (c.w - width) / 2.0,
                c.y + i as f32 * title_line,
            ));
        }
        canvas.frame.blocks.push(Self::block(
            Role::Title,
            m.title_px,
            title_line,
            true,
            colors.theme.title,
            full,
            title_lines,
        ));
        // Who issued it, its number and date, on every page: a reader who arrives on page 3
        // still knows whose notice it is.
        let issuer = self.printable(&notice.issuer);
        let date = date_label(notice.published_at);
        let mut candidates = Vec::new();
        if let Some(number) = notice.doc_number.as_deref().map(|d| self.printable(d)) {
            candidates.push(format!("{issuer}　{number}　{date}"));
            candidates.push(format!("{issuer}　{number}"));
        }
        candidates.push(format!("{issuer}　{date}"));
        candidates.push(issuer);
        let meta = self.first_fitting(&candidates, m.small_px, false, c.w);
        let meta_w = self.fonts().width(&meta, m.small_px, false);
        canvas.frame.blocks.push(Self::block(
            Role::Footer,
            m.small_px,
            Self::meta_line_px(m),
            false,
            colors.theme.footer_text,
            full,
            vec![Self::line(
                meta,
                c.x + (c.w - meta_w) / 2.0,
                c.y + title.len() as f32 * title_line,
            )],
        ));
        let body = self.notice_body_rect(playlist, m, title.len());
        canvas.frame.fills.push(Fill {
            rect: Rect::new(
                c.x,
                body.y - m.gap,
                c.w,
                (m.body_px / 24.0).round().max(2.0),
            ),
            color: colors.theme.rule,
        });
        let lines = lines
            .iter()
            .map(|l| TextLine {
                text: l.text.clone(),
                x: (body.x + l.dx).round(),
                y: (body.y + l.dy).round(),
                justify_px: l.justify_px,
            })
            .collect();
        canvas.frame.blocks.push(Self::block(
            Role::Body,
            m.body_px,
            m.line_px,
            false,
            colors.theme.body,
            full,
            lines,
        ));
        self.pager(playlist, m, colors, (page, pages), canvas);
    }

    fn qr(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        notice: &Notice,
        url: &str,
        canvas: &mut Canvas,
    ) {
        let c = Self::content_rect(playlist, m);
        let heading = Rect::new(c.x, c.y, c.w, Self::title_line_px(m));
        self.heading(m, colors, heading, &notice.title, canvas);
        let caption = Rect::new(c.x, heading.bottom() + m.gap, c.w, m.target);
        let color = colors.theme.body;
        self.centred(
            canvas,
            caption,
            (m.body_px, true, color),
            "请用手机扫码，在手机上查看全文",
        );
        let Some(image) = qr_image(url, colors.theme.qr_dark, colors.theme.qr_light) else {
            return;
        };
        let room_top = caption.bottom() + m.gap;
        let room = (c.w * 0.8).min(c.bottom() - room_top - m.target - m.gap);
        // Whole pixels per module keep the code sharp and scannable.
        let scale = (room / image.width as f32).floor().max(1.0);
        let side = scale * image.width as f32;
        let rect = Rect::new(
            (c.x + (c.w - side) / 2.0).round(),
            room_top.round(),
            side,
            side,
        );
        canvas.frame.images.push(ImageBox {
            rect,
            image: Arc::new(image),
            nearest: true,
        });
        let below = Rect::new(c.x, rect.bottom() + m.gap, c.w, m.target);
        let color = colors.theme.footer_text;
        self.centred(canvas, below, (m.small_px, false, color), url);
    }

    /// The idle countdown over whatever is on screen: only 继续阅读 can be hit.
    fn countdown(
        &mut self,
        playlist: &Playlist,
        m: &Metrics,
        colors: &Colors,
        seconds: u32,
        canvas: &mut Canvas,
    ) {
        let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
        canvas.targets.clear();
        canvas.frame.fills.push(Fill {
            rect: Rect::new(0.0, 0.0, w, h),
            color: Rgba([0, 0, 0, 150]),
        });
        let panel_h = Self::title_line_px(m) * 2.0 + m.target * 1.5 + m.gap * 5.0;
        let panel = Rect::new(
            m.margin,
            ((h - panel_h) / 2.0).round(),
            w - 2.0 * m.margin,
            panel_h,
        );
        // Text draws above every fill: the page's text and images go, leaving its dimmed
        // colours behind the panel.
        canvas.frame.blocks.clear();
        canvas.frame.images.clear();
        canvas.frame.fills.push(Fill {
            rect: panel,
            color: colors.theme.background,
        });
        let line = Rect::new(panel.x, panel.y + m.gap, panel.w, Self::title_line_px(m));
        self.centred(
            canvas,
            line,
            (m.title_px, true, colors.theme.title),
            "您还在阅读吗？",
        );
        let next = Rect::new(panel.x, line.bottom(), panel.w, Self::title_line_px(m));
        let text = format!("{seconds} 秒后返回公告轮播");
        self.centred(canvas, next, (m.body_px, false, colors.theme.body), &text);
        let bw = (panel.w * 0.6).round();
        let button = Rect::new(
            (panel.x + (panel.w - bw) / 2.0).round(),
            (next.bottom() + m.gap).round(),
            bw,
            (m.target * 1.5).round(),
        );
        let name = Some(TargetName::Button(Button::Continue));
        self.button(canvas, colors, m, button, "继续阅读", name, false);
    }
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
