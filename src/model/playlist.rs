//! Playlists: one per screen group, written by staff as TOML (or carried inside the feed as JSON).
//!
//! A playlist says what kind of screen the group is, its size and palette, its type sizes, which
//! categories play in which order, how long pages stay, the ticker and the daily on-hours.
//! Unknown keys are errors: a typo in a published playlist must not be silently ignored.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

use super::category::Category;
use super::error::{Problem, Problems, from_toml_error};
use super::reason::{NameKind, Reason, Unit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScreenKind {
    /// An LED wall fed from a capture rectangle of the desktop: one or two lines of large type.
    Led,
    /// A landscape TV: header, title, body, footer, ticker.
    Tv,
    /// A portrait touch terminal on a village notice board.
    Terminal,
}

impl ScreenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScreenKind::Led => "led",
            ScreenKind::Tv => "tv",
            ScreenKind::Terminal => "terminal",
        }
    }
}

/// The colours a screen can show. LED modules are often single red or red-green only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Palette {
    Full,
    Red,
    RedGreen,
}

/// Where and how large the picture is, in physical pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenSpec {
    pub width: u32,
    pub height: u32,
    /// For LED: the capture rectangle's left edge on the desktop.
    #[serde(default)]
    pub x: i32,
    /// For LED: the capture rectangle's top edge on the desktop.
    #[serde(default)]
    pub y: i32,
    pub palette: Palette,
    /// Degrees (0, 90, 180 or 270) the player turns the picture clockwise on its output: a
    /// portrait panel mounted on its side is driven as a landscape output. `width` and `height`
    /// stay the picture's, as read; touches go through the same turn.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rotation: u16,
    /// How many times a second the display refreshes (60 unless the panel says otherwise):
    /// running text moves the same whole number of pixels every refresh, or one pixel every n
    /// refreshes, so its speed is rounded to the nearest one this rate allows.
    #[serde(
        default = "default_refresh_hz",
        skip_serializing_if = "is_default_refresh"
    )]
    pub refresh_hz: f32,
    /// Bits a pixel: 1 for single-colour LED modules with no grey levels (the frame then holds
    /// exactly two colours, 12 and 16 px text in a bitmap face); absent: the palette's depth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bits: Option<u8>,
    /// The panel's diagonal in inches (TV; a terminal gives it under `[touch]`): QR codes are then
    /// sized in millimetres, to scan from a step or two away, whatever the pixel density.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagonal_in: Option<f32>,
}

fn default_refresh_hz() -> f32 {
    60.0
}

fn is_default_refresh(hz: &f32) -> bool {
    *hz == default_refresh_hz()
}

impl ScreenSpec {
    /// The capture rectangle's corner on the output (LED).
    pub fn origin(&self) -> (i32, i32) {
        (self.x, self.y)
    }
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

/// A touch terminal's interaction settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Touch {
    /// The panel's visible diagonal in inches: touch targets and type are sized in millimetres
    /// from it (targets at least 20 mm, gaps 4 mm, body text 6 mm, 9 mm in large type).
    pub diagonal_in: f32,
    /// Seconds without a touch before the countdown to the rotation starts.
    #[serde(default = "default_idle_s")]
    pub idle_s: u32,
    /// Seconds the countdown (with 继续阅读) lasts before the rotation returns.
    #[serde(default = "default_countdown_s")]
    pub countdown_s: u32,
    /// The service's public notice pages, for 手机看 on a notice without its own URL: the QR
    /// code points at `{public_url}/{notice id}`. Absent: only notices with a URL offer 手机看.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

fn default_idle_s() -> u32 {
    90
}

fn default_countdown_s() -> u32 {
    15
}

impl Touch {
    /// Pixels per millimetre on a `width` x `height` panel (square pixels).
    pub fn px_per_mm(&self, width: u32, height: u32) -> f32 {
        let diagonal_px = (width as f32).hypot(height as f32);
        diagonal_px / (self.diagonal_in * 25.4)
    }
}

/// Type sizes in pixels. Header, footer and ticker sizes default from the body size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypeSizes {
    pub title_px: f32,
    pub body_px: f32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_px: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer_px: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker_px: Option<f32>,
    /// Line height as a multiple of the type size; at least 1.3.
    pub line_height: f32,
}

