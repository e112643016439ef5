//! Parsing and validating the workflow data files (`data/workflow/*.toml`, format in
//! `docs/workflow.md`). Parse, don't validate: a [`Catalogue`] is complete and consistent;
//! every problem of every file is reported at once, each with its file and line.

use crate::catalogue::*;
use ansinh_domain::access::Role;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use toml::Spanned;
use toml::value::Datetime;

/// Data format version this crate reads.
pub const FORMAT_VERSION: u32 = 1;

/// The built-in data files, embedded at build time: `(file name, text)`.
pub const BUILTIN_SOURCES: [(&str, &str); 6] = [
    (
        "application_types.toml",
        include_str!("../../../data/workflow/application_types.toml"),
    ),
    (
        "regular.toml",
        include_str!("../../../data/workflow/regular.toml"),
    ),
    (
        "funeral.toml",
        include_str!("../../../data/workflow/funeral.toml"),
    ),
    (
        "facility.toml",
        include_str!("../../../data/workflow/facility.toml"),
    ),
    (
        "social_pension.toml",
        include_str!("../../../data/workflow/social_pension.toml"),
    ),
    (
        "decisions.toml",
        include_str!("../../../data/workflow/decisions.toml"),
    ),
];

/// One problem found in a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataIssue {
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for DataIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found in a set of data files, one per line when displayed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DataError {
    pub issues: Vec<DataIssue>,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        write!(
            f,
            "workflow data has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for issue in &self.issues {
            write!(f, "\n  - {issue}")?;
        }
        Ok(())
    }
}

impl Catalogue {
    /// Parses and validates a set of data files (the built-in ones, or an administrator's edited
    /// copies): `(file name, text)`. Sections may be spread over the files in any way.
    pub fn parse(sources: &[(&str, &str)]) -> Result<Catalogue, DataError> {
        let mut v = Validator {
            sources,
            issues: Vec::new(),
        };
        let mut files = Vec::new();
        for (i, (_, text)) in sources.iter().enumerate() {
            match toml::from_str::<RawFile>(text) {
                Ok(raw) => files.push((i, raw)),
                Err(e) => {
                    let line = e.span().map(|s| line_of(text, s.start));
                    v.push(i, line, e.message().trim_end().to_owned());
                }
            }
        }
        let catalogue = v.catalogue(&files);
        if v.issues.is_empty() {
            Ok(catalogue)
        } else {
            Err(DataError { issues: v.issues })
        }
    }

