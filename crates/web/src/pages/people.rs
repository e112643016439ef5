//! The registry pages: search, person, household, create and edit, history, export.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use ansinh_app::registry::{DuplicateCandidate, NewPersonInput, PersonView};
use ansinh_app::{AppError, Ctx};
use ansinh_domain::access::Permission;
use ansinh_domain::ids::{HouseholdId, PersonId, UnitId};
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus, Relation, Sex};
use ansinh_domain::registry::PersonInput;
use ansinh_store::audit::AuditRow;
use ansinh_store::registry::{PersonQuery, PersonSummary};

use crate::error::{WebError, WebResult};
use crate::extract::{FormBody, IdPath, Identity, QueryParams};
use crate::i18n::Tr;
use crate::pages::{FormState, Layout, date_vi, page_ctx, render, render_status, time_vi};
use crate::state::AppState;

pub const PAGE_SIZE: u64 = 50;

#[derive(Debug)]
pub struct PersonRowView {
    pub no: u64,
    pub id: i64,
    pub full_name: String,
    pub sex: String,
    pub birth: String,
    pub cccd: String,
    pub commune: String,
    pub hamlet: String,
    pub deceased: bool,
}

#[derive(Template)]
#[template(path = "people_list.html")]
struct PeopleList {
    layout: Layout,
    q: String,
    q_encoded: String,
    unit: Option<i64>,
    rows: Vec<PersonRowView>,
    count_text: String,
    prev_link: Option<String>,
    next_link: Option<String>,
    may_create: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    unit: Option<i64>,
    offset: u64,
    done: Option<String>,
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn sex_label(tr: &Tr, sex: Sex) -> String {
    tr.t(&format!("sex-{}", sex.as_str()))
}

fn commune_name(state: &AppState, ctx: &Ctx, unit: UnitId) -> String {
    let graph = state.app.graph();
    graph
        .get(graph.at(unit, ctx.today()))
        .map(|u| u.name.clone())
        .unwrap_or_default()
}

pub fn row_views(
    state: &AppState,
    ctx: &Ctx,
    tr: &Tr,
    items: Vec<PersonSummary>,
    offset: u64,
) -> Vec<PersonRowView> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, p)| PersonRowView {
            no: offset + i as u64 + 1,
            id: p.id.0,
            sex: sex_label(tr, p.sex),
            birth: p.birth.display_vi(),
            cccd: p.cccd.unwrap_or_default(),
            commune: commune_name(state, ctx, p.unit_id),
            hamlet: p.hamlet,
            deceased: p.death_date.is_some(),
            full_name: p.full_name,
        })
        .collect()
}

/// Unit versions that make up a commune of today's tree (for the `unit` filter).
fn unit_filter(state: &AppState, ctx: &Ctx, unit: Option<i64>) -> Option<Vec<UnitId>> {
    unit.map(|u| state.app.graph().versions_within(UnitId(u), ctx.today()))
}

