//! `ansinh bench …`: benchmarks that print figures. Never timed tests: they run on demand
//! and report throughput and latency percentiles, for both databases in the same run.

use chrono::NaiveDate;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ansinh_domain::ids::UnitId;
use ansinh_domain::unit::UnitLevel;
use ansinh_store::audit::AuditEntry;
use ansinh_store::bulk::{BulkHousehold, load_households};
use ansinh_store::db::{Db, DbTarget};
use ansinh_store::registry::{PersonQuery, search_persons};
use ansinh_store::scope::Scope;
use ansinh_store::units;
use ansinh_synth::{CommuneRef, NationalConfig, Profile, people};

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Bulk-load synthetic people, then time searches (folded-name prefix, CCCD exact).
    Registry {
        /// People to load.
        #[arg(long, default_value_t = 1_000_000)]
        people: u64,
        /// `sqlite`, `postgres` or `both`.
        #[arg(long, default_value = "both")]
        backend: String,
        /// PostgreSQL server for the run (a scratch schema is created and dropped).
        #[arg(
            long,
            env = "ANSINH_BENCH_PG_URL",
            default_value = "postgres://postgres@127.0.0.1:5432/test"
        )]
        pg_url: String,
        /// Searches of each kind to time.
        #[arg(long, default_value_t = 1_000)]
        queries: usize,
    },
    /// Load open dossiers over the demo province, then time the overdue list and the task
    /// lists as users of a commune and of the province see them.
    Dossiers {
        /// Open dossiers to load.
        #[arg(long, default_value_t = 100_000)]
        dossiers: u64,
        /// `sqlite`, `postgres` or `both`.
        #[arg(long, default_value = "both")]
        backend: String,
        /// PostgreSQL server for the run (a scratch schema is created and dropped).
        #[arg(
            long,
            env = "ANSINH_BENCH_PG_URL",
            default_value = "postgres://postgres@127.0.0.1:5432/test"
        )]
        pg_url: String,
        /// Lists of each kind to time.
        #[arg(long, default_value_t = 500)]
        queries: usize,
    },
    /// Generate a national caseload, run two months' payroll (`ansinh payroll run`), and
    /// load the same lines by the database's fastest path as the baseline.
    Payroll {
        /// Active entitlements (one per beneficiary) to generate.
        #[arg(long, default_value_t = 3_500_000)]
        entitlements: u64,
        /// `sqlite`, `postgres` or `both`.
        #[arg(long, default_value = "both")]
        backend: String,
        /// PostgreSQL server for the run (a scratch schema is created and dropped).
        #[arg(
            long,
            env = "ANSINH_BENCH_PG_URL",
            default_value = "postgres://postgres@127.0.0.1:5432/test"
        )]
        pg_url: String,
        /// Batches of communes computed and kept at the same time (on two cores, three keep
        /// both busy while one waits for the database).
        #[arg(long, default_value_t = 3)]
        workers: usize,
    },
}

fn backends(choice: &str) -> Result<Vec<&'static str>, String> {
    match choice {
        "both" => Ok(vec!["sqlite", "postgres"]),
        "sqlite" => Ok(vec!["sqlite"]),
        "postgres" => Ok(vec!["postgres"]),
        other => Err(format!("unknown backend {other}: sqlite, postgres or both")),
    }
}

