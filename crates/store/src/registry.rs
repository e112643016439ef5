//! The registry of households and people.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use ansinh_domain::birth::BirthDate;
use ansinh_domain::cccd::Cccd;
use ansinh_domain::fold::fold;
use ansinh_domain::ids::{HouseholdId, PersonId, UnitId};
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus, Relation, Sex};
use ansinh_domain::registry::{Person, PersonDraft};

use crate::db::stmt;
use crate::entity::{household, household_poverty, person};
use crate::error::StoreError;
use crate::scope::Scope;

/// A household (hộ gia đình).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Household {
    pub id: HouseholdId,
    pub code: String,
    pub province_code: String,
    pub unit_id: UnitId,
    pub hamlet: String,
    pub address: String,
    pub version: i32,
}

impl From<household::Model> for Household {
    fn from(m: household::Model) -> Household {
        Household {
            id: HouseholdId(m.id),
            code: m.code,
            province_code: m.province_code,
            unit_id: UnitId(m.unit_id),
            hamlet: m.hamlet,
            address: m.address,
            version: m.version,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewHousehold {
    pub province_code: String,
    /// Code of the commune, used as the prefix of the household code.
    pub unit_code: String,
    pub unit_id: UnitId,
    pub hamlet: String,
    pub address: String,
}

pub async fn create_household(
    conn: &impl ConnectionTrait,
    new: &NewHousehold,
    now: DateTime<Utc>,
) -> Result<Household, StoreError> {
    // The code embeds the id, which is known only after the insert.
    let provisional = format!("new-{}", now.timestamp_nanos_opt().unwrap_or_default());
    let saved = household::ActiveModel {
        province_code: Set(new.province_code.clone()),
        code: Set(provisional),
        unit_id: Set(new.unit_id.0),
        hamlet: Set(new.hamlet.clone()),
        address: Set(new.address.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let mut active: household::ActiveModel = saved.into();
    let id = active.id.clone().unwrap();
    active.code = Set(household_code(&new.unit_code, id));
    Ok(active.update(conn).await?.into())
}

/// `29242-0000123`: commune code and a number, as printed on lists.
pub fn household_code(unit_code: &str, id: i64) -> String {
    format!("{unit_code}-{id:07}")
}

pub async fn get_household(
    conn: &impl ConnectionTrait,
    id: HouseholdId,
    scope: &Scope,
) -> Result<Option<Household>, StoreError> {
    Ok(household::Entity::find_by_id(id.0)
        .filter(scope.condition((household::Entity, household::Column::UnitId)))
        .one(conn)
        .await?
        .map(Household::from))
}

pub async fn find_household_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
    scope: &Scope,
) -> Result<Option<Household>, StoreError> {
    Ok(household::Entity::find()
        .filter(household::Column::Code.eq(code))
        .filter(scope.condition((household::Entity, household::Column::UnitId)))
        .one(conn)
        .await?
        .map(Household::from))
}

/// Records the household's status on the poverty list of `year` (replacing any earlier entry).
pub async fn set_poverty(
    conn: &impl ConnectionTrait,
    household: HouseholdId,
    year: i32,
    status: PovertyStatus,
) -> Result<(), StoreError> {
    let backend = conn.get_database_backend();
    conn.execute_raw(stmt(
        backend,
        "INSERT INTO household_poverty (household_id, year, status) VALUES ($1, $2, $3) \
         ON CONFLICT (household_id, year) DO UPDATE SET status = excluded.status",
        [household.0.into(), year.into(), status.as_str().into()],
    ))
    .await?;
    Ok(())
}

/// Poverty status by year, oldest first.
pub async fn poverty_history(
    conn: &impl ConnectionTrait,
    household: HouseholdId,
) -> Result<Vec<(i32, PovertyStatus)>, StoreError> {
    let rows = household_poverty::Entity::find()
        .filter(household_poverty::Column::HouseholdId.eq(household.0))
        .order_by_asc(household_poverty::Column::Year)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            let status = r
                .status
                .parse()
                .map_err(|_| StoreError::RefData(format!("bad poverty status {}", r.status)))?;
            Ok((r.year, status))
        })
        .collect()
}

/// A line of a person list: no sensitive fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonSummary {
    pub id: PersonId,
    pub household_id: HouseholdId,
    pub full_name: String,
    pub sex: Sex,
    pub birth: BirthDate,
    /// Full number: callers mask it unless the role may see it.
    pub cccd: Option<String>,
    pub ethnicity_code: String,
    pub unit_id: UnitId,
    pub hamlet: String,
    pub disability: DisabilityLevel,
    pub death_date: Option<NaiveDate>,
}

fn birth_from(date: NaiveDate, precision: &str) -> BirthDate {
    use chrono::Datelike;
    match precision {
        "year" => BirthDate::Year(date.year()),
        "month" => BirthDate::YearMonth {
            year: date.year(),
            month: date.month(),
        },
        _ => BirthDate::Full(date),
    }
}

fn precision_of(birth: BirthDate) -> &'static str {
    match birth {
        BirthDate::Full(_) => "day",
        BirthDate::YearMonth { .. } => "month",
        BirthDate::Year(_) => "year",
    }
}

