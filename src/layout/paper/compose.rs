//! The last phase of the paper-like page: one page of a notice (or the empty and blackout
//! pages) drawn into a `Frame`, part by part, in the areas `areas` measured.

use super::areas::{Areas, Place, areas};
use super::ticker::{self, ticker_text};
use super::{CLOSING_CAPTION, Paper, QR_CAPTION, dressed};
use crate::layout::fonts::Fonts;
use std::sync::Arc;

use crate::layout::frame::{Area, Fill, Frame, Image, ImageBox, ImageRole, Rect, Rgba, Role};
use crate::layout::measure::{first_fitting, printable};
use crate::layout::page::{BLACKOUT, Page, Paged, Scene, ShadeKind, date_label, weekday};
use crate::layout::parts::{block, body_page, header, line, place_qr};
use crate::layout::qr::qr_image;
use crate::layout::theme::Theme;
use crate::model::{Notice, Playlist, Priority, Timestamp, beijing};

/// The frame for `scene` on a paper-like page.
pub(super) fn compose(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    scene: &Scene,
) -> Frame {
    let (w, h) = (playlist.screen.width, playlist.screen.height);
    match scene {
        Scene::Standby => Frame::blank(w, h, Rgba::BLACK),
        Scene::Blackout { now } => {
            compose_empty(fonts, playlist, paper, (*now, &[]), (Some(BLACKOUT), None))
        }
        Scene::Empty {
            now,
            ticker,
            waiting,
        } => compose_empty(fonts, playlist, paper, (*now, ticker), (None, *waiting)),
        Scene::Notice {
            notice,
            paged,
            page,
            now,
            ticker,
            figure,
            ..
        } => {
            let showing = Showing {
                notice,
                paged,
                page: *page,
                now: *now,
                ticker,
                figure: figure.as_ref(),
            };
            compose_page(fonts, playlist, paper, &showing)
        }
    }
}

/// Which page of which notice is drawn, at what instant, beside what the ticker runs.
struct Showing<'a> {
    notice: &'a Notice,
    paged: &'a Paged,
    page: usize,
    now: Timestamp,
    ticker: &'a [String],
    figure: Option<&'a Arc<Image>>,
}

/// One paper-like page being drawn: what every part of it reads, and the frame they draw on.
struct Sheet<'a> {
    fonts: &'a mut Fonts,
    /// As the notice dresses it (`dressed`).
    playlist: &'a Playlist,
    theme: &'a Theme,
    areas: &'a Areas,
    frame: Frame,
}

/// A page of a notice, part by part. The order is the frame's order: a later fill lies over an
/// earlier one, so it stays as it is even where parts could be drawn in any order.
fn compose_page(fonts: &mut Fonts, playlist: &Playlist, paper: &Paper, on: &Showing) -> Frame {
    // The address the pagination chose (the residents' page, for a long notice without one).
    let addressed;
    let notice = if on.paged.url != on.notice.url {
        addressed = Notice {
            url: on.paged.url.clone(),
            ..on.notice.clone()
        };
        &addressed
    } else {
        on.notice
    };
    // An emergency: the whole page in its level's colour, larger type.
    let theme = &match notice.warning() {
        Some(level) => Theme::warning(playlist.screen.palette, level),
        None => Theme::for_palette(playlist.screen.palette),
    };
    let playlist = &*dressed(playlist, notice);
    let page = on.page.min(on.paged.pages.len().saturating_sub(1));
    // The last page of text (figures and a closing code come after it).
    let last_text = on
        .paged
        .pages
        .iter()
        .rposition(|p| p.figure.is_none() && p.closing.is_none());
    let place = match page {
        0 => Place::First,
        p if Some(p) == last_text => Place::Last,
        _ => Place::Middle,
    };
    let areas = &areas(fonts, playlist, paper, Some(notice), place);
    let frame = Frame::blank(
        playlist.screen.width,
        playlist.screen.height,
        theme.background,
    );
    let mut sheet = Sheet {
        fonts,
        playlist,
        theme,
        areas,
        frame,
    };
    sheet.header(notice, on.now);
    sheet.title();
    let shown = on.paged.pages.get(page);
    let figure = shown.and_then(|p| p.figure);
    let closing = shown.and_then(|p| p.closing);
    let special = match (figure, closing) {
        // A figure's page: the drawing as large as the page allows, no text, no small code.
        (Some(index), _) => Some(("figure", sheet.figure(notice, index, on.figure))),
        (None, closing) => {
            sheet.body(shown);
            match closing {
                Some(left_out) => sheet.closing_qr(notice, left_out).map(|rect| ("qr", rect)),
                // On the closing page the large code is enough.
                None => {
                    sheet.small_qr(notice);
                    None
                }
            }
        }
    };
    sheet.footer(notice, (page, on.paged.pages.len()));
    sheet.aside();
    let band = (areas.ticker, on.now, on.ticker);
    ticker::draw(sheet.fonts, playlist, theme, band, &mut sheet.frame);
    let ticking = ticker_text(playlist, on.ticker).is_some();
    sheet.name_areas(notice, special, ticking);
    sheet.frame
}

