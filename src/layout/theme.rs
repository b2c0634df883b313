//! Colours per palette, and the contrast rule they must meet.

use super::frame::Rgba;
use super::page::ShadeKind;
use crate::model::{Level, Palette};

/// The colours of one palette. Every text colour reaches 7:1 against what it is drawn on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub palette: Palette,
    pub background: Rgba,
    pub header_band: Rgba,
    pub header_text: Rgba,
    pub emergency_band: Rgba,
    pub emergency_text: Rgba,
    pub title: Rgba,
    pub body: Rgba,
    pub footer_text: Rgba,
    pub rule: Rgba,
    pub ticker_band: Rgba,
    pub ticker_text: Rgba,
    /// QR codes are dark on light whatever the palette, with a light quiet zone.
    pub qr_dark: Rgba,
    pub qr_light: Rgba,
}

impl Theme {
    pub fn for_palette(palette: Palette) -> Theme {
        match palette {
            // A warm paper white, like a printed notice, with the dark red of official headers.
            Palette::Full => Theme {
                palette,
                background: Rgba::rgb(0xFBF8F1),
                header_band: Rgba::rgb(0x9E1B1B),
                header_text: Rgba::WHITE,
                emergency_band: Rgba::rgb(0xB00000),
                emergency_text: Rgba::WHITE,
                title: Rgba::rgb(0x8B1A1A),
                body: Rgba::rgb(0x1F1F1F),
                footer_text: Rgba::rgb(0x4A4A4A),
                rule: Rgba::rgb(0xC9A46A),
                ticker_band: Rgba::rgb(0x1F3A5F),
                ticker_text: Rgba::WHITE,
                qr_dark: Rgba::BLACK,
                qr_light: Rgba::WHITE,
            },
            // Single-colour modules: the only light is full red.
            Palette::Red => Theme {
                palette,
                background: Rgba::BLACK,
                header_band: Rgba::BLACK,
                header_text: Rgba::rgb(0xFF0000),
                emergency_band: Rgba::BLACK,
                emergency_text: Rgba::rgb(0xFF0000),
                title: Rgba::rgb(0xFF0000),
                body: Rgba::rgb(0xFF0000),
                footer_text: Rgba::rgb(0xFF0000),
                rule: Rgba::rgb(0x800000),
                ticker_band: Rgba::BLACK,
                ticker_text: Rgba::rgb(0xFF0000),
                qr_dark: Rgba::BLACK,
                qr_light: Rgba::rgb(0xFF0000),
            },
            // Two-colour modules: red, green and (both lit) yellow.
            Palette::RedGreen => Theme {
                palette,
                background: Rgba::BLACK,
                header_band: Rgba::BLACK,
                header_text: Rgba::rgb(0x00FF00),
                emergency_band: Rgba::BLACK,
                emergency_text: Rgba::rgb(0xFFFF00),
                title: Rgba::rgb(0x00FF00),
                body: Rgba::rgb(0xFFFF00),
                footer_text: Rgba::rgb(0x00FF00),
                rule: Rgba::rgb(0x808000),
                ticker_band: Rgba::BLACK,
                ticker_text: Rgba::rgb(0xFFFF00),
                qr_dark: Rgba::BLACK,
                qr_light: Rgba::rgb(0xFFFF00),
            },
        }
    }

    /// An emergency's page: the whole screen in its level's colour, as the national warning
    /// signals colour it, with dark text on yellow and orange. Single- and two-colour LEDs cannot
    /// show the colour; they keep their theme and say the level in words on a lit label.
    pub fn warning(palette: Palette, level: Level) -> Theme {
        let base = Theme::for_palette(palette);
        if palette != Palette::Full {
            return base;
        }
        // (page, text on the page, band, text on the band, rule)
        let (page, text, band, band_text, rule) = match level {
            Level::Red => (0xB00000, 0xFFFFFF, 0x6E0000, 0xFFFFFF, 0xFFD6D6),
            Level::Orange => (0xFF8000, 0x000000, 0x000000, 0xFF8000, 0x5A2D00),
            Level::Yellow => (0xFFD500, 0x000000, 0x000000, 0xFFD500, 0x5A4B00),
            Level::Blue => (0x0047AB, 0xFFFFFF, 0x00285F, 0xFFFFFF, 0xBFD4F2),
        };
        Theme {
            background: Rgba::rgb(page),
            header_band: Rgba::rgb(band),
            header_text: Rgba::rgb(band_text),
            emergency_band: Rgba::rgb(band),
            emergency_text: Rgba::rgb(band_text),
            title: Rgba::rgb(text),
            body: Rgba::rgb(text),
            footer_text: Rgba::rgb(text),
            rule: Rgba::rgb(rule),
            ticker_band: Rgba::rgb(band),
            ticker_text: Rgba::rgb(band_text),
            ..base
        }
    }

