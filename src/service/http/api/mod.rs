//! The JSON API (`/api/...`): staff with a session cookie, screens and alert sources with bearer
//! tokens. Each handler is one call of the workflow through `Service::{read, record, change}`;
//! its `#[utoipa::path]` is both its route and its entry in the API description.

pub mod alerts;
pub mod assets;
pub mod groups;
pub mod imports;
pub mod notices;
pub mod reports;
pub mod screens;
pub mod session;
pub mod users;

use axum::extract::{RawPathParams, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{RequestExt, Router};
use utoipa_axum::routes;

use crate::service::domain;
use crate::service::domain::error::Error;
use crate::service::domain::passwords;
use crate::service::http::error::HttpError;
use crate::service::http::guard::{
    ACCOUNT_ADMINS, ANY_STAFF, AUDITORS, Access, AppState, EDITORS, EDITORS_AND_REVIEWERS,
    OWN_ACCOUNT, REVIEWERS, REVIEWERS_AND_SYSADMINS, Route, SECADMINS, SYSADMINS, Session, bearer,
    csrf_header, guard, held_back, needs, resume,
};

/// The API's routes with who may call them.
pub fn routes() -> Vec<Route> {
    use Access::*;
    let r = Route::documented;
    vec![
        r(Public, routes!(session::login)),
        r(Screen, routes!(screens::heartbeat)),
        r(Screen, routes!(screens::plays)),
        r(Screen, routes!(screens::upload_screenshot)).body_limit(domain::screens::MAX_SCREENSHOT),
        r(Source, routes!(alerts::post_alert)),
        r(Staff(OWN_ACCOUNT), routes!(session::session)),
        r(Staff(OWN_ACCOUNT), routes!(session::logout)),
        r(Staff(OWN_ACCOUNT), routes!(session::change_own_password)),
        r(Staff(ANY_STAFF), routes!(notices::list_notices)),
        r(Staff(EDITORS), routes!(notices::create_notice)),
        r(Staff(EDITORS), routes!(notices::check_notice)),
        r(Staff(EDITORS), routes!(assets::upload_asset))
            .body_limit(domain::assets::MAX_UPLOAD_BYTES),
        r(Staff(EDITORS), routes!(imports::import_file))
            .body_limit(domain::imports::MAX_IMPORT_BYTES),
        r(Staff(ANY_STAFF), routes!(notices::get_notice)),
        r(Staff(ANY_STAFF), routes!(notices::notice_proof)),
        r(Staff(ANY_STAFF), routes!(notices::notice_proof_bundle)),
        r(Staff(EDITORS), routes!(notices::edit_notice)),
        r(Staff(EDITORS), routes!(notices::submit_notice)),
        r(Staff(REVIEWERS), routes!(notices::approve_notice)),
        r(Staff(REVIEWERS), routes!(notices::reject_notice)),
        r(
            Staff(EDITORS_AND_REVIEWERS),
            routes!(notices::withdraw_notice),
        ),
        r(Staff(ANY_STAFF), routes!(groups::list_groups)),
        r(Staff(SYSADMINS), routes!(groups::create_group)),
        r(Staff(ANY_STAFF), routes!(groups::get_playlist)),
        r(Staff(SYSADMINS), routes!(groups::put_playlist)),
        r(Staff(ANY_STAFF), routes!(groups::list_playlist_changes)),
        r(
            Staff(REVIEWERS_AND_SYSADMINS),
            routes!(groups::review_playlist_change),
        ),
        r(Staff(ANY_STAFF), routes!(groups::get_areas)),
        r(Staff(SYSADMINS), routes!(groups::put_areas)),
        r(Staff(ANY_STAFF), routes!(groups::get_policy)),
        r(Staff(SECADMINS), routes!(groups::put_policy)),
        r(Staff(SYSADMINS), routes!(groups::blackout)),
        r(Staff(ANY_STAFF), routes!(groups::list_calendars)),
        r(Staff(SYSADMINS), routes!(groups::put_calendar)),
        r(Staff(SECADMINS), routes!(alerts::list_sources)),
        r(Staff(ANY_STAFF), routes!(screens::list_screens)),
        r(Staff(SYSADMINS), routes!(screens::add_screen)),
        r(Staff(SYSADMINS), routes!(screens::screen_token)),
        r(Staff(SECADMINS), routes!(screens::reset_device_key)),
        r(Staff(SECADMINS), routes!(screens::confirm_device_key)),
        r(Staff(ANY_STAFF), routes!(screens::request_screenshot)),
        r(Staff(ANY_STAFF), routes!(screens::get_screenshot)),
        r(Staff(ACCOUNT_ADMINS), routes!(users::list_users)),
        r(Staff(SYSADMINS), routes!(users::add_user)),
        r(Staff(ACCOUNT_ADMINS), routes!(users::update_user)),
        r(Staff(AUDITORS), routes!(users::audit_log)),
        r(Staff(AUDITORS), routes!(users::audit_export)),
        r(Staff(ANY_STAFF), routes!(reports::disclosure)),
        r(Staff(ANY_STAFF), routes!(reports::opens_report)),
    ]
}

pub fn router(service: &AppState) -> Router<AppState> {
    guard(service, routes(), gate)
}

/// The API's access check: answers in the API's JSON errors (401, 403), never a page.
async fn gate(service: AppState, access: Access, mut request: Request, next: Next) -> Response {
    match access {
        Access::Public => next.run(request).await,
        Access::Screen => {
            let Some(token) = bearer(request.headers()) else {
                return HttpError::from(Error::Unauthenticated(
                    "send the screen's token as Authorization: Bearer <token>".into(),
                ))
                .into_response();
            };
            let id = match request.extract_parts::<RawPathParams>().await {
                Ok(params) => params
                    .iter()
                    .find(|(k, _)| *k == "id")
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default(),
                Err(e) => return e.into_response(),
            };
            match service.read(|conn, _| domain::screens::authenticate(conn, &token, &id)) {
                Ok(()) => next.run(request).await,
                Err(e) => HttpError::from(e).into_response(),
            }
        }
        Access::Source => {
            let Some(token) = bearer(request.headers()) else {
                return HttpError::from(Error::Unauthenticated(
                    "send the alert source's token as Authorization: Bearer <token>".into(),
                ))
                .into_response();
            };
            match service.read(|conn, _| domain::alerts::authenticate(conn, &token)) {
                Ok(source) => {
                    request.extensions_mut().insert(source);
                    next.run(request).await
                }
                Err(e) => HttpError::from(e).into_response(),
            }
        }
        Access::Staff(roles) => {
            let (user, csrf) = match resume(&service, request.headers()) {
                Ok(Some(s)) => s,
                Ok(None) => {
                    return HttpError::from(Error::Unauthenticated(
                        "log in first (or again: the session has ended)".into(),
                    ))
                    .into_response();
                }
                Err(e) => return HttpError::from(e).into_response(),
            };
            let route = crate::service::http::guard::route_of(&request);
            if let Some(hold) = held_back(&user, roles) {
                let why = hold.explain(&user);
                crate::service::http::guard::refused(
                    &service,
                    &user,
                    request.method(),
                    &route,
                    &why,
                );
                return HttpError::from(Error::Forbidden(crate::model::Reason::Detail(why)))
                    .into_response();
            }
            if !roles.contains(&user.role) {
                let why = needs(&user, roles);
                crate::service::http::guard::refused(
                    &service,
                    &user,
                    request.method(),
                    &route,
                    &why,
                );
                return HttpError::from(Error::Forbidden(crate::model::Reason::Detail(why)))
                    .into_response();
            }
            let safe = matches!(*request.method(), Method::GET | Method::HEAD);
            if !safe && !passwords::same_secret(csrf_header(request.headers()).unwrap_or(""), &csrf)
            {
                let why = format!(
                    "missing or wrong {} header (from login or GET /api/session)",
                    crate::service::http::guard::CSRF_HEADER
                );
                crate::service::http::guard::refused(
                    &service,
                    &user,
                    request.method(),
                    &route,
                    &why,
                );
                return HttpError::from(Error::Forbidden(crate::model::Reason::Detail(why)))
                    .into_response();
            }
            let method = request.method().clone();
            request.extensions_mut().insert(Session {
                user: user.clone(),
                csrf,
            });
            let response = next.run(request).await;
            // Refusals the handler decided (`accounts::may_change`): audited like the gate's.
            crate::service::http::guard::audit_refusal(&service, &user, &method, &route, &response);
            response
        }
        Access::Console(_) => {
            HttpError::from(Error::Internal("a console route among the API's".into()))
                .into_response()
        }
    }
}
