//! The names of the touch terminal's targets, as input scripts and target dumps write them:
//! `category:<category>`, `notice:<id>`, `button:<name>`. Where each target lies on a page is
//! `layout::touch`'s business.

use std::fmt;

use serde::Serialize;

use super::Category;

/// What a target does, as named in input scripts and target dumps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TargetName {
    Category(Category),
    Notice(String),
    Button(Button),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Button {
    Back,
    Home,
    Large,
    Qr,
    Next,
    Prev,
    Continue,
    /// The figure on a notice's page: tapped, it opens enlarged.
    Zoom,
    /// Move around an enlarged figure.
    Up,
    Down,
    Left,
    Right,
}

impl Button {
    const ALL: [(Button, &'static str); 12] = [
        (Button::Back, "back"),
        (Button::Home, "home"),
        (Button::Large, "large"),
        (Button::Qr, "qr"),
        (Button::Next, "next"),
        (Button::Prev, "prev"),
        (Button::Continue, "continue"),
        (Button::Zoom, "zoom"),
        (Button::Up, "up"),
        (Button::Down, "down"),
        (Button::Left, "left"),
        (Button::Right, "right"),
    ];
}

impl fmt::Display for TargetName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetName::Category(c) => write!(f, "category:{}", c.as_str()),
            TargetName::Notice(id) => write!(f, "notice:{id}"),
            TargetName::Button(b) => {
                let name = Button::ALL.iter().find(|(x, _)| x == b).map_or("", |x| x.1);
                write!(f, "button:{name}")
            }
        }
    }
}

impl std::str::FromStr for TargetName {
    type Err = String;
    fn from_str(s: &str) -> Result<TargetName, String> {
        let bad = || {
            format!(
                "{s:?} is not a target: expected category:<category>, notice:<id> or \
                 button:back|home|large|qr|next|prev|continue|zoom|up|down|left|right"
            )
        };
        let (kind, rest) = s.split_once(':').ok_or_else(bad)?;
        match kind {
            "category" => Category::parse(rest)
                .map(TargetName::Category)
                .ok_or_else(bad),
            "notice" if !rest.is_empty() => Ok(TargetName::Notice(rest.to_string())),
            "button" => Button::ALL
                .iter()
                .find(|(_, n)| *n == rest)
                .map(|(b, _)| TargetName::Button(*b))
                .ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl Serialize for TargetName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
