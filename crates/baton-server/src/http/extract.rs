//! Extractors that validate at the edge: JSON bodies whose errors name the field, the client's
//! address, and ids in paths.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use baton_domain::entity::Entity;
use baton_domain::ids::EntityId;

use super::error::ApiError;
use crate::state::AppState;

/// A JSON body. Malformed JSON is a 400 naming the field at fault; a body over the size limit
/// is a 413.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!(
                        "the request body is too large for this endpoint (message texts are \
                         limited to {} bytes)",
                        state.config.limits.max_message_bytes
                    ),
                )
            } else {
                ApiError::bad_request("body", rejection.body_text())
            }
        })?;
        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut deserializer) {
            Ok(value) => Ok(ApiJson(value)),
            Err(err) => {
                let path = err.path().to_string();
                let inner = err.into_inner();
                let field = if path == "." || path.is_empty() {
                    "body".to_owned()
                } else {
                    path
                };
                Err(ApiError::bad_request(
                    &field,
                    format!("invalid JSON: {inner}"),
                ))
            }
        }
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when configured to
/// trust a reverse proxy.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| IpAddr::from_str(v.trim()).ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(peer))
    }
}

/// Parses an id sent in a body or a socket frame; anything that is not an id is a 404 for
/// `what`, like an id that names nothing.
pub fn parse_id<T: FromStr>(raw: &str, what: Entity) -> Result<T, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found(what))
}

/// The id in a route's one path parameter. A segment that is not an id at all is the same 404 as
/// an id that names nothing ("bot not found"): a caller learns nothing from the difference.
pub struct PathId<T>(pub T);

impl<T: EntityId + Send, S: Send + Sync> FromRequestParts<S> for PathId<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let not_found = || ApiError::not_found(T::ENTITY);
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        raw.parse().map(PathId).map_err(|_| not_found())
    }
}

/// The ids in a route's two path parameters (a bot and one of its entries), each read as
/// [`PathId`] reads one: the first that is not an id is a 404 naming what it should identify.
pub struct PathIds<A, B>(pub A, pub B);

impl<A: EntityId + Send, B: EntityId + Send, S: Send + Sync> FromRequestParts<S> for PathIds<A, B> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found(A::ENTITY))?;
        let a = a.parse().map_err(|_| ApiError::not_found(A::ENTITY))?;
        let b = b.parse().map_err(|_| ApiError::not_found(B::ENTITY))?;
        Ok(PathIds(a, b))
    }
}

/// Query parameters. A malformed query is a JSON 400 like every other error, naming the problem.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let detail = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                ApiError::bad_request("query", format!("invalid query string: {detail}"))
            })
    }
}
