//! Administrative units: seeding from the embedded lists and loading the in-memory graph.

use chrono::NaiveDate;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryOrder, Set};
use std::collections::HashMap;

use ansinh_domain::ids::UnitId;
use ansinh_domain::unit::UnitLevel;
use ansinh_domain::units::{MergeKind, Succession, UnitGraph, UnitVersion};

use crate::db::stmt;
use crate::entity::{unit, unit_succession};
use crate::error::StoreError;
use crate::refdata::{self, UnitPlan};

/// Loads the unit lists and the ethnic groups into an empty database. Returns the number of
/// unit versions created (0 when already present).
pub async fn seed_reference_data(conn: &impl ConnectionTrait) -> Result<usize, StoreError> {
    let backend = conn.get_database_backend();
    if ethnicity_count(conn).await? == 0 {
        for e in refdata::ethnicities()? {
            conn.execute_raw(stmt(
                backend,
                "INSERT INTO ethnicities (code, name, name_en) VALUES ($1, $2, $3)",
                [e.code.into(), e.name.into(), e.name_en.into()],
            ))
            .await?;
        }
    }
    if unit::Entity::find().count(conn).await? > 0 {
        return Ok(0);
    }
    let plan = refdata::unit_plan()?;
    insert_plan(conn, &plan).await
}

async fn ethnicity_count(conn: &impl ConnectionTrait) -> Result<i64, StoreError> {
    let row = conn
        .query_one_raw(stmt(
            conn.get_database_backend(),
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ethnicities",
            [],
        ))
        .await?;
    Ok(match row {
        Some(r) => r.try_get("", "n")?,
        None => 0,
    })
}

async fn insert_plan(conn: &impl ConnectionTrait, plan: &UnitPlan) -> Result<usize, StoreError> {
    let mut ids: HashMap<(String, NaiveDate), i64> = HashMap::new();
    for u in &plan.units {
        let parent_id = match &u.parent {
            Some(key) => Some(*ids.get(key).ok_or_else(|| {
                StoreError::RefData(format!("parent {} of {} not inserted", key.0, u.code))
            })?),
            None => None,
        };
        let saved = unit::ActiveModel {
            code: Set(u.code.clone()),
            name: Set(u.name.clone()),
            kind: Set(u.kind.clone()),
            level: Set(u.level.clone()),
            parent_id: Set(parent_id),
            list_id: Set(u.list_id.clone()),
            valid_from: Set(u.valid_from),
            valid_to: Set(u.valid_to),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        ids.insert(u.key(), saved.id);
    }
    for s in &plan.successions {
        let (Some(&from), Some(&to)) = (ids.get(&s.from), ids.get(&s.to)) else {
            return Err(StoreError::RefData(format!(
                "succession {} → {} refers to a unit not inserted",
                s.from.0, s.to.0
            )));
        };
        unit_succession::ActiveModel {
            from_id: Set(from),
            to_id: Set(to),
            kind: Set(s.kind.clone()),
            effective: Set(s.effective),
        }
        .insert(conn)
        .await?;
    }
    Ok(plan.units.len())
}

/// Adds the 34 provinces and 3,321 communes valid from 1 July 2025 that are not already
/// present (for national synthetic data sets). Returns how many versions were added.
pub async fn seed_national_units(conn: &impl ConnectionTrait) -> Result<usize, StoreError> {
    let from = NaiveDate::from_ymd_opt(2025, 7, 1)
        .ok_or_else(|| StoreError::RefData("bad date".into()))?;
    let existing: Vec<unit::Model> = unit::Entity::find().all(conn).await?;
    let mut by_code: HashMap<String, i64> = existing
        .iter()
        .filter(|u| u.valid_to.is_none())
        .map(|u| (u.code.clone(), u.id))
        .collect();
    let mut added = 0;
    for (code, name, kind) in refdata::national_provinces()? {
        if by_code.contains_key(&code) {
            continue;
        }
        let saved = unit::ActiveModel {
            code: Set(code.clone()),
            name: Set(name),
            kind: Set(kind),
            level: Set(UnitLevel::Province.as_str().into()),
            parent_id: Set(None),
            list_id: Set("VN-2025".into()),
            valid_from: Set(from),
            valid_to: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        by_code.insert(code, saved.id);
        added += 1;
    }
    for (code, name, kind, province) in refdata::national_communes()? {
        if by_code.contains_key(&code) {
            continue;
        }
        let parent = *by_code.get(&province).ok_or_else(|| {
            StoreError::RefData(format!("commune {code}: unknown province {province}"))
        })?;
        let saved = unit::ActiveModel {
            code: Set(code.clone()),
            name: Set(name),
            kind: Set(kind),
            level: Set(UnitLevel::Commune.as_str().into()),
            parent_id: Set(Some(parent)),
            list_id: Set("VN-2025".into()),
            valid_from: Set(from),
            valid_to: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        by_code.insert(code, saved.id);
        added += 1;
    }
    Ok(added)
}

/// Reads every unit version and succession into the in-memory graph.
pub async fn load_graph(conn: &impl ConnectionTrait) -> Result<UnitGraph, StoreError> {
    let units = unit::Entity::find()
        .order_by_asc(unit::Column::Id)
        .all(conn)
        .await?;
    let successions = unit_succession::Entity::find().all(conn).await?;
    let versions = units
        .into_iter()
        .map(|u| {
            let level = UnitLevel::parse(&u.level).ok_or_else(|| {
                StoreError::RefData(format!("unit {}: bad level {}", u.id, u.level))
            })?;
            Ok(UnitVersion {
                id: UnitId(u.id),
                code: u.code,
                name: u.name,
                kind: u.kind,
                level,
                parent: u.parent_id.map(UnitId),
                valid_from: u.valid_from,
                valid_to: u.valid_to,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let successions = successions
        .into_iter()
        .map(|s| {
            let kind = MergeKind::parse(&s.kind)
                .ok_or_else(|| StoreError::RefData(format!("bad merge kind {}", s.kind)))?;
            Ok(Succession {
                from: UnitId(s.from_id),
                to: UnitId(s.to_id),
                kind,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    UnitGraph::new(versions, successions).map_err(|e| StoreError::RefData(e.to_string()))
}

/// The ethnic groups, by code.
pub async fn ethnicities(
    conn: &impl ConnectionTrait,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let rows = conn
        .query_all_raw(stmt(
            conn.get_database_backend(),
            "SELECT code, name, name_en FROM ethnicities ORDER BY code",
            [],
        ))
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok((
                r.try_get("", "code")?,
                r.try_get("", "name")?,
                r.try_get("", "name_en")?,
            ))
        })
        .collect()
}
