//! Account management by administrators.

use serde::Deserialize;

use ansinh_domain::access::{Permission, Role};
use ansinh_domain::ids::{UnitId, UserId};
use ansinh_domain::registry::FieldError;
use ansinh_store::accounts::{self, NewUser, User, UserChange};
use ansinh_store::audit::{self, SYSTEM_CHAIN};

use crate::App;
use crate::auth::{check_new_password, hash_password, random_password};
use crate::context::Ctx;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: String,
    /// Empty: a random password is generated and shown once.
    pub password: String,
    pub active: Option<bool>,
}

fn field(field: &'static str, code: &'static str) -> FieldError {
    FieldError {
        field,
        code,
        detail: None,
    }
}

impl App {
    pub async fn users(&self, ctx: &Ctx) -> AppResult<Vec<User>> {
        self.require(ctx, Permission::ManageUsers)?;
        Ok(accounts::list_users(self.db.conn()).await?)
    }

    /// Checks role and unit together: a commune officer belongs to a commune, and so on.
    fn check_role_unit(
        &self,
        ctx: &Ctx,
        role_text: &str,
        unit_text: &str,
        errors: &mut Vec<FieldError>,
    ) -> Option<(Role, UnitId)> {
        let role = match role_text.parse::<Role>() {
            Ok(r) => Some(r),
            Err(_) => {
                errors.push(field("role", "invalid-choice"));
                None
            }
        };
        let graph = self.graph();
        let unit = unit_text
            .trim()
            .parse::<i64>()
            .ok()
            .map(UnitId)
            .filter(|u| graph.get(*u).is_some());
        if unit.is_none() {
            errors.push(field("unit_id", "unknown-unit"));
        }
        let (role, unit) = (role?, unit?);
        let version = graph.get(unit)?;
        if let Some(level) = role.unit_level()
            && version.level != level
        {
            errors.push(field("unit_id", "unit-level-mismatch"));
            return None;
        }
        // District officers belong to the three-tier era; other roles need a current unit.
        if role != Role::DistrictOfficer && role != Role::Admin && !version.valid_at(ctx.today()) {
            errors.push(field("unit_id", "unit-not-current"));
            return None;
        }
        Some((role, unit))
    }

    /// Creates an account. Returns it and its initial password (shown once).
    pub async fn create_user(&self, ctx: &Ctx, input: &UserInput) -> AppResult<(User, String)> {
        self.require(ctx, Permission::ManageUsers)?;
        let mut errors = Vec::new();
        let username = input.username.trim().to_lowercase();
        if username.is_empty() {
            errors.push(field("username", "required"));
        } else if username.len() > 50
            || !username.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_' || c == '-'
            })
        {
            errors.push(field("username", "username-format"));
        }
        let full_name = ansinh_domain::fold::normalise_name(&input.full_name);
        if full_name.is_empty() {
            errors.push(field("full_name", "required"));
        } else if full_name.chars().count() > 100
            || full_name
                .chars()
                .any(|c| matches!(c, '<' | '>' | '"' | ';' | '\\'))
        {
            errors.push(field("full_name", "name-characters"));
        }
        let role_unit = self.check_role_unit(ctx, &input.role, &input.unit_id, &mut errors);
        let password = if input.password.is_empty() {
            random_password()
        } else {
            if let Err(AppError::Invalid(mut e)) = check_new_password(&input.password) {
                for f in &mut e {
                    f.field = "password";
                }
                errors.extend(e);
            }
            input.password.clone()
        };
        let Some((role, unit_id)) = role_unit.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let hash = hash_password(&password, self.config.password_cost)?;
        let txn = self.db.begin().await?;
        let user = accounts::insert_user(
            &txn,
            &NewUser {
                username,
                full_name,
                role,
                unit_id,
                password_hash: hash,
                must_change_password: input.password.is_empty(),
            },
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(ctx, SYSTEM_CHAIN.into(), "user.create", "user", user.id);
        entry.after = Some(serde_json::json!({
            "username": user.username, "full_name": user.full_name,
            "role": user.role.as_str(), "unit_id": user.unit_id.0,
        }));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok((user, password))
    }

    /// Changes role, unit, name or active flag of an account.
    pub async fn update_user(&self, ctx: &Ctx, id: UserId, input: &UserInput) -> AppResult<User> {
        self.require(ctx, Permission::ManageUsers)?;
        let before = accounts::get_user(self.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut errors = Vec::new();
        let (role, unit_id) = self
            .check_role_unit(ctx, &input.role, &input.unit_id, &mut errors)
            .ok_or(AppError::Invalid(errors))?;
        let full_name = ansinh_domain::fold::normalise_name(&input.full_name);
        if full_name.is_empty() {
            return Err(AppError::field("full_name", "required"));
        }
        let active = input.active.unwrap_or(before.active);
        if id == ctx.actor.user_id && (!active || role != Role::Admin) {
            // An administrator cannot lock themselves out.
            return Err(AppError::Rule("cannot-demote-self"));
        }
        let txn = self.db.begin().await?;
        let user = accounts::update_user(
            &txn,
            id,
            &UserChange {
                full_name: Some(full_name),
                role: Some(role),
                unit_id: Some(unit_id),
                active: Some(active),
                ..Default::default()
            },
            ctx.now,
        )
        .await?;
        if !active {
            accounts::delete_user_sessions(&txn, id).await?;
        }
        let mut entry = self.entry(ctx, SYSTEM_CHAIN.into(), "user.update", "user", id);
        entry.before = Some(serde_json::json!({
            "full_name": before.full_name, "role": before.role.as_str(),
            "unit_id": before.unit_id.0, "active": before.active,
        }));
        entry.after = Some(serde_json::json!({
            "full_name": user.full_name, "role": user.role.as_str(),
            "unit_id": user.unit_id.0, "active": user.active,
        }));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(user)
    }

    /// Sets a new random password (shown once) and closes the user's sessions.
    pub async fn reset_password(&self, ctx: &Ctx, id: UserId) -> AppResult<String> {
        self.require(ctx, Permission::ManageUsers)?;
        accounts::get_user(self.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        let password = random_password();
        let hash = hash_password(&password, self.config.password_cost)?;
        let txn = self.db.begin().await?;
        accounts::update_user(
            &txn,
            id,
            &UserChange {
                password_hash: Some(hash),
                must_change_password: Some(true),
                ..Default::default()
            },
            ctx.now,
        )
        .await?;
        accounts::delete_user_sessions(&txn, id).await?;
        audit::append(
            &txn,
            self.entry(ctx, SYSTEM_CHAIN.into(), "user.password-reset", "user", id),
        )
        .await?;
        txn.commit().await?;
        Ok(password)
    }
}
