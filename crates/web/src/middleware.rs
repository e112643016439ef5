//! Cross-cutting layers: request ids, identity and CSRF, error rendering, security headers,
//! metrics.

use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use ansinh_app::{Lang, auth::random_secret};

use crate::error::{ErrorInfo, WebError};
use crate::extract::{Identity, Via};
use crate::metrics::RequestLabels;
use crate::pages::error_page;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "ansinh_session";
pub const CSRF_COOKIE: &str = "ansinh_csrf";
pub const LANG_COOKIE: &str = "lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(1);

fn request_id() -> String {
    // A process-unique counter plus randomness: short enough to read out on the phone.
    let n = REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed);
    let r: u16 = rand::random();
    format!("{n:x}-{r:04x}")
}

fn client_address(req: &Request, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return forwarded.trim().chars().take(64).collect();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Resolves who is asking (bearer token or session cookie), the language and the CSRF
/// token, and refuses state-changing requests whose CSRF token does not match.
pub async fn identify(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let now = state.clock.now();
    let source = client_address(&req, state.config.trust_proxy);
    let jar = CookieJar::from_headers(req.headers());
    let rid = request_id();
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string());

    let mut new_csrf_cookie = None;
    let (ctx, via, csrf) = if let Some(secret) = bearer {
        match state.app.bearer(&secret, &source, now).await {
            Ok(Some(actor)) => (
                Some(ansinh_app::Ctx::new(actor, now)),
                Via::Bearer,
                String::new(),
            ),
            Ok(None) => {
                // A wrong token is an error, never a silent downgrade to anonymous.
                return render(
                    &state,
                    Identity::anonymous(rid, source),
                    req.uri().path(),
                    &req,
                    WebError::App(ansinh_app::AppError::Unauthenticated),
                );
            }
            Err(e) => {
                return render(
                    &state,
                    Identity::anonymous(rid, source),
                    req.uri().path(),
                    &req,
                    WebError::App(e),
                );
            }
        }
    } else if let Some(cookie) = jar.get(SESSION_COOKIE) {
        match state.app.session(cookie.value(), &source, now).await {
            Ok(Some((actor, csrf))) => (
                Some(ansinh_app::Ctx::new(actor, now)),
                Via::Cookie(cookie.value().to_string()),
                csrf,
            ),
            _ => anonymous_csrf(&jar, &mut new_csrf_cookie),
        }
    } else {
        anonymous_csrf(&jar, &mut new_csrf_cookie)
    };

    let lang = jar
        .get(LANG_COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .or(ctx.as_ref().map(|c| c.actor.lang))
        .unwrap_or_default();
    let identity = Identity {
        ctx,
        via,
        csrf,
        lang,
        request_id: rid,
        source,
    };

    let (req, check) = match check_csrf(&identity, req, state.config.body_limit).await {
        Ok(req) => (req, Ok(())),
        Err((req, e)) => (req, Err(e)),
    };
    let path = req.uri().path().to_string();
    if let Err(e) = check {
        return render(&state, identity, &path, &req, e);
    }

    let mut req = req;
    req.extensions_mut().insert(identity.clone());
    let accept_json = wants_json(&req);
    let mut response = next.run(req).await;
    if let Some(info) = response.extensions().get::<ErrorInfo>().cloned() {
        response = render_info(&state, &identity, &path, accept_json, info);
    }
    if let Some(value) = new_csrf_cookie {
        let cookie = Cookie::build((CSRF_COOKIE, value))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(state.config.secure_cookies)
            .build();
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&identity.request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), v);
    }
    response
}

impl Identity {
    fn anonymous(request_id: String, source: String) -> Identity {
        Identity {
            ctx: None,
            via: Via::Anonymous,
            csrf: String::new(),
            lang: Lang::Vi,
            request_id,
            source,
        }
    }
}

fn anonymous_csrf(
    jar: &CookieJar,
    new_cookie: &mut Option<String>,
) -> (Option<ansinh_app::Ctx>, Via, String) {
    let token = match jar.get(CSRF_COOKIE) {
        Some(c) if c.value().len() == 64 => c.value().to_string(),
        _ => {
            let t = random_secret();
            *new_cookie = Some(t.clone());
            t
        }
    };
    (None, Via::Anonymous, token)
}

fn wants_json(req: &Request) -> bool {
    is_api(req.uri().path())
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"))
}

