//! The signature suites a feed may be signed with, and the one trait every signing goes through.
//!
//! - `ed25519`: Ed25519 (RFC 8032); a public key is its 32 raw bytes, a signature 64 bytes.
//! - `sm2`: SM2 (GB/T 32918.2) with the SM3 digest (GB/T 32905) over `Z_A ‖ M`, the default user
//!   id `1234567812345678`; a public key is the uncompressed point (65 bytes, `04 ‖ x ‖ y`), a
//!   signature `r ‖ s` (64 bytes). Checked against OpenSSL's SM2 in `tests/vectors/sm2.json`.
//!
//! Written as text, a key is the base64 of those bytes, prefixed `sm2:` for SM2 (a bare key is
//! Ed25519, as every key was before the suites). A key id is the first 16 hex digits of the
//! SHA-256 of the raw public key bytes, whatever the suite.
//!
//! Signing goes through `Signer`, so a key held in a hardware token or a cipher machine (which
//! never gives its secret out, and can fail) takes the place of a key file without any caller
//! changing: see docs/crypto.md.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

/// The SM2 signer's distinguishing identifier: GB/T 35276's default, what OpenSSL and GmSSL use
/// when none is given.
pub const SM2_USER_ID: &str = "1234567812345678";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Suite {
    Ed25519,
    Sm2,
}

impl Suite {
    pub fn as_str(self) -> &'static str {
        match self {
            Suite::Ed25519 => "ed25519",
            Suite::Sm2 => "sm2",
        }
    }

    pub fn parse(text: &str) -> Option<Suite> {
        match text {
            "ed25519" => Some(Suite::Ed25519),
            "sm2" => Some(Suite::Sm2),
            _ => None,
        }
    }

    /// `sm2:` before an SM2 key's base64; nothing before an Ed25519 key's.
    fn prefix(self) -> &'static str {
        match self {
            Suite::Ed25519 => "",
            Suite::Sm2 => "sm2:",
        }
    }
}

impl fmt::Display for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Splits `sm2:BASE64` / `ed25519:BASE64` / `BASE64` (Ed25519) into the suite and the base64.
fn split_suite(text: &str) -> (Suite, &str) {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("sm2:") {
        (Suite::Sm2, rest)
    } else if let Some(rest) = text.strip_prefix("ed25519:") {
        (Suite::Ed25519, rest)
    } else {
        (Suite::Ed25519, text)
    }
}

/// A public key of either suite.
#[derive(Clone)]
pub enum PublicKey {
    Ed25519(ed25519_dalek::VerifyingKey),
    Sm2(Box<sm2::dsa::VerifyingKey>),
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.to_text())
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &PublicKey) -> bool {
        self.suite() == other.suite() && self.to_bytes() == other.to_bytes()
    }
}

impl Eq for PublicKey {}

impl PublicKey {
    pub fn suite(&self) -> Suite {
        match self {
            PublicKey::Ed25519(_) => Suite::Ed25519,
            PublicKey::Sm2(_) => Suite::Sm2,
        }
    }

