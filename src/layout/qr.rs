//! QR codes for notice URLs, as images with a quiet zone.

use qrcode::{Color, EcLevel, QrCode};

use super::frame::{Image, Rgba};

/// A QR code of `data`, one pixel per module with a 4-module quiet zone; `None` if the data is too
/// long for any QR version. Medium error correction tolerates a scuffed screen protector.
pub fn qr_image(data: &str, dark: Rgba, light: Rgba) -> Option<Image> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()?;
    let modules = code.width();
    let quiet = 4;
    let size = modules + 2 * quiet;
    let colors = code.to_colors();
    let mut rgba = Vec::with_capacity(size * size * 4);
    for y in 0..size {
        for x in 0..size {
            let inside =
                (quiet..quiet + modules).contains(&x) && (quiet..quiet + modules).contains(&y);
            let dark_module = inside && colors[(y - quiet) * modules + (x - quiet)] == Color::Dark;
            rgba.extend_from_slice(&if dark_module { dark.0 } else { light.0 });
        }
    }
    Some(Image {
        width: size as u32,
        height: size as u32,
        rgba,
    })
}
