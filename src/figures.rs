//! A notice's figures as pixels for a screen: the files a feed lists (`assets`, kept by content
//! hash in a screen's cache, a folder given to `render --assets`, the service's table for
//! previews) decoded and scaled to the screen, a few at a time.
//!
//! Decoded lazily, when a figure's page comes up, and only the last few kept: twenty 1920x1080
//! figures decoded at once would hold 160 MB of pixels on a village box. A file that is missing,
//! fails its hash or does not decode gives no pixels (the page then says the picture is not at
//! hand), never a crash.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use crate::feed::assets::sha256_hex;
use crate::layout::Image;

/// Where the bytes of an asset come from, by its SHA-256.
pub trait AssetSource: Send {
    fn bytes(&self, sha256: &str) -> Option<Vec<u8>>;
}

/// A folder of files named by their hash, as a screen's cache keeps them (`cache/assets/<sha>`).
pub struct Folder(pub PathBuf);

impl AssetSource for Folder {
    fn bytes(&self, sha256: &str) -> Option<Vec<u8>> {
        // Only a hash names a file here: nothing else can reach outside the folder.
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        std::fs::read(self.0.join(sha256)).ok()
    }
}

/// Files held in memory, by hash: a preview's, read from the service's table.
pub struct Memory(pub Vec<(String, Vec<u8>)>);

impl AssetSource for Memory {
    fn bytes(&self, sha256: &str) -> Option<Vec<u8>> {
        self.0
            .iter()
            .find(|(k, _)| k == sha256)
            .map(|(_, b)| b.clone())
    }
}

/// The folder `render` and `play --feed` look in for a feed's figures unless told: `assets`
/// beside the feed, as a screen's cache lays them out.
pub fn beside(feed: &std::path::Path) -> PathBuf {
    feed.parent()
        .unwrap_or(std::path::Path::new("."))
        .join("assets")
}

/// How many decoded figures are kept: the one on screen, the one before and the next.
const KEEP: usize = 3;
/// The largest file decoded, and the most pixels it may have: what the service accepts.
const MAX_BYTES: usize = 32 << 20;
const MAX_PIXELS: u64 = 40_000_000;

/// A figure asked for: its hash and the size it was fitted to.
type Key = (String, (u32, u32));

/// Decoded figures, each at the size it was asked for.
pub struct Figures {
    source: Box<dyn AssetSource>,
    /// (hash, the size it was fitted to) → its pixels, the last `KEEP` asked for.
    kept: VecDeque<(Key, Option<Arc<Image>>)>,
}

impl Figures {
    pub fn new(source: Box<dyn AssetSource>) -> Figures {
        Figures {
            source,
            kept: VecDeque::new(),
        }
    }

    /// The pixels of asset `sha256`, no larger than `fit` (the screen); `None` if the file is
    /// not at hand or is not an image.
    pub fn image(&mut self, sha256: &str, fit: (u32, u32)) -> Option<Arc<Image>> {
        let key = (sha256.to_string(), fit);
        if let Some((_, image)) = self.kept.iter().find(|(k, _)| *k == key) {
            return image.clone();
        }
        let image = self
            .source
            .bytes(sha256)
            .filter(|b| b.len() <= MAX_BYTES)
            .and_then(|bytes| {
                if sha256_hex(&bytes) != sha256 {
                    tracing::warn!("figure {sha256}: the file's content has another hash");
                    return None;
                }
                match decode(&bytes, fit) {
                    Ok(image) => Some(Arc::new(image)),
                    Err(e) => {
                        tracing::warn!("figure {sha256}: {e}");
                        None
                    }
                }
            });
        if self.kept.len() == KEEP {
            self.kept.pop_front();
        }
        self.kept.push_back((key, image.clone()));
        image
    }

    /// Forget what was decoded (a new feed, a new screen size).
    pub fn clear(&mut self) {
        self.kept.clear();
    }
}

/// Decodes a PNG, JPEG or WebP and scales it down to fit within `fit`, keeping its shape.
pub fn decode(bytes: &[u8], fit: (u32, u32)) -> Result<Image, image::ImageError> {
    use image::ImageDecoder;
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    let mut decoder = reader.into_decoder()?;
    // The size from the header, before a pixel is decoded: what the service accepts, no more.
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError),
        ));
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PIXELS * 8);
    decoder.set_limits(limits)?;
    let mut decoded = image::DynamicImage::from_decoder(decoder)?;
    let (fw, fh) = (fit.0.max(1), fit.1.max(1));
    if w > fw || h > fh {
        // A box filter in one pass: no full-width buffer of floating-point pixels beside it.
        decoded = decoded.thumbnail(fw, fh);
    }
    let rgba = decoded.to_rgba8();
    Ok(Image {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, 255]))
            .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn figures_are_scaled_to_the_screen_and_checked_by_hash() {
        let big = png(4000, 1000);
        let sha = sha256_hex(&big);
        let wrong = "0".repeat(64);
        let mut figures = Figures::new(Box::new(Memory(vec![
            (sha.clone(), big.clone()),
            (wrong.clone(), big),
        ])));
        let fit = (1920, 1080);
        let image = figures.image(&sha, fit).expect("decoded");
        assert_eq!((image.width, image.height), (1920, 480));
        let fine = figures.image(&sha, (3840, 2160)).expect("decoded finer");
        assert_eq!((fine.width, fine.height), (3840, 960));
        assert!(
            figures.image(&wrong, fit).is_none(),
            "a file under another hash"
        );
        assert!(
            figures.image(&"1".repeat(64), fit).is_none(),
            "a missing file"
        );
        assert!(
            Folder("/nonexistent".into())
                .bytes("../etc/passwd")
                .is_none()
        );
    }
}