pub async fn run(command: BenchCommand, _target: &DbTarget) -> Result<ExitCode, String> {
    match command {
        BenchCommand::Registry {
            people,
            backend,
            pg_url,
            queries,
        } => {
            let mut rows = Vec::new();
            for b in backends(&backend)? {
                let scratch = Scratch::create(b, &pg_url).await?;
                let result = registry_bench(&scratch.target, people, queries).await;
                scratch.drop().await;
                rows.push((b, result?));
            }
            println!();
            println!("registry benchmark: {people} people, {queries} searches of each kind");
            println!(
                "{:<9} {:>10} {:>12} {:>10} {:>10} {:>10} {:>10}",
                "backend", "load s", "people/s", "name p50", "name p99", "cccd p50", "cccd p99"
            );
            for (b, r) in rows {
                println!(
                    "{:<9} {:>10.1} {:>12.0} {:>8.2}ms {:>8.2}ms {:>8.2}ms {:>8.2}ms",
                    b,
                    r.load.as_secs_f64(),
                    r.people as f64 / r.load.as_secs_f64(),
                    ms(r.name.0),
                    ms(r.name.1),
                    ms(r.cccd.0),
                    ms(r.cccd.1),
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Dossiers {
            dossiers,
            backend,
            pg_url,
            queries,
        } => {
            let mut rows = Vec::new();
            for b in backends(&backend)? {
                let scratch = Scratch::create(b, &pg_url).await?;
                let result = crate::bench_dossiers::run(&scratch.target, dossiers, queries).await;
                scratch.drop().await;
                rows.push((b, result?));
            }
            println!();
            println!(
                "dossier lists: {dossiers} open dossiers, {queries} lists of each kind (50 rows a page)"
            );
            println!(
                "{:<9} {:>8} {:<38} {:>9} {:>10} {:>10}",
                "backend", "load s", "list", "rows", "p50", "p99"
            );
            for (b, r) in rows {
                for (i, l) in r.lists.iter().enumerate() {
                    let load = if i == 0 {
                        format!("{:.1}", r.load.as_secs_f64())
                    } else {
                        String::new()
                    };
                    println!(
                        "{:<9} {:>8} {:<38} {:>9.1} {:>8.2}ms {:>8.2}ms",
                        if i == 0 { b } else { "" },
                        load,
                        l.name,
                        l.mean_rows,
                        ms(l.p50),
                        ms(l.p99),
                    );
                }
                println!(
                    "{:<9} {:>8} open {} in {} communes, overdue {}, at the decision step {}",
                    "", "", r.open, r.communes, r.overdue, r.at_decision
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Payroll {
            entitlements,
            backend,
            pg_url,
            workers,
        } => {
            let mut rows = Vec::new();
            for b in backends(&backend)? {
                let scratch = Scratch::create(b, &pg_url).await?;
                let result =
                    crate::bench_payroll::run(&scratch.target, entitlements, workers, crate::now())
                        .await;
                scratch.drop().await;
                rows.push((b, result?));
            }
            println!();
            println!(
                "payroll: {entitlements} active entitlements, --workers {workers}; baseline: each \
                 month's lines loaded right after it into an empty copy of the table (COPY binary \
                 on PostgreSQL, prepared multi-row INSERTs in one transaction on SQLite, the \
                 faster of its two ways of binding them)"
            );
            println!(
                "{:<9} {:>8} {:>10} {:>9} {:>10} {:>9} {:>10} {:>9} {:>10} {:>7}",
                "backend",
                "month",
                "lines",
                "wall s",
                "lines/s",
                "peak MiB",
                "baseline s",
                "rows",
                "rows/s",
                "ratio"
            );
            for (b, r) in rows {
                for (i, m) in [&r.first, &r.usual].into_iter().enumerate() {
                    let wall = m.run.wall.as_secs_f64();
                    let base = m.baseline.elapsed.as_secs_f64();
                    println!(
                        "{:<9} {:>8} {:>10} {:>9.1} {:>10.0} {:>9} {:>10.1} {:>9} {:>10.0} {:>7.2}",
                        if i == 0 { b } else { "" },
                        m.month.to_string(),
                        m.run.lines,
                        wall,
                        m.run.lines as f64 / wall.max(1e-9),
                        m.run
                            .peak_mib
                            .map(|p| format!("{p:.0}"))
                            .unwrap_or("n/a".into()),
                        base,
                        m.baseline.rows,
                        m.baseline.rows as f64 / base.max(1e-9),
                        wall / base.max(1e-9),
                    );
                }
                println!(
                    "{:<9} generated {} beneficiaries in {:.1} s",
                    "",
                    r.entitlements,
                    r.generate.as_secs_f64()
                );
                for m in [&r.first, &r.usual] {
                    for (path, took) in &m.baseline.paths {
                        println!(
                            "{:<9} baseline {} {path}: {:.1} s",
                            "",
                            m.month,
                            took.as_secs_f64()
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A database that exists only for the run.
pub(crate) struct Scratch {
    target: DbTarget,
    cleanup: Option<(String, String)>,
    dir: Option<std::path::PathBuf>,
}

impl Scratch {
    async fn create(backend: &str, pg_url: &str) -> Result<Scratch, String> {
        let tag = format!("{:x}", rand::rng().random::<u64>());
        if backend == "sqlite" {
            let dir = std::env::temp_dir().join(format!("ansinh-bench-{tag}"));
            return Ok(Scratch {
                target: DbTarget::DataDir(dir.clone()),
                cleanup: None,
                dir: Some(dir),
            });
        }
        let schema = format!("bench_{tag}");
        let pool = scratch_server(pg_url)
            .await
            .map_err(|e| format!("PostgreSQL: {e}"))?;
        // The schema name is made here from hex digits.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&pool)
            .await
            .map_err(|e| e.to_string())?;
        pool.close().await;
        let sep = if pg_url.contains('?') { '&' } else { '?' };
        Ok(Scratch {
            target: DbTarget::Url(format!("{pg_url}{sep}options=-c%20search_path%3D{schema}")),
            cleanup: Some((pg_url.to_string(), schema)),
            dir: None,
        })
    }

    async fn drop(self) {
        if let Some((url, schema)) = self.cleanup
            && let Ok(pool) = scratch_server(&url).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&pool)
                .await;
            pool.close().await;
        }
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The server a scratch schema is made and dropped on. Dropping millions of rows takes
/// seconds: expected here, not worth a slow-statement warning in the benchmark's output.
async fn scratch_server(url: &str) -> Result<sqlx::PgPool, sqlx::Error> {
    use sqlx::ConnectOptions;
    let options: sqlx::postgres::PgConnectOptions = url.parse()?;
    sqlx::PgPool::connect_with(options.disable_statement_logging()).await
}

struct RegistryFigures {
    people: u64,
    load: Duration,
    /// (p50, p99)
    name: (Duration, Duration),
    cccd: (Duration, Duration),
}

pub(crate) fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |p: f64| {
        samples
            .get(((samples.len() as f64 - 1.0) * p).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    (at(0.50), at(0.99))
}

async fn registry_bench(
    target: &DbTarget,
    n: u64,
    queries: usize,
) -> Result<RegistryFigures, String> {
    let db = Db::open(target).await.map_err(|e| e.to_string())?;
    let txn = db.begin().await.map_err(|e| e.to_string())?;
    units::seed_reference_data(&txn)
        .await
        .map_err(|e| e.to_string())?;
    units::seed_national_units(&txn)
        .await
        .map_err(|e| e.to_string())?;
    txn.commit().await.map_err(|e| e.to_string())?;
    let graph = units::load_graph(db.conn())
        .await
        .map_err(|e| e.to_string())?;
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default();
    let province_of = |id: UnitId| -> String {
        let root = graph.ancestors(id).last().copied().unwrap_or(id);
        graph.get(root).map(|u| u.code.clone()).unwrap_or_default()
    };
    let communes: Vec<CommuneRef> = graph
        .all()
        .filter(|u| u.level == UnitLevel::Commune && u.valid_at(today))
        .filter_map(|u| CommuneRef::from_version(u, &province_of(u.id)))
        .collect();
    let codes: HashMap<UnitId, (String, String)> = communes
        .iter()
        .map(|c| (c.unit_id, (c.code.clone(), c.province_code.clone())))
        .collect();
    let config = NationalConfig {
        seed: 7,
        today,
        profile: Profile::Population,
    };
    let mut stream = people(&config, &communes, n).map_err(|e| e.to_string())?;
    let bar = ProgressBar::new(n);
    bar.set_style(
        ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(if db.is_postgres() {
        "postgres"
    } else {
        "sqlite"
    });
    let mut name_samples: Vec<String> = Vec::new();
    let mut cccd_samples: Vec<String> = Vec::new();
    let mut load = Duration::ZERO;
    let mut loaded = 0u64;
    const CHUNK: usize = 50_000;
    loop {
        let chunk: Vec<_> = stream.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        // Group people of the same commune into households of up to four.
        let mut by_commune: HashMap<UnitId, Vec<ansinh_domain::registry::PersonDraft>> =
            HashMap::new();
        for p in chunk {
            if name_samples.len() < queries * 4 && p.seq % 97 == 0 {
                let folded = ansinh_domain::fold::fold(&p.full_name);
                let words: Vec<&str> = folded.split(' ').collect();
                if words.len() >= 3 {
                    // "nguyen van h": family, middle and the first letter of the given name.
                    name_samples.push(format!("{} {} {}", words[0], words[1], &words[2][..1]));
                }
            }
            if let (true, Some(c)) = (
                cccd_samples.len() < queries * 4 && p.seq % 89 == 0,
                p.cccd.as_ref(),
            ) {
                cccd_samples.push(c.to_string());
            }
            by_commune
                .entry(p.unit_id)
                .or_default()
                .push(p.into_draft());
        }
        let mut batch = Vec::new();
        for (unit, members) in by_commune {
            let (code, province) = codes.get(&unit).cloned().unwrap_or_default();
            for group in members.chunks(4) {
                batch.push(BulkHousehold {
                    province_code: province.clone(),
                    unit_id: unit,
                    unit_code: code.clone(),
                    hamlet: group[0].hamlet.clone(),
                    address: String::new(),
                    poverty: Vec::new(),
                    members: group.to_vec(),
                });
            }
        }
        let entry = AuditEntry {
            chain: "bench".into(),
            at: chrono::DateTime::<chrono::Utc>::default(),
            actor_id: None,
            actor: "bench".into(),
            source: "cli".into(),
            action: "bench.load".into(),
            entity: "household".into(),
            entity_id: String::new(),
            before: None,
            after: None,
        };
        let started = Instant::now();
        let outcome = load_households(&db, &batch, entry.at, entry)
            .await
            .map_err(|e| e.to_string())?;
        load += started.elapsed();
        loaded += outcome.people;
        bar.set_position(loaded);
    }
    bar.finish_and_clear();
    // Fresh statistics, as after any large load (both databases understand ANALYZE).
    ansinh_store::db::execute(db.conn(), "ANALYZE")
        .await
        .map_err(|e| e.to_string())?;

    // The national view (no scope filter): the widest search any user can make.
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let time_queries = |samples: Vec<String>| {
        let db = db.clone();
        async move {
            let mut out = Vec::new();
            for text in samples {
                let started = Instant::now();
                let page = search_persons(
                    db.conn(),
                    &Scope::All,
                    &PersonQuery {
                        text,
                        limit: 50,
                        ..Default::default()
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
                out.push(started.elapsed());
                std::hint::black_box(page);
            }
            Ok::<_, String>(out)
        }
    };
    let pick = |samples: &mut Vec<String>, rng: &mut rand::rngs::StdRng| -> Vec<String> {
        (0..queries)
            .filter_map(|_| {
                if samples.is_empty() {
                    None
                } else {
                    Some(samples[rng.random_range(0..samples.len())].clone())
                }
            })
            .collect()
    };
    let names = pick(&mut name_samples, &mut rng);
    let cccds = pick(&mut cccd_samples, &mut rng);
    let name = percentiles(time_queries(names).await?);
    let cccd = percentiles(time_queries(cccds).await?);
    db.close().await.map_err(|e| e.to_string())?;
    Ok(RegistryFigures {
        people: loaded,
        load,
        name,
        cccd,
    })
}
