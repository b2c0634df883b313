//! What can go wrong in the service, and how each failure answers an HTTP client.
//!
//! Client mistakes get a precise 4xx message naming the field; internal failures get a generic
//! message while the detail goes to the log, so a database path or SQL never reaches a browser.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::model::Problem;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// No or unknown credentials (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// Known credentials, not allowed to do this (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    /// The request does not fit the current state, e.g. approving a draft (409).
    #[error("{0}")]
    Conflict(String),
    /// Well-formed but invalid content: every problem, each naming its field (422).
    #[error("{}", problems_line(.0))]
    Invalid(Vec<Problem>),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("too many attempts: try again in {retry_after_s} s")]
    TooManyRequests { retry_after_s: u64 },
    /// Too many requests of a costly kind at once (password checks, held long polls): try again
    /// shortly (503).
    #[error("busy: try again in {retry_after_s} s")]
    Busy { retry_after_s: u64 },
    /// Logged in full; the client sees only that something failed.
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

impl From<crate::feed::suite::SignError> for ServiceError {
    fn from(e: crate::feed::suite::SignError) -> ServiceError {
        ServiceError::Internal(e.to_string())
    }
}

impl From<rusqlite::Error> for ServiceError {
    fn from(e: rusqlite::Error) -> ServiceError {
        ServiceError::Internal(format!("database: {e}"))
    }
}

impl ServiceError {
    pub fn invalid(field: &str, reason: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(vec![Problem::new("request", field, reason)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ServiceError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ServiceError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
            ServiceError::Conflict(_) => StatusCode::CONFLICT,
            ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ServiceError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    /// For 422: each problem with the field it concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemBody {
    /// e.g. `valid_until` or `playlist.type.line_height`.
    pub field: String,
    pub reason: String,
}

/// Why a response is a refusal (403), for the staff gates to audit: a refusal a handler decides
/// (`accounts::may_change`, say) is audited the same way as the gate's own.
#[derive(Debug, Clone)]
pub struct Refusal(pub String);

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            ServiceError::Internal(detail) => {
                tracing::error!("{detail}");
                ErrorBody {
                    error: "internal error; the detail is in the service log".into(),
                    problems: Vec::new(),
                }
            }
            ServiceError::Invalid(problems) => ErrorBody {
                error: self.to_string(),
                problems: problems
                    .iter()
                    .map(|p| ProblemBody {
                        field: p.path.clone(),
                        reason: p.reason.clone(),
                    })
                    .collect(),
            },
            _ => ErrorBody {
                error: self.to_string(),
                problems: Vec::new(),
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ServiceError::Forbidden(why) = &self {
            response.extensions_mut().insert(Refusal(why.clone()));
        }
        if let ServiceError::TooManyRequests { retry_after_s }
        | ServiceError::Busy { retry_after_s } = self
            && let Ok(value) = HeaderValue::from_str(&retry_after_s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}
