//! Whether a fetched envelope may replace what a screen shows. Pure: the caller passes the bytes,
//! the keys, what was accepted before and the time.

use super::envelope::{Envelope, EnvelopeError, TrustedKey};
use crate::model::{Feed, Problems, Timestamp};

/// What the screen accepted last: refusals are judged against it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accepted {
    pub sequence: Option<u64>,
    /// The newest `generated_at` accepted: a floor for "now" on a device whose clock is wrong
    /// (no RTC, booted in 1970), so it still shows current content and expires nothing early.
    pub generated_at: Option<Timestamp>,
}

impl Accepted {
    pub fn of(feed: &Feed) -> Accepted {
        Accepted {
            sequence: Some(feed.sequence),
            generated_at: Some(feed.generated_at),
        }
    }

    /// The clock, but never before the newest feed accepted.
    pub fn floor(&self, clock: Timestamp) -> Timestamp {
        self.generated_at.map_or(clock, |g| clock.max(g))
    }
}

/// Why a feed was refused. The last good feed stays on screen.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    #[error("the payload is not a valid feed: {0}")]
    Invalid(Problems),
    #[error("the feed is for group {got:?}, this screen is in {want:?}")]
    WrongGroup { got: String, want: String },
    #[error("sequence {got} is not after the accepted {last}: a replayed or older feed")]
    Replayed { got: u64, last: u64 },
    #[error("the feed expired at {expires_at} (now {now})")]
    Expired {
        expires_at: Timestamp,
        now: Timestamp,
    },
}

/// The keys a screen trusts: those of its player.toml, and those that the last feed it accepted
/// announced (`signing_keys`), so that it follows a key rotation without a visit. The
/// announcement came in a feed signed by a key it already trusted.
pub fn keys_to_trust(configured: &[TrustedKey], learned: &[TrustedKey]) -> Vec<TrustedKey> {
    let mut keys = configured.to_vec();
    for key in learned {
        if !keys.iter().any(|k| k.id == key.id) {
            keys.push(key.clone());
        }
    }
    keys
}

/// The keys `feed` announces (invalid ones were refused when it was validated).
pub fn announced(feed: &Feed) -> Vec<TrustedKey> {
    feed.signing_keys
        .iter()
        .filter_map(|k| TrustedKey::parse(k).ok())
        .collect()
}

/// Checks an envelope fetched from `source`: a trusted signature, a valid payload, this screen's
/// group, a sequence after the last accepted one, not expired.
pub fn accept(
    bytes: &[u8],
    source: &str,
    keys: &[TrustedKey],
    group: &str,
    last: &Accepted,
    clock: Timestamp,
) -> Result<Feed, Refusal> {
    let envelope = Envelope::from_json(bytes)?;
    let payload = envelope.verify(keys)?;
    let text = String::from_utf8(payload).map_err(|_| {
        Refusal::Invalid(Problems::one(crate::model::Problem::new(
            source,
            "",
            "the payload is not UTF-8",
        )))
    })?;
    let feed = Feed::from_json(&text, source).map_err(Refusal::Invalid)?;
    if feed.group != group {
        return Err(Refusal::WrongGroup {
            got: feed.group.clone(),
            want: group.to_string(),
        });
    }
    if let Some(seq) = last.sequence
        && feed.sequence <= seq
    {
        return Err(Refusal::Replayed {
            got: feed.sequence,
            last: seq,
        });
    }
    let now = last.floor(clock);
    if feed.expires_at <= now {
        return Err(Refusal::Expired {
            expires_at: feed.expires_at,
            now,
        });
    }
    Ok(feed)
}
