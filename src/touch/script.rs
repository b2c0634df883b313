//! `--input-script FILE.jsonl`: input replayed for tests and demos, one JSON object a line:
//!
//! ```text
//! {"t_ms": 1200, "tap": "category:policy"}   the centre of a named target
//! {"t_ms": 1500, "tap_xy": [540, 900]}       output (window) pixels, through the rotation
//! {"t_ms": 2000, "key": "Alt+F4"}            a key or chord, winit's key names joined with +
//! ```
//!
//! The whole file is checked before the player starts: a line that cannot be used is an error
//! naming the file, the line and the reason. Blank lines and lines starting with `#` are skipped.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::model::target::TargetName;
use crate::model::{Problem, Problems, Reason};

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Tap(TargetName),
    TapXy(f32, f32),
    Key(Chord),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// After the player started.
    pub at: Duration,
    pub action: Action,
}

/// A key with modifiers, e.g. `Ctrl+Alt+F2`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chord {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
    pub super_key: bool,
    /// winit's name of a named key (`Escape`, `F4`), or the character (`q`, lower case).
    pub key: String,
}

/// Named keys a script may press (winit's `NamedKey` names).
const NAMED: &[&str] = &[
    "Escape",
    "Enter",
    "Tab",
    "Backspace",
    "Delete",
    "Insert",
    "Home",
    "End",
    "PageUp",
    "PageDown",
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "Space",
    "Super",
    "Meta",
    "ContextMenu",
    "PrintScreen",
    "Power",
    "BrowserBack",
];

impl std::str::FromStr for Chord {
    type Err = String;
    fn from_str(s: &str) -> Result<Chord, String> {
        let mut chord = Chord::default();
        let parts: Vec<&str> = s.split('+').collect();
        let (key, modifiers) = parts.split_last().expect("split yields one part at least");
        for m in modifiers {
            match *m {
                "Ctrl" | "Control" => chord.ctrl = true,
                "Alt" => chord.alt = true,
                "Shift" => chord.shift = true,
                "Super" | "Meta" => chord.super_key = true,
                other => {
                    return Err(format!(
                        "{other:?} in {s:?} is not Ctrl, Alt, Shift or Super"
                    ));
                }
            }
        }
        let function = key
            .strip_prefix('F')
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=24).contains(&n));
        chord.key = if function || NAMED.contains(key) {
            key.to_string()
        } else if key.chars().count() == 1 {
            key.to_lowercase()
        } else {
            return Err(format!(
                "{key:?} in {s:?} is not a key: a character, F1 to F24, or one of {}",
                NAMED.join(", ")
            ));
        };
        Ok(chord)
    }
}

impl std::fmt::Display for Chord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (on, name) in [
            (self.ctrl, "Ctrl+"),
            (self.alt, "Alt+"),
            (self.shift, "Shift+"),
            (self.super_key, "Super+"),
        ] {
            if on {
                f.write_str(name)?;
            }
        }
        f.write_str(&self.key)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    t_ms: u64,
    #[serde(default)]
    tap: Option<String>,
    #[serde(default)]
    tap_xy: Option<[f32; 2]>,
    #[serde(default)]
    key: Option<String>,
}

/// Parses a script; `source` names it in problems.
pub fn parse(text: &str, source: &str) -> Result<Vec<Step>, Problems> {
    let mut steps = Vec::new();
    let mut problems = Vec::new();
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let at = format!("line {}", i + 1);
        let mut bad = |reason: Reason| problems.push(Problem::new(source, &at, reason));
        let line: Line = match serde_json::from_str(raw) {
            Ok(l) => l,
            Err(e) => {
                bad(Reason::Syntax(e.to_string()));
                continue;
            }
        };
        if line.t_ms < last {
            bad(Reason::BeforeLineAbove {
                t_ms: line.t_ms,
                last,
            });
            continue;
        }
        last = line.t_ms;
        let action = match (line.tap, line.tap_xy, line.key) {
            (Some(name), None, None) => match name.parse() {
                Ok(n) => Action::Tap(n),
                Err(e) => {
                    bad(Reason::Syntax(e));
                    continue;
                }
            },
            (None, Some([x, y]), None)
                if x.is_finite() && y.is_finite() && x >= 0.0 && y >= 0.0 =>
            {
                Action::TapXy(x, y)
            }
            (None, Some(xy), None) => {
                bad(Reason::NotAPoint {
                    xy: format!("{xy:?}"),
                });
                continue;
            }
            (None, None, Some(key)) => match key.parse() {
                Ok(k) => Action::Key(k),
                Err(e) => {
                    bad(Reason::Syntax(e));
                    continue;
                }
            },
            _ => {
                bad(Reason::OneOfTapKey);
                continue;
            }
        };
        steps.push(Step {
            at: Duration::from_millis(line.t_ms),
            action,
        });
    }
    Problems::check(problems)?;
    Ok(steps)
}

pub fn from_file(path: &Path) -> Result<Vec<Step>, Problems> {
    let text = crate::model::read_file(path)?;
    parse(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_of_taps_and_keys_parses() {
        let text = r#"
# open policy, then a notice
{"t_ms": 1200, "tap": "category:policy"}
{"t_ms": 1500, "tap_xy": [540, 900]}

{"t_ms": 2000, "key": "Ctrl+Alt+F2"}
{"t_ms": 2000, "key": "Ctrl+Q"}
"#;
        let steps = parse(text, "s.jsonl").unwrap();
        assert_eq!(steps.len(), 4);
        assert_eq!(steps[0].at, Duration::from_millis(1200));
        assert_eq!(steps[1].action, Action::TapXy(540.0, 900.0));
        let Action::Key(k) = &steps[2].action else {
            panic!()
        };
        assert!(k.ctrl && k.alt && !k.shift && k.key == "F2");
        assert_eq!(k.to_string(), "Ctrl+Alt+F2");
        let Action::Key(q) = &steps[3].action else {
            panic!()
        };
        assert_eq!(q.to_string(), "Ctrl+q");
    }

    #[test]
    fn every_bad_line_is_named() {
        let text = r#"{"t_ms": 100, "tap": "button:exit"}
{"t_ms": 50, "key": "Escape"}
{"t_ms": 200, "key": "Hyper+X"}
{"t_ms": 300}
{"t_ms": 400, "tap": "button:home", "key": "Escape"}
not json
{"t_ms": 500, "tap_xy": [-1, 3]}
{"t_ms": 600, "key": "Frobnicate"}"#;
        let problems = parse(text, "s.jsonl").unwrap_err();
        let lines: Vec<&str> = problems.list().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            lines,
            [
                "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8"
            ],
            "{problems}"
        );
        assert!(
            problems
                .to_string()
                .contains("s.jsonl: line 1: \"button:exit\"")
        );
    }
}
