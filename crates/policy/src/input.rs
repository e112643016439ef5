//! The JSON form of a situation (documented in `docs/entitlement-json.md`) and
//! [`evaluate_json`], the entry point of the CLI (`ansinh entitlement`) and the HTTP API
//! (`POST /api/v1/entitlements/evaluate`).
//!
//! Every field is read on its own, so one document yields every problem at once — wrong
//! types, unknown fields, unknown flags, missing facts, then contradictions — never a
//! partial result and never a zero amount.

use crate::catalogue::Catalogue;
use crate::facts::{
    Care, Child, Decisions, Emergency, FacilityStay, Flag, Flags, Household, K1Case, MaritalStatus,
    Move, Person, Situation, Stop,
};
use crate::problem::{Problem, codes};
use crate::report::{Lang, Report};
use ansinh_domain::person::{DisabilityLevel, PovertyStatus, Sex};
use ansinh_domain::{BirthDate, Money, Month};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::BTreeMap;

/// A field read leniently: its problem is kept instead of aborting the whole document.
#[derive(Debug, Default)]
enum Field<T> {
    #[default]
    Missing,
    Null,
    Invalid(String),
    Ok(T),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field<T>, D::Error> {
        let value = Value::deserialize(d)?;
        if value.is_null() {
            return Ok(Field::Null);
        }
        Ok(match serde_json::from_value::<T>(value) {
            Ok(v) => Field::Ok(v),
            Err(e) => Field::Invalid(e.to_string()),
        })
    }
}

type Unknown = BTreeMap<String, Value>;

#[derive(Debug, Deserialize)]
struct Document {
    #[serde(default)]
    month: Field<Month>,
    #[serde(default)]
    language: Field<String>,
    #[serde(default)]
    province: Field<String>,
    #[serde(default)]
    person: Field<PersonDoc>,
    #[serde(default)]
    household: Field<HouseholdDoc>,
    #[serde(default)]
    children: Field<Vec<Field<ChildDoc>>>,
    #[serde(default)]
    care: Field<Care>,
    #[serde(default)]
    facility: Field<FacilityStay>,
    #[serde(default)]
    decisions: Field<DecisionsDoc>,
    #[serde(default)]
    groups: Field<Vec<Field<String>>>,
    #[serde(default)]
    moves: Field<Vec<Field<Move>>>,
    #[serde(default)]
    stop: Field<Stop>,
    #[serde(default)]
    emergencies: Field<Vec<Field<Emergency>>>,
    #[serde(flatten)]
    unknown: Unknown,
}

#[derive(Debug, Deserialize)]
struct PersonDoc {
    #[serde(default)]
    id: Field<String>,
    #[serde(default)]
    birth_date: Field<BirthDate>,
    #[serde(default)]
    sex: Field<Sex>,
    #[serde(default)]
    death_date: Field<NaiveDate>,
    #[serde(default)]
    disability: Field<DisabilityLevel>,
    #[serde(default)]
    certificate_month: Field<Month>,
    #[serde(default)]
    k1_case: Field<K1Case>,
    #[serde(default)]
    marital_status: Field<MaritalStatus>,
    #[serde(default)]
    flags: Field<Vec<Field<String>>>,
    #[serde(default)]
    pension_amount: Field<Money>,
    #[serde(flatten)]
    unknown: Unknown,
}

#[derive(Debug, Deserialize)]
struct HouseholdDoc {
    #[serde(default)]
    id: Field<String>,
    #[serde(default)]
    poverty: Field<PovertyStatus>,
    #[serde(default)]
    flags: Field<Vec<Field<String>>>,
    #[serde(flatten)]
    unknown: Unknown,
}

#[derive(Debug, Deserialize)]
struct ChildDoc {
    #[serde(default)]
    birth_date: Field<BirthDate>,
    #[serde(default)]
    studying: Field<bool>,
    #[serde(default)]
    death_date: Field<NaiveDate>,
    #[serde(flatten)]
    unknown: Unknown,
}

#[derive(Debug, Deserialize)]
struct DecisionsDoc {
    #[serde(default)]
    allowance: Field<Month>,
    #[serde(default)]
    caregiving: Field<Month>,
    #[serde(default)]
    facility: Field<Month>,
    #[serde(default)]
    social_pension: Field<Month>,
    #[serde(flatten)]
    unknown: Unknown,
}

