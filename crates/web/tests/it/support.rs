//! Starting the app and talking to it like a browser or a machine client.

#![allow(dead_code)]

use std::net::SocketAddr;

use ansinh_app::users::UserInput;
use ansinh_app::{Actor, App, AppConfig, Ctx, PasswordCost};
use ansinh_domain::ids::UnitId;
use ansinh_testkit::TestDb;
use ansinh_web::{AppState, Clock, WebConfig};
use chrono::{DateTime, NaiveDate, Utc};
use tokio::sync::oneshot;

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T09:00:00+07:00")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// A running server over a test database.
pub struct TestApp {
    pub base: String,
    pub app: App,
    pub admin_password: String,
    /// The server's clock: move it with `set_now`.
    pub clock: std::sync::Arc<std::sync::RwLock<DateTime<Utc>>>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

pub async fn app_config() -> AppConfig {
    AppConfig {
        password_cost: PasswordCost::TESTING,
        ..AppConfig::default()
    }
}

/// Starts the app on the test database (reference data loaded, an admin created).
pub async fn spawn(t: &TestDb) -> TestApp {
    let app = App::start(t.db.clone(), app_config().await, now())
        .await
        .unwrap();
    let admin_password = app
        .bootstrap_admin(now())
        .await
        .unwrap()
        .unwrap_or_default();
    start(app, admin_password).await
}

pub async fn start(app: App, admin_password: String) -> TestApp {
    let clock = std::sync::Arc::new(std::sync::RwLock::new(now()));
    let state = AppState::new(
        app.clone(),
        Clock::Manual(clock.clone()),
        WebConfig::default(),
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        ansinh_web::serve(state, listener, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    TestApp {
        base: format!("http://{addr}"),
        app,
        admin_password,
        clock,
        stop: Some(stop),
        task: Some(task),
    }
}

impl TestApp {
    /// Moves the server's clock.
    pub fn set_now(&self, at: DateTime<Utc>) {
        *self.clock.write().unwrap() = at;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    pub fn system_ctx(&self) -> Ctx {
        let graph = self.app.graph();
        let root = graph.roots_at(d(2026, 11, 28))[0];
        Ctx::new(Actor::system(root), now())
    }

    /// The unit version valid today with this code.
    pub fn unit(&self, code: &str) -> UnitId {
        self.unit_at(code, d(2026, 11, 28))
    }

    pub fn unit_at(&self, code: &str, date: NaiveDate) -> UnitId {
        self.app.graph().find(code, date).unwrap().id
    }

    /// Creates an account with the test password.
    pub async fn user(&self, username: &str, role: &str, unit: UnitId) {
        let mut ctx = self.system_ctx();
        ctx.actor.user_id = ansinh_domain::ids::UserId(1);
        self.app
            .create_user(
                &ctx,
                &UserInput {
                    username: username.into(),
                    full_name: format!("Cán bộ {username}"),
                    role: role.into(),
                    unit_id: unit.0.to_string(),
                    password: PASSWORD.into(),
                    active: Some(true),
                },
            )
            .await
            .unwrap();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of the `_csrf` hidden field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a CSRF field");
    html[start..].split('"').next().unwrap().to_string()
}

/// Signs in through the login form; returns the CSRF token of the new session.
pub async fn login(
    app: &TestApp,
    client: &reqwest::Client,
    username: &str,
    password: &str,
) -> String {
    let page = client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let r = client
        .post(app.url("/login"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", username),
            ("password", password),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        303,
        "login of {username} failed: {}",
        r.text().await.unwrap_or_default()
    );
    session_csrf(app, client).await
}

/// The CSRF token of the current session (from any signed-in page).
pub async fn session_csrf(app: &TestApp, client: &reqwest::Client) -> String {
    let page = client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    csrf_of(&page)
}

/// A person form as the browser sends it.
pub fn person_form<'a>(csrf: &'a str, name: &'a str, unit: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("full_name", name),
        ("sex", "male"),
        ("birth_date", "1944-05-20"),
        ("cccd", ""),
        ("ethnicity_code", "05"),
        ("unit_id", unit),
        ("hamlet", "Ấp Sóc Chuối"),
        ("relation", "head"),
        ("disability", "none"),
        ("payment_channel", "cash"),
    ]
}

/// Counts people with a raw query, whatever the scopes.
pub async fn people_count(app: &TestApp) -> i64 {
    use sea_orm::ConnectionTrait;
    let conn = app.app.db.conn();
    let row = conn
        .query_one_raw(ansinh_store::db::stmt(
            conn.get_database_backend(),
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM persons",
            [],
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}