impl Sheet<'_> {
    fn full(&self) -> Rect {
        Rect::new(0.0, 0.0, self.frame.width as f32, self.frame.height as f32)
    }

    /// The width between the margins.
    fn inner_w(&self) -> f32 {
        self.frame.width as f32 - 2.0 * self.areas.margin
    }

    /// The rules under the title and above the aside: thicker with the type, never under 2 px.
    fn rule_h(&self) -> f32 {
        (self.playlist.typography.body_px / 24.0).round().max(2.0)
    }

    /// The office's name, and at the right what kind of notice this is, the date and weekday
    /// as far as they fit.
    fn header(&mut self, notice: &Notice, now: Timestamp) {
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
        let band = (self.areas.header, self.areas.margin);
        let (playlist, theme) = (self.playlist, self.theme);
        header(
            self.fonts,
            playlist,
            theme,
            band,
            &right,
            emergency,
            &mut self.frame,
        );
    }

    /// Title, centred, every page: a passer-by arriving on page 3 still knows what it is. A rule
    /// under it.
    fn title(&mut self) {
        let areas = self.areas;
        let mut lines = Vec::new();
        for (i, text) in areas.title_lines.iter().enumerate() {
            let width = self.fonts.width(text, areas.title_px, true);
            let x = (self.frame.width as f32 - width) / 2.0;
            let y = areas.title_top + i as f32 * areas.title_line_px;
            lines.push(line(text.clone(), x, y));
        }
        let full = self.full();
        self.frame.blocks.push(block(
            Role::Title,
            areas.title_px,
            areas.title_line_px,
            true,
            self.theme.title,
            full,
            lines,
        ));
        let rule = Rect::new(areas.margin, areas.rule_y, self.inner_w(), self.rule_h());
        self.frame.fills.push(Fill {
            rect: rule,
            color: self.theme.rule,
        });
    }

    /// Body: its shades and its lines by kind (`parts::body_page`).
    fn body(&mut self, page: Option<&Page>) {
        let t = &self.playlist.typography;
        let line_px = (t.body_px * t.line_height).round();
        let (lines, shades) = page.map_or((&[][..], &[][..]), |p| {
            (p.lines.as_slice(), p.shades.as_slice())
        });
        let (area, size) = (self.areas.body, (t.body_px, line_px));
        body_page(&mut self.frame, self.theme, (lines, shades), area, size);
    }

    /// The closing page of a notice cut short: a QR code as large as the body allows, to be
    /// scanned from a few metres, and what it leads to. Returns the area it takes, if drawn.
    fn closing_qr(&mut self, notice: &Notice, left_out: usize) -> Option<Rect> {
        let url = notice.url.as_ref()?;
        let image = qr_image(url, self.theme.qr_dark, self.theme.qr_light)?;
        let areas = self.areas;
        let px = self.playlist.typography.body_px;
        let line_px = (px * 1.5).round();
        let room = (areas.body.h - 2.0 * line_px).min(self.frame.width as f32 * 0.5);
        // Centred on the page: the column of the small code is empty here.
        let content = Rect::new(areas.margin, areas.body.y, self.inner_w(), areas.body.h);
        let top = Rect::new(content.x, content.y, content.w, room);
        let side = place_qr(&mut self.frame, image, top, false).w;
        let note = format!("{CLOSING_CAPTION}（屏幕上略去后 {left_out} 页）");
        let nw = self.fonts.width(&note, px, true);
        let full = self.full();
        self.frame.blocks.push(block(
            Role::Caption,
            px,
            line_px,
            true,
            self.theme.body,
            full,
            vec![line(
                note,
                content.x + (content.w - nw) / 2.0,
                areas.body.y + side + (line_px * 0.3).round(),
            )],
        ));
        let height = side + (line_px * 1.3).round();
        Some(Rect::new(content.x, content.y, content.w, height))
    }

    /// The QR code beside (or under) the text, and its caption.
    fn small_qr(&mut self, notice: &Notice) {
        let (Some(rect), Some(url)) = (self.areas.qr, notice.url.as_ref()) else {
            return;
        };
        let Some(image) = qr_image(url, self.theme.qr_dark, self.theme.qr_light) else {
            return;
        };
        place_qr(&mut self.frame, image, rect, true);
        let caption = QR_CAPTION.to_string();
        let px = self.playlist.typography.footer();
        let cw = self.fonts.width(&caption, px, false);
        let full = self.full();
        self.frame.blocks.push(block(
            Role::Caption,
            px,
            (px * 1.6).round(),
            false,
            self.theme.footer_text,
            full,
            vec![line(caption, rect.x + (rect.w - cw) / 2.0, rect.bottom())],
        ));
    }

    /// Footer: who issued it, its number and date; the page count.
    fn footer(&mut self, notice: &Notice, (page, pages): (usize, usize)) {
        let areas = self.areas;
        let px = self.playlist.typography.footer();
        let rule = Rect::new(
            areas.margin,
            areas.footer.y,
            self.inner_w(),
            (self.rule_h() / 2.0).max(1.0),
        );
        self.frame.fills.push(Fill {
            rect: rule,
            color: self.theme.rule,
        });
        let mut footer = Vec::new();
        let mut room = self.inner_w();
        if pages > 1 {
            let count = format!("第 {}/{} 页", page + 1, pages);
            let cw = self.fonts.width(&count, px, false);
            room -= cw + px;
            let x = self.frame.width as f32 - areas.margin - cw;
            footer.push(line(count, x, areas.footer.y));
        }
        // Issuer, number and date if they fit beside the page count; the issuer at least.
        let issuer = printable(self.fonts, &notice.issuer);
        let number = notice
            .doc_number
            .as_deref()
            .map(|d| printable(self.fonts, d));
        let date = date_label(notice.published_at);
        let mut candidates = Vec::new();
        if let Some(number) = &number {
            candidates.push(format!("{issuer}　{number}　{date}"));
            candidates.push(format!("{issuer}　{number}"));
        } else {
            candidates.push(format!("{issuer}　{date}"));
        }
        candidates.push(issuer);
        let left = first_fitting(self.fonts, &candidates, px, false, room);
        footer.insert(0, line(left, areas.margin, areas.footer.y));
        let full = self.full();
        self.frame.blocks.push(block(
            Role::Footer,
            px,
            areas.footer.h,
            false,
            self.theme.footer_text,
            full,
            footer,
        ));
    }

    /// What to do and whom to call, under a rule, above the footer.
    fn aside(&mut self) {
        let areas = self.areas;
        if areas.aside_lines.is_empty() {
            return;
        }
        let rule = Rect::new(areas.aside.x, areas.aside.y, areas.aside.w, self.rule_h());
        self.frame.fills.push(Fill {
            rect: rule,
            color: self.theme.rule,
        });
        let top = areas.aside.y + (areas.margin * 0.3).round();
        let lines = areas
            .aside_lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                line(
                    l.clone(),
                    areas.aside.x,
                    top + i as f32 * areas.aside_line_px,
                )
            })
            .collect();
        let full = self.full();
        self.frame.blocks.push(block(
            Role::Aside,
            areas.aside_px,
            areas.aside_line_px,
            false,
            self.theme.body,
            full,
            lines,
        ));
    }

    /// Figure `index` of `notice` on a page of its own: fitted into the room between the title's
    /// rule and the aside (or footer), however small the file, its caption centred under it.
    /// Without its pixels (a cache that lacks the file), a shaded box says so, never a hole.
    /// Returns the room it took.
    fn figure(&mut self, notice: &Notice, index: usize, image: Option<&Arc<Image>>) -> Rect {
        let areas = self.areas;
        let px = self.playlist.typography.body_px;
        let caption_h = (px * 1.6).round();
        let bottom = if areas.aside_lines.is_empty() {
            areas.footer.y
        } else {
            areas.aside.y
        } - (areas.margin * 0.3).round();
        let room = Rect::new(
            areas.margin,
            areas.body.y,
            self.inner_w(),
            (bottom - areas.body.y).max(caption_h * 2.0),
        );
        let fig = &notice.figures[index];
        let caption = fig.caption.as_deref().map(|c| printable(self.fonts, c));
        let picture = Rect::new(
            room.x,
            room.y,
            room.w,
            room.h - if caption.is_some() { caption_h } else { 0.0 },
        );
        let placed = match image {
            Some(image) => {
                let scale = (picture.w / image.width as f32).min(picture.h / image.height as f32);
                let (w, h) = (
                    (image.width as f32 * scale).floor(),
                    (image.height as f32 * scale).floor(),
                );
                let rect = Rect::new(
                    (picture.x + (picture.w - w) / 2.0).round(),
                    (picture.y + (picture.h - h) / 2.0).round(),
                    w,
                    h,
                );
                self.frame.images.push(ImageBox {
                    rect,
                    image: image.clone(),
                    nearest: false,
                    role: ImageRole::Figure,
                    asset: Some(fig.asset.clone()),
                });
                rect
            }
            None => {
                self.frame.fills.push(Fill {
                    rect: picture,
                    color: self.theme.shade(ShadeKind::Card),
                });
                let note = "图片暂未下载，请稍后查看";
                let w = self.fonts.width(note, px, false);
                let y = picture.y + (picture.h - caption_h) / 2.0;
                let x = picture.x + (picture.w - w) / 2.0;
                let full = self.full();
                let lines = vec![line(note.to_string(), x, y)];
                let color = self.theme.footer_text;
                let note = block(Role::Message, px, caption_h, false, color, full, lines);
                self.frame.blocks.push(note);
                picture
            }
        };
        if let Some(caption) = caption {
            let caption = first_fitting(self.fonts, &[caption], px, true, room.w);
            let w = self.fonts.width(&caption, px, true);
            let full = self.full();
            let lines = vec![line(caption, room.x + (room.w - w) / 2.0, placed.bottom())];
            let color = self.theme.body;
            let block = block(Role::Caption, px, caption_h, true, color, full, lines);
            self.frame.blocks.push(block);
        }
        room
    }

    /// The frame's named areas, for `--lines-json` and the layout tests: what each part took.
    fn name_areas(&mut self, notice: &Notice, special: Option<(&str, Rect)>, ticking: bool) {
        let areas = self.areas;
        let footer_px = self.playlist.typography.footer();
        let title = Rect::new(
            areas.margin,
            areas.title_top,
            self.inner_w(),
            areas.title_lines.len() as f32 * areas.title_line_px,
        );
        let caption = (footer_px * 1.6).round();
        let fonts = &mut *self.fonts;
        let small_qr = || {
            areas.qr.filter(|_| notice.url.is_some()).map(|q| {
                let column = q.w.max(fonts.width(QR_CAPTION, footer_px, false).ceil());
                Rect::new(q.x + (q.w - column) / 2.0, q.y, column, q.h + caption)
            })
        };
        let (closing_area, figure_area) = match special {
            Some(("figure", rect)) => (None, Some(rect)),
            Some((_, rect)) => (Some(rect), None),
            None => (None, None),
        };
        let plain = closing_area.is_none() && figure_area.is_none();
        let mut named = vec![
            ("header", Some(areas.header)),
            ("title", Some(title)),
            ("body", plain.then_some(areas.body)),
            ("figure", figure_area),
            (
                "aside",
                (!areas.aside_lines.is_empty()).then_some(areas.aside),
            ),
            (
                "qr",
                closing_area.or_else(|| figure_area.is_none().then(small_qr).flatten()),
            ),
            ("footer", Some(areas.footer)),
        ];
        if ticking {
            named.push(("ticker", areas.ticker));
        }
        self.frame.areas = named
            .into_iter()
            .filter_map(|(name, rect)| rect.map(|rect| Area { name, rect }))
            .collect();
    }
}

