//! The bundled fonts: loaded from `fonts/` into an empty database, never from the system.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use glyphon::FontSystem;
use glyphon::cosmic_text::{Attrs, AttrsList, Family, ShapeLine, Shaping, Weight, fontdb};

/// The one family every screen uses. It covers hanzi well beyond GB2312, Latin and punctuation.
pub const FAMILY: &str = "Noto Sans SC";

/// The bitmap faces for single-colour LED modules (`[screen] bits = 1`), by their one pixel
/// size: pixel squares that come out as the bitmap only at that size (fonts/README.md).
pub const BITMAP_FACES: [(f32, &str); 2] = [
    (12.0, "WenQuanYi Bitmap Song 12px"),
    (16.0, "WenQuanYi Bitmap Song 16px"),
];

#[derive(Debug, thiserror::Error)]
pub enum FontError {
    #[error("font folder {0}: cannot read: {1}")]
    ReadDir(PathBuf, std::io::Error),
    #[error("{0}: not a usable font file (only TTF, OTF and TTC load)")]
    Unusable(PathBuf),
    #[error("font folder {0}: no face of the family \"{FAMILY}\" (see fonts/README.md)")]
    MissingFamily(PathBuf),
    #[error("no font folder found: pass --fonts DIR or set NOTICECAST_FONTS (looked in {0})")]
    NotFound(String),
}

/// The font database and shaping state, plus a cache of which characters the fonts cover.
pub struct Fonts {
    system: FontSystem,
    dir: PathBuf,
    coverage: HashMap<char, bool>,
}

impl Fonts {
    /// Finds the font folder: `explicit`, then `$NOTICECAST_FONTS`, then the installed location
    /// beside the binary (`../share/noticecast/fonts`), then the source tree's `fonts/`.
    pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, FontError> {
        if let Some(dir) = explicit {
            return Ok(dir.to_path_buf());
        }
        if let Some(dir) = std::env::var_os("NOTICECAST_FONTS") {
            return Ok(PathBuf::from(dir));
        }
        let mut candidates = Vec::new();
        if let Ok(exe) = std::env::current_exe()
            && let Some(bin) = exe.parent()
        {
            candidates.push(bin.join("../share/noticecast/fonts"));
        }
        candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
        candidates.push(PathBuf::from("fonts"));
        for dir in &candidates {
            if dir.join("NotoSansSC-Regular.ttf").is_file() {
                return Ok(dir.clone());
            }
        }
        let looked: Vec<String> = candidates.iter().map(|d| d.display().to_string()).collect();
        Err(FontError::NotFound(looked.join(", ")))
    }

    /// Loads every TTF/OTF/TTC in `dir`. Any file that yields no face is an error, and so is a
    /// folder without the `Noto Sans SC` family: drawing with a wrong or missing font would put
    /// empty boxes on a public screen.
    pub fn load(dir: &Path) -> Result<Fonts, FontError> {
        let mut db = fontdb::Database::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| FontError::ReadDir(dir.to_path_buf(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                matches!(ext.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc")
            })
            .collect();
        entries.sort();
        for path in entries {
            let before = db.len();
            if db.load_font_file(&path).is_err() || db.len() == before {
                return Err(FontError::Unusable(path));
            }
        }
        let has_family = db
            .faces()
            .any(|face| face.families.iter().any(|(name, _)| name == FAMILY));
        if !has_family {
            return Err(FontError::MissingFamily(dir.to_path_buf()));
        }
        db.set_sans_serif_family(FAMILY);
        Ok(Fonts {
            system: FontSystem::new_with_locale_and_db("zh-CN".into(), db),
            dir: dir.to_path_buf(),
            coverage: HashMap::new(),
        })
    }

    /// `locate` then `load`.
    pub fn bundled(explicit: Option<&Path>) -> Result<Fonts, FontError> {
        Fonts::load(&Fonts::locate(explicit)?)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn system(&mut self) -> &mut FontSystem {
        &mut self.system
    }

    /// The bitmap face drawn at `px`, if `px` is one of their sizes and the face is bundled.
    pub fn bitmap_family(&self, px: f32) -> Option<&'static str> {
        let (_, family) = BITMAP_FACES.iter().find(|(size, _)| *size == px)?;
        self.system
            .db()
            .faces()
            .any(|f| f.families.iter().any(|(name, _)| name == family))
            .then_some(*family)
    }

    /// The attributes of a line: the bitmap face where asked for and bundled, else Noto Sans SC.
    pub fn attrs_for(&self, bold: bool, bitmap: bool, px: f32) -> Attrs<'static> {
        match self.bitmap_family(px).filter(|_| bitmap) {
            Some(family) => Attrs::new().family(Family::Name(family)),
            None => Fonts::attrs(bold),
        }
    }

