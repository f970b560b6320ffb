//! Who is calling: agents by their HttpOnly session cookie (with a CSRF token on every
//! state-changing request), visitors by the bearer token of their one conversation.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use baton_storage::{Agent, Role};

use super::error::ApiError;
use super::extract::PathId;
use crate::secrets;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "baton_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The value of the named cookie, if the request carries it.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A logged-in agent. State-changing requests must also carry the session's CSRF token in the
/// `X-CSRF-Token` header.
#[derive(Clone, Debug)]
pub struct CurrentAgent {
    pub agent: Agent,
    pub csrf_token: String,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentAgent {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token =
            cookie(parts, SESSION_COOKIE).ok_or_else(|| ApiError::unauthorized("log in first"))?;
        let token_hash = secrets::token_hash(token);
        let session = state
            .store
            .session(&token_hash)
            .await?
            .ok_or_else(|| ApiError::unauthorized("your session has expired; log in again"))?;
        let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if changes_state {
            let presented = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !secrets::constant_time_eq(presented.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::forbidden(
                    "missing or wrong X-CSRF-Token header (use the csrf_token from login or GET /api/v1/me)",
                ));
            }
        }
        Ok(CurrentAgent {
            agent: session.agent,
            csrf_token: session.csrf_token,
            token_hash,
        })
    }
}

/// A logged-in agent with the admin role.
#[derive(Clone, Debug)]
pub struct AdminAgent(pub Agent);

impl FromRequestParts<AppState> for AdminAgent {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = CurrentAgent::from_request_parts(parts, state).await?;
        if current.agent.role != Role::Admin {
            return Err(ApiError::forbidden("only admins may do this"));
        }
        Ok(AdminAgent(current.agent))
    }
}

/// The visitor's bearer token (`Authorization: Bearer …`).
pub struct VisitorToken(pub String);

impl FromRequestParts<AppState> for VisitorToken {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then_some(token)
            })
            .map(|t| VisitorToken(t.trim().to_owned()))
            .ok_or_else(|| {
                ApiError::unauthorized("send the visitor token as `Authorization: Bearer <token>`")
            })
    }
}

/// The conversation a widget request names in its path (`…/conversations/{id}/…`), opened with
/// the request's visitor token: 404 when it does not exist, 403 when the token is another
/// conversation's.
pub struct VisitorConversation(pub baton_storage::Conversation);

impl FromRequestParts<AppState> for VisitorConversation {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // The token is asked for first: without one, nothing is said about the id.
        let VisitorToken(token) = VisitorToken::from_request_parts(parts, state).await?;
        let PathId(id) = PathId::from_request_parts(parts, state).await?;
        Ok(VisitorConversation(
            state.visitor_conversation(id, &token).await?,
        ))
    }
}
