//! The policy catalogue as data: evaluation through the API, the public screening page, and
//! a new decree added by one officer and approved by another.

use ansinh_testkit::db_test;

use crate::support::*;

/// A hypothetical decree, data only: base 620,000 from July 2027 and a new group k10.
const DECREE: &str = r#"
[[base]]
id = "base-2027-07-test"
scale = "allowance"
from = "2027-07"
amount = 620000
signed = "2027-06-20"
citation = { decree = "777/2027/NĐ-CP", article = 1 }
confidence = "UNVERIFIED"

[[version]]
id = "nd777-2027"
extends = "nd176-2025"
from = "2027-07"
decree = "777/2027/NĐ-CP"
title_vi = "Nghị định thử nghiệm 777/2027/NĐ-CP"
title_en = "Test Decree 777/2027/ND-CP"
confidence = "UNVERIFIED"

[[version.group]]
code = "k10"
name_vi = "Người chăm sóc người khuyết tật đặc biệt nặng thuộc hộ nghèo"
name_en = "Poor carer of a person with especially severe disability"
citation = { decree = "777/2027/NĐ-CP", article = 5, clause = 10 }

[[version.rule]]
id = "k10-carer"
group = "k10"
label_vi = "người chăm sóc thuộc hộ nghèo"
label_en = "carer in a poor household"
when = { all = [{ poverty = ["poor"] }, { flag = "hardship_household" }, { age = { min = 18 } }] }
coefficient = 100
citation = { decree = "777/2027/NĐ-CP", article = 6, clause = 1, point = "k" }
confidence = "UNVERIFIED"
"#;

fn carer(month: &str) -> serde_json::Value {
    serde_json::json!({
        "month": month,
        "person": { "birth_date": "1985-04-02", "sex": "female" },
        "household": { "poverty": "poor", "flags": ["hardship_household"] }
    })
}

db_test!(
    the_api_evaluates_documents_and_lists_every_problem,
    |t| async move {
        let app = spawn(&t).await;
        let c = reqwest::Client::new();
        // An elderly person of a poor household without a supporter, 85 in November 2026.
        let doc = serde_json::json!({
            "month": "2026-11",
            "person": { "birth_date": "1941-03-10", "sex": "female" },
            "household": { "poverty": "poor" }
        });
        let r = c
            .post(app.url("/api/v1/entitlements/evaluate"))
            .json(&doc)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let report: serde_json::Value = r.json().await.unwrap();
        let line = &report["monthly_allowance"]["lines"][0];
        assert_eq!(line["group"], "k5");
        assert_eq!(line["coefficient_hundredths"], 200);
        assert_eq!(line["base"], 540_000);
        assert_eq!(line["amount"], 1_080_000);
        assert!(line["citation_text"].as_str().unwrap().contains("Điều 6"));
        // The month can come from the query; English sentences on request.
        let r = c
            .post(app.url("/api/v1/entitlements/evaluate?month=2024-06&lang=en"))
            .json(&doc)
            .send()
            .await
            .unwrap();
        let report: serde_json::Value = r.json().await.unwrap();
        assert_eq!(
            report["monthly_allowance"]["lines"][0]["base"], 360_000,
            "before NĐ 76/2024"
        );
        assert!(
            report["monthly_allowance"]["lines"][0]["sentence"]
                .as_str()
                .unwrap()
                .contains("base")
        );
        // Every problem, never an amount.
        let bad = serde_json::json!({
            "month": "2026-11",
            "person": { "birth_date": "2027-01-01", "death_date": "2020-01-01", "colour": "blue" },
            "household": { "poverty": "rich" },
            "groups": ["k42"]
        });
        let r = c
            .post(app.url("/api/v1/entitlements/evaluate"))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["code"], "invalid-document");
        assert!(body["problems"].as_array().unwrap().len() >= 2, "{body}");
        assert!(body.get("monthly_allowance").is_none());
        let r = c
            .post(app.url("/api/v1/entitlements/evaluate"))
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        app.stop().await;
    }
);

