//! Request headers with rules of their own, as extractors: `Idempotency-Key` (makes a create safe
//! to retry) and `If-Match` (makes a change conditional on the version the client read). A header
//! that breaks its rule is a 422 naming it, before the handler runs; each also describes itself as
//! an OpenAPI parameter, so the document and the behaviour come from one place.

use axum::extract::FromRequestParts;
use axum::http::header::IF_MATCH;
use axum::http::request::Parts;
use expense_api::FieldError;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

use crate::problem::ProblemResponse;

/// Longest `Idempotency-Key` accepted.
pub const MAX_IDEMPOTENCY_KEY: usize = 255;

/// `Idempotency-Key`: 1 to 255 visible ASCII characters, or absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get("idempotency-key") else {
            return Ok(Self(None));
        };
        let key = value
            .to_str()
            .ok()
            .filter(|key| {
                (1..=MAX_IDEMPOTENCY_KEY).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
            })
            .ok_or_else(|| {
                invalid(
                    "Idempotency-Key",
                    "must be 1 to 255 visible ASCII characters, such as a UUID",
                )
            })?;
        Ok(Self(Some(key.to_owned())))
    }
}

impl IntoParams for IdempotencyKey {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header(
            "Idempotency-Key",
            "Makes retries safe: a retry with the same key answers the first response and records nothing new. 1 to 255 visible ASCII characters, such as a UUID",
        )]
    }
}

/// `If-Match` as a version: `"3"`, `W/"3"` or `3`; `*` and no header mean any version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(IF_MATCH) else {
            return Ok(Self(None));
        };
        let text = value.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(Self(None));
        }
        text.trim_start_matches("W/")
            .trim_matches('"')
            .parse()
            .map(|version| Self(Some(version)))
            .map_err(|_| invalid("If-Match", "must be the ETag you read, such as \"3\""))
    }
}

impl IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![header(
            "If-Match",
            "The version (ETag) you read: the change is refused with 412 if the resource changed since",
        )]
    }
}

fn invalid(field: &str, message: &str) -> ProblemResponse {
    ProblemResponse::validation(vec![FieldError::new(field, message)])
}

fn header(name: &str, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    async fn extract<T: FromRequestParts<(), Rejection = ProblemResponse>>(
        name: &str,
        value: &[u8],
    ) -> Result<T, ProblemResponse> {
        let request = Request::builder().header(name, value).body(()).unwrap();
        let (mut parts, ()) = request.into_parts();
        T::from_request_parts(&mut parts, &()).await
    }

    #[tokio::test]
    async fn idempotency_keys_are_visible_ascii_of_bounded_length() {
        let ok: IdempotencyKey = extract("idempotency-key", b"7f9c-retry").await.unwrap();
        assert_eq!(ok.0.as_deref(), Some("7f9c-retry"));
        for bad in [&b"has space"[..], b"", &[0xff, 0xfe], "k".repeat(256).as_bytes()] {
            let refused = extract::<IdempotencyKey>("idempotency-key", bad)
                .await
                .unwrap_err();
            assert_eq!(refused.problem.status, 422, "{bad:?}");
            assert_eq!(refused.problem.errors[0].field, "Idempotency-Key");
        }
    }

    #[tokio::test]
    async fn if_match_reads_strong_weak_bare_and_any() {
        for (value, version) in [
            ("\"3\"", Some(3)),
            ("W/\"4\"", Some(4)),
            ("5", Some(5)),
            ("*", None),
        ] {
            let read: IfMatch = extract("if-match", value.as_bytes()).await.unwrap();
            assert_eq!(read.0, version, "{value}");
        }
        let refused = extract::<IfMatch>("if-match", b"\"abc\"").await.unwrap_err();
        assert_eq!(refused.problem.errors[0].field, "If-Match");
    }
}
