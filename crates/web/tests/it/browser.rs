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