    /// The width of `text` in the face of `attrs_for`.
    /// The width of `text` set as one line, punctuation compressed as the renderer draws it.
    pub fn width_for(&mut self, text: &str, px: f32, bold: bool, bitmap: bool) -> f32 {
        let attrs = self.attrs_for(bold, bitmap, px);
        let natural: f32 = self.advances_with(text, px, &attrs).iter().sum();
        natural - compression(text, px)
    }

    pub fn attrs(bold: bool) -> Attrs<'static> {
        Attrs::new().family(Family::Name(FAMILY)).weight(if bold {
            Weight::BOLD
        } else {
            Weight::NORMAL
        })
    }

    /// Whether the bundled fonts draw `c`. Whitespace and controls count as covered.
    pub fn covers(&mut self, c: char) -> bool {
        if c.is_whitespace() || c.is_control() {
            return true;
        }
        if let Some(&known) = self.coverage.get(&c) {
            return known;
        }
        let ids: Vec<fontdb::ID> = self.system.db().faces().map(|f| f.id).collect();
        let covered = ids.into_iter().any(|id| {
            self.system
                .get_font(id, Weight::NORMAL)
                .is_some_and(|font: Arc<_>| font.as_swash().charmap().map(c) != 0)
        });
        self.coverage.insert(c, covered);
        covered
    }

    /// The hanzi of `text` that the bitmap face at `px` lacks but another bundled face draws,
    /// each once, in order: on a single-colour LED they come from an outline face, thresholded
    /// (𡘙 𤭢 in a name, outside GB 2312). Empty where `px` has no bitmap face.
    pub fn outside_bitmap(&mut self, text: &str, px: f32) -> Vec<char> {
        let Some(family) = self.bitmap_family(px) else {
            return Vec::new();
        };
        let Some(id) = self
            .system
            .db()
            .faces()
            .find(|f| f.families.iter().any(|(name, _)| name == family))
            .map(|f| f.id)
        else {
            return Vec::new();
        };
        let Some(face) = self.system.get_font(id, Weight::NORMAL) else {
            return Vec::new();
        };
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            let hanzi = matches!(
                c as u32,
                0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF
            );
            if hanzi && face.as_swash().charmap().map(c) == 0 && self.covers(c) && !out.contains(&c)
            {
                out.push(c);
            }
        }
        out
    }

    /// The characters of `text` that no bundled font draws, each once, in order of appearance.
    pub fn missing_chars(&mut self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            if !self.covers(c) && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// For each field that has characters no bundled font draws, the field's name and those
    /// characters: the one computation behind every "cannot display" warning and refusal.
    pub fn missing_by_field<N: Clone>(&mut self, fields: &[(N, &str)]) -> Vec<(N, Vec<char>)> {
        fields
            .iter()
            .map(|(name, text)| (name.clone(), self.missing_chars(text)))
            .filter(|(_, missing)| !missing.is_empty())
            .collect()
    }

    /// The advance of each character of `text` (one line, no newline) at `px`, in pixels, shaped
    /// as a whole so that kerning and contextual forms count. Characters that are not the first of
    /// a cluster get 0.
    pub fn advances(&mut self, text: &str, px: f32, bold: bool) -> Vec<f32> {
        self.advances_with(text, px, &Fonts::attrs(bold))
    }

    fn advances_with(&mut self, text: &str, px: f32, attrs: &Attrs) -> Vec<f32> {
        let attrs = AttrsList::new(attrs);
        let shaped = ShapeLine::new(&mut self.system, text, &attrs, Shaping::Advanced, 4);
        // Map byte offsets to char indices once.
        let mut char_at_byte = vec![usize::MAX; text.len() + 1];
        for (i, (b, _)) in text.char_indices().enumerate() {
            char_at_byte[b] = i;
        }
        let mut out = vec![0.0f32; text.chars().count()];
        for span in &shaped.spans {
            for word in &span.words {
                for glyph in &word.glyphs {
                    let i = char_at_byte.get(glyph.start).copied().unwrap_or(usize::MAX);
                    if i != usize::MAX {
                        out[i] += glyph.x_advance * px;
                    }
                }
            }
        }
        out
    }

    /// The width in pixels of `text` on one line.
    /// The width of `text` set as one line, punctuation compressed as the renderer draws it.
    pub fn width(&mut self, text: &str, px: f32, bold: bool) -> f32 {
        let natural: f32 = self.advances(text, px, bold).iter().sum();
        natural - compression(text, px)
    }
}

/// Pixels that punctuation compression takes from `text` set as one line at `px`.
pub fn compression(text: &str, px: f32) -> f32 {
    let chars: Vec<char> = text.chars().collect();
    let n = super::linebreak::compressed(&chars)
        .iter()
        .filter(|c| **c)
        .count();
    n as f32 * px * 0.5
}
