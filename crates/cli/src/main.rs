#![allow(clippy::print_stdout)] // a command-line program prints its results
//! `ansinh`: the social assistance information system.

mod bench;
mod bench_dossiers;
mod bench_payroll;
mod config;
mod demo;
mod payroll;

use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use ansinh_app::{App, AppConfig};
use ansinh_store::db::Db;
use ansinh_web::{AppState, Clock, WebConfig};

use crate::config::{FileConfig, db_target};

/// mimalloc rather than the C library's allocator: a payroll month allocates and frees
/// millions of small lines and explanations from several threads, and glibc's malloc and
/// free showed among the largest costs in its profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "ansinh",
    version,
    about = "Hệ thống thông tin trợ giúp xã hội — social assistance information system"
)]
struct Cli {
    /// Directory of the embedded SQLite database (created on first start).
    #[arg(long, global = true, env = "ANSINH_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// PostgreSQL (`postgres://…`) or an existing SQLite database (`sqlite://…`).
    #[arg(
        long,
        global = true,
        env = "ANSINH_DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    /// A TOML configuration file (keys: data_dir, database_url, listen, secure_cookies, trust_proxy, log).
    #[arg(long, global = true, env = "ANSINH_CONFIG")]
    config: Option<PathBuf>,
    /// Log filter, e.g. `info` or `ansinh_web=debug`.
    #[arg(long, global = true, env = "ANSINH_LOG")]
    log: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web interface and the API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "ANSINH_LISTEN")]
        listen: Option<String>,
        /// Load the demonstration province (Trà Vinh, ~45,000 people) and demo users.
        #[arg(long)]
        demo: bool,
        /// Seed of the demonstration data.
        #[arg(long, default_value_t = 2017)]
        demo_seed: u64,
        /// Mark cookies Secure (serve over HTTPS).
        #[arg(long, env = "ANSINH_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Trust X-Forwarded-For (behind a reverse proxy only).
        #[arg(long, env = "ANSINH_TRUST_PROXY")]
        trust_proxy: bool,
    },
    /// The audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Evaluate a situation (JSON, see docs/entitlement-json.md) for a month.
    Entitlement {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: Option<String>,
        /// English sentences instead of Vietnamese.
        #[arg(long)]
        english: bool,
        /// The situation document; standard input when absent.
        file: Option<PathBuf>,
    },
    /// The working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
    /// Monthly payroll.
    Payroll {
        #[command(subcommand)]
        command: payroll::PayrollCommand,
    },
    /// Generate a national synthetic caseload (people and their entitlements) across the 34
    /// provinces and 3,321 communes.
    Gen {
        /// Beneficiaries to generate.
        #[arg(long)]
        beneficiaries: u64,
        /// Seed (the same seed gives the same people).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// First month ansinh pays them (earlier months were paid by the previous system).
        #[arg(long, default_value = "2026-11")]
        from: String,
    },
    /// Benchmarks that print figures.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Recompute every hash; exit non-zero and name the first broken row of each chain.
    Verify,
}

#[derive(Subcommand, Debug)]
enum CalendarCommand {
    /// Public holidays and make-up working days of a year: `YYYY-MM-DD<TAB>name`.
    Holidays { year: i32 },
    /// The date N working days after DATE (counting from the next working day).
    AddWorkingDays { date: String, n: i64 },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let file = match FileConfig::load(cli.config.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("ansinh: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(cli.log.as_deref().or(file.log.as_deref()));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("ansinh: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, file)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ansinh: {e}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: Option<&str>) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter.unwrap_or("info,sqlx=warn,sea_orm=warn"))
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[allow(clippy::disallowed_methods)] // the command line reads the clock, and passes it on
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

