//! The signed feed envelope: DSSE (the Dead Simple Signing Envelope of in-toto and Sigstore)
//! around the feed document, signed with Ed25519 or SM2 (`suite.rs`).
//!
//! The signature covers `PAE(payloadType, payload)` = `"DSSEv1" SP LEN(type) SP type SP
//! LEN(body) SP body`, lengths as ASCII decimal byte counts. A public key is written as the
//! base64 of its raw bytes (`sm2:` before an SM2 key); its key id is the first 16 hex digits of
//! the SHA-256 of those bytes. `tests/vectors/dsse.json` and `tests/vectors/sm2.json` hold
//! vectors other implementations can check against.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

pub use super::suite::{KeyError, PublicKey, SecretKey, SignError, Signer, Suite};

/// The payload type of a noticecast feed.
pub const PAYLOAD_TYPE: &str = "application/vnd.noticecast.feed+json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Base64 of the feed document's bytes.
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSignature {
    pub keyid: String,
    /// Base64 of the 64-byte signature (Ed25519, or SM2's r ‖ s).
    pub sig: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("not a DSSE envelope: {0}")]
    Malformed(String),
    #[error("payloadType is {0:?}, not the one expected")]
    WrongType(String),
    #[error("no signature by a trusted key (signed by: {0})")]
    Untrusted(String),
    #[error("the signature of key {0} does not verify")]
    BadSignature(String),
}

/// The payload type of a screen's signed play records (公示证明).
pub const PLAYS_PAYLOAD_TYPE: &str = "application/vnd.noticecast.plays+json";

/// DSSE's pre-authentication encoding: what the signature covers.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// A public key trusted to sign feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedKey {
    pub id: String,
    pub key: PublicKey,
}

impl TrustedKey {
    pub fn new(key: PublicKey) -> TrustedKey {
        TrustedKey {
            id: key.key_id(),
            key,
        }
    }

    /// From its text: `sm2:BASE64` for an SM2 key, the bare base64 of an Ed25519 key's 32 bytes.
    pub fn parse(text: &str) -> Result<TrustedKey, KeyError> {
        PublicKey::parse(text).map(TrustedKey::new)
    }

    /// From an entry of `GET /feed/keys`: its `algorithm` (absent before the suites: Ed25519)
    /// and `public_key`.
    pub fn from_listing(algorithm: Option<&str>, public_key: &str) -> Result<TrustedKey, KeyError> {
        let suite = match algorithm {
            None => Suite::Ed25519,
            Some(name) => {
                Suite::parse(name).ok_or_else(|| KeyError::UnknownAlgorithm(name.to_string()))?
            }
        };
        let bytes = BASE64.decode(public_key.trim())?;
        PublicKey::from_bytes(suite, &bytes).map(TrustedKey::new)
    }

    /// The text `parse` reads.
    pub fn to_text(&self) -> String {
        self.key.to_text()
    }
}

/// Signs `payload` (a feed document's bytes) into an envelope.
pub fn sign<S: Signer + ?Sized>(payload: &[u8], key: &S) -> Result<Envelope, SignError> {
    sign_all(payload, &[key])
}

/// Signed by each of `keys` (during a key rotation: the new key and the old): a screen verifies
/// the first signature by a key it trusts.
pub fn sign_all<S: Signer + ?Sized>(payload: &[u8], keys: &[&S]) -> Result<Envelope, SignError> {
    sign_as(PAYLOAD_TYPE, payload, keys)
}

/// An envelope of another payload type (a screen's play records, `PLAYS_PAYLOAD_TYPE`).
pub fn sign_as<S: Signer + ?Sized>(
    payload_type: &str,
    payload: &[u8],
    keys: &[&S],
) -> Result<Envelope, SignError> {
    let message = pae(payload_type, payload);
    let signatures = keys
        .iter()
        .map(|key| {
            Ok(EnvelopeSignature {
                keyid: key.public_key().key_id(),
                sig: BASE64.encode(key.sign(&message)?),
            })
        })
        .collect::<Result<_, SignError>>()?;
    Ok(Envelope {
        payload_type: payload_type.to_string(),
        payload: BASE64.encode(payload),
        signatures,
    })
}

impl Envelope {
    pub fn from_json(bytes: &[u8]) -> Result<Envelope, EnvelopeError> {
        serde_json::from_slice(bytes).map_err(|e| EnvelopeError::Malformed(e.to_string()))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an envelope serialises")
    }

