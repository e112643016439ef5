use ansinh_store::db::stmt;
use ansinh_store::payroll::packed_payable_sql;
use ansinh_testkit::{Backend, db_test};
use sea_orm::{ConnectionTrait, Value};

db_test!(
    a_month_reads_entitlements_from_their_index_and_compresses_its_runs_cheaply,
    |t| async move {
        let conn = t.db.conn();
        match t.backend {
            Backend::Sqlite => {
                let values: Vec<Value> = vec![202411.into(), 1i64.into(), 2i64.into()];
                let plan: Vec<String> = conn
                    .query_all_raw(stmt(
                        conn.get_database_backend(),
                        &format!("EXPLAIN QUERY PLAN {}", packed_payable_sql(2)),
                        values,
                    ))
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get::<String>("", "detail").unwrap())
                    .collect();
                assert!(
                    plan.iter()
                        .any(|d| d.contains("USING COVERING INDEX entitlements_payable")),
                    "{plan:?}"
                );
            }
            Backend::Postgres => {
                let lz4 = conn
                    .query_one_raw(stmt(
                        conn.get_database_backend(),
                        "SELECT 1 AS one FROM pg_settings \
                         WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)",
                        [],
                    ))
                    .await
                    .unwrap()
                    .is_some();
                let methods: Vec<(String, String)> = conn
                    .query_all_raw(stmt(
                        conn.get_database_backend(),
                        "SELECT attname::text AS name, attcompression::text AS method \
                         FROM pg_attribute WHERE attrelid = CAST('payroll_runs' AS regclass) \
                         AND attname IN ('totals_json', 'notes_json', 'rules_json') ORDER BY attname",
                        [],
                    ))
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (
                            r.try_get::<String>("", "name").unwrap(),
                            r.try_get::<String>("", "method").unwrap(),
                        )
                    })
                    .collect();
                let expected = if lz4 { "l" } else { "" };
                assert_eq!(
                    methods,
                    ["notes_json", "rules_json", "totals_json"]
                        .map(|n| (n.to_string(), expected.to_string()))
                );
            }
        }
    }
);