/// Every state-changing request made with cookies must carry the CSRF token, in the
/// `x-csrf-token` header, the `_csrf` form field or (for file uploads) the query string.
/// Bearer-token requests carry no cookies and need none; anonymous API calls neither.
async fn check_csrf(
    identity: &Identity,
    req: Request,
    limit: usize,
) -> Result<Request, (Request, WebError)> {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let exempt = match identity.via {
        Via::Bearer => true,
        Via::Anonymous => is_api(req.uri().path()),
        Via::Cookie(_) => false,
    };
    if safe || exempt {
        return Ok(req);
    }
    let expected = identity.csrf.clone();
    if let Some(given) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if tokens_match(given, &expected) {
            Ok(req)
        } else {
            Err((req, WebError::Csrf))
        };
    }
    if let Some(given) = req
        .uri()
        .query()
        .and_then(|q| form_value(q.as_bytes(), CSRF_FIELD))
    {
        return if tokens_match(&given, &expected) {
            Ok(req)
        } else {
            Err((req, WebError::Csrf))
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err((req, WebError::Csrf));
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => {
            let req = Request::from_parts(parts, Body::empty());
            return Err((
                req,
                WebError::BadRequest {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "payload-too-large",
                    detail: format!("the body exceeds {limit} bytes"),
                },
            ));
        }
    };
    let ok = form_value(&bytes, CSRF_FIELD).is_some_and(|given| tokens_match(&given, &expected));
    let req = Request::from_parts(parts, Body::from(bytes));
    if ok {
        Ok(req)
    } else {
        Err((req, WebError::Csrf))
    }
}

fn form_value(body: &[u8], key: &str) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

fn tokens_match(given: &str, expected: &str) -> bool {
    // Both are 64 hex characters; compare without an early exit.
    !expected.is_empty()
        && given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn render(
    state: &AppState,
    identity: Identity,
    path: &str,
    req: &Request,
    err: WebError,
) -> Response {
    let json = wants_json(req);
    render_info(state, &identity, path, json, err.info())
}

/// Turns an error into the response the client expects.
fn render_info(
    state: &AppState,
    identity: &Identity,
    path: &str,
    json: bool,
    info: ErrorInfo,
) -> Response {
    let tr = state.tr(identity.lang);
    if info.status.is_server_error() {
        tracing::error!(request_id = %identity.request_id, code = %info.code, detail = ?info.detail, "request failed");
    }
    // Internal causes go to the log, never to the client.
    let detail = if info.status.is_server_error() {
        None
    } else {
        info.detail.clone()
    };
    let message = tr.error(&info.code);
    let mut response = if json {
        let fields: Vec<serde_json::Value> = info
            .fields
            .iter()
            .map(|f| {
                serde_json::json!({
                    "field": f.field, "code": f.code, "message": tr.field(f.code), "detail": f.detail,
                })
            })
            .collect();
        let mut body = serde_json::json!({
            "code": info.code, "message": message, "request_id": identity.request_id,
        });
        if !fields.is_empty() {
            body["fields"] = serde_json::Value::Array(fields);
        }
        if let Some(d) = detail {
            body["detail"] = serde_json::Value::String(d);
        }
        if let Some(extra) = &info.extra {
            body["extra"] = extra.clone();
        }
        (info.status, axum::Json(body)).into_response()
    } else if info.code == "must-change-password" {
        Redirect::to("/account").into_response()
    } else if info.status == StatusCode::UNAUTHORIZED && info.code == "unauthenticated" {
        let next: String = path
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "/-_".contains(*c))
            .collect();
        Redirect::to(&format!("/login?next={next}")).into_response()
    } else {
        let html = error_page(state, identity, info.status, &message, detail.as_deref());
        (info.status, axum::response::Html(html)).into_response()
    };
    if let Some(secs) = info.retry_after
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// Security headers on every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages carry personal data: never keep them in shared caches.
        set(h, "cache-control", "no-store");
    }
    response
}

/// Counts requests by route and status, and their latency.
pub async fn record_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: response.status().as_u16(),
        })
        .inc();
    state
        .metrics
        .latency
        .observe(started.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_fields() {
        assert_eq!(
            form_value(b"a=1&_csrf=ab%20c+d&b=2", "_csrf").as_deref(),
            Some("ab c d")
        );
        assert_eq!(form_value(b"a=1", "_csrf"), None);
        assert_eq!(
            form_value(b"_csrf=%E1%BB%87", "_csrf").as_deref(),
            Some("ệ")
        );
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abd", "abc"));
        assert!(!tokens_match("", ""));
        assert!(!tokens_match("ab", "abc"));
    }
}
