//! Signing in and out, sessions, password changes and API tokens.
//!
//! Passwords: argon2id. Unknown user names are checked against a dummy hash so that timing
//! does not tell which accounts exist. Failed attempts are recorded and throttle further
//! attempts per user name and per client address.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};

use ansinh_domain::access::Role;
use ansinh_domain::ids::UserId;
use ansinh_store::accounts::{self, NewUser, User};
use ansinh_store::audit::{self, AuditEntry, SYSTEM_CHAIN};

use crate::context::{Actor, Ctx, Lang};
use crate::error::{AppError, AppResult};
use crate::{App, PasswordCost};

pub const MIN_PASSWORD_CHARS: usize = 10;

/// A fresh random secret, hex-encoded (32 bytes = 256 bits).
pub fn random_secret() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// A password people can type: 16 characters from an alphabet without look-alikes.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn hasher(cost: PasswordCost) -> AppResult<Argon2<'static>> {
    let params = Params::new(cost.memory_kib, cost.iterations, 1, None)
        .map_err(|e| AppError::Internal(format!("argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash_password(password: &str, cost: PasswordCost) -> AppResult<String> {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| AppError::Internal(format!("salt: {e}")))?;
    hasher(cost)?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            // The parameters are read from the stored hash itself.
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

pub fn check_new_password(password: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::field("new_password", "password-too-short"));
    }
    if password.chars().count() > 200 {
        return Err(AppError::field("new_password", "too-long"));
    }
    Ok(())
}

/// A new session: the cookie value (given to the browser only) and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub user: User,
}

impl App {
    pub(crate) fn actor_of(&self, user: &User, source: &str) -> Actor {
        Actor {
            user_id: user.id,
            username: user.username.clone(),
            full_name: user.full_name.clone(),
            role: user.role,
            unit_id: user.unit_id,
            source: source.to_string(),
            lang: Lang::parse(&user.lang).unwrap_or_default(),
            must_change_password: user.must_change_password,
        }
    }

    fn system_entry(
        &self,
        actor: Option<&User>,
        source: &str,
        action: &str,
        entity_id: impl ToString,
        at: DateTime<Utc>,
    ) -> AuditEntry {
        AuditEntry {
            chain: SYSTEM_CHAIN.into(),
            at,
            actor_id: actor.map(|u| u.id.0),
            actor: actor
                .map(|u| u.username.clone())
                .unwrap_or_else(|| "anonymous".into()),
            source: source.into(),
            action: action.into(),
            entity: "user".into(),
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
        }
    }

