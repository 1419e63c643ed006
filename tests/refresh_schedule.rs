//! The kubelet's refresh schedule for projected tokens (spec §3).

mod common;

use common::*;
use kidex::sim::Simulator;
use kidex::sim::clock::{SimDuration, unix_seconds};
use kidex::sim::command::Command;
use kidex::sim::events::reason;
use kidex::sim::objects::Object;
use kidex::sim::tokens::ledger::{Holder, TokenRecord};

fn holder_tokens(sim: &Simulator, volume: &str) -> Vec<TokenRecord> {
    sim.ledger()
        .iter()
        .filter(|r| matches!(&*r.holder, Holder::Projected { volume: v, .. } if &**v == volume))
        .cloned()
        .collect()
}

/// Seconds after issue at which the first token of `volume` was replaced.
fn first_refresh_after(sim: &mut Simulator, volume: &str, within: SimDuration) -> i64 {
    let first = holder_tokens(sim, volume)[0].clone();
    let events = sim.advance(within);
    let refreshed = events
        .iter()
        .find(|e| {
            e.reason == reason::TOKEN_REFRESHED && e.message.contains(&format!("volume {volume} "))
        })
        .expect("a refresh happened");
    let next = holder_tokens(sim, volume)[1].clone();
    assert_eq!(refreshed.token, Some(next.id));
    assert_eq!(
        sim.ledger().get(first.id).unwrap().superseded_by,
        Some(next.id)
    );
    assert_ne!(
        next.jti, first.jti,
        "the projected file content changes on refresh"
    );
    unix_seconds(refreshed.time) - first.iat
}

#[test]
fn a_7200s_token_refreshes_between_5750_and_5760_seconds() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..24 {
        let mut sim = demo_seeded(seed);
        let after = first_refresh_after(&mut sim, "vault-token", SimDuration::hours(2));
        assert!(
            (5750..=5760).contains(&after),
            "seed {seed}: refreshed after {after}s"
        );
        seen.insert(after);
    }
    assert!(seen.len() > 3, "the jitter varies with the seed: {seen:?}");
}

#[test]
fn the_automounted_token_lives_a_year_but_refreshes_at_about_48_minutes() {
    for seed in 0..12 {
        let mut sim = demo_seeded(seed);
        let t = holder_tokens(&sim, "kube-api-access-7xq2k")[0].clone();
        assert_eq!(t.exp - t.iat, 31_536_000);
        assert_eq!(t.warnafter, Some(t.iat + 3607));
        assert_eq!(
            t.status_expiration(),
            t.iat + 3607,
            "the kubelet schedules from expirationTimestamp"
        );
        let after = first_refresh_after(&mut sim, "kube-api-access-7xq2k", SimDuration::hours(1));
        assert!(
            (2876..=2886).contains(&after),
            "seed {seed}: refreshed after {after}s"
        );
    }
}

#[test]
fn a_48h_token_refreshes_before_24h() {
    let mut sim = demo();
    let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"long","namespace":"test"},
      "spec":{"serviceAccountName":"nginx","containers":[{"name":"c","image":"busybox:1.36",
        "volumeMounts":[{"name":"t","mountPath":"/t"}]}],
      "volumes":[{"name":"t","projected":{"sources":[{"serviceAccountToken":{"path":"t","expirationSeconds":172800,"audience":"api"}}]}}]}}"#;
    let o = Object::from_value(serde_json::from_str(pod).unwrap()).unwrap();
    sim.execute(Command::Apply(o)).unwrap();
    let first = holder_tokens(&sim, "t")[0].clone();
    assert_eq!(first.exp - first.iat, 172_800);
    let due = unix_seconds(first.refresh_due_at.unwrap()) - first.iat;
    assert!((86_391..=86_400).contains(&due), "due {due}s after issue");
    let after = first_refresh_after(&mut sim, "t", SimDuration::hours(25));
    assert!(after <= 86_400, "refreshed after {after}s");
}

#[test]
fn refreshes_repeat_and_superseded_tokens_expire() {
    let mut sim = demo();
    // Pod test/nginx only (default/ci-runner's 10-minute token refreshes every 8 minutes).
    let events: Vec<_> = sim
        .advance(SimDuration::hours(6))
        .into_iter()
        .filter(|e| &*e.object.namespace == "test")
        .collect();
    let refreshes = events
        .iter()
        .filter(|e| e.reason == reason::TOKEN_REFRESHED)
        .count();
    // vault-token every ~96 min (3 in 6 h), the API token every ~48 min (7 in 6 h).
    assert_eq!(refreshes, 3 + 7, "{events:#?}");
    let expired = events
        .iter()
        .filter(|e| e.reason == reason::TOKEN_EXPIRED)
        .count();
    assert_eq!(
        expired, 3,
        "each superseded 2 h vault token expires; API tokens live a year"
    );
    let live: Vec<_> = holder_tokens(&sim, "vault-token")
        .into_iter()
        .filter(|r| r.superseded_by.is_none())
        .collect();
    assert_eq!(live.len(), 1);
}

#[test]
fn deleting_the_pod_stops_refreshes() {
    let mut sim = demo();
    sim.execute(Command::Delete {
        kind: kidex::sim::objects::Kind::Pod,
        namespace: "test".into(),
        name: "nginx".into(),
        grace_period_seconds: Some(0),
    })
    .unwrap();
    let events = sim.advance(SimDuration::hours(3));
    assert!(
        events
            .iter()
            .filter(|e| &*e.object.namespace == "test")
            .all(|e| e.reason != reason::TOKEN_REFRESHED)
    );
    // The other pod, default/ci-runner, still refreshes.
    assert!(events.iter().any(|e| e.reason == reason::TOKEN_REFRESHED));
}
