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

/// Writes `rows` rows of about a page each through the month's writer, in one transaction.
async fn write_pages(writer: &mut ansinh_store::payroll::RunWriter, rows: usize) {
    let ansinh_store::payroll::RunWriter::Sqlite(conn) = writer else {
        panic!("SQLite's month has a writer connection of its own");
    };
    let mut txn = sqlx::Connection::begin(&mut **conn).await.unwrap();
    for _ in 0..rows {
        sqlx::query("INSERT INTO scratch (v) VALUES (hex(randomblob(2000)))")
            .execute(&mut *txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
}

db_test!(
    the_months_writer_lets_sqlites_log_start_over,
    |t| async move {
        use ansinh_store::payroll::RunWriter;
        let mut writer = RunWriter::for_month(&t.db).await.unwrap();
        let Some(dir) = t.data_dir() else {
            // PostgreSQL has no log of the kind to copy: nothing happens.
            writer.checkpoint().await.unwrap();
            writer.close().await.unwrap();
            return;
        };
        let log = dir.join("ansinh.db-wal");
        let size = || std::fs::metadata(&log).map(|m| m.len()).unwrap_or(0);
        if let RunWriter::Sqlite(conn) = &mut writer {
            sqlx::query("CREATE TABLE scratch (v TEXT)")
                .execute(&mut **conn)
                .await
                .unwrap();
        }
        write_pages(&mut writer, 200).await;
        let before = size();
        assert!(before > 200 * 4096, "the log holds the writes: {before}");
        // Without a checkpoint the log only grows…
        write_pages(&mut writer, 50).await;
        let grown = size();
        assert!(grown > before, "{grown} after {before}");
        // …after the writer's own, the next writes start it over from its beginning.
        writer.checkpoint().await.unwrap();
        write_pages(&mut writer, 50).await;
        assert_eq!(size(), grown, "the log grew instead of starting over");
        writer.close().await.unwrap();
    }
);
