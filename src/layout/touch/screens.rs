//! The touch screens themselves: home, a category's list, a notice, its QR code, and the idle
//! countdown drawn over any of them.

use std::sync::Arc;

use super::widgets::{cells, centred, first_line, fit, pager, put_button, put_heading, put_text};
use super::{
    Canvas, Colors, Metrics, ROWS_PER_PAGE, Target, content_rect, meta_line_px, notice_body_rect,
};
use super::{pager_rect, title_line_px, touch_title};
use crate::layout::fonts::Fonts;
use crate::layout::frame::{Fill, Image, ImageBox, ImageRole, Rect, Rgba, Role};
use crate::layout::measure::{balanced_lines, first_fitting, printable};
use crate::layout::page::{BodyPage, date_label};
use crate::layout::parts::{self, block, line};
use crate::layout::qr::qr_image;
use crate::layout::theme::Theme;
use crate::model::target::{Button, TargetName};
use crate::model::{Category, Notice, Playlist};

/// Home: current emergencies first, then a tile per category with how many notices it holds.
pub(super) fn home_screen(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    colors: &Colors,
    emergencies: &[&Notice],
    categories: &[(Category, usize)],
    canvas: &mut Canvas,
) {
    let c = content_rect(playlist, m);
    let mut y = c.y;
    // At most two emergencies here: more would push the categories off the screen. Each
    // title gets up to two lines: a warning cut short is worse than a smaller tile.
    for notice in emergencies.iter().take(2) {
        let px = m.body_px;
        let line_px = (px * 1.35).round();
        let label = notice.warning_label().unwrap_or("紧急通知");
        let text = printable(fonts, &format!("【{label}】{}", notice.title));
        // The row in the warning's own colours.
        let warning = Theme::warning(
            playlist.screen.palette,
            notice.warning().unwrap_or(crate::model::Level::Red),
        );
        let width = c.w - 2.0 * m.gap;
        let mut lines = balanced_lines(fonts, &text, &notice.names(), px, true, width);
        if lines.len() > 2 {
            let rest: String = lines[1..].concat();
            lines = vec![lines[0].clone(), fit(fonts, &rest, px, true, width)];
        }
        let row_h = m.target.max(lines.len() as f32 * line_px + 2.0 * m.gap);
        let rect = Rect::new(c.x, y, c.w, row_h);
        canvas.frame.fills.push(Fill {
            rect,
            color: warning.background,
        });
        let top = rect.y + (rect.h - lines.len() as f32 * line_px) / 2.0;
        for (i, line) in lines.into_iter().enumerate() {
            let w = fonts.width(&line, px, true);
            let at = (rect.x + (rect.w - w) / 2.0, top + i as f32 * line_px);
            let style = (px, true, warning.body);
            put_text(canvas, Role::Message, style, line, at);
        }
        canvas.targets.push(Target {
            name: TargetName::Notice(notice.id.clone()),
            rect,
        });
        y += row_h + m.gap;
    }
    let heading = Rect::new(c.x, y, c.w, title_line_px(m));
    put_heading(fonts, m, colors, heading, "请点击要查看的公开信息", canvas);
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
        let rect = cells(row, 2, m.gap)[i % 2];
        canvas.frame.fills.push(Fill {
            rect,
            color: colors.tile,
        });
        let px = m.title_px;
        let upper = Rect::new(rect.x, rect.y, rect.w, rect.h * 0.55);
        let lower = Rect::new(rect.x, rect.y + rect.h * 0.5, rect.w, rect.h * 0.4);
        centred(
            fonts,
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
        centred(
            fonts,
            canvas,
            lower,
            (m.body_px, false, colors.tile_text),
            &n,
        );
        canvas.targets.push(Target {
            name: TargetName::Category(*category),
            rect,
        });
    }
}

