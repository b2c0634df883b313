//! The feed document: what the central service publishes to a screen group and every screen plays.
//!
//! `FeedDocument` is the wire shape (serde and JSON Schema come from it); `Feed` is a document that
//! passed validation. See docs/feed.md for the contract.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Deref;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::category::Category;
use super::error::{Problem, Problems, from_json_error};
use super::figure::{self, Figure, MAX_ALT_CHARS, MAX_CAPTION_CHARS};
use super::playlist::Playlist;
use super::reason::{NameKind, Reason};
use super::text::is_invisible_format;
use super::time::Timestamp;

pub use super::notice_period::{MAX_PERIOD_WORKING_DAYS, NoticePeriod};

/// The one format this build reads. A new incompatible format gets a new name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum FeedFormat {
    #[serde(rename = "noticecast.feed/1")]
    V1,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Normal,
    /// Its title also runs in the ticker.
    Urgent,
    /// Pre-empts the rotation while valid.
    Emergency,
}

/// The level of a warning, as the national warning signals colour it (预警信号).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 红色预警: the most severe.
    Red,
    /// 橙色预警
    Orange,
    /// 黄色预警
    Yellow,
    /// 蓝色预警
    Blue,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Red, Level::Orange, Level::Yellow, Level::Blue];

    /// The level in words, as the screen's label says it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Red => "红色预警",
            Level::Orange => "橙色预警",
            Level::Yellow => "黄色预警",
            Level::Blue => "蓝色预警",
        }
    }

    /// The colour's one character: 红 橙 黄 蓝.
    pub fn colour_word(self) -> &'static str {
        match self {
            Level::Red => "红",
            Level::Orange => "橙",
            Level::Yellow => "黄",
            Level::Blue => "蓝",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Red => "red",
            Level::Orange => "orange",
            Level::Yellow => "yellow",
            Level::Blue => "blue",
        }
    }

    /// Higher is more severe.
    pub fn severity(self) -> u8 {
        match self {
            Level::Red => 4,
            Level::Orange => 3,
            Level::Yellow => 2,
            Level::Blue => 1,
        }
    }
}

/// One approved notice, as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// Unique within the feed, e.g. `2026-0153`.
    pub id: String,
    pub category: Category,
    pub priority: Priority,
    pub title: String,
    /// Paragraphs separated by a blank line; a single newline is a forced line break.
    pub body: String,
    /// The issuing office, e.g. 某某区人民政府办公室.
    pub issuer: String,
    /// The document number, e.g. 某政办〔2026〕12号.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    pub published_at: Timestamp,
    /// The notice shows from this instant on.
    pub valid_from: Timestamp,
    /// The notice no longer shows from this instant on; absent means until withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Timestamp>,
    /// The full text online; screens show it as a QR code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// An emergency's warning level; an emergency without one shows as red. Only emergencies
    /// have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// What to do (防御指南): its own block on screens, never cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// Whom to call and where to go (phones, places): its own block on screens, never cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The warning system's identifier of the alert this notice carries (CAP `identifier`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<String>,
    /// A 公示期: the period the notice must stay on public display (a subsidy list, a land-use
    /// plan, an appointment), for its 公示证明.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_period: Option<NoticePeriod>,
    /// Images, in the order they appear; each names a file of the feed's `assets`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub figures: Vec<Figure>,
}

/// The text fields of a notice that a screen draws, by name, in the order a page shows them:
/// what every check of the fonts' coverage and of personal data reads (the service's warnings,
/// refusals and personnel rule, `noticecast check`, the player's log), so none of them misses a
/// field. A figure's caption and alternative text are named by their path
/// (`figures[0].caption`).
#[allow(clippy::too_many_arguments)]
pub fn drawn_fields<'a>(
    title: &'a str,
    body: &'a str,
    issuer: &'a str,
    doc_number: Option<&'a str>,
    instruction: Option<&'a str>,
    contact: Option<&'a str>,
    figures: &'a [Figure],
) -> Vec<(Cow<'static, str>, &'a str)> {
    let mut fields: Vec<(Cow<'static, str>, &'a str)> = vec![
        ("title".into(), title),
        ("body".into(), body),
        ("issuer".into(), issuer),
    ];
    for (name, text) in [
        ("doc_number", doc_number),
        ("instruction", instruction),
        ("contact", contact),
    ] {
        if let Some(text) = text {
            fields.push((name.into(), text));
        }
    }
    for (j, f) in figures.iter().enumerate() {
        if let Some(caption) = &f.caption {
            fields.push((format!("figures[{j}].caption").into(), caption));
        }
        if let Some(alt) = &f.alt {
            fields.push((format!("figures[{j}].alt").into(), alt));
        }
    }
    fields
}

