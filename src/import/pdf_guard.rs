//! What a PDF may unpack to, checked before the rasteriser sees it. hayro inflates a stream
//! whole and allocates an image by the size its dictionary declares, without a limit: a 50 MB
//! file of deflated zeros, or an image that claims 100,000 x 100,000 pixels, would take the
//! service's memory (an abort, which neither `catch_unwind` nor the time limit stops).
//!
//! So every `stream` of the file is found in its bytes, each one compressed with FlateDecode is
//! inflated into nothing, counting, up to `limit` bytes, and every image's declared size is
//! read. A file past either is refused before it is parsed. A stream this scan cannot read
//! (another filter, a broken one) is left to hayro, which reads those within its own bounds.

use std::io::Read;

/// The most pixels an image in a PDF may declare: a page scanned at 600 dpi in A3 is 70 M.
const MAX_IMAGE_PIXELS: u64 = 100_000_000;

/// Why a PDF is refused: a stream unpacking past `limit`, or an image declaring too many
/// pixels.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TooMuch {
    Stream,
    Image,
}

pub(crate) fn check(bytes: &[u8], limit: u64) -> Result<(), TooMuch> {
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"stream") {
        let keyword = from + at;
        from = keyword + b"stream".len();
        // `endstream` contains the keyword; a real one follows a dictionary's `>>`.
        let before = trim_end(&bytes[..keyword]);
        if !before.ends_with(b">>") {
            continue;
        }
        let data = match bytes[from..] {
            [b'\r', b'\n', ..] => from + 2,
            [b'\n', ..] | [b'\r', ..] => from + 1,
            _ => continue,
        };
        let dict = dictionary(before);
        if let (Some(w), Some(h)) = (
            number_after(dict, b"/Width"),
            number_after(dict, b"/Height"),
        ) && w.saturating_mul(h) > MAX_IMAGE_PIXELS
        {
            return Err(TooMuch::Image);
        }
        if find(dict, b"/FlateDecode").is_some() || find(dict, b"/Fl ").is_some() {
            let mut inflated = flate2::read::ZlibDecoder::new(&bytes[data..]).take(limit + 1);
            let count = std::io::copy(&mut inflated, &mut std::io::sink()).unwrap_or(0);
            if count > limit {
                return Err(TooMuch::Stream);
            }
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_end(b: &[u8]) -> &[u8] {
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..end]
}

/// The stream's dictionary: back from its `>>` to the object's `obj` (or 4 KiB at most).
fn dictionary(before: &[u8]) -> &[u8] {
    let start = before.len().saturating_sub(4096);
    let window = &before[start..];
    let obj = window
        .windows(3)
        .rposition(|w| w == b"obj")
        .map_or(0, |i| i + 3);
    &window[obj..]
}

/// The whole number after `key` in `dict` (`/Width 2480`), if it is written there directly.
fn number_after(dict: &[u8], key: &[u8]) -> Option<u64> {
    let at = find(dict, key)? + key.len();
    let rest = &dict[at..];
    // `/Width` but not `/WidthX`.
    if rest.first().is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let digits: Vec<u8> = rest
        .iter()
        .skip_while(|c| c.is_ascii_whitespace())
        .take_while(|c| c.is_ascii_digit())
        .copied()
        .collect();
    // An indirect reference (`12 0 R`) is not the number; hayro resolves those.
    let after = rest
        .iter()
        .skip_while(|c| c.is_ascii_whitespace())
        .skip(digits.len())
        .take(4)
        .copied()
        .collect::<Vec<u8>>();
    if after.windows(2).any(|w| w == b" 0") && after.contains(&b'R') {
        return None;
    }
    match digits.len() {
        0 => None,
        // Past what a u64 holds: more than any limit.
        19.. => Some(u64::MAX),
        _ => std::str::from_utf8(&digits).ok()?.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflated(len: usize) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&vec![0u8; len]).unwrap();
        z.finish().unwrap()
    }

    fn object(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut out =
            format!("4 0 obj\n<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
        out.extend_from_slice(data);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        out
    }

    #[test]
    fn a_deflate_bomb_and_an_oversized_image_are_found_before_parsing() {
        let bomb = object("/Filter /FlateDecode", &deflated(3 << 20));
        assert_eq!(check(&bomb, 1 << 20), Err(TooMuch::Stream));
        assert_eq!(check(&bomb, 4 << 20), Ok(()));
        let image = object(
            "/Type /XObject /Subtype /Image /Width 100000 /Height 100000",
            b"x",
        );
        assert_eq!(check(&image, 1 << 20), Err(TooMuch::Image));
        let referenced = object("/Subtype /Image /Width 12 0 R /Height 100000", b"x");
        assert_eq!(check(&referenced, 1 << 20), Ok(()));
        let small = object("/Subtype /Image /Width 2480 /Height 3508", b"x");
        assert_eq!(check(&small, 1 << 20), Ok(()));
    }
}
