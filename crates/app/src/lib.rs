//! Use cases of ansinh. Each one: check the permission → open a transaction → apply the
//! domain rules → store → audit → commit. Scope comes from the caller's unit; the clock
//! comes from the caller (`Ctx::now`).

pub mod auth;
pub mod context;
pub mod decisions;
pub mod demo;
pub mod dossiers;
pub mod error;
pub mod export;
pub mod jobs;
pub mod payroll;
pub mod payroll_cycle;
pub mod policy;
pub mod public;
pub mod registry;
pub mod screening;
pub mod synthetic;
pub mod tree;
pub mod users;

use std::sync::{Arc, RwLock};

use ansinh_domain::units::UnitGraph;
use ansinh_store::audit::{self, AuditEntry, AuditQuery, AuditRow, VerifyReport};
use ansinh_store::db::Db;
use ansinh_store::scope::Scope;
use ansinh_store::units;

pub use context::{Actor, Ctx, Lang};
pub use error::{AppError, AppResult};

use ansinh_domain::access::{Permission, Role};

/// Costs of password hashing. Production uses OWASP's argon2id minimum; tests use cheap ones.
#[derive(Debug, Clone, Copy)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl PasswordCost {
    pub const PRODUCTION: PasswordCost = PasswordCost {
        memory_kib: 19 * 1024,
        iterations: 2,
    };
    /// For tests only: fast, and still argon2id.
    pub const TESTING: PasswordCost = PasswordCost {
        memory_kib: 64,
        iterations: 1,
    };
}

#[derive(Debug, Clone)]
pub struct AppConfig {
    pub password_cost: PasswordCost,
    /// How long a session lives without activity.
    pub session_idle_minutes: i64,
    /// Failed logins per user name within `throttle_window_minutes` before refusing.
    pub max_failed_logins: i64,
    pub throttle_window_minutes: i64,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            password_cost: PasswordCost::PRODUCTION,
            session_idle_minutes: 8 * 60,
            max_failed_logins: 5,
            throttle_window_minutes: 15,
        }
    }
}

/// The application: the database, the unit graph (small reference data kept in memory) and
/// the ethnic-group list.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Db,
    pub config: AppConfig,
    graph: Arc<RwLock<Arc<UnitGraph>>>,
    ethnicities: Arc<Vec<(String, String, String)>>,
    catalogue: Arc<RwLock<Arc<ansinh_policy::Catalogue>>>,
}

impl App {
    /// Loads reference data into an empty database (and the built-in policy files when their
    /// text is new) and reads it into memory.
    pub async fn start(
        db: Db,
        config: AppConfig,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<App> {
        let txn = db.begin().await?;
        units::seed_reference_data(&txn).await?;
        txn.commit().await?;
        App::record_builtin_catalogue(&db, now).await?;
        let graph = units::load_graph(db.conn()).await?;
        let ethnicities = units::ethnicities(db.conn()).await?;
        let catalogue = App::load_catalogue(&db).await?;
        Ok(App {
            db,
            config,
            graph: Arc::new(RwLock::new(Arc::new(graph))),
            ethnicities: Arc::new(ethnicities),
            catalogue: Arc::new(RwLock::new(Arc::new(catalogue))),
        })
    }

    /// Re-reads the unit graph (after reference data changed).
    pub async fn reload_units(&self) -> AppResult<()> {
        let graph = units::load_graph(self.db.conn()).await?;
        if let Ok(mut slot) = self.graph.write() {
            *slot = Arc::new(graph);
        }
        Ok(())
    }

    pub fn graph(&self) -> Arc<UnitGraph> {
        match self.graph.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn ethnicities(&self) -> &[(String, String, String)] {
        &self.ethnicities
    }

    /// What the caller may see: everything for administrators, otherwise the unit versions
    /// inside their unit's area at today's tree.
    pub fn scope(&self, ctx: &Ctx) -> Scope {
        match ctx.actor.role {
            Role::Admin => Scope::All,
            _ => Scope::Units(self.graph().versions_within(ctx.actor.unit_id, ctx.today())),
        }
    }

    pub fn require(&self, ctx: &Ctx, permission: Permission) -> AppResult<()> {
        if ctx.actor.role.can(permission) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The province a unit belongs to in today's tree: the distribution key of new records.
    pub fn province_code_of(&self, unit: ansinh_domain::ids::UnitId, ctx: &Ctx) -> String {
        let graph = self.graph();
        let image = graph.at(unit, ctx.today());
        let root = graph.ancestors(image).last().copied().unwrap_or(image);
        graph.get(root).map(|u| u.code.clone()).unwrap_or_default()
    }

    /// Audit chains the caller may read: their province's, plus `system` for administrators.
    fn audit_chains(&self, ctx: &Ctx) -> Option<Vec<String>> {
        match ctx.actor.role {
            Role::Admin => None,
            _ => Some(vec![self.province_code_of(ctx.actor.unit_id, ctx)]),
        }
    }

    pub async fn audit_trail(&self, ctx: &Ctx, mut query: AuditQuery) -> AppResult<Vec<AuditRow>> {
        self.require(ctx, Permission::ReadAudit)?;
        query.chains = self.audit_chains(ctx);
        Ok(audit::list(self.db.conn(), &query).await?)
    }

    pub async fn verify_audit(&self) -> AppResult<VerifyReport> {
        Ok(audit::verify(self.db.conn()).await?)
    }

    /// An audit entry for `ctx`'s actor; the caller fills in the rest.
    pub(crate) fn entry(
        &self,
        ctx: &Ctx,
        chain: String,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
    ) -> AuditEntry {
        AuditEntry {
            chain,
            at: ctx.now,
            actor_id: Some(ctx.actor.user_id.0),
            actor: ctx.actor.username.clone(),
            source: ctx.actor.source.clone(),
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.to_string(),
            before: None,
            after: None,
        }
    }
}
