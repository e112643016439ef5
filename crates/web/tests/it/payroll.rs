//! Payroll over HTTP: a month started from the page and run by the worker, the run with its
//! payments in đồng, maker-checker, the list for the paying organisation, the results file
//! with a bad row, closing; scope between communes; reconciliation with a transfer; the
//! budget; and bad input refused with a clear 4xx, nothing changed.

use ansinh_app::Ctx;
use ansinh_app::registry::NewPersonInput;
use ansinh_domain::ids::PersonId;
use ansinh_domain::person::{DisabilityLevel, Sex};
use ansinh_domain::registry::PersonInput;
use ansinh_domain::{BirthDate, Month};
use ansinh_policy::Situation;
use ansinh_store::benefits::{self, EntitlementWrite};
use ansinh_testkit::db_test;

use crate::support::*;

/// Kim Văn Sóc (1970, 1,5 × 540.000), Thạch Sa Rết (1950, 76 years old: 2,0 × 540.000) and
/// Lâm Thị Đẹp (1985, 1,5 × 540.000), all paid in cash by Phường Trà Vinh (29242).
const SOC: &str = "Kim Văn Sóc";
const RET: &str = "Thạch Sa Rết";
const DEP: &str = "Lâm Thị Đẹp";
/// Sóc's CCCD: only `*********456` may appear on a list, unless asked in full.
const SOC_CCCD: &str = "086070123456";
const MONTH: &str = "2026-11";

fn month(text: &str) -> Month {
    text.parse().unwrap()
}

/// A context acting as a stored account (to set up data through the app).
async fn ctx_of(app: &TestApp, username: &str) -> Ctx {
    let user = ansinh_store::accounts::find_user_by_name(app.app.db.conn(), username)
        .await
        .unwrap()
        .unwrap();
    Ctx::new(
        ansinh_app::Actor {
            user_id: user.id,
            username: user.username,
            full_name: user.full_name,
            role: user.role,
            unit_id: user.unit_id,
            source: "test".into(),
            lang: ansinh_app::Lang::Vi,
            must_change_password: false,
        },
        now(),
    )
}

