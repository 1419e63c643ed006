//! The `oc` verbs OpenShift's service-account pages use: `policy`, `secrets link`, `whoami`,
//! `new-project`, with `oc`'s validation messages.

use super::args::{PolicyArgs, PolicyCommand, SecretsCommand};
use super::run::{CliError, Output, error};
use crate::sim::Simulator;
use crate::sim::command::{Command, Outcome};
use crate::sim::objects::rbac::{RBAC_GROUP, RoleBinding, RoleRef, Subject};
use crate::sim::objects::{Namespace, Object, ObjectMeta};
use crate::sim::rbac::split_sa_username;
use crate::sim::settings::Flavor;
use crate::sim::validate::dns1123_subdomain_errors;

/// Go's `%q` of one target, or of the list when there are several.
fn targets_text(targets: &[String]) -> String {
    match targets {
        [one] => format!("{one:?}"),
        many => format!(
            "[{}]",
            many.iter()
                .map(|t| format!("{t:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// The subjects `oc policy` builds from user/group names and `-z` service accounts.
fn subjects(
    a: &PolicyArgs,
    groups: bool,
    ns: &str,
) -> Result<(Vec<Subject>, Vec<String>), CliError> {
    let mut subjects = Vec::new();
    let mut targets = Vec::new();
    for sa in &a.service_accounts {
        if sa.starts_with("system:serviceaccount") {
            return Err(error(
                "--serviceaccount (-z) should only be used with short-form serviceaccount names (e.g. `default`)",
            ));
        }
        if let Some(msg) = dns1123_subdomain_errors(sa).first() {
            return Err(error(format!(
                "{sa:?} is not a valid serviceaccount name: {msg}"
            )));
        }
        subjects.push(Subject {
            kind: "ServiceAccount".into(),
            api_group: None,
            name: sa.clone(),
            namespace: Some(ns.into()),
        });
        targets.push(sa.clone());
    }
    for name in &a.names {
        let subject = if groups {
            Subject {
                kind: "Group".into(),
                api_group: Some(RBAC_GROUP.into()),
                name: name.clone(),
                namespace: None,
            }
        } else if let Some((sa_ns, sa)) = split_sa_username(name) {
            Subject {
                kind: "ServiceAccount".into(),
                api_group: None,
                name: sa.into(),
                namespace: Some(sa_ns.into()),
            }
        } else {
            Subject {
                kind: "User".into(),
                api_group: Some(RBAC_GROUP.into()),
                name: name.clone(),
                namespace: None,
            }
        };
        subjects.push(subject);
        targets.push(name.clone());
    }
    if subjects.is_empty() {
        return Err(error(if groups {
            "you must specify at least one group"
        } else {
            "you must specify at least one user or service account"
        }));
    }
    Ok((subjects, targets))
}

fn same_subject(a: &Subject, b: &Subject) -> bool {
    a.kind == b.kind
        && a.name == b.name
        && a.namespace.as_deref().unwrap_or("") == b.namespace.as_deref().unwrap_or("")
}

pub fn policy(sim: &mut Simulator, command: &PolicyCommand) -> Result<Output, CliError> {
    let (a, add, groups) = match command {
        PolicyCommand::AddRoleToUser(a) => (a, true, false),
        PolicyCommand::AddRoleToGroup(a) => (a, true, true),
        PolicyCommand::RemoveRoleFromUser(a) => (a, false, false),
        PolicyCommand::RemoveRoleFromGroup(a) => (a, false, true),
    };
    let Some(role) = a.role.clone() else {
        return Err(error("you must specify a role"));
    };
    let ns = a.ns.get();
    let (new_subjects, targets) = subjects(a, groups, &ns)?;
    let role_kind = if a.role_namespace.is_some() {
        "Role"
    } else {
        "ClusterRole"
    };
    let role_ref = RoleRef {
        api_group: RBAC_GROUP.into(),
        kind: role_kind.into(),
        name: role.clone(),
    };
    let mut out = Output::default();
    let existing: Vec<RoleBinding> = sim
        .store()
        .role_bindings
        .in_namespace(&ns)
        .filter(|b| b.role_ref == role_ref)
        .cloned()
        .collect();
    let role_object = match role_kind {
        "Role" => format!("role.rbac.authorization.k8s.io/{role}"),
        _ => format!("clusterrole.rbac.authorization.k8s.io/{role}"),
    };
    if add {
        let role_exists = match role_kind {
            "Role" => sim
                .store()
                .roles
                .contains(a.role_namespace.as_deref().unwrap_or(&ns), &role),
            _ => sim.store().cluster_roles.contains_key(&role),
        };
        if !role_exists {
            out.stderr
                .push_str(&format!("Warning: role '{role}' not found\n"));
        }
        for s in new_subjects.iter().filter(|s| s.kind == "ServiceAccount") {
            let sa_ns = s.namespace.as_deref().unwrap_or(&ns);
            if !sim.store().service_accounts.contains(sa_ns, &s.name) {
                out.stderr
                    .push_str(&format!("Warning: ServiceAccount '{}' not found\n", s.name));
            }
        }
        let mut binding = match (&a.rolebinding_name, existing.first()) {
            (Some(name), _) => sim
                .store()
                .role_bindings
                .get(&ns, name)
                .cloned()
                .unwrap_or_else(|| RoleBinding {
                    metadata: ObjectMeta::named(Some(&ns), name),
                    subjects: vec![],
                    role_ref: role_ref.clone(),
                }),
            (None, Some(b)) => b.clone(),
            (None, None) => {
                // getUniqueName: the role's name, else role-0, role-1, …
                let mut name = role.clone();
                let mut i = 0;
                while sim.store().role_bindings.contains(&ns, &name) {
                    name = format!("{role}-{i}");
                    i += 1;
                }
                RoleBinding {
                    metadata: ObjectMeta::named(Some(&ns), &name),
                    subjects: vec![],
                    role_ref: role_ref.clone(),
                }
            }
        };
        for s in new_subjects {
            if !binding.subjects.iter().any(|x| same_subject(x, &s)) {
                binding.subjects.push(s);
            }
        }
        sim.execute(Command::Apply(Object::RoleBinding(binding)))
            .map_err(|e| CliError(super::apply::server_error(&e, None)))?;
        out.stdout = format!("{role_object} added: {}\n", targets_text(&targets));
    } else {
        let mut found = false;
        for mut b in existing {
            let before = b.subjects.len();
            b.subjects
                .retain(|x| !new_subjects.iter().any(|s| same_subject(x, s)));
            if b.subjects.len() == before {
                continue;
            }
            found = true;
            let (name, empty) = (b.metadata.name.clone(), b.subjects.is_empty());
            let cmd = if empty {
                Command::Delete {
                    kind: crate::sim::objects::Kind::RoleBinding,
                    namespace: ns.clone(),
                    name,
                    grace_period_seconds: None,
                }
            } else {
                Command::Apply(Object::RoleBinding(b))
            };
            sim.execute(cmd)
                .map_err(|e| CliError(super::apply::server_error(&e, None)))?;
        }
        if !found {
            return Err(error(format!(
                "unable to find target {}",
                targets_text(&targets)
            )));
        }
        out.stdout = format!("{role_object} removed: {}\n", targets_text(&targets));
    }
    out.changed = true;
    Ok(out)
}

pub fn secrets(sim: &mut Simulator, command: &SecretsCommand) -> Result<Output, CliError> {
    let SecretsCommand::Link {
        service_account,
        secrets,
        ns,
        for_,
    } = command;
    if secrets.is_empty() {
        return Err(error(
            "must have service account name and at least one secret name",
        ));
    }
    if for_.is_empty() {
        return Err(error("for must be present"));
    }
    let (mut mount, mut pull) = (false, false);
    for f in for_.split(',') {
        match f.trim().to_ascii_lowercase().as_str() {
            "mount" => mount = true,
            "pull" => pull = true,
            other => return Err(error(format!("unknown for: {other}"))),
        }
    }
    let names: Vec<String> = secrets
        .iter()
        .map(|s| match s.split_once('/') {
            Some(("secret" | "secrets", n)) => Ok(n.to_string()),
            Some((kind, _)) => Err(error(format!(
                "expected resource of type secret, got {kind:?}"
            ))),
            None => Ok(s.clone()),
        })
        .collect::<Result<_, _>>()?;
    let cmd = Command::LinkSecrets {
        namespace: ns.get(),
        service_account: service_account.clone(),
        secrets: names,
        mount,
        pull,
    };
    match sim.execute(cmd) {
        Ok(Outcome::Changed(lines)) => Ok(Output {
            stderr: lines.iter().map(|l| format!("{l}\n")).collect(),
            changed: true,
            ..Default::default()
        }),
        Ok(_) => Ok(Output::default().changed()),
        Err(crate::sim::error::SimError::BadRequest(msg)) => {
            let mut lines: Vec<&str> = msg.lines().collect();
            let last = lines.pop().unwrap_or("");
            let mut text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            text.push_str(&format!("error: {last}"));
            Err(CliError(text))
        }
        Err(e) => Err(CliError(super::apply::server_error(&e, None))),
    }
}

pub fn whoami(sim: &mut Simulator, token: Option<&str>) -> Result<Output, CliError> {
    let Some(token) = token else {
        let me = if sim.settings().flavor == Flavor::OpenShift {
            "system:admin"
        } else {
            "kubernetes-admin"
        };
        return Ok(Output::text(format!("{me}\n")));
    };
    match sim.execute(Command::ReviewToken {
        token: token.trim().to_string(),
        audiences: vec![],
    }) {
        Ok(Outcome::Review(r)) if r.status.authenticated => {
            let stderr = r
                .warnings
                .iter()
                .map(|w| format!("Warning: {w}\n"))
                .collect();
            Ok(Output {
                stdout: format!("{}\n", r.status.user.username),
                stderr,
                changed: true,
                ..Default::default()
            })
        }
        _ => Err(error("You must be logged in to the server (Unauthorized)")),
    }
}

pub fn new_project(sim: &mut Simulator, name: &str) -> Result<Output, CliError> {
    let ns = Namespace {
        metadata: ObjectMeta::named(None, name),
        ..Default::default()
    };
    match sim.execute(Command::Create(Object::Namespace(ns))) {
        Ok(_) => Ok(Output::text(format!(
            "Now using project {name:?} on server \"https://{}\".\n",
            sim.settings().external_host
        ))
        .changed()),
        Err(e) => Err(CliError(super::apply::server_error(&e, None))),
    }
}