/// Collects problems while reading fields.
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn optional<T>(&mut self, field: Field<T>, path: &str) -> Option<T> {
        match field {
            Field::Missing | Field::Null => None,
            Field::Ok(v) => Some(v),
            Field::Invalid(message) => {
                self.problems
                    .push(Problem::new(codes::INVALID_VALUE, path, message));
                None
            }
        }
    }

    fn required<T>(&mut self, field: Field<T>, path: &str, what: &str) -> Option<T> {
        if matches!(field, Field::Missing | Field::Null) {
            self.problems.push(Problem::new(
                codes::MISSING_FIELD,
                path,
                format!("{what} is required"),
            ));
        }
        self.optional(field, path)
    }

    fn unknown(&mut self, unknown: Unknown, prefix: &str) {
        for key in unknown.into_keys() {
            self.problems.push(Problem::new(
                codes::UNKNOWN_FIELD,
                format!("{prefix}{key}"),
                format!("{key:?} is not a field here (see docs/entitlement-json.md)"),
            ));
        }
    }

    fn list<T>(&mut self, field: Field<Vec<Field<T>>>, path: &str) -> Vec<T> {
        self.optional(field, path)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter_map(|(i, item)| self.optional(item, &format!("{path}[{i}]")))
            .collect()
    }

    fn flags(&mut self, field: Field<Vec<Field<String>>>, path: &str, household: bool) -> Flags {
        let mut flags = Flags::EMPTY;
        for (i, name) in self.list(field, path).into_iter().enumerate() {
            let item = format!("{path}[{i}]");
            match Flag::parse(&name) {
                Some(flag) if flag.is_household() == household => flags.insert(flag),
                Some(_) => self.problems.push(Problem::new(
                    codes::INVALID_VALUE,
                    item,
                    if household {
                        format!("{name:?} describes the person: put it in person.flags")
                    } else {
                        format!("{name:?} describes the household: put it in household.flags")
                    },
                )),
                None => self.problems.push(Problem::new(
                    codes::UNKNOWN_FLAG,
                    item,
                    format!("{name:?} is not a known flag"),
                )),
            }
        }
        flags
    }

    fn province(&mut self, code: Option<String>, path: &str) -> Option<String> {
        let code = code?;
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) {
            Some(code)
        } else {
            self.problems.push(Problem::new(
                codes::INVALID_VALUE,
                path,
                format!("{code:?} is not a 2-digit province code"),
            ));
            None
        }
    }
}

/// A parsed document: the situation and what the document says about month and language.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    pub month: Option<Month>,
    pub language: Option<Lang>,
    pub situation: Situation,
}

/// Reads a situation document. `month_given`: the caller supplies the month (CLI flag), so
/// the document need not.
pub fn parse_situation(input: &str, month_given: bool) -> Result<ParsedDocument, Vec<Problem>> {
    let value: Value = serde_json::from_str(input).map_err(|e| {
        vec![Problem::new(
            codes::INVALID_JSON,
            "",
            format!("not valid JSON: {e}"),
        )]
    })?;
    let doc: Document = serde_json::from_value(value).map_err(|e| {
        vec![Problem::new(
            codes::INVALID_VALUE,
            "",
            format!("the document must be a JSON object: {e}"),
        )]
    })?;
    let mut r = Reader {
        problems: Vec::new(),
    };
    r.unknown(doc.unknown, "");
    let month = if month_given {
        r.optional(doc.month, "month")
    } else {
        r.required(doc.month, "month", "the month to evaluate (YYYY-MM)")
    };
    let language = r.optional(doc.language, "language").and_then(|l| {
        let parsed = Lang::parse(&l);
        if parsed.is_none() {
            r.problems.push(Problem::new(
                codes::INVALID_VALUE,
                "language",
                format!("{l:?} is not \"vi\" or \"en\""),
            ));
        }
        parsed
    });
    let province = r.optional(doc.province, "province");
    let province = r.province(province, "province");

    let person = r
        .required(doc.person, "person", "the person")
        .and_then(|p| read_person(&mut r, p));
    let household = r
        .required(
            doc.household,
            "household",
            "the household (at least its poverty status)",
        )
        .and_then(|h| {
            r.unknown(h.unknown, "household.");
            let poverty = r.required(
                h.poverty,
                "household.poverty",
                "the household poverty status (none, near_poor, poor)",
            );
            let flags = r.flags(h.flags, "household.flags", true);
            let id = r.optional(h.id, "household.id");
            poverty.map(|poverty| Household { id, poverty, flags })
        });
    let children: Vec<Child> = r
        .list(doc.children, "children")
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let path = format!("children[{i}]");
            r.unknown(c.unknown, &format!("{path}."));
            let birth_date = r.required(
                c.birth_date,
                &format!("{path}.birth_date"),
                "the child's birth date",
            );
            let studying = r
                .optional(c.studying, &format!("{path}.studying"))
                .unwrap_or(false);
            let death_date = r.optional(c.death_date, &format!("{path}.death_date"));
            birth_date.map(|birth_date| Child {
                birth_date,
                studying,
                death_date,
            })
        })
        .collect();
    let care = r.optional(doc.care, "care");
    let facility = r.optional(doc.facility, "facility");
    let decisions = r
        .optional(doc.decisions, "decisions")
        .map(|d| {
            r.unknown(d.unknown, "decisions.");
            Decisions {
                allowance: r.optional(d.allowance, "decisions.allowance"),
                caregiving: r.optional(d.caregiving, "decisions.caregiving"),
                facility: r.optional(d.facility, "decisions.facility"),
                social_pension: r.optional(d.social_pension, "decisions.social_pension"),
            }
        })
        .unwrap_or_default();
    let groups = r.list(doc.groups, "groups");
    let moves = r.list(doc.moves, "moves");
    for (i, m) in moves.iter().enumerate() {
        r.province(
            Some(m.to_province.clone()),
            &format!("moves[{i}].to_province"),
        );
    }
    let stop = r.optional(doc.stop, "stop");
    let emergencies = r.list(doc.emergencies, "emergencies");

    match (person, household) {
        (Some(person), Some(household)) if r.problems.is_empty() => Ok(ParsedDocument {
            month,
            language,
            situation: Situation {
                province,
                person,
                household,
                children,
                care,
                facility,
                decisions,
                groups,
                moves,
                stop,
                emergencies,
            },
        }),
        _ => Err(r.problems),
    }
}

