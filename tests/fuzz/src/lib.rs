//! Shared by the fuzz targets: a fixed clock, so a run is the same every time.

use noticecast::model::Timestamp;

/// 2026-06-01 10:00 Beijing time: inside the demo content's validity.
pub fn noon() -> Timestamp {
    chrono::DateTime::parse_from_rfc3339("2026-06-01T10:00:00+08:00").expect("a fixed time")
}

/// Text of the input: parsers take `&str`; invalid UTF-8 is lossily replaced so the fuzzer
/// still reaches them with every input.
pub fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}
