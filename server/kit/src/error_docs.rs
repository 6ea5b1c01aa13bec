//! The error answers many operations share, described once for the OpenAPI document. List them in
//! an operation's `responses(...)` beside its own: `responses((status = 200, …), NotSignedIn)`.
//! Every one is problem+json with the `Problem` schema; [`crate::json`] adds the body rejections
//! (400, 413, 415, 422) to every operation that takes a body the same way.

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::response::Response;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

/// A problem+json answer with `description`.
pub fn problem_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            expense_api::problem::PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

fn one(status: &str, description: &str) -> BTreeMap<String, RefOr<Response>> {
    BTreeMap::from([(status.to_owned(), problem_response(description).into())])
}

/// 401: no token, or one that is invalid, expired or revoked.
pub struct NotSignedIn;

impl IntoResponses for NotSignedIn {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        one("401", "Not signed in")
    }
}

/// 403: signed in, but the operation is for admins.
pub struct NotAdmin;

impl IntoResponses for NotAdmin {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        one("403", "Not an admin")
    }
}
