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
    #[error(
        "{0}: a feed from a stolen key or a broken signer, refused so it cannot lock this \
         screen out"
    )]
    Implausible(String),
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

/// What a screen knows of the office's keys beyond its player.toml: the keys the last accepted
/// feed announced, and the ids of keys a finished rotation retired (never trusted again, even
/// where player.toml still lists them: a stolen old key must not outlive its rotation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyState {
    pub learned: Vec<TrustedKey>,
    pub retired: Vec<String>,
}

impl KeyState {
    /// The keys to check a feed with now.
    pub fn trusted(&self, configured: &[TrustedKey]) -> Vec<TrustedKey> {
        keys_to_trust(configured, &self.learned)
            .into_iter()
            .filter(|k| !self.retired.contains(&k.id))
            .collect()
    }

    /// After accepting `feed`, signed by `signers` (the trusted keys whose signatures it
    /// carries). During a rotation the feed announces both keys, the new one first; once a feed
    /// announces none and is signed by that new key, the rotation is over and the keys that no
    /// longer sign are retired. (A feed signed by the old key alone retires nothing: a stolen
    /// old key must not retire the new one.)
    pub fn after(
        &self,
        feed: &Feed,
        signers: &[TrustedKey],
        configured: &[TrustedKey],
    ) -> KeyState {
        let signs = |k: &TrustedKey| signers.iter().any(|s| s.id == k.id);
        let mut retired = self.retired.clone();
        let announced: Vec<TrustedKey> = announced(feed)
            .into_iter()
            .filter(|k| !retired.contains(&k.id))
            .collect();
        if !announced.is_empty() {
            return KeyState {
                learned: announced,
                retired,
            };
        }
        let Some(newest) = self.learned.first() else {
            // No rotation ever learned: the configured keys stand as they are.
            return self.clone();
        };
        if !signs(newest) {
            return self.clone();
        }
        for key in self.learned.iter().chain(configured) {
            if !signs(key) && !retired.contains(&key.id) {
                retired.push(key.id.clone());
            }
        }
        KeyState {
            learned: self.learned.iter().filter(|k| signs(k)).cloned().collect(),
            retired,
        }
    }
}

/// The keys `feed` announces (invalid ones were refused when it was validated).
pub fn announced(feed: &Feed) -> Vec<TrustedKey> {
    feed.signing_keys
        .iter()
        .filter_map(|k| TrustedKey::parse(k).ok())
        .collect()
}

/// How far a sequence may run ahead of its own signing time in milliseconds: the service's
/// sequences are at least the signing time in ms (`service::feeds`), one more per change.
const SEQUENCE_AHEAD_MS: u64 = 30 * 86_400_000;
/// How far ahead of what the screen knows of the time (its clock, or the newest feed it accepted,
/// whichever is later) a feed may say it was signed. Generous: a box whose clock is days behind
/// (fake-hwclock after a week switched off, no time server yet) must not be locked out, and a
/// feed from a stolen key can hold a screen back this long at most, never for good.
const AHEAD: chrono::TimeDelta = chrono::TimeDelta::days(60);

/// Whether `feed`'s sequence and time could come from the office's service: a sequence accepted
/// once can never be passed again, so one absurdly far ahead (2^64−1, or a time in the year
/// 9999) would lock the screen out of every later feed for good.
fn implausible(feed: &Feed, last: &Accepted, clock: Timestamp) -> Option<String> {
    let generated_ms = feed.generated_at.timestamp_millis().max(0) as u64;
    if feed.sequence > generated_ms.saturating_add(SEQUENCE_AHEAD_MS) {
        return Some(format!(
            "sequence {} is far beyond its signing time {}",
            feed.sequence, feed.generated_at
        ));
    }
    // A clock before 2020 is an unsynchronised one (`timesync::judging_clock`): with no feed
    // accepted yet there is nothing to judge by.
    let clock_trusted = clock.timestamp() > 1_577_836_800;
    let known = match (clock_trusted, last.generated_at) {
        (true, g) => g.map_or(clock, |g| clock.max(g)),
        (false, Some(g)) => g,
        (false, None) => return None,
    };
    let limit = known + AHEAD;
    (feed.generated_at > limit).then(|| {
        format!(
            "signed at {}, later than this screen can believe (up to {limit})",
            feed.generated_at
        )
    })
}

/// Checks an envelope fetched from `source`: a trusted signature, a valid payload, this screen's
/// group, a sequence after the last accepted one and a plausible one, not expired.
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
            crate::model::Reason::NotUtf8,
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
    if let Some(reason) = implausible(&feed, last, clock) {
        return Err(Refusal::Implausible(reason));
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
