//! `multipart/form-data` as browsers send a form with a file (RFC 7578), read from a body the
//! gate has already taken whole and bounded: the notice form with an image for a figure. Only
//! what such a form sends is read: parts with a `Content-Disposition: form-data` name, an
//! optional file name and content type. Anything else is refused as a whole.

/// One part of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// Present for a file input, even when no file was chosen (then empty, with no bytes).
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// More parts than any form of the console has (60 figures of three fields each, and the rest).
const MAX_PARTS: usize = 1000;
/// A part's headers are a few lines; a browser never sends more.
const MAX_HEADERS: usize = 8 * 1024;

/// The boundary of a `multipart/form-data` content type, or `None` for any other.
pub fn boundary(content_type: &str) -> Option<String> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|p| {
        let (key, value) = p.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        // RFC 2046: 1 to 70 characters.
        (!value.is_empty() && value.len() <= 70).then(|| value.to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// The parts of `body`, or why it is not a form this reads.
pub fn parse(boundary: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let opening = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    let mut at = find(body, opening.as_bytes(), 0).ok_or("no opening boundary")? + opening.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err("a boundary not followed by a line break".into());
        }
        at += 2;
        let end_of_headers = find(body, b"\r\n\r\n", at).ok_or("a part without a blank line")?;
        if end_of_headers - at > MAX_HEADERS {
            return Err("a part's headers are too long".into());
        }
        let headers = std::str::from_utf8(&body[at..end_of_headers])
            .map_err(|_| "a part's headers are not UTF-8")?;
        let start = end_of_headers + 4;
        let end = find(body, delimiter.as_bytes(), start).ok_or("a part without its end")?;
        parts.push(part(headers, body[start..end].to_vec())?);
        if parts.len() > MAX_PARTS {
            return Err(format!("more than {MAX_PARTS} parts"));
        }
        at = end + delimiter.len();
    }
}

fn part(headers: &str, data: Vec<u8>) -> Result<Part, String> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in headers.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("a part's header without a colon: {line:?}"));
        };
        let key = key.trim();
        if key.eq_ignore_ascii_case("content-disposition") {
            let mut params = value.split(';');
            if params.next().map(str::trim) != Some("form-data") {
                return Err("a part that is not form-data".into());
            }
            for p in params {
                let Some((k, v)) = p.split_once('=') else {
                    continue;
                };
                let v = v.trim().trim_matches('"').to_string();
                match k.trim() {
                    "name" => name = Some(v),
                    "filename" => filename = Some(v),
                    _ => {}
                }
            }
        } else if key.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_string());
        }
    }
    Ok(Part {
        name: name.ok_or("a part without a name")?,
        filename,
        content_type,
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browsers_form_with_a_file_is_read() {
        let ct = "multipart/form-data; boundary=----WebKitFormBoundaryAbc";
        let b = boundary(ct).unwrap();
        let body = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"figure_file\"; \
             filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n\r\n--x\r\n\
             --{b}--\r\n"
        );
        let parts = parse(&b, body.as_bytes()).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].data.as_slice()),
            ("csrf", &b"tok"[..])
        );
        assert_eq!(parts[1].filename.as_deref(), Some("a.png"));
        assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
        // A line break and a dash-dash inside the file are the file's, not a boundary.
        assert_eq!(parts[1].data, b"PNG\r\n\r\n--x");
    }

    #[test]
    fn broken_forms_are_refused() {
        assert_eq!(boundary("application/x-www-form-urlencoded"), None);
        assert!(parse("b", b"no boundary here").is_err());
        assert!(
            parse(
                "b",
                b"--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nx"
            )
            .is_err()
        );
        assert!(parse("b", b"--b\r\nX-Other: y\r\n\r\nx\r\n--b--").is_err());
    }
}
