//! Problems found in input files: each names the file, the path inside it and the reason.

use std::fmt;

use super::reason::Reason;

/// One thing wrong with one input: `feed.json: notices[3].valid_until: is before valid_from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or other source) the input came from.
    pub file: String,
    /// Where inside the document, in `notices[3].valid_until` form; empty for the whole document.
    pub path: String,
    pub reason: Reason,
}

impl Problem {
    pub fn new(file: impl Into<String>, path: impl Into<String>, reason: Reason) -> Self {
        Self {
            file: file.into(),
            path: path.into(),
            reason,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.file, self.reason)
        } else {
            write!(f, "{}: {}: {}", self.file, self.path, self.reason)
        }
    }
}

/// All the problems of one input. Never empty.
///
/// Validation collects every problem it finds, so that staff fixing a file see them all at once;
/// a syntax error stops parsing and yields just one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems(Vec<Problem>);

impl Problems {
    pub fn one(problem: Problem) -> Self {
        Self(vec![problem])
    }

    /// `Ok` when `list` is empty.
    pub fn check(list: Vec<Problem>) -> Result<(), Problems> {
        if list.is_empty() {
            Ok(())
        } else {
            Err(Self(list))
        }
    }

    pub fn list(&self) -> &[Problem] {
        &self.0
    }
}

impl fmt::Display for Problems {
    /// The first problem on one line, with a count of the others: what a command prints on stderr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0[0])?;
        if self.0.len() > 1 {
            write!(f, " (and {} more problems)", self.0.len() - 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Turns serde's parse error with its recorded path into a `Problem`.
pub(crate) fn from_json_error(
    file: &str,
    err: serde_path_to_error::Error<serde_json::Error>,
) -> Problem {
    let path = err.path().to_string();
    let inner = err.inner();
    // serde_json appends " at line L column C" itself; keep it, it helps find the place.
    let path = if path == "." { String::new() } else { path };
    Problem::new(file, path, Reason::Syntax(inner.to_string()))
}

pub(crate) fn from_toml_error(
    file: &str,
    source: &str,
    err: serde_path_to_error::Error<toml::de::Error>,
) -> Problem {
    let path = err.path().to_string();
    let path = if path == "." { String::new() } else { path };
    Problem::new(file, path, Reason::Syntax(toml_reason(source, err.inner())))
}

/// toml's own `Display` spans several lines with a source excerpt; we want one line.
pub(crate) fn toml_reason(source: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim().replace('\n', " ");
    match err.span() {
        Some(span) => {
            let line = source[..span.start.min(source.len())].matches('\n').count() + 1;
            format!("{message} (line {line})")
        }
        None => message,
    }
}
