//! A fetched DSSE envelope through everything a screen checks before it shows a feed.
use base64::Engine;
use noticecast::feed::{Accepted, TrustedKey, accept};

fn main() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]).verifying_key();
    let key = base64::engine::general_purpose::STANDARD.encode(key.as_bytes());
    let trusted = [TrustedKey::from_base64(&key).expect("a key")];
    afl::fuzz!(|data: &[u8]| {
        let _ = accept(
            data,
            "fuzz",
            &trusted,
            "demo-plaza",
            &Accepted::default(),
            noticecast_fuzz::noon(),
        );
    });
}
