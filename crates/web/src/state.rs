//! Shared state of the HTTP layer.

use chrono::{DateTime, Utc};
use std::sync::Arc;

use ansinh_app::{App, Lang};

use crate::i18n::{I18n, Tr};
use crate::metrics::Metrics;

/// Where time comes from. Only this layer and the CLI read the system clock.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    /// A fixed instant, for tests and demonstrations.
    Fixed(DateTime<Utc>),
    /// An instant moved by hand (tests that span working days).
    Manual(Arc<std::sync::RwLock<DateTime<Utc>>>),
}

impl Clock {
    #[allow(clippy::disallowed_methods)] // the one place the web layer reads the clock
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
            Clock::Manual(at) => match at.read() {
                Ok(t) => *t,
                Err(poisoned) => *poisoned.into_inner(),
            },
        }
    }
}

#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (when served over HTTPS, directly or behind a proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            body_limit: 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub app: App,
    pub i18n: Arc<I18n>,
    pub clock: Clock,
    pub metrics: Arc<Metrics>,
    pub config: WebConfig,
}

impl AppState {
    pub fn new(app: App, clock: Clock, config: WebConfig) -> Result<AppState, String> {
        Ok(AppState {
            app,
            i18n: Arc::new(I18n::load()?),
            clock,
            metrics: Arc::new(Metrics::new()),
            config,
        })
    }

    pub fn tr(&self, lang: Lang) -> Tr {
        Tr::new(lang, self.i18n.clone())
    }
}
