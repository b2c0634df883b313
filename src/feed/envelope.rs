//! The signed feed envelope: DSSE (the Dead Simple Signing Envelope of in-toto and Sigstore)
//! around the feed document, signed with Ed25519.
//!
//! The signature covers `PAE(payloadType, payload)` = `"DSSEv1" SP LEN(type) SP type SP
//! LEN(body) SP body`, lengths as ASCII decimal byte counts. A public key is written as the
//! base64 of its 32 raw bytes; its key id is the first 16 hex digits of the SHA-256 of those
//! bytes. `tests/vectors/dsse.json` holds vectors other implementations can check against.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
    /// Base64 of the 64-byte Ed25519 signature.
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
    pub key: VerifyingKey,
}

impl TrustedKey {
    /// From the base64 of the key's 32 raw bytes.
    pub fn from_base64(text: &str) -> Result<TrustedKey, String> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|e| format!("not base64: {e}"))?;
        let raw: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("{} bytes, an Ed25519 public key has 32", b.len()))?;
        let key = VerifyingKey::from_bytes(&raw)
            .map_err(|e| format!("not an Ed25519 public key: {e}"))?;
        Ok(TrustedKey {
            id: key_id(&key),
            key,
        })
    }

    pub fn to_base64(&self) -> String {
        BASE64.encode(self.key.as_bytes())
    }
}

/// The first 16 hex digits of the SHA-256 of the key's raw bytes.
pub fn key_id(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Signs `payload` (a feed document's bytes) into an envelope.
pub fn sign(payload: &[u8], key: &SigningKey) -> Envelope {
    sign_all(payload, &[key])
}

/// Signed by each of `keys` (during a key rotation: the new key and the old): a screen verifies
/// the first signature by a key it trusts.
pub fn sign_all(payload: &[u8], keys: &[&SigningKey]) -> Envelope {
    sign_as(PAYLOAD_TYPE, payload, keys)
}

/// An envelope of another payload type (a screen's play records, `PLAYS_PAYLOAD_TYPE`).
pub fn sign_as(payload_type: &str, payload: &[u8], keys: &[&SigningKey]) -> Envelope {
    let message = pae(payload_type, payload);
    Envelope {
        payload_type: payload_type.to_string(),
        payload: BASE64.encode(payload),
        signatures: keys
            .iter()
            .map(|key| EnvelopeSignature {
                keyid: key_id(&key.verifying_key()),
                sig: BASE64.encode(key.sign(&message).to_bytes()),
            })
            .collect(),
    }
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
            let sig = BASE64
                .decode(&s.sig)
                .ok()
                .and_then(|b| <[u8; 64]>::try_from(b).ok())
                .map(|b| Signature::from_bytes(&b))
                .ok_or_else(|| EnvelopeError::BadSignature(s.keyid.clone()))?;
            // Strict verification refuses malleable and small-order signatures.
            key.key
                .verify_strict(&message, &sig)
                .map_err(|_| EnvelopeError::BadSignature(s.keyid.clone()))?;
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

    fn key(seed: u8) -> SigningKey {
        SigningKey::from_bytes(&[seed; 32])
    }

    fn trusted(k: &SigningKey) -> TrustedKey {
        TrustedKey::from_base64(&BASE64.encode(k.verifying_key().as_bytes())).unwrap()
    }

    #[test]
    fn pae_is_dssev1() {
        assert_eq!(pae("t", b"hello"), b"DSSEv1 1 t 5 hello");
        // Lengths are byte counts, not characters.
        assert_eq!(pae("t", "公告".as_bytes()), "DSSEv1 1 t 6 公告".as_bytes());
    }

    #[test]
    fn a_signed_envelope_verifies_with_its_key_only() {
        let payload = br#"{"format":"noticecast.feed/1"}"#;
        let envelope = sign(payload, &key(1));
        assert_eq!(envelope.verify(&[trusted(&key(1))]).unwrap(), payload);
        assert!(matches!(
            envelope.verify(&[trusted(&key(2))]),
            Err(EnvelopeError::Untrusted(_))
        ));
        // Two trusted keys (a rotation): either verifies.
        assert!(
            envelope
                .verify(&[trusted(&key(2)), trusted(&key(1))])
                .is_ok()
        );
    }

    #[test]
    fn tampering_is_detected() {
        let mut envelope = sign(b"{\"sequence\":1}", &key(1));
        envelope.payload = BASE64.encode(b"{\"sequence\":2}");
        assert!(matches!(
            envelope.verify(&[trusted(&key(1))]),
            Err(EnvelopeError::BadSignature(_))
        ));
        let mut envelope = sign(b"x", &key(1));
        envelope.payload_type = "application/json".into();
        assert!(matches!(
            envelope.verify(&[trusted(&key(1))]),
            Err(EnvelopeError::WrongType(_))
        ));
    }

    #[test]
    fn key_ids_and_bad_keys() {
        let k = trusted(&key(1));
        assert_eq!(k.id.len(), 16);
        assert!(k.id.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(TrustedKey::from_base64("AAAA").unwrap_err().contains("32"));
        assert!(TrustedKey::from_base64("not base64!").is_err());
    }
}
