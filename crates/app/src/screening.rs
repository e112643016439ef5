//! "Am I eligible?" (Tự kiểm tra điều kiện hưởng): a public screening of the questions a
//! citizen can answer without any identifier. Nothing is stored; the answers become a
//! situation document and the engine says what would be due this month, and under which
//! article — a screening, never a decision.

use serde::Deserialize;

use ansinh_domain::Month;
use ansinh_domain::birth::BirthDate;
use ansinh_domain::registry::FieldError;
use ansinh_policy::Report;

use crate::App;
use crate::context::Lang;
use crate::error::{AppError, AppResult};

/// The answers of the screening form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScreeningInput {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth_date: String,
    pub sex: String,
    /// `none`, `near_poor`, `poor`.
    pub poverty: String,
    /// `none`, `mild`, `severe`, `especially_severe`.
    pub disability: String,
    /// Lives in an extremely difficult ethnic-minority and mountainous commune or village.
    pub ethnic_area: bool,
    pub has_pension: bool,
    /// Someone has the duty and right to support the person (người có nghĩa vụ phụng dưỡng).
    pub has_supporter: bool,
    pub hiv: bool,
    pub studying: bool,
    /// For a child without means of support: the point (a–l) of NĐ 20/2021 Art. 5(1).
    pub child_case: String,
    /// `never_married`, `married`, `divorced`, `widowed`, `spouse_missing`.
    pub marital_status: String,
    pub children_under_16: String,
    pub children_studying: String,
}

const K1_CASES: [&str; 11] = ["a", "b", "c", "d", "dd", "e", "g", "h", "i", "k", "l"];

fn field(field: &'static str, code: &'static str) -> FieldError {
    FieldError {
        field,
        code,
        detail: None,
    }
}

fn count(text: &str, name: &'static str, errors: &mut Vec<FieldError>) -> u32 {
    match text.trim() {
        "" => 0,
        t => match t.parse::<u32>() {
            Ok(n) if n <= 15 => n,
            _ => {
                errors.push(field(name, "invalid-choice"));
                0
            }
        },
    }
}

impl ScreeningInput {
    /// The situation document (docs/entitlement-json.md) for `month`, or the problems.
    pub fn document(&self, month: Month, lang: Lang) -> AppResult<serde_json::Value> {
        let mut errors = Vec::new();
        let birth = match self.birth_date.trim().parse::<BirthDate>() {
            Ok(b) if b.assumed_date() <= month.last_day() => Some(b),
            Ok(_) => {
                errors.push(field("birth_date", "date-in-future"));
                None
            }
            Err(_) => {
                errors.push(field("birth_date", "birth-date-format"));
                None
            }
        };
        let pick = |value: &str,
                    allowed: &[&str],
                    name: &'static str,
                    default: &'static str,
                    errors: &mut Vec<FieldError>|
         -> String {
            match value.trim() {
                "" => default.to_string(),
                v if allowed.contains(&v) => v.to_string(),
                _ => {
                    errors.push(field(name, "invalid-choice"));
                    default.to_string()
                }
            }
        };
        let sex = pick(&self.sex, &["male", "female"], "sex", "female", &mut errors);
        let poverty = pick(
            &self.poverty,
            &["none", "near_poor", "poor"],
            "poverty",
            "none",
            &mut errors,
        );
        let disability = pick(
            &self.disability,
            &["none", "mild", "severe", "especially_severe"],
            "disability",
            "none",
            &mut errors,
        );
        let marital = pick(
            &self.marital_status,
            &[
                "never_married",
                "married",
                "divorced",
                "widowed",
                "spouse_missing",
            ],
            "marital_status",
            "married",
            &mut errors,
        );
        let child_case = match self.child_case.trim() {
            "" => None,
            c if K1_CASES.contains(&c) => Some(if c == "dd" {
                "đ".to_string()
            } else {
                c.to_string()
            }),
            _ => {
                errors.push(field("child_case", "invalid-choice"));
                None
            }
        };
        let under_16 = count(&self.children_under_16, "children_under_16", &mut errors);
        let studying = count(&self.children_studying, "children_studying", &mut errors);
        let Some(birth) = birth.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };

