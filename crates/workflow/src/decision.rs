//! Decisions outside the intake flow (adjust, suspend, resume, terminate, move…) and the decision
//! number: who issues a decision of a kind at a date is data ([[issuing]]), not code.

use crate::catalogue::*;
use crate::dossier::Actor;
use crate::error::WorkflowError;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::fmt;

/// A decision number (số quyết định) per NĐ 30/2020: `125/QĐ-UBND`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DecisionNumber {
    /// Sequence within the issuing body and calendar year (kept by the caller).
    pub seq: u32,
    /// Document type, e.g. `QĐ`; none for letters (`12/LĐTBXH`).
    pub document: Option<String>,
    /// Issuer abbreviation, e.g. `UBND`.
    pub symbol: String,
}

impl fmt::Display for DecisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.document {
            Some(doc) => write!(f, "{}/{doc}-{}", self.seq, self.symbol),
            None => write!(f, "{}/{}", self.seq, self.symbol),
        }
    }
}

/// The key a caller keeps decision sequences under: issuing unit and calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NumberingKey {
    pub issuer_unit: String,
    pub year: i32,
}

impl NumberingKey {
    pub fn new(issuer_unit: &str, date: NaiveDate) -> NumberingKey {
        NumberingKey {
            issuer_unit: issuer_unit.to_owned(),
            year: date.year(),
        }
    }
}

impl Authority {
    /// The number of the `seq`-th decision of this authority in its year.
    pub fn number(&self, seq: u32) -> DecisionNumber {
        DecisionNumber {
            seq,
            document: self.document.clone(),
            symbol: self.symbol.clone(),
        }
    }

    /// The same with the issuer's own abbreviation (e.g. a facility's).
    pub fn number_with_symbol(&self, seq: u32, symbol: &str) -> DecisionNumber {
        DecisionNumber {
            seq,
            document: self.document.clone(),
            symbol: symbol.to_owned(),
        }
    }
}

/// A decision prepared by someone, to be approved by someone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRequest {
    /// Decision kind code (`grant`, `suspend`, `terminate`…).
    pub kind: String,
    /// Workflow family of the benefit (`regular`, `funeral`, `facility`, `social_pension`).
    pub family: String,
    /// Decision date.
    pub date: NaiveDate,
    /// Reason codes (kinds with coded reasons, e.g. `suspend.a`).
    pub reason_codes: Vec<String>,
    /// Free-text reasons.
    pub reasons: Vec<String>,
    pub prepared_by: Actor,
}

/// A decision that passed every check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedDecision<'c> {
    pub kind: &'c DecisionKind,
    pub authority: &'c Authority,
    pub issuing: &'c Issuing,
    pub reasons: Vec<&'c Reason>,
    pub reason_text: Vec<String>,
    pub date: NaiveDate,
    pub prepared_by: Actor,
    pub decided_by: Actor,
}

impl CheckedDecision<'_> {
    pub fn number(&self, seq: u32) -> DecisionNumber {
        self.authority.number(seq)
    }
}

impl Catalogue {
    /// Who issues `kind` decisions for `family` on `date`.
    pub fn issuing_authority(
        &self,
        kind: &str,
        family: &str,
        date: NaiveDate,
    ) -> Result<(&Authority, &Issuing), WorkflowError> {
        if self.decision_kind(kind).is_none() {
            return Err(WorkflowError::UnknownDecisionKind {
                code: kind.to_owned(),
            });
        }
        let no = || WorkflowError::NoAuthority {
            kind: kind.to_owned(),
            family: family.to_owned(),
            date,
        };
        let issuing = self
            .issuing
            .iter()
            .find(|i| {
                i.covers(date)
                    && i.kinds.iter().any(|k| k == kind)
                    && i.families.iter().any(|f| f == family)
            })
            .ok_or_else(no)?;
        let authority = self.authority(&issuing.authority).ok_or_else(no)?;
        Ok((authority, issuing))
    }

    /// Checks a decision: the kind exists, an authority issues it at the date, the preparer and
    /// the approver have roles of that authority, they are different users (maker-checker), and
    /// the reasons fit the kind (coded reasons from its sets, e.g. TT 02/2021 Art. 2).
    pub fn check_decision<'c>(
        &'c self,
        request: &DecisionRequest,
        decided_by: &Actor,
    ) -> Result<CheckedDecision<'c>, WorkflowError> {
        let kind = self.decision_kind(&request.kind).ok_or_else(|| {
            WorkflowError::UnknownDecisionKind {
                code: request.kind.clone(),
            }
        })?;
        let (authority, issuing) =
            self.issuing_authority(&kind.code, &request.family, request.date)?;
        if !authority.prepare_roles.contains(&request.prepared_by.role) {
            return Err(WorkflowError::RoleNotAllowed {
                role: request.prepared_by.role,
                what: format!("prepare {}", kind.code),
                allowed: authority.prepare_roles.clone(),
            });
        }
        if !authority.roles.contains(&decided_by.role) {
            return Err(WorkflowError::RoleNotAllowed {
                role: decided_by.role,
                what: format!("approve {}", kind.code),
                allowed: authority.roles.clone(),
            });
        }
        if decided_by.user == request.prepared_by.user {
            return Err(WorkflowError::MakerCannotCheck {
                user: decided_by.user,
                step: format!("approve {}", kind.code),
                earlier: format!("prepare {}", kind.code),
            });
        }
        let reason_text: Vec<String> = request
            .reasons
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        let mut reasons = Vec::new();
        for code in &request.reason_codes {
            let found = kind
                .reason_sets
                .iter()
                .filter_map(|s| self.reason_set(s))
                .flat_map(|s| &s.reasons)
                .find(|r| &r.code == code);
            match found {
                Some(r) => reasons.push(r),
                None => {
                    return Err(WorkflowError::UnknownReason {
                        code: code.clone(),
                        kind: kind.code.clone(),
                    });
                }
            }
        }
        let missing = match kind.reasons {
            ReasonPolicy::None => false,
            ReasonPolicy::Text => reason_text.is_empty(),
            ReasonPolicy::Coded => reasons.is_empty(),
        };
        if missing {
            return Err(WorkflowError::ReasonsRequired {
                what: kind.code.clone(),
            });
        }
        Ok(CheckedDecision {
            kind,
            authority,
            issuing,
            reasons,
            reason_text,
            date: request.date,
            prepared_by: request.prepared_by,
            decided_by: *decided_by,
        })
    }
}
