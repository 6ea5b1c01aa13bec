//! A JSON body extractor whose every rejection is a problem+json that says what was wrong.
//!
//! axum's own `Json` answers rejections in plain text; this one answers:
//! 415 when the body is not declared as JSON, 400 when it is not valid JSON, 422 naming the
//! field when it does not fit the operation (unknown field, wrong type, missing field), and 413
//! when it is larger than the configured limit. [`document_rejections`] writes those answers into
//! the OpenAPI description of every operation that takes a body, so the document cannot forget
//! them.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use expense_api::{FieldError, ProblemType};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::OpenApi;
use utoipa::openapi::path::Operation;

use crate::problem::ProblemResponse;

/// Extracts and deserialises a JSON body; as a response, serialises `T` as JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ProblemResponse;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !declares_json(&request) {
            return Err(ProblemResponse::new(
                ProblemType::UnsupportedMediaType,
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ProblemResponse::new(
                    ProblemType::PayloadTooLarge,
                    "The request body is larger than this service accepts; send less per request.",
                )
            } else {
                ProblemResponse::new(
                    ProblemType::MalformedRequest,
                    format!("The request body could not be read: {rejection}"),
                )
            }
        })?;
        parse(&bytes).map(Json)
    }
}

/// Deserialises `bytes`, mapping failures to the problems described in the module docs.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ProblemResponse> {
    // Every JSON body this API takes is an object; serde would also read a struct from an array
    // of its fields (`[null, null]`), which no client means.
    if bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ProblemResponse::validation(vec![FieldError::new(
            "body",
            "must be a JSON object, not an array",
        )]));
    }
    // The common case costs one plain parse; only a body that fails is read again, tracking the
    // path to name the field.
    if let Ok(value) = serde_json::from_slice(bytes) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let field = field_name(error.path(), "body");
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                ProblemResponse::validation(vec![FieldError::new(field, clean_message(&inner))])
            }
            _ => not_json(&inner),
        }
    })?;
    deserializer.end().map_err(|error| not_json(&error))?;
    Ok(value)
}

/// The field a deserialisation error is about, as the `errors[].field` of its problem: `whole`
/// (`body`, `query`) for the value itself, and `""` for a member whose name is empty, which would
/// otherwise be named by nothing (`{"": 1}` is the body's unknown field `""`).
pub(crate) fn field_name(path: &serde_path_to_error::Path, whole: &str) -> String {
    let text = path.to_string();
    if text == "." || text.is_empty() {
        whole.to_owned()
    } else if text.ends_with('.') {
        format!("{text}\"\"")
    } else {
        text
    }
}

fn not_json(error: &serde_json::Error) -> ProblemResponse {
    ProblemResponse::new(
        ProblemType::MalformedRequest,
        format!("The body is not valid JSON: {error}."),
    )
}

/// serde's messages end with " at line 1 column 17": useful for syntax errors, noise once we
/// name the field.
fn clean_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    }
}

fn declares_json(request: &Request) -> bool {
    let Some(content_type) = request.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(content_type) = content_type.to_str() else {
        return false;
    };
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The answers [`Json`] gives before a handler runs, as `(status, description)`.
const REJECTIONS: [(&str, &str); 4] = [
    ("400", "The body is not valid JSON"),
    ("413", "The body is larger than the service accepts"),
    ("415", "The body is not declared as `application/json`"),
    (
        "422",
        "A field of the body is missing, unknown, of the wrong type or not acceptable",
    ),
];

/// Adds [`Json`]'s rejections (400, 413, 415, 422, all problem+json) to every operation of
/// `document` that takes a request body, keeping any the operation already describes.
pub fn document_rejections(document: &mut OpenApi) {
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_rejections(operation);
        }
    }
}

fn add_rejections(operation: &mut Operation) {
    if operation.request_body.is_none() {
        return;
    }
    for (status, description) in REJECTIONS {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| crate::error_docs::problem_response(description).into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Login {
        email: String,
        password: String,
    }

    fn problem(body: &str) -> expense_api::Problem {
        *parse::<Login>(body.as_bytes()).unwrap_err().problem
    }

    #[test]
    fn unknown_field_names_the_field() {
        let p = problem(r#"{"email":"a@b.c","password":"x","admin":true}"#);
        assert_eq!(p.status, 422);
        assert!(p.errors[0].message.contains("unknown field `admin`"), "{p:?}");
    }

    #[test]
    fn an_array_of_the_fields_is_not_an_object() {
        let p = problem(r#" ["a@b.c", "x"]"#);
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].field, "body");
        assert!(p.errors[0].message.contains("JSON object"), "{p:?}");
    }

    #[test]
    fn wrong_type_names_the_field() {
        let p = problem(r#"{"email":5,"password":"x"}"#);
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].field, "email");
    }

    #[test]
    fn missing_field_is_named() {
        let p = problem(r#"{"email":"a@b.c"}"#);
        assert_eq!(p.status, 422);
        assert!(p.errors[0].message.contains("missing field `password`"), "{p:?}");
    }

    #[test]
    fn a_member_with_an_empty_name_is_still_named() {
        let p = problem(r#"{"email":"a@b.c","password":"x","":null}"#);
        assert_eq!(p.status, 422);
        assert_eq!(p.errors[0].field, "body");
        assert!(p.errors[0].message.contains("unknown field ``"), "{p:?}");
    }

    #[test]
    fn malformed_json_is_400() {
        let p = problem(r#"{"email": "#);
        assert_eq!(p.status, 400);
        assert!(p.detail.starts_with("The body is not valid JSON"));
        assert_eq!(
            problem(r#"{"email":"a@b.c","password":"x"} trailing"#).status,
            400
        );
    }
}