    /// The built-in catalogue ([`BUILTIN_SOURCES`]).
    pub fn builtin() -> Result<Catalogue, DataError> {
        Catalogue::parse(&BUILTIN_SOURCES)
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(byte)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

// ───────────────────────────── raw (serde) shapes ─────────────────────────────

type S<T> = Spanned<T>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    format: S<u32>,
    #[serde(default)]
    condition: Vec<S<RawCondition>>,
    #[serde(default)]
    document: Vec<S<RawDocument>>,
    #[serde(default)]
    application_type: Vec<S<RawApplicationType>>,
    #[serde(default)]
    workflow: Vec<S<RawWorkflow>>,
    #[serde(default)]
    handover: Vec<S<RawHandover>>,
    #[serde(default)]
    authority: Vec<S<RawAuthority>>,
    #[serde(default)]
    decision_kind: Vec<S<RawDecisionKind>>,
    #[serde(default)]
    reason_set: Vec<S<RawReasonSet>>,
    #[serde(default)]
    issuing: Vec<S<RawIssuing>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    key: String,
    name_vi: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    code: String,
    name_vi: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplicationType {
    code: String,
    form_vi: String,
    name_vi: String,
    name_en: String,
    benefit: S<String>,
    #[serde(default)]
    groups: Vec<String>,
    family: S<String>,
    from: Option<S<Datetime>>,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
    #[serde(default, rename = "document")]
    documents: Vec<S<RawRequiredDocument>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequiredDocument {
    code: S<String>,
    kind: S<String>,
    when: Option<S<String>>,
    from: Option<S<Datetime>>,
    to: Option<S<Datetime>>,
    citation: String,
    confidence: S<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkflow {
    id: String,
    family: String,
    name_vi: String,
    name_en: String,
    valid_from: S<Datetime>,
    valid_to: Option<S<Datetime>>,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    to_be_confirmed: bool,
    total_deadline: Option<S<i64>>,
    receive_roles: S<Vec<String>>,
    note: Option<String>,
    complaint: Option<S<RawComplaint>>,
    #[serde(default, rename = "step")]
    steps: Vec<S<RawStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComplaint {
    name_vi: String,
    name_en: String,
    deadline: S<i64>,
    during: S<Vec<String>>,
    roles: S<Vec<String>>,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
    #[serde(default, rename = "outcome")]
    outcomes: Vec<S<RawComplaintOutcome>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComplaintOutcome {
    code: String,
    name_vi: String,
    name_en: String,
    end: Option<S<String>>,
    #[serde(default)]
    reasons: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    code: String,
    kind: S<String>,
    name_vi: String,
    name_en: String,
    actor_vi: String,
    actor_en: String,
    roles: S<Vec<String>>,
    deadline: Option<S<i64>>,
    #[serde(default)]
    period: bool,
    #[serde(default)]
    optional: bool,
    independent_of: Option<S<Vec<String>>>,
    escalate_to: S<String>,
    authority: Option<S<String>>,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
    #[serde(default, rename = "outcome")]
    outcomes: Vec<S<RawOutcome>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    code: String,
    name_vi: String,
    name_en: String,
    next: Option<S<String>>,
    end: Option<S<String>>,
    #[serde(default)]
    reasons: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandover {
    id: String,
    from: S<String>,
    to: S<String>,
    on: S<Datetime>,
    roles: S<Vec<String>>,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
    map: S<BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuthority {
    code: String,
    name_vi: String,
    name_en: String,
    issuer_vi: String,
    issuer_en: String,
    letterhead_vi: Vec<String>,
    heading_vi: String,
    signer_vi: String,
    document: Option<String>,
    symbol: String,
    roles: S<Vec<String>>,
    prepare_roles: S<Vec<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecisionKind {
    code: String,
    name_vi: String,
    name_en: String,
    reasons: S<String>,
    reason_sets: Option<S<Vec<String>>>,
    citation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReasonSet {
    code: String,
    name_vi: String,
    name_en: String,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, rename = "reason")]
    reasons: Vec<S<RawReason>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReason {
    code: String,
    text_vi: String,
    text_en: String,
    citation: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssuing {
    families: S<Vec<String>>,
    kinds: S<Vec<String>>,
    from: S<Datetime>,
    to: Option<S<Datetime>>,
    authority: S<String>,
    citation: String,
    confidence: S<String>,
    #[serde(default)]
    sources: Vec<String>,
    note: Option<String>,
}

// ───────────────────────────── validation ─────────────────────────────

/// Where an item is: file index and byte offset.
type Loc = (usize, usize);

struct Validator<'a> {
    sources: &'a [(&'a str, &'a str)],
    issues: Vec<DataIssue>,
}

fn parse_confidence(s: &str) -> Option<Confidence> {
    Some(match s {
        "HIGH" => Confidence::High,
        "MED" => Confidence::Medium,
        "LOW-MED" | "LOW–MED" => Confidence::LowMedium,
        "LOW" => Confidence::Low,
        "UNVERIFIED" => Confidence::Unverified,
        _ => return None,
    })
}

fn parse_end(s: &str) -> Option<End> {
    End::ALL.into_iter().find(|e| e.as_str() == s)
}

impl Validator<'_> {
    fn push(&mut self, file: usize, line: Option<usize>, message: String) {
        let name = self.sources.get(file).map_or("?", |s| s.0).to_owned();
        self.issues.push(DataIssue {
            file: name,
            line,
            message,
        });
    }

    fn issue(&mut self, (file, at): Loc, message: String) {
        let line = self.sources.get(file).map(|s| line_of(s.1, at));
        self.push(file, line, message);
    }

    fn date(&mut self, file: usize, value: &S<Datetime>, what: &str) -> Option<NaiveDate> {
        let dt = value.get_ref();
        let date = match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
            }
            _ => None,
        };
        if date.is_none() {
            self.issue(
                (file, value.span().start),
                format!("{what} must be a date written YYYY-MM-DD, got {dt}"),
            );
        }
        date
    }

    fn opt_date(
        &mut self,
        file: usize,
        value: Option<&S<Datetime>>,
        what: &str,
    ) -> Option<NaiveDate> {
        value.and_then(|v| self.date(file, v, what))
    }

    fn confidence(&mut self, file: usize, value: &S<String>, what: &str) -> Confidence {
        match parse_confidence(value.get_ref()) {
            Some(c) => c,
            None => {
                self.issue(
                    (file, value.span().start),
                    format!(
                        "{what}: confidence {:?} is not one of HIGH, MED, LOW-MED, LOW, UNVERIFIED",
                        value.get_ref()
                    ),
                );
                Confidence::Unverified
            }
        }
    }

    fn role(&mut self, loc: Loc, name: &str, what: &str) -> Option<Role> {
        match name.parse::<Role>() {
            Ok(r) => Some(r),
            Err(_) => {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                self.issue(
                    loc,
                    format!(
                        "{what}: unknown role {name:?} (known: {})",
                        known.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// A non-empty list of roles that may act (never admin or inspector).
    fn acting_roles(&mut self, file: usize, value: &S<Vec<String>>, what: &str) -> Vec<Role> {
        let loc = (file, value.span().start);
        if value.get_ref().is_empty() {
            self.issue(loc, format!("{what}: at least one role is needed"));
        }
        let mut out = Vec::new();
        for name in value.get_ref() {
            if let Some(r) = self.role(loc, name, what) {
                if matches!(r, Role::Admin | Role::Inspector) {
                    self.issue(
                        loc,
                        format!("{what}: role {r} may not act on dossiers (it changes nothing)"),
                    );
                } else if out.contains(&r) {
                    self.issue(loc, format!("{what}: role {r} is listed twice"));
                } else {
                    out.push(r);
                }
            }
        }
        out
    }

    fn deadline(&mut self, file: usize, value: &S<i64>, what: &str) -> u32 {
        let n = *value.get_ref();
        match u32::try_from(n) {
            Ok(d) if (1..=365).contains(&d) => d,
            _ => {
                self.issue(
                    (file, value.span().start),
                    format!("{what} must be a number of working days from 1 to 365, got {n}"),
                );
                1
            }
        }
    }

    fn not_empty(&mut self, loc: Loc, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.issue(loc, format!("{what} must not be empty"));
        }
    }

    fn catalogue(&mut self, files: &[(usize, RawFile)]) -> Catalogue {
        for (f, raw) in files {
            if *raw.format.get_ref() != FORMAT_VERSION {
                self.issue(
                    (*f, raw.format.span().start),
                    format!(
                        "format {} is not supported (this version reads format {FORMAT_VERSION})",
                        raw.format.get_ref()
                    ),
                );
            }
        }
        macro_rules! all {
            ($field:ident) => {
                files
                    .iter()
                    .flat_map(|(f, raw)| raw.$field.iter().map(move |x| (*f, x)))
                    .collect::<Vec<_>>()
            };
        }

        let conditions = self.conditions(&all!(condition));
        let documents = self.documents(&all!(document));
        let reason_sets = self.reason_sets(&all!(reason_set));
        let decision_kinds = self.decision_kinds(&all!(decision_kind), &reason_sets);
        let authorities = self.authorities(&all!(authority));
        let definitions = self.definitions(&all!(workflow), &authorities);
        let families: BTreeSet<String> = definitions.iter().map(|d| d.family.clone()).collect();
        let application_types =
            self.application_types(&all!(application_type), &documents, &conditions, &families);
        let handovers = self.handovers(&all!(handover), &definitions);
        let issuing = self.issuing(&all!(issuing), &families, &decision_kinds, &authorities);

        let definition_index = definitions
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Catalogue {
            conditions,
            documents,
            application_types,
            definitions,
            handovers,
            authorities,
            decision_kinds,
            reason_sets,
            issuing,
            definition_index,
        }
    }

    fn conditions(&mut self, raw: &[(usize, &S<RawCondition>)]) -> Vec<Condition> {
        let mut out: Vec<Condition> = Vec::new();
        for (f, c) in raw {
            let loc = (*f, c.span().start);
            let c = c.get_ref();
            self.not_empty(loc, &c.key, "condition: key");
            if out.iter().any(|o| o.key == c.key) {
                self.issue(loc, format!("condition {:?} is defined twice", c.key));
                continue;
            }
            out.push(Condition {
                key: c.key.clone(),
                name_vi: c.name_vi.clone(),
                name_en: c.name_en.clone(),
            });
        }
        out
    }

    fn documents(&mut self, raw: &[(usize, &S<RawDocument>)]) -> Vec<DocumentDef> {
        let mut out: Vec<DocumentDef> = Vec::new();
        for (f, d) in raw {
            let loc = (*f, d.span().start);
            let d = d.get_ref();
            self.not_empty(loc, &d.code, "document: code");
            if out.iter().any(|o| o.code == d.code) {
                self.issue(loc, format!("document {:?} is defined twice", d.code));
                continue;
            }
            out.push(DocumentDef {
                code: d.code.clone(),
                name_vi: d.name_vi.clone(),
                name_en: d.name_en.clone(),
            });
        }
        out
    }

    fn application_types(
        &mut self,
        raw: &[(usize, &S<RawApplicationType>)],
        documents: &[DocumentDef],
        conditions: &[Condition],
        families: &BTreeSet<String>,
    ) -> Vec<ApplicationType> {
        let mut out: Vec<ApplicationType> = Vec::new();
        for (f, t) in raw {
            let f = *f;
            let loc = (f, t.span().start);
            let t = t.get_ref();
            let what = format!("application type {:?}", t.code);
            self.not_empty(loc, &t.code, "application type: code");
            if out.iter().any(|o| o.code == t.code) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            let benefit = Benefit::ALL
                .into_iter()
                .find(|b| b.as_str() == t.benefit.get_ref())
                .unwrap_or_else(|| {
                    let known: Vec<&str> = Benefit::ALL.iter().map(|b| b.as_str()).collect();
                    self.issue(
                        (f, t.benefit.span().start),
                        format!(
                            "{what}: unknown benefit {:?} (known: {})",
                            t.benefit.get_ref(),
                            known.join(", ")
                        ),
                    );
                    Benefit::MonthlyAllowance
                });
            if !families.contains(t.family.get_ref()) {
                self.issue(
                    (f, t.family.span().start),
                    format!(
                        "{what}: no workflow definition has family {:?}",
                        t.family.get_ref()
                    ),
                );
            }
            let from = self.opt_date(f, t.from.as_ref(), &format!("{what}: from"));
            let confidence = self.confidence(f, &t.confidence, &what);
            let mut docs: Vec<RequiredDocument> = Vec::new();
            for d in &t.documents {
                let dloc = (f, d.span().start);
                let d = d.get_ref();
                let code = d.code.get_ref();
                let dwhat = format!("{what}, document {code:?}");
                let def = documents.iter().find(|x| &x.code == code);
                if def.is_none() {
                    self.issue(
                        (f, d.code.span().start),
                        format!("{dwhat}: not in the [[document]] list"),
                    );
                }
                let kind = match d.kind.get_ref().as_str() {
                    "attach" => DocumentKind::Attach,
                    "show" => DocumentKind::Show,
                    other => {
                        self.issue(
                            (f, d.kind.span().start),
                            format!("{dwhat}: kind {other:?} is not \"attach\" or \"show\""),
                        );
                        DocumentKind::Attach
                    }
                };
                if let Some(w) = &d.when
                    && !conditions.iter().any(|c| &c.key == w.get_ref())
                {
                    self.issue(
                        (f, w.span().start),
                        format!(
                            "{dwhat}: condition {:?} is not in the [[condition]] list",
                            w.get_ref()
                        ),
                    );
                }
                let dfrom = self.opt_date(f, d.from.as_ref(), &format!("{dwhat}: from"));
                let dto = self.opt_date(f, d.to.as_ref(), &format!("{dwhat}: to"));
                if let (Some(a), Some(b)) = (dfrom, dto)
                    && b < a
                {
                    self.issue(dloc, format!("{dwhat}: to {b} is before from {a}"));
                }
                let overlaps = docs.iter().any(|o| {
                    &o.code == code
                        && o.when.as_deref() == d.when.as_ref().map(|w| w.get_ref().as_str())
                        && o.from.is_none_or(|of| dto.is_none_or(|t| of <= t))
                        && dfrom.is_none_or(|df| o.to.is_none_or(|ot| df <= ot))
                });
                if overlaps {
                    self.issue(
                        dloc,
                        format!("{dwhat}: listed twice for overlapping receipt dates"),
                    );
                }
                let dconf = self.confidence(f, &d.confidence, &dwhat);
                docs.push(RequiredDocument {
                    code: code.clone(),
                    name_vi: def.map(|x| x.name_vi.clone()).unwrap_or_default(),
                    name_en: def.map(|x| x.name_en.clone()).unwrap_or_default(),
                    kind,
                    when: d.when.as_ref().map(|w| w.get_ref().clone()),
                    from: dfrom,
                    to: dto,
                    citation: d.citation.clone(),
                    confidence: dconf,
                    note: d.note.clone(),
                });
            }
            if docs.is_empty() {
                self.issue(
                    loc,
                    format!("{what}: at least one [[application_type.document]] is needed"),
                );
            }
            out.push(ApplicationType {
                code: t.code.clone(),
                form_vi: t.form_vi.clone(),
                name_vi: t.name_vi.clone(),
                name_en: t.name_en.clone(),
                benefit,
                groups: t.groups.clone(),
                family: t.family.get_ref().clone(),
                from,
                citation: t.citation.clone(),
                confidence,
                sources: t.sources.clone(),
                note: t.note.clone(),
                documents: docs,
            });
        }
        out
    }

    fn definitions(
        &mut self,
        raw: &[(usize, &S<RawWorkflow>)],
        authorities: &[Authority],
    ) -> Vec<Definition> {
        let mut out: Vec<Definition> = Vec::new();
        for (f, w) in raw {
            let f = *f;
            let loc = (f, w.span().start);
            let w = w.get_ref();
            let what = format!("workflow {:?}", w.id);
            self.not_empty(loc, &w.id, "workflow: id");
            self.not_empty(loc, &w.family, &format!("{what}: family"));
            if out.iter().any(|o| o.id == w.id) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            let from_ok = self.date(f, &w.valid_from, &format!("{what}: valid_from"));
            let valid_from = from_ok.unwrap_or(NaiveDate::MIN);
            let valid_to = self.opt_date(f, w.valid_to.as_ref(), &format!("{what}: valid_to"));
            if let Some(to) = valid_to
                && from_ok.is_some()
                && to < valid_from
            {
                self.issue(
                    loc,
                    format!("{what}: valid_to {to} is before valid_from {valid_from}"),
                );
            }
            let confidence = self.confidence(f, &w.confidence, &what);
            let total_deadline = w
                .total_deadline
                .as_ref()
                .map(|t| self.deadline(f, t, &format!("{what}: total_deadline")));
            let receive_roles =
                self.acting_roles(f, &w.receive_roles, &format!("{what}: receive_roles"));
            let steps = self.steps(f, loc, &what, &w.steps, authorities);
            let complaint = w
                .complaint
                .as_ref()
                .map(|c| self.complaint(f, &what, c, &steps));
            // Overlap with another definition of the same family.
            for o in out
                .iter()
                .filter(|o| o.family == w.family && from_ok.is_some())
            {
                let a_end = valid_to.unwrap_or(NaiveDate::MAX);
                let b_end = o.valid_to.unwrap_or(NaiveDate::MAX);
                if valid_from <= b_end && o.valid_from <= a_end {
                    self.issue(
                        loc,
                        format!(
                            "{what}: receipt dates overlap those of workflow {:?} of the same family {:?}",
                            o.id, w.family
                        ),
                    );
                }
            }
            out.push(Definition {
                id: w.id.clone(),
                family: w.family.clone(),
                name_vi: w.name_vi.clone(),
                name_en: w.name_en.clone(),
                valid_from,
                valid_to,
                citation: w.citation.clone(),
                confidence,
                sources: w.sources.clone(),
                to_be_confirmed: w.to_be_confirmed,
                total_deadline,
                receive_roles,
                note: w.note.clone(),
                complaint,
                steps,
            });
        }
        out
    }

    fn steps(
        &mut self,
        f: usize,
        wloc: Loc,
        wwhat: &str,
        raw: &[S<RawStep>],
        authorities: &[Authority],
    ) -> Vec<Step> {
        if raw.is_empty() {
            self.issue(
                wloc,
                format!("{wwhat}: at least one [[workflow.step]] is needed"),
            );
        }
        let codes: Vec<&str> = raw.iter().map(|s| s.get_ref().code.as_str()).collect();
        let mut out: Vec<Step> = Vec::new();
        for (i, s) in raw.iter().enumerate() {
            let loc = (f, s.span().start);
            let s = s.get_ref();
            let what = format!("{wwhat}, step {:?}", s.code);
            self.not_empty(loc, &s.code, &format!("{wwhat}: step code"));
            if s.code == "receive" {
                self.issue(
                    loc,
                    format!("{what}: \"receive\" is reserved for the intake"),
                );
            }
            if codes[..i].contains(&s.code.as_str()) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            let kind = StepKind::ALL
                .into_iter()
                .find(|k| k.as_str() == s.kind.get_ref())
                .unwrap_or_else(|| {
                    let known: Vec<&str> = StepKind::ALL.iter().map(|k| k.as_str()).collect();
                    self.issue(
                        (f, s.kind.span().start),
                        format!(
                            "{what}: unknown kind {:?} (known: {})",
                            s.kind.get_ref(),
                            known.join(", ")
                        ),
                    );
                    StepKind::Review
                });
            let roles = self.acting_roles(f, &s.roles, &format!("{what}: roles"));
            if kind == StepKind::Decision && roles.contains(&Role::CommuneOfficer) {
                self.issue(
                    (f, s.roles.span().start),
                    format!(
                        "{what}: a commune officer prepares dossiers and may not record a decision"
                    ),
                );
            }
            let deadline = s
                .deadline
                .as_ref()
                .map(|d| self.deadline(f, d, &format!("{what}: deadline")));
            if s.period && deadline.is_none() {
                self.issue(
                    loc,
                    format!("{what}: a period step needs a deadline (its length)"),
                );
            }
            if s.optional && i + 1 == raw.len() {
                self.issue(loc, format!("{what}: the last step cannot be optional"));
            }
            let independent_of: Vec<String> = match &s.independent_of {
                None => Vec::new(),
                Some(list) => {
                    for c in list.get_ref() {
                        if c != "receive" && !codes[..i].contains(&c.as_str()) {
                            self.issue(
                                (f, list.span().start),
                                format!(
                                    "{what}: independent_of {c:?} is neither \"receive\" nor an earlier step"
                                ),
                            );
                        }
                    }
                    list.get_ref().clone()
                }
            };
            let escalate_to = self
                .role(
                    (f, s.escalate_to.span().start),
                    s.escalate_to.get_ref(),
                    &format!("{what}: escalate_to"),
                )
                .unwrap_or(Role::ProvinceOfficer);
            let authority = s.authority.as_ref().map(|a| a.get_ref().clone());
            match (&s.authority, kind) {
                (None, StepKind::Decision) => {
                    self.issue(loc, format!("{what}: a decision step needs an authority"));
                }
                (Some(a), StepKind::Decision) => {
                    if !authorities.iter().any(|x| &x.code == a.get_ref()) {
                        self.issue(
                            (f, a.span().start),
                            format!(
                                "{what}: authority {:?} is not in the [[authority]] list",
                                a.get_ref()
                            ),
                        );
                    }
                }
                (Some(a), _) => {
                    self.issue(
                        (f, a.span().start),
                        format!("{what}: only decision steps have an authority"),
                    );
                }
                (None, _) => {}
            }
            let confidence = self.confidence(f, &s.confidence, &what);
            let outcomes = self.outcomes(f, loc, &what, kind, i, &codes, &s.outcomes);
            out.push(Step {
                code: s.code.clone(),
                kind,
                name_vi: s.name_vi.clone(),
                name_en: s.name_en.clone(),
                actor_vi: s.actor_vi.clone(),
                actor_en: s.actor_en.clone(),
                roles,
                deadline,
                period: s.period,
                optional: s.optional,
                independent_of,
                escalate_to,
                authority,
                citation: s.citation.clone(),
                confidence,
                sources: s.sources.clone(),
                note: s.note.clone(),
                outcomes,
            });
        }
        // Every step reachable from the first one (outcomes, or skipping an optional step).
        if !out.is_empty() && out.len() == raw.len() {
            let mut seen = vec![false; out.len()];
            let mut queue = VecDeque::from([0usize]);
            while let Some(i) = queue.pop_front() {
                if std::mem::replace(&mut seen[i], true) {
                    continue;
                }
                for o in &out[i].outcomes {
                    if let Transition::Next(n) = &o.transition
                        && let Some(j) = out.iter().position(|s| &s.code == n)
                    {
                        queue.push_back(j);
                    }
                }
                if out[i].optional && i + 1 < out.len() {
                    queue.push_back(i + 1);
                }
            }
            for (i, s) in raw.iter().enumerate() {
                if !seen[i] {
                    self.issue(
                        (f, s.span().start),
                        format!(
                            "{wwhat}, step {:?}: no outcome leads to it",
                            s.get_ref().code
                        ),
                    );
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn outcomes(
        &mut self,
        f: usize,
        sloc: Loc,
        swhat: &str,
        kind: StepKind,
        index: usize,
        codes: &[&str],
        raw: &[S<RawOutcome>],
    ) -> Vec<StepOutcome> {
        if raw.is_empty() {
            self.issue(
                sloc,
                format!("{swhat}: at least one [[workflow.step.outcome]] is needed"),
            );
        }
        let mut out: Vec<StepOutcome> = Vec::new();
        for o in raw {
            let loc = (f, o.span().start);
            let o = o.get_ref();
            let what = format!("{swhat}, outcome {:?}", o.code);
            self.not_empty(loc, &o.code, &format!("{swhat}: outcome code"));
            if out.iter().any(|x| x.code == o.code) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            let transition = match (&o.next, &o.end) {
                (Some(n), None) => {
                    match codes.iter().position(|c| c == n.get_ref()) {
                        Some(j) if j > index => {}
                        Some(_) => self.issue(
                            (f, n.span().start),
                            format!(
                                "{what}: next {:?} must be a later step (steps only go forward)",
                                n.get_ref()
                            ),
                        ),
                        None => self.issue(
                            (f, n.span().start),
                            format!(
                                "{what}: next {:?} is not a step of this workflow",
                                n.get_ref()
                            ),
                        ),
                    }
                    Transition::Next(n.get_ref().clone())
                }
                (None, Some(e)) => {
                    let end = parse_end(e.get_ref()).unwrap_or_else(|| {
                        self.issue(
                            (f, e.span().start),
                            format!(
                                "{what}: end {:?} is not granted, rejected or refused",
                                e.get_ref()
                            ),
                        );
                        End::Refused
                    });
                    let at_decision = kind == StepKind::Decision;
                    if at_decision && end == End::Refused {
                        self.issue(
                            (f, e.span().start),
                            format!(
                                "{what}: a decision step ends with granted or rejected, not refused"
                            ),
                        );
                    }
                    if !at_decision && end != End::Refused {
                        self.issue(
                            (f, e.span().start),
                            format!("{what}: only a decision step can end with {end}; use refused"),
                        );
                    }
                    Transition::End(end)
                }
                _ => {
                    self.issue(
                        loc,
                        format!("{what}: exactly one of next and end is needed"),
                    );
                    Transition::End(End::Refused)
                }
            };
            out.push(StepOutcome {
                code: o.code.clone(),
                name_vi: o.name_vi.clone(),
                name_en: o.name_en.clone(),
                transition,
                reasons: o.reasons,
            });
        }
        if kind == StepKind::Decision
            && !raw.is_empty()
            && !out
                .iter()
                .any(|o| o.transition == Transition::End(End::Granted))
        {
            self.issue(
                sloc,
                format!("{swhat}: a decision step needs an outcome with end = \"granted\""),
            );
        }
        out
    }

    fn complaint(
        &mut self,
        f: usize,
        wwhat: &str,
        raw: &S<RawComplaint>,
        steps: &[Step],
    ) -> ComplaintRule {
        let loc = (f, raw.span().start);
        let c = raw.get_ref();
        let what = format!("{wwhat}, complaint");
        let deadline = self.deadline(f, &c.deadline, &format!("{what}: deadline"));
        for s in c.during.get_ref() {
            if !steps.iter().any(|x| &x.code == s) {
                self.issue(
                    (f, c.during.span().start),
                    format!("{what}: during {s:?} is not a step of this workflow"),
                );
            }
        }
        if c.during.get_ref().is_empty() {
            self.issue(
                (f, c.during.span().start),
                format!("{what}: during must list at least one step"),
            );
        }
        let roles = self.acting_roles(f, &c.roles, &format!("{what}: roles"));
        let confidence = self.confidence(f, &c.confidence, &what);
        let mut outcomes: Vec<ComplaintOutcome> = Vec::new();
        for o in &c.outcomes {
            let oloc = (f, o.span().start);
            let o = o.get_ref();
            if outcomes.iter().any(|x| x.code == o.code) {
                self.issue(
                    oloc,
                    format!("{what}: outcome {:?} is defined twice", o.code),
                );
            }
            let end = o.end.as_ref().map(|e| {
                let end = parse_end(e.get_ref()).unwrap_or(End::Granted);
                if end != End::Refused {
                    self.issue(
                        (f, e.span().start),
                        format!(
                            "{what}, outcome {:?}: a complaint can only end a dossier as refused",
                            o.code
                        ),
                    );
                }
                End::Refused
            });
            outcomes.push(ComplaintOutcome {
                code: o.code.clone(),
                name_vi: o.name_vi.clone(),
                name_en: o.name_en.clone(),
                end,
                reasons: o.reasons,
            });
        }
        if !outcomes.iter().any(|o| o.end.is_none()) {
            self.issue(
                loc,
                format!("{what}: an outcome without end (complaint dismissed) is needed"),
            );
        }
        ComplaintRule {
            name_vi: c.name_vi.clone(),
            name_en: c.name_en.clone(),
            deadline,
            during: c.during.get_ref().clone(),
            roles,
            citation: c.citation.clone(),
            confidence,
            sources: c.sources.clone(),
            note: c.note.clone(),
            outcomes,
        }
    }

    fn handovers(
        &mut self,
        raw: &[(usize, &S<RawHandover>)],
        definitions: &[Definition],
    ) -> Vec<Handover> {
        let mut out: Vec<Handover> = Vec::new();
        for (f, h) in raw {
            let f = *f;
            let loc = (f, h.span().start);
            let h = h.get_ref();
            let what = format!("handover {:?}", h.id);
            self.not_empty(loc, &h.id, "handover: id");
            if out.iter().any(|o| o.id == h.id) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            if out.iter().any(|o| &o.from == h.from.get_ref()) {
                self.issue(
                    (f, h.from.span().start),
                    format!(
                        "{what}: workflow {:?} already has a handover",
                        h.from.get_ref()
                    ),
                );
            }
            let on = self.date(f, &h.on, &format!("{what}: on"));
            let from = definitions.iter().find(|d| &d.id == h.from.get_ref());
            let to = definitions.iter().find(|d| &d.id == h.to.get_ref());
            if from.is_none() {
                self.issue(
                    (f, h.from.span().start),
                    format!("{what}: from {:?} is not a workflow id", h.from.get_ref()),
                );
            }
            if to.is_none() {
                self.issue(
                    (f, h.to.span().start),
                    format!("{what}: to {:?} is not a workflow id", h.to.get_ref()),
                );
            }
            if let (Some(a), Some(b)) = (from, to) {
                if a.id == b.id {
                    self.issue(loc, format!("{what}: from and to are the same workflow"));
                }
                if a.family != b.family {
                    self.issue(
                        loc,
                        format!(
                            "{what}: {:?} and {:?} are of different families",
                            a.id, b.id
                        ),
                    );
                }
                if let Some(on) = on
                    && on <= a.valid_from
                {
                    self.issue(
                        (f, h.on.span().start),
                        format!(
                            "{what}: on {on} must be after {:?} starts ({})",
                            a.id, a.valid_from
                        ),
                    );
                }
                if let Some(on) = on
                    && !b.covers(on)
                {
                    self.issue(
                        (f, h.on.span().start),
                        format!("{what}: {:?} is not valid on {on}", b.id),
                    );
                }
                let mloc = (f, h.map.span().start);
                for s in &a.steps {
                    if !h.map.get_ref().contains_key(&s.code) {
                        self.issue(
                            mloc,
                            format!(
                                "{what}: map has no entry for step {:?} of {:?}",
                                s.code, a.id
                            ),
                        );
                    }
                }
                for (k, v) in h.map.get_ref() {
                    if a.step(k).is_none() {
                        self.issue(
                            mloc,
                            format!("{what}: map key {k:?} is not a step of {:?}", a.id),
                        );
                    }
                    if b.step(v).is_none() {
                        self.issue(
                            mloc,
                            format!("{what}: map value {v:?} is not a step of {:?}", b.id),
                        );
                    }
                }
            }
            let roles = self.acting_roles(f, &h.roles, &format!("{what}: roles"));
            let confidence = self.confidence(f, &h.confidence, &what);
            out.push(Handover {
                id: h.id.clone(),
                from: h.from.get_ref().clone(),
                to: h.to.get_ref().clone(),
                on: on.unwrap_or(NaiveDate::MIN),
                roles,
                citation: h.citation.clone(),
                confidence,
                sources: h.sources.clone(),
                note: h.note.clone(),
                map: h.map.get_ref().clone(),
            });
        }
        out
    }

    fn authorities(&mut self, raw: &[(usize, &S<RawAuthority>)]) -> Vec<Authority> {
        let mut out: Vec<Authority> = Vec::new();
        for (f, a) in raw {
            let f = *f;
            let loc = (f, a.span().start);
            let a = a.get_ref();
            let what = format!("authority {:?}", a.code);
            self.not_empty(loc, &a.code, "authority: code");
            self.not_empty(loc, &a.symbol, &format!("{what}: symbol"));
            if out.iter().any(|o| o.code == a.code) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            let roles = self.acting_roles(f, &a.roles, &format!("{what}: roles"));
            if roles.contains(&Role::CommuneOfficer) {
                self.issue(
                    (f, a.roles.span().start),
                    format!(
                        "{what}: a commune officer prepares decisions and may not approve them"
                    ),
                );
            }
            let prepare_roles =
                self.acting_roles(f, &a.prepare_roles, &format!("{what}: prepare_roles"));
            out.push(Authority {
                code: a.code.clone(),
                name_vi: a.name_vi.clone(),
                name_en: a.name_en.clone(),
                issuer_vi: a.issuer_vi.clone(),
                issuer_en: a.issuer_en.clone(),
                letterhead_vi: a.letterhead_vi.clone(),
                heading_vi: a.heading_vi.clone(),
                signer_vi: a.signer_vi.clone(),
                document: a.document.clone(),
                symbol: a.symbol.clone(),
                roles,
                prepare_roles,
                note: a.note.clone(),
            });
        }
        out
    }

    fn reason_sets(&mut self, raw: &[(usize, &S<RawReasonSet>)]) -> Vec<ReasonSet> {
        let mut out: Vec<ReasonSet> = Vec::new();
        let mut reason_locs: HashMap<String, Loc> = HashMap::new();
        for (f, s) in raw {
            let f = *f;
            let loc = (f, s.span().start);
            let s = s.get_ref();
            let what = format!("reason set {:?}", s.code);
            self.not_empty(loc, &s.code, "reason set: code");
            if out.iter().any(|o| o.code == s.code) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            if s.reasons.is_empty() {
                self.issue(
                    loc,
                    format!("{what}: at least one [[reason_set.reason]] is needed"),
                );
            }
            let mut reasons = Vec::new();
            for r in &s.reasons {
                let rloc = (f, r.span().start);
                let r = r.get_ref();
                self.not_empty(rloc, &r.code, &format!("{what}: reason code"));
                self.not_empty(
                    rloc,
                    &r.text_vi,
                    &format!("{what}, reason {:?}: text_vi", r.code),
                );
                if reason_locs.insert(r.code.clone(), rloc).is_some() {
                    self.issue(rloc, format!("reason {:?} is defined twice", r.code));
                }
                reasons.push(Reason {
                    code: r.code.clone(),
                    text_vi: r.text_vi.clone(),
                    text_en: r.text_en.clone(),
                    citation: r.citation.clone(),
                });
            }
            let confidence = self.confidence(f, &s.confidence, &what);
            out.push(ReasonSet {
                code: s.code.clone(),
                name_vi: s.name_vi.clone(),
                name_en: s.name_en.clone(),
                citation: s.citation.clone(),
                confidence,
                sources: s.sources.clone(),
                reasons,
            });
        }
        out
    }

    fn decision_kinds(
        &mut self,
        raw: &[(usize, &S<RawDecisionKind>)],
        reason_sets: &[ReasonSet],
    ) -> Vec<DecisionKind> {
        let mut out: Vec<DecisionKind> = Vec::new();
        for (f, k) in raw {
            let f = *f;
            let loc = (f, k.span().start);
            let k = k.get_ref();
            let what = format!("decision kind {:?}", k.code);
            self.not_empty(loc, &k.code, "decision kind: code");
            if out.iter().any(|o| o.code == k.code) {
                self.issue(loc, format!("{what} is defined twice"));
            }
            let reasons = match k.reasons.get_ref().as_str() {
                "none" => ReasonPolicy::None,
                "text" => ReasonPolicy::Text,
                "coded" => ReasonPolicy::Coded,
                other => {
                    self.issue(
                        (f, k.reasons.span().start),
                        format!("{what}: reasons {other:?} is not \"none\", \"text\" or \"coded\""),
                    );
                    ReasonPolicy::None
                }
            };
            let sets = k
                .reason_sets
                .as_ref()
                .map(|s| s.get_ref().clone())
                .unwrap_or_default();
            let sloc = k.reason_sets.as_ref().map_or(loc, |s| (f, s.span().start));
            match reasons {
                ReasonPolicy::Coded if sets.is_empty() => {
                    self.issue(sloc, format!("{what}: coded reasons need reason_sets"));
                }
                ReasonPolicy::Coded => {}
                _ if !sets.is_empty() => {
                    self.issue(
                        sloc,
                        format!("{what}: reason_sets are only for reasons = \"coded\""),
                    );
                }
                _ => {}
            }
            for s in &sets {
                if !reason_sets.iter().any(|x| &x.code == s) {
                    self.issue(sloc, format!("{what}: reason set {s:?} is not defined"));
                }
            }
            out.push(DecisionKind {
                code: k.code.clone(),
                name_vi: k.name_vi.clone(),
                name_en: k.name_en.clone(),
                reasons,
                reason_sets: sets,
                citation: k.citation.clone(),
            });
        }
        out
    }

    fn issuing(
        &mut self,
        raw: &[(usize, &S<RawIssuing>)],
        families: &BTreeSet<String>,
        kinds: &[DecisionKind],
        authorities: &[Authority],
    ) -> Vec<Issuing> {
        let mut out: Vec<Issuing> = Vec::new();
        for (f, i) in raw {
            let f = *f;
            let loc = (f, i.span().start);
            let i = i.get_ref();
            let what = "issuing";
            for fam in i.families.get_ref() {
                if !families.contains(fam) {
                    self.issue(
                        (f, i.families.span().start),
                        format!("{what}: no workflow definition has family {fam:?}"),
                    );
                }
            }
            for k in i.kinds.get_ref() {
                if !kinds.iter().any(|x| &x.code == k) {
                    self.issue(
                        (f, i.kinds.span().start),
                        format!("{what}: decision kind {k:?} is not defined"),
                    );
                }
            }
            if i.families.get_ref().is_empty() || i.kinds.get_ref().is_empty() {
                self.issue(loc, format!("{what}: families and kinds must not be empty"));
            }
            if !authorities.iter().any(|a| &a.code == i.authority.get_ref()) {
                self.issue(
                    (f, i.authority.span().start),
                    format!(
                        "{what}: authority {:?} is not defined",
                        i.authority.get_ref()
                    ),
                );
            }
            let from_ok = self.date(f, &i.from, "issuing: from");
            let from = from_ok.unwrap_or(NaiveDate::MIN);
            let to = self.opt_date(f, i.to.as_ref(), "issuing: to");
            if let Some(t) = to
                && from_ok.is_some()
                && t < from
            {
                self.issue(loc, format!("{what}: to {t} is before from {from}"));
            }
            for o in &out {
                let overlap_dates = from <= o.to.unwrap_or(NaiveDate::MAX)
                    && o.from <= to.unwrap_or(NaiveDate::MAX);
                if !overlap_dates {
                    continue;
                }
                for fam in i.families.get_ref() {
                    for k in i.kinds.get_ref() {
                        if o.families.contains(fam) && o.kinds.contains(k) {
                            self.issue(
                                loc,
                                format!(
                                    "{what}: {k:?} decisions of family {fam:?} already have an authority from {} (overlapping dates)",
                                    o.from
                                ),
                            );
                        }
                    }
                }
            }
            let confidence = self.confidence(f, &i.confidence, what);
            out.push(Issuing {
                families: i.families.get_ref().clone(),
                kinds: i.kinds.get_ref().clone(),
                from,
                to,
                authority: i.authority.get_ref().clone(),
                citation: i.citation.clone(),
                confidence,
                sources: i.sources.clone(),
                note: i.note.clone(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_labels() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(parse_confidence("LOW–MED"), Some(Confidence::LowMedium));
        assert_eq!(parse_confidence("LOW-MED"), Some(Confidence::LowMedium));
        assert_eq!(parse_confidence("high"), None);
        assert_eq!(parse_end("refused"), Some(End::Refused));
        assert_eq!(parse_end("granted "), None);
    }

    #[test]
    fn issues_display_file_and_line() {
        let e = DataError {
            issues: vec![
                DataIssue {
                    file: "regular.toml".into(),
                    line: Some(12),
                    message: "bad".into(),
                },
                DataIssue {
                    file: "x.toml".into(),
                    line: None,
                    message: "worse".into(),
                },
            ],
        };
        assert_eq!(
            e.to_string(),
            "workflow data has 2 problems:\n  - regular.toml:12: bad\n  - x.toml: worse"
        );
    }
}
