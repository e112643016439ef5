use ansinh_domain::unit::UnitLevel;
use ansinh_store::units::{load_graph, seed_national_units, seed_reference_data};
use ansinh_testkit::db_test;

use crate::d;

db_test!(seeds_the_unit_history_once, |t| async move {
    let conn = t.db.conn();
    let created = seed_reference_data(conn).await.unwrap();
    assert!(created > 200, "created {created}");
    assert_eq!(seed_reference_data(conn).await.unwrap(), 0, "idempotent");
    let g = load_graph(conn).await.unwrap();
    let count = |date, level| {
        g.all()
            .filter(|u| u.level == level && u.valid_at(date))
            .count()
    };
    assert_eq!(count(d(2024, 12, 1), UnitLevel::Commune), 106);
    assert_eq!(count(d(2025, 3, 1), UnitLevel::Commune), 104);
    assert_eq!(count(d(2025, 8, 1), UnitLevel::Commune), 124);
    assert_eq!(count(d(2025, 8, 1), UnitLevel::District), 0);
    // Phường 2 of Thành phố Trà Vinh (29245) → Phường 3 (2025) → Phường Trà Vinh.
    let p2 = g.find("29245", d(2024, 6, 1)).unwrap().id;
    let image = g.get(g.at(p2, d(2025, 8, 1))).unwrap();
    assert_eq!(image.code, "29242");
    assert_eq!(image.name, "Phường Trà Vinh");
});

db_test!(
    adds_the_national_list_without_duplicating_vinh_long,
    |t| async move {
        let conn = t.db.conn();
        seed_reference_data(conn).await.unwrap();
        let added = seed_national_units(conn).await.unwrap();
        // 33 other provinces and the 3,321 − 124 communes outside Vĩnh Long.
        assert_eq!(added, 33 + 3321 - 124);
        let g = load_graph(conn).await.unwrap();
        let communes = g
            .all()
            .filter(|u| u.level == UnitLevel::Commune && u.valid_at(d(2026, 1, 1)))
            .count();
        assert_eq!(communes, 3321);
    }
);
