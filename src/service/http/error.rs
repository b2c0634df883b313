//! The HTTP shell's errors and the JSON answer each gets: the domain's (`domain::error`), mapped
//! to their statuses, and the shell's own (a body that is not JSON, too large, a bad query).
//!
//! Client mistakes get a precise 4xx message naming the field; internal failures get a generic
//! message while the detail goes to the log.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::service::domain::error::Error;

/// The status a domain error answers with, at every edge.
pub fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Malformed(_) => StatusCode::BAD_REQUEST,
        Error::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error(transparent)]
    Domain(#[from] Error),
    /// The request is malformed: not JSON, not UTF-8, a bad query (400).
    #[error("{0}")]
    BadRequest(String),
    /// The body is over the limit (413).
    #[error("{0}")]
    PayloadTooLarge(String),
}

impl HttpError {
    pub fn status(&self) -> StatusCode {
        match self {
            HttpError::BadRequest(_) => StatusCode::BAD_REQUEST,
            HttpError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::Domain(e) => status_of(e),
        }
    }

    /// Why this is a refusal (403), for the staff gates to audit.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            HttpError::Domain(Error::Forbidden(why)) => Some(Refusal(why.to_string())),
            _ => None,
        }
    }

    /// How long the client should wait before asking again (`Retry-After`), if it should.
    pub fn retry_after_s(&self) -> Option<u64> {
        match self {
            HttpError::Domain(
                Error::TooManyAttempts { retry_after_s } | Error::Busy { retry_after_s },
            ) => Some(*retry_after_s),
            _ => None,
        }
    }

    /// `Refusal` and `Retry-After`, which every edge's answer to this error carries.
    pub fn mark(&self, response: &mut Response) {
        if let Some(refusal) = self.refusal() {
            response.extensions_mut().insert(refusal);
        }
        if let Some(s) = self.retry_after_s()
            && let Ok(value) = HeaderValue::from_str(&s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
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
    /// The same in Chinese, as the console says it to staff.
    pub reason_zh: String,
}

/// Why a response is a refusal (403), for the staff gates to audit: a refusal a handler decides
/// (`accounts::may_change`, say) is audited the same way as the gate's own.
#[derive(Debug, Clone)]
pub struct Refusal(pub String);

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = match &self {
            HttpError::Domain(Error::Internal(detail)) => {
                tracing::error!("{detail}");
                ErrorBody {
                    error: "internal error; the detail is in the service log".into(),
                    problems: Vec::new(),
                }
            }
            HttpError::Domain(Error::Invalid(problems)) => ErrorBody {
                error: self.to_string(),
                problems: problems
                    .iter()
                    .map(|p| ProblemBody {
                        field: p.path.clone(),
                        reason: p.reason.to_string(),
                        reason_zh: p.reason.zh(),
                    })
                    .collect(),
            },
            _ => ErrorBody {
                error: self.to_string(),
                problems: Vec::new(),
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        self.mark(&mut response);
        response
    }
}
