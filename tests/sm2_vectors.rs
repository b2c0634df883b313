//! The SM2/SM3 suite checked against implementations other than the RustCrypto crates it uses:
//! the GM/T 0003.5 signature example, a signature made by OpenSSL over a feed envelope's PAE
//! (`tests/vectors/sm2/`, with their origin), and OpenSSL verifying a signature made here.

mod common;

use std::process::Command;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use noticecast::feed::envelope::{Envelope, EnvelopeSignature, pae, sign};
use noticecast::feed::{PublicKey, SecretKey, Signer, Suite, TrustedKey};

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn vector(name: &str) -> serde_json::Value {
    let path = common::path(&format!("tests/vectors/sm2/{name}"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn field(v: &serde_json::Value, name: &str) -> String {
    v[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name}"))
        .to_string()
}

fn secret(v: &serde_json::Value) -> SecretKey {
    let bytes: [u8; 32] = hex(&field(v, "private_key_hex")).try_into().unwrap();
    SecretKey::from_bytes(Suite::Sm2, &bytes).unwrap()
}

#[test]
fn the_gmt_0003_5_example_verifies_and_a_changed_byte_does_not() {
    let v = vector("gmt-0003-5.json");
    assert_eq!(field(&v, "user_id"), noticecast::feed::suite::SM2_USER_ID);
    let public = PublicKey::from_bytes(Suite::Sm2, &hex(&field(&v, "public_key_hex"))).unwrap();
    // The public key follows from the private one as the standard says.
    assert_eq!(secret(&v).public_key(), public);
    let message = field(&v, "message_utf8");
    let mut signature = hex(&field(&v, "signature_rs_hex"));
    assert!(public.verify(message.as_bytes(), &signature));
    assert!(!public.verify(b"message digesT", &signature));
    signature[40] ^= 1;
    assert!(!public.verify(message.as_bytes(), &signature));
}

#[test]
fn a_feed_envelope_signed_by_openssl_is_accepted() {
    let v = vector("openssl.json");
    let public = PublicKey::from_bytes(Suite::Sm2, &hex(&field(&v, "public_key_hex"))).unwrap();
    assert_eq!(secret(&v).public_key(), public);
    let payload = field(&v, "payload_utf8");
    let payload_type = field(&v, "payload_type");
    let envelope = Envelope {
        payload_type: payload_type.clone(),
        payload: BASE64.encode(&payload),
        signatures: vec![EnvelopeSignature {
            keyid: public.key_id(),
            sig: BASE64.encode(hex(&field(&v, "signature_rs_hex"))),
        }],
    };
    // As a screen reads it: trusted_keys = ["sm2:BASE64"].
    let trusted = TrustedKey::parse(&format!("sm2:{}", public.to_base64())).unwrap();
    assert_eq!(
        envelope.verify(std::slice::from_ref(&trusted)).unwrap(),
        payload.as_bytes()
    );
    // OpenSSL's signature over one payload does not cover another.
    let mut changed = envelope.clone();
    changed.payload = BASE64.encode(payload.replace("\"sequence\":1", "\"sequence\":2"));
    assert!(changed.verify(&[trusted]).is_err());
    // The PAE OpenSSL signed is the one noticecast computes.
    let signed = format!(
        "DSSEv1 {} {payload_type} {} {payload}",
        payload_type.len(),
        payload.len()
    );
    assert_eq!(pae(&payload_type, payload.as_bytes()), signed.as_bytes());
}

/// r ‖ s as the DER `SEQUENCE { INTEGER r, INTEGER s }` OpenSSL reads.
fn der(rs: &[u8]) -> Vec<u8> {
    let integer = |bytes: &[u8]| {
        let mut b: Vec<u8> = bytes.iter().copied().skip_while(|&x| x == 0).collect();
        if b.first().is_none_or(|&x| x & 0x80 != 0) {
            b.insert(0, 0);
        }
        let mut out = vec![0x02, b.len() as u8];
        out.extend(b);
        out
    };
    let body = [integer(&rs[..32]), integer(&rs[32..])].concat();
    [vec![0x30, body.len() as u8], body].concat()
}

#[test]
fn openssl_verifies_an_envelope_signed_here() {
    let v = vector("openssl.json");
    let key = secret(&v);
    let dir = tempfile::tempdir().unwrap();
    let payload = "{\"format\":\"noticecast.feed/1\",\"group\":\"村委会\",\"sequence\":7}";
    let envelope = sign(payload.as_bytes(), &key).unwrap();
    let signature = BASE64.decode(&envelope.signatures[0].sig).unwrap();
    assert_eq!(signature.len(), 64);
    let message = pae(&envelope.payload_type, payload.as_bytes());
    std::fs::write(dir.path().join("pae"), &message).unwrap();
    std::fs::write(dir.path().join("sig.der"), der(&signature)).unwrap();
    // The public key as an SPKI PEM, made by OpenSSL from the private key of the vector.
    let priv_der = {
        let scalar = hex(&field(&v, "private_key_hex"));
        // ECPrivateKey { version 1, privateKey, [0] OID sm2 }
        let oid = [0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D];
        let mut body = vec![0x02, 0x01, 0x01, 0x04, 0x20];
        body.extend(&scalar);
        body.extend([0xA0, oid.len() as u8]);
        body.extend(oid);
        [vec![0x30, body.len() as u8], body].concat()
    };
    std::fs::write(dir.path().join("key.der"), priv_der).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("openssl runs (deploy/install-deps --tests installs it)");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, text) = run(&[
        "pkey", "-inform", "DER", "-in", "key.der", "-pubout", "-out", "pub.pem",
    ]);
    assert!(ok, "{text}");
    let verify = |file: &str| {
        run(&[
            "pkeyutl",
            "-verify",
            "-in",
            file,
            "-sigfile",
            "sig.der",
            "-pubin",
            "-inkey",
            "pub.pem",
            "-rawin",
            "-digest",
            "sm3",
            "-pkeyopt",
            "distid:1234567812345678",
        ])
    };
    let (ok, text) = verify("pae");
    assert!(ok && text.contains("Verified Successfully"), "{text}");
    // And OpenSSL refuses it over another message: the check can fail.
    let mut other = message.clone();
    other[10] ^= 1;
    std::fs::write(dir.path().join("other"), &other).unwrap();
    let (ok, text) = verify("other");
    assert!(!ok, "{text}");
}
