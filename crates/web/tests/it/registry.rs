//! The registry through pages and the API, and scope isolation.

use ansinh_testkit::db_test;

use crate::support::*;

async fn two_communes(t: &ansinh_testkit::TestDb) -> TestApp {
    let app = spawn(t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    app.user("canbo.b", "commune_officer", app.unit("29254"))
        .await;
    app
}

db_test!(
    an_officer_registers_and_finds_a_person_without_diacritics,
    |t| async move {
        let app = two_communes(&t).await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let unit = app.unit("29242").0.to_string();
        let r = c
            .post(app.url("/people"))
            .form(&person_form(&csrf, "Thạch Văn Đức", &unit))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/people/"), "{location}");
        let html = c
            .get(app.url("/people?q=thach+van+duc"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Thạch Văn Đức"),
            "search page lists the person"
        );
        let html = c
            .get(app.url("/people?q=DUC"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Thạch Văn Đức"),
            "a given name alone finds them"
        );
        let view = c
            .get(app.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(view.contains("Ấp Sóc Chuối") && view.contains("Khơ-me"));
        // The change is in the person's history.
        let id = location
            .trim_start_matches("/people/")
            .split('?')
            .next()
            .unwrap();
        let history = c
            .get(app.url(&format!("/people/{id}/history")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(history.contains("person.create"));
        app.stop().await;
    }
);

db_test!(an_officer_of_another_commune_gets_nothing, |t| async move {
    let app = two_communes(&t).await;
    let a = client();
    let csrf = login(&app, &a, "canbo.a", PASSWORD).await;
    let unit = app.unit("29242").0.to_string();
    let mut form = person_form(&csrf, "Kim Thị Sa Rết", &unit);
    form.push(("cccd", "084144000777"));
    form.retain(|(k, v)| *k != "cccd" || !v.is_empty());
    form.iter_mut().for_each(|(k, v)| {
        if *k == "sex" {
            *v = "female";
        }
    });
    let r = a.post(app.url("/people")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let id = location
        .trim_start_matches("/people/")
        .split('?')
        .next()
        .unwrap()
        .to_string();

    let b = client();
    login(&app, &b, "canbo.b", PASSWORD).await;
    // Pages.
    let html = b
        .get(app.url("/people?q=kim+thi"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Sa Rết"), "search page");
    let r = b
        .get(app.url(&format!("/people/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "person page");
    let r = b
        .get(app.url(&format!("/people/{id}/history")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "history page");
    // Search by CCCD.
    let html = b
        .get(app.url("/people?q=084144000777"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Sa Rết"), "CCCD search");
    // Counts: B's tree does not contain A's commune, and B's totals are zero.
    let html = b
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("Phường Trà Vinh"));
    // Exports.
    let csv = b
        .get(app.url("/people/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("Sa Rết"), "CSV export");
    let xlsx = b
        .get(app.url("/people/export.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(!xlsx.is_empty());
    // API through the session cookie.
    let json: serde_json::Value = b
        .get(app.url("/api/v1/people?q=kim"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json["total"], 0, "API search");
    let r = b
        .get(app.url(&format!("/api/v1/people/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404, "API person");
    let tree: serde_json::Value = b
        .get(app.url("/api/v1/units/tree"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tree["total_people"], 0, "API counts");
    // Officer B cannot write into A's commune either.
    let csrf_b = session_csrf(&app, &b).await;
    let r = b
        .post(app.url("/people"))
        .form(&person_form(&csrf_b, "Lâm Văn Tư", &unit))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(
        r.text().await.unwrap().contains("ngoài phạm vi"),
        "unit outside scope is explained"
    );
    // And A still sees everything of A.
    let csv = a
        .get(app.url("/people/export.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.contains("Kim Thị Sa Rết"));
    assert!(
        csv.starts_with('\u{feff}'),
        "CSV starts with a BOM for Excel"
    );
    assert!(!csv.contains("084144000777"), "exports mask the CCCD");
    app.stop().await;
});

db_test!(the_tree_maps_old_records_onto_each_date, |t| async move {
    let app = spawn(&t).await;
    app.user("canbo.tinh", "province_officer", app.unit("86"))
        .await;
    // A household registered in 2024 in Phường 1 of Thành phố Trà Vinh (29239), directly in
    // the store: the forms only offer communes valid today.
    let old = app.unit_at("29239", d(2024, 6, 1));
    let h = ansinh_store::registry::create_household(
        app.app.db.conn(),
        &ansinh_store::registry::NewHousehold {
            province_code: "86".into(),
            unit_code: "29239".into(),
            unit_id: old,
            hamlet: "Khóm 2".into(),
            address: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let mut draft = ansinh_domain::registry::validate_person(
        &ansinh_domain::registry::PersonInput {
            full_name: "Nguyễn Văn Đức".into(),
            sex: "male".into(),
            birth_date: "1950".into(),
            ethnicity_code: "01".into(),
            unit_id: app.unit("29242").0.to_string(),
            hamlet: "Khóm 2".into(),
            ..Default::default()
        },
        &Ctx,
    )
    .unwrap();
    draft.unit_id = old;
    ansinh_store::registry::insert_person(app.app.db.conn(), h.id, "86", &draft, now())
        .await
        .unwrap();

    let c = client();
    login(&app, &c, "canbo.tinh", PASSWORD).await;
    let at = |date: &'static str| {
        let c = c.clone();
        let url = app.url(&format!("/api/v1/units/tree?date={date}"));
        async move {
            c.get(url)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let find = |tree: &serde_json::Value, code: &str| -> i64 {
        tree["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == code)
            .map(|n| n["people"].as_i64().unwrap())
            .unwrap_or(-1)
    };
    let before = at("2024-12-01").await;
    assert_eq!(find(&before, "29239"), 1, "under Phường 1 in 2024");
    assert_eq!(find(&before, "842"), 1, "rolled up to Thành phố Trà Vinh");
    assert_eq!(find(&before, "84"), 1, "and to Trà Vinh province");
    let between = at("2025-03-01").await;
    assert_eq!(
        find(&between, "29239"),
        1,
        "Phường 1 still exists in early 2025"
    );
    let after = at("2025-08-01").await;
    assert_eq!(
        find(&after, "29242"),
        1,
        "under Phường Trà Vinh after the reform"
    );
    assert_eq!(find(&after, "86"), 1, "in Vĩnh Long province");
    for tree in [&before, &between, &after] {
        let communes: i64 = tree["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["level"] == "commune")
            .map(|n| n["people"].as_i64().unwrap())
            .sum();
        assert_eq!(
            communes + tree["unplaced_people"].as_i64().unwrap(),
            tree["total_people"].as_i64().unwrap()
        );
    }
    app.stop().await;
});

/// Validation context for building a draft in a test.
struct Ctx;
impl ansinh_domain::registry::RegistryContext for Ctx {
    fn today(&self) -> chrono::NaiveDate {
        d(2026, 11, 28)
    }
    fn ethnicity_exists(&self, _: &str) -> bool {
        true
    }
    fn commune_valid_at(&self, _: ansinh_domain::ids::UnitId, _: chrono::NaiveDate) -> bool {
        true
    }
}

db_test!(
    likely_duplicates_warn_and_can_be_confirmed,
    |t| async move {
        let app = spawn(&t).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        let c = client();
        let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
        let unit = app.unit("29242").0.to_string();
        let r = c
            .post(app.url("/people"))
            .form(&person_form(&csrf, "Lê Thị Hoa", &unit))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        let r = c
            .post(app.url("/people"))
            .form(&person_form(&csrf, "LÊ THỊ  HOA", &unit))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409);
        let html = r.text().await.unwrap();
        assert!(html.contains("Có thể trùng"), "warning shown");
        assert!(html.contains("value=\"LÊ THỊ  HOA\""), "typed values kept");
        let mut form = person_form(&csrf, "Lê Thị Hoa", &unit);
        form.push(("confirm_duplicate", "true"));
        let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(people_count(&app).await, 2);
        app.stop().await;
    }
);

db_test!(the_same_cccd_is_refused, |t| async move {
    let app = spawn(&t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    app.user("canbo.b", "commune_officer", app.unit("29254"))
        .await;
    let a = client();
    let csrf = login(&app, &a, "canbo.a", PASSWORD).await;
    let unit = app.unit("29242").0.to_string();
    let mut form = person_form(&csrf, "Trần Văn Bảy", &unit);
    form.push(("cccd", "084044001234"));
    form.retain(|(k, v)| *k != "cccd" || !v.is_empty());
    assert_eq!(
        a.post(app.url("/people"))
            .form(&form)
            .send()
            .await
            .unwrap()
            .status(),
        303
    );
    // Another commune's officer is told the number is taken, not whose it is.
    let b = client();
    let csrf_b = login(&app, &b, "canbo.b", PASSWORD).await;
    let unit_b = app.unit("29254").0.to_string();
    let mut form = person_form(&csrf_b, "Võ Văn Tám", &unit_b);
    form.push(("cccd", "084044001234"));
    form.retain(|(k, v)| *k != "cccd" || !v.is_empty());
    let r = b.post(app.url("/people")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("đã có trong cơ sở dữ liệu") && !html.contains("Trần Văn Bảy"));
    app.stop().await;
});
