//! `describe` for a token: who holds it, what it says, and its lifetime as a timeline, with the
//! holder's earlier tokens.

use super::age::{human_duration, relative};
use super::lifetime::Lifetime;
use super::token::{short_jti, status_text};
use crate::sim::Simulator;
use crate::sim::clock::{format_rfc3339, from_unix_seconds};
use crate::sim::tokens::ledger::{Holder, TokenRecord};

pub fn describe_token(sim: &Simulator, r: &TokenRecord) -> String {
    let now = sim.now();
    let status = sim.token_status(r);
    let b = &r.binding;
    let mut out = String::new();
    let mut kv = |k: &str, v: &str| out.push_str(&format!("{:<14}{v}\n", format!("{k}:")));
    kv("Token", &format!("{} (ledger #{})", short_jti(r), r.id));
    kv("JTI", r.jti.as_deref().unwrap_or("<none>"));
    kv("Status", &status_text(&status));
    kv("Subject", &b.subject());
    kv("Holder", &r.holder.to_string());
    kv("Issuer", &b.iss);
    kv("Audiences", &b.aud.join(", "));
    kv("Key ID", &r.kid);
    let mut bound: Vec<String> = Vec::new();
    if let Some(p) = &b.pod {
        bound.push(format!("pod {} ({})", p.name, p.uid));
    }
    if let Some(s) = &b.secret {
        bound.push(format!("secret {} ({})", s.name, s.uid));
    }
    if let Some(n) = &b.node {
        bound.push(format!("node {} ({})", n.name, n.uid));
    }
    kv(
        "Bound to",
        &if bound.is_empty() {
            "<nothing: valid until it expires>".to_string()
        } else {
            bound.join(", ")
        },
    );
    kv(
        "Requested",
        &format!(
            "{}s ({})",
            r.expiration_seconds,
            human_duration(chrono::TimeDelta::seconds(r.expiration_seconds))
        ),
    );
    let life = Lifetime::of(r, now);
    out.push_str(&format!("\nLifetime: {}\n", life.next_step()));
    for (label, t) in life.milestones() {
        out.push_str(&format!(
            "  {label:<24}{}  ({})\n",
            format_rfc3339(t),
            relative(t - now)
        ));
    }
    if life.extended() {
        out.push_str("  The API server extended this kube-api-access token to a year; it logs uses after warnafter as stale.\n");
    }
    if let Holder::Projected { pod_uid, .. } = &*r.holder {
        let history: Vec<&TokenRecord> = sim
            .ledger()
            .naming_uid(pod_uid)
            .filter(|o| std::sync::Arc::ptr_eq(&o.holder, &r.holder))
            .collect();
        if history.len() > 1 {
            out.push_str("\nThis holder's tokens (oldest first):\n");
            for o in history {
                out.push_str(&format!(
                    "  {}{:<10}issued {}  {}\n",
                    if o.id == r.id { "▸ " } else { "  " },
                    short_jti(o),
                    format_rfc3339(from_unix_seconds(o.iat)),
                    status_text(&sim.token_status(o))
                ));
            }
        }
    }
    out
}