fn parse_col<T: std::str::FromStr>(value: &str, what: &str) -> Result<T, StoreError> {
    value
        .parse()
        .map_err(|_| StoreError::RefData(format!("stored {what} {value:?} is not valid")))
}

impl TryFrom<person::Model> for PersonSummary {
    type Error = StoreError;
    fn try_from(m: person::Model) -> Result<PersonSummary, StoreError> {
        Ok(PersonSummary {
            id: PersonId(m.id),
            household_id: HouseholdId(m.household_id),
            sex: parse_col(&m.sex, "sex")?,
            birth: birth_from(m.birth_date, &m.birth_precision),
            cccd: m.cccd,
            ethnicity_code: m.ethnicity_code,
            unit_id: UnitId(m.unit_id),
            hamlet: m.hamlet,
            disability: parse_col(&m.disability_level, "disability")?,
            death_date: m.death_date,
            full_name: m.full_name,
        })
    }
}

fn person_from(m: person::Model) -> Result<Person, StoreError> {
    let cccd = match &m.cccd {
        Some(c) => Some(Cccd::parse(c).map_err(|e| StoreError::RefData(e.to_string()))?),
        None => None,
    };
    Ok(Person {
        id: PersonId(m.id),
        household_id: HouseholdId(m.household_id),
        version: m.version,
        data: PersonDraft {
            sex: parse_col(&m.sex, "sex")?,
            birth: birth_from(m.birth_date, &m.birth_precision),
            cccd,
            birth_cert_no: m.birth_cert_no,
            ethnicity_code: m.ethnicity_code,
            unit_id: UnitId(m.unit_id),
            hamlet: m.hamlet,
            relation: parse_col::<Relation>(&m.relation, "relation")?,
            disability: parse_col(&m.disability_level, "disability")?,
            disability_cert_date: m.disability_cert_date,
            hiv_positive: m.hiv_positive,
            has_pension: m.has_pension,
            phone: m.phone,
            payment_channel: parse_col::<PaymentChannel>(&m.payment_channel, "payment channel")?,
            bank_account: m.bank_account,
            death_date: m.death_date,
            full_name: m.full_name,
        },
    })
}

fn draft_columns(draft: &PersonDraft, active: &mut person::ActiveModel) {
    active.full_name = Set(draft.full_name.clone());
    active.name_folded = Set(draft.name_folded());
    active.given_folded = Set(draft.given_folded());
    active.name_sort = Set(draft.name_sort());
    active.sex = Set(draft.sex.as_str().into());
    active.birth_date = Set(draft.birth.assumed_date());
    active.birth_precision = Set(precision_of(draft.birth).into());
    active.cccd = Set(draft.cccd.as_ref().map(|c| c.to_string()));
    active.birth_cert_no = Set(draft.birth_cert_no.clone());
    active.ethnicity_code = Set(draft.ethnicity_code.clone());
    active.unit_id = Set(draft.unit_id.0);
    active.hamlet = Set(draft.hamlet.clone());
    active.relation = Set(draft.relation.as_str().into());
    active.disability_level = Set(draft.disability.as_str().into());
    active.disability_cert_date = Set(draft.disability_cert_date);
    active.hiv_positive = Set(draft.hiv_positive);
    active.has_pension = Set(draft.has_pension);
    active.phone = Set(draft.phone.clone());
    active.payment_channel = Set(draft.payment_channel.as_str().into());
    active.bank_account = Set(draft.bank_account.clone());
    active.death_date = Set(draft.death_date);
}

