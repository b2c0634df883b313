//! A notice's figures: images the feed lists as assets (a map, a photo of the site, a scanned
//! page), each named by the SHA-256 of its file, with what screens and pages write beside it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::reason::Reason;

/// One image of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// 64 lowercase hex digits: the SHA-256 of the file, which the feed's `assets` lists.
    pub asset: String,
    /// Written under the image (图1 项目位置示意图).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// What the image shows, in words, for whoever cannot see it (the residents' page, a
    /// screen reader); checked like drawn text, since it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// The most figures one notice may have: a 40-page PDF imported page by page makes 40.
pub const MAX_FIGURES: usize = 60;
/// A caption is one line under the image.
pub const MAX_CAPTION_CHARS: usize = 200;
/// Alternative text may say a little more than a caption.
pub const MAX_ALT_CHARS: usize = 300;

/// Whether `text` is a SHA-256 as assets are named: 64 lowercase hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The assets `figures` name, each once, in the order of first use; names that are not a
/// SHA-256 are left out (the figure's own check names them).
pub fn assets_named<'a>(figures: impl IntoIterator<Item = &'a Figure>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for f in figures {
        if is_sha256_hex(&f.asset) && !out.contains(&f.asset.as_str()) {
            out.push(&f.asset);
        }
    }
    out
}

/// What is wrong with a notice's figures, as (path under the notice, reason): their number,
/// each asset's name, and whether the feed lists it (`listed`). Caption and alternative text
/// are checked by the caller with the notice's other texts.
pub fn problems(figures: &[Figure], listed: impl Fn(&str) -> bool) -> Vec<(String, Reason)> {
    let mut out = Vec::new();
    if figures.len() > MAX_FIGURES {
        out.push((
            "figures".to_string(),
            Reason::TooManyFigures {
                count: figures.len(),
                max: MAX_FIGURES,
            },
        ));
    }
    for (j, f) in figures.iter().enumerate() {
        let at = format!("figures[{j}].asset");
        if !is_sha256_hex(&f.asset) {
            out.push((
                at,
                Reason::NotLowercaseHex64 {
                    text: f.asset.clone(),
                },
            ));
        } else if !listed(&f.asset) {
            out.push((
                at,
                Reason::AssetNotListed {
                    sha256: f.asset.clone(),
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(asset: &str) -> Figure {
        Figure {
            asset: asset.into(),
            caption: None,
            alt: None,
        }
    }

    #[test]
    fn an_asset_is_named_by_lowercase_hex_and_must_be_listed() {
        let listed = "a".repeat(64);
        let unlisted = "b".repeat(64);
        let figures = [
            figure(&listed),
            figure(&unlisted),
            figure(&"A".repeat(64)),
            figure("abc"),
        ];
        let found = problems(&figures, |sha| sha == listed);
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["figures[1].asset", "figures[2].asset", "figures[3].asset"]
        );
        assert!(matches!(found[0].1, Reason::AssetNotListed { .. }));
        assert!(matches!(found[1].1, Reason::NotLowercaseHex64 { .. }));
    }

    #[test]
    fn at_most_sixty_figures() {
        let sha = "c".repeat(64);
        let figures = vec![figure(&sha); MAX_FIGURES + 1];
        let found = problems(&figures, |_| true);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "figures");
        assert!(problems(&figures[..MAX_FIGURES], |_| true).is_empty());
    }
}
