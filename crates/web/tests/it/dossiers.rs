//! Dossiers over HTTP: intake, posting, attachments, forged ids, public status.

use ansinh_testkit::db_test;

use crate::support::*;

/// 09:00 in Vietnam on a date.
pub fn at(y: i32, m: u32, day: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(&format!("{y:04}-{m:02}-{day:02}T09:00:00+07:00"))
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// Registers a person (HIV positive, with a CCCD) and receives a 1đ dossier for them;
/// returns (person id, dossier id).
pub async fn person_with_dossier(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
) -> (String, String) {
    let unit = app.unit("29242").0.to_string();
    let mut form = person_form(csrf, "Thạch Thị Sa Phia", &unit);
    form.retain(|(k, _)| !matches!(*k, "cccd" | "sex" | "disability"));
    form.extend([
        ("cccd", "084144555666"),
        ("sex", "female"),
        ("hiv_positive", "true"),
        ("disability", "severe"),
        ("disability_cert_date", "2026-10-01"),
    ]);
    let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let person = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/people/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let page = c
        .get(app.url(&format!("/dossiers/new?person={person}&type=1dd")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"documents\""),
        "the checklist is shown: {page}"
    );
    let documents: Vec<String> = page
        .match_indices("name=\"documents\" value=\"")
        .map(|(i, m)| page[i + m.len()..].split('"').next().unwrap().to_string())
        .collect();
    let mut body: Vec<(&str, &str)> = vec![
        ("_csrf", csrf),
        ("person_id", &person),
        ("application_type", "1dd"),
        ("channel", "in_person"),
        ("requested_group", "k6"),
    ];
    for d in &documents {
        body.push(("documents", d));
    }
    let r = c
        .post(app.url("/dossiers"))
        .form(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let receipt = r.headers()["location"].to_str().unwrap().to_string();
    let dossier = receipt
        .trim_start_matches("/dossiers/")
        .trim_end_matches("/receipt")
        .to_string();
    (person, dossier)
}

/// Loads the dossier page for its version, then posts one action on it.
async fn act(
    app: &TestApp,
    c: &reqwest::Client,
    csrf: &str,
    dossier: &str,
    what: &str,
) -> reqwest::Response {
    let page = c
        .get(app.url(&format!("/dossiers/{dossier}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200, "{what}");
    let page = page.text().await.unwrap();
    c.post(app.url(&format!("/dossiers/{dossier}/act")))
        .form(&[
            ("_csrf", csrf),
            ("version", &version_of(&page)),
            ("do", what),
        ])
        .send()
        .await
        .unwrap()
}

fn version_of(page: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let i = page
        .find(marker)
        .unwrap_or_else(|| panic!("no version field in {page}"))
        + marker.len();
    page[i..].split('"').next().unwrap().to_string()
}

db_test!(
    the_posting_list_shows_no_id_number_and_no_hiv_status,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        app.set_now(at(2026, 11, 2));
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let (_, dossier) = person_with_dossier(&app, &c, &csrf).await;
        // A dossier with missing documents is refused with the list of what is missing.
        let page = c
            .get(app.url(&format!("/dossiers/{dossier}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = c
            .post(app.url(&format!("/dossiers/{dossier}/act")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("version", &version_of(&page)),
                ("do", "complete|commune_review|pass"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let public = client();
        let html = public
            .get(app.url("/posting/29242"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Thạch Thị Sa Phia"), "posted: {html}");
        assert!(
            html.contains("1.080.000 đ"),
            "with the proposed amount: {html}"
        );
        assert!(
            !html.contains("084144555666") && !html.contains("555666"),
            "never an ID number"
        );
        assert!(!html.contains("HIV"), "never the HIV status");
        let index = public
            .get(app.url("/posting"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(index.contains("/posting/29242"));
        assert_eq!(
            public
                .get(app.url("/posting/99999"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        app.stop().await;
    }
);

db_test!(
    a_commune_officer_cannot_record_the_decision,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        app.set_now(at(2026, 11, 2));
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let (_, dossier) = person_with_dossier(&app, &c, &csrf).await;
        assert_eq!(
            act(&app, &c, &csrf, &dossier, "complete|commune_review|pass")
                .await
                .status(),
            303
        );
        // Wrong step: the decision comes later.
        let r = act(&app, &c, &csrf, &dossier, "grant||").await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("không ở bước này"));
        app.set_now(at(2026, 11, 5));
        // Sessions expire after idle minutes; three days on, the officer signs in again.
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        assert_eq!(
            act(&app, &c, &csrf, &dossier, "complete|public_posting|done")
                .await
                .status(),
            303
        );
        let r = act(&app, &c, &csrf, &dossier, "grant||").await;
        assert_eq!(r.status(), 422, "a commune officer cannot decide");
        assert!(r.text().await.unwrap().contains("Vai trò của bạn"));
        // A stale form is refused.
        let r = c
            .post(app.url(&format!("/dossiers/{dossier}/act")))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("version", "1"),
                ("do", "pause||"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        app.stop().await;
    }
);

db_test!(
    attachments_are_checked_by_size_and_by_content,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        app.user("canbo.b", "commune_officer", app.unit("29254"))
            .await;
        app.set_now(at(2026, 11, 2));
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let (_, dossier) = person_with_dossier(&app, &c, &csrf).await;
        let url = app.url(&format!("/dossiers/{dossier}/attachments?_csrf={csrf}"));
        let upload = |name: &'static str, bytes: Vec<u8>, document: &'static str| {
            let c = c.clone();
            let url = url.clone();
            async move {
                let form = reqwest::multipart::Form::new()
                    .text("document_code", document)
                    .part(
                        "file",
                        reqwest::multipart::Part::bytes(bytes).file_name(name),
                    );
                c.post(url).multipart(form).send().await.unwrap()
            }
        };
        // Wrong type: a script renamed .pdf.
        let r = upload("don.pdf", b"#!/bin/sh\nrm -rf /\n".to_vec(), "form-1dd").await;
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("PDF, JPEG hoặc PNG"));
        // Too large.
        let mut big = b"%PDF-1.7\n".to_vec();
        // One byte over the cap: read whole, then refused (a body far over the route's limit is
        // cut off mid-upload, which a client may see as a reset rather than a 413).
        big.resize(ansinh_app::dossiers::MAX_ATTACHMENT_BYTES + 1, b'x');
        let r = upload("lon.pdf", big, "form-1dd").await;
        assert_eq!(r.status(), 413);
        // A document not on this dossier's checklist.
        let r = upload(
            "don.pdf",
            b"%PDF-1.7\n%%EOF\n".to_vec(),
            "death-certificate-copy",
        )
        .await;
        assert_eq!(r.status(), 422);
        // Without the CSRF token.
        let form = reqwest::multipart::Form::new()
            .text("document_code", "form-1dd")
            .part(
                "file",
                reqwest::multipart::Part::bytes(b"%PDF-1.7\n".to_vec()).file_name("x.pdf"),
            );
        let r = c
            .post(app.url(&format!("/dossiers/{dossier}/attachments")))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // A real PDF is stored with its checksum and comes back unchanged.
        let pdf = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n".to_vec();
        let r = upload("to-khai.pdf", pdf.clone(), "form-1dd").await;
        assert_eq!(r.status(), 303);
        let page = c
            .get(app.url(&format!("/dossiers/{dossier}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let marker = format!("/dossiers/{dossier}/attachments/");
        let i = page.find(&marker).unwrap() + marker.len();
        let aid: String = page[i..]
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let r = c
            .get(app.url(&format!("/dossiers/{dossier}/attachments/{aid}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
        // Another commune's officer gets nothing: not the dossier, not its files.
        let b = client();
        login(&app, &b, "canbo.b", PASSWORD).await;
        assert_eq!(
            b.get(app.url(&format!("/dossiers/{dossier}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        assert_eq!(
            b.get(app.url(&format!("/dossiers/{dossier}/attachments/{aid}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        // Forged ids.
        for path in [
            "/dossiers/abc",
            "/dossiers/0",
            "/dossiers/999999",
            "/decisions/999999",
            "/dossiers/1/attachments/999",
        ] {
            assert_eq!(
                c.get(app.url(path)).send().await.unwrap().status(),
                404,
                "{path}"
            );
        }
        app.stop().await;
    }
);

db_test!(
    anyone_with_the_code_and_birth_date_sees_the_status,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        app.set_now(at(2026, 11, 2));
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let (_, dossier) = person_with_dossier(&app, &c, &csrf).await;
        let receipt = c
            .get(app.url(&format!("/dossiers/{dossier}/receipt")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(receipt.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
        let code_start = receipt.find("29242-").unwrap();
        let code: String = receipt[code_start..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let public = client();
        let page = public
            .get(app.url("/status"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let pcsrf = csrf_of(&page);
        let r = public
            .post(app.url("/status"))
            .form(&[
                ("_csrf", pcsrf.as_str()),
                ("code", code.as_str()),
                ("secret", "20/05/1944"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains(&code) && html.contains("Ngày hẹn trả kết quả"));
        assert!(
            !html.contains("Thạch Thị Sa Phia"),
            "the status names nobody"
        );
        let r = public
            .post(app.url("/status"))
            .form(&[
                ("_csrf", pcsrf.as_str()),
                ("code", code.as_str()),
                ("secret", "01/01/1944"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404);
        app.stop().await;
    }
);

db_test!(
    the_calendar_and_the_task_lists_are_in_the_api,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        app.set_now(at(2026, 11, 2));
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        person_with_dossier(&app, &c, &csrf).await;
        let holidays = c
            .get(app.url("/api/v1/calendar/holidays?year=2026"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let holidays: serde_json::Value =
            serde_json::from_str(&holidays).unwrap_or_else(|e| panic!("{e}: {holidays}"));
        assert!(
            holidays
                .as_array()
                .unwrap_or_else(|| panic!("{holidays}"))
                .iter()
                .any(|h| h["date"] == "2026-02-16")
        );
        let r: serde_json::Value = c
            .get(app.url("/api/v1/calendar/add-working-days?date=2026-02-12&n=3"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["date"], "2026-02-24");
        let r = c
            .get(app.url("/api/v1/calendar/add-working-days?date=hom-nay&n=3"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let tasks: serde_json::Value = c
            .get(app.url("/api/v1/dossiers/tasks"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(tasks.as_array().unwrap().len(), 1);
        assert_eq!(tasks[0]["step"], "commune_review");
        // Ten working days later the review is overdue.
        app.set_now(at(2026, 11, 16));
        login(&app, &c, "canbo.a", PASSWORD).await;
        let overdue: serde_json::Value = c
            .get(app.url("/api/v1/dossiers/overdue"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(overdue.as_array().unwrap().len(), 1);
        app.stop().await;
    }
);
