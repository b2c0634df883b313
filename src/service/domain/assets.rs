//! Images uploaded for notices' figures: checked from the header within limits, decoded, encoded
//! again from the pixels and kept by the SHA-256 of the bytes kept (`storage::assets`), which
//! is the name feeds list them by and screens fetch them by.
//!
//! Nothing of an upload but its pixels survives: encoding the decoded pixels again leaves
//! behind EXIF (the camera, the time, GPS coordinates of a resident's house), XMP, comments,
//! ICC profiles and whatever a crafted file hides after its image data. A phone photo's EXIF
//! orientation is applied to the pixels first, so it stands as it was taken.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::Serialize;
use utoipa::ToSchema;

use crate::feed::assets::sha256_hex;
use crate::model::{Reason, Timestamp};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::assets::{self as store, AssetRow};

/// The largest upload: a phone's photo is a few megabytes, a scanned A4 page at 300 dpi less.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// The most pixels an image may declare (40 MP: a phone's largest photo, or an A4 page at 600
/// dpi): checked from the header before any pixel is decoded, so a small file that declares
/// 100000x100000 (a decompression bomb) is refused without allocating for it.
pub const MAX_PIXELS: u64 = 40_000_000;
/// What the decoders may allocate at most: 40 MP at 16 bits a channel with alpha, and room
/// for the decoders' own buffers.
const MAX_DECODE_ALLOC: u64 = MAX_PIXELS * 8 + 64 * 1024 * 1024;
/// JPEG quality of a photo encoded again: indistinguishable from the upload on any screen.
const JPEG_QUALITY: u8 = 90;

/// The image types taken, as uploads name them (Content-Type).
pub const MEDIA_TYPES: [&str; 3] = ["image/png", "image/jpeg", "image/webp"];

/// An asset as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AssetInfo {
    /// The SHA-256 of the bytes kept (64 lowercase hex digits): what a figure names.
    pub sha256: String,
    /// Where screens and browsers fetch it: `/assets/{sha256}` on this service.
    pub url: String,
    /// `image/png` or `image/jpeg`: what the bytes kept are.
    pub media_type: String,
    pub width: u32,
    pub height: u32,
}

/// An image checked and encoded again, ready to keep.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub sha256: String,
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Decodes `bytes`, sent as `media_type`, within the limits, and encodes the pixels again.
///
/// A JPEG stays a JPEG (a photograph as PNG is five to ten times larger for nothing a screen
/// shows); a PNG or WebP becomes a PNG, lossless, with its transparency if it has any.
pub fn clean(media_type: &str, bytes: &[u8]) -> Result<Cleaned, Error> {
    let bad = |reason: Reason| Error::invalid("body", reason);
    let media_type = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match media_type.as_str() {
        "image/png" => ImageFormat::Png,
        "image/jpeg" => ImageFormat::Jpeg,
        "image/webp" => ImageFormat::WebP,
        _ => {
            return Err(Error::invalid(
                "content_type",
                Reason::UnsupportedImageType { media_type },
            ));
        }
    };
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(bad(Reason::ImageTooManyBytes {
            bytes: bytes.len(),
            max: MAX_UPLOAD_BYTES,
        }));
    }
    let broken = |e: image::ImageError| {
        bad(Reason::NotAnImage {
            media_type: media_type.clone(),
            detail: e.to_string(),
        })
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = None;
    limits.max_image_height = None;
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    // Reads the header only: the pixels are decoded below, once their number is known.
    let mut decoder = reader.into_decoder().map_err(broken)?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(bad(Reason::ImageTooManyPixels {
            width,
            height,
            max: MAX_PIXELS,
        }));
    }
    let orientation = decoder.orientation().map_err(broken)?;
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(broken)?;
    pixels.apply_orientation(orientation);
    let (width, height) = (pixels.width(), pixels.height());
    let (out_type, encoded) = encode(pixels, format).map_err(|e| {
        Error::Internal(format!(
            "encoding a {width}x{height} {media_type} again: {e}"
        ))
    })?;
    // What screens fetch must fit what they take (`model::MAX_ASSET_BYTES`): a noisy 40 MP
    // image can grow as PNG.
    if encoded.len() > crate::model::MAX_ASSET_BYTES {
        return Err(bad(Reason::ImageTooManyBytes {
            bytes: encoded.len(),
            max: crate::model::MAX_ASSET_BYTES,
        }));
    }
    Ok(Cleaned {
        sha256: sha256_hex(&encoded),
        media_type: out_type,
        width,
        height,
        bytes: encoded,
    })
}

