//! PDF with hayro (pure Rust, no unsafe): every page rasterised to a PNG about
//! `Limits::page_long_side` pixels on its longer side (captioned `第 N 页`), and the text read
//! through the same interpreter, from each glyph's Unicode (its `ToUnicode` map, glyph name, or
//! for a CJK font the PDF does not embed, its character collection's UCS-2 map), then set back
//! into paragraphs (`lines`) and shaped as a 公文.
//!
//! Fonts the PDF does not embed (other than the 14 standard ones, for which hayro carries
//! substitutes) are the ones hayro asks its font resolver for: each is named in a warning, and
//! drawn with `Options::fallback_font` where one is given, so missing CJK never silently leaves
//! blank characters. Encrypted files open when they need no password (permissions only);
//! otherwise they are refused.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use hayro::hayro_interpret::font::GlyphRun;
use hayro::hayro_interpret::font::{FontData, FontQuery};
use hayro::hayro_interpret::hayro_syntax::page::Page;
use hayro::hayro_interpret::hayro_syntax::{LoadPdfError, Pdf};
use hayro::hayro_interpret::kurbo::{Affine, BezPath, Point, Rect};
use hayro::hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};

use super::error::{Format, ImportError, ImportWarning, Limit};
use super::gongwen::{self, Block};
use super::lines::{self, Glyph};
use super::{DraftImage, Options, Read};

/// The most a small page is enlarged: a business card is not drawn 1600 pixels wide.
const MAX_SCALE: f32 = 4.0;

pub(crate) fn read(bytes: &[u8], options: &Options) -> Result<Read, ImportError> {
    let format = Format::Pdf;
    let limits = &options.limits;
    // Before hayro allocates anything by what the file declares (`pdf_guard`).
    match super::pdf_guard::check(bytes, limits.unpacked_bytes) {
        Ok(()) => {}
        Err(super::pdf_guard::TooMuch::Stream) => {
            return Err(ImportError::TooLarge(Limit::Unpacked {
                max: limits.unpacked_bytes,
            }));
        }
        Err(super::pdf_guard::TooMuch::Image) => {
            return Err(ImportError::damaged(
                format,
                "an image declares more than 100 million pixels",
            ));
        }
    }
    let pdf = Pdf::new(bytes.to_vec()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => ImportError::Encrypted { format },
        LoadPdfError::Invalid => ImportError::damaged(format, "no readable cross-reference table"),
    })?;
    let pages = pdf.pages();
    if pages.len() > limits.pages {
        return Err(ImportError::TooLarge(Limit::Pages {
            pages: pages.len(),
            max: limits.pages,
        }));
    }
    if pages.is_empty() {
        return Err(ImportError::Empty { format });
    }

    let missing = Arc::new(Mutex::new(BTreeSet::new()));
    let settings = settings(options.fallback_font.clone(), missing.clone());
    let mut images = Vec::new();
    let mut warnings = Vec::new();
    let mut blocks = Vec::new();
    let mut chars = 0usize;
    let render_cache = RenderCache::new();
    let text_cache = InterpreterCache::new();
    for (i, page) in pages.iter().enumerate() {
        let number = i + 1;
        // hayro is fuzzed, but a page is hostile input: a panic in it costs that page only.
        let png = catch_unwind(AssertUnwindSafe(|| {
            rasterise(page, &render_cache, &settings, limits.page_long_side)
        }))
        .ok()
        .flatten();
        match png {
            Some(bytes) => images.push(DraftImage {
                bytes,
                media_type: "image/png".into(),
                caption: format!("第 {number} 页"),
            }),
            None => warnings.push(ImportWarning::PageNotDrawn { page: number }),
        }
        let glyphs = catch_unwind(AssertUnwindSafe(|| {
            page_glyphs(
                page,
                &text_cache,
                &settings,
                limits.text_chars.saturating_sub(chars),
            )
        }))
        .unwrap_or_default();
        chars += glyphs.len();
        if chars > limits.text_chars {
            return Err(ImportError::TooLarge(Limit::Text {
                max: limits.text_chars,
            }));
        }
        let width = page.render_dimensions().0;
        let paras = lines::paragraphs(glyphs, width);
        // A page image shows what the page shows: with a resident ID or bank card number on it
        // (a 低保 list, a 拟录用 table) it is not imported, whatever the clerk masks in the
        // text; a mobile number is the text's warning.
        // Spaces go: a PDF sets digits apart as often as not (5 3 0 4 …), and a number split
        // by them is still the number on the picture.
        let text: Vec<char> = paras
            .iter()
            .flat_map(|p| p.text.chars().chain(['\n']))
            .collect();
        let text: String = (0..text.len())
            .filter(|&k| {
                let digit = |j: Option<usize>| {
                    j.and_then(|j| text.get(j))
                        .is_some_and(char::is_ascii_digit)
                };
                !(text[k] == ' ' && digit(k.checked_sub(1)) && digit(Some(k + 1)))
            })
            .map(|k| text[k])
            .collect();
        let personal = crate::model::personal::find(&text)
            .into_iter()
            .any(|f| f.kind != crate::model::personal::PersonalKind::Mobile);
        if personal
            && images
                .last()
                .is_some_and(|i: &DraftImage| i.caption == format!("第 {number} 页"))
        {
            images.pop();
            warnings.push(ImportWarning::ImageSkipped {
                name: format!("第 {number} 页"),
                why: "页面上有居民身份证号码或银行卡号，个人信息不能上公开屏幕；\
                      请遮盖后重新导出 PDF 再导入"
                    .into(),
            });
        }
        blocks.extend(paras.into_iter().map(Block::Para));
    }
    let fonts: Vec<String> = missing
        .lock()
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default();
    if !fonts.is_empty() {
        warnings.push(ImportWarning::FontsNotEmbedded {
            fonts,
            substituted: options.fallback_font.is_some(),
        });
    }
    if blocks.is_empty() {
        warnings.push(ImportWarning::NoText);
    }
    Ok(Read {
        format,
        shaped: gongwen::shape(blocks),
        images,
        warnings,
    })
}