fn read_person(r: &mut Reader, p: PersonDoc) -> Option<Person> {
    r.unknown(p.unknown, "person.");
    let birth_date = r.required(
        p.birth_date,
        "person.birth_date",
        "the birth date (YYYY, YYYY-MM or YYYY-MM-DD)",
    );
    let pension_amount = r.optional(p.pension_amount, "person.pension_amount");
    if pension_amount.is_some_and(|a| a.as_i64() < 0) {
        r.problems.push(Problem::new(
            codes::INVALID_VALUE,
            "person.pension_amount",
            "a pension amount cannot be negative",
        ));
    }
    // Every field is read before giving up, so that all their problems are listed.
    let id = r.optional(p.id, "person.id");
    let sex = r.optional(p.sex, "person.sex");
    let death_date = r.optional(p.death_date, "person.death_date");
    let disability = r
        .optional(p.disability, "person.disability")
        .unwrap_or(DisabilityLevel::None);
    let certificate_month = r.optional(p.certificate_month, "person.certificate_month");
    let k1_case = r.optional(p.k1_case, "person.k1_case");
    let marital_status = r.optional(p.marital_status, "person.marital_status");
    let flags = r.flags(p.flags, "person.flags", false);
    let person = Person {
        id,
        birth_date: birth_date?,
        sex,
        death_date,
        disability,
        certificate_month,
        k1_case,
        marital_status,
        flags,
        pension_amount,
    };
    Some(person)
}

/// How to evaluate a JSON document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvaluateOptions {
    /// The month to evaluate; overrides the document's `month` (the CLI's `--month`).
    pub month: Option<Month>,
    /// The language of sentences; overrides the document's `language`.
    pub lang: Option<Lang>,
}

/// Reads a situation document, evaluates it and explains the result. An invalid document
/// gets every problem listed (`Err`), never an amount.
pub fn evaluate_json(
    catalogue: &Catalogue,
    input: &str,
    options: EvaluateOptions,
) -> Result<Report, Vec<Problem>> {
    let parsed = parse_situation(input, options.month.is_some())?;
    let month = options.month.or(parsed.month).ok_or_else(|| {
        vec![Problem::new(
            codes::MISSING_FIELD,
            "month",
            "the month to evaluate (YYYY-MM) is required",
        )]
    })?;
    let lang = options.lang.or(parsed.language).unwrap_or_default();
    let rules = catalogue.for_month(month)?;
    let evaluation = rules.evaluate(&parsed.situation)?;
    Ok(Report::build(&rules, &parsed.situation, &evaluation, lang))
}
