use ansinh_domain::birth::BirthDate;
use ansinh_domain::person::{DisabilityLevel, PaymentChannel, PovertyStatus, Relation, Sex};
use ansinh_domain::registry::PersonDraft;
use ansinh_store::audit::{self, AuditEntry};
use ansinh_store::bulk::{BulkHousehold, load_households};
use ansinh_store::registry::{self, NewHousehold, PersonQuery};
use ansinh_store::scope::Scope;
use ansinh_store::units::{load_graph, seed_reference_data};
use ansinh_testkit::db_test;

use crate::{d, now};

pub fn member(name: &str, unit: ansinh_domain::ids::UnitId, relation: Relation) -> PersonDraft {
    PersonDraft {
        full_name: name.into(),
        sex: Sex::Female,
        birth: BirthDate::YearMonth {
            year: 1950,
            month: 4,
        },
        cccd: None,
        birth_cert_no: None,
        ethnicity_code: "05".into(),
        unit_id: unit,
        hamlet: "Ấp Sóc Chuối".into(),
        relation,
        disability: DisabilityLevel::Severe,
        disability_cert_date: Some(d(2020, 5, 1)),
        hiv_positive: false,
        has_pension: false,
        phone: None,
        payment_channel: PaymentChannel::Cash,
        bank_account: None,
        death_date: None,
    }
}

pub fn entry() -> AuditEntry {
    AuditEntry {
        chain: "86".into(),
        at: now(),
        actor_id: None,
        actor: "system".into(),
        source: "cli".into(),
        action: "person.bulk-load".into(),
        entity: "household".into(),
        entity_id: String::new(),
        before: None,
        after: None,
    }
}

db_test!(
    bulk_loads_households_then_normal_inserts_continue,
    |t| async move {
        seed_reference_data(t.db.conn()).await.unwrap();
        let g = load_graph(t.db.conn()).await.unwrap();
        let unit = g.find("29254", d(2024, 6, 1)).unwrap();
        let batch: Vec<BulkHousehold> = (0..1500)
            .map(|i| BulkHousehold {
                province_code: "86".into(),
                unit_id: unit.id,
                unit_code: unit.code.clone(),
                hamlet: "Ấp Sóc Chuối".into(),
                address: if i % 2 == 0 {
                    String::new()
                } else {
                    "Số 5\tđường 3".into()
                },
                poverty: vec![(2024, PovertyStatus::Poor), (2025, PovertyStatus::NearPoor)],
                members: vec![
                    member(
                        &format!("Thạch Thị Sà Rươne {}", roman(i)),
                        unit.id,
                        Relation::Head,
                    ),
                    member("Kim Sóc", unit.id, Relation::Child),
                ],
            })
            .collect();
        let outcome = load_households(&t.db, &batch, now(), entry())
            .await
            .unwrap();
        assert_eq!(outcome.households, 1500);
        assert_eq!(outcome.people, 3000);
        let page = registry::search_persons(
            t.db.conn(),
            &Scope::All,
            &PersonQuery {
                text: "thach thi sa".into(),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // 1,500 matches: more than a count goes (COUNT_CAP), so the total says "more than".
        assert_eq!(page.total, ansinh_store::registry::COUNT_CAP);
        assert!(page.total_capped);
        let page = registry::search_persons(
            t.db.conn(),
            &Scope::All,
            &PersonQuery {
                text: "thach thi sa ruone ba".into(),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // "ba", "baa", … "bz…": the names whose number starts with b.
        assert!(page.total > 0 && !page.total_capped);
        let p = registry::get_person(t.db.conn(), page.items[0].id, &Scope::All)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            p.data.birth,
            BirthDate::YearMonth {
                year: 1950,
                month: 4
            }
        );
        assert_eq!(p.data.disability_cert_date, Some(d(2020, 5, 1)));
        let history = registry::poverty_history(t.db.conn(), p.household_id)
            .await
            .unwrap();
        assert_eq!(history.len(), 2);
        // The sequences continue after the explicit ids.
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
        assert_eq!(h.id.0, 1501);
        let p = registry::insert_person(
            t.db.conn(),
            h.id,
            "86",
            &member("Lâm Văn Tư", unit.id, Relation::Head),
            now(),
        )
        .await
        .unwrap();
        assert_eq!(p.id.0, 3001);
        let report = audit::verify(t.db.conn()).await.unwrap();
        assert!(report.is_intact());
        assert_eq!(report.rows, 1);
    }
);

fn roman(i: usize) -> String {
    // Names are letters only: encode the number in letters.
    let mut n = i;
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s
}