    /// Creates the `admin` account on a database without users. Returns its password, to be
    /// shown once; `None` when accounts already exist.
    pub async fn bootstrap_admin(&self, now: DateTime<Utc>) -> AppResult<Option<String>> {
        let txn = self.db.begin().await?;
        if accounts::count_users(&txn).await? > 0 {
            return Ok(None);
        }
        let graph = self.graph();
        let Some(root) = graph
            .roots_at(crate::context::vietnam_time(now).date())
            .first()
            .copied()
        else {
            return Err(AppError::Internal("no province in the unit list".into()));
        };
        let password = random_password();
        let user = accounts::insert_user(
            &txn,
            &NewUser {
                username: "admin".into(),
                full_name: "Quản trị hệ thống".into(),
                role: Role::Admin,
                unit_id: root,
                password_hash: hash_password(&password, self.config.password_cost)?,
                must_change_password: true,
            },
            now,
        )
        .await?;
        let mut entry = self.system_entry(None, "cli", "user.bootstrap", user.id, now);
        entry.after = Some(serde_json::json!({"username": "admin", "role": "admin"}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(Some(password))
    }

    /// Checks a user name and password; on success opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        source: &str,
        now: DateTime<Utc>,
    ) -> AppResult<NewSession> {
        let username = username.trim();
        let window = now - Duration::minutes(self.config.throttle_window_minutes);
        let (by_user, by_source, oldest) =
            accounts::login_failures_since(self.db.conn(), username, source, window).await?;
        if by_user >= self.config.max_failed_logins
            || by_source >= 4 * self.config.max_failed_logins
        {
            let retry = oldest
                .map(|t| {
                    (t + Duration::minutes(self.config.throttle_window_minutes) - now).num_seconds()
                })
                .unwrap_or(60)
                .max(1);
            return Err(AppError::Throttled {
                retry_after_secs: retry as u64,
            });
        }
        let user = accounts::find_user_by_name(self.db.conn(), username).await?;
        let ok = match &user {
            Some(u) => verify_password(password, &u.password_hash) && u.active,
            None => {
                // Same work as for a real account, so timing does not reveal which exist.
                let _ = verify_password(password, DUMMY_HASH);
                false
            }
        };
        let txn = self.db.begin().await?;
        let Some(user) = user.filter(|_| ok) else {
            accounts::record_login_failure(&txn, username, source, now).await?;
            let mut entry = self.system_entry(
                None,
                source,
                "user.login-failed",
                username.chars().take(60).collect::<String>(),
                now,
            );
            entry.entity = "login".into();
            audit::append(&txn, entry).await?;
            txn.commit().await?;
            return Err(AppError::BadCredentials);
        };
        accounts::clear_login_failures(&txn, username).await?;
        let token = random_secret();
        let csrf_token = random_secret();
        accounts::insert_session(
            &txn,
            &sha256_hex(&token),
            user.id,
            &csrf_token,
            source,
            now,
            now + Duration::minutes(self.config.session_idle_minutes),
        )
        .await?;
        audit::append(
            &txn,
            self.system_entry(Some(&user), source, "user.login", user.id, now),
        )
        .await?;
        txn.commit().await?;
        Ok(NewSession {
            token,
            csrf_token,
            user,
        })
    }

    /// The actor behind a session cookie, and the session's CSRF token.
    pub async fn session(
        &self,
        token: &str,
        source: &str,
        now: DateTime<Utc>,
    ) -> AppResult<Option<(Actor, String)>> {
        let expiry = now + Duration::minutes(self.config.session_idle_minutes);
        let Some(session) =
            accounts::touch_session(self.db.conn(), &sha256_hex(token), now, expiry).await?
        else {
            return Ok(None);
        };
        let Some(user) = accounts::get_user(self.db.conn(), session.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        Ok(Some((self.actor_of(&user, source), session.csrf_token)))
    }

    pub async fn logout(&self, ctx: &Ctx, token: &str) -> AppResult<()> {
        let txn = self.db.begin().await?;
        accounts::delete_session(&txn, &sha256_hex(token)).await?;
        let mut entry = self.entry(
            ctx,
            SYSTEM_CHAIN.into(),
            "user.logout",
            "user",
            ctx.actor.user_id,
        );
        entry.entity = "user".into();
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Changes one's own password; other sessions of the user are closed.
    pub async fn change_password(&self, ctx: &Ctx, current: &str, new: &str) -> AppResult<()> {
        let user = accounts::get_user(self.db.conn(), ctx.actor.user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !verify_password(current, &user.password_hash) {
            return Err(AppError::field("current_password", "wrong-password"));
        }
        check_new_password(new)?;
        if new == current {
            return Err(AppError::field("new_password", "password-unchanged"));
        }
        let hash = hash_password(new, self.config.password_cost)?;
        let txn = self.db.begin().await?;
        accounts::update_user(
            &txn,
            user.id,
            &accounts::UserChange {
                password_hash: Some(hash),
                must_change_password: Some(false),
                ..Default::default()
            },
            ctx.now,
        )
        .await?;
        audit::append(
            &txn,
            self.entry(
                ctx,
                SYSTEM_CHAIN.into(),
                "user.password-change",
                "user",
                user.id,
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn set_language(&self, ctx: &Ctx, lang: Lang) -> AppResult<()> {
        let txn = self.db.begin().await?;
        accounts::update_user(
            &txn,
            ctx.actor.user_id,
            &accounts::UserChange {
                lang: Some(lang.as_str().into()),
                ..Default::default()
            },
            ctx.now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// A new API token for the caller: the secret is returned once and stored hashed.
    /// The token acts with the caller's role and scope.
    pub async fn create_token(
        &self,
        ctx: &Ctx,
        name: &str,
        days: Option<i64>,
    ) -> AppResult<(accounts::ApiToken, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::field("name", "required"));
        }
        let secret = format!("ansinh_{}", random_secret());
        let txn = self.db.begin().await?;
        let token = accounts::insert_token(
            &txn,
            name,
            &sha256_hex(&secret),
            ctx.actor.user_id,
            ctx.now,
            days.map(|d| ctx.now + Duration::days(d)),
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            SYSTEM_CHAIN.into(),
            "token.create",
            "api_token",
            token.id,
        );
        entry.after = Some(serde_json::json!({"name": name, "user_id": ctx.actor.user_id.0}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok((token, secret))
    }

    /// The caller's tokens (all tokens for administrators).
    pub async fn tokens(&self, ctx: &Ctx) -> AppResult<Vec<accounts::ApiToken>> {
        Ok(if ctx.actor.role == Role::Admin {
            accounts::all_tokens(self.db.conn()).await?
        } else {
            accounts::tokens_of(self.db.conn(), ctx.actor.user_id).await?
        })
    }

    pub async fn revoke_token(&self, ctx: &Ctx, id: i64) -> AppResult<()> {
        let token = accounts::get_token(self.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if token.user_id != ctx.actor.user_id && ctx.actor.role != Role::Admin {
            return Err(AppError::NotFound);
        }
        let txn = self.db.begin().await?;
        accounts::revoke_token(&txn, id, ctx.now).await?;
        audit::append(
            &txn,
            self.entry(ctx, SYSTEM_CHAIN.into(), "token.revoke", "api_token", id),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The actor behind a bearer token.
    pub async fn bearer(
        &self,
        secret: &str,
        source: &str,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Actor>> {
        let Some(token) = accounts::use_token(self.db.conn(), &sha256_hex(secret), now).await?
        else {
            return Ok(None);
        };
        let Some(user) = accounts::get_user(self.db.conn(), token.user_id).await? else {
            return Ok(None);
        };
        if !user.active {
            return Ok(None);
        }
        let mut actor = self.actor_of(&user, source);
        // A machine client cannot be asked to change a password.
        actor.must_change_password = false;
        Ok(Some(actor))
    }

    pub async fn user(&self, id: UserId) -> AppResult<Option<User>> {
        Ok(accounts::get_user(self.db.conn(), id).await?)
    }
}

/// An argon2id hash of a random string, for timing-equalised checks of unknown users.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2xS2uP0hR+oGvOZaYdP5b7XIMSC8Dfl3h0c9J1xvkYQ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("mật khẩu đủ dài", PasswordCost::TESTING).unwrap();
        let b = hash_password("mật khẩu đủ dài", PasswordCost::TESTING).unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đủ dài", &a));
        assert!(!verify_password("mat khau du dai", &a));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn the_dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn generated_secrets_are_long_and_distinct() {
        let a = random_secret();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_secret());
        assert_eq!(random_password().len(), 16);
    }
}
