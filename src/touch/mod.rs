//! The village touch terminal: residents browse, read and take home notices by touch.
//!
//! - `input`: winit's touch, mouse and key events (in page pixels) become taps.
//! - `session`: the pure state machine (attract, home, list, notice, QR, idle countdown).
//! - `transform`: the turn between page and output, shared with the compositing shader.
//! - `script`: `--input-script` for tests and demos.
//! - `terminal`: `Terminal` ties them to a show: it indexes the current notices, lays out their
//!   touch pages once per feed, and asks `layout::touch` for the frame and its targets.
//!
//! The rotation itself (attract mode) stays the player's: while the session is in attract the
//! terminal draws nothing.

pub mod script;

// The rest needs the layout and the show: not in the parsers-only build (`app` feature).
#[cfg(feature = "app")]
pub mod input;
#[cfg(feature = "app")]
pub mod session;
#[cfg(feature = "app")]
mod terminal;
#[cfg(feature = "app")]
pub mod transform;

#[cfg(feature = "app")]
pub use input::Input;
#[cfg(feature = "app")]
pub use session::{Content, Outcome, Phase, Session, View};
#[cfg(feature = "app")]
pub use terminal::Terminal;
