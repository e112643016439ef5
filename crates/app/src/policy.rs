//! The policy catalogue in use: the built-in decrees plus versions added as data, each
//! drafted by one user and activated by another (maker-checker). Evaluation for the API,
//! the command line and the public screening page.

use serde::{Deserialize, Serialize};

use ansinh_domain::Month;
use ansinh_domain::access::Permission;
use ansinh_domain::registry::FieldError;
use ansinh_policy::{Catalogue, CatalogueBuilder, EvaluateOptions, Problem, Report};
use ansinh_store::audit;
use ansinh_store::policy::{self as repo, PolicyStatus, PolicyVersion};

use crate::App;
use crate::context::{Ctx, Lang};
use crate::error::{AppError, AppResult};

/// Builds the catalogue from the built-in files (their stored texts when given, in the
/// program's order) and `added` versions, in order.
pub fn build_catalogue(added: &[PolicyVersion]) -> Result<Catalogue, Vec<Problem>> {
    build_layers(&[], added)
}

fn build_layers(
    builtin: &[PolicyVersion],
    added: &[PolicyVersion],
) -> Result<Catalogue, Vec<Problem>> {
    let mut builder = CatalogueBuilder::new();
    for (name, shipped) in ansinh_policy::catalogue::BUILTIN {
        let text = builtin
            .iter()
            .find(|v| v.name == *name)
            .map(|v| v.toml_text.as_str())
            .unwrap_or(shipped);
        builder = builder.add_toml(name, text);
    }
    for v in added {
        builder = builder.add_toml(&layer_name(v), &v.toml_text);
    }
    builder.build()
}

fn layer_name(v: &PolicyVersion) -> String {
    format!("added/{}-{}.toml", v.id, v.name)
}

fn problems_as_fields(problems: Vec<Problem>) -> AppError {
    AppError::Invalid(
        problems
            .into_iter()
            .map(|p| FieldError {
                field: "toml_text",
                code: "policy-problem",
                detail: Some(format!("{} {}: {}", p.code, p.path, p.message)),
            })
            .collect(),
    )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyDraftInput {
    pub name: String,
    pub description: String,
    pub toml_text: String,
}

pub fn policy_lang(lang: Lang) -> ansinh_policy::Lang {
    match lang {
        Lang::Vi => ansinh_policy::Lang::Vi,
        Lang::En => ansinh_policy::Lang::En,
    }
}

/// A policy version as listed, with who drafted and decided it.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyVersionView {
    pub version: PolicyVersion,
    /// Empty for built-in files.
    pub drafted_by_name: String,
    pub decided_by_name: Option<String>,
}