async fn run(cli: Cli, file: FileConfig) -> Result<ExitCode, String> {
    let file_config = &file;
    let target = db_target(cli.data_dir.as_deref(), cli.database_url.as_deref(), &file);
    match cli.command {
        Command::Serve {
            listen,
            demo,
            demo_seed,
            secure_cookies,
            trust_proxy,
        } => {
            let listen = listen
                .or(file.listen.clone())
                .unwrap_or_else(|| "127.0.0.1:8080".into());
            let db = Db::open(&target).await.map_err(|e| e.to_string())?;
            let app = App::start(db, AppConfig::default(), now())
                .await
                .map_err(|e| e.to_string())?;
            if let Some(password) = app
                .bootstrap_admin(now())
                .await
                .map_err(|e| e.to_string())?
            {
                println!("Tài khoản quản trị đã được tạo / Administrator account created:");
                println!("  tên đăng nhập / user name: admin");
                println!("  mật khẩu / password:       {password}");
                println!("  (chỉ hiển thị một lần — shown once; you will be asked to change it)");
            }
            if demo {
                demo::load(&app, demo_seed, now()).await?;
            }
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            // Background jobs (a month's payroll started from the interface) run here; a job
            // left by a stopped server is taken over after its heartbeats stop.
            let (stop_jobs, stop_rx) = tokio::sync::watch::channel(false);
            let worker = tokio::spawn(ansinh_app::jobs::run_worker(
                app.clone(),
                format!("serve-{}", std::process::id()),
                std::sync::Arc::new(now),
                stop_rx,
            ));
            let state = AppState::new(
                app,
                Clock::System,
                WebConfig {
                    secure_cookies: secure_cookies || file.secure_cookies.unwrap_or(false),
                    trust_proxy: trust_proxy || file.trust_proxy.unwrap_or(false),
                    ..WebConfig::default()
                },
            )?;
            println!("ansinh đang chạy tại / is serving at http://{address}");
            ansinh_web::serve(state, listener, async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| e.to_string())?;
            let _ = stop_jobs.send(true);
            let _ = worker.await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = Db::connect(&target).await.map_err(|e| e.to_string())?;
            let report = ansinh_store::audit::verify(db.conn())
                .await
                .map_err(|e| e.to_string())?;
            if report.is_intact() {
                println!(
                    "audit chain intact: {} chains, {} rows",
                    report.chains, report.rows
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for b in &report.breaks {
                    let id = b.id.map(|i| format!(" (id {i})")).unwrap_or_default();
                    println!(
                        "BROKEN chain {} at row {}{id}: {}",
                        b.chain, b.seq, b.reason
                    );
                }
                Ok(ExitCode::from(1))
            }
        }
        Command::Entitlement {
            month,
            english,
            file,
        } => {
            // With a database named explicitly, its approved versions apply too.
            let explicit = cli.data_dir.is_some()
                || cli.database_url.is_some()
                || file_config.data_dir.is_some()
                || file_config.database_url.is_some();
            let catalogue = if explicit {
                let db = Db::open(&target).await.map_err(|e| e.to_string())?;
                let added = ansinh_store::policy::active(db.conn())
                    .await
                    .map_err(|e| e.to_string())?;
                ansinh_app::policy::build_catalogue(&added)
            } else {
                ansinh_policy::Catalogue::builtin()
            }
            .map_err(|problems| format!("policy catalogue: {problems:?}"))?;
            entitlement(&catalogue, month, english, file)
        }
        Command::Calendar { command } => calendar(command),
        Command::Payroll { command } => payroll::run(command, &target, now()).await,
        Command::Gen {
            beneficiaries,
            seed,
            from,
        } => payroll::generate(&target, beneficiaries, seed, &from, now()).await,
        Command::Bench { command } => bench::run(command, &target).await,
    }
}

fn entitlement(
    catalogue: &ansinh_policy::Catalogue,
    month: Option<String>,
    english: bool,
    file: Option<PathBuf>,
) -> Result<ExitCode, String> {
    let month = match month {
        Some(m) => Some(
            m.parse::<ansinh_domain::Month>()
                .map_err(|e| e.to_string())?,
        ),
        None => None,
    };
    let mut input = String::new();
    match &file {
        Some(path) => {
            input = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        }
        None => {
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
        }
    }
    let options = ansinh_policy::EvaluateOptions {
        month,
        lang: Some(if english {
            ansinh_policy::Lang::En
        } else {
            ansinh_policy::Lang::Vi
        }),
    };
    match ansinh_policy::evaluate_json(catalogue, &input, options) {
        Ok(report) => {
            let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            let json = serde_json::to_string_pretty(&serde_json::json!({ "problems": problems }))
                .map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(ExitCode::from(2))
        }
    }
}

fn calendar(command: CalendarCommand) -> Result<ExitCode, String> {
    let cal = ansinh_calendar::builtin().map_err(|e| e.to_string())?;
    match command {
        CalendarCommand::Holidays { year } => {
            for h in cal.holidays(year).map_err(|e| e.to_string())? {
                println!("{}\t{}", h.date, h.name_vi);
            }
        }
        CalendarCommand::AddWorkingDays { date, n } => {
            let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| format!("{date:?} is not a date (YYYY-MM-DD)"))?;
            println!(
                "{}",
                cal.add_working_days(date, n).map_err(|e| e.to_string())?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
