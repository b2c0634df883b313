//! A file staff already have, read into a draft for the notice form (`domain::imports`): the
//! file as the body, its type in `Content-Type`, its name in `Content-Disposition`.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, header};

use crate::service::domain::imports::{self, ImportedDraft, Upload};
use crate::service::http::error::ErrorBody;
use crate::service::http::guard::{Answer, AppState, Session};

#[utoipa::path(post, path = "/api/imports", tag = "notices",
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The file, at most 50 MiB: Word .docx (Content-Type application/\
            vnd.openxmlformats-officedocument.wordprocessingml.document), Excel .xlsx \
            (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet), text/csv \
            (UTF-8 or GB18030), application/pdf or application/ofd; application/octet-stream \
            lets the file's first bytes and its name decide. Its name in Content-Disposition: \
            attachment; filename=\"notice.docx\"; filename*=UTF-8''%E9%80%9A%E7%9F%A5.docx"),
    params(("Content-Disposition" = Option<String>, Header,
        description = "The file's name (`filename*` in RFC 5987 form for a Chinese name); \
            it decides the type where the first bytes cannot, and is the title where the \
            file has none")),
    responses(
        (status = 200, description = "A draft for the notice form, never a notice: title, body \
            (tables as tab-separated lines), issuer, 文号, the date of the 落款, the file's \
            images (a PDF's pages) each kept as an asset and listed as a figure, and warnings \
            in Chinese (personal numbers, fonts a PDF does not embed, what was not imported). \
            Nothing is saved but the images: save the draft with POST /api/notices",
            body = ImportedDraft),
        (status = 413, description = "Over 50 MiB", body = ErrorBody),
        (status = 422, description = "Not a file type taken (a legacy .doc or .wps is told to \
            be saved as .docx), encrypted, damaged, over a limit (pages, rows, text), empty, or \
            over 60 seconds to read: the problem's reason_zh says what to do", body = ErrorBody),
        (status = 503, description = "Other files are being read: try again after Retry-After",
            body = ErrorBody)),
    security(("session" = [])))]
pub async fn import_file(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Answer<axum::Json<ImportedDraft>> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let file_name = headers
        .get(header::CONTENT_DISPOSITION)
        .and_then(|v| file_name(&String::from_utf8_lossy(v.as_bytes())))
        .unwrap_or_default();
    let upload = Upload {
        file_name,
        media_type,
        bytes: body,
    };
    let draft = imports::import(&service, &session.user, upload).await?;
    Ok(axum::Json(draft))
}

/// The file name of a `Content-Disposition` header: `filename*` (RFC 5987, `UTF-8''` and
/// percent-encoded bytes) over `filename` (quoted or a token; browsers put UTF-8 in it raw).
/// Only the last path segment is kept.
pub fn file_name(disposition: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for param in split_params(disposition).into_iter().skip(1) {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        if key == "filename*" {
            extended = extended_value(value);
        } else if key == "filename" {
            plain = Some(unquote(value));
        }
    }
    let name = extended.or(plain)?;
    let name = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// The header's parameters, split at semicolons outside quotes.
fn split_params(header: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in header.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&header[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&header[start..]);
    out
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            out
        }
        None => value.to_string(),
    }
}

/// `UTF-8'lang'percent-encoded`; another charset or a broken encoding gives none.
fn extended_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let charset = parts.next()?;
    let _language = parts.next()?;
    let encoded = parts.next()?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn names_are_read_from_both_forms_the_extended_first() {
        assert_eq!(
            file_name("attachment; filename=\"notice.docx\"").as_deref(),
            Some("notice.docx")
        );
        assert_eq!(
            file_name(
                "attachment; filename=\"tongzhi.docx\"; \
                 filename*=UTF-8''%E9%80%9A%E7%9F%A5%3B%20v2.docx"
            )
            .as_deref(),
            Some("通知; v2.docx")
        );
        assert_eq!(
            file_name("attachment; filename=\"a;b \\\"c\\\".csv\"").as_deref(),
            Some("a;b \"c\".csv")
        );
        assert_eq!(
            file_name("form-data; filename=名单.xlsx").as_deref(),
            Some("名单.xlsx")
        );
        assert_eq!(
            file_name("attachment; filename=\"C:\\\\公文\\\\通知.pdf\"").as_deref(),
            Some("通知.pdf"),
            "a path is cut to its last segment"
        );
        // A broken extended value falls back to the plain one.
        assert_eq!(
            file_name("attachment; filename=x.ofd; filename*=UTF-8''%E9%8").as_deref(),
            Some("x.ofd")
        );
        assert_eq!(file_name("attachment"), None);
        assert_eq!(file_name("attachment; filename=\"\""), None);
    }
}
