//! Bad input gets a clear 4xx and changes nothing.

use ansinh_testkit::db_test;

use crate::support::*;

db_test!(
    bad_json_gets_clear_errors_and_writes_nothing,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let post = |body: &'static str| {
            c.post(app.url("/api/v1/people"))
                .header("content-type", "application/json")
                .header("x-csrf-token", csrf.clone())
                .body(body)
                .send()
        };
        // Malformed JSON.
        let r = post("{\"full_name\": ").await.unwrap();
        assert_eq!(r.status(), 400);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["code"], "bad-request");
        assert!(
            body["detail"].as_str().unwrap().len() > 5,
            "says what is wrong"
        );
        // Wrong types.
        let r = post("{\"full_name\": 5, \"sex\": \"male\", \"birth_date\": \"1950\", \"ethnicity_code\": \"01\", \"unit_id\": \"abc\", \"hamlet\": \"x\"}").await.unwrap();
        assert_eq!(r.status(), 422);
        // Unknown fields.
        let r = post("{\"full_name\": \"A\", \"is_admin\": true}")
            .await
            .unwrap();
        assert!(r.status() == 422 || r.status() == 400, "{}", r.status());
        // Not JSON at all.
        let r = c
            .post(app.url("/api/v1/people"))
            .header("x-csrf-token", csrf.clone())
            .body("hello")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 415);
        // Unknown unit, SQL and HTML in the name, a future birth date: every problem listed.
        let r = c
            .post(app.url("/api/v1/people"))
            .header("x-csrf-token", csrf.clone())
            .json(&serde_json::json!({
                "full_name": "<script>alert('x')</script>'; DROP TABLE persons; --",
                "sex": "female", "birth_date": "2099-01-01", "ethnicity_code": "99",
                "unit_id": 999999, "hamlet": "Ấp <b>1</b>", "cccd": "12345"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let body: serde_json::Value = r.json().await.unwrap();
        let fields: Vec<&str> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        for f in [
            "full_name",
            "birth_date",
            "ethnicity_code",
            "unit_id",
            "hamlet",
            "cccd",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert!(
            body["fields"][0]["message"].as_str().unwrap().len() > 3,
            "messages are given"
        );
        // Oversized body.
        let big = format!("{{\"full_name\": \"{}\"}}", "a".repeat(2 * 1024 * 1024));
        let r = c
            .post(app.url("/api/v1/people"))
            .header("content-type", "application/json")
            .header("x-csrf-token", csrf.clone())
            .body(big)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413);
        assert_eq!(people_count(&app).await, 0, "nothing half-written");
        app.stop().await;
    }
);

db_test!(
    bad_forms_keep_values_and_show_errors_beside_fields,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let mut form = person_form(&csrf, "Nguyễn <b>Văn</b> A", "999999");
        form.retain(|(k, _)| *k != "birth_date");
        form.push(("birth_date", "15/03/1956"));
        let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("Chỉ được dùng chữ cái"),
            "name error in Vietnamese"
        );
        assert!(
            html.contains("1956-03-15, 1956-03 hoặc 1956"),
            "birth-date error explains the format"
        );
        assert!(
            html.contains("value=\"Nguyễn &lt;b&gt;Văn&lt;/b&gt; A\"")
                || html.contains("value=\"Nguyễn &#60;b&#62;Văn&#60;/b&#62; A\""),
            "value kept, escaped"
        );
        assert!(!html.contains("<b>Văn</b>"), "never rendered as HTML");
        // Invalid UTF-8 in a form body is refused without a server error.
        let mut body = format!("_csrf={csrf}&full_name=").into_bytes();
        body.extend([0xff, 0xfe, 0xfd]);
        body.extend(b"&sex=male");
        let r = c
            .post(app.url("/people"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{}", r.status());
        // Forged ids in URLs.
        for path in [
            "/people/abc",
            "/people/-1",
            "/people/99999999",
            "/people/1'%20OR%201=1",
            "/households/0",
        ] {
            let r = c.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 404, "{path}");
        }
        let r = c
            .get(app.url("/api/v1/people?limit=abc"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        assert_eq!(people_count(&app).await, 0);
        app.stop().await;
    }
);

db_test!(stale_edits_are_refused, |t| async move {
    let app = spawn(&t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    let c = client();
    let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
    let unit = app.unit("29242").0.to_string();
    let r = c
        .post(app.url("/people"))
        .form(&person_form(&csrf, "Lâm Văn Tư", &unit))
        .send()
        .await
        .unwrap();
    let id = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/people/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let mut form = person_form(&csrf, "Lâm Văn Tư", &unit);
    form.push(("version", "1"));
    form.retain(|(k, _)| *k != "hamlet");
    form.push(("hamlet", "Ấp Mới"));
    let r = c
        .post(app.url(&format!("/people/{id}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "first edit");
    let r = c
        .post(app.url(&format!("/people/{id}")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "second edit with the old version");
    assert!(r.text().await.unwrap().contains("người khác thay đổi"));
    app.stop().await;
});