impl TypeSizes {
    pub fn header(&self) -> f32 {
        self.header_px.unwrap_or((self.body_px * 0.8).round())
    }
    pub fn footer(&self) -> f32 {
        self.footer_px.unwrap_or((self.body_px * 0.7).round())
    }
    pub fn ticker(&self) -> f32 {
        self.ticker_px.unwrap_or((self.body_px * 0.85).round())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Grouped by category in the order listed, newest first within a category.
    Category,
    /// Newest first across all categories.
    Newest,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rotation {
    /// The categories that play. Emergency notices play whatever their category.
    pub categories: Vec<Category>,
    pub order: Order,
    /// TV only: a notice with a QR code shows at most this many pages (default 3), the last one
    /// a closing page with a large code to read the whole text on a phone. A passer-by does not
    /// stand through nine pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<u32>,
}

/// The TV's default `[rotation] max_pages`.
pub const MAX_PAGES: u32 = 3;

/// How long a page stays: `base_s + characters / chars_per_s`, clamped to `[min_s, max_s]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dwell {
    pub base_s: f64,
    /// Reading speed; 2.5 (150 characters a minute) suits elderly readers.
    pub chars_per_s: f64,
    pub min_s: f64,
    pub max_s: f64,
}

/// The band along the bottom that runs urgent titles (and an optional fixed text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ticker {
    pub speed_px_s: f32,
    /// Runs after the urgent titles, e.g. the office's service hotline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionKind {
    /// The next page replaces the last at once.
    Cut,
    /// The next page fades in over the last.
    Fade,
    /// The next page slides in from the right, pushing the last out.
    Slide,
}

/// How one page gives way to the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transition {
    pub kind: TransitionKind,
    /// 0 to 3000 milliseconds.
    pub duration_ms: u32,
}

/// How the LED body runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Marquee {
    /// Whole pixels per second; the marquee advances in whole pixels per frame.
    pub speed_px_s: f32,
}

/// Daily on-hours in Beijing time; `off` before `on` spans midnight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    pub on: ClockTime,
    pub off: ClockTime,
}

/// The longest side of a screen, in pixels (an 8K panel, or a long LED strip).
pub const MAX_SIDE: u32 = 7680;
/// The most pixels a screen may have: two 4K panels' worth.
pub const MAX_PIXELS: u64 = 2 * 3840 * 2160;

/// A time of day, `HH:MM`, in minutes since midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime(pub u16);

impl TryFrom<String> for ClockTime {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let bad = || format!("{s:?} is not a time of day in HH:MM form (00:00 to 23:59)");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if h > 23 || m > 59 {
            return Err(bad());
        }
        Ok(ClockTime(h * 60 + m))
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.to_string()
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl JsonSchema for ClockTime {
    fn schema_name() -> Cow<'static, str> {
        "ClockTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": "A time of day in Beijing time, HH:MM."
        })
    }
}

/// A screen group's playlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Playlist {
    /// The screen group, the same name as the feed's `group`.
    pub group: String,
    /// Shown in the header band, e.g. 青川区政务公开.
    pub name: String,
    pub kind: ScreenKind,
    /// The service's pages for residents (`https://…/n`): a long notice without a web address of
    /// its own gets a QR code of `{public_url}/{id}` on a TV or terminal (the TV then shows its
    /// first pages and a closing code, as for a notice with an address). A terminal's `[touch]`
    /// `public_url` serves when this is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    pub screen: ScreenSpec,
    #[serde(rename = "type")]
    pub typography: TypeSizes,
    pub rotation: Rotation,
    pub dwell: Dwell,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker: Option<Ticker>,
    /// Between pages. Absent: a cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition: Option<Transition>,
    /// LED screens: the body's marquee. Absent: 60 pixels per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marquee: Option<Marquee>,
    /// Absent: on all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Hours>,
    /// Touch terminals: residents browse by touch. Absent: the screen only rotates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub touch: Option<Touch>,
}