pub async fn insert_person(
    conn: &impl ConnectionTrait,
    household: HouseholdId,
    province_code: &str,
    draft: &PersonDraft,
    now: DateTime<Utc>,
) -> Result<Person, StoreError> {
    let mut active = person::ActiveModel {
        province_code: Set(province_code.to_string()),
        household_id: Set(household.0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    draft_columns(draft, &mut active);
    person_from(active.insert(conn).await?)
}

/// Updates a person if nobody changed them since `expected_version` was read.
pub async fn update_person(
    conn: &impl ConnectionTrait,
    id: PersonId,
    expected_version: i32,
    household: HouseholdId,
    province_code: &str,
    draft: &PersonDraft,
    now: DateTime<Utc>,
) -> Result<Person, StoreError> {
    let mut active = person::ActiveModel {
        province_code: Set(province_code.to_string()),
        household_id: Set(household.0),
        updated_at: Set(now),
        version: Set(expected_version + 1),
        ..Default::default()
    };
    draft_columns(draft, &mut active);
    let result = person::Entity::update_many()
        .set(active)
        .filter(person::Column::Id.eq(id.0))
        .filter(person::Column::Version.eq(expected_version))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Err(StoreError::Stale);
    }
    let saved = person::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::not_found("person", id))?;
    person_from(saved)
}

pub async fn get_person(
    conn: &impl ConnectionTrait,
    id: PersonId,
    scope: &Scope,
) -> Result<Option<Person>, StoreError> {
    person::Entity::find_by_id(id.0)
        .filter(scope.condition((person::Entity, person::Column::UnitId)))
        .one(conn)
        .await?
        .map(person_from)
        .transpose()
}

/// People by id (those in scope), for lists of many (a commune's payroll).
pub async fn persons_by_ids(
    conn: &impl ConnectionTrait,
    ids: &[PersonId],
    scope: &Scope,
) -> Result<Vec<Person>, StoreError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows = person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.iter().map(|p| p.0)))
            .filter(scope.condition((person::Entity, person::Column::UnitId)))
            .all(conn)
            .await?;
        for m in rows {
            out.push(person_from(m)?);
        }
    }
    Ok(out)
}

/// The province a person is filed under (the distribution key), if they exist.
pub async fn person_province(
    conn: &impl ConnectionTrait,
    id: PersonId,
) -> Result<Option<String>, StoreError> {
    Ok(person::Entity::find_by_id(id.0)
        .select_only()
        .column(person::Column::ProvinceCode)
        .into_tuple::<String>()
        .one(conn)
        .await?)
}

/// A search of the registry.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    /// A name (any diacritics, case), a CCCD number or its beginning; empty = everyone.
    pub text: String,
    /// Narrow to these unit versions (within the scope).
    pub units: Option<Vec<UnitId>>,
    pub household: Option<HouseholdId>,
    pub limit: u64,
    pub offset: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Total matches, capped at `COUNT_CAP` (then `total_capped` is true).
    pub total: u64,
    pub total_capped: bool,
    pub limit: u64,
    pub offset: u64,
}

/// Nobody pages through more: past it the page says "more than 1,000" and asks for a
/// narrower search. Counting further would cost a scan on broad prefixes.
pub const COUNT_CAP: u64 = 1_000;

/// The smallest string greater than every string starting with `prefix`.
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

fn prefix_condition(column: person::Column, prefix: &str) -> Condition {
    let mut c = Condition::all().add(column.gte(prefix));
    if let Some(upper) = prefix_upper_bound(prefix) {
        c = c.add(column.lt(upper));
    }
    c
}

/// How a search text is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchKind {
    Everyone,
    /// Digits only: a CCCD number or its beginning.
    Cccd(String),
    /// A folded name prefix (full name, or given name when one word).
    Name(String),
}

pub fn classify_search(text: &str) -> SearchKind {
    let trimmed: String = text
        .trim()
        .chars()
        .filter(|c| *c != ' ' && *c != '.')
        .collect();
    if trimmed.is_empty() {
        return SearchKind::Everyone;
    }
    if trimmed.chars().all(|c| c.is_ascii_digit()) {
        return SearchKind::Cccd(trimmed);
    }
    SearchKind::Name(fold(text))
}

