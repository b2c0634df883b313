//! A fetched DSSE envelope through everything a screen checks before it shows a feed, trusting
//! an Ed25519 and an SM2 key (the corpus has an envelope signed by each).
use noticecast::feed::{Accepted, SecretKey, Signer, Suite, TrustedKey, accept};

fn main() {
    let trusted = [Suite::Ed25519, Suite::Sm2].map(|suite| {
        let key = SecretKey::from_bytes(suite, &[7; 32]).expect("a key");
        TrustedKey::new(key.public_key())
    });
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