pub async fn list(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<ListQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let page = state
        .app
        .search_people(
            &ctx,
            &PersonQuery {
                text: q.q.clone(),
                units: unit_filter(&state, &ctx, q.unit),
                household: None,
                limit: PAGE_SIZE,
                offset: q.offset,
            },
        )
        .await?;
    let layout = Layout::new(&state, &identity, "people", "people-title", "/people")
        .with_notice(q.done.as_deref());
    let count_text = if page.total_capped {
        layout.tr.t1(
            "people-count-capped",
            "count",
            crate::pages::count(page.total as i64),
        )
    } else {
        layout.tr.t1(
            "people-count",
            "count",
            crate::pages::count(page.total as i64),
        )
    };
    let base = format!(
        "/people?q={}{}",
        encode(&q.q),
        q.unit.map(|u| format!("&unit={u}")).unwrap_or_default()
    );
    let prev_link =
        (q.offset > 0).then(|| format!("{base}&offset={}", q.offset.saturating_sub(PAGE_SIZE)));
    let next_link = (q.offset + PAGE_SIZE < page.total)
        .then(|| format!("{base}&offset={}", q.offset + PAGE_SIZE));
    let rows = row_views(&state, &ctx, &layout.tr, page.items, q.offset);
    render(&PeopleList {
        q_encoded: encode(&q.q),
        q: q.q,
        unit: q.unit,
        rows,
        count_text,
        prev_link,
        next_link,
        may_create: ctx.actor.role.can(Permission::RegistryWrite),
        layout,
    })
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonForm {
    layout: Layout,
    form: FormState,
    action: String,
    cancel: String,
    version: Option<i32>,
    is_new: bool,
    may_see_sensitive: bool,
    duplicates: Vec<DuplicateCandidate>,
    ethnicities: Vec<(String, String)>,
    relations: Vec<(String, String)>,
    communes: Vec<(String, String)>,
    disabilities: Vec<(String, String)>,
    channels: Vec<(String, String)>,
    poverty_options: Vec<(String, String)>,
}

fn options<T: Copy>(
    tr: &Tr,
    all: &[T],
    prefix: &str,
    text: impl Fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter()
        .map(|v| {
            (
                text(*v).to_string(),
                tr.t(&format!("{prefix}-{}", text(*v))),
            )
        })
        .collect()
}

/// What differs between the new-person and edit forms, and between first show and re-show.
struct FormSpec {
    title_key: &'static str,
    form: FormState,
    action: String,
    cancel: String,
    /// `Some` when editing.
    version: Option<i32>,
    duplicates: Vec<DuplicateCandidate>,
}

fn person_form(state: &AppState, identity: &Identity, ctx: &Ctx, spec: FormSpec) -> PersonForm {
    let FormSpec {
        title_key,
        form,
        action,
        cancel,
        version,
        duplicates,
    } = spec;
    let layout = Layout::new(state, identity, "people", title_key, &action);
    let tr = layout.tr.clone();
    let mut ethnicities: Vec<(String, String)> = vec![(String::new(), String::new())];
    ethnicities.extend(state.app.ethnicities().iter().map(|(code, vi, en)| {
        (
            code.clone(),
            if tr.is_vi() { vi.clone() } else { en.clone() },
        )
    }));
    let mut communes: Vec<(String, String)> = vec![(String::new(), String::new())];
    communes.extend(
        state
            .app
            .communes_for(ctx)
            .into_iter()
            .map(|(id, name)| (id.0.to_string(), name)),
    );
    let mut poverty_options = vec![(String::new(), String::new())];
    poverty_options.extend(options(
        &tr,
        PovertyStatus::ALL,
        "poverty",
        PovertyStatus::as_str,
    ));
    PersonForm {
        is_new: version.is_none(),
        may_see_sensitive: ctx.actor.role.can(Permission::RevealSensitive),
        ethnicities,
        relations: options(&tr, Relation::ALL, "relation", Relation::as_str),
        communes,
        disabilities: options(
            &tr,
            DisabilityLevel::ALL,
            "disability",
            DisabilityLevel::as_str,
        ),
        channels: options(&tr, PaymentChannel::ALL, "channel", PaymentChannel::as_str),
        poverty_options,
        layout,
        form,
        action,
        cancel,
        version,
        duplicates,
    }
}

pub async fn new_form(State(state): State<AppState>, identity: Identity) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people/new")?;
    state.app.require(&ctx, Permission::RegistryWrite)?;
    let mut form = FormState::default();
    form.set("ethnicity_code", "01");
    form.set("relation", "head");
    form.set("payment_channel", "cash");
    form.set("disability", "none");
    let communes = state.app.communes_for(&ctx);
    if communes.len() == 1 {
        form.set("unit_id", communes[0].0.0.to_string());
    }
    render(&person_form(
        &state,
        &identity,
        &ctx,
        FormSpec {
            title_key: "person-new-title",
            form,
            action: "/people".into(),
            cancel: "/people".into(),
            version: None,
            duplicates: vec![],
        },
    ))
}

