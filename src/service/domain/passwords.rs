//! Secrets: argon2id passwords and the rules a password must follow, one-time codes, and the
//! random tokens (sessions, CSRF, screens, alert sources) with the hash the database keeps.
//!
//! Secrets are random 256-bit values; only their SHA-256 is stored, so a copy of the database
//! does not let anyone log in or speak for a screen. Knows nothing of users: `accounts` and
//! `sessions` build on it.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::service::domain::error::Error;

/// The fewest characters a password has.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// 32 random bytes, URL-safe base64: session ids, CSRF tokens, screen tokens.
pub fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("random numbers: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a secret token.
pub fn token_hash(token: &str) -> String {
    crate::feed::assets::sha256_hex(token.as_bytes())
}

/// Compares without an early exit, so timing does not reveal how much of a token matched.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

pub fn hash_password(password: &str) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::Internal(format!("random numbers: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::Internal(format!("password salt: {e}")))?;
    // Argon2::default() is argon2id, v19, 19 MiB, 2 passes: OWASP's recommendation.
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("password hash: {e}")))
}

/// Checks `password` against a stored argon2 PHC string, in a buffer kept by the thread: the
/// crate's own `verify_password` allocated 19 MiB per check, and the allocator did not reuse
/// those holes (20 checks on two threads left 269 MiB resident).
pub(super) fn password_matches(password: &str, stored: &str) -> bool {
    use argon2::{Algorithm, Block, Params, Version};
    use std::cell::RefCell;
    thread_local! {
        static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) =
        (Params::try_from(&hash), Algorithm::try_from(hash.algorithm))
    else {
        return false;
    };
    let Ok(version) = hash.version.map(Version::try_from).transpose() else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    // Our hashes use 19 MiB; a stored hash asking for far more is not ours.
    if params.m_cost() > 4 * Params::DEFAULT_M_COST {
        return false;
    }
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params.clone());
    let mut out = vec![0u8; expected.len()];
    let hashed = BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let n = params.block_count();
        if blocks.len() < n {
            blocks.resize(n, Block::default());
        }
        argon
            .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut blocks[..n])
            .is_ok()
    });
    // Output's equality is constant-time.
    hashed && argon2::password_hash::Output::new(&out).is_ok_and(|o| o == expected)
}

pub fn check_password(password: &str) -> Result<(), Error> {
    check_password_for(password, "")
}

/// Passwords anyone could guess are refused: too short, only spaces, one character repeated,
/// or containing the user's own name.
pub fn check_password_for(password: &str, name: &str) -> Result<(), Error> {
    let bad = |why: crate::model::Reason| Err(Error::invalid("password", why));
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return bad(crate::model::Reason::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    if password.trim().is_empty() {
        return bad(crate::model::Reason::OnlySpaces);
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return bad(crate::model::Reason::OneCharacterRepeated);
    }
    if !name.is_empty() && password.to_lowercase().contains(&name.to_lowercase()) {
        return bad(crate::model::Reason::ContainsUserName);
    }
    Ok(())
}

/// A one-time code for a new account or a reset password: 20 random characters (100 bits) in
/// groups of four, from 31 letters and digits nobody confuses (no 0/o, 1/l/i). Shown once; its
/// owner replaces it at the first login.
pub fn one_time_code() -> Result<String, Error> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut chars = Vec::with_capacity(20);
    while chars.len() < 20 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("random numbers: {e}")))?;
        // Bytes past the last whole multiple of 31 are dropped: every character equally likely.
        chars.extend(
            bytes
                .iter()
                .filter(|b| (**b as usize) < 256 / ALPHABET.len() * ALPHABET.len())
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char),
        );
    }
    chars.truncate(20);
    Ok(chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(password_matches("correct horse battery", &hash));
        assert!(!password_matches("correct horse batterY", &hash));
    }
}
