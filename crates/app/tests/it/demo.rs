use ansinh_store::registry::PersonQuery;
use ansinh_testkit::db_test;

use crate::*;

db_test!(
    the_demo_province_loads_once_with_an_account_per_role,
    |t| async move {
        let app = app(&t).await;
        let first = app.load_demo(2017, now()).await.unwrap();
        assert!(
            (42_000..=48_000).contains(&first.people),
            "about 45,000 people: {}",
            first.people
        );
        assert!(first.households > 9_000);
        assert_eq!(first.users.len(), 7, "one account per role");
        let again = app.load_demo(2017, now()).await.unwrap();
        assert_eq!(
            (again.people, again.users.len()),
            (0, 0),
            "nothing loaded twice"
        );
        // The province officer sees everyone; the commune officer only Phường Trà Vinh.
        let province = as_user(&app, "canbo.tinh").await;
        let all = app.tree_counts(&province, d(2026, 11, 28)).await.unwrap();
        assert_eq!(all.total_people as u64, first.people);
        let commune = as_user(&app, "canbo.xa").await;
        let mine = app.tree_counts(&commune, d(2026, 11, 28)).await.unwrap();
        assert!(mine.total_people > 0 && (mine.total_people as u64) < first.people / 10);
        let page = app
            .search_people(
                &commune,
                &PersonQuery {
                    limit: 500,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let graph = app.graph();
        let phuong = graph.find("29242", d(2026, 11, 28)).unwrap().id;
        assert!(
            page.items
                .iter()
                .all(|p| graph.at(p.unit_id, d(2026, 11, 28)) == phuong)
        );
        // Counts over the three eras add up to the same total.
        for date in [d(2024, 12, 1), d(2025, 3, 1), d(2025, 8, 1)] {
            let tree = app.tree_counts(&province, date).await.unwrap();
            let communes: i64 = tree
                .nodes
                .iter()
                .filter(|n| n.level == ansinh_domain::unit::UnitLevel::Commune)
                .map(|n| n.people)
                .sum();
            assert_eq!(
                communes + tree.unplaced_people,
                tree.total_people,
                "at {date}"
            );
            assert_eq!(tree.total_people, all.total_people);
        }
        assert!(app.verify_audit().await.unwrap().is_intact());
    }
);
