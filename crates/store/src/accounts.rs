//! User accounts, sessions, API tokens and failed-login records.
//!
//! Session cookies and API tokens are random secrets; only their SHA-256 is stored, so a
//! copy of the database does not give access.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

use ansinh_domain::access::Role;
use ansinh_domain::ids::{UnitId, UserId};

use crate::db::stmt;
use crate::entity::{api_token, session, user};
use crate::error::StoreError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: UnitId,
    pub active: bool,
    pub must_change_password: bool,
    pub lang: String,
    #[serde(skip)]
    pub password_hash: String,
}

impl TryFrom<user::Model> for User {
    type Error = StoreError;
    fn try_from(m: user::Model) -> Result<User, StoreError> {
        Ok(User {
            id: UserId(m.id),
            role: m.role.parse().map_err(|_| {
                StoreError::RefData(format!("user {}: unknown role {}", m.id, m.role))
            })?,
            username: m.username,
            full_name: m.full_name,
            unit_id: UnitId(m.unit_id),
            active: m.active,
            must_change_password: m.must_change_password,
            lang: m.lang,
            password_hash: m.password_hash,
        })
    }
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: UnitId,
    pub password_hash: String,
    pub must_change_password: bool,
}

pub async fn count_users(conn: &impl ConnectionTrait) -> Result<u64, StoreError> {
    Ok(user::Entity::find().count(conn).await?)
}

pub async fn insert_user(
    conn: &impl ConnectionTrait,
    new: &NewUser,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    let saved = user::ActiveModel {
        username: Set(new.username.clone()),
        full_name: Set(new.full_name.clone()),
        password_hash: Set(new.password_hash.clone()),
        role: Set(new.role.as_str().into()),
        unit_id: Set(new.unit_id.0),
        active: Set(true),
        must_change_password: Set(new.must_change_password),
        lang: Set("vi".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    User::try_from(saved)
}

pub async fn find_user_by_name(
    conn: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<User>, StoreError> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(conn)
        .await?
        .map(User::try_from)
        .transpose()
}

pub async fn get_user(conn: &impl ConnectionTrait, id: UserId) -> Result<Option<User>, StoreError> {
    user::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .map(User::try_from)
        .transpose()
}

pub async fn list_users(conn: &impl ConnectionTrait) -> Result<Vec<User>, StoreError> {
    user::Entity::find()
        .order_by_asc(user::Column::Username)
        .all(conn)
        .await?
        .into_iter()
        .map(User::try_from)
        .collect()
}

/// Changes of an account by an administrator.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub full_name: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<UnitId>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
    pub must_change_password: Option<bool>,
    pub lang: Option<String>,
}

pub async fn update_user(
    conn: &impl ConnectionTrait,
    id: UserId,
    change: &UserChange,
    now: DateTime<Utc>,
) -> Result<User, StoreError> {
    let current = user::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::not_found("user", id))?;
    let mut active: user::ActiveModel = current.into();
    if let Some(v) = &change.full_name {
        active.full_name = Set(v.clone());
    }
    if let Some(v) = change.role {
        active.role = Set(v.as_str().into());
    }
    if let Some(v) = change.unit_id {
        active.unit_id = Set(v.0);
    }
    if let Some(v) = change.active {
        active.active = Set(v);
    }
    if let Some(v) = &change.password_hash {
        active.password_hash = Set(v.clone());
    }
    if let Some(v) = change.must_change_password {
        active.must_change_password = Set(v);
    }
    if let Some(v) = &change.lang {
        active.lang = Set(v.clone());
    }
    active.updated_at = Set(now);
    User::try_from(active.update(conn).await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: UserId,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_session(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    user_id: UserId,
    csrf_token: &str,
    source: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    session::ActiveModel {
        token_hash: Set(token_hash.into()),
        user_id: Set(user_id.0),
        csrf_token: Set(csrf_token.into()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_seen_at: Set(now),
        source: Set(source.into()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A live session, its expiry pushed to `new_expiry` (sliding expiry).
pub async fn touch_session(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
    new_expiry: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    let Some(found) = session::Entity::find_by_id(token_hash.to_string())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if found.expires_at <= now {
        session::Entity::delete_by_id(token_hash.to_string())
            .exec(conn)
            .await?;
        return Ok(None);
    }
    let result = Session {
        user_id: UserId(found.user_id),
        csrf_token: found.csrf_token.clone(),
        expires_at: new_expiry,
    };
    // Writing on every request would serialise readers on SQLite: refresh once a minute.
    if now - found.last_seen_at > chrono::Duration::minutes(1) {
        let mut active: session::ActiveModel = found.into();
        active.last_seen_at = Set(now);
        active.expires_at = Set(new_expiry);
        active.update(conn).await?;
    }
    Ok(Some(result))
}

pub async fn delete_session(
    conn: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<(), StoreError> {
    session::Entity::delete_by_id(token_hash.to_string())
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn delete_user_sessions(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> Result<(), StoreError> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.0))
        .exec(conn)
        .await?;
    Ok(())
}

pub async fn record_login_failure(
    conn: &impl ConnectionTrait,
    username: &str,
    source: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "INSERT INTO login_failures (username, source, at) VALUES ($1, $2, $3)",
        [username.into(), source.into(), at.into()],
    ))
    .await?;
    Ok(())
}

/// Failures for this user name, and from this address, since `since`.
pub async fn login_failures_since(
    conn: &impl ConnectionTrait,
    username: &str,
    source: &str,
    since: DateTime<Utc>,
) -> Result<(i64, i64, Option<DateTime<Utc>>), StoreError> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(stmt(
            backend,
            "SELECT CAST(SUM(CASE WHEN username = $1 THEN 1 ELSE 0 END) AS BIGINT) AS by_user, \
             CAST(SUM(CASE WHEN source = $2 THEN 1 ELSE 0 END) AS BIGINT) AS by_source, \
             MIN(at) AS oldest \
             FROM login_failures WHERE at > $3 AND (username = $1 OR source = $2)",
            [username.into(), source.into(), since.into()],
        ))
        .await?;
    match row {
        Some(r) => Ok((
            r.try_get::<Option<i64>>("", "by_user")?.unwrap_or(0),
            r.try_get::<Option<i64>>("", "by_source")?.unwrap_or(0),
            r.try_get::<Option<DateTime<Utc>>>("", "oldest")?,
        )),
        None => Ok((0, 0, None)),
    }
}

pub async fn clear_login_failures(
    conn: &impl ConnectionTrait,
    username: &str,
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "DELETE FROM login_failures WHERE username = $1",
        [username.into()],
    ))
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<api_token::Model> for ApiToken {
    fn from(m: api_token::Model) -> ApiToken {
        ApiToken {
            id: m.id,
            name: m.name,
            user_id: UserId(m.user_id),
            created_at: m.created_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            last_used_at: m.last_used_at,
        }
    }
}

pub async fn insert_token(
    conn: &impl ConnectionTrait,
    name: &str,
    token_hash: &str,
    user_id: UserId,
    now: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
) -> Result<ApiToken, StoreError> {
    let saved = api_token::ActiveModel {
        name: Set(name.into()),
        token_hash: Set(token_hash.into()),
        user_id: Set(user_id.0),
        created_at: Set(now),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(saved.into())
}

pub async fn tokens_of(
    conn: &impl ConnectionTrait,
    user_id: UserId,
) -> Result<Vec<ApiToken>, StoreError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id.0))
        .order_by_desc(api_token::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(ApiToken::from)
        .collect())
}