    /// The raw bytes: 32 for Ed25519, the 65-byte uncompressed point for SM2.
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Ed25519(key) => key.as_bytes().to_vec(),
            PublicKey::Sm2(key) => key.to_sec1_bytes().into_vec(),
        }
    }

    /// From a suite and the raw bytes.
    pub fn from_bytes(suite: Suite, bytes: &[u8]) -> Result<PublicKey, String> {
        match suite {
            Suite::Ed25519 => {
                let raw: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| format!("{} bytes, an Ed25519 public key has 32", bytes.len()))?;
                ed25519_dalek::VerifyingKey::from_bytes(&raw)
                    .map(PublicKey::Ed25519)
                    .map_err(|e| format!("not an Ed25519 public key: {e}"))
            }
            Suite::Sm2 => {
                if bytes.len() != 65 || bytes[0] != 4 {
                    return Err(format!(
                        "{} bytes, an SM2 public key is the 65-byte uncompressed point \
                         (04 ‖ x ‖ y)",
                        bytes.len()
                    ));
                }
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_USER_ID, bytes)
                    .map(|k| PublicKey::Sm2(Box::new(k)))
                    .map_err(|_| "not a point on the SM2 curve".to_string())
            }
        }
    }

    /// From its text: `sm2:BASE64`, `ed25519:BASE64`, or the bare base64 as `GET /feed/keys`
    /// lists it beside its `algorithm`: 32 bytes are an Ed25519 key, 65 an SM2 point (the two
    /// suites' public keys never share a length, so an operator may paste either as listed).
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        let (suite, b64) = split_suite(text);
        let bytes = BASE64.decode(b64).map_err(|e| format!("not base64: {e}"))?;
        let bare = !text.trim().contains(':');
        let suite = if bare && bytes.len() == 65 {
            Suite::Sm2
        } else {
            suite
        };
        PublicKey::from_bytes(suite, &bytes)
    }

    /// The base64 of the raw bytes, without the suite.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.to_bytes())
    }

    /// The text `parse` reads: `sm2:` and the base64 for SM2, the bare base64 for Ed25519.
    pub fn to_text(&self) -> String {
        format!("{}{}", self.suite().prefix(), self.to_base64())
    }

    /// The first 16 hex digits of the SHA-256 of the raw bytes.
    pub fn key_id(&self) -> String {
        let digest = Sha256::digest(self.to_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `signature` is this key's over `message`. Ed25519 is verified strictly
    /// (malleable and small-order signatures are refused).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            PublicKey::Ed25519(key) => <[u8; 64]>::try_from(signature).is_ok_and(|b| {
                key.verify_strict(message, &ed25519_dalek::Signature::from_bytes(&b))
                    .is_ok()
            }),
            PublicKey::Sm2(key) => {
                use sm2::dsa::signature::Verifier;
                sm2::dsa::Signature::from_slice(signature)
                    .is_ok_and(|sig| key.verify(message, &sig).is_ok())
            }
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("the signing key {key_id} could not sign: {reason}")]
pub struct SignError {
    pub key_id: String,
    pub reason: String,
}

/// What signs: a key file's key here, a hardware token later. `sign` returns the signature's
/// bytes in the suite's encoding (64 bytes for both suites).
pub trait Signer: Send + Sync {
    fn public_key(&self) -> PublicKey;
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

impl Signer for ed25519_dalek::SigningKey {
    fn public_key(&self) -> PublicKey {
        PublicKey::Ed25519(self.verifying_key())
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        Ok(ed25519_dalek::Signer::sign(self, message)
            .to_bytes()
            .to_vec())
    }
}

/// A secret key of either suite, as a key file holds it.
#[derive(Clone)]
pub enum SecretKey {
    Ed25519(ed25519_dalek::SigningKey),
    Sm2(sm2::dsa::SigningKey),
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SecretKey({}, {})",
            self.suite(),
            self.public_key().key_id()
        )
    }
}

impl SecretKey {
    pub fn suite(&self) -> Suite {
        match self {
            SecretKey::Ed25519(_) => Suite::Ed25519,
            SecretKey::Sm2(_) => Suite::Sm2,
        }
    }

    /// From 32 secret bytes: an Ed25519 seed, or an SM2 private scalar (big-endian, in
    /// 1..n−1).
    pub fn from_bytes(suite: Suite, bytes: &[u8; 32]) -> Result<SecretKey, String> {
        match suite {
            Suite::Ed25519 => Ok(SecretKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                bytes,
            ))),
            Suite::Sm2 => sm2::dsa::SigningKey::from_slice(SM2_USER_ID, bytes)
                .map(SecretKey::Sm2)
                .map_err(|_| {
                    "not an SM2 private key (zero, or not below the curve's order)".into()
                }),
        }
    }

    /// A new key from 32 random bytes per try (`random` fills them); an SM2 scalar outside
    /// 1..n−1 (a chance of about 2⁻³²) is drawn again.
    pub fn generate<E>(
        suite: Suite,
        mut random: impl FnMut(&mut [u8; 32]) -> Result<(), E>,
    ) -> Result<SecretKey, E> {
        loop {
            let mut bytes = [0u8; 32];
            random(&mut bytes)?;
            if let Ok(key) = SecretKey::from_bytes(suite, &bytes) {
                return Ok(key);
            }
        }
    }

    /// The 32 secret bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        match self {
            SecretKey::Ed25519(key) => key.to_bytes(),
            SecretKey::Sm2(key) => key.to_bytes().into(),
        }
    }

    /// A key file's text: the base64 of the secret bytes, `sm2:` before an SM2 key.
    pub fn to_text(&self) -> String {
        format!(
            "{}{}",
            self.suite().prefix(),
            BASE64.encode(self.to_bytes())
        )
    }

    /// From a key file's text.
    pub fn parse(text: &str) -> Result<SecretKey, String> {
        let (suite, b64) = split_suite(text);
        let bytes = BASE64.decode(b64).map_err(|e| format!("not base64: {e}"))?;
        let raw: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("{} bytes, a {suite} secret key has 32", b.len()))?;
        SecretKey::from_bytes(suite, &raw)
    }
}

