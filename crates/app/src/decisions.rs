//! Decisions (quyết định): the grant or rejection at the end of a dossier, and the decisions
//! on an entitlement (adjust, suspend, resume, terminate, move, funeral support), prepared by
//! an officer and approved by the competent person — never the same user. Each decision is
//! numbered per issuing unit and year and creates, changes or closes entitlements; amounts
//! come from the policy engine.

use chrono::{Datelike, NaiveDate};
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};

use ansinh_domain::access::Permission;
use ansinh_domain::ids::{DecisionId, EntitlementId, PersonId, UnitId};
use ansinh_domain::unit::UnitLevel;
use ansinh_domain::{Money, Month};
use ansinh_policy::Report;
use ansinh_store::audit;
use ansinh_store::benefits::{
    self as repo, DecisionRow, DecisionWrite, DraftRow, DraftWrite, EntitlementRow,
    EntitlementWrite, OneOffWrite,
};
use ansinh_store::dossiers::{DossierRow, next_counter};
use ansinh_store::registry as people;
use ansinh_store::scope::Scope;
use ansinh_workflow::{Closure, DecisionRequest, Dossier, End};

use crate::App;
use crate::context::Ctx;
use crate::dossiers::{workflow_error, workflows};
use crate::error::{AppError, AppResult};

/// The policy-engine section a benefit is decided under.
pub fn decision_key(benefit: &str) -> Option<&'static str> {
    match benefit {
        "monthly_allowance" => Some("allowance"),
        "caregiving_support" => Some("caregiving"),
        "social_pension" => Some("social_pension"),
        "facility_care" => Some("facility"),
        _ => None,
    }
}

/// What a decision says, as printed (articles, amounts and their basis).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DecisionBody {
    pub person_name: String,
    pub birth: String,
    pub sex: String,
    pub hamlet: String,
    pub commune: String,
    pub issuer: String,
    pub authority_name: String,
    /// The printed issuer block, authority line and signer title, fixed when signed.
    #[serde(default)]
    pub letterhead: Vec<String>,
    #[serde(default)]
    pub heading: String,
    #[serde(default)]
    pub signer: String,
    pub kind_name: String,
    pub family: String,
    pub group: Option<String>,
    pub group_name: Option<String>,
    pub monthly_amount: Option<i64>,
    pub one_off_amount: Option<i64>,
    /// The explanation sentences of the amounts (policy version, coefficient, base, citation).
    pub sentences: Vec<String>,
    pub citations: Vec<String>,
    pub from_month: String,
    pub reasons: Vec<String>,
    pub dossier_code: Option<String>,
}

/// The unit a decision is numbered under: the commune, or its district for district
/// authorities (three-tier era), at the decision date.
fn issuing_unit(app: &App, commune: UnitId, authority: &str, date: NaiveDate) -> UnitId {
    let graph = app.graph();
    let image = graph.at(commune, date);
    if authority.starts_with("district")
        && let Some(parent) = graph.get(image).and_then(|u| u.parent).filter(|p| {
            graph
                .get(*p)
                .is_some_and(|u| u.level == UnitLevel::District)
        })
    {
        return parent;
    }
    image
}

/// The amounts of a report as a decision prints them.
struct Explained {
    monthly: Option<i64>,
    sentences: Vec<String>,
    citations: Vec<String>,
    group: Option<String>,
    group_name: Option<String>,
}

fn report_lines(report: &Report) -> Explained {
    let mut sentences = Vec::new();
    let mut citations = Vec::new();
    let mut group = None;
    let mut group_name = None;
    if let Some(a) = &report.monthly_allowance {
        for l in &a.lines {
            sentences.push(l.sentence.clone());
            citations.push(l.citation_text.clone());
            group = group.or(l.group.clone());
            group_name = group_name.or(l.group_name.clone());
        }
    }
    if let Some(sp) = &report.social_pension
        && sp.paid
    {
        sentences.push(sp.explanation.sentence.clone());
        citations.push(sp.explanation.citation_text.clone());
    }
    if let Some(f) = &report.facility_allowance {
        sentences.push(f.sentence.clone());
        citations.push(f.citation_text.clone());
    }
    for c in &report.caregiving {
        sentences.push(c.sentence.clone());
        citations.push(c.citation_text.clone());
    }
    Explained {
        monthly: (report.monthly_total.as_i64() > 0).then_some(report.monthly_total.as_i64()),
        sentences,
        citations,
        group,
        group_name,
    }
}

