use ansinh_app::users::UserInput;
use ansinh_domain::access::Role;
use ansinh_testkit::db_test;

use crate::*;

async fn add_user(app: &App, username: &str, role: Role, code: &str, date: NaiveDate) {
    let graph = app.graph();
    let unit = graph.find(code, date).unwrap().id;
    let root = graph.roots_at(d(2026, 11, 28))[0];
    let ctx = Ctx::new(Actor::system(root), now());
    app.create_user(
        &ctx,
        &UserInput {
            username: username.into(),
            full_name: "Cán bộ".into(),
            role: role.as_str().into(),
            unit_id: unit.0.to_string(),
            password: "mat-khau-du-dai".into(),
            active: Some(true),
        },
    )
    .await
    .unwrap();
}

db_test!(
    a_district_officer_keeps_the_area_of_the_abolished_district,
    |t| async move {
        let app = app(&t).await;
        // Thành phố Trà Vinh (842) existed until 30 June 2025.
        add_user(
            &app,
            "canbo.huyen",
            Role::DistrictOfficer,
            "842",
            d(2024, 1, 1),
        )
        .await;
        let ctx = as_user(&app, "canbo.huyen").await;
        let area = app.graph().area_at(ctx.actor.unit_id, ctx.today());
        let codes: Vec<String> = area
            .iter()
            .map(|u| app.graph().get(*u).unwrap().code.clone())
            .collect();
        // Its wards went into Phường Trà Vinh, Nguyệt Hóa, Long Đức… (new codes of 2025).
        assert!(codes.contains(&"29242".to_string()), "{codes:?}");
        assert!(
            !codes.contains(&"86".to_string()),
            "not the whole new province"
        );
        // Seen at 2024, the same officer's area is the district itself.
        let then = app.graph().area_at(ctx.actor.unit_id, d(2024, 6, 1));
        assert_eq!(app.graph().get(then[0]).unwrap().code, "842");
    }
);

db_test!(roles_must_fit_their_unit, |t| async move {
    let app = app(&t).await;
    let graph = app.graph();
    let root = graph.roots_at(d(2026, 11, 28))[0];
    let ctx = Ctx::new(Actor::system(root), now());
    let commune = graph.find("29242", d(2026, 11, 28)).unwrap().id;
    let err = app
        .create_user(
            &ctx,
            &UserInput {
                username: "x".into(),
                full_name: "X".into(),
                role: "inspector".into(),
                unit_id: commune.0.to_string(),
                password: String::new(),
                active: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid-input");
    // An old commune cannot receive a new commune officer.
    let old = graph.find("29239", d(2024, 6, 1)).unwrap().id;
    let err = app
        .create_user(
            &ctx,
            &UserInput {
                username: "y".into(),
                full_name: "Y".into(),
                role: "commune_officer".into(),
                unit_id: old.0.to_string(),
                password: String::new(),
                active: None,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid-input");
});