impl App {
    /// The catalogue in force (built-in plus activated versions).
    pub fn catalogue(&self) -> std::sync::Arc<Catalogue> {
        match self.catalogue.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records the built-in catalogue files in the database when their text is new (first
    /// start, or a release with changed files): the catalogue in force is versioned there.
    pub(crate) async fn record_builtin_catalogue(
        db: &ansinh_store::Db,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<()> {
        let stored = repo::builtin(db.conn()).await?;
        let txn = db.begin().await?;
        let mut changed = false;
        for (name, text) in ansinh_policy::catalogue::BUILTIN {
            if stored
                .iter()
                .any(|v| v.name == *name && v.toml_text == *text)
            {
                continue;
            }
            let note = format!("ansinh {}", env!("CARGO_PKG_VERSION"));
            let id = repo::record_builtin(&txn, name, text, &note, now).await?;
            audit::append(
                &txn,
                ansinh_store::audit::AuditEntry {
                    chain: ansinh_store::audit::SYSTEM_CHAIN.into(),
                    at: now,
                    actor_id: None,
                    actor: "system".into(),
                    source: "startup".into(),
                    action: "policy.builtin".into(),
                    entity: "policy_version".into(),
                    entity_id: id.to_string(),
                    before: None,
                    after: Some(serde_json::json!({"name": name, "program": note})),
                },
            )
            .await?;
            changed = true;
        }
        if changed {
            txn.commit().await?;
        }
        Ok(())
    }

    pub(crate) async fn load_catalogue(db: &ansinh_store::Db) -> AppResult<Catalogue> {
        let builtin = repo::builtin(db.conn()).await?;
        let active = repo::active(db.conn()).await?;
        build_layers(&builtin, &active).map_err(|problems| {
            AppError::Internal(format!(
                "the stored policy catalogue does not build: {problems:?}"
            ))
        })
    }

    pub async fn reload_catalogue(&self) -> AppResult<()> {
        let catalogue = App::load_catalogue(&self.db).await?;
        if let Ok(mut slot) = self.catalogue.write() {
            *slot = std::sync::Arc::new(catalogue);
        }
        Ok(())
    }

    /// Evaluates a situation document (docs/entitlement-json.md) with the catalogue in force.
    pub fn evaluate_document(
        &self,
        input: &str,
        month: Option<Month>,
        lang: Option<Lang>,
    ) -> Result<Report, Vec<Problem>> {
        ansinh_policy::evaluate_json(
            &self.catalogue(),
            input,
            EvaluateOptions {
                month,
                lang: lang.map(policy_lang),
            },
        )
    }

    pub async fn policy_versions(&self, ctx: &Ctx) -> AppResult<Vec<PolicyVersionView>> {
        self.require(ctx, Permission::RegistryRead)
            .or_else(|_| self.require(ctx, Permission::DraftPolicy))?;
        let users = ansinh_store::accounts::list_users(self.db.conn()).await?;
        let name = |id: ansinh_domain::ids::UserId| {
            users
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.full_name.clone())
                .unwrap_or_default()
        };
        Ok(repo::list(self.db.conn())
            .await?
            .into_iter()
            .map(|v| PolicyVersionView {
                drafted_by_name: v.drafted_by.map(name).unwrap_or_default(),
                decided_by_name: v.decided_by.map(name),
                version: v,
            })
            .collect())
    }

    /// Records a new version as a draft, after checking that the catalogue still builds with
    /// it on top (every problem is listed).
    pub async fn draft_policy(&self, ctx: &Ctx, input: &PolicyDraftInput) -> AppResult<i64> {
        self.require(ctx, Permission::DraftPolicy)?;
        let name = input.name.trim();
        let mut errors = Vec::new();
        if name.is_empty()
            || name.len() > 60
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            errors.push(FieldError {
                field: "name",
                code: "code-format",
                detail: None,
            });
        }
        if input.toml_text.trim().is_empty() {
            errors.push(FieldError {
                field: "toml_text",
                code: "required",
                detail: None,
            });
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let mut active = repo::active(self.db.conn()).await?;
        active.push(PolicyVersion {
            id: 0,
            name: name.to_string(),
            description: String::new(),
            toml_text: input.toml_text.clone(),
            status: PolicyStatus::Draft,
            drafted_by: Some(ctx.actor.user_id),
            drafted_at: ctx.now,
            decided_by: None,
            decided_at: None,
            note: String::new(),
        });
        build_catalogue(&active).map_err(problems_as_fields)?;
        let txn = self.db.begin().await?;
        let description: String = input.description.trim().chars().take(500).collect();
        let id = repo::insert_draft(
            &txn,
            name,
            &description,
            &input.toml_text,
            ctx.actor.user_id,
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            ansinh_store::audit::SYSTEM_CHAIN.into(),
            "policy.draft",
            "policy_version",
            id,
        );
        entry.after = Some(
            serde_json::json!({"name": name, "description": description, "toml_text": input.toml_text}),
        );
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Activates a draft. Whoever drafted it cannot activate it.
    pub async fn activate_policy(&self, ctx: &Ctx, id: i64) -> AppResult<()> {
        self.require(ctx, Permission::ActivatePolicy)?;
        let version = repo::get(self.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if version.drafted_by == Some(ctx.actor.user_id) {
            return Err(AppError::Rule("maker-cannot-check"));
        }
        if version.status != PolicyStatus::Draft {
            return Err(AppError::Stale);
        }
        let mut active = repo::active(self.db.conn()).await?;
        active.push(version.clone());
        build_catalogue(&active).map_err(problems_as_fields)?;
        let txn = self.db.begin().await?;
        repo::decide(
            &txn,
            id,
            PolicyStatus::Active,
            ctx.actor.user_id,
            ctx.now,
            "",
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            ansinh_store::audit::SYSTEM_CHAIN.into(),
            "policy.activate",
            "policy_version",
            id,
        );
        entry.after = Some(serde_json::json!({"name": version.name}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        self.reload_catalogue().await
    }

    /// Rejects a draft, with a reason. Whoever drafted it may withdraw it this way.
    pub async fn reject_policy(&self, ctx: &Ctx, id: i64, note: &str) -> AppResult<()> {
        let version = repo::get(self.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if version.drafted_by != Some(ctx.actor.user_id) {
            self.require(ctx, Permission::ActivatePolicy)?;
        }
        let note: String = note.trim().chars().take(500).collect();
        if note.is_empty() {
            return Err(AppError::field("note", "required"));
        }
        let txn = self.db.begin().await?;
        repo::decide(
            &txn,
            id,
            PolicyStatus::Rejected,
            ctx.actor.user_id,
            ctx.now,
            &note,
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            ansinh_store::audit::SYSTEM_CHAIN.into(),
            "policy.reject",
            "policy_version",
            id,
        );
        entry.after = Some(serde_json::json!({"note": note}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(())
    }
}
