//! Registry use cases: people and households.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use ansinh_domain::access::Permission;
use ansinh_domain::cccd::mask_identifier;
use ansinh_domain::ids::{HouseholdId, PersonId, UnitId};
use ansinh_domain::person::PovertyStatus;
use ansinh_domain::registry::{
    FieldError, Person, PersonDraft, PersonInput, RegistryContext, validate_person,
};
use ansinh_domain::unit::UnitLevel;
use ansinh_domain::units::UnitGraph;
use ansinh_store::audit::{self, AuditQuery, AuditRow};
use ansinh_store::registry::{
    self as repo, Household, NewHousehold, Page, PersonQuery, PersonSummary,
};

use crate::App;
use crate::context::Ctx;
use crate::error::{AppError, AppResult};

/// The world as validation sees it.
struct Context<'a> {
    today: NaiveDate,
    graph: &'a UnitGraph,
    ethnicities: &'a [(String, String, String)],
}

impl RegistryContext for Context<'_> {
    fn today(&self) -> NaiveDate {
        self.today
    }
    fn ethnicity_exists(&self, code: &str) -> bool {
        self.ethnicities.iter().any(|(c, _, _)| c == code)
    }
    fn commune_valid_at(&self, unit: UnitId, date: NaiveDate) -> bool {
        self.graph
            .get(unit)
            .is_some_and(|u| u.level == UnitLevel::Commune && u.valid_at(date))
    }
}

/// A new person, with their household: an existing one (by code) or a new one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NewPersonInput {
    #[serde(flatten)]
    pub person: PersonInput,
    /// Empty: a new household is created at the person's commune and hamlet.
    pub household_code: String,
    pub address: String,
    /// Poverty-list status of a new household, for `poverty_year`.
    pub poverty_status: String,
    pub poverty_year: String,
    /// The officer saw the possible duplicates and confirms this is someone else.
    pub confirm_duplicate: bool,
}

/// A person already registered with the same folded name, birth date and commune.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateCandidate {
    pub id: PersonId,
    pub full_name: String,
    pub birth: String,
    pub hamlet: String,
}

/// A person as shown to the caller: sensitive fields only when revealed.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub person: Person,
    pub household: Household,
    pub poverty: Vec<(i32, PovertyStatus)>,
    /// `*********123` unless revealed.
    pub cccd_shown: Option<String>,
    pub bank_account_shown: Option<String>,
    /// `None` unless revealed by a role that may see it.
    pub hiv_shown: Option<bool>,
    pub revealed: bool,
    pub may_reveal: bool,
    pub may_edit: bool,
}

impl App {
    fn registry_context<'a>(&'a self, ctx: &Ctx, graph: &'a UnitGraph) -> Context<'a> {
        Context {
            today: ctx.today(),
            graph,
            ethnicities: self.ethnicities(),
        }
    }

    /// Validates and checks that the commune is inside the caller's area.
    fn parse_person(&self, ctx: &Ctx, input: &PersonInput) -> AppResult<PersonDraft> {
        let graph = self.graph();
        let draft = validate_person(input, &self.registry_context(ctx, &graph))
            .map_err(AppError::Invalid)?;
        if !self.scope(ctx).includes(draft.unit_id) {
            return Err(AppError::Invalid(vec![FieldError {
                field: "unit_id",
                code: "unit-outside-scope",
                detail: None,
            }]));
        }
        Ok(draft)
    }

    async fn duplicates_of(
        &self,
        draft: &PersonDraft,
        except: Option<PersonId>,
    ) -> AppResult<Vec<DuplicateCandidate>> {
        // Same commune at today's tree: any version that maps onto the same commune.
        let graph = self.graph();
        let units: Vec<UnitId> = graph
            .all()
            .filter(|u| u.level == UnitLevel::Commune)
            .map(|u| u.id)
            .filter(|u| {
                let today_image = |x| graph.at(x, NaiveDate::MAX);
                today_image(*u) == today_image(draft.unit_id)
            })
            .collect();
        let found = repo::possible_duplicates(
            self.db.conn(),
            &draft.name_folded(),
            draft.birth.assumed_date(),
            &units,
            except,
        )
        .await?;
        Ok(found
            .into_iter()
            .map(|p| DuplicateCandidate {
                id: p.id,
                full_name: p.full_name,
                birth: p.birth.display_vi(),
                hamlet: p.hamlet,
            })
            .collect())
    }

