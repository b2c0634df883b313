//! Layout: from a notice and a playlist to pages and frames, on the CPU, with the bundled fonts.
//!
//! Pure apart from the font caches: no clock, no GPU, no I/O beyond loading `fonts/` once.
//!
//! In phases, each a module that depends only on those below it: `fonts` and `measure` (the
//! shared measuring context), `body` (a notice's body collected into lines and distributed into
//! pages), `page` (what the phases hand on), `parts` and `paper` (drawing a frame), the
//! `templates` (one per kind of screen) and `touch` (the terminal's own screens), and the
//! `Typesetter` handle that owns the fonts.

pub mod body;
pub mod fonts;
pub mod frame;
pub mod linebreak;
pub mod measure;
pub mod page;
pub mod paper;
mod parts;
pub mod qr;
pub mod summary;
pub mod templates;
pub mod theme;
pub mod touch;
mod typesetter;
pub mod words;

pub use fonts::{FontError, Fonts};
pub use frame::{
    Area, Fill, Frame, Image, ImageBox, ImageRole, Motion, Rect, Rgba, Role, Step, TextBlock,
    TextLine,
};
pub use page::{BLACKOUT, Paged, Scene};
pub use theme::Theme;
pub use typesetter::Typesetter;
