//! Use-case tests: every test runs on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail loudly

mod demo;
mod dossiers;
mod payroll;
mod policy;
mod scope;

use ansinh_app::{Actor, App, AppConfig, Ctx, PasswordCost};
use ansinh_testkit::TestDb;
use chrono::{DateTime, NaiveDate, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-28T09:00:00+07:00")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub async fn app(t: &TestDb) -> App {
    App::start(
        t.db.clone(),
        AppConfig {
            password_cost: PasswordCost::TESTING,
            ..AppConfig::default()
        },
        now(),
    )
    .await
    .unwrap()
}

/// A context acting as the named account.
pub async fn as_user(app: &App, username: &str) -> Ctx {
    let user = ansinh_store::accounts::find_user_by_name(app.db.conn(), username)
        .await
        .unwrap()
        .unwrap();
    Ctx::new(
        Actor {
            user_id: user.id,
            username: user.username,
            full_name: user.full_name,
            role: user.role,
            unit_id: user.unit_id,
            source: "test".into(),
            lang: ansinh_app::Lang::Vi,
            must_change_password: false,
        },
        now(),
    )
}
