//! The pieces the touch screens are built of: text placed or centred and cut to fit, buttons
//! with their targets, the bar of buttons at the bottom and the pager above it.

use super::{Canvas, Colors, Metrics, Target, pager_rect};
use crate::layout::fonts::Fonts;
use crate::layout::frame::{Fill, Rect, Rgba, Role};
use crate::layout::measure::{break_lines, printable};
use crate::layout::parts::{block, line};
use crate::model::Playlist;
use crate::model::target::{Button, TargetName};

/// One line of `text` at `(x, y)`, in a block of its own.
pub(super) fn put_text(
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
    canvas.frame.blocks.push(block(
        role,
        px,
        line_px,
        bold,
        color,
        full,
        vec![line(text, x, y)],
    ));
}

/// `text` centred in `rect`, vertically too.
pub(super) fn centred(
    fonts: &mut Fonts,
    canvas: &mut Canvas,
    rect: Rect,
    (px, bold, color): (f32, bool, Rgba),
    text: &str,
) {
    let text = fit(fonts, text, px, bold, rect.w - px * 0.5);
    let width = fonts.width(&text, px, bold);
    let line_px = (px * 1.35).round();
    let at = (
        rect.x + (rect.w - width) / 2.0,
        rect.y + (rect.h - line_px) / 2.0,
    );
    put_text(canvas, Role::Message, (px, bold, color), text, at);
}

/// The first line of `text` broken at `width` (bold).
pub(super) fn first_line(fonts: &mut Fonts, text: &str, px: f32, width: f32) -> String {
    let (chars, lines) = break_lines(fonts, text, px, true, width, 0.0);
    lines
        .first()
        .map(|l| chars[l.range.clone()].iter().collect())
        .unwrap_or_default()
}

/// `text` cut to fit `width`, ending in an ellipsis when cut: a label never runs out of its
/// button or row.
pub(super) fn fit(fonts: &mut Fonts, text: &str, px: f32, bold: bool, width: f32) -> String {
    let text = printable(fonts, text);
    if fonts.width(&text, px, bold) <= width {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().chain(['…'].iter()).collect();
        if fonts.width(&candidate, px, bold) <= width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    chars[..lo].iter().chain(['…'].iter()).collect()
}

/// A button: a disabled one (no `name`) is drawn greyed and has no target, so a finger on it
/// does nothing; a pressed one (大字 while on) in the tile colours.
#[allow(clippy::too_many_arguments)]
pub(super) fn put_button(
    fonts: &mut Fonts,
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
    centred(fonts, canvas, rect, (m.label_px, true, text), label);
    if let Some(name) = name {
        canvas.targets.push(Target { name, rect });
    }
}

/// `n` equal cells across `row` with `gap` between them.
pub(super) fn cells(row: Rect, n: usize, gap: f32) -> Vec<Rect> {
    let w = ((row.w - gap * (n as f32 - 1.0)) / n as f32).floor();
    (0..n)
        .map(|i| Rect::new((row.x + i as f32 * (w + gap)).round(), row.y, w, row.h))
        .collect()
}

/// The bar of four buttons at the bottom of every touch screen, always in the same place.
#[allow(clippy::too_many_arguments)]
pub(super) fn bar(
    fonts: &mut Fonts,
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
    let cells = cells(row, 4, m.gap);
    let back = (!at_home).then_some(TargetName::Button(Button::Back));
    let home = (!at_home).then_some(TargetName::Button(Button::Home));
    let qr = (on_notice == Some(true)).then_some(TargetName::Button(Button::Qr));
    put_button(fonts, canvas, colors, m, cells[0], "返回", back, false);
    put_button(fonts, canvas, colors, m, cells[1], "首页", home, false);
    let large_button = Some(TargetName::Button(Button::Large));
    put_button(
        fonts,
        canvas,
        colors,
        m,
        cells[2],
        "大字",
        large_button,
        large,
    );
    put_button(fonts, canvas, colors, m, cells[3], "手机看", qr, false);
}

/// 上一页, the page count and 下一页, only when there is more than one page.
pub(super) fn pager(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    colors: &Colors,
    (page, pages): (usize, usize),
    canvas: &mut Canvas,
) {
    if pages <= 1 {
        return;
    }
    let row = pager_rect(playlist, m);
    let cells = cells(row, 3, m.gap);
    let prev = (page > 0).then_some(TargetName::Button(Button::Prev));
    let next = (page + 1 < pages).then_some(TargetName::Button(Button::Next));
    put_button(fonts, canvas, colors, m, cells[0], "上一页", prev, false);
    let count = format!("第 {}/{} 页", page + 1, pages);
    centred(
        fonts,
        canvas,
        cells[1],
        (m.label_px, true, colors.theme.body),
        &count,
    );
    put_button(fonts, canvas, colors, m, cells[2], "下一页", next, false);
}

/// A screen's heading, centred in `c` and cut to fit.
pub(super) fn put_heading(
    fonts: &mut Fonts,
    m: &Metrics,
    colors: &Colors,
    c: Rect,
    text: &str,
    canvas: &mut Canvas,
) {
    let px = m.title_px;
    let text = fit(fonts, text, px, true, c.w);
    let width = fonts.width(&text, px, true);
    put_text(
        canvas,
        Role::Title,
        (px, true, colors.theme.title),
        text,
        (c.x + (c.w - width) / 2.0, c.y),
    );
}