/// A page without a notice: the office's header, a message in the middle (the blackout's, or
/// that there is nothing to show or nothing yet), and the ticker.
fn compose_empty(
    fonts: &mut Fonts,
    playlist: &Playlist,
    paper: &Paper,
    (now, items): (Timestamp, &[String]),
    (message, waiting): (Option<&str>, Option<&str>),
) -> Frame {
    let theme = &Theme::for_palette(playlist.screen.palette);
    let t = &playlist.typography;
    let areas = areas(fonts, playlist, paper, None, Place::First);
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
    let band = (areas.header, areas.margin);
    header(fonts, playlist, theme, band, &right, false, &mut frame);
    let text = match (message, waiting) {
        (Some(message), _) => message,
        (None, Some(_)) => "正在获取公告，请稍候",
        (None, None) => "暂无需要公示的信息",
    }
    .to_string();
    let width = fonts.width(&text, t.title_px, true);
    let y = (frame.height as f32 - t.title_px * 1.4) / 2.0;
    frame.blocks.push(block(
        Role::Message,
        t.title_px,
        (t.title_px * 1.4).round(),
        true,
        theme.title,
        full,
        vec![line(text, (frame.width as f32 - width) / 2.0, y)],
    ));
    if let Some(id) = waiting {
        // The installer reads this off the screen when calling the office.
        let px = t.footer();
        let text = format!("屏幕编号 {id}");
        let width = fonts.width(&text, px, false);
        frame.blocks.push(block(
            Role::Message,
            px,
            (px * 1.6).round(),
            false,
            theme.footer_text,
            full,
            vec![line(
                text,
                (frame.width as f32 - width) / 2.0,
                y + t.title_px * 2.0,
            )],
        ));
    }
    ticker::draw(
        fonts,
        playlist,
        theme,
        (areas.ticker, now, items),
        &mut frame,
    );
    frame
}