/// Registers a person with severe disability in 29242 and gives them a monthly allowance
/// decided in October 2026, paid in cash by the commune from November 2026.
async fn beneficiary(app: &TestApp, name: &str, birth: &str, cccd: &str) -> PersonId {
    let officer = ctx_of(app, "canbo.a").await;
    let unit = app.unit("29242");
    let person = app
        .app
        .create_person(
            &officer,
            &NewPersonInput {
                person: PersonInput {
                    full_name: name.into(),
                    sex: "male".into(),
                    birth_date: birth.into(),
                    cccd: cccd.into(),
                    ethnicity_code: "05".into(),
                    unit_id: unit.0.to_string(),
                    hamlet: "Khóm 4".into(),
                    disability: "severe".into(),
                    disability_cert_date: "2026-01-10".into(),
                    ..Default::default()
                },
                poverty_status: "none".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
    let mut s = Situation::of_person(birth.parse::<BirthDate>().unwrap());
    s.person.sex = Some(Sex::Male);
    s.person.disability = DisabilityLevel::Severe;
    s.person.certificate_month = Some(month("2026-01"));
    s.decisions.allowance = Some(month("2026-10"));
    s.groups = vec!["k6".into()];
    benefits::insert_entitlement(
        app.app.db.conn(),
        &EntitlementWrite {
            province_code: "86".into(),
            person_id: person,
            unit_id: unit,
            benefit: "monthly_allowance".into(),
            status: "active".into(),
            channel: "cash".into(),
            account: None,
            payees_json: "[]".into(),
            since_month: Some(month(MONTH).as_yyyymm()),
            until_month: None,
            situation_json: serde_json::to_string(&s).unwrap(),
            decision_id: None,
        },
        now(),
    )
    .await
    .unwrap();
    person
}

/// Two communes of province 86 with their officers and chairmen, and three beneficiaries
/// in 29242.
async fn setup(t: &ansinh_testkit::TestDb) -> TestApp {
    let app = spawn(t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    app.user("chutich.a", "commune_chairman", app.unit("29242"))
        .await;
    app.user("canbo.b", "commune_officer", app.unit("29254"))
        .await;
    app.user("chutich.b", "commune_chairman", app.unit("29254"))
        .await;
    app.user("thanhtra", "inspector", app.unit("86")).await;
    beneficiary(&app, SOC, "1970-05-05", SOC_CCCD).await;
    beneficiary(&app, RET, "1950-02-01", "").await;
    beneficiary(&app, DEP, "1985-09-09", "").await;
    app
}

async fn get(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let r = c.get(app.url(path)).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

async fn post(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String, String) {
    let r = c.post(app.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

/// Runs the queued jobs as the server's worker would; returns how many ran.
async fn work(app: &TestApp) -> usize {
    let mut n = 0;
    while app.app.work_once("test-worker", &now).await.unwrap() {
        n += 1;
    }
    n
}

/// The ids of the runs linked from a page.
fn run_ids(page: &str) -> Vec<i64> {
    page.match_indices("href=\"/payroll/runs/")
        .map(|(i, m)| {
            page[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap()
        })
        .collect()
}

/// The value of the first `version` field of a page.
fn version_of(page: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let i = page
        .find(marker)
        .unwrap_or_else(|| panic!("no version field in {page}"))
        + marker.len();
    page[i..].split('"').next().unwrap().to_string()
}

/// The text of the element with this id (`<th ... id="run-net">2.700.000 đ</th>`).
fn by_id<'a>(page: &'a str, id: &str) -> &'a str {
    let marker = format!("id=\"{id}\">");
    let i = page
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {page}"))
        + marker.len();
    page[i..].split('<').next().unwrap()
}

/// The content hash shown on a run page.
fn by_id_hash(page: &str) -> String {
    let marker = "<dt>Mã băm dữ liệu đầu vào</dt><dd><code class=\"hash\">";
    let i = page
        .find(marker)
        .unwrap_or_else(|| panic!("no content hash in {page}"))
        + marker.len();
    page[i..].split('<').next().unwrap().to_string()
}

/// The status label of a run page.
fn status_of(page: &str) -> &str {
    let marker = "<span class=\"badge run-";
    let i = page
        .find(marker)
        .unwrap_or_else(|| panic!("no status in {page}"))
        + marker.len();
    let rest = &page[i..];
    let j = rest.find('>').unwrap() + 1;
    rest[j..].split('<').next().unwrap()
}

/// The officer starts the month from the page, the worker runs it: the run's id.
async fn run_month(app: &TestApp, c: &reqwest::Client, csrf: &str) -> i64 {
    let (status, location, body) = post(
        app,
        c,
        "/payroll/jobs",
        &[("_csrf", csrf), ("month", MONTH)],
    )
    .await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(
        location, "/payroll?month=2026-11&done=payroll-job-started",
        "back to the month"
    );
    assert_eq!(work(app).await, 1, "one job queued");
    let (_, page) = get(app, c, "/payroll?month=2026-11").await;
    let ids = run_ids(&page);
    assert_eq!(ids.len(), 1, "one commune pays: {page}");
    ids[0]
}

/// The run's stored status and version, whatever the pages say.
async fn stored(app: &TestApp, id: i64) -> (String, i32) {
    let row = ansinh_store::payroll::get_run(app.app.db.conn(), id)
        .await
        .unwrap()
        .unwrap();
    (row.status, row.version)
}

/// Posts one action of the run page (with the version the page shows).
async fn act(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    id: i64,
    action: &str,
) -> (u16, String, String) {
    let (status, page) = get(app, c, &format!("/payroll/runs/{id}")).await;
    assert_eq!(status, 200, "{page}");
    // An action the page does not offer is posted with the run's current version.
    let version = if page.contains("name=\"version\"") {
        version_of(&page)
    } else {
        stored(app, id).await.1.to_string()
    };
    post(
        app,
        c,
        &format!("/payroll/runs/{id}/{action}"),
        &[("_csrf", csrf), ("version", &version), ("month", MONTH)],
    )
    .await
}

/// Uploads a results file on the run page's form.
async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    id: i64,
    version: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("version", version.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
    c.post(app.url(&format!("/payroll/runs/{id}/results?_csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The CSV list as downloaded.
async fn export_csv(app: &TestApp, c: &reqwest::Client, id: i64, query: &str) -> Vec<u8> {
    let r = c
        .get(app.url(&format!("/payroll/runs/{id}/export?format=csv{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap().to_vec()
}

/// The results file the paying organisation sends back: the downloaded list with a result
/// per payment row, changed by `edit(name, cells)`.
fn results_file(list: &[u8], edit: impl Fn(&str, &mut Vec<String>)) -> Vec<u8> {
    let text = std::str::from_utf8(&list[3..]).unwrap();
    let mut out = String::from("\u{feff}");
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if cells.len() > 13 && cells[1].contains('/') {
            let name = cells[2].clone();
            edit(&name, &mut cells);
        }
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Sóc received, Rết did not, Đẹp's row says 999 đ instead of 810.000 đ (refused).
fn sample_results(list: &[u8]) -> Vec<u8> {
    results_file(list, |name, cells| match name {
        SOC => cells[13] = "Đã nhận".into(),
        RET => cells[13] = "chua nhan".into(),
        _ => {
            cells[13] = "Đã nhận".into();
            cells[12] = "999".into();
        }
    })
}

/// Checked by the chairman and sent by the officer: ready for results.
async fn check_and_send(
    app: &TestApp,
    officer: (&reqwest::Client, &str),
    chairman: (&reqwest::Client, &str),
    id: i64,
) {
    let (status, _, body) = act(app, chairman.0, chairman.1, id, "check").await;
    assert_eq!(status, 303, "{body}");
    let (status, _, body) = act(app, officer.0, officer.1, id, "send").await;
    assert_eq!(status, 303, "{body}");
    assert_eq!(stored(app, id).await.0, "sent");
}

db_test!(
    an_officer_starts_the_month_and_reads_the_run_in_dong,
    |t| async move {
        let app = setup(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        // Before: Vietnamese by default, the current month, nothing run yet.
        let (status, page) = get(&app, &c, "/payroll").await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("<html lang=\"vi\">"), "Vietnamese by default");
        assert!(page.contains("Chi trả trợ cấp hằng tháng — Tháng 11/2026"));
        assert!(page.contains("Chưa có bảng chi trả nào trong tháng này."));
        assert!(page.contains("Chưa có việc lập bảng nào."));
        assert!(
            page.contains("29242 — Phường Trà Vinh"),
            "the commune is listed as not run yet: {page}"
        );
        assert!(page.contains("Lập bảng chi trả tháng 11/2026"));
        assert!(
            page.contains("action=\"/payroll/jobs\""),
            "an officer may start the month"
        );

        // Started from the page: queued, not run until the worker takes it.
        let (status, location, _) = post(
            &app,
            &c,
            "/payroll/jobs",
            &[("_csrf", &csrf), ("month", MONTH)],
        )
        .await;
        assert_eq!(status, 303);
        let (_, page) = get(&app, &c, &location).await;
        assert!(
            page.contains("Đã đưa việc lập bảng chi trả vào hàng đợi."),
            "{page}"
        );
        assert!(page.contains("Đang chờ") && page.contains("Đang có việc lập bảng chạy."));
        assert!(run_ids(&page).is_empty(), "nothing computed yet");

        // The worker runs it.
        assert_eq!(work(&app).await, 1);
        let (_, page) = get(&app, &c, "/payroll?month=2026-11").await;
        assert!(page.contains("Đã xong"), "{page}");
        assert!(!page.contains("Đang có việc lập bảng chạy."));
        assert!(
            page.contains("1 xã: tính mới 1, giữ nguyên 0; còn lại 2.700.000 đ"),
            "the job's summary: {page}"
        );
        let ids = run_ids(&page);
        assert_eq!(ids.len(), 1, "{page}");
        let id = ids[0];
        assert!(page.contains("Bản nháp"));
        assert!(
            page.contains("<td class=\"num\">2.700.000 đ</td>"),
            "the run's total to pay: {page}"
        );
        assert!(
            page.contains("<th>Tổng cộng (1)</th>"),
            "totals of the month: {page}"
        );
        assert!(!page.contains("Xã chi trả chưa có bảng"), "{page}");

        // The run: every payment with its amount in đồng and its explanation.
        let (status, run) = get(&app, &c, &format!("/payroll/runs/{id}")).await;
        assert_eq!(status, 200, "{run}");
        assert!(run.contains("<html lang=\"vi\">"));
        assert!(
            run.contains("Bảng chi trả Phường Trà Vinh — 11/2026"),
            "{run}"
        );
        assert_eq!(status_of(&run), "Bản nháp");
        assert!(run.contains("Cán bộ canbo.a"), "prepared by the officer");
        for name in [SOC, RET, DEP] {
            assert!(run.contains(name), "{name} is on the list");
        }
        assert_eq!(
            run.matches("<strong>810.000 đ</strong>").count(),
            2,
            "{run}"
        );
        assert_eq!(run.matches("<strong>1.080.000 đ</strong>").count(), 1);
        assert_eq!(by_id(&run, "run-net"), "2.700.000 đ");
        assert!(run.contains("Đang hiện 1–3 / 3."), "{run}");
        assert!(
            run.contains("1,5 × mức chuẩn 540.000 đ") && run.contains("20/2021"),
            "each line explained with its legal basis: {run}"
        );
        assert!(run.contains("Tiền mặt"));
        assert!(
            !run.contains(SOC_CCCD),
            "no identity number on the page: {run}"
        );
        // The officer prepared it: no check button for them, but discard and the lists.
        assert!(!run.contains(&format!("/payroll/runs/{id}/check")));
        assert!(run.contains(&format!("/payroll/runs/{id}/discard")));
        assert!(run.contains(&format!("/payroll/runs/{id}/export?format=csv")));
        assert!(run.contains(&format!(
            "/payroll/runs/{id}/export?format=xlsx&amp;channel=cash"
        )));
        // Everyone entered this month.
        assert!(run.contains("Tăng mới"), "{run}");
        assert!(run.contains("0 đ → 2.700.000 đ"), "{run}");

        // Starting the month again pays nobody twice: the run is kept as it is.
        let (status, _, _) = post(
            &app,
            &c,
            "/payroll/jobs",
            &[("_csrf", &csrf), ("month", MONTH)],
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(work(&app).await, 1);
        let (_, page) = get(&app, &c, "/payroll?month=2026-11").await;
        assert_eq!(run_ids(&page), vec![id], "still one run");
        assert!(
            page.contains("1 xã: tính mới 0, giữ nguyên 1; còn lại 0 đ"),
            "{page}"
        );
        let (_, again) = get(&app, &c, &format!("/payroll/runs/{id}")).await;
        assert_eq!(by_id(&again, "run-net"), "2.700.000 đ");

        // In English on request.
        let r = c
            .get(app.url(&format!("/lang/en?next=/payroll/runs/{id}")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection());
        let (_, en) = get(&app, &c, &format!("/payroll/runs/{id}")).await;
        assert!(en.contains("<html lang=\"en\">"), "{en}");
        assert_eq!(by_id(&en, "run-net"), "2.700.000 đ", "amounts stay in đồng");
        app.stop().await;
    }
);

db_test!(
    maker_checker_then_the_list_the_results_and_closing,
    |t| async move {
        let app = setup(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let id = run_month(&app, &c, &csrf).await;
        let before = stored(&app, id).await;
        assert_eq!(before.0, "draft");

        // The officer who prepared it cannot check it: refused, nothing changed.
        let (status, _, body) = post(
            &app,
            &c,
            &format!("/payroll/runs/{id}/check"),
            &[("_csrf", &csrf), ("version", &before.1.to_string())],
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert!(
            body.contains("Bạn không có quyền thực hiện thao tác này."),
            "{body}"
        );
        assert_eq!(stored(&app, id).await, before, "nothing changed");
        // Nor send a draft.
        let (status, _, body) = act(&app, &c, &csrf, id, "send").await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Bảng chi trả không ở trạng thái cho phép thao tác này"));
        assert_eq!(stored(&app, id).await, before);

        // The chairman checks it.
        let ch = client();
        let ch_csrf = login(&app, &ch, "chutich.a", PASSWORD).await;
        let (_, page) = get(&app, &ch, &format!("/payroll/runs/{id}")).await;
        assert!(
            page.contains(&format!("action=\"/payroll/runs/{id}/check\"")),
            "the chairman is offered the check: {page}"
        );
        assert!(!page.contains(&format!("/payroll/runs/{id}/discard")));
        let (status, location, body) = act(&app, &ch, &ch_csrf, id, "check").await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, format!("/payroll/runs/{id}?done=payroll-checked"));
        let (_, page) = get(&app, &ch, &location).await;
        assert!(page.contains("Đã kiểm tra bảng chi trả."), "{page}");
        assert_eq!(status_of(&page), "Đã kiểm tra");
        assert!(page.contains("Người kiểm tra") && page.contains("Cán bộ chutich.a"));
        // The same form twice: stale, not checked twice.
        let (status, _, body) = post(
            &app,
            &ch,
            &format!("/payroll/runs/{id}/check"),
            &[("_csrf", &ch_csrf), ("version", &before.1.to_string())],
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert!(body.contains("vừa được người khác thay đổi"), "{body}");
        // The chairman checks; the officer sends.
        let checked = stored(&app, id).await;
        let (status, _, _) = act(&app, &ch, &ch_csrf, id, "send").await;
        assert_eq!(status, 403);
        assert_eq!(stored(&app, id).await, checked);
        let (status, location, body) = act(&app, &c, &csrf, id, "send").await;
        assert_eq!(status, 303, "{body}");
        let (_, page) = get(&app, &c, &location).await;
        assert_eq!(status_of(&page), "Đã gửi đơn vị chi trả");
        assert!(page.contains("Đã chuyển bảng sang trạng thái gửi đơn vị chi trả."));
        assert!(
            page.contains(&format!("action=\"/payroll/runs/{id}/results?_csrf=")),
            "the results form: {page}"
        );

        // The CSV list: a byte-order mark, Vietnamese intact, the CCCD masked.
        let r = c
            .get(app.url(&format!("/payroll/runs/{id}/export?format=csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
        assert_eq!(
            r.headers()["content-disposition"],
            "attachment; filename=\"chi-tra-29242-2026-11.csv\""
        );
        let list = r.bytes().await.unwrap().to_vec();
        assert!(list.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 BOM");
        let text = std::str::from_utf8(&list[3..]).unwrap();
        assert!(text.starts_with("DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI THÁNG 11/2026"));
        for name in [SOC, RET, DEP] {
            assert!(text.contains(name), "{name}: {text}");
        }
        let soc_row = text
            .lines()
            .find(|l| l.contains(SOC))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(soc_row.contains(",*********456,"), "masked: {soc_row}");
        assert!(soc_row.contains(",810000,"), "amount: {soc_row}");
        assert!(!text.contains(SOC_CCCD), "never in full by default");
        assert!(text.contains(",2700000,"), "the total row: {text}");
        // The officer may ask for the full numbers; an inspector may not.
        let full = export_csv(&app, &c, id, "&ids=full").await;
        assert!(std::str::from_utf8(&full).unwrap().contains(SOC_CCCD));
        let insp = client();
        login(&app, &insp, "thanhtra", PASSWORD).await;
        let r = insp
            .get(app.url(&format!("/payroll/runs/{id}/export?format=csv&ids=full")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let masked = export_csv(&app, &insp, id, "").await;
        let masked = std::str::from_utf8(&masked).unwrap();
        assert!(masked.contains("*********456") && !masked.contains(SOC_CCCD));
        let (_, page) = get(&app, &insp, &format!("/payroll/runs/{id}")).await;
        assert!(
            !page.contains("ids=full"),
            "no full-ID link for the inspector"
        );
        // The XLSX list and the cash signature list.
        for query in ["format=xlsx", "format=xlsx&channel=cash"] {
            let r = c
                .get(app.url(&format!("/payroll/runs/{id}/export?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{query}");
            assert_eq!(
                r.headers()["content-type"],
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            );
            assert!(r.bytes().await.unwrap().starts_with(b"PK"), "{query}");
        }

        // Results: one bad row reported, the good rows kept.
        let sent = stored(&app, id).await;
        let file = sample_results(&list);
        let r = upload(
            &app,
            &c,
            &csrf,
            id,
            &sent.1.to_string(),
            "ket-qua.csv",
            file.clone(),
        )
        .await;
        assert_eq!(r.status(), 200);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Đã nhập kết quả chi trả. Các dòng hợp lệ đã được ghi nhận."),
            "{page}"
        );
        assert!(
            page.contains("<dt>Dòng hợp lệ đã ghi nhận</dt><dd>2</dd>"),
            "{page}"
        );
        assert!(page.contains("<dt>Đã nhận</dt><dd>1</dd>"));
        assert!(page.contains("<dt>Chưa nhận</dt><dd>1</dd>"));
        assert!(page.contains("<dt>Khoản chi chưa có kết quả</dt><dd>1</dd>"));
        assert!(page.contains("<dt>Dòng bị từ chối</dt><dd>1</dd>"));
        assert_eq!(page.matches("class=\"bad-row\"").count(), 1, "{page}");
        assert!(
            page.contains("<tr class=\"bad-row\"><td class=\"num\">6</td>"),
            "the spreadsheet's row (title, unit, header, then the payments): {page}"
        );
        assert!(
            page.contains("số tiền 999 đ khác danh sách (810.000 đ)"),
            "{page}"
        );
        assert_eq!(status_of(&page), "Đã có kết quả chi trả");
        let results = stored(&app, id).await;
        assert_eq!(results.0, "results");
        // The same file again is refused: nothing is recorded twice.
        let r = upload(
            &app,
            &c,
            &csrf,
            id,
            &results.1.to_string(),
            "ket-qua.csv",
            file,
        )
        .await;
        assert_eq!(r.status(), 422);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Bảng chi trả không ở trạng thái cho phép thao tác này")
        );
        assert_eq!(stored(&app, id).await, results);
        // The reconciliation counts what was kept.
        let (_, recon) = get(&app, &c, "/payroll/reconciliation?month=2026-11").await;
        assert!(
            recon.contains(
                "<td class=\"num\">2.700.000 đ</td><td class=\"num\">0 đ</td>\
                 <td class=\"num\">810.000 đ</td><td class=\"num\">1.080.000 đ</td>\
                 <td class=\"num\">0 đ</td><td class=\"num\">810.000 đ</td>"
            ),
            "listed, to recover, paid, unpaid, returned, unresolved: {recon}"
        );

        // Closing: the chairman only.
        let (status, _, _) = act(&app, &c, &csrf, id, "close").await;
        assert_eq!(status, 403);
        assert_eq!(stored(&app, id).await, results);
        let (status, location, body) = act(&app, &ch, &ch_csrf, id, "close").await;
        assert_eq!(status, 303, "{body}");
        let (_, page) = get(&app, &ch, &location).await;
        assert_eq!(status_of(&page), "Đã khóa sổ");
        assert!(page.contains("Đã khóa sổ bảng chi trả."));
        assert!(page.contains("Khóa sổ lúc"));
        assert!(!page.contains("<form method=\"post\" action=\"/payroll/runs/"));
        // A closed run cannot be discarded.
        let closed = stored(&app, id).await;
        assert_eq!(closed.0, "closed");
        let (status, _, _) = post(
            &app,
            &c,
            &format!("/payroll/runs/{id}/discard"),
            &[("_csrf", &csrf), ("version", &closed.1.to_string())],
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(stored(&app, id).await, closed);
        assert!(app.app.verify_audit().await.unwrap().is_intact());
        app.stop().await;
    }
);

db_test!(
    who_prepared_a_run_cannot_check_it_even_when_allowed_to_check,
    |t| async move {
        let app = setup(&t).await;
        // A province officer may prepare and check payroll, but not both for one run.
        app.user("canbo.tinh", "province_officer", app.unit("86"))
            .await;
        app.user("canbo.tinh2", "province_officer", app.unit("86"))
            .await;
        let p = client();
        let csrf = login(&app, &p, "canbo.tinh", PASSWORD).await;
        let id = run_month(&app, &p, &csrf).await;
        let (_, page) = get(&app, &p, &format!("/payroll/runs/{id}")).await;
        assert!(
            page.contains("Bạn đã lập bảng này: cần người khác kiểm tra."),
            "{page}"
        );
        assert!(!page.contains(&format!("/payroll/runs/{id}/check")));
        let before = stored(&app, id).await;
        let (status, _, body) = post(
            &app,
            &p,
            &format!("/payroll/runs/{id}/check"),
            &[("_csrf", &csrf), ("version", &before.1.to_string())],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("Người lập bảng chi trả không được tự kiểm tra."),
            "{body}"
        );
        assert_eq!(stored(&app, id).await, before, "nothing changed");
        // Another officer with the same role can.
        let q = client();
        let q_csrf = login(&app, &q, "canbo.tinh2", PASSWORD).await;
        let (status, _, body) = act(&app, &q, &q_csrf, id, "check").await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(stored(&app, id).await.0, "checked");
        app.stop().await;
    }
);

db_test!(another_commune_gets_nothing_of_the_run, |t| async move {
    let app = setup(&t).await;
    let c = client();
    let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
    let id = run_month(&app, &c, &csrf).await;
    let before = stored(&app, id).await;

    let b = client();
    let b_csrf = login(&app, &b, "canbo.b", PASSWORD).await;
    let bc = client();
    let bc_csrf = login(&app, &bc, "chutich.b", PASSWORD).await;
    // The month shows no run of 29242 to 29254's officer.
    let (status, page) = get(&app, &b, "/payroll?month=2026-11").await;
    assert_eq!(status, 200);
    assert!(run_ids(&page).is_empty(), "{page}");
    assert!(page.contains("Chưa có bảng chi trả nào trong tháng này."));
    assert!(!page.contains("Phường Trà Vinh"), "{page}");
    // Nor the job that ran it, nor its total.
    assert!(
        !page.contains("job-done") && !page.contains("2.700.000"),
        "{page}"
    );
    // Not the run, its lists, nor its actions.
    for path in [
        format!("/payroll/runs/{id}"),
        format!("/payroll/runs/{id}?page=2"),
        format!("/payroll/runs/{id}/export?format=csv"),
        format!("/payroll/runs/{id}/export?format=xlsx&channel=cash"),
    ] {
        for client in [&b, &bc] {
            let (status, body) = get(&app, client, &path).await;
            assert_eq!(status, 404, "{path}");
            assert!(body.contains("Không tìm thấy."), "{path}: {body}");
            assert!(!body.contains(SOC) && !body.contains("810.000"), "{path}");
        }
    }
    let version = before.1.to_string();
    for (client, csrf, action) in [
        (&bc, &bc_csrf, "check"),
        (&b, &b_csrf, "send"),
        (&bc, &bc_csrf, "close"),
        (&b, &b_csrf, "discard"),
    ] {
        let (status, _, body) = post(
            &app,
            client,
            &format!("/payroll/runs/{id}/{action}"),
            &[("_csrf", csrf), ("version", &version)],
        )
        .await;
        assert_eq!(status, 404, "{action}: {body}");
    }
    let r = upload(
        &app,
        &b,
        &b_csrf,
        id,
        &version,
        "kq.csv",
        b"STT,Ma chi tra,Tong cong,Ket qua\r\n".to_vec(),
    )
    .await;
    assert_eq!(r.status(), 404);
    // Nor a transfer for it.
    let (status, _, body) = post(
        &app,
        &bc,
        "/payroll/reconciliation/transfers",
        &[
            ("_csrf", &bc_csrf),
            ("month", MONTH),
            ("unit_code", "29242"),
            ("channel", "cash"),
            ("amount", "2700000"),
            ("reference", "UNC"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("Xã này không có bảng chi trả trong tháng (trong phạm vi của bạn)."),
        "{body}"
    );
    let (_, recon) = get(&app, &bc, "/payroll/reconciliation?month=2026-11").await;
    assert!(recon.contains("Chưa có bảng chi trả nào trong tháng này."));
    assert!(!recon.contains("2.700.000"), "{recon}");
    let (_, budget) = get(&app, &b, "/payroll/budget").await;
    assert_eq!(by_id(&budget, "budget-total"), "0 đ", "{budget}");
    // The run is as it was, and its commune still sees it.
    assert_eq!(stored(&app, id).await, before);
    let (status, _) = get(&app, &c, &format!("/payroll/runs/{id}")).await;
    assert_eq!(status, 200);

    // Runs that do not exist, and ids that are not ids: 404, never a server error.
    for path in [
        "/payroll/runs/999999".to_string(),
        "/payroll/runs/0".into(),
        "/payroll/runs/-1".into(),
        "/payroll/runs/abc".into(),
        "/payroll/runs/1.5".into(),
        "/payroll/runs/99999999999999999999999".into(),
        "/payroll/runs/999999/export?format=csv".into(),
        "/payroll/runs/abc/export?format=csv".into(),
    ] {
        let (status, body) = get(&app, &c, &path).await;
        assert_eq!(status, 404, "{path}: {body}");
        assert!(body.contains("Không tìm thấy."), "{path}");
    }
    // The officer may not check or close at all (403); for the rest, no such run (404).
    for (action, run, expect) in [
        ("check", "999999", 403),
        ("close", "999999", 403),
        ("send", "999999", 404),
        ("discard", "999999", 404),
        ("check", "abc", 404),
        ("send", "abc", 404),
        ("close", "-3", 404),
        ("discard", "0", 404),
    ] {
        let (status, _, body) = post(
            &app,
            &c,
            &format!("/payroll/runs/{run}/{action}"),
            &[("_csrf", &csrf), ("version", "1")],
        )
        .await;
        assert_eq!(status, expect, "{action} {run}: {body}");
    }
    let ch = client();
    let ch_csrf = login(&app, &ch, "chutich.a", PASSWORD).await;
    for action in ["check", "close"] {
        let (status, _, _) = post(
            &app,
            &ch,
            &format!("/payroll/runs/999999/{action}"),
            &[("_csrf", &ch_csrf), ("version", "1")],
        )
        .await;
        assert_eq!(status, 404, "{action}");
    }
    let r = upload(
        &app,
        &c,
        &csrf,
        999_999,
        "1",
        "kq.csv",
        b"STT,Ma chi tra,Tong cong,Ket qua\r\n".to_vec(),
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(stored(&app, id).await, before);
    app.stop().await;
});

db_test!(
    reconciliation_shows_a_transfer_and_its_discrepancy_and_the_budget_its_amounts,
    |t| async move {
        let app = setup(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let id = run_month(&app, &c, &csrf).await;
        let ch = client();
        let ch_csrf = login(&app, &ch, "chutich.a", PASSWORD).await;

        // Before anything: the list and no transfer.
        let (status, recon) = get(&app, &ch, "/payroll/reconciliation?month=2026-11").await;
        assert_eq!(status, 200, "{recon}");
        assert!(recon.contains("Đối chiếu chi trả — 11/2026"));
        assert!(recon.contains("29242 — Phường Trà Vinh"), "{recon}");
        assert!(recon.contains("Chưa chuyển kinh phí"), "{recon}");
        assert!(recon.contains("danh sách 2.700.000 đ chưa có kinh phí chuyển"));
        assert!(recon.contains("3 khoản chi (2.700.000 đ) chưa có kết quả"));
        assert!(
            recon.contains("action=\"/payroll/reconciliation/transfers\""),
            "the chairman records transfers"
        );
        let (_, officer_recon) = get(&app, &c, "/payroll/reconciliation?month=2026-11").await;
        assert!(!officer_recon.contains("action=\"/payroll/reconciliation/transfers\""));

        // Refused transfers: the form comes back with why; nothing recorded.
        let transfer = |amount: &'static str, unit: &'static str, channel: &'static str| {
            let ch = ch.clone();
            let ch_csrf = ch_csrf.clone();
            let app = &app;
            async move {
                post(
                    app,
                    &ch,
                    "/payroll/reconciliation/transfers",
                    &[
                        ("_csrf", &ch_csrf),
                        ("month", MONTH),
                        ("unit_code", unit),
                        ("channel", channel),
                        ("amount", amount),
                        ("reference", "UNC 15/11"),
                    ],
                )
                .await
            }
        };
        for (amount, unit, channel, message) in [
            (
                "hai triệu",
                "29242",
                "cash",
                "Số tiền ghi bằng chữ số, ví dụ 2.160.000.",
            ),
            ("", "29242", "cash", "Không được để trống."),
            ("-5", "29242", "cash", "Phải lớn hơn 0."),
            ("2000000", "29242", "bitcoin", "Giá trị không hợp lệ."),
            ("2000000", "", "cash", "Không được để trống."),
            (
                "2000000",
                "29254",
                "cash",
                "Xã này không có bảng chi trả trong tháng",
            ),
        ] {
            let (status, _, body) = transfer(amount, unit, channel).await;
            assert_eq!(status, 422, "{amount} {unit} {channel}: {body}");
            assert!(body.contains(message), "{amount} {unit} {channel}: {body}");
            assert!(body.contains("aria-invalid=\"true\""), "{body}");
        }
        let (status, _, _) = post(
            &app,
            &c,
            "/payroll/reconciliation/transfers",
            &[
                ("_csrf", &csrf),
                ("month", MONTH),
                ("unit_code", "29242"),
                ("channel", "cash"),
                ("amount", "2700000"),
                ("reference", ""),
            ],
        )
        .await;
        assert_eq!(status, 403, "an officer does not record transfers");
        let (_, still) = get(&app, &ch, "/payroll/reconciliation?month=2026-11").await;
        assert!(still.contains("Chưa chuyển kinh phí"), "nothing recorded");

        // 2.000.000 đ transferred for a 2.700.000 đ list.
        let (status, location, body) = transfer("2.000.000", "29242", "cash").await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(
            location,
            "/payroll/reconciliation?month=2026-11&done=payroll-transfer-recorded"
        );
        let (_, recon) = get(&app, &ch, &location).await;
        assert!(recon.contains("Đã ghi nhận kinh phí chuyển."), "{recon}");
        assert!(!recon.contains("Chưa chuyển kinh phí"), "{recon}");
        assert!(
            recon.contains("Kinh phí chuyển khác danh sách"),
            "the discrepancy: {recon}"
        );
        assert!(
            recon.contains("<td class=\"num\">2.700.000 đ</td><td class=\"num\">2.000.000 đ</td>"),
            "expected, actual: {recon}"
        );
        assert!(
            recon.contains(
                "kinh phí đã chuyển 2.000.000 đ khác tổng danh sách 2.700.000 đ \
                 (chênh lệch -700.000 đ)"
            ),
            "{recon}"
        );
        // Totals: listed, paid, unpaid, returned, unresolved, transferred.
        assert!(
            recon.contains(
                "<th class=\"num\">2.700.000 đ</th><th></th><th class=\"num\">0 đ</th>\
                 <th class=\"num\">0 đ</th><th class=\"num\">0 đ</th>\
                 <th class=\"num\">2.700.000 đ</th><th class=\"num\">2.000.000 đ</th>"
            ),
            "{recon}"
        );
        // The balance still at the paying organisation.
        assert!(
            recon.contains(
                "<td class=\"num\">2.000.000 đ</td><td class=\"num\">2.000.000 đ</td></tr>"
            ),
            "{recon}"
        );
        // Another month has nothing.
        let (status, other) = get(&app, &ch, "/payroll/reconciliation?month=2026-10").await;
        assert_eq!(status, 200);
        assert!(other.contains("Chưa có bảng chi trả nào trong tháng này."));
        assert!(other.contains("Không có chênh lệch."));

        // After the results, the paid amount is counted against the transfer.
        let officer = (&c, csrf.as_str());
        check_and_send(&app, officer, (&ch, &ch_csrf), id).await;
        let list = export_csv(&app, &c, id, "").await;
        let file = results_file(&list, |_, cells| cells[13] = "Đã nhận".into());
        let version = stored(&app, id).await.1.to_string();
        let r = upload(&app, &c, &csrf, id, &version, "kq.csv", file).await;
        assert_eq!(r.status(), 200);
        let (_, recon) = get(&app, &ch, "/payroll/reconciliation?month=2026-11").await;
        assert!(recon.contains("Đã chi vượt kinh phí"), "{recon}");
        assert!(
            recon.contains("báo cáo đã chi 2.700.000 đ vượt kinh phí đã chuyển 2.000.000 đ"),
            "{recon}"
        );
        assert!(
            !recon.contains("chưa có kết quả"),
            "every payment has a result: {recon}"
        );

        // The budget: next month by default, with amounts.
        let (status, budget) = get(&app, &c, "/payroll/budget").await;
        assert_eq!(status, 200, "{budget}");
        assert!(
            budget.contains("Dự toán kinh phí — tháng 12/2026"),
            "{budget}"
        );
        assert_eq!(by_id(&budget, "budget-total"), "2.700.000 đ");
        assert!(
            budget.contains("29242 — Phường Trà Vinh</td><td class=\"num\">2.700.000 đ"),
            "by commune: {budget}"
        );
        assert!(budget.contains("<td>12/2026</td><td class=\"num\">2.700.000 đ</td>"));
        assert!(
            budget.contains("<td class=\"num\">3</td><td class=\"num\">2.700.000 đ</td>"),
            "3 person-months: {budget}"
        );
        assert!(budget.contains("Ngân sách địa phương"), "{budget}");
        // Each source with the basis the catalogue's funding table gives.
        assert!(
            budget.contains("Ngân sách địa phương</td><td class=\"num\">2.700.000 đ</td><td class=\"muted\">khoản 1 Điều 2 76/2021/TT-BTC"),
            "funding basis: {budget}"
        );
        let (status, budget) = get(&app, &c, "/payroll/budget?month=2027-01").await;
        assert_eq!(status, 200);
        assert!(budget.contains("Dự toán kinh phí — tháng 01/2027"));
        assert_eq!(by_id(&budget, "budget-total"), "2.700.000 đ");
        let (status, budget) = get(&app, &c, "/payroll/budget?year=2027").await;
        assert_eq!(status, 200, "{budget}");
        assert!(budget.contains("Dự toán kinh phí — năm 2027"));
        assert_eq!(
            by_id(&budget, "budget-total"),
            "32.400.000 đ",
            "12 × 2.700.000 đ: {budget}"
        );
        assert!(
            budget.contains("<td>12/2027</td><td class=\"num\">2.700.000 đ</td>"),
            "{budget}"
        );
        app.stop().await;
    }
);

db_test!(
    bad_input_is_a_clear_4xx_and_changes_nothing,
    |t| async move {
        let app = setup(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;

        // Malformed months: 400 with the reason, in every page that takes one.
        for path in [
            "/payroll?month=2026-13",
            "/payroll?month=2026-1",
            "/payroll?month=abc",
            "/payroll?month=11%2F2026",
            "/payroll?month=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "/payroll?month=99999-01",
            "/payroll/reconciliation?month=2026-00",
            "/payroll/reconciliation?month=x",
            "/payroll/budget?month=2026-13",
            "/payroll/budget?year=abc",
            "/payroll/budget?year=1999",
            "/payroll/budget?year=99999999999",
        ] {
            let (status, body) = get(&app, &c, path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert!(
                body.contains("Tháng không hợp lệ: ghi năm-tháng, ví dụ 2026-11."),
                "{path}: {body}"
            );
            assert!(!body.contains("<script>"), "{path}: escaped");
        }
        let (status, _) = get(&app, &c, "/payroll?month=2026-11&done=payroll-job-started").await;
        assert_eq!(status, 200);

        // Starting a month: a bad month, no CSRF token, or a role that may not prepare.
        for month in ["", "2026-13", "tháng 11", "2026/11"] {
            let (status, _, body) = post(
                &app,
                &c,
                "/payroll/jobs",
                &[("_csrf", &csrf), ("month", month)],
            )
            .await;
            assert_eq!(status, 400, "{month:?}: {body}");
            assert!(body.contains("Tháng không hợp lệ"), "{body}");
        }
        let (status, _, body) = post(&app, &c, "/payroll/jobs", &[("month", MONTH)]).await;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ"));
        let ch = client();
        let ch_csrf = login(&app, &ch, "chutich.a", PASSWORD).await;
        let (status, _, _) = post(
            &app,
            &ch,
            "/payroll/jobs",
            &[("_csrf", &ch_csrf), ("month", MONTH)],
        )
        .await;
        assert_eq!(status, 403, "a chairman checks, never prepares");
        let (_, page) = get(&app, &ch, "/payroll").await;
        assert!(!page.contains("action=\"/payroll/jobs\""));
        assert_eq!(work(&app).await, 0, "no job was queued");
        let (_, page) = get(&app, &c, "/payroll?month=2026-11").await;
        assert!(page.contains("Chưa có việc lập bảng nào."), "{page}");
        // Anonymous: to the login page.
        let anon = client();
        let r = anon.get(app.url("/payroll")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login")
        );

        let id = run_month(&app, &c, &csrf).await;
        // Query parameters that do not parse.
        for path in [
            format!("/payroll/runs/{id}?page=abc"),
            format!("/payroll/runs/{id}?page=-1"),
            format!("/payroll/runs/{id}/export?format=pdf"),
            format!("/payroll/runs/{id}/export?format=csv&channel=bitcoin"),
        ] {
            let (status, body) = get(&app, &c, &path).await;
            assert_eq!(status, 400, "{path}: {body}");
            assert!(body.contains("Yêu cầu không hợp lệ."), "{path}: {body}");
        }
        let (status, page) = get(&app, &c, &format!("/payroll/runs/{id}?page=999")).await;
        assert_eq!(status, 200, "a page past the end shows the last");
        assert!(page.contains("Đang hiện 1–3 / 3."));
        // A version that is not a number: stale, nothing changed.
        let ch_page = get(&app, &ch, &format!("/payroll/runs/{id}")).await.1;
        assert!(ch_page.contains("/check"));
        let before = stored(&app, id).await;
        for version in ["", "abc", "99999999999"] {
            let (status, _, body) = post(
                &app,
                &ch,
                &format!("/payroll/runs/{id}/check"),
                &[("_csrf", &ch_csrf), ("version", version)],
            )
            .await;
            assert_eq!(status, 409, "{version:?}: {body}");
        }
        // A form that is not a form.
        let r = ch
            .post(app.url(&format!("/payroll/runs/{id}/check")))
            .header("x-csrf-token", &ch_csrf)
            .header("content-type", "application/json")
            .body("{\"version\":1}")
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
        assert_eq!(stored(&app, id).await, before);

        // Results files: only on a sent run, and only readable ones.
        let version = before.1.to_string();
        let r = upload(
            &app,
            &c,
            &csrf,
            id,
            &version,
            "kq.csv",
            b"STT,Ma chi tra\r\n".to_vec(),
        )
        .await;
        assert_eq!(r.status(), 422, "a draft takes no results");
        check_and_send(&app, (&c, &csrf), (&ch, &ch_csrf), id).await;
        let sent = stored(&app, id).await;
        let version = sent.1.to_string();
        let list = export_csv(&app, &c, id, "").await;
        let mut garbage = vec![0xFFu8, 0xFE, 0x00, 0x01];
        garbage.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
        let mut fake_xlsx = b"PK\x03\x04".to_vec();
        fake_xlsx.extend_from_slice(&[0u8; 200]);
        for (name, bytes, expect, text) in [
            (
                "kq.csv",
                garbage.clone(),
                422,
                "Không nhập được tệp kết quả.",
            ),
            (
                "kq.csv",
                "Họ và tên,Số tiền\r\nKim Văn Sóc,810000\r\n"
                    .as_bytes()
                    .to_vec(),
                422,
                "Không nhập được tệp kết quả.",
            ),
            (
                "kq.xlsx",
                fake_xlsx.clone(),
                422,
                "Không nhập được tệp kết quả.",
            ),
            (
                "kq.xlsx",
                garbage.clone(),
                422,
                "Không nhập được tệp kết quả.",
            ),
            ("kq.csv", Vec::new(), 422, "Thông tin chưa hợp lệ."),
        ] {
            let r = upload(&app, &c, &csrf, id, &version, name, bytes).await;
            assert_eq!(r.status().as_u16(), expect, "{name}");
            let body = r.text().await.unwrap();
            assert!(body.contains(text), "{name}: {body}");
            assert_eq!(stored(&app, id).await, sent, "{name}: nothing changed");
        }
        // Without a version, or with an old one.
        let file = sample_results(&list);
        let r = upload(&app, &c, &csrf, id, "", "kq.csv", file.clone()).await;
        assert_eq!(r.status(), 409);
        let r = upload(
            &app,
            &c,
            &csrf,
            id,
            &before.1.to_string(),
            "kq.csv",
            file.clone(),
        )
        .await;
        assert_eq!(r.status(), 409);
        // Without the CSRF token.
        let form = reqwest::multipart::Form::new()
            .text("version", version.clone())
            .part(
                "file",
                reqwest::multipart::Part::bytes(file.clone()).file_name("kq.csv"),
            );
        let r = c
            .post(app.url(&format!("/payroll/runs/{id}/results")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // Not multipart at all.
        let (status, _, _) = post(
            &app,
            &c,
            &format!("/payroll/runs/{id}/results?_csrf={csrf}"),
            &[("version", &version)],
        )
        .await;
        assert!((400..500).contains(&status), "{status}");
        // One byte over the cap: refused as too large, even though it is a real list.
        let mut big = file.clone();
        big.extend_from_slice(b"\r\n");
        big.resize(ansinh_web::pages::payroll::MAX_RESULTS_BYTES + 1, b' ');
        let r = upload(&app, &c, &csrf, id, &version, "kq.csv", big).await;
        assert_eq!(r.status(), 413);
        assert!(r.text().await.unwrap().contains("Dữ liệu gửi lên quá lớn."));
        assert_eq!(stored(&app, id).await, sent, "nothing changed");
        let (_, recon) = get(&app, &c, "/payroll/reconciliation?month=2026-11").await;
        assert!(
            recon.contains("3 khoản chi (2.700.000 đ) chưa có kết quả"),
            "no result recorded: {recon}"
        );
        // The real file still goes in afterwards.
        let r = upload(&app, &c, &csrf, id, &version, "kq.csv", file).await;
        assert_eq!(r.status(), 200);
        assert_eq!(stored(&app, id).await.0, "results");
        app.stop().await;
    }
);

db_test!(
    a_draft_is_discarded_and_computed_again_identically,
    |t| async move {
        let app = setup(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let id = run_month(&app, &c, &csrf).await;
        let (_, page) = get(&app, &c, &format!("/payroll/runs/{id}")).await;
        let hash = by_id_hash(&page);
        // Another month lists this one among the months run.
        let (_, december) = get(&app, &c, "/payroll?month=2026-12").await;
        assert!(
            december.contains("<a href=\"/payroll?month=2026-11\">11/2026</a>"),
            "{december}"
        );
        assert!(december.contains("Chưa có bảng chi trả nào trong tháng này."));
        // A stale form discards nothing.
        let before = stored(&app, id).await;
        let (status, _, body) = post(
            &app,
            &c,
            &format!("/payroll/runs/{id}/discard"),
            &[
                ("_csrf", &csrf),
                ("version", &(before.1 + 1).to_string()),
                ("month", MONTH),
            ],
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(stored(&app, id).await, before);
        // The chairman does not prepare, so does not discard either.
        let ch = client();
        let ch_csrf = login(&app, &ch, "chutich.a", PASSWORD).await;
        let (status, _, _) = act(&app, &ch, &ch_csrf, id, "discard").await;
        assert_eq!(status, 403);
        assert_eq!(stored(&app, id).await, before);
        // The officer discards the draft: back to the month, the commune not run.
        let (status, location, body) = act(&app, &c, &csrf, id, "discard").await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, "/payroll?month=2026-11&done=payroll-discarded");
        let (_, page) = get(&app, &c, &location).await;
        assert!(page.contains("Đã hủy bản nháp."), "{page}");
        assert!(run_ids(&page).is_empty(), "{page}");
        assert!(page.contains("Xã chi trả chưa có bảng"));
        let (status, _) = get(&app, &c, &format!("/payroll/runs/{id}")).await;
        assert_eq!(status, 404, "the discarded run is gone");
        // Computed again from the same data: the same content.
        let again = run_month(&app, &c, &csrf).await;
        assert_ne!(again, id);
        let (_, page) = get(&app, &c, &format!("/payroll/runs/{again}")).await;
        assert_eq!(by_id_hash(&page), hash);
        assert_eq!(by_id(&page, "run-net"), "2.700.000 đ");
        app.stop().await;
    }
);

db_test!(
    a_month_without_policy_fails_in_the_job_list_not_in_the_page,
    |t| async move {
        let app = setup(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let (status, location, body) = post(
            &app,
            &c,
            "/payroll/jobs",
            &[("_csrf", &csrf), ("month", "1800-01")],
        )
        .await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(work(&app).await, 1);
        let (status, page) = get(&app, &c, &location).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("Chi trả trợ cấp hằng tháng — Tháng 01/1800"));
        assert!(
            page.contains("<span class=\"badge job-failed\">Lỗi</span>"),
            "{page}"
        );
        assert!(
            page.contains("<p class=\"err\">Thông tin chưa hợp lệ."),
            "the reason is shown in words: {page}"
        );
        assert!(
            !page.contains("FieldError") && !page.contains("Invalid("),
            "no internal detail: {page}"
        );
        assert!(run_ids(&page).is_empty());
        assert_eq!(
            ansinh_store::payroll::run_months(app.app.db.conn())
                .await
                .unwrap(),
            Vec::<i32>::new()
        );
        app.stop().await;
    }
);
