//! Path and query extractors whose rejections are problem+json that say what was wrong.
//!
//! A path segment that does not parse (an id that is not a UUID) is answered 404, because no such
//! resource can exist; a query parameter that does not parse is answered 422 naming it.
//! Repeated query keys (`?category=a&category=b`) fill a `Vec`. A parameter given with an empty
//! value (`?to=`) is refused with 422 naming it, rather than read as absent: a script that meant a
//! value and built an empty one learns so instead of getting an unfiltered answer.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::problem::ProblemResponse;

/// Typed path parameters.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|rejection| {
                ProblemResponse::new(
                    expense_api::ProblemType::NotFound,
                    format!("Nothing exists at this path: {}.", rejection.body_text()),
                )
            })
    }
}

/// Typed query parameters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ProblemResponse;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if let Some(name) = first_empty_parameter(query) {
            return Err(ProblemResponse::invalid_field(
                &name,
                "is empty: give a value, or leave the parameter out",
            ));
        }
        let deserializer = serde_html_form::Deserializer::from_bytes(query.as_bytes());
        match serde_path_to_error::deserialize::<_, T>(deserializer) {
            Ok(value) => Ok(Self(value)),
            Err(error) => {
                let field = crate::json::field_name(error.path(), "query");
                let message = error.into_inner().to_string();
                Err(ProblemResponse::invalid_field(&field, message))
            }
        }
    }
}

/// The name of the first `name=` (or bare `name`) pair of a query string, if any. A value is
/// empty exactly when its encoded form is, so only the offending pair's name is ever decoded.
fn first_empty_parameter(query: &str) -> Option<String> {
    let pair = query.split('&').find(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        value.is_empty() && !name.is_empty()
    })?;
    let decoded: Vec<(String, String)> = serde_html_form::from_str(pair).ok()?;
    decoded.into_iter().next().map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::first_empty_parameter;

    #[test]
    fn an_empty_value_is_named_and_a_present_one_is_not() {
        assert_eq!(
            first_empty_parameter("from=2026-11-01&to="),
            Some("to".to_owned())
        );
        assert_eq!(first_empty_parameter("limit"), Some("limit".to_owned()));
        assert_eq!(first_empty_parameter("q=%20&limit=2"), None);
        assert_eq!(first_empty_parameter(""), None);
        assert_eq!(first_empty_parameter("&&"), None);
        assert_eq!(first_empty_parameter("a=1&caf%C3%A9="), Some("café".to_owned()));
    }
}
