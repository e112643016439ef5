use ansinh_store::policy::{self, PolicyStatus};
use ansinh_testkit::db_test;

use crate::*;

db_test!(
    the_builtin_catalogue_is_recorded_once_and_versioned,
    |t| async move {
        let first = app(&t).await;
        let files = ansinh_policy::catalogue::BUILTIN.len();
        let stored = policy::builtin(first.db.conn()).await.unwrap();
        assert_eq!(stored.len(), files, "every built-in file recorded");
        // A second start with the same program records nothing new.
        let again = app(&t).await;
        assert_eq!(policy::list(again.db.conn()).await.unwrap().len(), files);
        // A release that changes one file supersedes its old text: simulate the old text.
        let (name, _) = ansinh_policy::catalogue::BUILTIN[0];
        let txn = again.db.begin().await.unwrap();
        policy::record_builtin(&txn, name, "# an older text\n", "ansinh 0.0.1", now())
            .await
            .unwrap();
        txn.commit().await.unwrap();
        let upgraded = app(&t).await;
        let all = policy::list(upgraded.db.conn()).await.unwrap();
        let of_file: Vec<_> = all.iter().filter(|v| v.name == name).collect();
        assert_eq!(of_file.len(), 3);
        assert_eq!(
            of_file
                .iter()
                .filter(|v| v.status == PolicyStatus::Builtin)
                .count(),
            1
        );
        // The catalogue in force is the shipped one, whatever older texts were recorded.
        assert_eq!(
            upgraded.catalogue().fingerprint(),
            ansinh_policy::Catalogue::builtin().unwrap().fingerprint()
        );
        assert!(upgraded.verify_audit().await.unwrap().is_intact());
    }
);