    /// Registers a person (and a new household when none is named).
    pub async fn create_person(&self, ctx: &Ctx, input: &NewPersonInput) -> AppResult<Person> {
        self.require(ctx, Permission::RegistryWrite)?;
        let draft = self.parse_person(ctx, &input.person)?;
        let poverty = parse_poverty(input, ctx)?;
        if let Some(cccd) = &draft.cccd
            && repo::cccd_holder(self.db.conn(), cccd.as_str())
                .await?
                .is_some()
        {
            return Err(AppError::Conflict {
                field: "cccd",
                code: "cccd-taken",
            });
        }
        if !input.confirm_duplicate {
            let duplicates = self.duplicates_of(&draft, None).await?;
            if !duplicates.is_empty() {
                return Err(AppError::PossibleDuplicate(duplicates));
            }
        }
        let scope = self.scope(ctx);
        let province = self.province_code_of(draft.unit_id, ctx);
        let graph = self.graph();
        let txn = self.db.begin().await?;
        let household = match input.household_code.trim() {
            "" => {
                let unit_code = graph
                    .get(draft.unit_id)
                    .map(|u| u.code.clone())
                    .unwrap_or_default();
                let h = repo::create_household(
                    &txn,
                    &NewHousehold {
                        province_code: province.clone(),
                        unit_code,
                        unit_id: draft.unit_id,
                        hamlet: draft.hamlet.clone(),
                        address: input.address.trim().chars().take(200).collect(),
                    },
                    ctx.now,
                )
                .await?;
                let mut entry =
                    self.entry(ctx, province.clone(), "household.create", "household", h.id);
                entry.after = Some(serde_json::to_value(&h).unwrap_or_default());
                audit::append(&txn, entry).await?;
                h
            }
            code => repo::find_household_by_code(&txn, code, &scope)
                .await?
                .ok_or_else(|| AppError::field("household_code", "unknown-household"))?,
        };
        if let Some((year, status)) = poverty {
            repo::set_poverty(&txn, household.id, year, status).await?;
        }
        let person = repo::insert_person(&txn, household.id, &province, &draft, ctx.now).await?;
        let mut entry = self.entry(ctx, province, "person.create", "person", person.id);
        entry.after = Some(audit_snapshot(&person));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(person)
    }

