//! A screen's configuration, `player.toml` (example: deploy/player.example.toml).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::envelope::TrustedKey;
use crate::model::{NameKind, Problem, Problems, Reason, Unit};

/// `player.toml` as written.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    screen_id: String,
    group: String,
    feed_urls: Vec<String>,
    trusted_keys: Vec<String>,
    cache_dir: PathBuf,
    #[serde(default = "default_poll")]
    poll_interval_s: u64,
    token: String,
    #[serde(default)]
    report_url: Option<String>,
    #[serde(default = "default_log")]
    log_level: String,
    #[serde(default)]
    cec: bool,
}

fn default_poll() -> u64 {
    60
}

fn default_log() -> String {
    "info".into()
}

/// A validated screen configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayerConfig {
    pub screen_id: String,
    pub group: String,
    /// The primary feed URL first, then mirrors.
    pub feed_urls: Vec<String>,
    /// One key, or two during a key rotation.
    pub trusted_keys: Vec<TrustedKey>,
    pub cache_dir: PathBuf,
    pub poll_interval_s: u64,
    /// The screen's bearer token for heartbeats and play reports.
    pub token: String,
    /// The central service, for heartbeats and play reports (default: the first feed URL's
    /// scheme, host and port).
    pub report_url: String,
    pub log_level: String,
    /// Put the display to standby over HDMI-CEC in off-hours (`cec-ctl`), and wake it.
    pub cec: bool,
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.contains(char::is_whitespace)
        && s.len() > 8
}

/// `https://host:port` of a URL.
fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let host = rest.split('/').next().unwrap_or("");
    format!("{scheme}://{host}")
}

impl PlayerConfig {
    pub fn from_file(path: &Path) -> Result<PlayerConfig, Problems> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Problems::one(Problem::new(&source, "", Reason::CannotRead(e.to_string())))
        })?;
        PlayerConfig::from_toml(&text, &source)
    }

    pub fn from_toml(text: &str, source: &str) -> Result<PlayerConfig, Problems> {
        let de = toml::Deserializer::parse(text).map_err(|e| {
            Problems::one(Problem::new(
                source,
                "",
                Reason::Syntax(crate::model::toml_reason(text, &e)),
            ))
        })?;
        let raw: RawConfig = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            Problems::one(Problem::new(
                source,
                if path == "." { String::new() } else { path },
                Reason::Syntax(crate::model::toml_reason(text, e.inner())),
            ))
        })?;
        let mut problems = Vec::new();
        let mut bad =
            |path: &str, reason: Reason| problems.push(Problem::new(source, path, reason));
        if !crate::model::is_slug(&raw.screen_id) {
            bad(
                "screen_id",
                Reason::NotAName {
                    text: raw.screen_id.clone(),
                    kind: NameKind::Screen,
                },
            );
        }
        if !crate::model::is_slug(&raw.group) {
            bad(
                "group",
                Reason::NotAName {
                    text: raw.group.clone(),
                    kind: NameKind::Group,
                },
            );
        }
        if raw.feed_urls.is_empty() {
            bad("feed_urls", Reason::NoFeedUrls);
        }
        for (i, url) in raw.feed_urls.iter().enumerate() {
            if !is_url(url) {
                bad(
                    &format!("feed_urls[{i}]"),
                    Reason::NotAUrl { text: url.clone() },
                );
            }
        }
        if !(1..=2).contains(&raw.trusted_keys.len()) {
            bad(
                "trusted_keys",
                Reason::TrustedKeyCount {
                    count: raw.trusted_keys.len(),
                },
            );
        }
        let mut keys = Vec::new();
        for (i, key) in raw.trusted_keys.iter().enumerate() {
            match TrustedKey::parse(key) {
                Ok(k) => keys.push(k),
                Err(e) => bad(
                    &format!("trusted_keys[{i}]"),
                    Reason::NotAKey(e.to_string()),
                ),
            }
        }
        if !(10..=3600).contains(&raw.poll_interval_s) {
            bad(
                "poll_interval_s",
                Reason::out_of_range(raw.poll_interval_s, 10, 3600, Unit::Seconds),
            );
        }
        if raw.token.trim().is_empty() {
            bad("token", Reason::NoToken);
        }
        if !["error", "warn", "info", "debug", "trace"].contains(&raw.log_level.as_str()) {
            bad(
                "log_level",
                Reason::NotALogLevel {
                    text: raw.log_level.clone(),
                },
            );
        }
        let report_url = match &raw.report_url {
            Some(url) => url.clone(),
            None => raw.feed_urls.first().map(|u| origin(u)).unwrap_or_default(),
        };
        if !is_url(&report_url) {
            bad(
                "report_url",
                Reason::NotAUrl {
                    text: report_url.clone(),
                },
            );
        }
        Problems::check(problems)?;
        Ok(PlayerConfig {
            screen_id: raw.screen_id,
            group: raw.group,
            feed_urls: raw.feed_urls,
            trusted_keys: keys,
            cache_dir: raw.cache_dir,
            poll_interval_s: raw.poll_interval_s,
            token: raw.token,
            report_url,
            log_level: raw.log_level,
            cec: raw.cec,
        })
    }
}