/// One page of a category's list: a row per notice, its title and its date and issuer.
#[allow(clippy::too_many_arguments)]
pub(super) fn list_screen(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    colors: &Colors,
    category: Category,
    notices: &[&Notice],
    (page, pages): (usize, usize),
    canvas: &mut Canvas,
) {
    let c = content_rect(playlist, m);
    let heading = Rect::new(c.x, c.y, c.w, title_line_px(m));
    put_heading(fonts, m, colors, heading, category.full_name(), canvas);
    let top = heading.bottom() + m.gap;
    let bottom = pager_rect(playlist, m).y - m.gap;
    let rows = ROWS_PER_PAGE as f32;
    let row_h = ((bottom - top - m.gap * (rows - 1.0)) / rows).floor();
    if notices.is_empty() {
        let rect = Rect::new(c.x, top, c.w, row_h);
        let color = colors.theme.footer_text;
        centred(fonts, canvas, rect, (m.body_px, false, color), "暂无信息");
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
        let printed = printable(fonts, &title);
        let mut lines = balanced_lines(fonts, &printed, &notice.names(), m.body_px, true, width);
        if !two || lines.len() == 1 {
            lines = vec![fit(fonts, &title, m.body_px, true, width)];
        } else if lines.len() > 2 {
            // Break at full width and cut the rest onto the second line.
            let full = first_line(fonts, &printed, m.body_px, width);
            let rest: String = printed.chars().skip(full.chars().count()).collect();
            lines = vec![full, fit(fonts, &rest, m.body_px, true, width)];
        }
        let block = lines.len() as f32 * title_line + small_line;
        let y = rect.y + ((rect.h - block) / 2.0).max(0.0);
        for (k, line) in lines.iter().enumerate() {
            put_text(
                canvas,
                Role::Title,
                (m.body_px, true, colors.theme.title),
                line.clone(),
                (rect.x + pad, y + k as f32 * title_line),
            );
        }
        let y = y + (lines.len() - 1) as f32 * title_line;
        let issuer = printable(fonts, &notice.issuer);
        let meta = format!("{}　{issuer}", date_label(notice.published_at));
        let meta = fit(fonts, &meta, m.small_px, false, rect.w - 2.0 * pad);
        put_text(
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
    pager(fonts, playlist, m, colors, (page, pages), canvas);
}

/// One page of a notice: its title, who issued it, and this page's body lines (`pages`).
#[allow(clippy::too_many_arguments)]
pub(super) fn notice_screen(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    colors: &Colors,
    (notice, body_page, figure): (&Notice, &BodyPage, Option<&Arc<Image>>),
    (page, pages): (usize, usize),
    canvas: &mut Canvas,
) {
    let c = content_rect(playlist, m);
    let title = touch_title(fonts, playlist, m, notice);
    let full = Rect::new(
        0.0,
        0.0,
        canvas.frame.width as f32,
        canvas.frame.height as f32,
    );
    let title_line = title_line_px(m);
    let mut title_lines = Vec::new();
    for (i, text) in title.iter().enumerate() {
        let width = fonts.width(text, m.title_px, true);
        title_lines.push(line(
            text.clone(),
            c.x + (c.w - width) / 2.0,
            c.y + i as f32 * title_line,
        ));
    }
    canvas.frame.blocks.push(block(
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
    let issuer = printable(fonts, &notice.issuer);
    let date = date_label(notice.published_at);
    let mut candidates = Vec::new();
    if let Some(number) = notice.doc_number.as_deref().map(|d| printable(fonts, d)) {
        candidates.push(format!("{issuer}　{number}　{date}"));
        candidates.push(format!("{issuer}　{number}"));
    }
    candidates.push(format!("{issuer}　{date}"));
    candidates.push(issuer);
    let meta = first_fitting(fonts, &candidates, m.small_px, false, c.w);
    let meta_w = fonts.width(&meta, m.small_px, false);
    canvas.frame.blocks.push(block(
        Role::Footer,
        m.small_px,
        meta_line_px(m),
        false,
        colors.theme.footer_text,
        full,
        vec![line(
            meta,
            c.x + (c.w - meta_w) / 2.0,
            c.y + title.len() as f32 * title_line,
        )],
    ));
    let body = notice_body_rect(playlist, m, title.len());
    canvas.frame.fills.push(Fill {
        rect: Rect::new(
            c.x,
            body.y - m.gap,
            c.w,
            (m.body_px / 24.0).round().max(2.0),
        ),
        color: colors.theme.rule,
    });
    match body_page.figure {
        Some(index) => figure_in(fonts, m, colors, (notice, index, figure), body, canvas),
        None => {
            let shown = (body_page.lines.as_slice(), body_page.shades.as_slice());
            let size = (m.body_px, m.line_px);
            parts::body_page(&mut canvas.frame, &colors.theme, shown, body, size);
        }
    }
    pager(fonts, playlist, m, colors, (page, pages), canvas);
}

/// A notice's figure on its reader page: fitted into `room` above its caption and a line that
/// says it can be enlarged; the picture is the target that enlarges it.
fn figure_in(
    fonts: &mut Fonts,
    m: &Metrics,
    colors: &Colors,
    (notice, index, image): (&Notice, usize, Option<&Arc<Image>>),
    room: Rect,
    canvas: &mut Canvas,
) {
    let caption = notice.figures[index]
        .caption
        .as_deref()
        .map(|c| printable(fonts, c));
    let line_h = m.line_px;
    let texts = 1.0 + f32::from(caption.is_some());
    let picture = Rect::new(room.x, room.y, room.w, room.h - texts * line_h - m.gap);
    let placed = match image {
        Some(image) => {
            let rect = fitted(image, picture);
            canvas.frame.images.push(ImageBox {
                rect,
                image: image.clone(),
                nearest: false,
                role: ImageRole::Figure,
                asset: Some(notice.figures[index].asset.clone()),
            });
            canvas.targets.push(Target {
                name: TargetName::Button(Button::Zoom),
                rect,
            });
            rect
        }
        None => {
            canvas.frame.fills.push(Fill {
                rect: picture,
                color: colors.row,
            });
            let note = Rect::new(picture.x, picture.y, picture.w, picture.h);
            let color = colors.theme.footer_text;
            centred(
                fonts,
                canvas,
                note,
                (m.body_px, false, color),
                "图片暂未下载",
            );
            picture
        }
    };
    let mut y = placed.bottom() + m.gap;
    if let Some(caption) = caption {
        let r = Rect::new(room.x, y, room.w, line_h);
        centred(
            fonts,
            canvas,
            r,
            (m.body_px, true, colors.theme.body),
            &caption,
        );
        y += line_h;
    }
    if image.is_some() {
        let r = Rect::new(room.x, y, room.w, line_h);
        let hint = "点按图片可放大查看";
        centred(
            fonts,
            canvas,
            r,
            (m.small_px, false, colors.theme.footer_text),
            hint,
        );
    }
}

/// `image` as large as fits in `room`, its shape kept, centred.
fn fitted(image: &Image, room: Rect) -> Rect {
    let scale = (room.w / image.width as f32).min(room.h / image.height as f32);
    let (w, h) = (
        (image.width as f32 * scale).floor(),
        (image.height as f32 * scale).floor(),
    );
    Rect::new(
        (room.x + (room.w - w) / 2.0).round(),
        (room.y + (room.h - h) / 2.0).round(),
        w,
        h,
    )
}

/// How much an enlarged figure is enlarged over the figure fitted to the screen.
const ZOOM: f32 = 2.5;

/// A figure enlarged: its caption as the heading, the part of the picture `pan` steps from its
/// centre filling the content (each step a quarter of what is shown), and four buttons that
/// move it. 返回 (the bar) goes back to the notice.
pub(super) fn figure_screen(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    colors: &Colors,
    notice: &Notice,
    (index, image, pan): (usize, Option<&Arc<Image>>, (i32, i32)),
    canvas: &mut Canvas,
) {
    let c = content_rect(playlist, m);
    let heading = Rect::new(c.x, c.y, c.w, title_line_px(m));
    let figure = &notice.figures[index];
    let title = figure.caption.as_deref().unwrap_or(&notice.title);
    put_heading(fonts, m, colors, heading, title, canvas);
    let arrows = Rect::new(c.x, c.bottom() - m.target, c.w, m.target);
    let view = Rect::new(
        c.x,
        heading.bottom() + m.gap,
        c.w,
        arrows.y - m.gap - heading.bottom() - m.gap,
    );
    let Some(image) = image else {
        let color = colors.theme.footer_text;
        centred(
            fonts,
            canvas,
            view,
            (m.body_px, false, color),
            "图片暂未下载",
        );
        return;
    };
    // The crop of the picture that fills the view at ZOOM times the fitted size.
    let fit = fitted(image, view);
    let scale = fit.w / image.width as f32 * ZOOM;
    let (iw, ih) = (image.width as f32, image.height as f32);
    let (cw, ch) = ((view.w / scale).min(iw), (view.h / scale).min(ih));
    let centre = |size: f32, crop: f32, steps: i32| {
        let c = size / 2.0 + steps as f32 * crop / 4.0;
        (c - crop / 2.0).clamp(0.0, size - crop)
    };
    let (x0, y0) = (centre(iw, cw, pan.0), centre(ih, ch, pan.1));
    let crop = crop(image, (x0 as u32, y0 as u32), (cw as u32, ch as u32));
    let shown = fitted(&crop, view);
    canvas.frame.images.push(ImageBox {
        rect: shown,
        image: Arc::new(crop),
        nearest: false,
        role: ImageRole::Figure,
        asset: Some(figure.asset.clone()),
    });
    let cells = cells(arrows, 4, m.gap);
    let can = |moved: bool, b: Button| moved.then_some(TargetName::Button(b));
    let (left, right) = (x0 > 0.5, x0 + cw < iw - 0.5);
    let (up, down) = (y0 > 0.5, y0 + ch < ih - 0.5);
    for (cell, label, target) in [
        (cells[0], "左移", can(left, Button::Left)),
        (cells[1], "上移", can(up, Button::Up)),
        (cells[2], "下移", can(down, Button::Down)),
        (cells[3], "右移", can(right, Button::Right)),
    ] {
        put_button(fonts, canvas, colors, m, cell, label, target, false);
    }
}

/// The `w` x `h` rectangle of `image` at `(x, y)`, cut to the picture.
fn crop(image: &Image, (x, y): (u32, u32), (w, h): (u32, u32)) -> Image {
    let (x, y) = (x.min(image.width - 1), y.min(image.height - 1));
    let (w, h) = (w.clamp(1, image.width - x), h.clamp(1, image.height - y));
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for row in y..y + h {
        let start = ((row * image.width + x) * 4) as usize;
        rgba.extend_from_slice(&image.rgba[start..start + (w * 4) as usize]);
    }
    Image {
        width: w,
        height: h,
        rgba,
    }
}

/// 手机看: the notice's address as a QR code large enough to scan at arm's length.
pub(super) fn qr_screen(
    fonts: &mut Fonts,
    playlist: &Playlist,
    m: &Metrics,
    colors: &Colors,
    notice: &Notice,
    url: &str,
    canvas: &mut Canvas,
) {
    let c = content_rect(playlist, m);
    let heading = Rect::new(c.x, c.y, c.w, title_line_px(m));
    put_heading(fonts, m, colors, heading, &notice.title, canvas);
    let caption = Rect::new(c.x, heading.bottom() + m.gap, c.w, m.target);
    let color = colors.theme.body;
    centred(
        fonts,
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
        role: ImageRole::Qr,
        asset: None,
    });
    let below = Rect::new(c.x, rect.bottom() + m.gap, c.w, m.target);
    let color = colors.theme.footer_text;
    centred(fonts, canvas, below, (m.small_px, false, color), url);
}

/// The idle countdown over whatever is on screen: only 继续阅读 can be hit.
pub(super) fn countdown(
    fonts: &mut Fonts,
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
    let panel_h = title_line_px(m) * 2.0 + m.target * 1.5 + m.gap * 5.0;
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
    let line = Rect::new(panel.x, panel.y + m.gap, panel.w, title_line_px(m));
    centred(
        fonts,
        canvas,
        line,
        (m.title_px, true, colors.theme.title),
        "您还在阅读吗？",
    );
    let next = Rect::new(panel.x, line.bottom(), panel.w, title_line_px(m));
    let text = format!("{seconds} 秒后返回公告轮播");
    centred(
        fonts,
        canvas,
        next,
        (m.body_px, false, colors.theme.body),
        &text,
    );
    let bw = (panel.w * 0.6).round();
    let button = Rect::new(
        (panel.x + (panel.w - bw) / 2.0).round(),
        (next.bottom() + m.gap).round(),
        bw,
        (m.target * 1.5).round(),
    );
    let name = Some(TargetName::Button(Button::Continue));
    put_button(fonts, canvas, colors, m, button, "继续阅读", name, false);
}
