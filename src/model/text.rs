//! The characters no text of a feed or a playlist may hold: both validate with it, so it sits
//! below both.

/// Bidirectional controls and zero-width characters: invisible, they can reorder or hide what a
/// reviewer reads (a "Trojan Source" title), and Chinese notices have no use for them.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}