fn person_input(pairs: &[(String, String)]) -> PersonInput {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    PersonInput {
        full_name: get("full_name"),
        sex: get("sex"),
        birth_date: get("birth_date"),
        cccd: get("cccd"),
        birth_cert_no: get("birth_cert_no"),
        ethnicity_code: get("ethnicity_code"),
        unit_id: get("unit_id"),
        hamlet: get("hamlet"),
        relation: get("relation"),
        disability: get("disability"),
        disability_cert_date: get("disability_cert_date"),
        hiv_positive: get("hiv_positive"),
        has_pension: get("has_pension"),
        phone: get("phone"),
        payment_channel: get("payment_channel"),
        bank_account: get("bank_account"),
        death_date: get("death_date"),
    }
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub async fn create(
    State(state): State<AppState>,
    identity: Identity,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let input = NewPersonInput {
        person: person_input(&pairs),
        household_code: value(&pairs, "household_code").into(),
        address: value(&pairs, "address").into(),
        poverty_status: value(&pairs, "poverty_status").into(),
        poverty_year: value(&pairs, "poverty_year").into(),
        confirm_duplicate: value(&pairs, "confirm_duplicate") == "true",
    };
    match state.app.create_person(&ctx, &input).await {
        Ok(p) => Ok(Redirect::to(&format!("/people/{}?done=person-created", p.id)).into_response()),
        Err(e) => form_error(
            &state,
            &identity,
            &ctx,
            FormSpec {
                title_key: "person-new-title",
                form: FormState::default(),
                action: "/people".into(),
                cancel: "/people".into(),
                version: None,
                duplicates: vec![],
            },
            pairs,
            e,
        ),
    }
}

/// Re-renders a person form with the errors beside their fields (422) or a duplicate
/// warning (409), keeping every value typed.
fn form_error(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    spec: FormSpec,
    pairs: Vec<(String, String)>,
    err: AppError,
) -> WebResult<Response> {
    let tr = state.tr(identity.lang);
    let form = FormState::from_pairs(pairs.into_iter().filter(|(k, _)| k != "_csrf"));
    let (status, form, duplicates) = match err {
        AppError::Invalid(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            form.with_errors(&tr, &errors),
            vec![],
        ),
        AppError::Conflict { field, code } => (
            StatusCode::CONFLICT,
            form.with_errors(
                &tr,
                &[ansinh_domain::registry::FieldError {
                    field,
                    code,
                    detail: None,
                }],
            ),
            vec![],
        ),
        AppError::PossibleDuplicate(list) => (StatusCode::CONFLICT, form, list),
        other => return Err(other.into()),
    };
    render_status(
        status,
        &person_form(
            state,
            identity,
            ctx,
            FormSpec {
                form,
                duplicates,
                ..spec
            },
        ),
    )
}

#[derive(Template)]
#[template(path = "person_view.html")]
struct PersonPage {
    layout: Layout,
    v: PersonView,
    sex: String,
    birth: String,
    ethnicity: String,
    unit_name: String,
    relation: String,
    disability: String,
    cert_date: Option<String>,
    channel: String,
    death: Option<String>,
    poverty: Vec<(i32, String)>,
    may_receive: bool,
    may_prepare: bool,
    dossiers: Vec<(i64, String, String, String)>,
    entitlements: Vec<EntitlementLine>,
    decisions: Vec<(i64, String, String, String)>,
    decision_kinds: Vec<(String, String)>,
    reasons: Vec<(String, String)>,
    communes: Vec<(String, String)>,
}

/// An entitlement as the person page lists it.
#[derive(Debug)]
pub struct EntitlementLine {
    pub id: i64,
    pub benefit: String,
    pub status: String,
    pub active: bool,
    pub period: String,
    pub amount: String,
}

async fn person_page(
    state: &AppState,
    identity: &Identity,
    ctx: &Ctx,
    v: PersonView,
    done: Option<&str>,
) -> WebResult<Response> {
    let path = format!("/people/{}", v.person.id);
    let mut layout =
        Layout::new(state, identity, "people", "people-title", &path).with_notice(done);
    layout.title = v.person.data.full_name.clone();
    let tr = layout.tr.clone();
    let d = &v.person.data;
    let ethnicity = state
        .app
        .ethnicities()
        .iter()
        .find(|(c, _, _)| *c == d.ethnicity_code)
        .map(|(_, vi, en)| if tr.is_vi() { vi.clone() } else { en.clone() })
        .unwrap_or_default();
    let poverty = v
        .poverty
        .iter()
        .map(|(y, s)| (*y, tr.t(&format!("poverty-{}", s.as_str()))))
        .collect();
    let person_id = v.person.id;
    let today = ctx.today();
    let dossiers = state
        .app
        .dossiers_of_person(ctx, person_id)
        .await?
        .into_iter()
        .map(|r| {
            let status = tr.t(&format!(
                "dossier-status-{}",
                r.data
                    .outcome
                    .clone()
                    .unwrap_or_else(|| r.data.status.clone())
            ));
            (
                r.id.0,
                r.data.code.clone(),
                r.data.application_type.clone(),
                status,
            )
        })
        .collect();
    let (entitlement_rows, decision_rows) = state.app.person_benefits(ctx, person_id).await?;
    let month = ansinh_domain::Month::of(today);
    let entitlements = entitlement_rows
        .iter()
        .map(|e| {
            let amount = state
                .app
                .evaluate_document(&e.data.situation_json, Some(month), Some(tr.lang))
                .map(|r| r.monthly_total.display_vi())
                .unwrap_or_default();
            let bound = |m: Option<i32>| {
                m.and_then(|x| ansinh_domain::Month::from_yyyymm(x).ok())
                    .map(|x| x.display_vi())
                    .unwrap_or_default()
            };
            EntitlementLine {
                id: e.id.0,
                benefit: tr.t(&format!("benefit-{}", e.data.benefit)),
                status: tr.t(&format!("entitlement-{}", e.data.status)),
                active: e.data.status != "terminated",
                period: format!(
                    "{} – {}",
                    bound(e.data.since_month),
                    bound(e.data.until_month)
                ),
                amount: if e.data.status == "active" {
                    amount
                } else {
                    String::new()
                },
            }
        })
        .collect();
    let decisions = decision_rows
        .iter()
        .map(|d| {
            (
                d.id.0,
                d.data.number.clone(),
                d.data.kind.clone(),
                date_vi(d.data.signed_on),
            )
        })
        .collect();
    let wf = ansinh_app::dossiers::workflows()?;
    let decision_kinds = wf
        .decision_kinds()
        .iter()
        .filter(|k| !matches!(k.code.as_str(), "grant" | "reject"))
        .map(|k| {
            (
                k.code.clone(),
                if tr.is_vi() {
                    k.name_vi.clone()
                } else {
                    k.name_en.clone()
                },
            )
        })
        .collect();
    let reasons = wf
        .reason_sets()
        .iter()
        .flat_map(|s| {
            s.reasons.iter().map(|r| {
                (
                    r.code.clone(),
                    if tr.is_vi() {
                        r.text_vi.clone()
                    } else {
                        r.text_en.clone()
                    },
                )
            })
        })
        .collect();
    let communes = state
        .app
        .communes_for(ctx)
        .into_iter()
        .map(|(id, n)| (id.0.to_string(), n))
        .collect();
    render(&PersonPage {
        may_receive: ctx.actor.role.can(Permission::PrepareDossier),
        may_prepare: ctx.actor.role.can(Permission::PrepareDossier)
            || ctx.actor.role.can(Permission::AppraiseDossier),
        dossiers,
        entitlements,
        decisions,
        decision_kinds,
        reasons,
        communes,
        sex: sex_label(&tr, d.sex),
        birth: d.birth.display_vi(),
        ethnicity,
        unit_name: state
            .app
            .graph()
            .full_name(state.app.graph().at(d.unit_id, ctx.today())),
        relation: tr.t(&format!("relation-{}", d.relation.as_str())),
        disability: tr.t(&format!("disability-{}", d.disability.as_str())),
        cert_date: d.disability_cert_date.map(date_vi),
        channel: tr.t(&format!("channel-{}", d.payment_channel.as_str())),
        death: d.death_date.map(date_vi),
        poverty,
        layout,
        v,
    })
}

pub async fn view(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<ListQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let v = state.app.person(&ctx, PersonId(id), false).await?;
    person_page(&state, &identity, &ctx, v, q.done.as_deref()).await
}

pub async fn reveal(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let v = state.app.person(&ctx, PersonId(id), true).await?;
    person_page(&state, &identity, &ctx, v, None).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    state.app.require(&ctx, Permission::RegistryWrite)?;
    // The form holds sensitive fields: reading it is a reveal for roles that may.
    let reveal = ctx.actor.role.can(Permission::RevealSensitive);
    let v = state.app.person(&ctx, PersonId(id), reveal).await?;
    let mut input = PersonInput::from_draft(&v.person.data);
    // An old commune version is shown as its commune in today's tree.
    input.unit_id = state
        .app
        .graph()
        .at(v.person.data.unit_id, ctx.today())
        .0
        .to_string();
    if !reveal {
        input.cccd = v.cccd_shown.clone().unwrap_or_default();
        input.bank_account = v.bank_account_shown.clone().unwrap_or_default();
    }
    let pairs = serde_json::to_value(&input)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .map(|m| {
            m.into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let action = format!("/people/{id}");
    render(&person_form(
        &state,
        &identity,
        &ctx,
        FormSpec {
            title_key: "person-edit-title",
            form: FormState::from_pairs(pairs),
            action: action.clone(),
            cancel: action,
            version: Some(v.person.version),
            duplicates: vec![],
        },
    ))
}

pub async fn update(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(pairs): FormBody<Vec<(String, String)>>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let version: i32 = value(&pairs, "version")
        .parse()
        .map_err(|_| WebError::App(AppError::Stale))?;
    let mut input = person_input(&pairs);
    if !ctx.actor.role.can(Permission::RevealSensitive) {
        // Masked values come back as typed: keep what is stored.
        let current = state.app.person(&ctx, PersonId(id), false).await?;
        if input.cccd.contains('*') {
            input.cccd = current
                .person
                .data
                .cccd
                .map(|c| c.to_string())
                .unwrap_or_default();
        }
        if input.bank_account.contains('*') {
            input.bank_account = current.person.data.bank_account.unwrap_or_default();
        }
        input.hiv_positive = if current.person.data.hiv_positive {
            "true".into()
        } else {
            String::new()
        };
    }
    let confirm = value(&pairs, "confirm_duplicate") == "true";
    let action = format!("/people/{id}");
    match state
        .app
        .update_person(&ctx, PersonId(id), version, &input, confirm)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/people/{id}?done=person-updated")).into_response()),
        Err(e) => form_error(
            &state,
            &identity,
            &ctx,
            FormSpec {
                title_key: "person-edit-title",
                form: FormState::default(),
                action: action.clone(),
                cancel: action,
                version: Some(version),
                duplicates: vec![],
            },
            pairs,
            e,
        ),
    }
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    layout: Layout,
    rows: Vec<AuditRowView>,
}

#[derive(Debug)]
pub struct AuditRowView {
    pub at: String,
    pub actor: String,
    pub source: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

pub fn audit_views(rows: Vec<AuditRow>) -> Vec<AuditRowView> {
    let pretty = |s: Option<String>| {
        s.and_then(|j| serde_json::from_str::<serde_json::Value>(&j).ok())
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_default()
    };
    rows.into_iter()
        .map(|r| AuditRowView {
            at: time_vi(r.at),
            actor: r.actor,
            source: r.source,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: pretty(r.before),
            after: pretty(r.after),
        })
        .collect()
}

pub async fn history(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let rows = state.app.person_history(&ctx, PersonId(id)).await?;
    let layout = Layout::new(
        &state,
        &identity,
        "people",
        "person-history",
        &format!("/people/{id}/history"),
    );
    render(&HistoryPage {
        layout,
        rows: audit_views(rows),
    })
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ExportQuery {
    q: String,
}

pub async fn export_csv(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<ExportQuery>,
) -> WebResult<Response> {
    let ctx = identity
        .ctx
        .clone()
        .ok_or(WebError::App(AppError::Unauthenticated))?;
    let bytes = state.app.export_people_csv(&ctx, &q.q).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"danh-sach.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    identity: Identity,
    QueryParams(q): QueryParams<ExportQuery>,
) -> WebResult<Response> {
    let ctx = identity
        .ctx
        .clone()
        .ok_or(WebError::App(AppError::Unauthenticated))?;
    let bytes = state.app.export_people_xlsx(&ctx, &q.q).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"danh-sach.xlsx\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    layout: Layout,
    h: ansinh_store::registry::Household,
    unit_name: String,
    members: Vec<PersonRowView>,
    poverty: Vec<(i32, String)>,
    poverty_options: Vec<(String, String)>,
    may_edit: bool,
    this_year: i32,
}

pub async fn household(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    QueryParams(q): QueryParams<ListQuery>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let members = state.app.household_members(&ctx, HouseholdId(id)).await?;
    let Some(first) = members.first() else {
        return Err(AppError::NotFound.into());
    };
    let view = state.app.person(&ctx, first.id, false).await?;
    let path = format!("/households/{id}");
    let mut layout = Layout::new(&state, &identity, "people", "people-title", &path)
        .with_notice(q.done.as_deref());
    layout.title = layout
        .tr
        .t1("household-title", "code", &view.household.code);
    let tr = layout.tr.clone();
    render(&HouseholdPage {
        unit_name: state
            .app
            .graph()
            .full_name(state.app.graph().at(view.household.unit_id, ctx.today())),
        members: row_views(&state, &ctx, &tr, members, 0),
        poverty: view
            .poverty
            .iter()
            .map(|(y, s)| (*y, tr.t(&format!("poverty-{}", s.as_str()))))
            .collect(),
        poverty_options: options(&tr, PovertyStatus::ALL, "poverty", PovertyStatus::as_str),
        may_edit: ctx.actor.role.can(Permission::RegistryWrite),
        this_year: chrono::Datelike::year(&ctx.today()),
        h: view.household,
        layout,
    })
}

#[derive(Debug, Deserialize)]
pub struct PovertyForm {
    year: String,
    status: String,
}

pub async fn set_poverty(
    State(state): State<AppState>,
    identity: Identity,
    IdPath(id): IdPath,
    FormBody(form): FormBody<PovertyForm>,
) -> WebResult<Response> {
    let ctx = page_ctx(&identity, "/people")?;
    let year: i32 = form
        .year
        .trim()
        .parse()
        .map_err(|_| WebError::App(AppError::field("year", "year-out-of-range")))?;
    let status: PovertyStatus = form
        .status
        .parse()
        .map_err(|_| WebError::App(AppError::field("status", "invalid-choice")))?;
    state
        .app
        .set_poverty(&ctx, HouseholdId(id), year, status)
        .await?;
    Ok(Redirect::to(&format!("/households/{id}?done=person-updated")).into_response())
}
