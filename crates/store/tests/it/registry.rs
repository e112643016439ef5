use ansinh_domain::birth::BirthDate;
use ansinh_domain::cccd::Cccd;
use ansinh_domain::ids::UnitId;
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus, Relation, Sex};
use ansinh_domain::registry::PersonDraft;
use ansinh_domain::units::UnitGraph;
use ansinh_store::StoreError;
use ansinh_store::registry::{self, NewHousehold, PersonQuery};
use ansinh_store::scope::Scope;
use ansinh_store::units::{load_graph, seed_reference_data};
use ansinh_testkit::{TestDb, db_test};

use crate::{d, now};

fn draft(name: &str, unit: UnitId, cccd: Option<&str>) -> PersonDraft {
    PersonDraft {
        full_name: name.into(),
        sex: Sex::Male,
        birth: BirthDate::Full(d(1956, 3, 15)),
        cccd: cccd.map(|c| Cccd::parse(c).unwrap()),
        birth_cert_no: None,
        ethnicity_code: "01".into(),
        unit_id: unit,
        hamlet: "Ấp 1".into(),
        relation: Relation::Head,
        disability: DisabilityLevel::None,
        disability_cert_date: None,
        hiv_positive: false,
        has_pension: false,
        phone: None,
        payment_channel: PaymentChannel::Cash,
        bank_account: None,
        death_date: None,
    }
}

async fn setup(t: &TestDb) -> UnitGraph {
    seed_reference_data(t.db.conn()).await.unwrap();
    load_graph(t.db.conn()).await.unwrap()
}

async fn add(t: &TestDb, g: &UnitGraph, code: &str, name: &str, cccd: Option<&str>) -> i64 {
    let unit = g.find(code, d(2024, 6, 1)).unwrap();
    let h = registry::create_household(
        t.db.conn(),
        &NewHousehold {
            province_code: "86".into(),
            unit_code: unit.code.clone(),
            unit_id: unit.id,
            hamlet: "Ấp 1".into(),
            address: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let p = registry::insert_person(t.db.conn(), h.id, "86", &draft(name, unit.id, cccd), now())
        .await
        .unwrap();
    p.id.0
}

db_test!(
    finds_people_regardless_of_diacritics_and_case,
    |t| async move {
        let g = setup(&t).await;
        add(&t, &g, "29239", "Nguyễn Văn Đức", Some("084056000123")).await;
        add(&t, &g, "29239", "Nguyễn Văn Dũng", None).await;
        add(&t, &g, "29239", "Thạch Thị Sà Rươne", None).await;
        let search = |text: &str| PersonQuery {
            text: text.into(),
            limit: 50,
            ..Default::default()
        };
        let page = registry::search_persons(t.db.conn(), &Scope::All, &search("nguyen van duc"))
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.items[0].full_name, "Nguyễn Văn Đức");
        let page = registry::search_persons(t.db.conn(), &Scope::All, &search("NGUYỄN VĂN D"))
            .await
            .unwrap();
        assert_eq!(page.total, 2);
        // A given name alone finds by the last word.
        let page = registry::search_persons(t.db.conn(), &Scope::All, &search("ruone"))
            .await
            .unwrap();
        assert_eq!(page.items[0].full_name, "Thạch Thị Sà Rươne");
        let page = registry::search_persons(t.db.conn(), &Scope::All, &search("084056000123"))
            .await
            .unwrap();
        assert_eq!(page.items.len(), 1);
        // Metacharacters are only text.
        let page = registry::search_persons(t.db.conn(), &Scope::All, &search("' OR 1=1 --"))
            .await
            .unwrap();
        assert_eq!(page.total, 0);
    }
);

db_test!(scope_hides_other_communes, |t| async move {
    let g = setup(&t).await;
    let here = add(&t, &g, "29239", "Nguyễn Văn Đức", None).await;
    add(&t, &g, "29236", "Lê Thị Hoa", None).await;
    let commune = g.find("29239", d(2024, 6, 1)).unwrap().id;
    let scope = Scope::Units(g.versions_within(commune, d(2024, 6, 1)));
    let page = registry::search_persons(
        t.db.conn(),
        &scope,
        &PersonQuery {
            limit: 50,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id.0, here);
    let counts = registry::counts_by_unit(t.db.conn(), &scope).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.people).sum::<i64>(), 1);
    assert!(
        registry::get_person(t.db.conn(), ansinh_domain::ids::PersonId(here + 1), &scope)
            .await
            .unwrap()
            .is_none()
    );
});