impl Notice {
    /// The fields a screen draws (`drawn_fields`).
    pub fn drawn_text(&self) -> Vec<(Cow<'static, str>, &str)> {
        drawn_fields(
            &self.title,
            &self.body,
            &self.issuer,
            self.doc_number.as_deref(),
            self.instruction.as_deref(),
            self.contact.as_deref(),
            &self.figures,
        )
    }

    /// The level an emergency shows in (red when it names none); `None` for other notices.
    pub fn warning(&self) -> Option<Level> {
        (self.priority == Priority::Emergency).then(|| self.level.unwrap_or(Level::Red))
    }

    /// The label an emergency carries: its level in words, or 紧急通知 without a level.
    pub fn warning_label(&self) -> Option<&'static str> {
        (self.priority == Priority::Emergency).then(|| self.level.map_or("紧急通知", Level::label))
    }

    /// How severe, for ordering: emergencies by level (none counts as red), then the rest.
    pub fn severity(&self) -> u8 {
        self.warning().map_or(0, Level::severity)
    }

    /// Names a title keeps whole when it breaks: the issuer, and the places and offices it is
    /// made of (城关镇东岭村村民委员会 gives 城关镇, 东岭村 and 村民委员会), which a dictionary
    /// rarely has.
    pub fn names(&self) -> Vec<&str> {
        const ENDS: [&str; 9] = ["省", "市", "区", "县", "镇", "乡", "街道", "社区", "村"];
        let issuer = self.issuer.as_str();
        let mut names = vec![issuer];
        let mut start = 0;
        for (i, _) in issuer.char_indices() {
            if let Some(end) = ENDS.iter().find(|e| issuer[i..].starts_with(*e)) {
                let stop = i + end.len();
                if issuer[start..stop].chars().count() >= 2 {
                    names.push(&issuer[start..stop]);
                    start = stop;
                }
            }
        }
        if start > 0 && issuer[start..].chars().count() >= 2 {
            names.push(&issuer[start..]);
        }
        names
    }

    /// Valid at `t`: from `valid_from` inclusive to `valid_until` exclusive.
    pub fn is_valid_at(&self, t: Timestamp) -> bool {
        self.valid_from <= t && self.valid_until.is_none_or(|until| t < until)
    }
}

/// A file a feed refers to, named by the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Asset {
    /// 64 lowercase hex digits: the SHA-256 of the file's bytes.
    pub sha256: String,
    /// Where to fetch it (http:// or https://).
    pub url: String,
    /// e.g. `image/png`.
    pub media_type: String,
}

/// The most assets one feed may list: a few notices of figures each (a 40-page PDF imported
/// page by page is 40), and room for more. Screens bound the bytes separately
/// (`feed::client::MAX_ASSET_BYTES`, `MAX_ASSET_CACHE`).
pub const MAX_ASSETS: usize = 256;
/// The largest asset a screen fetches, and the largest the service keeps: a 40 MP image
/// encoded again fits, and a screen's disk is not filled by one file.
pub const MAX_ASSET_BYTES: usize = 32 * 1024 * 1024;

