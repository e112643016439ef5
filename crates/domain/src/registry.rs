//! The registry of people (đối tượng, nhân khẩu) and their validation.
//!
//! Input arrives as text (forms, JSON, imports) and is parsed into a [`PersonDraft`] or a
//! list of field errors, each with a stable code that doubles as a translation key.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::birth::BirthDate;
use crate::cccd::{Cccd, CccdError};
use crate::fold::{fold, name_sort_key, normalise_name};
use crate::ids::{HouseholdId, PersonId, UnitId};
use crate::person::{DisabilityLevel, PaymentChannel, Relation, Sex};

/// A person as the registry holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub id: PersonId,
    pub household_id: HouseholdId,
    pub version: i32,
    #[serde(flatten)]
    pub data: PersonDraft,
}

/// Everything about a person that can be entered or changed, already validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonDraft {
    pub full_name: String,
    pub sex: Sex,
    pub birth: BirthDate,
    pub cccd: Option<Cccd>,
    /// Số giấy khai sinh, for children without a CCCD.
    pub birth_cert_no: Option<String>,
    pub ethnicity_code: String,
    /// Commune of residence (a unit version).
    pub unit_id: UnitId,
    /// Ấp, khóm, thôn, tổ dân phố.
    pub hamlet: String,
    pub relation: Relation,
    pub disability: DisabilityLevel,
    /// Date of the disability certificate (giấy xác nhận khuyết tật).
    pub disability_cert_date: Option<NaiveDate>,
    /// Sensitive: shown only to roles that need it, every reading audited.
    pub hiv_positive: bool,
    /// Receives a pension or monthly social-insurance benefit.
    pub has_pension: bool,
    pub phone: Option<String>,
    pub payment_channel: PaymentChannel,
    pub bank_account: Option<String>,
    pub death_date: Option<NaiveDate>,
}

impl PersonDraft {
    pub fn name_folded(&self) -> String {
        fold(&self.full_name)
    }

    /// The folded given name (last word), for searches like "duc".
    pub fn given_folded(&self) -> String {
        let folded = self.name_folded();
        folded.rsplit(' ').next().unwrap_or_default().to_string()
    }

    pub fn name_sort(&self) -> String {
        name_sort_key(&self.full_name)
    }
}

/// Raw input as typed. Every field is text so that a wrong value is reported, not dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonInput {
    pub full_name: String,
    pub sex: String,
    pub birth_date: String,
    pub cccd: String,
    pub birth_cert_no: String,
    pub ethnicity_code: String,
    pub unit_id: String,
    pub hamlet: String,
    pub relation: String,
    pub disability: String,
    pub disability_cert_date: String,
    pub hiv_positive: String,
    pub has_pension: String,
    pub phone: String,
    pub payment_channel: String,
    pub bank_account: String,
    pub death_date: String,
}

impl PersonInput {
    /// The input that reproduces `draft` (to fill an edit form).
    pub fn from_draft(d: &PersonDraft) -> PersonInput {
        let opt_date = |v: Option<NaiveDate>| v.map(|x| x.to_string()).unwrap_or_default();
        PersonInput {
            full_name: d.full_name.clone(),
            sex: d.sex.as_str().into(),
            birth_date: d.birth.to_string(),
            cccd: d.cccd.as_ref().map(|c| c.to_string()).unwrap_or_default(),
            birth_cert_no: d.birth_cert_no.clone().unwrap_or_default(),
            ethnicity_code: d.ethnicity_code.clone(),
            unit_id: d.unit_id.to_string(),
            hamlet: d.hamlet.clone(),
            relation: d.relation.as_str().into(),
            disability: d.disability.as_str().into(),
            disability_cert_date: opt_date(d.disability_cert_date),
            hiv_positive: bool_text(d.hiv_positive),
            has_pension: bool_text(d.has_pension),
            phone: d.phone.clone().unwrap_or_default(),
            payment_channel: d.payment_channel.as_str().into(),
            bank_account: d.bank_account.clone().unwrap_or_default(),
            death_date: opt_date(d.death_date),
        }
    }
}

fn bool_text(v: bool) -> String {
    if v { "true".into() } else { "false".into() }
}

/// A problem with one field. `code` is stable and is the translation key of the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    /// Extra detail (in English) for logs and API clients.
    pub detail: Option<String>,
}

