//! The API description (`GET /api/openapi.json`), made from the routes themselves: every
//! documented route's `#[utoipa::path]` gives its method, path, parameters and answers, so a
//! route cannot be served without being described, nor described without being served.

use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::service::http::guard::{Route, SESSION_COOKIE};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "noticecast",
        description = "Notices, four-eyes review, signed per-group feeds, screens and the \
                       disclosure report."
    ),
    modifiers(&Security)
)]
struct Info;

/// The description of `routes` (those with a `doc`).
pub fn document(routes: &[Route]) -> utoipa::openapi::OpenApi {
    let mut doc = Info::openapi();
    for route in routes {
        if let Some((paths, schemas)) = &route.doc {
            doc.paths.merge(paths.clone());
            let components = doc.components.get_or_insert_with(Default::default);
            components.schemas.extend(schemas.iter().cloned());
        }
    }
    doc
}

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The session cookie set by POST /api/login; changes also need the \
                 X-CSRF-Token header",
            ))),
        );
        components.add_security_scheme(
            "source",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The alert source's token from `noticecast source add`",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "screen",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The screen's token from `noticecast screen add`"))
                    .build(),
            ),
        );
    }
}