/// A feed document as it travels: `format`, group, sequence, times, the optional playlist and the
/// notices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "noticecast feed document")]
pub struct FeedDocument {
    pub format: FeedFormat,
    /// The screen group this feed is for.
    pub group: String,
    /// Increases with every change of the group's feed; screens refuse a lower one.
    pub sequence: u64,
    pub generated_at: Timestamp,
    /// Screens refuse a feed past this instant.
    pub expires_at: Timestamp,
    /// The group's playlist, the same content as a playlist TOML file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub playlist: Option<Playlist>,
    pub notices: Vec<Notice>,
    /// Files the feed refers to (images), fetched by screens and verified by content hash
    /// before the feed is used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    /// An admin put the group's screens on a neutral standby page (a hijacked or faulty screen,
    /// an event): while it is present the screens show nothing else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blackout: Option<Blackout>,
    /// The public keys the office signs feeds with now (base64 of the 32 raw Ed25519 bytes, or
    /// `sm2:` and the base64 of SM2's 65-byte uncompressed point): one,
    /// or two during a key rotation. A screen that accepted this feed by a key it trusts also
    /// trusts these from then on, so it follows a rotation without a visit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signing_keys: Vec<String>,
}

/// A group's screens held on a neutral standby page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blackout {
    pub since: Timestamp,
}

/// Longest title and body accepted: beyond these a notice is surely pasted by mistake.
const MAX_TITLE_CHARS: usize = 200;
const MAX_BODY_CHARS: usize = 100_000;
/// What to do and whom to call are never cut, so they must stay short enough for every screen.
pub const MAX_INSTRUCTION_CHARS: usize = 300;
pub const MAX_CONTACT_CHARS: usize = 120;

/// A feed document that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    doc: FeedDocument,
}

impl Deref for Feed {
    type Target = FeedDocument;
    fn deref(&self) -> &FeedDocument {
        &self.doc
    }
}

impl Feed {
    pub fn from_file(path: &Path) -> Result<Feed, Problems> {
        let text = super::read_file(path)?;
        Feed::from_json(&text, &path.display().to_string())
    }

