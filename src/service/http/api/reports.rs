//! The yearly disclosure report and the touch terminals' opens.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::service::domain::error::{ErrorBody, ServiceError};
use crate::service::domain::report::{self, Disclosure};
use crate::service::http::guard::{Answer, AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    pub year: i32,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    pub year: i32,
}

#[utoipa::path(get, path = "/api/reports/opens", tag = "reports", params(YearQuery),
    responses(
        (status = 200, description = "Notices residents opened on touch terminals, per day, notice and channel", body = report::Opens),
        (status = 422, description = "A bad year", body = ErrorBody)),
    security(("session" = [])))]
pub async fn opens_report(
    State(service): State<AppState>,
    query: Result<Query<YearQuery>, axum::extract::rejection::QueryRejection>,
) -> Answer<axum::Json<report::Opens>> {
    let Query(query) = query.map_err(|e| ServiceError::BadRequest(e.body_text()))?;
    Ok(axum::Json(
        service.read(|conn, _| report::opens(conn, query.year))?,
    ))
}

#[utoipa::path(get, path = "/api/reports/disclosure", tag = "reports", params(ReportQuery),
    responses(
        (status = 200, description = "Per channel and category: notices, plays, screen-hours (JSON, or CSV with format=csv)", body = Disclosure),
        (status = 422, description = "A bad year or format", body = ErrorBody)),
    security(("session" = [])))]
pub async fn disclosure(
    State(service): State<AppState>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Answer<Response> {
    let Query(query) = query.map_err(|e| ServiceError::BadRequest(e.body_text()))?;
    let report = service.read(|conn, _| report::disclosure(conn, query.year))?;
    match query.format.as_deref() {
        None | Some("json") => Ok(axum::Json(report).into_response()),
        Some("csv") => {
            let disposition = HeaderValue::from_str(&format!(
                "attachment; filename=\"disclosure-{}.csv\"",
                query.year
            ))
            .map_err(|e| ServiceError::Internal(format!("header: {e}")))?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                report::to_csv(&report),
            )
                .into_response())
        }
        Some(other) => Err(ServiceError::invalid(
            "format",
            format!("{other:?} is neither json nor csv"),
        )),
    }
}