pub async fn search_persons(
    conn: &impl ConnectionTrait,
    scope: &Scope,
    q: &PersonQuery,
) -> Result<Page<PersonSummary>, StoreError> {
    let mut condition =
        Condition::all().add(scope.condition((person::Entity, person::Column::UnitId)));
    if let Some(units) = &q.units {
        condition = condition.add(person::Column::UnitId.is_in(units.iter().map(|u| u.0)));
    }
    if let Some(h) = q.household {
        condition = condition.add(person::Column::HouseholdId.eq(h.0));
    }
    // Name searches read the name index in order and stop after a page; plain lists are in
    // Vietnamese collation order (given name first).
    let mut order = person::Column::NameSort;
    match classify_search(&q.text) {
        SearchKind::Everyone => {}
        SearchKind::Cccd(digits) if digits.len() == 12 => {
            condition = condition.add(person::Column::Cccd.eq(digits));
        }
        SearchKind::Cccd(digits) => {
            condition = condition.add(prefix_condition(person::Column::Cccd, &digits));
        }
        SearchKind::Name(folded) => {
            let mut names =
                Condition::any().add(prefix_condition(person::Column::NameFolded, &folded));
            if !folded.contains(' ') {
                names = names.add(prefix_condition(person::Column::GivenFolded, &folded));
            }
            condition = condition.add(names);
            order = person::Column::NameFolded;
        }
    }
    let limit = q.limit.clamp(1, 500);
    let rows = person::Entity::find()
        .filter(condition.clone())
        .order_by_asc(order)
        .order_by_asc(person::Column::Id)
        .limit(limit)
        .offset(q.offset)
        .all(conn)
        .await?;
    let items = rows
        .into_iter()
        .map(PersonSummary::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    // Count at most COUNT_CAP + 1 matches: exact totals of broad searches are not worth a
    // full scan.
    let capped = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(condition)
        .limit(COUNT_CAP + 1)
        .count(conn)
        .await?;
    Ok(Page {
        items,
        total: capped.min(COUNT_CAP),
        total_capped: capped > COUNT_CAP,
        limit,
        offset: q.offset,
    })
}

/// People with the same folded name and birth date in these units: likely duplicates.
pub async fn possible_duplicates(
    conn: &impl ConnectionTrait,
    name_folded: &str,
    birth_date: NaiveDate,
    units: &[UnitId],
    except: Option<PersonId>,
) -> Result<Vec<PersonSummary>, StoreError> {
    let mut query = person::Entity::find()
        .filter(person::Column::NameFolded.eq(name_folded))
        .filter(person::Column::BirthDate.eq(birth_date))
        .filter(person::Column::UnitId.is_in(units.iter().map(|u| u.0)));
    if let Some(id) = except {
        query = query.filter(person::Column::Id.ne(id.0));
    }
    query
        .limit(20)
        .all(conn)
        .await?
        .into_iter()
        .map(PersonSummary::try_from)
        .collect()
}

/// The person holding this CCCD, in any scope (to refuse duplicates without revealing who).
pub async fn cccd_holder(
    conn: &impl ConnectionTrait,
    cccd: &str,
) -> Result<Option<PersonId>, StoreError> {
    Ok(person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::Cccd.eq(cccd))
        .into_tuple::<i64>()
        .one(conn)
        .await?
        .map(PersonId))
}

/// People and households per unit version within the scope. Callers map versions onto the
/// tree at the date they show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitCount {
    pub unit_id: UnitId,
    pub people: i64,
    pub households: i64,
}

pub async fn counts_by_unit(
    conn: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<UnitCount>, StoreError> {
    let people = Query::select()
        .column(person::Column::UnitId)
        .expr_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), Alias::new("n"))
        .from(person::Entity)
        .and_where(scope.condition((person::Entity, person::Column::UnitId)))
        .group_by_col(person::Column::UnitId)
        .to_owned();
    let households = Query::select()
        .column(household::Column::UnitId)
        .expr_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), Alias::new("n"))
        .from(household::Entity)
        .and_where(scope.condition((household::Entity, household::Column::UnitId)))
        .group_by_col(household::Column::UnitId)
        .to_owned();
    let backend = conn.get_database_backend();
    let mut out: Vec<UnitCount> = Vec::new();
    for row in conn.query_all(&people).await? {
        out.push(UnitCount {
            unit_id: UnitId(row.try_get("", "unit_id")?),
            people: row.try_get("", "n")?,
            households: 0,
        });
    }
    let _ = backend;
    for row in conn.query_all(&households).await? {
        let unit = UnitId(row.try_get("", "unit_id")?);
        let n: i64 = row.try_get("", "n")?;
        match out.iter_mut().find(|c| c.unit_id == unit) {
            Some(c) => c.households = n,
            None => out.push(UnitCount {
                unit_id: unit,
                people: 0,
                households: n,
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_bounds_cover_exactly_the_prefix() {
        assert_eq!(prefix_upper_bound("nguyen van"), Some("nguyen vao".into()));
        assert_eq!(prefix_upper_bound("abz"), Some("ab{".into()));
        let upper = prefix_upper_bound("duc").unwrap();
        assert!("duc" < upper.as_str() && "ducz" < upper.as_str() && "dud" >= upper.as_str());
    }

    #[test]
    fn search_text_is_read_as_cccd_or_name() {
        assert_eq!(classify_search("  "), SearchKind::Everyone);
        assert_eq!(
            classify_search("084 056"),
            SearchKind::Cccd("084056".into())
        );
        assert_eq!(
            classify_search("Nguyễn Văn ĐỨC"),
            SearchKind::Name("nguyen van duc".into())
        );
    }
}