    /// Parses and validates; `source` names the input in problems.
    pub fn from_json(text: &str, source: &str) -> Result<Feed, Problems> {
        let mut de = serde_json::Deserializer::from_str(text);
        let doc: FeedDocument = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| Problems::one(from_json_error(source, e)))?;
        de.end()
            .map_err(|e| Problems::one(Problem::new(source, "", Reason::Syntax(e.to_string()))))?;
        Feed::validate(doc, source)
    }

    pub fn validate(doc: FeedDocument, source: &str) -> Result<Feed, Problems> {
        let mut problems = Vec::new();
        let mut bad =
            |path: String, reason: Reason| problems.push(Problem::new(source, path, reason));

        if !super::is_slug(&doc.group) {
            bad(
                "group".into(),
                Reason::NotAName {
                    text: doc.group.clone(),
                    kind: NameKind::Group,
                },
            );
        }
        if doc.expires_at <= doc.generated_at {
            bad(
                "expires_at".into(),
                Reason::ExpiresNotAfterGenerated {
                    expires: doc.expires_at,
                    generated: doc.generated_at,
                },
            );
        }
        if let Some(playlist) = &doc.playlist {
            for p in playlist.problems() {
                let path = if p.path.is_empty() {
                    "playlist".to_string()
                } else {
                    format!("playlist.{}", p.path)
                };
                bad(path, p.reason);
            }
            if playlist.group != doc.group {
                bad(
                    "playlist.group".into(),
                    Reason::PlaylistGroupDiffers {
                        playlist: playlist.group.clone(),
                        feed: doc.group.clone(),
                    },
                );
            }
        }
        if doc.signing_keys.len() > 2 {
            bad(
                "signing_keys".into(),
                Reason::TooManySigningKeys {
                    count: doc.signing_keys.len(),
                },
            );
        }
        for (i, key) in doc.signing_keys.iter().enumerate() {
            if !is_public_key(key) {
                bad(format!("signing_keys[{i}]"), Reason::NotAPublicKey);
            }
        }
        if doc.assets.len() > MAX_ASSETS {
            bad(
                "assets".into(),
                Reason::TooManyAssets {
                    count: doc.assets.len(),
                    max: MAX_ASSETS,
                },
            );
        }
        let mut hashes = HashSet::new();
        for (i, a) in doc.assets.iter().enumerate() {
            let at = |field: &str| format!("assets[{i}].{field}");
            if !figure::is_sha256_hex(&a.sha256) {
                bad(
                    at("sha256"),
                    Reason::NotLowercaseHex64 {
                        text: a.sha256.clone(),
                    },
                );
            } else if !hashes.insert(a.sha256.as_str()) {
                bad(at("sha256"), Reason::HashListedTwice);
            }
            if !is_web_url(&a.url) {
                bad(
                    at("url"),
                    Reason::NotAWebAddress {
                        text: a.url.clone(),
                    },
                );
            }
            let mut parts = a.media_type.split('/');
            let ok = matches!(
                (parts.next(), parts.next(), parts.next()),
                (Some(t), Some(s), None) if !t.is_empty() && !s.is_empty()
            );
            if !ok {
                bad(
                    at("media_type"),
                    Reason::NotAMediaType {
                        text: a.media_type.clone(),
                    },
                );
            }
        }
        let mut seen = HashSet::new();
        for (i, n) in doc.notices.iter().enumerate() {
            let at = |field: &str| format!("notices[{i}].{field}");
            if n.id.trim().is_empty() {
                bad(at("id"), Reason::Empty);
            } else if n.id.chars().any(|c| c.is_whitespace() || c.is_control()) || n.id.len() > 64 {
                bad(at("id"), Reason::NotAnId { text: n.id.clone() });
            } else if !seen.insert(n.id.as_str()) {
                bad(at("id"), Reason::IdUsedTwice { id: n.id.clone() });
            }
            check_text(&mut bad, at("title"), &n.title, MAX_TITLE_CHARS, Lines::One);
            check_text(&mut bad, at("body"), &n.body, MAX_BODY_CHARS, Lines::Tables);
            for reason in super::table::problems(&n.body) {
                bad(at("body"), reason);
            }
            check_text(
                &mut bad,
                at("issuer"),
                &n.issuer,
                MAX_TITLE_CHARS,
                Lines::One,
            );
            if let Some(doc_number) = &n.doc_number {
                check_text(
                    &mut bad,
                    at("doc_number"),
                    doc_number,
                    MAX_TITLE_CHARS,
                    Lines::One,
                );
            }
            if let Some(instruction) = &n.instruction {
                check_text(
                    &mut bad,
                    at("instruction"),
                    instruction,
                    MAX_INSTRUCTION_CHARS,
                    Lines::Many,
                );
            }
            if let Some(contact) = &n.contact {
                check_text(
                    &mut bad,
                    at("contact"),
                    contact,
                    MAX_CONTACT_CHARS,
                    Lines::Many,
                );
            }
            for (field, reason) in figure::problems(&n.figures, |sha| hashes.contains(sha)) {
                bad(at(&field), reason);
            }
            for (j, f) in n.figures.iter().enumerate() {
                if let Some(caption) = &f.caption {
                    let path = at(&format!("figures[{j}].caption"));
                    check_text(&mut bad, path, caption, MAX_CAPTION_CHARS, Lines::One);
                }
                if let Some(alt) = &f.alt {
                    let path = at(&format!("figures[{j}].alt"));
                    check_text(&mut bad, path, alt, MAX_ALT_CHARS, Lines::One);
                }
            }
            if let Some(period) = &n.notice_period {
                for (field, reason) in period.problems() {
                    bad(at(field), reason);
                }
            }
            if let Some(alert_id) = &n.alert_id {
                check_text(
                    &mut bad,
                    at("alert_id"),
                    alert_id,
                    MAX_TITLE_CHARS,
                    Lines::One,
                );
            }
            if n.level.is_some() && n.priority != Priority::Emergency {
                bad(at("level"), Reason::LevelNotEmergency);
            }
            if let Some(until) = n.valid_until
                && until <= n.valid_from
            {
                bad(
                    at("valid_until"),
                    Reason::NotAfterValidFrom {
                        until,
                        from: n.valid_from,
                    },
                );
            }
            if let Some(url) = &n.url {
                if url.len() > MAX_QR_URL_BYTES {
                    bad(
                        at("url"),
                        Reason::UrlTooLongForQr {
                            bytes: url.len(),
                            max: MAX_QR_URL_BYTES,
                        },
                    );
                } else if !is_web_url(url) {
                    bad(at("url"), Reason::NotAWebAddress { text: url.clone() });
                }
            }
        }
        Problems::check(problems)?;
        Ok(Feed { doc })
    }

    /// The validated document, for serialising it again.
    pub fn document(&self) -> &FeedDocument {
        &self.doc
    }

    pub fn notice(&self, id: &str) -> Option<&Notice> {
        self.doc.notices.iter().find(|n| n.id == id)
    }
}