impl App {
    /// Records the decision that closed a dossier (inside the action's transaction).
    pub(crate) async fn decide_dossier(
        &self,
        txn: &impl ConnectionTrait,
        ctx: &Ctx,
        row: &DossierRow,
        state: &Dossier,
        closure: &Closure,
    ) -> AppResult<DecisionId> {
        let d = &row.data;
        let date = closure.date;
        let month = Month::of(date);
        let funeral = d.family == "funeral";
        let kind = match (closure.end, funeral) {
            (End::Granted, true) => "funeral_support",
            (End::Granted, false) => "grant",
            _ => "reject",
        };
        let wf = workflows()?;
        let (authority, _) = wf
            .issuing_authority(kind, &d.family, date)
            .map_err(workflow_error)?;
        let person = people::get_person(txn, d.person_id, &Scope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        // The proposal, decided this month.
        let mut situation: serde_json::Value = serde_json::from_str(&d.proposal_json)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if let (Some(key), End::Granted) = (decision_key(&d.benefit), closure.end) {
            situation["decisions"][key] = month.to_string().into();
        }
        let report = self
            .evaluate_document(&situation.to_string(), Some(month), Some(ctx.actor.lang))
            .ok();
        let issuer = issuing_unit(self, d.unit_id, &authority.code, date);
        let seq = next_counter(txn, &format!("decision:{}:{}", issuer.0, date.year())).await?;
        let number = authority.number(seq as u32).to_string();
        let graph = self.graph();
        let issuer_name = graph
            .get(issuer)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let mut body = DecisionBody {
            person_name: person.data.full_name.clone(),
            birth: person.data.birth.display_vi(),
            sex: person.data.sex.as_str().into(),
            hamlet: person.data.hamlet.clone(),
            commune: graph.full_name(graph.at(d.unit_id, date)),
            issuer: issuer_name.clone(),
            letterhead: authority.letterhead(&issuer_name),
            heading: authority.heading(&issuer_name),
            signer: authority.signer_vi.clone(),
            authority_name: authority.issuer_vi.clone(),
            kind_name: wf
                .decision_kind(kind)
                .map(|k| k.name_vi.clone())
                .unwrap_or_default(),
            family: d.family.clone(),
            from_month: month.display_vi(),
            reasons: closure.reasons.clone(),
            dossier_code: Some(d.code.clone()),
            ..Default::default()
        };
        let mut one_off = None;
        if let Some(r) = &report {
            let x = report_lines(r);
            body.monthly_amount = x.monthly;
            body.sentences = x.sentences;
            body.citations = x.citations;
            body.group = x.group;
            body.group_name = x.group_name;
            if funeral
                && let Some(f) = r
                    .one_offs
                    .iter()
                    .find(|o| o.kind == ansinh_policy::Section::Funeral)
            {
                body.one_off_amount = Some(f.amount.as_i64());
                body.sentences.push(f.sentence.clone());
                body.citations.push(f.citation_text.clone());
                one_off = Some((f.amount, f.citation_text.clone()));
            }
        }
        let decision = DecisionWrite {
            province_code: d.province_code.clone(),
            issuing_unit_id: issuer,
            year: date.year(),
            seq,
            number,
            authority: authority.code.clone(),
            kind: kind.into(),
            benefit: d.benefit.clone(),
            dossier_id: Some(row.id),
            person_id: d.person_id,
            signed_on: date,
            effective_month: month.as_yyyymm(),
            prepared_by: state.received_by(),
            approved_by: ctx.actor.user_id,
            reason_codes: "[]".into(),
            reasons: serde_json::to_string(&closure.reasons).unwrap_or_default(),
            body_json: serde_json::to_string(&body).unwrap_or_default(),
        };
        let id = repo::insert_decision(txn, &decision, ctx.now).await?;
        let mut entry = self.entry(
            ctx,
            d.province_code.clone(),
            &format!("decision.{kind}"),
            "decision",
            id,
        );
        entry.after = Some(serde_json::to_value(&decision).unwrap_or_default());
        audit::append(txn, entry).await?;
        if closure.end == End::Granted {
            if decision_key(&d.benefit).is_some() {
                let e = EntitlementWrite {
                    province_code: d.province_code.clone(),
                    person_id: d.person_id,
                    unit_id: d.unit_id,
                    benefit: d.benefit.clone(),
                    status: "active".into(),
                    channel: person.data.payment_channel.as_str().into(),
                    account: person.data.bank_account.clone(),
                    payees_json: "[]".into(),
                    since_month: None,
                    until_month: None,
                    situation_json: situation.to_string(),
                    decision_id: Some(id),
                };
                let eid = repo::insert_entitlement(txn, &e, ctx.now).await?;
                let mut entry = self.entry(
                    ctx,
                    d.province_code.clone(),
                    "entitlement.create",
                    "entitlement",
                    eid,
                );
                entry.after = Some(
                    serde_json::json!({"decision": id.0, "benefit": d.benefit, "from": month.to_string()}),
                );
                audit::append(txn, entry).await?;
            } else if let Some((amount, citation)) = one_off {
                self.record_funeral(
                    txn,
                    ctx,
                    d.person_id,
                    d.unit_id,
                    &d.province_code,
                    amount,
                    &citation,
                    &person,
                    month,
                    id,
                )
                .await?;
            }
        }
        Ok(id)
    }

    /// A funeral payment hangs on the deceased's entitlement (a closed one is made when they
    /// had none, e.g. an 80-year-old on a survivor benefit).
    #[allow(clippy::too_many_arguments)]
    async fn record_funeral(
        &self,
        txn: &impl ConnectionTrait,
        ctx: &Ctx,
        person_id: PersonId,
        unit: UnitId,
        province: &str,
        amount: Money,
        citation: &str,
        person: &ansinh_domain::registry::Person,
        month: Month,
        decision: DecisionId,
    ) -> AppResult<()> {
        let existing = repo::entitlements_of_person(txn, person_id).await?;
        let entitlement = match existing.last() {
            Some(e) => e.id,
            None => {
                repo::insert_entitlement(
                    txn,
                    &EntitlementWrite {
                        province_code: province.into(),
                        person_id,
                        unit_id: unit,
                        benefit: "funeral_support".into(),
                        status: "terminated".into(),
                        channel: person.data.payment_channel.as_str().into(),
                        account: person.data.bank_account.clone(),
                        payees_json: "[]".into(),
                        since_month: None,
                        until_month: None,
                        situation_json: "{}".into(),
                        decision_id: Some(decision),
                    },
                    ctx.now,
                )
                .await?
            }
        };
        let for_month = person.data.death_date.map(Month::of).unwrap_or(month);
        let id = repo::insert_one_off(
            txn,
            &OneOffWrite {
                province_code: province.into(),
                entitlement_id: entitlement,
                person_id,
                unit_id: unit,
                kind: "funeral".into(),
                for_month: for_month.as_yyyymm(),
                decided_month: month.as_yyyymm(),
                amount: amount.as_i64(),
                payee: "organiser".into(),
                channel: "cash".into(),
                account: None,
                citation: citation.into(),
                decision_id: Some(decision),
            },
        )
        .await?;
        let mut entry = self.entry(ctx, province.into(), "one_off.create", "one_off", id);
        entry.after = Some(
            serde_json::json!({"kind": "funeral", "amount": amount.as_i64(), "decision": decision.0}),
        );
        audit::append(txn, entry).await?;
        Ok(())
    }

    pub async fn decision(
        &self,
        ctx: &Ctx,
        id: DecisionId,
    ) -> AppResult<(DecisionRow, DecisionBody)> {
        self.require(ctx, Permission::RegistryRead)?;
        let row = repo::get_decision(self.db.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        // Visible to whoever sees the person.
        people::get_person(self.db.conn(), row.data.person_id, &self.scope(ctx))
            .await?
            .ok_or(AppError::NotFound)?;
        let body: DecisionBody = serde_json::from_str(&row.data.body_json).unwrap_or_default();
        Ok((row, body))
    }

    pub async fn person_benefits(
        &self,
        ctx: &Ctx,
        person: PersonId,
    ) -> AppResult<(Vec<EntitlementRow>, Vec<DecisionRow>)> {
        self.require(ctx, Permission::RegistryRead)?;
        people::get_person(self.db.conn(), person, &self.scope(ctx))
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((
            repo::entitlements_of_person(self.db.conn(), person).await?,
            repo::decisions_of_person(self.db.conn(), person).await?,
        ))
    }

    /// Prepares a decision on an entitlement; someone else approves it.
    pub async fn prepare_decision(&self, ctx: &Ctx, input: &DraftInput) -> AppResult<i64> {
        self.require(ctx, Permission::PrepareDossier)
            .or_else(|_| self.require(ctx, Permission::AppraiseDossier))?;
        let scope = self.scope(ctx);
        let entitlement_id = EntitlementId(
            input
                .entitlement_id
                .trim()
                .parse()
                .map_err(|_| AppError::field("entitlement_id", "required"))?,
        );
        let e = repo::get_entitlement(self.db.conn(), entitlement_id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let kind = input.kind.trim();
        let wf = workflows()?;
        if wf.decision_kind(kind).is_none() || matches!(kind, "grant" | "reject") {
            return Err(AppError::field("kind", "invalid-choice"));
        }
        let effective: Month = input
            .effective_month
            .trim()
            .parse()
            .map_err(|_| AppError::field("effective_month", "date-format"))?;
        let family = if e.data.benefit == "social_pension" {
            "social_pension"
        } else {
            "regular"
        };
        let family = if kind == "funeral_support" && family == "regular" {
            "funeral"
        } else {
            family
        };
        let reason_codes: Vec<String> = input
            .reason_codes
            .iter()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let reasons: Vec<String> = input
            .reasons
            .lines()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        // Check what can be checked before approval: kind, authority, reasons.
        let probe = DecisionRequest {
            kind: kind.into(),
            family: family.into(),
            date: ctx.today(),
            reason_codes: reason_codes.clone(),
            reasons: reasons.clone(),
            prepared_by: ansinh_workflow::Actor {
                role: ctx.actor.role,
                user: ctx.actor.user_id,
            },
        };
        let (authority, _) = wf
            .issuing_authority(kind, family, ctx.today())
            .map_err(workflow_error)?;
        if !authority.prepare_roles.contains(&ctx.actor.role) {
            return Err(AppError::Forbidden);
        }
        let payload = match kind {
            "move_within" => {
                let unit: i64 = input
                    .new_unit_id
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("new_unit_id", "unknown-unit"))?;
                let graph = self.graph();
                if !graph
                    .get(UnitId(unit))
                    .is_some_and(|u| u.level == UnitLevel::Commune && u.valid_at(ctx.today()))
                {
                    return Err(AppError::field("new_unit_id", "unknown-unit"));
                }
                serde_json::json!({ "new_unit_id": unit })
            }
            "adjust" => {
                let patch: serde_json::Value =
                    serde_json::from_str(input.situation_patch.trim())
                        .map_err(|_| AppError::field("situation_patch", "invalid-choice"))?;
                serde_json::json!({ "situation_patch": patch })
            }
            _ => serde_json::json!({}),
        };
        let _ = probe;
        let draft = DraftWrite {
            province_code: e.data.province_code.clone(),
            kind: kind.into(),
            benefit: e.data.benefit.clone(),
            family: family.into(),
            person_id: e.data.person_id,
            entitlement_id: Some(e.id),
            unit_id: e.data.unit_id,
            effective_month: effective.as_yyyymm(),
            reason_codes: serde_json::to_string(&reason_codes).unwrap_or_default(),
            reasons: serde_json::to_string(&reasons).unwrap_or_default(),
            payload_json: payload.to_string(),
            prepared_by: ctx.actor.user_id,
        };
        let txn = self.db.begin().await?;
        let id = repo::insert_draft(&txn, &draft, ctx.now).await?;
        let mut entry = self.entry(
            ctx,
            e.data.province_code.clone(),
            "decision.prepare",
            "decision_draft",
            id,
        );
        entry.after = Some(serde_json::to_value(&draft).unwrap_or_default());
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Drafts waiting for the caller's approval in their area.
    pub async fn pending_decisions(&self, ctx: &Ctx) -> AppResult<Vec<DraftRow>> {
        self.require(ctx, Permission::RegistryRead)?;
        Ok(match self.scope(ctx) {
            Scope::All => repo::pending_drafts(self.db.conn(), None).await?,
            Scope::Units(units) => repo::pending_drafts(self.db.conn(), Some(&units)).await?,
        })
    }

    /// Approves a draft: checks it again (authority at today's date, role, maker-checker,
    /// reasons), numbers the decision and changes the entitlement.
    pub async fn approve_decision(&self, ctx: &Ctx, draft_id: i64) -> AppResult<DecisionId> {
        let draft = repo::get_draft(self.db.conn(), draft_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.scope(ctx).includes(draft.data.unit_id) {
            return Err(AppError::NotFound);
        }
        if draft.status != "pending" {
            return Err(AppError::Stale);
        }
        let wf = workflows()?;
        let prepared_by = ansinh_store::accounts::get_user(self.db.conn(), draft.data.prepared_by)
            .await?
            .ok_or(AppError::NotFound)?;
        let today = ctx.today();
        let request = DecisionRequest {
            kind: draft.data.kind.clone(),
            family: draft.data.family.clone(),
            date: today,
            reason_codes: serde_json::from_str(&draft.data.reason_codes).unwrap_or_default(),
            reasons: serde_json::from_str(&draft.data.reasons).unwrap_or_default(),
            prepared_by: ansinh_workflow::Actor {
                role: prepared_by.role,
                user: prepared_by.id,
            },
        };
        let checked = wf
            .check_decision(
                &request,
                &ansinh_workflow::Actor {
                    role: ctx.actor.role,
                    user: ctx.actor.user_id,
                },
            )
            .map_err(workflow_error)?;
        let scope = self.scope(ctx);
        let entitlement_id = draft.data.entitlement_id.ok_or(AppError::NotFound)?;
        let e = repo::get_entitlement(self.db.conn(), entitlement_id, &scope)
            .await?
            .ok_or(AppError::NotFound)?;
        let person = people::get_person(self.db.conn(), draft.data.person_id, &Scope::All)
            .await?
            .ok_or(AppError::NotFound)?;
        let effective = Month::from_yyyymm(draft.data.effective_month)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let issuer = issuing_unit(self, e.data.unit_id, &checked.authority.code, today);
        let graph = self.graph();
        let issuer_name = graph
            .get(issuer)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let mut reasons: Vec<String> = checked
            .reasons
            .iter()
            .map(|r| format!("{} ({})", r.text_vi, r.citation))
            .collect();
        reasons.extend(checked.reason_text.clone());
        let payload: serde_json::Value =
            serde_json::from_str(&draft.data.payload_json).unwrap_or_default();

        let txn = self.db.begin().await?;
        let seq = next_counter(&txn, &format!("decision:{}:{}", issuer.0, today.year())).await?;
        let number = checked.number(seq as u32).to_string();
        let mut body = DecisionBody {
            person_name: person.data.full_name.clone(),
            birth: person.data.birth.display_vi(),
            sex: person.data.sex.as_str().into(),
            hamlet: person.data.hamlet.clone(),
            commune: graph.full_name(graph.at(e.data.unit_id, today)),
            letterhead: checked.authority.letterhead(&issuer_name),
            heading: checked.authority.heading(&issuer_name),
            signer: checked.authority.signer_vi.clone(),
            issuer: issuer_name,
            authority_name: checked.authority.issuer_vi.clone(),
            kind_name: checked.kind.name_vi.clone(),
            family: draft.data.family.clone(),
            from_month: effective.display_vi(),
            reasons: reasons.clone(),
            ..Default::default()
        };
        // The entitlement change each kind makes.
        let mut updated = e.data.clone();
        let mut new_entitlement: Option<EntitlementWrite> = None;
        let mut funeral: Option<(Money, String)> = None;
        match draft.data.kind.as_str() {
            "suspend" => updated.status = "suspended".into(),
            "resume" => updated.status = "active".into(),
            "terminate" | "move_between" => {
                updated.status = "terminated".into();
                updated.until_month = Some(effective.prev().as_yyyymm());
            }
            "move_within" | "adjust" => {
                updated.status = "terminated".into();
                updated.until_month = Some(effective.prev().as_yyyymm());
                let mut next = e.data.clone();
                next.status = "active".into();
                next.since_month = Some(effective.as_yyyymm());
                next.until_month = None;
                if let Some(unit) = payload["new_unit_id"].as_i64() {
                    next.unit_id = UnitId(unit);
                }
                if let Some(patch) = payload.get("situation_patch") {
                    let mut situation: serde_json::Value =
                        serde_json::from_str(&e.data.situation_json).unwrap_or_default();
                    merge(&mut situation, patch);
                    // The adjusted facts must still read.
                    self.evaluate_document(&situation.to_string(), Some(effective), None)
                        .map_err(|problems| {
                            AppError::Invalid(
                                problems
                                    .into_iter()
                                    .map(|p| ansinh_domain::registry::FieldError {
                                        field: "situation_patch",
                                        code: "proposal-problem",
                                        detail: Some(format!(
                                            "{} {}: {}",
                                            p.code, p.path, p.message
                                        )),
                                    })
                                    .collect(),
                            )
                        })?;
                    next.situation_json = situation.to_string();
                }
                new_entitlement = Some(next);
            }
            "funeral_support" => {
                let mut situation: serde_json::Value =
                    serde_json::from_str(&e.data.situation_json).unwrap_or_default();
                if situation["person"]["death_date"].is_null() {
                    if let Some(death) = person.data.death_date {
                        situation["person"]["death_date"] = death.to_string().into();
                    } else {
                        return Err(AppError::Rule("death-date-required"));
                    }
                }
                let death_month = person.data.death_date.map(Month::of).unwrap_or(effective);
                let report = self
                    .evaluate_document(
                        &situation.to_string(),
                        Some(death_month),
                        Some(ctx.actor.lang),
                    )
                    .map_err(|_| AppError::Rule("no-funeral-support"))?;
                let f = report
                    .one_offs
                    .iter()
                    .find(|o| o.kind == ansinh_policy::Section::Funeral)
                    .ok_or(AppError::Rule("no-funeral-support"))?;
                funeral = Some((f.amount, f.citation_text.clone()));
                body.one_off_amount = Some(f.amount.as_i64());
                body.sentences.push(f.sentence.clone());
                body.citations.push(f.citation_text.clone());
            }
            _ => {}
        }
        if let Ok(r) = self.evaluate_document(
            &new_entitlement
                .as_ref()
                .map(|n| n.situation_json.clone())
                .unwrap_or_else(|| e.data.situation_json.clone()),
            Some(effective),
            Some(ctx.actor.lang),
        ) {
            let x = report_lines(&r);
            if funeral.is_none()
                && matches!(
                    draft.data.kind.as_str(),
                    "adjust" | "move_within" | "resume"
                )
            {
                body.monthly_amount = x.monthly;
                body.sentences.extend(x.sentences);
                body.citations.extend(x.citations);
            }
            body.group = x.group;
            body.group_name = x.group_name;
        }
        let decision = DecisionWrite {
            province_code: e.data.province_code.clone(),
            issuing_unit_id: issuer,
            year: today.year(),
            seq,
            number,
            authority: checked.authority.code.clone(),
            kind: draft.data.kind.clone(),
            benefit: e.data.benefit.clone(),
            dossier_id: None,
            person_id: e.data.person_id,
            signed_on: today,
            effective_month: effective.as_yyyymm(),
            prepared_by: draft.data.prepared_by,
            approved_by: ctx.actor.user_id,
            reason_codes: draft.data.reason_codes.clone(),
            reasons: serde_json::to_string(&reasons).unwrap_or_default(),
            body_json: serde_json::to_string(&body).unwrap_or_default(),
        };
        let decision_id = repo::insert_decision(&txn, &decision, ctx.now).await?;
        updated.decision_id = Some(decision_id);
        repo::update_entitlement(&txn, e.id, e.version, &updated, ctx.now).await?;
        if let Some(mut next) = new_entitlement {
            next.decision_id = Some(decision_id);
            let id = repo::insert_entitlement(&txn, &next, ctx.now).await?;
            let mut entry = self.entry(
                ctx,
                e.data.province_code.clone(),
                "entitlement.create",
                "entitlement",
                id,
            );
            entry.after = Some(
                serde_json::json!({"decision": decision_id.0, "replaces": e.id.0, "since": effective.to_string()}),
            );
            audit::append(&txn, entry).await?;
        }
        if let Some((amount, citation)) = funeral {
            self.record_funeral(
                &txn,
                ctx,
                e.data.person_id,
                e.data.unit_id,
                &e.data.province_code,
                amount,
                &citation,
                &person,
                Month::of(today),
                decision_id,
            )
            .await?;
        }
        repo::close_draft(
            &txn,
            draft_id,
            "approved",
            ctx.actor.user_id,
            ctx.now,
            Some(decision_id),
            "",
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            e.data.province_code.clone(),
            &format!("decision.{}", draft.data.kind),
            "decision",
            decision_id,
        );
        entry.before = Some(serde_json::json!({"entitlement": e.id.0, "status": e.data.status}));
        entry.after = Some(serde_json::to_value(&decision).unwrap_or_default());
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(decision_id)
    }

    pub async fn reject_draft(&self, ctx: &Ctx, draft_id: i64, note: &str) -> AppResult<()> {
        let draft = repo::get_draft(self.db.conn(), draft_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self.scope(ctx).includes(draft.data.unit_id) {
            return Err(AppError::NotFound);
        }
        self.require(ctx, Permission::Decide)
            .or_else(|_| self.require(ctx, Permission::AppraiseDossier))?;
        let note: String = note.trim().chars().take(500).collect();
        if note.is_empty() {
            return Err(AppError::field("note", "required"));
        }
        let txn = self.db.begin().await?;
        repo::close_draft(
            &txn,
            draft_id,
            "rejected",
            ctx.actor.user_id,
            ctx.now,
            None,
            &note,
        )
        .await?;
        let mut entry = self.entry(
            ctx,
            draft.data.province_code.clone(),
            "decision.draft-reject",
            "decision_draft",
            draft_id,
        );
        entry.after = Some(serde_json::json!({"note": note}));
        audit::append(&txn, entry).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// JSON merge patch (RFC 7386): objects merge, `null` removes, other values replace.
fn merge(target: &mut serde_json::Value, patch: &serde_json::Value) {
    match (target, patch) {
        (serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// A decision an officer prepares on an entitlement.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DraftInput {
    pub entitlement_id: String,
    /// `adjust`, `suspend`, `resume`, `terminate`, `move_within`, `move_between`, `funeral_support`.
    pub kind: String,
    /// `YYYY-MM`: the first month the change applies to.
    pub effective_month: String,
    /// Reason codes of TT 02/2021 Art. 2 (e.g. `suspend.a`).
    pub reason_codes: Vec<String>,
    /// Free-text reasons, one per line.
    pub reasons: String,
    /// `move_within`: the new paying commune.
    pub new_unit_id: String,
    /// `adjust`: a JSON merge patch of the situation (e.g. a new disability level).
    pub situation_patch: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_patches_objects_and_removes_nulls() {
        let mut a = serde_json::json!({"person": {"disability": "severe", "flags": ["x"]}, "groups": ["k6"]});
        merge(
            &mut a,
            &serde_json::json!({"person": {"disability": "especially_severe", "flags": null}}),
        );
        assert_eq!(
            a,
            serde_json::json!({"person": {"disability": "especially_severe"}, "groups": ["k6"]})
        );
    }
}