impl FieldError {
    fn new(field: &'static str, code: &'static str) -> FieldError {
        FieldError {
            field,
            code,
            detail: None,
        }
    }

    fn with(field: &'static str, code: &'static str, detail: impl Into<String>) -> FieldError {
        FieldError {
            field,
            code,
            detail: Some(detail.into()),
        }
    }
}

/// What validation needs to know about the world, passed in (the domain has no I/O).
pub trait RegistryContext {
    /// Today, for "no dates in the future".
    fn today(&self) -> NaiveDate;
    fn ethnicity_exists(&self, code: &str) -> bool;
    /// The unit exists, is a commune, and is valid at `date`.
    fn commune_valid_at(&self, unit: UnitId, date: NaiveDate) -> bool;
}

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 200;

/// Parses and checks every field; returns all problems at once.
pub fn validate_person(
    input: &PersonInput,
    ctx: &impl RegistryContext,
) -> Result<PersonDraft, Vec<FieldError>> {
    let mut errors = Vec::new();
    let today = ctx.today();

    let full_name = normalise_name(&input.full_name);
    if full_name.is_empty() {
        errors.push(FieldError::new("full_name", "required"));
    } else if full_name.chars().count() > MAX_NAME_CHARS {
        errors.push(FieldError::new("full_name", "too-long"));
    } else if let Some(bad) = full_name.chars().find(|c| !is_name_char(*c)) {
        errors.push(FieldError::with(
            "full_name",
            "name-characters",
            format!("character {bad:?} is not allowed in a name"),
        ));
    }

    let sex = parse_enum::<Sex>(&input.sex, "sex", &mut errors);

    let birth = match input.birth_date.trim() {
        "" => {
            errors.push(FieldError::new("birth_date", "required"));
            None
        }
        text => match text.parse::<BirthDate>() {
            Ok(b) if b.assumed_date() > today => {
                errors.push(FieldError::new("birth_date", "date-in-future"));
                None
            }
            Ok(b) => Some(b),
            Err(e) => {
                errors.push(FieldError::with(
                    "birth_date",
                    "birth-date-format",
                    e.to_string(),
                ));
                None
            }
        },
    };

    let cccd = match input.cccd.trim() {
        "" => None,
        text => match (Cccd::parse(text), sex, birth) {
            (Ok(c), Some(sex), Some(birth)) => match c.check_holder(sex, birth.year()) {
                Ok(()) => Some(c),
                Err(e) => {
                    errors.push(cccd_error(e));
                    None
                }
            },
            (Ok(c), _, _) => Some(c),
            (Err(e), _, _) => {
                errors.push(cccd_error(e));
                None
            }
        },
    };

    let birth_cert_no = optional_code(&input.birth_cert_no, "birth_cert_no", 30, &mut errors);

    let ethnicity_code = input.ethnicity_code.trim().to_string();
    if ethnicity_code.is_empty() {
        errors.push(FieldError::new("ethnicity_code", "required"));
    } else if !ctx.ethnicity_exists(&ethnicity_code) {
        errors.push(FieldError::new("ethnicity_code", "unknown-ethnicity"));
    }

    let unit_id = match input.unit_id.trim() {
        "" => {
            errors.push(FieldError::new("unit_id", "required"));
            None
        }
        text => match text.parse::<i64>() {
            Ok(id) if ctx.commune_valid_at(UnitId(id), today) => Some(UnitId(id)),
            _ => {
                errors.push(FieldError::new("unit_id", "unknown-unit"));
                None
            }
        },
    };

    let hamlet = normalise_name(&input.hamlet);
    if hamlet.is_empty() {
        errors.push(FieldError::new("hamlet", "required"));
    } else if hamlet.chars().count() > MAX_TEXT_CHARS {
        errors.push(FieldError::new("hamlet", "too-long"));
    } else if hamlet
        .chars()
        .any(|c| matches!(c, '<' | '>' | ';' | '"' | '\\' | '`'))
    {
        errors.push(FieldError::new("hamlet", "text-characters"));
    }

    let relation = if input.relation.trim().is_empty() {
        Some(Relation::Head)
    } else {
        parse_enum::<Relation>(&input.relation, "relation", &mut errors)
    };

    let disability = if input.disability.trim().is_empty() {
        Some(DisabilityLevel::None)
    } else {
        parse_enum::<DisabilityLevel>(&input.disability, "disability", &mut errors)
    };
    let disability_cert_date = optional_date(
        &input.disability_cert_date,
        "disability_cert_date",
        today,
        &mut errors,
    );
    if disability == Some(DisabilityLevel::None) && disability_cert_date.is_some() {
        errors.push(FieldError::new(
            "disability_cert_date",
            "certificate-without-disability",
        ));
    }

    let hiv_positive = parse_bool(&input.hiv_positive, "hiv_positive", &mut errors);
    let has_pension = parse_bool(&input.has_pension, "has_pension", &mut errors);

    let phone = match input.phone.trim() {
        "" => None,
        text => match normalise_phone(text) {
            Some(p) => Some(p),
            None => {
                errors.push(FieldError::new("phone", "phone-format"));
                None
            }
        },
    };

    let payment_channel = if input.payment_channel.trim().is_empty() {
        Some(PaymentChannel::Cash)
    } else {
        parse_enum::<PaymentChannel>(&input.payment_channel, "payment_channel", &mut errors)
    };
    let bank_account = optional_code(&input.bank_account, "bank_account", 30, &mut errors);
    if matches!(
        payment_channel,
        Some(PaymentChannel::Bank | PaymentChannel::EWallet)
    ) && bank_account.is_none()
        && !errors.iter().any(|e| e.field == "bank_account")
    {
        errors.push(FieldError::new("bank_account", "account-required"));
    }

    let death_date = optional_date(&input.death_date, "death_date", today, &mut errors);
    if let (Some(birth), Some(death)) = (birth, death_date)
        && death < birth.assumed_date()
    {
        errors.push(FieldError::new("death_date", "death-before-birth"));
    }
    if let (Some(birth), Some(cert)) = (birth, disability_cert_date)
        && cert < birth.assumed_date()
    {
        errors.push(FieldError::new("disability_cert_date", "date-before-birth"));
    }

    match (sex, birth, unit_id, relation, disability, payment_channel) {
        (
            Some(sex),
            Some(birth),
            Some(unit_id),
            Some(relation),
            Some(disability),
            Some(channel),
        ) if errors.is_empty() => Ok(PersonDraft {
            full_name,
            sex,
            birth,
            cccd,
            birth_cert_no,
            ethnicity_code,
            unit_id,
            hamlet,
            relation,
            disability,
            disability_cert_date,
            hiv_positive,
            has_pension,
            phone,
            payment_channel: channel,
            bank_account,
            death_date,
        }),
        _ => Err(errors),
    }
}

