use ansinh_store::audit::{self, AuditEntry, SYSTEM_CHAIN};
use ansinh_store::db::stmt;
use ansinh_testkit::db_test;
use sea_orm::ConnectionTrait;

use crate::now;

fn entry(chain: &str, n: usize) -> AuditEntry {
    AuditEntry {
        chain: chain.into(),
        at: now(),
        actor_id: Some(1),
        actor: "admin".into(),
        source: "127.0.0.1".into(),
        action: "person.update".into(),
        entity: "person".into(),
        entity_id: n.to_string(),
        before: Some(serde_json::json!({"full_name": "Nguyễn Văn A", "n": n})),
        after: Some(serde_json::json!({"full_name": "Nguyễn Văn B", "n": n})),
    }
}

async fn write_rows(t: &ansinh_testkit::TestDb, chain: &str, n: usize) {
    for i in 1..=n {
        let txn = t.db.begin().await.unwrap();
        audit::append(&txn, entry(chain, i)).await.unwrap();
        txn.commit().await.unwrap();
    }
}

db_test!(an_untouched_chain_verifies, |t| async move {
    write_rows(&t, "86", 5).await;
    write_rows(&t, SYSTEM_CHAIN, 2).await;
    let report = audit::verify(t.db.conn()).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.rows, 7);
    assert_eq!(report.chains, 2);
});

db_test!(an_edited_row_is_named, |t| async move {
    write_rows(&t, "86", 5).await;
    let conn = t.db.conn();
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "UPDATE audit_log SET after_json = $1 WHERE chain = $2 AND seq = $3",
        [
            "{\"full_name\":\"Kẻ gian\"}".into(),
            "86".into(),
            3i64.into(),
        ],
    ))
    .await
    .unwrap();
    let report = audit::verify(conn).await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{report:?}");
    assert_eq!(report.breaks[0].seq, 3);
    assert!(report.breaks[0].reason.contains("altered"));
});

db_test!(a_deleted_row_is_named, |t| async move {
    write_rows(&t, "86", 5).await;
    let conn = t.db.conn();
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "DELETE FROM audit_log WHERE chain = $1 AND seq = $2",
        ["86".into(), 2i64.into()],
    ))
    .await
    .unwrap();
    let report = audit::verify(conn).await.unwrap();
    assert_eq!(report.breaks.len(), 1);
    assert_eq!(report.breaks[0].seq, 2);
    assert!(report.breaks[0].reason.contains("missing"));
});

db_test!(a_deleted_last_row_is_named, |t| async move {
    write_rows(&t, "86", 4).await;
    let conn = t.db.conn();
    conn.execute_raw(stmt(
        conn.get_database_backend(),
        "DELETE FROM audit_log WHERE chain = $1 AND seq = $2",
        ["86".into(), 4i64.into()],
    ))
    .await
    .unwrap();
    let report = audit::verify(conn).await.unwrap();
    assert_eq!(report.breaks.len(), 1);
    assert_eq!(report.breaks[0].seq, 4);
});

db_test!(a_rolled_back_change_leaves_no_audit_row, |t| async move {
    let txn = t.db.begin().await.unwrap();
    audit::append(&txn, entry("86", 1)).await.unwrap();
    txn.rollback().await.unwrap();
    let report = audit::verify(t.db.conn()).await.unwrap();
    assert_eq!(report.rows, 0);
    assert!(report.is_intact());
});

db_test!(concurrent_writers_keep_one_chain, |t| async move {
    let mut handles = Vec::new();
    for w in 0..4 {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            for i in 0..10 {
                let txn = db.begin().await.unwrap();
                audit::append(&txn, entry("86", w * 100 + i)).await.unwrap();
                txn.commit().await.unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let report = audit::verify(t.db.conn()).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.rows, 40);
});
