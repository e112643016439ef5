//! What anyone may see without signing in: the public posting lists of communes (niêm yết
//! công khai) and the status of a dossier for whoever knows its code and the applicant's
//! birth date or phone number. Nothing identifying beyond what the law posts.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use ansinh_domain::Month;
use ansinh_domain::registry::normalise_phone;
use ansinh_domain::unit::UnitLevel;
use ansinh_store::accounts;
use ansinh_store::dossiers::{self as repo, DossierFilter};
use ansinh_store::registry as people;
use ansinh_store::scope::Scope;
use ansinh_workflow::Dossier;

use crate::App;
use crate::dossiers::{calendar, workflows};
use crate::error::{AppError, AppResult};

/// One line of a posting list: name, hamlet, group, proposed amount — never an ID number or
/// HIV status (NĐ 20/2021 Art. 8(1)(b)).
#[derive(Debug, Clone, Serialize)]
pub struct PostingLine {
    pub no: usize,
    pub full_name: String,
    pub birth_year: i32,
    pub hamlet: String,
    pub group: String,
    pub group_name: String,
    pub proposed_amount: i64,
    pub posted_from: NaiveDate,
    pub posted_until: Option<NaiveDate>,
    pub dossier_code: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PostingList {
    pub commune_code: String,
    pub commune_name: String,
    pub date: NaiveDate,
    pub lines: Vec<PostingLine>,
}

/// What the status lookup tells.
#[derive(Debug, Clone, Serialize)]
pub struct PublicStatus {
    pub code: String,
    pub application: String,
    pub received: NaiveDate,
    pub step: Option<String>,
    pub step_due: Option<NaiveDate>,
    pub expected_by: Option<NaiveDate>,
    pub paused: bool,
    /// `granted`, `rejected`, `refused` once closed.
    pub outcome: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl App {
    /// The communes of today's tree with dossiers posted, for the public index.
    pub fn communes_today(&self, today: NaiveDate) -> Vec<(String, String)> {
        let graph = self.graph();
        let mut out: Vec<(String, String)> = graph
            .all()
            .filter(|u| u.level == UnitLevel::Commune && u.valid_at(today))
            .map(|u| (u.code.clone(), u.name.clone()))
            .collect();
        out.sort_by_key(|(_, n)| ansinh_domain::fold::collation_key(n));
        out
    }

    /// The dossiers a commune posts today.
    pub async fn posting_list(
        &self,
        commune_code: &str,
        today: NaiveDate,
    ) -> AppResult<PostingList> {
        let graph = self.graph();
        let commune = graph
            .find(commune_code, today)
            .filter(|u| u.level == UnitLevel::Commune)
            .ok_or(AppError::NotFound)?;
        let scope = Scope::Units(graph.versions_within(commune.id, today));
        let rows = repo::list_dossiers(
            self.db.conn(),
            &scope,
            &DossierFilter {
                statuses: vec!["open".into(), "paused".into()],
                kind: Some("posting".into()),
                limit: 1_000,
                ..Default::default()
            },
        )
        .await?;
        let cal = calendar()?;
        let mut lines = Vec::new();
        for r in rows {
            let Some(person) =
                people::get_person(self.db.conn(), r.data.person_id, &Scope::All).await?
            else {
                continue;
            };
            let state: Option<Dossier> = serde_json::from_str(&r.data.state_json).ok();
            let started = state
                .as_ref()
                .and_then(|s| s.current().map(|c| c.started))
                .unwrap_or(r.data.received_on);
            let until = state
                .as_ref()
                .and_then(|s| s.step_due(cal, today).ok().flatten());
            let report = self
                .evaluate_document(&r.data.proposal_json, Some(Month::of(today)), None)
                .ok();
            let line = report
                .as_ref()
                .and_then(|rep| rep.monthly_allowance.as_ref())
                .and_then(|a| a.lines.first());
            lines.push(PostingLine {
                no: lines.len() + 1,
                full_name: person.data.full_name.clone(),
                birth_year: person.data.birth.year(),
                hamlet: person.data.hamlet.clone(),
                group: line
                    .and_then(|l| l.group.clone())
                    .unwrap_or_else(|| r.data.requested_group.clone()),
                group_name: line.and_then(|l| l.group_name.clone()).unwrap_or_default(),
                proposed_amount: report.map(|rep| rep.monthly_total.as_i64()).unwrap_or(0),
                posted_from: started,
                posted_until: until,
                dossier_code: r.data.code.clone(),
            });
        }
        lines.sort_by_key(|l| ansinh_domain::fold::name_sort_key(&l.full_name));
        for (i, l) in lines.iter_mut().enumerate() {
            l.no = i + 1;
        }
        Ok(PostingList {
            commune_code: commune.code.clone(),
            commune_name: commune.name.clone(),
            date: today,
            lines,
        })
    }

    /// The status of a dossier for whoever knows its code and the applicant's birth date (as
    /// registered: `YYYY-MM-DD`, `dd/mm/yyyy`, or the partial form) or phone number. Failed
    /// attempts are throttled like sign-ins.
    pub async fn public_status(
        &self,
        code: &str,
        secret: &str,
        source: &str,
        now: DateTime<Utc>,
    ) -> AppResult<PublicStatus> {
        let code = code.trim();
        let key = format!("status:{}", code.chars().take(40).collect::<String>());
        let window = now - Duration::minutes(self.config.throttle_window_minutes);
        let (by_code, by_source, _) =
            accounts::login_failures_since(self.db.conn(), &key, source, window).await?;
        if by_code >= self.config.max_failed_logins
            || by_source >= 4 * self.config.max_failed_logins
        {
            return Err(AppError::Throttled {
                retry_after_secs: (self.config.throttle_window_minutes * 60) as u64,
            });
        }
        let found = repo::find_dossier_by_code(self.db.conn(), code).await?;
        let person = match &found {
            Some(r) => people::get_person(self.db.conn(), r.data.person_id, &Scope::All).await?,
            None => None,
        };
        let matches = person.as_ref().is_some_and(|p| secret_matches(p, secret));
        let (Some(row), true) = (found, matches) else {
            accounts::record_login_failure(self.db.conn(), &key, source, now).await?;
            // The same answer whether the code or the secret was wrong.
            return Err(AppError::NotFound);
        };
        let state: Dossier = serde_json::from_str(&row.data.state_json)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let wf = workflows()?;
        let today = crate::context::vietnam_time(now).date();
        let cal = calendar()?;
        let step = state.current().and_then(|c| {
            wf.definition(&c.definition)
                .and_then(|d| d.step(&c.code))
                .map(|s| s.name_vi.clone())
        });
        Ok(PublicStatus {
            code: row.data.code.clone(),
            application: wf
                .application_type(&row.data.application_type)
                .map(|t| t.name_vi.clone())
                .unwrap_or_default(),
            received: row.data.received_on,
            step,
            step_due: state.step_due(cal, today).ok().flatten(),
            expected_by: row.data.statutory_due_on,
            paused: state.is_paused(),
            outcome: row.data.outcome.clone(),
            closed_on: row.data.closed_on,
        })
    }
}

fn secret_matches(person: &ansinh_domain::registry::Person, secret: &str) -> bool {
    let s = secret.trim();
    if s.is_empty() {
        return false;
    }
    let birth = person.data.birth;
    if s == birth.to_string() || s == birth.display_vi() {
        return true;
    }
    match (normalise_phone(s), person.data.phone.as_deref()) {
        (Some(given), Some(phone)) => given == phone,
        _ => false,
    }
}