impl Signer for SecretKey {
    fn public_key(&self) -> PublicKey {
        match self {
            SecretKey::Ed25519(key) => PublicKey::Ed25519(key.verifying_key()),
            SecretKey::Sm2(key) => PublicKey::Sm2(Box::new(key.verifying_key().clone())),
        }
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        match self {
            SecretKey::Ed25519(key) => Signer::sign(key, message),
            SecretKey::Sm2(key) => {
                use sm2::dsa::signature::Signer as _;
                let signature: sm2::dsa::Signature =
                    key.try_sign(message).map_err(|e| SignError {
                        key_id: self.public_key().key_id(),
                        reason: e.to_string(),
                    })?;
                Ok(signature.to_bytes().to_vec())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_verify_refused_the_sm2_key_as_feed_keys_lists_it() {
        // `GET /feed/keys` lists `{"algorithm": "sm2", "public_key": BASE64}`: the bare base64
        // of the 65-byte point must read as that SM2 key, not fail as a 32-byte Ed25519 one.
        let public = SecretKey::from_bytes(Suite::Sm2, &[9; 32])
            .unwrap()
            .public_key();
        assert_eq!(PublicKey::parse(&public.to_base64()).unwrap(), public);
        let ed = SecretKey::from_bytes(Suite::Ed25519, &[9; 32])
            .unwrap()
            .public_key();
        assert_eq!(PublicKey::parse(&ed.to_base64()).unwrap(), ed);
        // A prefix still decides: 65 bytes called Ed25519 are refused.
        assert!(PublicKey::parse(&format!("ed25519:{}", public.to_base64())).is_err());
    }

    #[test]
    fn both_suites_sign_verify_and_round_trip_as_text() {
        for suite in [Suite::Ed25519, Suite::Sm2] {
            let key = SecretKey::from_bytes(suite, &[7; 32]).unwrap();
            let again = SecretKey::parse(&key.to_text()).unwrap();
            assert_eq!(again.to_bytes(), key.to_bytes());
            assert_eq!(again.suite(), suite);
            let public = key.public_key();
            assert_eq!(PublicKey::parse(&public.to_text()).unwrap(), public);
            assert_eq!(
                public.to_bytes().len(),
                if suite == Suite::Sm2 { 65 } else { 32 }
            );
            let signature = Signer::sign(&key, b"DSSEv1 4 test 2 hi").unwrap();
            assert_eq!(signature.len(), 64);
            assert!(public.verify(b"DSSEv1 4 test 2 hi", &signature));
            assert!(!public.verify(b"DSSEv1 4 test 2 ho", &signature));
        }
        // A bare key is Ed25519; an SM2 key's text says so.
        let sm2 = SecretKey::from_bytes(Suite::Sm2, &[7; 32]).unwrap();
        assert!(sm2.public_key().to_text().starts_with("sm2:"));
        assert!(
            !SecretKey::from_bytes(Suite::Ed25519, &[7; 32])
                .unwrap()
                .public_key()
                .to_text()
                .contains(':')
        );
    }

    #[test]
    fn bad_keys_say_why() {
        assert!(
            PublicKey::parse("sm2:AAAA")
                .unwrap_err()
                .contains("65-byte")
        );
        assert!(PublicKey::parse("AAAA").unwrap_err().contains("32"));
        let zero = format!("sm2:{}", BASE64.encode([0u8; 32]));
        assert!(
            SecretKey::parse(&zero)
                .unwrap_err()
                .contains("SM2 private key")
        );
        // A point not on the curve.
        let mut point = vec![4u8];
        point.extend([1u8; 64]);
        assert!(
            PublicKey::parse(&format!("sm2:{}", BASE64.encode(point)))
                .unwrap_err()
                .contains("curve")
        );
    }
}
