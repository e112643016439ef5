//! Sessions, CSRF, throttling, tokens and sensitive data.

use ansinh_testkit::db_test;

use crate::support::*;

db_test!(
    state_changing_requests_need_the_csrf_token,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let unit = app.unit("29242").0.to_string();
        let mut form = person_form(&csrf, "Lâm Văn Tư", &unit);
        form.retain(|(k, _)| *k != "_csrf");
        let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 403, "no token");
        let mut form = person_form(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "Lâm Văn Tư",
            &unit,
        );
        form.retain(|(k, _)| !k.is_empty());
        let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 403, "wrong token");
        // JSON with the session cookie needs the header too.
        let r = c
        .post(app.url("/api/v1/people"))
        .json(&serde_json::json!({"full_name": "Lâm Văn Tư", "sex": "male", "birth_date": "1950", "ethnicity_code": "01", "unit_id": 1, "hamlet": "x"}))
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 403);
        assert_eq!(people_count(&app).await, 0, "nothing written");
        // Logout is a POST and needs it as well.
        let r = c.post(app.url("/logout")).send().await.unwrap();
        assert_eq!(r.status(), 403);
        // The login form uses a double-submit token.
        let fresh = client();
        let r = fresh
            .post(app.url("/login"))
            .form(&[("username", "canbo.a"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        app.stop().await;
    }
);

db_test!(a_session_survives_a_restart, |t| async move {
    let app = spawn(&t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    let c = client();
    login(&app, &c, "canbo.a", PASSWORD).await;
    let admin_password = app.admin_password.clone();
    app.stop().await;
    // A new process on the same database.
    let db = ansinh_store::db::Db::open(&t.target).await.unwrap();
    let restarted = ansinh_app::App::start(db, app_config().await, now())
        .await
        .unwrap();
    let app = start(restarted, admin_password).await;
    // The cookie jar is bound to the old port; carry the cookie over by hand.
    let r = c.get(app.url("/account")).send().await.unwrap();
    // reqwest keys cookies by host (not port), so the session cookie is sent again.
    assert_eq!(r.status(), 200, "still signed in after the restart");
    assert!(r.text().await.unwrap().contains("Cán bộ canbo.a"));
    app.stop().await;
});

db_test!(signing_out_ends_the_session, |t| async move {
    let app = spawn(&t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    let c = client();
    let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
    let r = c
        .post(app.url("/logout"))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = c.get(app.url("/people")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login")
    );
    app.stop().await;
});

db_test!(repeated_failed_logins_are_throttled, |t| async move {
    let app = spawn(&t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    let c = client();
    for _ in 0..5 {
        let page = c
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let r = c
            .post(app.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "canbo.a"),
                ("password", "wrong password"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let page = c
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page);
    let r = c
        .post(app.url("/login"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "canbo.a"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "even the right password waits");
    assert!(r.text().await.unwrap().contains("quá nhiều lần"));
    app.stop().await;
});

db_test!(
    api_tokens_act_for_their_owner_until_revoked,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let page = c
            .post(app.url("/account/tokens"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("name", "đồng bộ BHYT"),
                ("days", "30"),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let start = page.find("ansinh_").unwrap();
        let token: String = page[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let machine = reqwest::Client::new();
        let me: serde_json::Value = machine
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(me["username"], "canbo.a");
        // A machine client needs no CSRF token.
        let unit = app.unit("29242").0;
        let r = machine
        .post(app.url("/api/v1/people"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"full_name": "Sơn Thị Mỹ", "sex": "female", "birth_date": "1960-02", "ethnicity_code": "05", "unit_id": unit, "hamlet": "Ấp Chợ"}))
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        // Revoke, then the token is refused.
        let tokens = app.app.tokens(&app.system_ctx()).await.unwrap();
        let id = tokens[0].id;
        let r = c
            .post(app.url(&format!("/account/tokens/{id}/revoke")))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let r = machine
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        let r = machine
            .get(app.url("/api/v1/me"))
            .bearer_auth("ansinh_forged")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
        app.stop().await;
    }
);

db_test!(
    sensitive_data_is_masked_and_revealing_it_is_audited,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        app.user("thanhtra", "inspector", app.unit("86")).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let unit = app.unit("29242").0.to_string();
        let mut form = person_form(&csrf, "Danh Thị Lan", &unit);
        form.retain(|(k, _)| *k != "cccd" && *k != "sex");
        form.extend([
            ("cccd", "084144123456"),
            ("sex", "female"),
            ("hiv_positive", "true"),
        ]);
        let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let id = location
            .trim_start_matches("/people/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let page = c
            .get(app.url(&format!("/people/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("*********456") && !page.contains("084144123456"),
            "masked by default"
        );
        assert!(page.contains("đã ẩn"), "HIV status hidden");
        let page = c
            .post(app.url(&format!("/people/{id}/reveal")))
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("084144123456"), "revealed");
        // The inspector reads the person but cannot reveal, and sees the reveal in the trail.
        let i = client();
        let icsrf = login(&app, &i, "thanhtra", PASSWORD).await;
        let page = i
            .get(app.url(&format!("/people/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Danh Thị Lan") && !page.contains("084144123456"));
        assert!(!page.contains("Nhiễm HIV"), "the HIV row is not even shown");
        let r = i
            .post(app.url(&format!("/people/{id}/reveal")))
            .form(&[("_csrf", icsrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        let trail = i
            .get(app.url("/audit?entity=person"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(trail.contains("person.reveal"));
        // The inspector cannot write.
        let r = i
            .post(app.url("/people"))
            .form(&person_form(&icsrf, "Lâm Văn Tư", &unit))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
        // The history shown to the inspector hides sensitive values.
        let history = i
            .get(app.url(&format!("/people/{id}/history")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!history.contains("084144123456"));
        app.stop().await;
    }
);

db_test!(
    a_new_administrator_must_change_the_printed_password,
    |t| async move {
        let app = spawn(&t).await;
        let c = client();
        let page = c
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_of(&page);
        let r = c
            .post(app.url("/login"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("username", "admin"),
                ("password", app.admin_password.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/account");
        let r = c.get(app.url("/people")).send().await.unwrap();
        assert_eq!(r.headers()["location"], "/account", "other pages wait");
        let csrf = session_csrf(&app, &c).await;
        let r = c
            .post(app.url("/account/password"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("current_password", app.admin_password.as_str()),
                ("new_password", "short"),
                ("new_password_again", "short"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let r = c
            .post(app.url("/account/password"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("current_password", app.admin_password.as_str()),
                ("new_password", "một mật khẩu dài"),
                ("new_password_again", "một mật khẩu dài"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(
            c.get(app.url("/admin/users"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        app.stop().await;
    }
);
