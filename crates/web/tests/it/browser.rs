//! A real browser (Debian's chromium through chromedriver): sign in, register a person, find
//! them with a search typed without diacritics, and check that an officer of another
//! commune cannot see them.
//!
//! Needs `chromedriver` on the PATH (the README's test command installs it). Set
//! `ANSINH_SKIP_BROWSER=1` to skip on a machine without a browser; the test otherwise fails,
//! it never passes without running.

use fantoccini::{ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use ansinh_testkit::{Backend, TestDb};

use crate::support::*;

struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver() -> Option<Driver> {
    if std::env::var("ANSINH_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        return None;
    }
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is needed for the browser test (apt-get install chromium chromium-driver), or set ANSINH_SKIP_BROWSER=1");
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Some(Driver { child, url })
}

async fn browser(driver: &Driver) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,900"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a chromium session")
}

async fn sign_in(b: &fantoccini::Client, app: &TestApp, username: &str) {
    b.goto(&app.url("/login")).await.unwrap();
    b.find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    b.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    b.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait().for_element(Locator::Css("a.who")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_registers_and_finds_a_person_that_another_commune_cannot_see() {
    let Some(driver) = start_driver().await else {
        eprintln!("browser test skipped: ANSINH_SKIP_BROWSER=1");
        return;
    };
    let t = TestDb::new(Backend::Sqlite).await;
    let app = spawn(&t).await;
    app.user("canbo.a", "commune_officer", app.unit("29242"))
        .await;
    app.user("canbo.b", "commune_officer", app.unit("29254"))
        .await;

    let b = browser(&driver).await;
    sign_in(&b, &app, "canbo.a").await;
    b.goto(&app.url("/people/new")).await.unwrap();
    let fill = |id: &'static str, value: &'static str| {
        let b = b.clone();
        async move {
            b.find(Locator::Id(id))
                .await
                .unwrap()
                .send_keys(value)
                .await
                .unwrap();
        }
    };
    fill("full_name", "Nguyễn Văn Đức").await;
    b.find(Locator::Css("#sex option[value=male]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill("birth_date", "1945-07-15").await;
    fill("cccd", "084045000321").await;
    fill("hamlet", "Khóm 3").await;
    b.find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let notice = b
        .wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .unwrap();
    assert!(notice.text().await.unwrap().contains("Đã thêm"));
    let h1 = b
        .find(Locator::Css("main h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, "Nguyễn Văn Đức");

    // Search typed without diacritics, in lower case.
    b.goto(&app.url("/people")).await.unwrap();
    b.find(Locator::Id("q"))
        .await
        .unwrap()
        .send_keys("nguyen van duc")
        .await
        .unwrap();
    b.find(Locator::Css("form.search button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Wait for the results page itself, not the list shown before the search.
    for _ in 0..50 {
        if b.current_url()
            .await
            .unwrap()
            .query()
            .is_some_and(|q| q.contains("nguyen"))
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = b
        .find(Locator::Css("p[role=status]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("1 người"), "exactly one match: {status}");
    let link = b
        .wait()
        .for_element(Locator::LinkText("Nguyễn Văn Đức"))
        .await
        .unwrap();
    link.click().await.unwrap();
    let url = b.current_url().await.unwrap();
    let person_path = url.path().to_string();

    // Another commune's officer: not in the search, and the page itself is not found.
    b.find(Locator::Css("header form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait().for_element(Locator::Id("username")).await.unwrap();
    sign_in(&b, &app, "canbo.b").await;
    b.goto(&app.url("/people?q=nguyen+van+duc")).await.unwrap();
    let links = b
        .find_all(Locator::LinkText("Nguyễn Văn Đức"))
        .await
        .unwrap();
    assert!(links.is_empty(), "not in another commune's search");
    let body = b
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Không có người nào phù hợp"));
    b.goto(&app.url(&person_path)).await.unwrap();
    let body = b
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("Không tìm thấy"),
        "the person's page is not found for them"
    );

    b.close().await.unwrap();
    app.stop().await;
}

/// Clicks the first element matching a CSS selector, waiting for it to appear.
async fn click(b: &fantoccini::Client, css: &str) {
    b.wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn main_text(b: &fantoccini::Client) -> String {
    b.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Waits until the browser has left `from` (a form was submitted and its answer loaded).
async fn left(b: &fantoccini::Client, from: &str) -> String {
    for _ in 0..100 {
        let url = b.current_url().await.unwrap();
        let here = format!("{}?{}", url.path(), url.query().unwrap_or(""));
        if here != from {
            return here;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("still on {from}");
}

async fn here(b: &fantoccini::Client) -> String {
    let url = b.current_url().await.unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or(""))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_goes_from_the_counter_to_an_entitlement_and_the_public_sees_its_status() {
    let Some(driver) = start_driver().await else {
        eprintln!("browser test skipped: ANSINH_SKIP_BROWSER=1");
        return;
    };
    let t = TestDb::new(Backend::Sqlite).await;
    let app = spawn(&t).await;
    let commune = app.unit("29242");
    app.user("canbo.a", "commune_officer", commune).await;
    app.user("chutich.a", "commune_chairman", commune).await;
    // Monday 2 November 2026, 09:00 in Vietnam.
    let at = |day: u32| {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T09:00:00+07:00"))
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    app.set_now(at(2));
    // The person is already in the registry (registering is the other browser test's job).
    let c = client();
    let csrf = login(&app, &c, "canbo.a", PASSWORD).await;
    let unit = commune.0.to_string();
    let mut form = person_form(&csrf, "Kim Thị Sô Phal", &unit);
    form.retain(|(k, _)| !matches!(*k, "disability" | "sex"));
    form.extend([
        ("sex", "female"),
        ("disability", "severe"),
        ("disability_cert_date", "2026-10-01"),
    ]);
    let r = c.post(app.url("/people")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let person_path = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();

    let b = browser(&driver).await;
    sign_in(&b, &app, "canbo.a").await;
    // Receive: from the person's page, pick the application type, tick the checklist.
    b.goto(&app.url(&person_path)).await.unwrap();
    click(&b, "a[href^='/dossiers/new?person=']").await;
    click(&b, "#type option[value='1dd']").await;
    let from = here(&b).await;
    click(&b, "form[action='/dossiers/new'] button[type=submit]").await;
    left(&b, &from).await;
    let boxes = b
        .find_all(Locator::Css("input[name=documents]"))
        .await
        .unwrap();
    assert!(!boxes.is_empty(), "the checklist of form 1đ is shown");
    for checkbox in boxes {
        checkbox.click().await.unwrap();
    }
    click(&b, "#requested_group option[value='k6']").await;
    let from = here(&b).await;
    click(&b, "form[action='/dossiers'] .actions button[type=submit]").await;
    let receipt = left(&b, &from).await;
    assert!(receipt.ends_with("/receipt?"), "a receipt: {receipt}");
    let text = main_text(&b).await;
    assert!(text.contains("GIẤY TIẾP NHẬN HỒ SƠ"), "{text}");
    let code = text
        .split_whitespace()
        .find(|w| w.starts_with("29242-261102-"))
        .expect("the dossier code on the receipt")
        .trim_end_matches(['.', ','])
        .to_string();
    let dossier_path = receipt.trim_end_matches("/receipt?").to_string();

    // Commune review, then the posting, which must run its days.
    b.goto(&app.url(&dossier_path)).await.unwrap();
    click(&b, "button[value='complete|commune_review|pass']").await;
    b.wait()
        .for_element(Locator::Css("button[value='complete|public_posting|done']"))
        .await
        .unwrap();
    let posting = reqwest::get(app.url("/posting/29242"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        posting.contains("Kim Thị Sô Phal"),
        "on the public posting list"
    );
    app.set_now(at(5));
    sign_in(&b, &app, "canbo.a").await;
    b.goto(&app.url(&dossier_path)).await.unwrap();
    click(&b, "button[value='complete|public_posting|done']").await;
    b.wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .unwrap();
    assert!(
        b.find_all(Locator::Css("button[value^='grant|']"))
            .await
            .unwrap()
            .is_empty(),
        "the officer is not offered the decision"
    );

    // The chairman decides; the decision prints in the administrative format.
    app.set_now(at(6));
    sign_in(&b, &app, "chutich.a").await;
    b.goto(&app.url(&dossier_path)).await.unwrap();
    let from = here(&b).await;
    click(&b, "button[value^='grant|']").await;
    let after = left(&b, &from).await;
    assert!(
        after.starts_with("/decisions/"),
        "the new decision is shown: {after}"
    );
    let decision = main_text(&b).await;
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN PHƯỜNG TRÀ VINH",
        "1/QĐ-UBND",
        "QUYẾT ĐỊNH",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TRÀ VINH",
        "Bà Kim Thị Sô Phal",
        "1.080.000",
        "Điều 1",
        "CHỦ TỊCH",
    ] {
        assert!(decision.contains(expected), "{expected} in {decision}");
    }

    // The dashboard counts it decided on time.
    b.goto(&app.url("/")).await.unwrap();
    let dashboard = main_text(&b).await;
    assert!(dashboard.contains("Giải quyết đúng hạn"), "{dashboard}");
    assert!(dashboard.contains("100%"), "decided on time: {dashboard}");

    // The entitlement is on the person's page.
    b.goto(&app.url(&person_path)).await.unwrap();
    let person = main_text(&b).await;
    assert!(person.contains("1.080.000"), "the entitlement: {person}");
    assert!(
        person.contains("11/2026"),
        "from the decision month: {person}"
    );

    // Anyone with the code and the birth date sees the outcome, and nothing more.
    b.delete_all_cookies().await.unwrap();
    b.goto(&app.url("/status")).await.unwrap();
    b.find(Locator::Id("code"))
        .await
        .unwrap()
        .send_keys(&code)
        .await
        .unwrap();
    b.find(Locator::Id("secret"))
        .await
        .unwrap()
        .send_keys("20/05/1944")
        .await
        .unwrap();
    click(&b, "form[action='/status'] button[type=submit]").await;
    let status = b
        .wait()
        .for_element(Locator::Css("section.card"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains(&code), "{status}");
    assert!(status.contains("06/11/2026"), "closed on: {status}");
    assert!(
        !status.contains("Kim Thị Sô Phal"),
        "no name on the public page"
    );

    b.close().await.unwrap();
    app.stop().await;
}
