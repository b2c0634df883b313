//! Layout: from a notice and a playlist to pages and frames, on the CPU, with the bundled fonts.
//!
//! Pure apart from the font caches: no clock, no GPU, no I/O beyond loading `fonts/` once.

pub mod body;
pub mod fonts;
pub mod frame;
pub mod linebreak;
pub mod page;
pub mod qr;
pub mod templates;
pub mod theme;
pub mod touch;
pub mod words;

pub use fonts::{FontError, Fonts};
pub use frame::{
    Area, Fill, Frame, Image, ImageBox, Motion, Rect, Rgba, Role, Step, TextBlock, TextLine,
};
pub use page::{BLACKOUT, Paged, Scene, Typesetter};
pub use theme::Theme;