    /// The colour of a shade under body text: a step from the page towards the text, so the
    /// text keeps its contrast on it whatever the palette.
    pub fn shade(&self, kind: ShadeKind) -> Rgba {
        let towards = match kind {
            ShadeKind::Header => 0.16,
            ShadeKind::Stripe | ShadeKind::Card => 0.07,
        };
        let [a, b] = [self.background.0, self.body.0];
        let mix = |i: usize| (a[i] as f32 + (b[i] as f32 - a[i] as f32) * towards).round() as u8;
        Rgba([mix(0), mix(1), mix(2), 255])
    }

    /// The lit colour of an LED's emergency label, which is drawn inverted (dark text on it).
    pub fn led_label(&self) -> Rgba {
        match self.palette {
            Palette::RedGreen => Rgba::rgb(0xFFFF00),
            _ => self.title,
        }
    }

    /// The (text, background) pairs that are drawn, with their names, for the contrast check.
    pub fn text_pairs(&self) -> [(&'static str, Rgba, Rgba); 6] {
        [
            ("header", self.header_text, self.header_band),
            ("emergency", self.emergency_text, self.emergency_band),
            ("title", self.title, self.background),
            ("body", self.body, self.background),
            ("footer", self.footer_text, self.background),
            ("ticker", self.ticker_text, self.ticker_band),
        ]
    }
}

/// An sRGB channel (0-255) as linear light (0-1).
pub fn linear(channel: u8) -> f64 {
    let c = channel as f64 / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

/// Relative luminance as the panel shows it. For full colour this is WCAG 2's formula. A single
/// red module's brightest state is full red, so there luminance is the red channel alone; a
/// red-green module's brightest is yellow, so red and green are weighed as WCAG does and scaled
/// so that yellow is 1. Judging a red LED by how red looks on an RGB monitor would cap every
/// red-only design at 5.25:1 although the panel shows lit on unlit.
pub fn luminance(c: Rgba, palette: Palette) -> f64 {
    let [r, g, b, _] = c.0;
    match palette {
        Palette::Full => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b),
        Palette::Red => linear(r),
        Palette::RedGreen => (0.2126 * linear(r) + 0.7152 * linear(g)) / (0.2126 + 0.7152),
    }
}

/// The contrast ratio, 1:1 to 21:1, of two colours on a panel of `palette`.
pub fn contrast(a: Rgba, b: Rgba, palette: Palette) -> f64 {
    let (la, lb) = (luminance(a, palette), luminance(b, palette));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_colour_reaches_7_to_1() {
        for palette in [Palette::Full, Palette::Red, Palette::RedGreen] {
            let theme = Theme::for_palette(palette);
            for (name, fg, bg) in theme.text_pairs() {
                let ratio = contrast(fg, bg, palette);
                assert!(ratio >= 7.0, "{palette:?} {name}: {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn every_warning_colour_reaches_7_to_1() {
        for palette in [Palette::Full, Palette::Red, Palette::RedGreen] {
            for level in Level::ALL {
                let theme = Theme::warning(palette, level);
                for (name, fg, bg) in theme.text_pairs() {
                    let ratio = contrast(fg, bg, palette);
                    assert!(ratio >= 7.0, "{palette:?} {level:?} {name}: {ratio:.2}:1");
                }
                // The LED's inverted label: unlit text on the lit label.
                let ratio = contrast(theme.background, theme.led_label(), palette);
                assert!(ratio >= 7.0, "{palette:?} {level:?} label: {ratio:.2}:1");
            }
        }
        // Full colour: each level its own page colour, dark text on yellow and orange.
        let pages: Vec<Rgba> = Level::ALL
            .iter()
            .map(|&l| Theme::warning(Palette::Full, l).background)
            .collect();
        for (i, a) in pages.iter().enumerate() {
            assert!(!pages[i + 1..].contains(a), "{pages:?}");
        }
        for level in [Level::Orange, Level::Yellow] {
            assert_eq!(Theme::warning(Palette::Full, level).body, Rgba::BLACK);
        }
    }

    #[test]
    fn wcag_reference_values() {
        let white_on_black = contrast(Rgba::WHITE, Rgba::BLACK, Palette::Full);
        assert!((white_on_black - 21.0).abs() < 1e-9);
        // WCAG's own example: #777 on white is about 4.48:1.
        let grey = contrast(Rgba::rgb(0x777777), Rgba::WHITE, Palette::Full);
        assert!((grey - 4.48).abs() < 0.01, "{grey}");
    }

    #[test]
    fn single_colour_palettes_light_only_their_channels() {
        let red = Theme::for_palette(Palette::Red);
        for (_, fg, bg) in red.text_pairs() {
            assert_eq!((fg.0[1], fg.0[2], bg.0[1], bg.0[2]), (0, 0, 0, 0));
        }
        let rg = Theme::for_palette(Palette::RedGreen);
        for (_, fg, bg) in rg.text_pairs() {
            assert_eq!((fg.0[2], bg.0[2]), (0, 0));
        }
    }
}