/// Letters (with their marks), spaces, hyphens, apostrophes and dots: the characters of
/// Vietnamese, Khmer-origin and Chinese-origin names as written in Latin script.
fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || c == ' ' || c == '-' || c == '\'' || c == '.' || is_mark(c)
}

fn is_mark(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

fn cccd_error(e: CccdError) -> FieldError {
    FieldError::with("cccd", e.code(), e.to_string())
}

fn parse_enum<T: std::str::FromStr>(
    text: &str,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    match text.trim() {
        "" => {
            errors.push(FieldError::new(field, "required"));
            None
        }
        t => match t.parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                errors.push(FieldError::new(field, "invalid-choice"));
                None
            }
        },
    }
}

fn parse_bool(text: &str, field: &'static str, errors: &mut Vec<FieldError>) -> bool {
    match text.trim() {
        "" | "false" | "off" | "0" | "no" => false,
        "true" | "on" | "1" | "yes" => true,
        _ => {
            errors.push(FieldError::new(field, "invalid-choice"));
            false
        }
    }
}

fn optional_date(
    text: &str,
    field: &'static str,
    today: NaiveDate,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    match text.trim() {
        "" => None,
        t => match NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            Ok(d) if d > today => {
                errors.push(FieldError::new(field, "date-in-future"));
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                errors.push(FieldError::new(field, "date-format"));
                None
            }
        },
    }
}

fn optional_code(
    text: &str,
    field: &'static str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() > max
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
    {
        errors.push(FieldError::new(field, "code-format"));
        return None;
    }
    Some(t.to_string())
}

