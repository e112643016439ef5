use ansinh_store::jobs::{self, JobStatus};
use ansinh_testkit::db_test;
use chrono::Duration;

use crate::now;

db_test!(each_job_is_claimed_by_one_worker, |t| async move {
    for i in 0..20 {
        jobs::enqueue(
            t.db.conn(),
            "payroll",
            &serde_json::json!({"n": i}),
            None,
            Some("86"),
            now(),
        )
        .await
        .unwrap();
    }
    let mut handles = Vec::new();
    for w in 0..4 {
        let db = t.db.clone();
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let txn = db.begin().await.unwrap();
                let job = jobs::claim(
                    &txn,
                    &format!("w{w}"),
                    &["payroll"],
                    now(),
                    Duration::seconds(60),
                )
                .await
                .unwrap();
                txn.commit().await.unwrap();
                match job {
                    Some(j) => mine.push(j.id),
                    None => break,
                }
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all.sort();
    assert_eq!(
        all,
        (1..=20).collect::<Vec<i64>>(),
        "every job exactly once"
    );
    // Unknown kinds are not picked.
    jobs::enqueue(
        t.db.conn(),
        "export",
        &serde_json::json!({}),
        None,
        None,
        now(),
    )
    .await
    .unwrap();
    let none = jobs::claim(t.db.conn(), "w", &["payroll"], now(), Duration::seconds(60))
        .await
        .unwrap();
    assert!(none.is_none());
});

db_test!(a_job_whose_worker_died_is_claimed_again, |t| async move {
    let id = jobs::enqueue(
        t.db.conn(),
        "payroll",
        &serde_json::json!({}),
        None,
        None,
        now(),
    )
    .await
    .unwrap();
    let first = jobs::claim(
        t.db.conn(),
        "old",
        &["payroll"],
        now(),
        Duration::seconds(60),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(first.id, id);
    assert!(
        jobs::progress(t.db.conn(), id, "old", 3, 10, "3/10", now())
            .await
            .unwrap()
    );
    // Within the heartbeat window nobody else takes it.
    let later = now() + Duration::seconds(30);
    assert!(
        jobs::claim(
            t.db.conn(),
            "new",
            &["payroll"],
            later,
            Duration::seconds(60)
        )
        .await
        .unwrap()
        .is_none()
    );
    // After it, the job is reclaimed and the old worker's updates are refused.
    let much_later = now() + Duration::seconds(120);
    let again = jobs::claim(
        t.db.conn(),
        "new",
        &["payroll"],
        much_later,
        Duration::seconds(60),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!((again.id, again.attempts, again.progress_done), (id, 2, 3));
    assert!(
        !jobs::progress(t.db.conn(), id, "old", 4, 10, "4/10", much_later)
            .await
            .unwrap()
    );
    jobs::finish(
        t.db.conn(),
        id,
        "new",
        Ok(serde_json::json!({"lines": 10})),
        much_later,
    )
    .await
    .unwrap();
    let done = jobs::get(t.db.conn(), id).await.unwrap().unwrap();
    assert_eq!(done.status, JobStatus::Done);
    assert_eq!(done.result.unwrap()["lines"], 10);
    assert_eq!(jobs::recent(t.db.conn(), None, 10).await.unwrap().len(), 1);
});
