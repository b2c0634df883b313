//! The characters a draft may hold: a notice's text has no control characters but the body's
//! newline (and a table's tab), and no invisible format characters (bidi controls, zero-width
//! characters: the set `model`'s validation refuses), so every text an import produces passes
//! through here.

/// Bidirectional controls and zero-width characters: the same set as `model::text`, which the
/// feed's validation refuses; an import drops them rather than hand staff a refusal.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// One line of text: tabs and other spacing become a space, controls and invisible characters
/// go, and the ends are trimmed.
pub(crate) fn line_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\t' || c == '\n' || c == '\r' || c == '\u{a0}' {
            out.push(' ');
        } else if c.is_control() || is_invisible_format(c) {
            continue;
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// A table cell: one line, no tab (a tab would start a new cell), its inner newlines a space.
pub(crate) fn cell_text(text: &str) -> String {
    let one = line_text(text);
    // Runs of spaces from joined lines read as one.
    let mut out = String::with_capacity(one.len());
    for c in one.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// A paragraph: its forced line breaks kept as single newlines (a blank line would split it),
/// every line cleaned as `line_text`, empty lines dropped. A 公文's first-line indent (full-width
/// spaces) is layout, not text, and goes too.
pub(crate) fn para_text(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(|l| line_text(l).trim_matches('\u{3000}').trim().to_string())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A title or an issuer: one line.
pub(crate) fn field_text(text: &str) -> String {
    cell_text(text).trim_matches('\u{3000}').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_invisible_characters_go_tabs_become_spaces() {
        assert_eq!(line_text("\u{202E}公告\u{200B}\t一\u{7}"), "公告 一");
        assert_eq!(cell_text("第一行\n第二行\t  尾"), "第一行 第二行 尾");
        assert_eq!(
            para_text("\u{3000}\u{3000}首行\n\n\n次行 \r\n"),
            "首行\n次行"
        );
        assert_eq!(field_text("\u{3000}标题\u{FEFF}\n"), "标题");
    }
}
