//! Health, metrics, OpenAPI, language.

use ansinh_testkit::db_test;

use crate::support::*;

db_test!(health_metrics_and_openapi_answer, |t| async move {
    let app = spawn(&t).await;
    let c = client();
    let r = c.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let _ = c.get(app.url("/login")).send().await.unwrap();
    let metrics = c
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("ansinh_http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/login\""));
    let doc: serde_json::Value = c
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/people"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/units/tree"]["get"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Unauthenticated API calls get JSON, pages get the login page.
    let r = c.get(app.url("/api/v1/people")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "unauthenticated");
    assert!(body["request_id"].is_string());
    let r = c.get(app.url("/people")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = c.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Mã yêu cầu"),
        "the error page shows the request id"
    );
    app.stop().await;
});

db_test!(
    pages_are_vietnamese_by_default_with_an_english_switch,
    |t| async move {
        let app = spawn(&t).await;
        let c = client();
        let r = c.get(app.url("/login")).send().await.unwrap();
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let page = r.text().await.unwrap();
        assert!(page.contains("lang=\"vi\"") && page.contains("Đăng nhập"));
        let r = c.get(app.url("/lang/en?next=/login")).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login");
        let page = c
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("lang=\"en\"") && page.contains("Sign in"));
        // Redirects stay on this site.
        let r = c
            .get(app.url("/lang/vi?next=//evil.example"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["location"], "/");
        app.stop().await;
    }
);

db_test!(administrators_manage_accounts, |t| async move {
    let app = spawn(&t).await;
    app.user("quantri", "admin", app.unit("86")).await;
    let c = client();
    let csrf = login(&app, &c, "quantri", PASSWORD).await;
    let unit = app.unit("29242").0.to_string();
    // A role must match its unit's level.
    let r = c
        .post(app.url("/admin/users"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "chutich.a"),
            ("full_name", "Trần Văn Chủ"),
            ("role", "province_officer"),
            ("unit_id", unit.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = c
        .post(app.url("/admin/users"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "chutich.a"),
            ("full_name", "Trần Văn Chủ"),
            ("role", "commune_chairman"),
            ("unit_id", unit.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("chỉ hiển thị một lần"), "password shown once");
    let list = c
        .get(app.url("/admin/users"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("chutich.a") && list.contains("Chủ tịch UBND cấp xã"));
    // The same user name again is a field error.
    let r = c
        .post(app.url("/admin/users"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("username", "chutich.a"),
            ("full_name", "Ai Đó"),
            ("role", "commune_chairman"),
            ("unit_id", unit.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("đã được dùng"));
    // A commune officer cannot reach account management.
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    let o = client();
    login(&app, &o, "canbo.a", PASSWORD).await;
    assert_eq!(
        o.get(app.url("/admin/users"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(o.get(app.url("/audit")).send().await.unwrap().status(), 403);
    app.stop().await;
});
