use ansinh_domain::access::Role;
use ansinh_domain::ids::{PersonId, UnitId, UserId};
use ansinh_store::accounts::{NewUser, insert_user};
use ansinh_store::bulk::{BulkHousehold, load_households};
use ansinh_store::dossiers::{DossierFilter, DossierWrite, insert_dossiers, list_dossiers};
use ansinh_store::scope::Scope;
use ansinh_store::units::{load_graph, seed_reference_data};
use ansinh_testkit::db_test;
use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use crate::{d, now};

fn dossier(
    i: usize,
    person: PersonId,
    unit: UnitId,
    user: UserId,
    due: Option<NaiveDate>,
) -> DossierWrite {
    DossierWrite {
        province_code: "86".into(),
        code: format!("29254-261102-{i:04}"),
        application_type: "1dd".into(),
        family: "regular".into(),
        benefit: "monthly_allowance".into(),
        person_id: person,
        unit_id: unit,
        channel: "in_person".into(),
        received_on: d(2026, 11, 2),
        status: if due.is_some() { "open" } else { "paused" }.into(),
        outcome: None,
        definition: "regular-nd147-2025".into(),
        current_step: Some("commune_review".into()),
        current_kind: Some("review".into()),
        task_roles: ",commune_officer,".into(),
        due_on: due,
        statutory_due_on: None,
        closed_on: None,
        decided_on_time: None,
        requested_group: "k6".into(),
        proposal_json: "{}".into(),
        state_json: "{}".into(),
        received_by: user,
    }
}

db_test!(
    lists_come_soonest_due_first_in_every_scope_width,
    |t| async move {
        let conn = t.db.conn();
        seed_reference_data(conn).await.unwrap();
        let g = load_graph(conn).await.unwrap();
        let unit = g.find("29254", d(2026, 11, 2)).unwrap().id;
        let user = insert_user(
            conn,
            &NewUser {
                username: "canbo".into(),
                full_name: "Cán bộ".into(),
                role: Role::CommuneOfficer,
                unit_id: unit,
                password_hash: "x".into(),
                must_change_password: false,
            },
            now(),
        )
        .await
        .unwrap();
        let member = crate::bulk::member("Kim Thị Sa", unit, ansinh_domain::person::Relation::Head);
        load_households(
            &t.db,
            &[BulkHousehold {
                province_code: "86".into(),
                unit_id: unit,
                unit_code: "29254".into(),
                hamlet: "Ấp A".into(),
                address: String::new(),
                poverty: vec![],
                members: vec![member],
            }],
            now(),
            crate::bulk::entry(),
        )
        .await
        .unwrap();
        let person: i64 = conn
            .query_one_raw(ansinh_store::db::stmt(
                conn.get_database_backend(),
                "SELECT MIN(id) AS id FROM persons",
                [],
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get("", "id")
            .unwrap();
        // 1,200 dossiers in one statement batch or more; due dates spread over 30 days, every
        // tenth paused (no due date).
        let rows: Vec<DossierWrite> = (0..1200)
            .map(|i| {
                let due =
                    (i % 10 != 0).then(|| d(2026, 11, 1) + chrono::Days::new((i * 7 % 30) as u64));
                dossier(i, PersonId(person), unit, user.id, due)
            })
            .collect();
        let txn = t.db.begin().await.unwrap();
        insert_dossiers(&txn, &rows, now()).await.unwrap();
        txn.commit().await.unwrap();

        let today = d(2026, 11, 15);
        let overdue = |scope: Scope| {
            let db = t.db.clone();
            async move {
                list_dossiers(
                    db.conn(),
                    &scope,
                    &DossierFilter {
                        statuses: vec!["open".into()],
                        due_before: Some(today),
                        limit: 2000,
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
            }
        };
        let narrow = overdue(Scope::Units(vec![unit])).await;
        let expected = rows
            .iter()
            .filter(|r| r.due_on.is_some_and(|x| x < today))
            .count();
        assert_eq!(narrow.len(), expected);
        assert!(
            narrow
                .windows(2)
                .all(|w| (w[0].data.due_on, w[0].id) < (w[1].data.due_on, w[1].id))
        );
        // A province-wide scope (many unit versions) takes the queue index: same answer.
        let mut wide: Vec<UnitId> = g.all().map(|u| u.id).take(300).collect();
        wide.push(unit);
        let wide = overdue(Scope::Units(wide)).await;
        assert_eq!(
            wide.iter().map(|r| r.id).collect::<Vec<_>>(),
            narrow.iter().map(|r| r.id).collect::<Vec<_>>()
        );
        assert!(
            overdue(Scope::Units(vec![UnitId(unit.0 + 1)]))
                .await
                .is_empty()
        );
        // Paused dossiers (no due date) come last in the task list.
        let tasks = list_dossiers(
            conn,
            &Scope::Units(vec![unit]),
            &DossierFilter {
                statuses: vec!["open".into(), "paused".into()],
                role: Some("commune_officer".into()),
                limit: 2000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(tasks.len(), 1200);
        assert!(tasks[..1080].iter().all(|r| r.data.due_on.is_some()));
        assert!(tasks[1080..].iter().all(|r| r.data.status == "paused"));
        let page = list_dossiers(
            conn,
            &Scope::Units(vec![unit]),
            &DossierFilter {
                statuses: vec!["open".into()],
                limit: 50,
                offset: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(page[0].id, tasks[50].id, "pages follow the same order");
    }
);
