//! RFC 9457 problem details: the one error shape every service answers with.
//!
//! Every 4xx and 5xx response body is `application/problem+json` with a stable `type` that
//! clients may match on, a human `detail` saying what was wrong and how to fix it, and, for
//! validation failures, one entry per offending field in `errors`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Media type of every error body.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The stable problem types. Their URNs are part of the API; see `docs/api/problems.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemType {
    /// The body is not JSON, or is not shaped as the operation expects.
    MalformedRequest,
    /// The request is well-formed but a field value is not acceptable.
    Validation,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// The body is larger than the service accepts.
    PayloadTooLarge,
    /// No credentials, or credentials that are expired, invalid or revoked.
    Unauthorized,
    /// Signed in, but the operation needs a role the caller does not have.
    Forbidden,
    /// No such resource, or it belongs to someone else.
    NotFound,
    /// The HTTP method is not allowed on this path.
    MethodNotAllowed,
    /// The request conflicts with the current state (for example an e-mail already registered).
    Conflict,
    /// A precondition such as `If-Match` did not hold.
    PreconditionFailed,
    /// Too many requests; retry after the number of seconds in `Retry-After`.
    RateLimited,
    /// The service could not finish in time, or a dependency is unavailable; retry later.
    Unavailable,
    /// An unexpected error; the response carries a request id to quote.
    Internal,
}

impl ProblemType {
    /// Every problem type, for documentation and tests.
    pub const ALL: [ProblemType; 13] = [
        Self::MalformedRequest,
        Self::Validation,
        Self::UnsupportedMediaType,
        Self::PayloadTooLarge,
        Self::Unauthorized,
        Self::Forbidden,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::PreconditionFailed,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The URN written into `type`.
    pub const fn urn(self) -> &'static str {
        match self {
            Self::MalformedRequest => "urn:expense:problem:malformed-request",
            Self::Validation => "urn:expense:problem:validation",
            Self::UnsupportedMediaType => "urn:expense:problem:unsupported-media-type",
            Self::PayloadTooLarge => "urn:expense:problem:payload-too-large",
            Self::Unauthorized => "urn:expense:problem:unauthorized",
            Self::Forbidden => "urn:expense:problem:forbidden",
            Self::NotFound => "urn:expense:problem:not-found",
            Self::MethodNotAllowed => "urn:expense:problem:method-not-allowed",
            Self::Conflict => "urn:expense:problem:conflict",
            Self::PreconditionFailed => "urn:expense:problem:precondition-failed",
            Self::RateLimited => "urn:expense:problem:rate-limited",
            Self::Unavailable => "urn:expense:problem:unavailable",
            Self::Internal => "urn:expense:problem:internal",
        }
    }

    /// The short, fixed `title` for this type.
    pub const fn title(self) -> &'static str {
        match self {
            Self::MalformedRequest => "Malformed request",
            Self::Validation => "Validation failed",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::PayloadTooLarge => "Payload too large",
            Self::Unauthorized => "Unauthorized",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::Conflict => "Conflict",
            Self::PreconditionFailed => "Precondition failed",
            Self::RateLimited => "Too many requests",
            Self::Unavailable => "Service unavailable",
            Self::Internal => "Internal error",
        }
    }

    /// The HTTP status code that goes with this type.
    pub const fn status(self) -> u16 {
        match self {
            Self::MalformedRequest => 400,
            Self::Validation => 422,
            Self::UnsupportedMediaType => 415,
            Self::PayloadTooLarge => 413,
            Self::Unauthorized => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
            Self::PreconditionFailed => 412,
            Self::RateLimited => 429,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }

    /// The type whose URN is `urn`, if any.
    pub fn from_urn(urn: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.urn() == urn)
    }
}

/// One offending field of a validation problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, such as `password` or `items[3].amount`.
    pub field: String,
    /// What is wrong with it and what would be accepted.
    pub message: String,
}

/// An RFC 9457 problem details body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// Stable identifier of the kind of problem, a URN such as `urn:expense:problem:validation`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the problem type; the same for every occurrence.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request and how to fix it.
    pub detail: String,
    /// Per-field validation errors, present for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The request's `X-Request-Id`, to quote when reporting a problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl Problem {
    /// A problem of `kind` with the given detail.
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.urn().to_owned(),
            title: kind.title().to_owned(),
            status: kind.status(),
            detail: detail.into(),
            errors: Vec::new(),
            request_id: None,
        }
    }

    /// A validation problem listing each offending field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!(
                "{} fields are invalid: {}",
                many.len(),
                many.iter()
                    .map(|e| e.field.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Self {
            errors,
            ..Self::new(ProblemType::Validation, detail)
        }
    }

    /// The known type of this problem, if its URN is one of ours.
    pub fn problem_type(&self) -> Option<ProblemType> {
        ProblemType::from_urn(&self.kind)
    }
}

impl FieldError {
    /// An error on `field` saying `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_type_round_trips_through_its_urn() {
        for kind in ProblemType::ALL {
            assert_eq!(ProblemType::from_urn(kind.urn()), Some(kind));
        }
    }

    #[test]
    fn validation_detail_names_the_fields() {
        let one = Problem::validation(vec![FieldError::new("password", "too short")]);
        assert_eq!(one.detail, "password: too short");
        let two = Problem::validation(vec![
            FieldError::new("email", "x"),
            FieldError::new("password", "y"),
        ]);
        assert_eq!(two.detail, "2 fields are invalid: email, password");
        assert_eq!(two.status, 422);
    }
}
