//! `auth can-i`, `auth who-can`, `auth permissions`.

use super::args::{AuthCommand, CanIArgs, PermissionsArgs, WhoCanArgs};
use super::resources::resolve;
use super::run::{CliError, Output, error};
use crate::present::rbac::{explain, permissions_table, who_can_table};
use crate::sim::Simulator;
use crate::sim::rbac::{self, Request, Requester};

pub fn auth(sim: &Simulator, command: &AuthCommand) -> Result<Output, CliError> {
    match command {
        AuthCommand::CanI(a) => can_i(sim, a),
        AuthCommand::WhoCan(a) => who_can(sim, a),
        AuthCommand::Permissions(a) => permissions(sim, a),
    }
}

/// Turns VERB TARGET [NAME] into a request; warnings go to stderr like kubectl's.
fn request(
    verb: &str,
    target: &str,
    name: Option<&str>,
    subresource: Option<&str>,
    namespace: &str,
    warnings: &mut String,
) -> Result<Request, CliError> {
    if target.starts_with('/') {
        if subresource.is_some() {
            return Err(error("--subresource can not be used with NonResourceURL"));
        }
        if name.is_some() {
            return Err(error(
                "NonResourceURL and ResourceName can not specified together",
            ));
        }
        return Ok(Request {
            verb: verb.into(),
            path: Some(target.into()),
            ..Default::default()
        });
    }
    let (typed, sub) = match target.split_once('/') {
        Some((r, s)) => (r, s.to_string()),
        None => (target, subresource.unwrap_or("").to_string()),
    };
    let info = resolve(typed);
    if !info.known {
        warnings.push_str(&format!(
            "Warning: the server doesn't have a resource type '{typed}'\n\n"
        ));
    }
    let ns = if info.namespaced {
        namespace.to_string()
    } else {
        if !namespace.is_empty() && info.resource != "*" {
            warnings.push_str(&format!(
                "Warning: resource '{}' is not namespace scoped\n\n",
                info.resource
            ));
        }
        String::new()
    };
    Ok(Request {
        verb: verb.into(),
        namespace: ns,
        api_group: info.group,
        resource: info.resource,
        subresource: sub,
        name: name.unwrap_or("").into(),
        path: None,
    })
}

/// The default caller when no `--as` is given: the cluster admin, as a kubeconfig user is.
fn caller(a: &CanIArgs) -> Requester {
    match &a.as_user {
        Some(u) => Requester::impersonate(u, &a.as_groups),
        None => Requester::impersonate("kubernetes-admin", &["system:masters".to_string()]),
    }
}

fn can_i(sim: &Simulator, a: &CanIArgs) -> Result<Output, CliError> {
    let who = caller(a);
    let namespace = if a.all_namespaces {
        String::new()
    } else {
        a.ns.get()
    };
    if a.list {
        if a.target.is_some() {
            return Err(error("list option must be specified with no arguments"));
        }
        let grants = rbac::rules_for(sim.store(), &who, &namespace);
        return Ok(Output::text(permissions_table(&grants)));
    }
    let Some(target) = a.target.as_deref() else {
        return Err(error(
            "you must specify two arguments: verb resource or verb resource/resourceName.",
        ));
    };
    let mut stderr = String::new();
    let req = request(
        &a.verb,
        target,
        a.name.as_deref(),
        a.subresource.as_deref(),
        &namespace,
        &mut stderr,
    )?;
    let decision = rbac::authorize(sim.store(), &who, &req);
    let mut stdout = String::new();
    if !a.quiet {
        stdout.push_str(if decision.allowed { "yes" } else { "no" });
        if !decision.allowed && !decision.reason.is_empty() {
            stdout.push_str(&format!(" - {}", decision.reason));
        }
        stdout.push('\n');
        if a.explain {
            let ns = req.path.as_ref().map_or(req.namespace.as_str(), |_| "");
            let mut bindings: Vec<String> = rbac::rules_for(sim.store(), &who, ns)
                .into_iter()
                .map(|g| {
                    format!(
                        "{}/{}/{}",
                        g.binding_kind, g.binding_namespace, g.binding_name
                    )
                })
                .collect();
            bindings.dedup();
            stdout.push_str(&explain(&decision, bindings.len()));
        }
    }
    Ok(Output {
        stdout,
        stderr,
        failed: !decision.allowed,
        ..Default::default()
    })
}

fn who_can(sim: &Simulator, a: &WhoCanArgs) -> Result<Output, CliError> {
    let namespace = if a.all_namespaces {
        String::new()
    } else {
        a.ns.get()
    };
    let mut stderr = String::new();
    let req = request(
        &a.verb,
        &a.target,
        a.name.as_deref(),
        None,
        &namespace,
        &mut stderr,
    )?;
    let grants = rbac::who_can(sim.store(), &req);
    let mut stdout =
        String::from("Members of group system:masters are always allowed (they bypass RBAC).\n");
    if grants.is_empty() {
        stdout.push_str("No binding grants this.\n");
    } else {
        stdout.push_str(&who_can_table(&grants));
    }
    Ok(Output {
        stdout,
        stderr,
        ..Default::default()
    })
}

fn permissions(sim: &Simulator, a: &PermissionsArgs) -> Result<Output, CliError> {
    let ns = a.ns.get();
    let user = match a.subject.split_once('/') {
        Some(("sa" | "serviceaccount" | "serviceaccounts", name)) => {
            format!("system:serviceaccount:{ns}:{name}")
        }
        _ => a.subject.clone(),
    };
    let who = Requester::impersonate(&user, &a.as_groups);
    let grants = rbac::rules_for(sim.store(), &who, &ns);
    let header = format!(
        "Permissions of {} (groups {}) in namespace {ns}:\n",
        who.name,
        who.groups.join(", ")
    );
    Ok(Output::text(header + &permissions_table(&grants)))
}