    /// Changes a person, if nobody else changed them since `version`.
    pub async fn update_person(
        &self,
        ctx: &Ctx,
        id: PersonId,
        version: i32,
        input: &PersonInput,
        confirm_duplicate: bool,
    ) -> AppResult<Person> {
        self.require(ctx, Permission::RegistryWrite)?;
        let scope = self.scope(ctx);
        let before = repo::get_person(self.db.conn(), id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let draft = self.parse_person(ctx, input)?;
        if let Some(cccd) = &draft.cccd
            && repo::cccd_holder(self.db.conn(), cccd.as_str())
                .await?
                .is_some_and(|holder| holder != id)
        {
            return Err(AppError::Conflict {
                field: "cccd",
                code: "cccd-taken",
            });
        }
        let identity_changed = draft.name_folded() != before.data.name_folded()
            || draft.birth != before.data.birth
            || draft.unit_id != before.data.unit_id;
        if identity_changed && !confirm_duplicate {
            let duplicates = self.duplicates_of(&draft, Some(id)).await?;
            if !duplicates.is_empty() {
                return Err(AppError::PossibleDuplicate(duplicates));
            }
        }
        let province = repo::person_province(self.db.conn(), id)
            .await?
            .unwrap_or_default();
        let txn = self.db.begin().await?;
        let after = repo::update_person(
            &txn,
            id,
            version,
            before.household_id,
            &province,
            &draft,
            ctx.now,
        )
        .await?;
        let mut entry = self.entry(ctx, province, "person.update", "person", id);
        entry.before = Some(audit_snapshot(&before));
        entry.after = Some(audit_snapshot(&after));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// A person with sensitive fields masked. With `reveal`, a role that may see them gets
    /// them in full, and the reading is audited.
    pub async fn person(&self, ctx: &Ctx, id: PersonId, reveal: bool) -> AppResult<PersonView> {
        self.require(ctx, Permission::RegistryRead)?;
        let scope = self.scope(ctx);
        let person = repo::get_person(self.db.conn(), id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let household = repo::get_household(
            self.db.conn(),
            person.household_id,
            &ansinh_store::scope::Scope::All,
        )
        .await?
        .ok_or(AppError::NotFound)?;
        let poverty = repo::poverty_history(self.db.conn(), household.id).await?;
        let may_reveal = ctx.actor.role.can(Permission::RevealSensitive);
        let revealed = reveal && may_reveal;
        if reveal && !may_reveal {
            return Err(AppError::Forbidden);
        }
        if revealed {
            let txn = self.db.begin().await?;
            let mut entry = self.entry(
                ctx,
                household.province_code.clone(),
                "person.reveal",
                "person",
                id,
            );
            entry.after =
                Some(serde_json::json!({"fields": ["cccd", "bank_account", "hiv_positive"]}));
            audit::append(&txn, entry).await?;
            txn.commit().await?;
        }
        let cccd_shown = person
            .data
            .cccd
            .as_ref()
            .map(|c| if revealed { c.to_string() } else { c.masked() });
        let bank_account_shown = person.data.bank_account.as_ref().map(|a| {
            if revealed {
                a.clone()
            } else {
                mask_identifier(a)
            }
        });
        Ok(PersonView {
            hiv_shown: revealed.then_some(person.data.hiv_positive),
            cccd_shown,
            bank_account_shown,
            revealed,
            may_reveal,
            may_edit: ctx.actor.role.can(Permission::RegistryWrite),
            person,
            household,
            poverty,
        })
    }

    pub async fn search_people(
        &self,
        ctx: &Ctx,
        query: &PersonQuery,
    ) -> AppResult<Page<PersonSummary>> {
        self.require(ctx, Permission::RegistryRead)?;
        let mut page = repo::search_persons(self.db.conn(), &self.scope(ctx), query).await?;
        for p in &mut page.items {
            p.cccd = p.cccd.as_deref().map(mask_identifier);
        }
        Ok(page)
    }

    pub async fn household_members(
        &self,
        ctx: &Ctx,
        household: HouseholdId,
    ) -> AppResult<Vec<PersonSummary>> {
        let page = self
            .search_people(
                ctx,
                &PersonQuery {
                    household: Some(household),
                    limit: 100,
                    ..Default::default()
                },
            )
            .await?;
        Ok(page.items)
    }

    /// The household's status on the poverty list of a year.
    pub async fn set_poverty(
        &self,
        ctx: &Ctx,
        household: HouseholdId,
        year: i32,
        status: PovertyStatus,
    ) -> AppResult<()> {
        self.require(ctx, Permission::RegistryWrite)?;
        let scope = self.scope(ctx);
        let h = repo::get_household(self.db.conn(), household, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        if !(2000..=chrono::Datelike::year(&ctx.today()) + 1).contains(&year) {
            return Err(AppError::field("poverty_year", "year-out-of-range"));
        }
        let txn = self.db.begin().await?;
        repo::set_poverty(&txn, household, year, status).await?;
        let mut entry = self.entry(
            ctx,
            h.province_code.clone(),
            "household.poverty",
            "household",
            household,
        );
        entry.after = Some(serde_json::json!({"year": year, "status": status.as_str()}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The changes made to a person (from the audit trail).
    pub async fn person_history(&self, ctx: &Ctx, id: PersonId) -> AppResult<Vec<AuditRow>> {
        let view = self.person(ctx, id, false).await?;
        let rows = audit::list(
            self.db.conn(),
            &AuditQuery {
                chains: Some(vec![view.household.province_code.clone()]),
                entity: Some("person".into()),
                entity_id: Some(id.to_string()),
                limit: 200,
                ..Default::default()
            },
        )
        .await?;
        // What was read is not history of the record; and the snapshots hold sensitive
        // fields, so they are shown only to roles that may reveal them.
        let may_reveal = ctx.actor.role.can(Permission::RevealSensitive);
        Ok(rows
            .into_iter()
            .filter(|r| r.action != "person.reveal")
            .map(|mut r| {
                if !may_reveal {
                    r.before = r.before.as_deref().map(redact_snapshot);
                    r.after = r.after.as_deref().map(redact_snapshot);
                }
                r
            })
            .collect())
    }

    /// Communes the caller may register people in today.
    pub fn communes_for(&self, ctx: &Ctx) -> Vec<(UnitId, String)> {
        let graph = self.graph();
        let today = ctx.today();
        let area = match ctx.actor.role {
            ansinh_domain::access::Role::Admin => graph
                .roots_at(today)
                .into_iter()
                .flat_map(|r| graph.subtree_at(r, today))
                .collect(),
            _ => graph.area_at(ctx.actor.unit_id, today),
        };
        let mut out: Vec<(UnitId, String)> = area
            .into_iter()
            .filter_map(|u| graph.get(u))
            .filter(|u| u.level == UnitLevel::Commune)
            .map(|u| (u.id, u.name.clone()))
            .collect();
        out.sort_by_key(|(_, name)| ansinh_domain::fold::collation_key(name));
        out
    }
}

fn parse_poverty(input: &NewPersonInput, ctx: &Ctx) -> AppResult<Option<(i32, PovertyStatus)>> {
    let status = input.poverty_status.trim();
    if status.is_empty() {
        return Ok(None);
    }
    let status: PovertyStatus = status
        .parse()
        .map_err(|_| AppError::field("poverty_status", "invalid-choice"))?;
    let year = match input.poverty_year.trim() {
        "" => chrono::Datelike::year(&ctx.today()),
        y => y
            .parse()
            .map_err(|_| AppError::field("poverty_year", "year-out-of-range"))?,
    };
    Ok(Some((year, status)))
}

/// What the audit log keeps of a person: the record as stored, for before/after.
fn audit_snapshot(p: &Person) -> serde_json::Value {
    serde_json::to_value(p).unwrap_or_default()
}

/// Replaces sensitive values in an audit snapshot.
fn redact_snapshot(json: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(mut map)) => {
            for key in ["cccd", "bank_account", "hiv_positive", "phone"] {
                if map.get(key).is_some_and(|v| !v.is_null()) {
                    map.insert(key.into(), serde_json::Value::String("***".into()));
                }
            }
            serde_json::Value::Object(map).to_string()
        }
        _ => json.to_string(),
    }
}
