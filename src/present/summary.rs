//! A one-screen overview of a simulated cluster.

use super::age::countdown;
use crate::sim::Simulator;
use crate::sim::clock::format_rfc3339;
use crate::sim::objects::Kind;

pub fn summary(sim: &Simulator) -> String {
    let s = sim.settings();
    let store = sim.store();
    let mut out = String::new();
    out.push_str(&format!(
        "Cluster {} ({} {}), simulated time {}\n",
        s.name,
        match s.flavor {
            crate::sim::settings::Flavor::Kubernetes => "Kubernetes",
            crate::sim::settings::Flavor::OpenShift => "OpenShift",
        },
        s.version,
        format_rfc3339(sim.now())
    ));
    out.push_str(&format!("Signing issuer: {}\n", s.signing_issuer()));
    if s.issuers.len() > 1 {
        out.push_str(&format!("Also accepted: {}\n", s.issuers[1..].join(", ")));
    }
    out.push_str(&format!(
        "API audiences: {}\n",
        s.api_audiences().join(", ")
    ));
    out.push_str(&format!(
        "Signing key: {} ({} keys in the JWKS)\n",
        sim.keys().signing().kid,
        sim.jwks().keys.len()
    ));
    let counts: Vec<String> = Kind::ALL
        .iter()
        .map(|k| (k, store.list(*k, None).len()))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {}", k.plural()))
        .collect();
    out.push_str(&format!("Objects: {}\n", counts.join(", ")));
    let live = sim
        .ledger()
        .iter()
        .filter(|r| sim.token_status(r).accepted())
        .count();
    out.push_str(&format!(
        "Tokens: {} in the ledger, {live} accepted now\n",
        sim.ledger().len()
    ));
    if let Some(next) = sim.next_event_at() {
        out.push_str(&format!(
            "Next scheduled work: {} (in {})\n",
            format_rfc3339(next),
            countdown(next - sim.now())
        ));
    }
    out
}
