//! JSON request bodies: parsed strictly (unknown keys are refused, so that
//! nobody can slip `role` or `association_id` into a request), with every
//! failure in the documented error format.

use crate::errors::ApiError;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(map_rejection(rejection)),
        }
    }
}

/// Like [`ApiJson`] for bodies whose fields are all optional (a note, say):
/// a request without any body counts as `{}`, a body present is parsed
/// just as strictly.
pub struct OptionalJson<T>(pub T);

impl<S, T> FromRequest<S> for OptionalJson<T>
where
    T: DeserializeOwned + Default,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large.")
        })?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        let request = Request::from_parts(parts, axum::body::Body::from(bytes));
        ApiJson::<T>::from_request(request, state).await.map(|ApiJson(value)| Self(value))
    }
}

fn map_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "The request body must be JSON (Content-Type: application/json).",
        ),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", "The request body is not valid JSON.")
        }
        JsonRejection::JsonDataError(error) => {
            // serde's message names the field and what was expected, never a value.
            let detail = error.body_text();
            let mut invalid =
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_fields", "Some fields are invalid.");
            let field = detail
                .split_once(": ")
                .map(|(path, _)| {
                    path.trim_start_matches("Failed to deserialize the JSON body into the target type").trim()
                })
                .filter(|p| !p.is_empty())
                .unwrap_or("body")
                .to_owned();
            invalid.fields = Some([(field, detail)].into_iter().collect());
            invalid
        }
        JsonRejection::BytesRejection(_) => {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is too large.")
        }
        other => ApiError::new(StatusCode::BAD_REQUEST, "bad_request", other.body_text()),
    }
}
