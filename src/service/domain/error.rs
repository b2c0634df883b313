//! What can go wrong in the service's domain, named by what it means: an unknown notice, a
//! change the state does not allow, content with problems, too many attempts. The domain knows
//! no HTTP: each edge maps these in its own way (`http::error` to the API's JSON answers,
//! `http::console::error` to the console's Chinese pages).
//!
//! Internal failures keep their detail for the log; the edges show a client only that something
//! failed, so a database path or SQL never reaches a browser.

use crate::model::{Problem, Reason};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No or unknown credentials: a wrong password, an unknown token.
    #[error("{0}")]
    Unauthenticated(String),
    /// Known credentials, not allowed to do this.
    #[error("{0}")]
    Forbidden(Reason),
    #[error("{0}")]
    NotFound(Reason),
    /// The request does not fit the current state, e.g. approving a draft.
    #[error("{0}")]
    Conflict(Reason),
    /// Well-formed but invalid content: every problem, each naming its field.
    #[error("{}", problems_line(.0))]
    Invalid(Vec<Problem>),
    /// Input that cannot be read at all: not XML, not a plays upload, not a signed envelope.
    #[error("{0}")]
    Malformed(String),
    /// Too many failed attempts (logins, uploads): try again after `retry_after_s` seconds.
    #[error("too many attempts: try again in {retry_after_s} s")]
    TooManyAttempts { retry_after_s: u64 },
    /// Too many requests of a costly kind at once (password checks, held long polls): try again
    /// shortly.
    #[error("busy: try again in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    /// Logged in full by the edge; the client sees only that something failed.
    #[error("internal error: {0}")]
    Internal(String),
}

fn problems_line(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<crate::feed::suite::SignError> for Error {
    fn from(e: crate::feed::suite::SignError) -> Error {
        Error::Internal(e.to_string())
    }
}

impl Error {
    pub fn invalid(field: &str, reason: crate::model::Reason) -> Error {
        Error::Invalid(vec![Problem::new("request", field, reason)])
    }
}
