//! Who is asking, from where, and when.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use ansinh_domain::access::Role;
use ansinh_domain::ids::{UnitId, UserId};

/// Interface language: Vietnamese by default, English second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The signed-in user (or the machine acting with their token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: UserId,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: UnitId,
    /// Client address, or `cli`.
    pub source: String,
    pub lang: Lang,
    pub must_change_password: bool,
}

impl Actor {
    /// The built-in actor of command-line maintenance (`ansinh gen`, `serve --demo`).
    pub fn system(unit_id: UnitId) -> Actor {
        Actor {
            user_id: UserId(0),
            username: "system".into(),
            full_name: "ansinh".into(),
            role: Role::Admin,
            unit_id,
            source: "cli".into(),
            lang: Lang::Vi,
            must_change_password: false,
        }
    }
}

/// Vietnam keeps UTC+7 all year (no daylight saving).
pub const VIETNAM_UTC_OFFSET_HOURS: i64 = 7;

/// The wall-clock time in Vietnam of an instant.
pub fn vietnam_time(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::hours(VIETNAM_UTC_OFFSET_HOURS)).naive_utc()
}

/// One request's context: the actor and the moment it happens.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub now: DateTime<Utc>,
}

impl Ctx {
    pub fn new(actor: Actor, now: DateTime<Utc>) -> Ctx {
        Ctx { actor, now }
    }

    /// Today's date in Vietnam.
    pub fn today(&self) -> NaiveDate {
        vietnam_time(self.now).date()
    }
}