pub async fn all_tokens(conn: &impl ConnectionTrait) -> Result<Vec<ApiToken>, StoreError> {
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(ApiToken::from)
        .collect())
}

pub async fn get_token(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<ApiToken>, StoreError> {
    Ok(api_token::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(ApiToken::from))
}

/// A usable token (not revoked, not expired) and its owner's id; marks it used.
pub async fn use_token(
    conn: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<ApiToken>, StoreError> {
    let Some(found) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if found.revoked_at.is_some() || found.expires_at.is_some_and(|e| e <= now) {
        return Ok(None);
    }
    let stale = found
        .last_used_at
        .is_none_or(|t| now - t > chrono::Duration::minutes(1));
    let token = ApiToken::from(found.clone());
    if stale {
        let mut active: api_token::ActiveModel = found.into();
        active.last_used_at = Set(Some(now));
        active.update(conn).await?;
    }
    Ok(Some(token))
}

pub async fn revoke_token(
    conn: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let found = api_token::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::not_found("token", id))?;
    let mut active: api_token::ActiveModel = found.into();
    active.revoked_at = Set(Some(now));
    active.update(conn).await?;
    Ok(())
}

pub async fn get_setting(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<String>, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "SELECT value FROM settings WHERE key = $1",
            [key.into()],
        ))
        .await?;
    Ok(match row {
        Some(r) => Some(r.try_get("", "value")?),
        None => None,
    })
}

pub async fn set_setting(
    conn: &impl ConnectionTrait,
    key: &str,
    value: &str,
) -> Result<(), StoreError> {
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key.into(), value.into()],
    ))
    .await?;
    Ok(())
}