/// The pixels as a PNG, or a JPEG for a JPEG upload; 8 bits a channel either way (no screen
/// shows more), grey kept grey.
fn encode(
    pixels: DynamicImage,
    from: ImageFormat,
) -> Result<(&'static str, Vec<u8>), image::ImageError> {
    use image::ColorType::*;
    let mut out = Cursor::new(Vec::new());
    let alpha = pixels.color().has_alpha();
    if from == ImageFormat::Jpeg && !alpha {
        let pixels = match pixels.color() {
            L8 | L16 => DynamicImage::ImageLuma8(pixels.to_luma8()),
            _ => DynamicImage::ImageRgb8(pixels.to_rgb8()),
        };
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        pixels.write_with_encoder(encoder)?;
        return Ok(("image/jpeg", out.into_inner()));
    }
    let pixels = match pixels.color() {
        L8 | L16 => DynamicImage::ImageLuma8(pixels.to_luma8()),
        La8 | La16 => DynamicImage::ImageLumaA8(pixels.to_luma_alpha8()),
        _ if alpha => DynamicImage::ImageRgba8(pixels.to_rgba8()),
        _ => DynamicImage::ImageRgb8(pixels.to_rgb8()),
    };
    pixels.write_to(&mut out, ImageFormat::Png)?;
    Ok(("image/png", out.into_inner()))
}

/// Keeps an image `clean` made (decoded where no lock is held) for `actor`, who may write
/// notices, audited when it is new; the same image again gives the same answer. `url_of` makes
/// an asset's address from its hash (`Service::asset_url`).
pub fn keep(
    conn: &Conn,
    actor: &User,
    cleaned: Cleaned,
    url_of: impl Fn(&str) -> String,
    now: Timestamp,
) -> Result<AssetInfo, Error> {
    actor.require(&[Role::Editor], "upload images for notices")?;
    let row = AssetRow {
        sha256: cleaned.sha256.clone(),
        media_type: cleaned.media_type.to_string(),
        width: cleaned.width,
        height: cleaned.height,
    };
    if store::insert(conn, &row, &cleaned.bytes, &actor.name, &now.to_rfc3339())? {
        audit::record(
            conn,
            now,
            &actor.name,
            audit::Action::AssetUpload,
            &format!("asset {}", row.sha256),
            &format!(
                "{} {}x{}, {} bytes",
                row.media_type,
                row.width,
                row.height,
                cleaned.bytes.len()
            ),
        )?;
    }
    Ok(info(row, &url_of))
}

fn info(row: AssetRow, url_of: &impl Fn(&str) -> String) -> AssetInfo {
    AssetInfo {
        url: url_of(&row.sha256),
        sha256: row.sha256,
        media_type: row.media_type,
        width: row.width,
        height: row.height,
    }
}

/// Whether the service has asset `sha256`.
pub fn exists(conn: &Conn, sha256: &str) -> Result<bool, Error> {
    store::exists(conn, sha256)
}

/// The asset's description, for the feed's `assets` list and the console.
pub fn find(
    conn: &Conn,
    sha256: &str,
    url_of: impl Fn(&str) -> String,
) -> Result<Option<AssetInfo>, Error> {
    Ok(store::find(conn, sha256)?.map(|row| info(row, &url_of)))
}

/// The asset's media type and bytes, for serving it.
/// The files of `figures` that the table has, by hash: what a preview draws them from.
pub fn figure_files(
    conn: &Conn,
    figures: &[crate::model::Figure],
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for f in figures {
        if out.iter().any(|(k, _)| *k == f.asset) {
            continue;
        }
        if let Some((_, bytes)) = store::bytes(conn, &f.asset)? {
            out.push((f.asset.clone(), bytes));
        }
    }
    Ok(out)
}

/// The bytes the files of `assets` take together (what a screen's cache must hold).
pub fn total_bytes(conn: &Conn, assets: &[crate::model::Asset]) -> Result<u64, Error> {
    let mut total = 0;
    for a in assets {
        total += store::byte_len(conn, &a.sha256)?.unwrap_or(0);
    }
    Ok(total)
}

pub fn bytes(conn: &Conn, sha256: &str) -> Result<(String, Vec<u8>), Error> {
    store::bytes(conn, sha256)?.ok_or_else(|| {
        Error::NotFound(Reason::NoSuchAsset {
            sha256: sha256.to_string(),
        })
    })
}
