//! A guard for the XML the program parses from outside (CAP and GB/T 35965 alerts, the parts of
//! Word and OFD files): roxmltree's tokenizer recurses once per level of nesting, so a document
//! nested a hundred thousand deep overflows the stack, which aborts the process (no panic to
//! catch). Every parse of outside XML checks its depth first.

/// Whether elements nest deeper than `max`: a scan of the tags alone, skipping comments, CDATA,
/// processing instructions and quoted attribute values.
pub fn too_deep(b: &[u8], max: usize) -> bool {
    let skip_to = |from: usize, end: &[u8]| {
        b[from..]
            .windows(end.len())
            .position(|w| w == end)
            .map(|p| from + p + end.len())
    };
    let (mut i, mut depth) = (0, 0usize);
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let next = if rest.starts_with(b"<!--") {
            skip_to(i + 4, b"-->")
        } else if rest.starts_with(b"<![CDATA[") {
            skip_to(i + 9, b"]]>")
        } else if rest.starts_with(b"<?") {
            skip_to(i + 2, b"?>")
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") {
            depth = depth.saturating_sub(usize::from(rest.starts_with(b"</")));
            skip_to(i + 2, b">")
        } else {
            let mut j = i + 1;
            let mut quote = None;
            while j < b.len() {
                match (quote, b[j]) {
                    (Some(q), c) if c == q => quote = None,
                    (None, c @ (b'"' | b'\'')) => quote = Some(c),
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            if b.get(j.wrapping_sub(1)) != Some(&b'/') {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            Some(j + 1)
        };
        // An unterminated construct is the parser's to report.
        let Some(next) = next else { return false };
        i = next;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_depth_counts_elements_not_comments_or_attributes() {
        let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        assert!(too_deep(deep.as_bytes(), 256));
        let flat = format!(
            "<r>{}</r>",
            "<a x='>'/><!-- <b> --><![CDATA[<c>]]><d></d>".repeat(999)
        );
        assert!(!too_deep(flat.as_bytes(), 2));
        assert!(too_deep(b"<r><a><b>", 2));
    }
}