db_test!(
    anyone_can_screen_without_signing_in_and_nothing_is_stored,
    |t| async move {
        let app = spawn(&t).await;
        let audit_before = app.app.verify_audit().await.unwrap().rows;
        let c = client();
        let page = c
            .get(app.url("/screening"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Không cần đăng nhập"));
        assert!(!page.contains("CCCD"), "no identifier is asked");
        let csrf = csrf_of(&page);
        let r = c
            .post(app.url("/screening"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("birth_date", "1941"),
                ("sex", "female"),
                ("poverty", "poor"),
                ("disability", "none"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let html = r.text().await.unwrap();
        assert!(html.contains("1.080.000 đ"), "the amount is shown");
        assert!(html.contains("Điều 6"), "with its legal basis");
        assert!(html.contains("không phải quyết định"));
        let r = c
            .post(app.url("/screening"))
            .form(&[
                ("_csrf", csrf.as_str()),
                ("birth_date", "ngày nào đó"),
                ("poverty", "poor"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(people_count(&app).await, 0);
        assert_eq!(
            app.app.verify_audit().await.unwrap().rows,
            audit_before,
            "nothing written"
        );
        app.stop().await;
    }
);

db_test!(
    a_new_decree_is_drafted_by_one_officer_and_approved_by_another,
    |t| async move {
        let app = spawn(&t).await;
        app.user("soan", "province_officer", app.unit("86")).await;
        app.user("duyet", "province_officer", app.unit("86")).await;
        app.user("canbo.a", "commune_officer", app.unit("29242"))
            .await;
        let machine = reqwest::Client::new();
        let evaluate = |month: &'static str| {
            let machine = machine.clone();
            let url = app.url("/api/v1/entitlements/evaluate");
            async move {
                machine
                    .post(url)
                    .json(&carer(month))
                    .send()
                    .await
                    .unwrap()
                    .json::<serde_json::Value>()
                    .await
                    .unwrap()
            }
        };
        let before = evaluate("2027-07").await;
        assert_eq!(before["monthly_total"], 0, "k10 does not exist yet");

        // A commune officer cannot draft.
        let o = client();
        let ocsrf = login(&app, &o, "canbo.a", PASSWORD).await;
        let r = o
            .post(app.url("/policy"))
            .form(&[
                ("_csrf", ocsrf.as_str()),
                ("name", "x"),
                ("toml_text", DECREE),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);

        let a = client();
        let acsrf = login(&app, &a, "soan", PASSWORD).await;
        // Broken content: every problem listed, nothing saved.
        let r = a
            .post(app.url("/policy"))
            .form(&[
                ("_csrf", acsrf.as_str()),
                ("name", "nd777-2027"),
                (
                    "toml_text",
                    "[[base]]\nid = \"x\"\nscale = 5\n\n[[version]]\nid = 3\n",
                ),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(
            r.text().await.unwrap().contains("<li><code>"),
            "problems listed"
        );
        let r = a
            .post(app.url("/policy"))
            .form(&[
                ("_csrf", acsrf.as_str()),
                ("name", "nd777-2027"),
                ("description", "Mức chuẩn 620.000 đ và nhóm k10"),
                ("toml_text", DECREE),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        // Drafted, not yet in force.
        assert_eq!(evaluate("2027-07").await["monthly_total"], 0);
        let versions = app.app.policy_versions(&app.system_ctx()).await.unwrap();
        let id = versions[0].version.id;
        // The maker cannot approve.
        let r = a
            .post(app.url(&format!("/policy/{id}/activate")))
            .form(&[("_csrf", acsrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert!(r.text().await.unwrap().contains("không được tự phê duyệt"));
        // Another officer approves.
        let b = client();
        let bcsrf = login(&app, &b, "duyet", PASSWORD).await;
        let page = b
            .get(app.url("/policy"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("nd777-2027") && page.contains("Phê duyệt"));
        let r = b
            .post(app.url(&format!("/policy/{id}/activate")))
            .form(&[("_csrf", bcsrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        // In force from its month, not before; the existing groups get the new base too.
        assert_eq!(evaluate("2027-06").await["monthly_total"], 0);
        let after = evaluate("2027-07").await;
        assert_eq!(after["monthly_total"], 620_000);
        assert_eq!(after["monthly_allowance"]["lines"][0]["group"], "k10");
        assert_eq!(after["policy_version"]["id"], "nd777-2027");
        // The catalogue page shows it with its confidence label.
        let page = b
            .get(app.url("/policy"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("777/2027/NĐ-CP") && page.contains("chưa kiểm chứng"));
        // A restart keeps it.
        let reopened = ansinh_app::App::start(app.app.db.clone(), app_config().await, now())
            .await
            .unwrap();
        let doc = carer("2027-08").to_string();
        let report = reopened.evaluate_document(&doc, None, None).unwrap();
        assert_eq!(report.monthly_total.as_i64(), 620_000);
        assert!(app.app.verify_audit().await.unwrap().is_intact());
        app.stop().await;
    }
);
