//! `serve --demo`: the demonstration province and accounts.

use chrono::{DateTime, Utc};

use ansinh_app::App;

pub async fn load(app: &App, seed: u64, now: DateTime<Utc>) -> Result<(), String> {
    println!("Đang nạp dữ liệu mẫu / loading the demo province (seed {seed})…");
    let report = app
        .load_demo(seed, now)
        .await
        .map_err(|e| format!("demo: {e}"))?;
    if report.people > 0 {
        println!(
            "  {} hộ, {} người / households, people",
            report.households, report.people
        );
    } else {
        println!("  dữ liệu mẫu đã có sẵn / the demo data is already loaded");
    }
    if !report.users.is_empty() {
        println!(
            "Tài khoản mẫu / demo accounts (mật khẩu chỉ hiển thị một lần / passwords shown once):"
        );
        for (username, role, password) in &report.users {
            println!("  {username:<12} {:<18} {password}", role.as_str());
        }
    }
    Ok(())
}
