//! `issuer`, `keys`, `restart`, and the cluster-level `get cluster` / `get kubeapiserver` views.

use super::args::{IssuerAction, KeysAction, RestartCommand};
use super::run::{CliError, Output, error};
use crate::present::tabwriter;
use crate::sim::Simulator;
use crate::sim::clock::{format_go_duration, format_rfc3339, parse_go_duration};
use crate::sim::command::{Command, Outcome};
use crate::sim::rotation::rollout_message;
use crate::sim::settings::Flavor;
use crate::sim::tokens::keys::KeyState;

fn changed(sim: &mut Simulator, command: Command) -> Result<Output, CliError> {
    match sim.execute(command) {
        Ok(Outcome::Changed(lines)) => {
            Ok(Output::text(lines.iter().map(|l| format!("{l}\n")).collect::<String>()).changed())
        }
        Ok(_) => Ok(Output::default().changed()),
        Err(e) => Err(error(e)),
    }
}

pub fn issuer(sim: &mut Simulator, action: Option<&IssuerAction>) -> Result<Output, CliError> {
    match action {
        None => Ok(Output::text(issuers_view(sim))),
        Some(IssuerAction::Set { url, keep_previous }) => {
            let keep = match keep_previous {
                Some(d) => Some(parse_go_duration(d).map_err(error)?),
                None => None,
            };
            changed(
                sim,
                Command::SetIssuer {
                    issuer: url.clone(),
                    keep_previous: keep,
                },
            )
        }
        Some(IssuerAction::Remove { url }) => changed(
            sim,
            Command::RemoveIssuer {
                issuer: url.clone(),
            },
        ),
    }
}

/// The issuers with their trust windows, API audiences and JWKS URI.
pub fn issuers_view(sim: &Simulator) -> String {
    let s = sim.settings();
    let mut t = String::from("ISSUER\tROLE\tTRUSTED UNTIL\n");
    for (i, iss) in s.issuers.iter().enumerate() {
        let role = if i == 0 {
            "signs and verifies"
        } else {
            "verifies"
        };
        let until = s
            .issuer_trusted_until
            .get(iss)
            .map(|w| format_rfc3339(w.until))
            .unwrap_or_else(|| "-".into());
        t.push_str(&format!("{iss}\t{role}\t{until}\n"));
    }
    let mut out = tabwriter::format(&t, 6, 3);
    out.push_str(&format!(
        "\nAPI audiences: {}\nJWKS URI: {}\n",
        s.api_audiences().join(", "),
        s.jwks_uri()
    ));
    if let Some(p) = s
        .kube_apiserver
        .as_ref()
        .and_then(|k| k.pending_issuer.as_ref())
    {
        out.push_str(&format!(
            "Pending: {} (takes effect when the kube-apiserver rollout completes)\n",
            p.issuer
        ));
    }
    out
}

pub fn keys(sim: &mut Simulator, action: Option<&KeysAction>) -> Result<Output, CliError> {
    match action {
        None => {
            let mut t = String::from("KID\tSTATE\tBITS\tCREATED\tRETIRED\n");
            for k in sim.keys().all() {
                let state = match k.state() {
                    KeyState::Signing => "signing",
                    KeyState::VerifyOnly => "verify-only",
                    KeyState::Retired => "retired",
                };
                let retired = k
                    .spec
                    .retired
                    .map(format_rfc3339)
                    .unwrap_or_else(|| "-".into());
                t.push_str(&format!(
                    "{}\t{state}\t{}\t{}\t{retired}\n",
                    k.kid,
                    k.bits,
                    format_rfc3339(k.spec.created)
                ));
            }
            Ok(Output::text(tabwriter::format(&t, 6, 3)))
        }
        Some(KeysAction::Rotate) => changed(sim, Command::RotateSigningKey),
        Some(KeysAction::Retire { kid }) => changed(sim, Command::RetireKey { kid: kid.clone() }),
    }
}

pub fn restart(sim: &mut Simulator, command: &RestartCommand) -> Result<Output, CliError> {
    match command {
        RestartCommand::Pods { ns, all_namespaces } => {
            let namespace = if *all_namespaces {
                None
            } else {
                Some(ns.get())
            };
            changed(sim, Command::RestartPods { namespace })
        }
        RestartCommand::Nodes { .. } => changed(sim, Command::RestartNodes),
    }
}

/// `get cluster`: the settings the documentation pages talk about.
pub fn cluster_view(sim: &Simulator) -> String {
    let s = sim.settings();
    let flavor = match s.flavor {
        Flavor::Kubernetes => "kubernetes",
        Flavor::OpenShift => "openshift",
    };
    let mut t = String::new();
    let mut kv = |k: &str, v: String| t.push_str(&format!("{k}:\t{v}\n"));
    kv("Name", s.name.clone());
    kv("Flavor", flavor.into());
    kv("Version", s.version.clone());
    kv("Now", format_rfc3339(sim.now()));
    kv("Service account issuers", s.issuers.join(", "));
    kv("API audiences", s.api_audiences().join(", "));
    kv("JWKS URI", s.jwks_uri());
    kv(
        "Extend token expiration",
        s.extend_token_expiration.to_string(),
    );
    kv(
        "Max token expiration",
        s.max_token_expiration
            .map(format_go_duration)
            .unwrap_or_else(|| "<unset>".into()),
    );
    kv(
        "Service account lookup",
        s.service_account_lookup.to_string(),
    );
    kv(
        "Legacy token clean-up period",
        format_go_duration(s.legacy_token_clean_up_period),
    );
    kv("Signing key", sim.keys().signing().kid.clone());
    tabwriter::format(&t, 0, 2)
}

/// `get kubeapiserver`: the operator's NodeInstallerProgressing condition.
pub fn kube_apiserver_view(sim: &Simulator) -> Result<String, CliError> {
    if sim.settings().flavor != Flavor::OpenShift {
        return Err(error(
            "the server doesn't have a resource type \"kubeapiserver\" (an OpenShift operator resource)",
        ));
    }
    let rev = sim.kube_apiserver_revisions();
    let (done, message) = rollout_message(&rev);
    let (status, reason) = if done {
        ("False", "AllNodesAtLatestRevision")
    } else {
        ("True", "NodeInstaller")
    };
    let t = format!(
        "NAME\tLATEST REVISION\tCONDITION\tSTATUS\tREASON\tMESSAGE\ncluster\t{}\tNodeInstallerProgressing\t{status}\t{reason}\t{message}\n",
        rev.latest_revision
    );
    Ok(tabwriter::format(&t, 6, 3))
}
