//! The LED strip: one or two rows of large type. The title and the body run together as one
//! marquee line; the row above (when the strip has two) holds a fixed label, the category or an
//! emergency's level, lit inverted. Single-colour modules get two colours and the bitmap face.

use super::Template;
use crate::layout::fonts::Fonts;
use crate::layout::frame::{Area, Fill, Frame, Rect, Role, Step, TextBlock};
use crate::layout::measure::{Face, printable};
use crate::layout::page::{BodyLine, LineKind, Page, Paged, Scene, aside_paragraphs, count_chars};
use crate::layout::parts::{block, line, running};
use crate::layout::summary;
use crate::layout::theme::Theme;
use crate::model::table::{self, Block};
use crate::model::{Notice, Playlist, Priority};

/// The LED marquee runs about this many characters of the body: a summary of whole sentences
/// and facts (`layout::summary`), pointing readers to the full text where there is one.
const LED_MAX_CHARS: usize = 240;
/// However long what to do and whom to call are, this much of the description still runs.
const LED_MIN_BODY: usize = 40;
/// A table's rows run one at a time; a longer table says how long it is (and where to read it
/// all, where there is somewhere).
const LED_MAX_TABLE_ROWS: usize = 30;

pub struct Led;

impl Template for Led {
    fn paginate(&self, fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Paged {
        paginate_led(fonts, playlist, notice)
    }

    fn compose(&self, fonts: &mut Fonts, playlist: &Playlist, scene: &Scene) -> Frame {
        let theme = Theme::for_palette(playlist.screen.palette);
        compose_led(fonts, playlist, &theme, scene)
    }

    fn running(&self, playlist: &Playlist) -> Option<Step> {
        Some(led_step(playlist))
    }

    /// A marquee is caught at the moment its text reaches the left edge: a preview that shows
    /// the first words, not an empty band.
    fn preview_elapsed_s(&self, playlist: &Playlist) -> f64 {
        playlist.screen.width as f64 / led_step(playlist).speed() as f64
    }

    fn placed(&self) -> bool {
        true
    }
}

/// How the LED marquee moves: its speed (60 px/s unless given) locked to the refresh.
pub fn led_step(playlist: &Playlist) -> Step {
    let speed = playlist.marquee.as_ref().map_or(60.0, |m| m.speed_px_s);
    Step::locked(speed, playlist.screen.refresh_hz)
}

/// The LED body as one marquee line, summarised to about `max` characters (never cutting a
/// number, a name or a phone); its tables run on pages of their own (`table_pages`).
fn led_body(fonts: &mut Fonts, notice: &Notice, max: usize) -> String {
    printable(fonts, &summary::summarise(notice, max))
}

fn led_one_line(playlist: &Playlist) -> bool {
    let t = &playlist.typography;
    t.title_px + t.body_px > playlist.screen.height as f32
}

fn paginate_led(fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Paged {
    let t = &playlist.typography;
    // The title and the body run together, one line: the row above (if any) holds a label
    // that stays, so nothing on the strip runs out of step with anything else.
    // What to do and whom to call are never cut: the description gives way to them. An
    // emergency's marquee starts with them; another notice's ends with them.
    let aside = printable(fonts, &aside_paragraphs(notice).join("　"));
    let budget = LED_MAX_CHARS
        .saturating_sub(aside.chars().count())
        .max(LED_MIN_BODY);
    let mut body = led_body(fonts, notice, budget);
    // A strip cannot show a drawing: it says there is one, and where to see it if anywhere.
    if !notice.figures.is_empty() {
        let n = notice.figures.len();
        body.push_str(&match notice.url {
            Some(_) => format!("（本公告附图 {n} 幅，请到政务公开网站查看）"),
            None => format!("（本公告附图 {n} 幅，本屏不能显示）"),
        });
    }
    let title = printable(fonts, &notice.title);
    let mut text = match (notice.priority, aside.is_empty()) {
        (_, true) => format!("{title}：{body}"),
        (Priority::Emergency, false) => format!("{aside}　　{title}：{body}"),
        _ => format!("{title}：{body}　　{aside}"),
    };
    // On a one-line strip there is no label row: the level leads the line.
    if let Some(label) = notice.warning_label()
        && led_one_line(playlist)
    {
        text = format!("【{label}】{text}");
    }
    let width = fonts.width_for(&text, t.body_px, false, led_face(playlist).is_bitmap());
    let speed = led_step(playlist).speed() as f64;
    let motion_s = (width as f64 + playlist.screen.width as f64) / speed;
    let mut pages = vec![marquee_page(text, motion_s, None)];
    pages.extend(table_pages(fonts, playlist, notice));
    Paged {
        pages,
        url: notice.url.clone(),
    }
}

/// A page of the strip: one marquee line, running for `motion_s`, under `label`.
fn marquee_page(text: String, motion_s: f64, label: Option<String>) -> Page {
    Page {
        closing: None,
        chars: count_chars(&text),
        lines: vec![BodyLine {
            text,
            dx: 0.0,
            dy: 0.0,
            justify_px: 0.0,
            kind: LineKind::Text,
            cell: None,
        }],
        shades: Vec::new(),
        figure: None,
        label,
        motion_s: Some(motion_s),
    }
}

/// The body's tables on the strip: one row at a time, 表头：值 pairs in the marquee, the table's
/// title on the label row; past `LED_MAX_TABLE_ROWS` rows a page says how many there are and
/// where to read them all.
fn table_pages(fonts: &mut Fonts, playlist: &Playlist, notice: &Notice) -> Vec<Page> {
    let t = &playlist.typography;
    let bitmap = led_face(playlist).is_bitmap();
    let speed = led_step(playlist).speed() as f64;
    let w = playlist.screen.width as f32;
    let more = summary::more(notice);
    let mut pages = Vec::new();
    let mut lead: Option<String> = None;
    for block in table::blocks(&notice.body) {
        let table = match block {
            Block::Text(text) => {
                lead = text
                    .split('\n')
                    .map(str::trim)
                    .rfind(|l| !l.is_empty())
                    .map(Into::into);
                continue;
            }
            Block::Table(table) => table,
        };
        // The table's title: the short line leading into it (拟录用人员名单：), else the
        // notice's title, else its kind, whichever fits the label row.
        let mut candidates: Vec<String> = lead
            .take()
            .map(|l| l.trim_end_matches(['：', ':']).to_string())
            .filter(|l| l.chars().count() <= 20 && !l.ends_with(['。', '；']))
            .into_iter()
            .collect();
        candidates.push(notice.title.clone());
        candidates.push(notice.category.label().to_string());
        let label = candidates
            .iter()
            .map(|c| printable(fonts, c))
            .collect::<Vec<_>>()
            .into_iter()
            .find(|c| fonts.width_for(c, t.title_px, true, bitmap) <= w)
            .unwrap_or_else(|| notice.category.label().to_string());
        let n = table.rows.len();
        for r in 0..n.min(LED_MAX_TABLE_ROWS) {
            let pairs: Vec<String> = table
                .row_pairs(r)
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| {
                    if h.is_empty() {
                        v
                    } else {
                        format!("{h}：{v}")
                    }
                })
                .collect();
            // A row runs as long as a notice's body may (a row of twenty long cells would run
            // for minutes): cut at a pair, never in one, pointing to the full text if any.
            let mut row = String::new();
            for pair in &pairs {
                if row.chars().count() + pair.chars().count() > LED_MAX_CHARS {
                    row.push_str("……");
                    row.push_str(&more.clone().unwrap_or_default());
                    break;
                }
                if !row.is_empty() {
                    row.push('　');
                }
                row.push_str(pair);
            }
            let mut text = format!("（{}/{n}）{row}", r + 1);
            if led_one_line(playlist) {
                text = format!("【{label}】{text}");
            }
            let text = printable(fonts, &text);
            let width = fonts.width_for(&text, t.body_px, false, bitmap);
            let motion_s = (width as f64 + w as f64) / speed;
            pages.push(marquee_page(text, motion_s, Some(label.clone())));
        }
        if n > LED_MAX_TABLE_ROWS {
            let text = format!(
                "本表共 {n} 行，以上为前 {LED_MAX_TABLE_ROWS} 行{}",
                more.clone().unwrap_or_default()
            );
            let width = fonts.width_for(&text, t.body_px, false, bitmap);
            let motion_s = (width as f64 + w as f64) / speed;
            pages.push(marquee_page(text, motion_s, Some(label.clone())));
        }
    }
    pages
}

/// The face of this strip's lines: on single-colour modules (`[screen] bits = 1`) the bitmap
/// face at its sizes, since such a module lights a pixel fully or not at all.
fn led_face(playlist: &Playlist) -> Face {
    if playlist.screen.bits == Some(1) {
        Face::Bitmap
    } else {
        Face::Outline
    }
}

/// The strip's frame; a single-colour one also carries its two colours, which the renderer
/// composites it to.
fn compose_led(fonts: &mut Fonts, playlist: &Playlist, theme: &Theme, scene: &Scene) -> Frame {
    let face = led_face(playlist);
    let mut frame = compose_led_lines(fonts, face, playlist, theme, scene);
    if face.is_bitmap() {
        frame.two_colours = Some((theme.background, theme.title));
    }
    frame
}

fn compose_led_lines(
    fonts: &mut Fonts,
    face: Face,
    playlist: &Playlist,
    theme: &Theme,
    scene: &Scene,
) -> Frame {
    let t = &playlist.typography;
    let (w, h) = (playlist.screen.width as f32, playlist.screen.height as f32);
    let mut frame = Frame::blank(
        playlist.screen.width,
        playlist.screen.height,
        theme.background,
    );
    let speed = led_step(playlist);
    let Scene::Notice {
        notice,
        paged,
        page,
        elapsed_s,
        now,
        ..
    } = scene
    else {
        // Nothing to show: the office's name, still, in the title colour (or, with no feed
        // yet, the screen's id).
        let name = match scene {
            Scene::Empty {
                waiting: Some(id), ..
            } => format!("{id} 等待公告"),
            _ => printable(fonts, &playlist.name),
        };
        let width = fonts.width_for(&name, t.title_px, true, face.is_bitmap());
        let band = Rect::new(0.0, 0.0, w, h);
        frame.blocks.push(TextBlock {
            bitmap: face.is_bitmap(),
            ..block(
                Role::Message,
                t.title_px,
                h,
                true,
                theme.title,
                band,
                vec![line(name, ((w - width) / 2.0).max(0.0), 0.0)],
            )
        });
        return frame;
    };
    let now = *now;
    let since = now - chrono::TimeDelta::microseconds((elapsed_s * 1e6) as i64);
    let color = if notice.priority == Priority::Emergency {
        theme.emergency_text
    } else {
        theme.title
    };
    let shown = paged.pages.get(*page).or(paged.pages.first());
    let marquee = shown
        .and_then(|p| p.lines.first())
        .map(|l| l.text.clone())
        .unwrap_or_default();
    if led_one_line(playlist) {
        let band = Rect::new(0.0, 0.0, w, h);
        frame.areas = vec![Area {
            name: "marquee",
            rect: band,
        }];
        let style = (Role::Marquee, t.body_px, false, theme.body);
        let block = running(fonts, face, style, band, marquee, (since, speed, now));
        frame.blocks.push(block);
        return frame;
    }
    let title_h = (h * t.title_px / (t.title_px + t.body_px)).floor();
    let title_band = Rect::new(0.0, 0.0, w, title_h);
    let body_band = Rect::new(0.0, title_h, w, h - title_h);
    frame.areas = vec![
        Area {
            name: "label",
            rect: title_band,
        },
        Area {
            name: "marquee",
            rect: body_band,
        },
    ];
    // The top row: what kind of notice runs below, fixed (a label that ran would read as
    // part of the text).
    let warning = notice.warning_label();
    let table_title = shown.and_then(|p| p.label.as_deref());
    let label = warning
        .or(table_title)
        .unwrap_or_else(|| notice.category.label());
    let label_w = fonts.width_for(label, t.title_px, true, face.is_bitmap());
    // An emergency's label is lit the other way round, dark on a lit row: on a single-colour
    // strip that is what tells it from every other notice.
    let color = if warning.is_some() {
        frame.fills.push(Fill {
            rect: title_band,
            color: theme.led_label(),
        });
        theme.background
    } else {
        color
    };
    let title_block = TextBlock {
        bitmap: face.is_bitmap(),
        ..block(
            Role::Title,
            t.title_px,
            title_h,
            true,
            color,
            title_band,
            vec![line(
                label.to_string(),
                ((w - label_w) / 2.0).max(0.0).floor(),
                0.0,
            )],
        )
    };
    frame.blocks.push(title_block);
    let style = (Role::Marquee, t.body_px, false, theme.body);
    let block = running(fonts, face, style, body_band, marquee, (since, speed, now));
    frame.blocks.push(block);
    frame
}