/// Vietnamese phone numbers: 10 digits starting with 0; `+84`/`84` prefixes are rewritten.
pub fn normalise_phone(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let local = if let Some(rest) = digits.strip_prefix("+84") {
        format!("0{rest}")
    } else if digits.len() == 11 && digits.starts_with("84") {
        format!("0{}", &digits[2..])
    } else {
        digits
    };
    (local.len() == 10 && local.starts_with('0') && local.chars().all(|c| c.is_ascii_digit()))
        .then_some(local)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ctx;
    impl RegistryContext for Ctx {
        fn today(&self) -> NaiveDate {
            NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
        }
        fn ethnicity_exists(&self, code: &str) -> bool {
            matches!(code, "01" | "04" | "05")
        }
        fn commune_valid_at(&self, unit: UnitId, _date: NaiveDate) -> bool {
            unit == UnitId(7)
        }
    }

    fn valid_input() -> PersonInput {
        PersonInput {
            full_name: "  Nguyễn   Văn Đức ".into(),
            sex: "male".into(),
            birth_date: "1956-03-15".into(),
            cccd: "084056000123".into(),
            ethnicity_code: "01".into(),
            unit_id: "7".into(),
            hamlet: "Ấp Long Bình".into(),
            ..Default::default()
        }
    }

    fn codes(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn accepts_a_valid_person_and_normalises_the_name() {
        let p = validate_person(&valid_input(), &Ctx).unwrap();
        assert_eq!(p.full_name, "Nguyễn Văn Đức");
        assert_eq!(p.name_folded(), "nguyen van duc");
        assert_eq!(p.given_folded(), "duc");
        assert_eq!(p.relation, Relation::Head);
        assert_eq!(p.payment_channel, PaymentChannel::Cash);
    }

    #[test]
    fn lists_every_problem_at_once() {
        let input = PersonInput {
            full_name: "<script>alert(1)</script>".into(),
            sex: "x".into(),
            birth_date: "2030-01-01".into(),
            cccd: "12345".into(),
            ethnicity_code: "99".into(),
            unit_id: "8".into(),
            hamlet: "".into(),
            phone: "12".into(),
            payment_channel: "bank".into(),
            death_date: "1900-01-01".into(),
            ..Default::default()
        };
        let errors = validate_person(&input, &Ctx).unwrap_err();
        let codes = codes(&errors);
        for expected in [
            ("full_name", "name-characters"),
            ("sex", "invalid-choice"),
            ("birth_date", "date-in-future"),
            ("cccd", "cccd-length"),
            ("ethnicity_code", "unknown-ethnicity"),
            ("unit_id", "unknown-unit"),
            ("hamlet", "required"),
            ("phone", "phone-format"),
            ("bank_account", "account-required"),
        ] {
            assert!(
                codes.contains(&expected),
                "missing {expected:?} in {codes:?}"
            );
        }
    }

    #[test]
    fn sql_metacharacters_in_names_are_refused_with_a_reason() {
        let input = PersonInput {
            full_name: "Robert'); DROP TABLE persons;--".into(),
            ..valid_input()
        };
        let errors = validate_person(&input, &Ctx).unwrap_err();
        assert_eq!(codes(&errors), vec![("full_name", "name-characters")]);
    }

    #[test]
    fn cccd_must_agree_with_sex_and_birth_year() {
        let input = PersonInput {
            sex: "female".into(),
            ..valid_input()
        };
        let errors = validate_person(&input, &Ctx).unwrap_err();
        assert_eq!(codes(&errors), vec![("cccd", "cccd-century-sex")]);
    }

    #[test]
    fn partial_birth_dates_are_accepted() {
        let input = PersonInput {
            birth_date: "1940".into(),
            cccd: "".into(),
            ..valid_input()
        };
        let p = validate_person(&input, &Ctx).unwrap();
        assert_eq!(p.birth, BirthDate::Year(1940));
    }

    #[test]
    fn death_cannot_precede_birth() {
        let input = PersonInput {
            death_date: "1950-01-01".into(),
            ..valid_input()
        };
        let errors = validate_person(&input, &Ctx).unwrap_err();
        assert_eq!(codes(&errors), vec![("death_date", "death-before-birth")]);
    }

    #[test]
    fn phones_are_normalised() {
        assert_eq!(
            normalise_phone("+84 912 345 678"),
            Some("0912345678".into())
        );
        assert_eq!(normalise_phone("0912.345.678"), Some("0912345678".into()));
        assert_eq!(normalise_phone("12345"), None);
    }

    #[test]
    fn a_draft_round_trips_through_its_input() {
        let p = validate_person(&valid_input(), &Ctx).unwrap();
        let again = validate_person(&PersonInput::from_draft(&p), &Ctx).unwrap();
        assert_eq!(p, again);
    }
}
