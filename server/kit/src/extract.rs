//! Path and query extractors whose rejections are problem+json that say what was wrong.
//!
//! A path segment that does not parse (an id that is not a UUID) is answered 404, because no such
//! resource can exist; a query parameter that does not parse is answered 422 naming it.
//! Repeated query keys (`?category=a&category=b`) fill a `Vec`.

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
        let deserializer = serde_html_form::Deserializer::from_bytes(query.as_bytes());
        match serde_path_to_error::deserialize::<_, T>(deserializer) {
            Ok(value) => Ok(Self(value)),
            Err(error) => {
                let field = error.path().to_string();
                let message = error.into_inner().to_string();
                let field = if field == "." { "query".to_owned() } else { field };
                Err(ProblemResponse::invalid_field(&field, message))
            }
        }
    }
}
