//! Throughput and scale figures (printed, never asserted):
//! - tokens issued per second (TokenRequest + RS256 signature), next to `openssl speed rsa2048`;
//! - TokenReviews per second (signature verify + validation), next to openssl's verify rate;
//! - `advance 24h` on a generated cluster of 10 000 pods with projected tokens: wall time,
//!   refresh events handled, and peak memory.
//!
//! Run with `cargo bench` (release profile). `KIDEX_BENCH_PODS` changes the cluster size.

// A benchmark measures wall time by definition.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

/// The same allocator as the kidex binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use kidex::sim::Simulator;
use kidex::sim::clock::SimDuration;
use kidex::sim::command::{Command, Outcome};
use kidex::sim::events::reason;
use kidex::sim::tokens::request::TokenRequestSpec;

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn openssl_rsa2048() -> Option<(f64, f64)> {
    let out = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "2", "rsa2048"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("rsa 2048 bits"))?;
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    // "rsa 2048 bits 0.000283s 0.000015s 3529.0 67228.3": sign/s and verify/s are the last two.
    Some((nums[nums.len() - 2], nums[nums.len() - 1]))
}

fn issue(sim: &mut Simulator, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let spec = TokenRequestSpec {
                audiences: vec!["vault".into()],
                expiration_seconds: Some(3600 + i as i64),
                bound_object_ref: None,
            };
            match sim.execute(Command::CreateToken {
                namespace: "default".into(),
                service_account: "build-robot".into(),
                spec,
            }) {
                Ok(Outcome::Token(t)) => t.token,
                other => panic!("{other:?}"),
            }
        })
        .collect()
}

fn main() {
    let pods: usize = std::env::var("KIDEX_BENCH_PODS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);

    // 1. Scale: advance 24 h on a generated cluster.
    let t = Instant::now();
    let snapshot = kidex::state::generate::scale_snapshot(pods, 1).expect("generated state");
    let mut big = Simulator::restore(snapshot).expect("restore");
    let load = t.elapsed();
    let rss_after_load = peak_rss_mb();
    let tokens_at_start = big.ledger().len();
    let mut refreshes = 0u64;
    let mut events = 0u64;
    let t = Instant::now();
    let target = big.now() + SimDuration::hours(24);
    big.advance_to_with(target, &mut |e| {
        events += 1;
        if e.reason == reason::TOKEN_REFRESHED {
            refreshes += 1;
        }
    });
    let advance = t.elapsed();
    let peak_after_advance = peak_rss_mb();
    println!(
        "scale: {pods} pods, {tokens_at_start} tokens issued at start, load {:.2}s, peak memory after load {:.1} MB",
        load.as_secs_f64(),
        rss_after_load.unwrap_or(0.0)
    );
    println!(
        "advance 24h: {:.3}s, {refreshes} refresh events, {events} events in all, ledger {} kept + {} evicted, queue {}",
        advance.as_secs_f64(),
        big.ledger().len(),
        big.ledger().evicted(),
        big.scheduled_work()
    );
    if let Some(mb) = peak_after_advance {
        println!("peak memory after advance 24h: {mb:.1} MB (VmHWM)");
    }
    drop(big);
    if std::env::var("KIDEX_BENCH_ONLY").as_deref() == Ok("scale") {
        return;
    }

    // 2. Issuing (each call signs, since create token returns the bytes).
    let mut sim = kidex::state::demo::open_default(None).expect("demo");
    issue(&mut sim, 20); // warm the key
    let n = 2000;
    let t = Instant::now();
    let tokens = issue(&mut sim, n);
    let issue_rate = n as f64 / t.elapsed().as_secs_f64();
    println!("issue: {issue_rate:.0} tokens/s ({n} TokenRequests, RS256-signed)");

    // 3. Reviewing.
    let rounds = 5;
    let t = Instant::now();
    let mut ok = 0;
    for _ in 0..rounds {
        for tok in &tokens {
            match sim.execute(Command::ReviewToken {
                token: tok.clone(),
                audiences: vec!["vault".into()],
            }) {
                Ok(Outcome::Review(r)) if r.status.authenticated => ok += 1,
                other => panic!("{other:?}"),
            }
        }
    }
    let review_rate = ok as f64 / t.elapsed().as_secs_f64();
    println!("review: {review_rate:.0} reviews/s ({ok} TokenReviews)");

    // 4. Lazy signing: a day of refreshes on the demo cluster, then sign everything once.
    let t = Instant::now();
    let mut demo = kidex::state::demo::open_default(None).expect("demo");
    demo.advance(SimDuration::hours(24));
    let records: Vec<_> = demo.ledger().iter().cloned().collect();
    for r in &records {
        demo.token_jws(r).expect("sign");
    }
    println!(
        "demo day: advance 24h + sign {} kept tokens in {:.3}s",
        records.len(),
        t.elapsed().as_secs_f64()
    );

    match openssl_rsa2048() {
        Some((sign, verify)) => {
            println!("openssl speed rsa2048: {sign:.0} sign/s, {verify:.0} verify/s");
            println!(
                "ratios: openssl sign / kidex issue = {:.2}x, openssl verify / kidex review = {:.2}x",
                sign / issue_rate,
                verify / review_rate
            );
        }
        None => println!("openssl speed rsa2048: not available here"),
    }
}
