//! The feed client's core: the signed envelope, the trust rules, the on-disk cache and the
//! screen's configuration. No wgpu here, and nothing here blocks a window loop.

pub mod assets;
pub mod cache;
pub mod client;
pub mod config;
pub mod device;
pub mod envelope;
pub mod keyfile;
pub mod plays;
pub mod timesync;
pub mod trust;

pub use cache::Cache;
pub use config::PlayerConfig;
pub use envelope::{Envelope, EnvelopeError, PAYLOAD_TYPE, TrustedKey};
pub use trust::{Accepted, Refusal, accept};