    /// The payload, if a signature by one of `trusted` verifies. Signatures by unknown keys are
    /// passed over (a feed may carry a new key's signature during a rotation); a signature that
    /// claims a trusted key id and does not verify is an error.
    pub fn verify(&self, trusted: &[TrustedKey]) -> Result<Vec<u8>, EnvelopeError> {
        self.verify_as(PAYLOAD_TYPE, trusted)
    }

    /// `verify` for an envelope of `payload_type`.
    pub fn verify_as(
        &self,
        payload_type: &str,
        trusted: &[TrustedKey],
    ) -> Result<Vec<u8>, EnvelopeError> {
        if self.payload_type != payload_type {
            return Err(EnvelopeError::WrongType(self.payload_type.clone()));
        }
        let payload = BASE64
            .decode(&self.payload)
            .map_err(|e| EnvelopeError::Malformed(format!("payload: {e}")))?;
        let message = pae(&self.payload_type, &payload);
        for s in &self.signatures {
            let Some(key) = trusted.iter().find(|k| k.id == s.keyid) else {
                continue;
            };
            let verified = BASE64
                .decode(&s.sig)
                .is_ok_and(|sig| key.key.verify(&message, &sig));
            if !verified {
                return Err(EnvelopeError::BadSignature(s.keyid.clone()));
            }
            return Ok(payload);
        }
        let ids: Vec<&str> = self.signatures.iter().map(|s| s.keyid.as_str()).collect();
        Err(EnvelopeError::Untrusted(if ids.is_empty() {
            "nobody".into()
        } else {
            ids.join(", ")
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(suite: Suite, seed: u8) -> SecretKey {
        SecretKey::from_bytes(suite, &[seed; 32]).unwrap()
    }

    fn trusted(k: &SecretKey) -> TrustedKey {
        TrustedKey::parse(&k.public_key().to_text()).unwrap()
    }

    #[test]
    fn pae_is_dssev1() {
        assert_eq!(pae("t", b"hello"), b"DSSEv1 1 t 5 hello");
        // Lengths are byte counts, not characters.
        assert_eq!(pae("t", "公告".as_bytes()), "DSSEv1 1 t 6 公告".as_bytes());
    }

    #[test]
    fn a_signed_envelope_verifies_with_its_key_only() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let payload = br#"{"format":"noticecast.feed/1"}"#;
            let envelope = sign(payload, &key(suite, 1)).unwrap();
            assert_eq!(
                envelope.verify(&[trusted(&key(suite, 1))]).unwrap(),
                payload
            );
            assert!(matches!(
                envelope.verify(&[trusted(&key(suite, 2))]),
                Err(EnvelopeError::Untrusted(_))
            ));
            // Two trusted keys (a rotation): either verifies.
            assert!(
                envelope
                    .verify(&[trusted(&key(suite, 2)), trusted(&key(suite, 1))])
                    .is_ok()
            );
        }
        // The same secret bytes in the other suite are another key.
        let envelope = sign(b"x", &key(Suite::Sm2, 1)).unwrap();
        assert!(matches!(
            envelope.verify(&[trusted(&key(Suite::Ed25519, 1))]),
            Err(EnvelopeError::Untrusted(_))
        ));
    }

    #[test]
    fn tampering_is_detected() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let mut envelope = sign(b"{\"sequence\":1}", &key(suite, 1)).unwrap();
            envelope.payload = BASE64.encode(b"{\"sequence\":2}");
            assert!(matches!(
                envelope.verify(&[trusted(&key(suite, 1))]),
                Err(EnvelopeError::BadSignature(_))
            ));
            let mut envelope = sign(b"x", &key(suite, 1)).unwrap();
            envelope.payload_type = "application/json".into();
            assert!(matches!(
                envelope.verify(&[trusted(&key(suite, 1))]),
                Err(EnvelopeError::WrongType(_))
            ));
        }
    }

    #[test]
    fn key_ids_and_bad_keys() {
        let k = trusted(&key(Suite::Ed25519, 1));
        assert_eq!(k.id.len(), 16);
        assert!(k.id.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(
            TrustedKey::parse("AAAA")
                .unwrap_err()
                .to_string()
                .contains("32")
        );
        assert!(TrustedKey::parse("not base64!").is_err());
        assert!(
            TrustedKey::parse("sm2:AAAA")
                .unwrap_err()
                .to_string()
                .contains("65")
        );
    }
}