/// The interpreter's settings: the standard fonts hayro carries, and for every other font the
/// PDF does not embed, its name recorded and the fallback font drawn (or hayro's Latin
/// substitute where there is none, which draws no CJK).
fn settings(
    fallback: Option<Arc<Vec<u8>>>,
    missing: Arc<Mutex<BTreeSet<String>>>,
) -> InterpreterSettings {
    let resolver = move |query: &FontQuery| -> Option<(FontData, u32)> {
        match query {
            FontQuery::Standard(standard) => Some(standard.get_font_data()),
            FontQuery::Fallback(wanted) => {
                let name = wanted
                    .post_script_name
                    .clone()
                    .or_else(|| wanted.font_name.clone())
                    .or_else(|| wanted.font_family.clone())
                    .unwrap_or_else(|| "（未命名）".into());
                let name = super::text::field_text(&name);
                if let Ok(mut names) = missing.lock() {
                    names.insert(name);
                }
                match &fallback {
                    Some(bytes) => Some((bytes.clone() as FontData, 0)),
                    None => Some(wanted.pick_standard_font().get_font_data()),
                }
            }
        }
    };
    InterpreterSettings {
        font_resolver: Arc::new(resolver),
        ..InterpreterSettings::default()
    }
}

/// The page as a PNG on white, or `None` where it has no usable size.
fn rasterise<'a>(
    page: &'a Page<'a>,
    cache: &RenderCache<'a>,
    settings: &InterpreterSettings,
    long_side: u32,
) -> Option<Vec<u8>> {
    let (w, h) = page.render_dimensions();
    let longer = w.max(h);
    if !(w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0) {
        return None;
    }
    let scale = (long_side.min(u32::from(u16::MAX)) as f32 / longer).min(MAX_SCALE);
    // A page a thousand times longer than wide would round to no pixels across.
    if w * scale < 1.0 || h * scale < 1.0 {
        return None;
    }
    let pixmap_settings = PixmapSettings {
        x_scale: scale,
        y_scale: scale,
        bg_color: WHITE,
    };
    let pixmap = hayro::render(
        page,
        cache,
        settings,
        &RenderSettings::default(),
        &pixmap_settings,
    );
    let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    if width == 0 || height == 0 {
        return None;
    }
    // On a white background every pixel is opaque: premultiplied RGBA is plain RGBA.
    let rgb: Vec<u8> = pixmap
        .data_as_u8_slice()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().ok()?;
    writer.write_image_data(&rgb).ok()?;
    writer.finish().ok()?;
    Some(out)
}

/// The page's glyphs with their Unicode, in points from the page's top left; at most `max`.
fn page_glyphs<'a>(
    page: &'a Page<'a>,
    cache: &InterpreterCache<'a>,
    settings: &InterpreterSettings,
    max: usize,
) -> Vec<Glyph> {
    let (w, h) = page.render_dimensions();
    let transform = page.initial_transform(true);
    let transform = Affine::new(transform.as_coeffs());
    let bbox = Rect::new(0.0, 0.0, f64::from(w), f64::from(h));
    let mut context = Context::new(transform, bbox, cache, page.xref(), settings.clone());
    let mut sink = TextSink {
        glyphs: Vec::new(),
        max,
    };
    interpret_page(page, &mut context, &mut sink);
    sink.glyphs
}

/// A device that draws nothing and keeps each glyph's text and place.
struct TextSink {
    glyphs: Vec<Glyph>,
    max: usize,
}

impl<'a> Device<'a> for TextSink {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        for glyph in run.glyphs() {
            if self.glyphs.len() > self.max {
                return;
            }
            let Some(unicode) = glyph.as_unicode() else {
                continue;
            };
            let text = match unicode {
                hayro::hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
                hayro::hayro_interpret::hayro_cmap::BfString::String(s) => s,
            };
            let m = props.transform * glyph.transform();
            let origin = m * Point::ZERO;
            let size = (m * Point::new(0.0, 1000.0) - origin).hypot() as f32;
            let width = if text.is_ascii() { size / 2.0 } else { size };
            self.glyphs.push(Glyph {
                x: origin.x as f32,
                y: origin.y as f32,
                size,
                width,
                text,
            });
        }
    }
}