/// Which layout characters a text field may hold.
#[derive(Clone, Copy, PartialEq)]
enum Lines {
    /// None: a title, a name.
    One,
    /// Newlines.
    Many,
    /// Newlines and tabs: a body, whose tab-separated lines are tables (`model::table`).
    Tables,
}

fn check_text(
    bad: &mut impl FnMut(String, Reason),
    path: String,
    text: &str,
    max: usize,
    lines: Lines,
) {
    if text.trim().is_empty() {
        bad(path, Reason::Empty);
        return;
    }
    let count = text.chars().count();
    if count > max {
        bad(path, Reason::TooLong { chars: count, max });
        return;
    }
    if let Some(c) = text.chars().find(|&c| {
        let allowed = match c {
            '\n' => lines != Lines::One,
            '\t' => lines == Lines::Tables,
            _ => false,
        };
        (c.is_control() && !allowed) || is_invisible_format(c)
    }) {
        bad(path, Reason::ControlCharacter { code: c as u32 });
    }
}

/// The longest URL a notice may carry: screens show it as a QR code, and a longer one makes a
/// code too dense to scan from a distance (version 40 at 600 bytes is 177 modules a side, each
/// under a millimetre on the plaza's 150 mm code).
pub const MAX_QR_URL_BYTES: usize = 600;
/// The longest URL anywhere (assets).
pub const MAX_URL_CHARS: usize = 2000;

/// A plain check, not a full URL parser: screens only turn it into a QR code.
fn is_web_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            // No userinfo (`https://gov.cn@evil.example/` reads as gov.cn to a resident).
            !host.is_empty()
                && !host.contains('@')
                && url.chars().count() <= MAX_URL_CHARS
                && !url
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || is_invisible_format(c))
        }
        None => false,
    }
}

/// A public key as `feed::suite` writes it: the base64 of an Ed25519 key's 32 bytes, or `sm2:`
/// and the base64 of an SM2 key's 65-byte uncompressed point, on its curve either way.
fn is_public_key(text: &str) -> bool {
    use base64::Engine;
    let decode = |b64: &str| base64::engine::general_purpose::STANDARD.decode(b64).ok();
    match text.strip_prefix("sm2:") {
        // The user id only enters signatures; any will do to check the point.
        Some(b64) => decode(b64).is_some_and(|raw| {
            raw.len() == 65
                && sm2::dsa::VerifyingKey::from_sec1_bytes("1234567812345678", &raw).is_ok()
        }),
        None => decode(text)
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .is_some_and(|raw| ed25519_dalek::VerifyingKey::from_bytes(&raw).is_ok()),
    }
}

#[cfg(test)]
mod tests {
    /// Every check of the fonts' coverage reads the same fields: those a page draws, the
    /// optional ones only when given (issue 26: three checks read three different sets).
    #[test]
    fn drawn_fields_are_every_field_a_page_draws() {
        let names = |fields: Vec<(std::borrow::Cow<'static, str>, &str)>| -> Vec<String> {
            fields
                .into_iter()
                .map(|(name, _)| name.into_owned())
                .collect()
        };
        let figures = [
            super::Figure {
                asset: "a".repeat(64),
                caption: Some("图1".into()),
                alt: Some("位置图".into()),
            },
            super::Figure {
                asset: "b".repeat(64),
                caption: None,
                alt: Some("现场照片".into()),
            },
        ];
        let all = super::drawn_fields("t", "b", "i", Some("d"), Some("s"), Some("c"), &figures);
        assert_eq!(
            names(all),
            [
                "title",
                "body",
                "issuer",
                "doc_number",
                "instruction",
                "contact",
                "figures[0].caption",
                "figures[0].alt",
                "figures[1].alt"
            ]
        );
        let some = super::drawn_fields("t", "b", "i", None, Some("s"), None, &[]);
        assert_eq!(names(some), ["title", "body", "issuer", "instruction"]);
    }
}
