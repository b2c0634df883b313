//! Images found in a document: kept as their own bytes when they are PNG, JPEG or WebP (what a
//! screen draws), their size read from the header so that a 100 000-pixel-wide image is refused
//! here rather than decoded on a screen. Other formats (EMF, WMF, TIFF, GIF, BMP, JBIG2) are
//! named in a warning.

use super::error::ImportWarning;
use super::{DraftImage, Limits};

/// The media type of an image the screens draw, from its first bytes.
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// What an unsupported image is, for the warning.
fn kind_name(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"GIF8") {
        "GIF"
    } else if bytes.starts_with(b"BM") {
        "BMP"
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        "TIFF"
    } else if bytes.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A]) {
        "WMF"
    } else if bytes.len() > 44 && &bytes[40..44] == b" EMF" {
        "EMF"
    } else {
        "未知"
    }
}

/// Width and height from a PNG's IHDR, a JPEG's SOF or a WebP's VP8/VP8L/VP8X header.
pub(crate) fn dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    match sniff(bytes)? {
        "image/png" => {
            let ihdr = bytes.get(16..24)?;
            Some((be32(&ihdr[..4]), be32(&ihdr[4..])))
        }
        "image/jpeg" => {
            let mut i = 2;
            while i + 9 < bytes.len() {
                if bytes[i] != 0xFF {
                    return None;
                }
                let marker = bytes[i + 1];
                let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
                let sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if sof {
                    let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]) as u32;
                    let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]) as u32;
                    return Some((w, h));
                }
                i += 2 + len;
            }
            None
        }
        _ => {
            let chunk = bytes.get(12..16)?;
            let le24 = |b: &[u8]| u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16;
            match chunk {
                b"VP8X" => {
                    let b = bytes.get(24..30)?;
                    Some((le24(&b[..3]) + 1, le24(&b[3..]) + 1))
                }
                b"VP8L" => {
                    let b = bytes.get(21..25)?;
                    let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    Some(((v & 0x3FFF) + 1, ((v >> 14) & 0x3FFF) + 1))
                }
                b"VP8 " => {
                    let b = bytes.get(26..30)?;
                    let w = u16::from_le_bytes([b[0], b[1]]) & 0x3FFF;
                    let h = u16::from_le_bytes([b[2], b[3]]) & 0x3FFF;
                    Some((u32::from(w), u32::from(h)))
                }
                _ => None,
            }
        }
    }
}

/// Adds an image found in a document to `images`, or a warning saying why it was left out.
/// Returns its index when kept.
pub(crate) fn keep(
    name: &str,
    bytes: Vec<u8>,
    caption: String,
    limits: &Limits,
    images: &mut Vec<DraftImage>,
    warnings: &mut Vec<ImportWarning>,
) -> Option<usize> {
    let skip = |why: String| ImportWarning::ImageSkipped {
        name: name.to_string(),
        why,
    };
    let Some(media_type) = sniff(&bytes) else {
        let kind = kind_name(&bytes);
        warnings.push(skip(format!(
            "{kind} 格式的图片屏幕无法显示，请在原文件中把它另存为 PNG 或 JPEG"
        )));
        return None;
    };
    match dimensions(&bytes) {
        Some((w, h)) if w > 0 && h > 0 && w.max(h) <= limits.image_side => {}
        Some((w, h)) => {
            warnings.push(skip(format!(
                "尺寸 {w}×{h} 像素超过 {} 像素的上限，请缩小后再添加",
                limits.image_side
            )));
            return None;
        }
        None => {
            warnings.push(skip("图片文件已损坏".into()));
            return None;
        }
    }
    if images.len() >= limits.images {
        warnings.push(skip(format!("图片超过 {} 张，其余未导入", limits.images)));
        return None;
    }
    images.push(DraftImage {
        bytes,
        media_type: media_type.to_string(),
        caption,
    });
    Some(images.len() - 1)
}