impl Playlist {
    /// Pixels a millimetre on the panel, when its size is known (`[screen] diagonal_in`, or a
    /// terminal's `[touch] diagonal_in`).
    pub fn px_per_mm(&self) -> Option<f32> {
        let diagonal = self
            .screen
            .diagonal_in
            .or(self.touch.as_ref().map(|t| t.diagonal_in))?;
        let diagonal_px = (self.screen.width as f32).hypot(self.screen.height as f32);
        Some(diagonal_px / (diagonal * 25.4))
    }

    /// The residents' page of `notice_id` on the service, where the playlist names the service's
    /// public address (`public_url`, else a terminal's `[touch] public_url`).
    pub fn public_page(&self, notice_id: &str) -> Option<String> {
        let base = self
            .public_url
            .as_ref()
            .or(self.touch.as_ref().and_then(|t| t.public_url.as_ref()))?;
        Some(format!("{}/{notice_id}", base.trim_end_matches('/')))
    }

    pub fn from_file(path: &Path) -> Result<Playlist, Problems> {
        let text = super::read_file(path)?;
        Playlist::from_toml(&text, &path.display().to_string())
    }

    /// Parses TOML and validates; `source` names the input in problems.
    pub fn from_toml(text: &str, source: &str) -> Result<Playlist, Problems> {
        let de = toml::Deserializer::parse(text).map_err(|e| {
            Problems::one(Problem::new(
                source,
                "",
                Reason::Syntax(super::error::toml_reason(text, &e)),
            ))
        })?;
        let playlist: Playlist = serde_path_to_error::deserialize(de)
            .map_err(|e| Problems::one(from_toml_error(source, text, e)))?;
        let problems: Vec<Problem> = playlist
            .problems()
            .into_iter()
            .map(|p| Problem::new(source, p.path, p.reason))
            .collect();
        Problems::check(problems)?;
        Ok(playlist)
    }