        let age = birth.age_on(month.first_day());
        let mut flags: Vec<&str> = Vec::new();
        if self.hiv {
            flags.push("hiv");
        }
        if self.studying {
            flags.push("studying");
        }
        if self.has_pension {
            flags.push("has_pension");
        }
        if self.has_supporter {
            flags.push("has_supporter");
        }
        // A young person without support who keeps studying was on the allowance as a child.
        if child_case.is_some() && age >= 16 {
            flags.push("received_k1");
        }
        // The social pension needs a written request: the screening assumes one is made.
        if age >= 70 {
            flags.push("social_pension_requested");
        }
        let mut person = serde_json::json!({
            "birth_date": birth.to_string(),
            "sex": sex,
            "disability": disability,
            "marital_status": marital,
            "flags": flags,
        });
        if let Some(case) = &child_case {
            person["k1_case"] = serde_json::Value::String(case.clone());
        }
        if self.has_pension {
            // Unknown amount: assume it is at least the social pension, so none is shown.
            person["pension_amount"] = serde_json::json!(1_000_000_000);
        }
        if disability == "severe" || disability == "especially_severe" {
            person["certificate_month"] = serde_json::Value::String(month.to_string());
        }
        // Children are counted, not described: ages that fall in each band this month.
        let mut children = Vec::new();
        for _ in 0..under_16 {
            children.push(serde_json::json!({ "birth_date": format!("{:04}", month.year() - 8) }));
        }
        for _ in 0..studying {
            children.push(serde_json::json!({ "birth_date": format!("{:04}", month.year() - 18), "studying": true }));
        }
        let mut household_flags = Vec::new();
        if self.ethnic_area {
            household_flags.push("ethnic_minority_extremely_difficult_area");
        }
        Ok(serde_json::json!({
            "month": month.to_string(),
            "language": lang.as_str(),
            "person": person,
            "household": { "poverty": poverty, "flags": household_flags },
            "children": children,
        }))
    }
}

impl App {
    /// Screens the answers against the catalogue in force for `month`.
    pub fn screen(&self, input: &ScreeningInput, month: Month, lang: Lang) -> AppResult<Report> {
        let document = input.document(month, lang)?;
        self.evaluate_document(&document.to_string(), Some(month), Some(lang))
            .map_err(|problems| {
                AppError::Invalid(
                    problems
                        .into_iter()
                        .map(|p| FieldError {
                            field: "screening",
                            code: "screening-contradiction",
                            detail: Some(format!("{} {}: {}", p.code, p.path, p.message)),
                        })
                        .collect(),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_become_a_document_without_identifiers() {
        let input = ScreeningInput {
            birth_date: "1940".into(),
            poverty: "poor".into(),
            ..Default::default()
        };
        let month: Month = "2026-11".parse().unwrap();
        let doc = input.document(month, Lang::Vi).unwrap();
        assert_eq!(doc["person"]["birth_date"], "1940");
        assert!(doc["person"].get("id").is_none());
        assert!(
            doc["person"]["flags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "social_pension_requested")
        );
    }

    #[test]
    fn bad_answers_are_listed() {
        let input = ScreeningInput {
            birth_date: "abc".into(),
            poverty: "rich".into(),
            children_under_16: "99".into(),
            ..Default::default()
        };
        let err = input
            .document("2026-11".parse().unwrap(), Lang::Vi)
            .unwrap_err();
        let AppError::Invalid(fields) = err else {
            panic!()
        };
        let names: Vec<_> = fields.iter().map(|f| f.field).collect();
        assert_eq!(names, vec!["birth_date", "poverty", "children_under_16"]);
    }
}
