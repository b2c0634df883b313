//! Pieces of a frame that more than one kind of screen draws: a text block, a line on whole
//! pixels, running text, the header band and a QR code on whole pixels a module.
//!
//! They take what they measure with and where they draw as parameters, so the paper-like page,
//! the LED strip and the touch screens use them without calling back into one another.

use super::fonts::Fonts;
use super::frame::{Fill, Frame, Image, ImageBox, ImageRole, Motion, Rect, Rgba, Role, Step};
use super::frame::{TextBlock, TextLine};
use super::measure::{Face, first_fitting, printable};
use super::page::{BodyLine, LineKind, Shade};
use super::theme::Theme;
use crate::model::{Playlist, Timestamp};

/// A still block of `lines` in the outline face.
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

/// A page of a body drawn in `area` at `px` (lines `line_px` apart): its shades, then its
/// lines, each kind a block of its own in its weight (`LineKind::bold`). The plain body's block
/// is always there, empty on a page of headings only.
pub(super) fn body_page(
    frame: &mut Frame,
    theme: &Theme,
    (lines, shades): (&[BodyLine], &[Shade]),
    area: Rect,
    (px, line_px): (f32, f32),
) {
    for s in shades {
        frame.fills.push(Fill {
            rect: Rect::new(
                (area.x + s.dx).round(),
                (area.y + s.dy).round(),
                s.w.round(),
                s.h.round(),
            ),
            color: theme.shade(s.kind),
        });
    }
    let full = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
    let heading = |level| LineKind::Heading { level };
    let lead = |level| LineKind::Lead { level };
    let kinds = [
        (Role::Body, LineKind::Text),
        (Role::Addressee, LineKind::Addressee),
        (Role::Heading, heading(1)),
        (Role::Heading, heading(2)),
        (Role::Heading, heading(3)),
        (Role::Heading, heading(4)),
        (Role::LeadIn, lead(1)),
        (Role::LeadIn, lead(2)),
        (Role::LeadIn, lead(3)),
        (Role::LeadIn, lead(4)),
        (Role::DocumentTitle, LineKind::DocumentTitle),
        (Role::Signature, LineKind::Signature),
        (Role::TableHeader, LineKind::TableHeader),
        (Role::TableCell, LineKind::TableCell),
    ];
    for (role, wanted) in kinds {
        let lines: Vec<TextLine> = lines
            .iter()
            .filter(|l| l.kind == wanted)
            .map(|l| TextLine {
                text: l.text.clone(),
                x: (area.x + l.dx).round(),
                y: (area.y + l.dy).round(),
                justify_px: l.justify_px,
                cell: l.cell,
            })
            .collect();
        if lines.is_empty() && role != Role::Body {
            continue;
        }
        let block = block(role, px, line_px, wanted.bold(), theme.body, full, lines);
        frame.blocks.push(block);
    }
}

/// A line at whole pixels: text set at a fraction of a pixel blurs on a panel.
pub(super) fn line(text: String, x: f32, y: f32) -> TextLine {
    TextLine {
        text,
        x: x.round(),
        y: y.round(),
        justify_px: 0.0,
        cell: None,
    }
}

/// A line running right to left through `band` in `face`, placed where it is at `now` after
/// running since `since` at `step`.
pub(super) fn running(
    fonts: &mut Fonts,
    face: Face,
    (role, px, bold, color): (Role, f32, bool, Rgba),
    band: Rect,
    text: String,
    (since, step, now): (Timestamp, Step, Timestamp),
) -> TextBlock {
    let width = fonts.width_for(&text, px, bold, face.is_bitmap());
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
        cell: None,
    };
    TextBlock {
        motion: Some(motion),
        bitmap: face.is_bitmap(),
        ..block(role, px, band.h, bold, color, band, vec![line])
    }
}

/// The header band: the office's name at the left, the longest of `right` that fits beside it
/// at the right; an emergency's band in the emergency colours.
pub(super) fn header(
    fonts: &mut Fonts,
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
    let name = printable(fonts, &playlist.name);
    // At the right, the longest of `right` that fits beside the name.
    let room = frame.width as f32 - 2.0 * margin - fonts.width(&name, px, true) - px;
    let right = first_fitting(fonts, right, px, false, room);
    let right_w = fonts.width(&right, px, false);
    let full = Rect::new(0.0, 0.0, frame.width as f32, frame.height as f32);
    frame.blocks.push(block(
        Role::Header,
        px,
        line_px,
        true,
        color,
        full,
        vec![line(name, margin, 0.0)],
    ));
    frame.blocks.push(block(
        Role::Header,
        px,
        line_px,
        false,
        color,
        full,
        vec![line(right, frame.width as f32 - margin - right_w, 0.0)],
    ));
}

/// Draws a QR code as large as fits in `room`, on whole pixels a module (sharp and scannable),
/// centred across `room` and, if `middle`, down it too (else at its top). Returns where it went.
pub(super) fn place_qr(frame: &mut Frame, image: Image, room: Rect, middle: bool) -> Rect {
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
        role: ImageRole::Qr,
        asset: None,
    });
    rect
}