    /// Everything wrong with this playlist, with paths relative to it and no file name.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |path: &str, reason: Reason| out.push(Problem::new("", path, reason));
        if !super::is_slug(&self.group) {
            bad(
                "group",
                Reason::NotAName {
                    text: self.group.clone(),
                    kind: NameKind::Group,
                },
            );
        }
        if self.name.trim().is_empty() {
            bad("name", Reason::Empty);
        } else if self.name.chars().count() > 60 {
            bad(
                "name",
                Reason::TooLong {
                    chars: self.name.chars().count(),
                    max: 60,
                },
            );
        } else if let Some(c) = self
            .name
            .chars()
            .find(|&c| c.is_control() || super::text::is_invisible_format(c))
        {
            bad("name", Reason::ControlCharacter { code: c as u32 });
        }
        let s = &self.screen;
        if !(16..=MAX_SIDE).contains(&s.width) {
            bad(
                "screen.width",
                Reason::out_of_range(s.width, 16, MAX_SIDE, Unit::None),
            );
        }
        if !(16..=MAX_SIDE).contains(&s.height) {
            bad(
                "screen.height",
                Reason::out_of_range(s.height, 16, MAX_SIDE, Unit::None),
            );
        }
        // Every frame is drawn whole, offscreen too (previews): 16384x16384 took 3.2 GB.
        if (s.width as u64) * (s.height as u64) > MAX_PIXELS {
            bad(
                "screen.width",
                Reason::TooManyPixels {
                    width: s.width,
                    height: s.height,
                    max: MAX_PIXELS,
                },
            );
        }
        if self.kind != ScreenKind::Led && s.palette != Palette::Full {
            bad(
                "screen.palette",
                Reason::PaletteOnlyForLed {
                    palette: format!("{:?}", s.palette),
                },
            );
        }
        let t = &self.typography;
        let sizes = [
            ("type.title_px", Some(t.title_px)),
            ("type.body_px", Some(t.body_px)),
            ("type.header_px", t.header_px),
            ("type.footer_px", t.footer_px),
            ("type.ticker_px", t.ticker_px),
        ];
        for (path, size) in sizes {
            if let Some(px) = size
                && !(8.0..=400.0).contains(&px)
            {
                bad(path, Reason::out_of_range(px, 8, 400, Unit::Pixels));
            }
        }
        if !(1.3..=3.0).contains(&t.line_height) {
            bad(
                "type.line_height",
                Reason::out_of_range(t.line_height, "1.3", "3.0", Unit::LineHeight),
            );
        }
        let min_lines = match self.kind {
            ScreenKind::Led => 1.0,
            _ => 6.0,
        };
        if (t.body_px * t.line_height) as f64 * min_lines > s.height as f64 {
            bad(
                "type.body_px",
                Reason::TooFewLines {
                    px: t.body_px.to_string(),
                    lines: min_lines.to_string(),
                    height: s.height,
                },
            );
        }
        if self.kind == ScreenKind::Led && t.body_px > s.height as f32 {
            bad(
                "type.body_px",
                Reason::ExceedsLedHeight {
                    px: t.body_px.to_string(),
                    height: s.height,
                },
            );
        }
        if self
            .rotation
            .max_pages
            .is_some_and(|m| !(2..=50).contains(&m))
        {
            bad(
                "rotation.max_pages",
                Reason::MaxPagesOutOfRange {
                    pages: self.rotation.max_pages.unwrap_or(0),
                },
            );
        }
        if self.rotation.categories.is_empty() {
            bad("rotation.categories", Reason::NothingToPlay);
        }
        for (i, c) in self.rotation.categories.iter().enumerate() {
            if self.rotation.categories[..i].contains(c) {
                bad(
                    &format!("rotation.categories[{i}]"),
                    Reason::CategoryListedTwice {
                        category: c.as_str().to_string(),
                    },
                );
            }
        }
        let d = &self.dwell;
        if !(0.0..=600.0).contains(&d.base_s) {
            bad(
                "dwell.base_s",
                Reason::out_of_range(d.base_s, 0, 600, Unit::Seconds),
            );
        }
        if !(0.1..=100.0).contains(&d.chars_per_s) {
            bad(
                "dwell.chars_per_s",
                Reason::out_of_range(d.chars_per_s, "0.1", 100, Unit::None),
            );
        }
        if !(1.0..=3600.0).contains(&d.min_s) {
            bad(
                "dwell.min_s",
                Reason::out_of_range(d.min_s, 1, 3600, Unit::Seconds),
            );
        }
        if !(d.min_s..=3600.0).contains(&d.max_s) {
            bad(
                "dwell.max_s",
                Reason::out_of_range(d.max_s, "min_s", 3600, Unit::Seconds),
            );
        }
        if let Some(ticker) = &self.ticker {
            if !(5.0..=2000.0).contains(&ticker.speed_px_s) {
                bad(
                    "ticker.speed_px_s",
                    Reason::out_of_range(ticker.speed_px_s, 5, 2000, Unit::PixelsPerSecond),
                );
            }
            if let Some(text) = &ticker.text
                && text.chars().any(char::is_control)
            {
                bad("ticker.text", Reason::ControlCharacterInText);
            }
        }
        if let Some(transition) = &self.transition
            && transition.duration_ms > 3000
        {
            bad(
                "transition.duration_ms",
                Reason::TransitionTooLong {
                    ms: transition.duration_ms,
                },
            );
        }
        if let Some(marquee) = &self.marquee {
            if self.kind != ScreenKind::Led {
                bad("marquee", Reason::OnlyForLed);
            }
            if !(5.0..=2000.0).contains(&marquee.speed_px_s) {
                bad(
                    "marquee.speed_px_s",
                    Reason::out_of_range(marquee.speed_px_s, 5, 2000, Unit::PixelsPerSecond),
                );
            }
        }
        match s.bits {
            None => {}
            Some(1) if self.kind == ScreenKind::Led && s.palette == Palette::Red => {}
            Some(1) => bad("screen.bits", Reason::BitsOnlyForRed),
            Some(n) => bad("screen.bits", Reason::BitsNotOne { bits: n }),
        }
        if let Some(d) = s.diagonal_in
            && !(7.0..=150.0).contains(&d)
        {
            bad(
                "screen.diagonal_in",
                Reason::NotADiagonal {
                    inches: d.to_string(),
                },
            );
        }
        if !(24.0..=240.0).contains(&s.refresh_hz) {
            bad(
                "screen.refresh_hz",
                Reason::out_of_range(s.refresh_hz, 24, 240, Unit::RefreshesPerSecond),
            );
        }
        if ![0, 90, 180, 270].contains(&s.rotation) {
            bad(
                "screen.rotation",
                Reason::NotARightAngle {
                    degrees: s.rotation,
                },
            );
        }
        if let Some(touch) = &self.touch {
            if self.kind != ScreenKind::Terminal {
                bad("touch", Reason::OnlyForTerminals);
            }
            if !(7.0..=110.0).contains(&touch.diagonal_in) {
                bad(
                    "touch.diagonal_in",
                    Reason::out_of_range(touch.diagonal_in, 7, 110, Unit::Inches),
                );
            }
            if !(10..=3600).contains(&touch.idle_s) {
                bad(
                    "touch.idle_s",
                    Reason::out_of_range(touch.idle_s, 10, 3600, Unit::Seconds),
                );
            }
            if !(5..=120).contains(&touch.countdown_s) {
                bad(
                    "touch.countdown_s",
                    Reason::out_of_range(touch.countdown_s, 5, 120, Unit::Seconds),
                );
            }
            if let Some(url) = &touch.public_url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                bad(
                    "touch.public_url",
                    Reason::NotAnHttpAddress { text: url.clone() },
                );
            }
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            bad("public_url", Reason::NotAnHttpAddress { text: url.clone() });
        }
        if let Some(hours) = &self.hours
            && hours.on == hours.off
        {
            bad(
                "hours.off",
                Reason::EqualsHoursOn {
                    time: hours.off.to_string(),
                },
            );
        }
        out
    }

    /// This playlist laid out for a TV or terminal whose output shows `picture` pixels (in the
    /// picture's orientation, before any turn): the page takes the output's real size, and type
    /// sizes and running speeds scale with the ratio of heights, so the page keeps the
    /// playlist's proportions and is never a stretched image. An LED keeps its size: its sending
    /// card captures a fixed rectangle, pixel for pixel (see `Frame::placed`).
    pub fn fitted_to(&self, picture: (u32, u32)) -> Playlist {
        let (w, h) = picture;
        if self.kind == ScreenKind::Led
            || (w, h) == (self.screen.width, self.screen.height)
            || w < 16
            || h < 16
        {
            return self.clone();
        }
        let (sw, sh) = (self.screen.width as f32, self.screen.height as f32);
        let mut ratio = h as f32 / sh;
        if (w > h) != (sw > sh) {
            // A portrait page on a landscape output (or the other way round) that was not
            // given a `rotation`: the type must still fit across.
            ratio = ratio.min(w as f32 / sw);
        }
        // Whole pixels, within the sizes a playlist may name.
        let px = |v: f32| (v * ratio).round().clamp(8.0, 400.0);
        let mut fitted = self.clone();
        fitted.screen.width = w;
        fitted.screen.height = h;
        let t = &mut fitted.typography;
        // Sizes that default from the body size are named, so they scale from the written ones.
        let (header, footer, ticker) = (t.header(), t.footer(), t.ticker());
        t.title_px = px(t.title_px);
        t.body_px = px(t.body_px);
        t.header_px = Some(px(header));
        t.footer_px = Some(px(footer));
        t.ticker_px = Some(px(ticker));
        if let Some(ticker) = &mut fitted.ticker {
            ticker.speed_px_s = (ticker.speed_px_s * ratio).max(1.0);
        }
        fitted
    }

    /// Whether the screen is on at `minute` (minutes since midnight, Beijing time).
    pub fn is_on_at_minute(&self, minute: u16) -> bool {
        match &self.hours {
            None => true,
            Some(Hours { on, off }) if on.0 < off.0 => (on.0..off.0).contains(&minute),
            Some(Hours { on, off }) => minute >= on.0 || minute < off.0,
        }
    }
}

impl ScreenKind {
    pub const ALL: [ScreenKind; 3] = [ScreenKind::Led, ScreenKind::Tv, ScreenKind::Terminal];

    /// The kind `as_str` names.
    pub fn parse(text: &str) -> Option<ScreenKind> {
        ScreenKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// What the console calls it.
    pub fn zh(self) -> &'static str {
        match self {
            ScreenKind::Led => "LED屏",
            ScreenKind::Tv => "电视屏",
            ScreenKind::Terminal => "触摸屏",
        }
    }
}
