//! The feed client's core: the signed envelope, the trust rules, the on-disk cache and the
//! screen's configuration. No wgpu here, and nothing here blocks a window loop.
//!
//! Without the `app` feature only the parsers build (envelope, trust, config, cache, assets):
//! the client, the plays upload, the device key and the time check need tokio and reqwest.

pub mod assets;
pub mod cache;
#[cfg(feature = "app")]
pub mod client;
pub mod config;
#[cfg(feature = "app")]
pub mod device;
pub mod envelope;
#[cfg(feature = "app")]
pub mod keyfile;
#[cfg(feature = "app")]
pub mod plays;
pub mod suite;
#[cfg(feature = "app")]
pub mod timesync;
pub mod trust;

pub use cache::Cache;
pub use config::PlayerConfig;
pub use envelope::{Envelope, EnvelopeError, PAYLOAD_TYPE, TrustedKey};
pub use suite::{KeyError, PublicKey, SecretKey, Signer, Suite};
pub use trust::{Accepted, KeyState, Refusal, accept};
