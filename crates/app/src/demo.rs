//! The demonstration province: Trà Vinh's communes (before and after the 2025 reform) with
//! about 45,000 generated people, and one account per role. Deterministic from a seed.

use chrono::{DateTime, Utc};

use ansinh_domain::access::Role;
use ansinh_domain::ids::UnitId;
use ansinh_domain::unit::UnitLevel;
use ansinh_store::audit::AuditEntry;
use ansinh_store::bulk::{BulkHousehold, load_households};
use ansinh_store::registry::{PersonQuery, search_persons};
use ansinh_store::scope::Scope;
use ansinh_synth::{CommuneRef, DemoConfig, DemoScope, demo_province, demo_users};

use crate::App;
use crate::auth::random_password;
use crate::context::{Actor, Ctx, vietnam_time};
use crate::error::{AppError, AppResult};
use crate::users::UserInput;

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoReport {
    pub households: u64,
    pub people: u64,
    /// (user name, role, password) of accounts created now.
    pub users: Vec<(String, Role, String)>,
}

/// Households loaded per transaction.
const CHUNK: usize = 2_000;

impl App {
    /// Loads the demo province into a database without people, and creates the demo
    /// accounts that do not exist yet. Safe to run again: nothing is loaded twice.
    pub async fn load_demo(&self, seed: u64, now: DateTime<Utc>) -> AppResult<DemoReport> {
        let today = vietnam_time(now).date();
        let graph = self.graph();
        let province = graph
            .find("86", today)
            .ok_or_else(|| AppError::Internal("province 86 missing from the unit list".into()))?
            .id;
        let ctx = Ctx::new(Actor::system(province), now);
        let mut report = DemoReport::default();

        let existing = search_persons(
            self.db.conn(),
            &Scope::All,
            &PersonQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .await?;
        if existing.items.is_empty() {
            // Trà Vinh's communes of every era: the old lists, and the new communes formed
            // from them (the new province also holds Bến Tre's and old Vĩnh Long's).
            let old_province = graph.all().find(|u| u.code == "84").map(|u| u.id);
            let communes: Vec<CommuneRef> = graph
                .all()
                .filter(|u| u.level == UnitLevel::Commune)
                .filter(|u| {
                    let era_date = u.valid_to.unwrap_or(today).min(today);
                    let in_old = graph.ancestors(u.id).last().copied() == old_province;
                    let from_old = u.valid_to.is_none()
                        && graph.all().any(|o| {
                            o.level == UnitLevel::Commune
                                && graph.ancestors(o.id).last().copied() == old_province
                                && graph.at(o.id, era_date) == u.id
                        });
                    in_old || from_old
                })
                .filter_map(|u| CommuneRef::from_version(u, "86"))
                .collect();
            let config = DemoConfig::new(seed, today);
            let households = demo_province(&config, &communes)
                .map_err(|e| AppError::Internal(format!("demo data: {e}")))?;
            let batch: Vec<BulkHousehold> = households
                .into_iter()
                .map(|h| BulkHousehold {
                    province_code: "86".into(),
                    unit_id: h.unit_id,
                    unit_code: h.commune_code,
                    hamlet: h.hamlet,
                    address: h.address,
                    poverty: h.poverty,
                    members: h.members,
                })
                .collect();
            for chunk in batch.chunks(CHUNK) {
                let entry = AuditEntry {
                    chain: "86".into(),
                    at: now,
                    actor_id: None,
                    actor: "system".into(),
                    source: "cli".into(),
                    action: "demo.load".into(),
                    entity: "household".into(),
                    entity_id: String::new(),
                    before: None,
                    after: None,
                };
                let outcome = load_households(&self.db, chunk, now, entry).await?;
                report.households += outcome.households;
                report.people += outcome.people;
            }
        }

        let users = ansinh_store::accounts::list_users(self.db.conn()).await?;
        for u in demo_users() {
            if users.iter().any(|x| x.username == u.username) {
                continue;
            }
            let unit = match u.scope {
                DemoScope::System | DemoScope::Province => Some(province),
                DemoScope::District => graph
                    .all()
                    .find(|x| x.code == "842" && x.level == UnitLevel::District)
                    .map(|x| x.id),
                DemoScope::Commune | DemoScope::Facility => {
                    graph.find("29242", today).map(|x| x.id)
                }
            };
            let Some(unit) = unit else { continue };
            // Demo accounts get a printed password that need not be changed at first login.
            let password = random_password();
            self.create_user(
                &ctx,
                &UserInput {
                    username: u.username.into(),
                    full_name: u.full_name.into(),
                    role: u.role.as_str().into(),
                    unit_id: UnitId::to_string(&unit),
                    password: password.clone(),
                    active: Some(true),
                },
            )
            .await?;
            report
                .users
                .push((u.username.to_string(), u.role, password));
        }
        Ok(report)
    }
}