db_test!(the_same_cccd_twice_is_a_conflict, |t| async move {
    let g = setup(&t).await;
    add(&t, &g, "29239", "Nguyễn Văn Đức", Some("084056000123")).await;
    let unit = g.find("29239", d(2024, 6, 1)).unwrap();
    let h = registry::create_household(
        t.db.conn(),
        &NewHousehold {
            province_code: "86".into(),
            unit_code: unit.code.clone(),
            unit_id: unit.id,
            hamlet: "Ấp 2".into(),
            address: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let err = registry::insert_person(
        t.db.conn(),
        h.id,
        "86",
        &draft("Trần Văn Bảy", unit.id, Some("084056000123")),
        now(),
    )
    .await
    .unwrap_err();
    assert!(err.is_conflict_on("cccd"), "{err:?}");
});

db_test!(a_stale_edit_is_refused, |t| async move {
    let g = setup(&t).await;
    let id = add(&t, &g, "29239", "Nguyễn Văn Đức", None).await;
    let p = registry::get_person(t.db.conn(), ansinh_domain::ids::PersonId(id), &Scope::All)
        .await
        .unwrap()
        .unwrap();
    let mut changed = p.data.clone();
    changed.hamlet = "Ấp 9".into();
    let saved = registry::update_person(
        t.db.conn(),
        p.id,
        p.version,
        p.household_id,
        "86",
        &changed,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.data.hamlet, "Ấp 9");
    let err = registry::update_person(
        t.db.conn(),
        p.id,
        p.version,
        p.household_id,
        "86",
        &changed,
        now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, StoreError::Stale));
});

db_test!(poverty_is_recorded_by_year, |t| async move {
    let g = setup(&t).await;
    let id = add(&t, &g, "29239", "Nguyễn Văn Đức", None).await;
    let p = registry::get_person(t.db.conn(), ansinh_domain::ids::PersonId(id), &Scope::All)
        .await
        .unwrap()
        .unwrap();
    registry::set_poverty(t.db.conn(), p.household_id, 2023, PovertyStatus::Poor)
        .await
        .unwrap();
    registry::set_poverty(t.db.conn(), p.household_id, 2024, PovertyStatus::NearPoor)
        .await
        .unwrap();
    registry::set_poverty(t.db.conn(), p.household_id, 2024, PovertyStatus::None)
        .await
        .unwrap();
    let history = registry::poverty_history(t.db.conn(), p.household_id)
        .await
        .unwrap();
    assert_eq!(
        history,
        vec![(2023, PovertyStatus::Poor), (2024, PovertyStatus::None)]
    );
});

db_test!(partial_birth_dates_survive_a_round_trip, |t| async move {
    let g = setup(&t).await;
    let unit = g.find("29239", d(2024, 6, 1)).unwrap();
    let h = registry::create_household(
        t.db.conn(),
        &NewHousehold {
            province_code: "86".into(),
            unit_code: unit.code.clone(),
            unit_id: unit.id,
            hamlet: "Ấp 2".into(),
            address: String::new(),
        },
        now(),
    )
    .await
    .unwrap();
    let mut dr = draft("Kiên Thị Nang", unit.id, None);
    dr.birth = BirthDate::Year(1938);
    let p = registry::insert_person(t.db.conn(), h.id, "86", &dr, now())
        .await
        .unwrap();
    let back = registry::get_person(t.db.conn(), p.id, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back.data.birth, BirthDate::Year(1938));
    assert!(h.code.starts_with("29239-"));
});
