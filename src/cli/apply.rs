//! `apply`, `create serviceaccount|namespace`, `delete`.

use serde_json::Value;

use super::args::{ApplyArgs, DeleteArgs};
use super::run::{CliError, Output, ReadInput, error};
use crate::sim::Simulator;
use crate::sim::command::{Command, Outcome};
use crate::sim::error::SimError;
use crate::sim::objects::{Kind, Namespace, Object, ObjectMeta, ServiceAccount};
use crate::state::yaml_read::{Document, parse_documents};

/// `kind/name` with the API group for non-core kinds, as kubectl names objects.
fn kind_slash_name(kind: Kind, name: &str) -> String {
    crate::present::get::resource_name(kind, name)
}

/// `pod "nginx"` / `rolebinding.rbac.authorization.k8s.io "x"`.
fn kind_quoted_name(kind: Kind, name: &str) -> String {
    let i = kind.info();
    if i.group.is_empty() {
        format!("{} {name:?}", i.singular)
    } else {
        format!("{}.{} {name:?}", i.singular, i.group)
    }
}

/// How kubectl prints an API error: Invalid errors as `The Kind "name" is invalid: …`,
/// others as `Error from server (Reason): [context: ]message`.
pub fn server_error(e: &SimError, context: Option<&str>) -> String {
    match e {
        SimError::Invalid {
            qualified_kind,
            name,
            causes,
        } if !name.is_empty() => {
            let kind = qualified_kind.split('.').next().unwrap_or(qualified_kind);
            let causes: Vec<String> = causes.iter().map(ToString::to_string).collect();
            format!("The {kind} {name:?} is invalid: {}", causes.join(", "))
        }
        _ => match context {
            Some(c) => format!("Error from server ({}): {c}: {e}", e.reason()),
            None => format!("Error from server ({}): {e}", e.reason()),
        },
    }
}

fn position_error(file: &str, doc: &Document, path: &str, message: &str, key: bool) -> CliError {
    let p = if key {
        doc.key_position_of(path)
    } else {
        doc.position_of(path)
    };
    error(format!("{file}:{}:{}: {message}", p.line, p.column))
}

/// Decodes every object in a manifest text, or says where it is malformed.
pub fn decode_manifests(text: &str, file: &str) -> Result<Vec<Object>, CliError> {
    let docs = parse_documents(text).map_err(|e| {
        error(format!(
            "{file}:{}:{}: {}",
            e.position.line, e.position.column, e.message
        ))
    })?;
    let mut objects = Vec::new();
    for doc in &docs {
        let items: Vec<(String, Value)> = match doc.value.get("kind").and_then(Value::as_str) {
            Some(k) if k == "List" || (k.ends_with("List") && doc.value.get("items").is_some()) => {
                doc.value
                    .get("items")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .enumerate()
                            .map(|(i, v)| (format!("items[{i}]"), v.clone()))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            _ => vec![(String::new(), doc.value.clone())],
        };
        for (prefix, v) in items {
            let name = v
                .pointer("/metadata/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let ns = v
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            match Object::from_value(v) {
                Ok(o) => objects.push(o),
                Err(e) if e.message.starts_with("no matches for kind") => {
                    return Err(error(format!(
                        "resource mapping not found for name: {name:?} namespace: {ns:?} from {file:?}: {}",
                        e.message
                    )));
                }
                Err(e) => {
                    let path = match (prefix.is_empty(), e.path.is_empty()) {
                        (true, _) => e.path.clone(),
                        (false, true) => prefix.clone(),
                        (false, false) => format!("{prefix}.{}", e.path),
                    };
                    let key = e.message.starts_with("strict decoding error");
                    return Err(position_error(file, doc, &path, &e.message, key));
                }
            }
        }
    }
    Ok(objects)
}

pub fn apply(sim: &mut Simulator, a: &ApplyArgs, read: &mut ReadInput) -> Result<Output, CliError> {
    let mut out = Output::default();
    for file in &a.files {
        let text = read(file).map_err(error)?;
        let shown = if file == "-" { "STDIN" } else { file.as_str() };
        let objects = decode_manifests(&text, shown)?;
        for mut o in objects {
            let kind = o.kind();
            if kind.namespaced() {
                let own = o.meta().namespace.clone().filter(|n| !n.is_empty());
                match (own, &a.ns.namespace) {
                    (Some(own), Some(flag)) if &own != flag => {
                        out.stderr.push_str(&format!(
                            "error: the namespace from the provided object {own:?} does not match the namespace {flag:?}. You must pass '--namespace={own}' to perform this operation.\n"
                        ));
                        out.failed = true;
                        continue;
                    }
                    (None, _) => o.meta_mut().namespace = Some(a.ns.get()),
                    _ => {}
                }
            }
            let name = o.meta().name.clone();
            let existed = sim.store().contains(kind, o.meta().ns(), &name);
            match sim.execute(Command::Apply(o)) {
                Ok(Outcome::Applied { change, .. }) => {
                    out.stdout.push_str(&format!(
                        "{} {}\n",
                        kind_slash_name(kind, &name),
                        change.verb()
                    ));
                    out.changed = true;
                }
                Ok(_) => {}
                Err(e) => {
                    let verb = if existed {
                        "applying patch to"
                    } else {
                        "creating"
                    };
                    out.stderr.push_str(&server_error(
                        &e,
                        Some(&format!("error when {verb} {shown:?}")),
                    ));
                    out.stderr.push('\n');
                    out.failed = true;
                }
            }
        }
    }
    Ok(out)
}

pub fn create_service_account(
    sim: &mut Simulator,
    name: &str,
    ns: &str,
) -> Result<Output, CliError> {
    let sa = ServiceAccount {
        metadata: ObjectMeta::named(Some(ns), name),
        ..Default::default()
    };
    match sim.execute(Command::Create(Object::ServiceAccount(sa))) {
        Ok(_) => Ok(Output::text(format!("serviceaccount/{name} created\n")).changed()),
        Err(e) => Err(error(format!("failed to create serviceaccount: {e}"))),
    }
}

pub fn create_namespace(sim: &mut Simulator, name: &str) -> Result<Output, CliError> {
    let ns = Namespace {
        metadata: ObjectMeta::named(None, name),
        ..Default::default()
    };
    match sim.execute(Command::Create(Object::Namespace(ns))) {
        Ok(_) => Ok(Output::text(format!("namespace/{name} created\n")).changed()),
        Err(e) => Err(CliError(server_error(&e, None))),
    }
}

pub fn delete(sim: &mut Simulator, a: &DeleteArgs) -> Result<Output, CliError> {
    let (kind_text, name) = match (a.kind.split_once('/'), &a.name) {
        (Some((k, n)), None) => (k.to_string(), n.to_string()),
        (_, Some(n)) => (a.kind.clone(), n.clone()),
        (None, None) => {
            return Err(error(
                "resource(s) were provided, but no name was specified",
            ));
        }
    };
    let kind = Kind::resolve(&kind_text).ok_or_else(|| {
        error(format!(
            "the server doesn't have a resource type {kind_text:?}"
        ))
    })?;
    // --grace-period=0 without --force becomes 1, as kubectl does to prevent accidents.
    let mut grace = if a.now {
        Some(1)
    } else {
        a.grace_period.filter(|g| *g >= 0)
    };
    if grace == Some(0) && !a.force {
        grace = Some(1);
    }
    let mut out = Output::default();
    if grace == Some(0) {
        out.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let ns = a.ns.get();
    match sim.execute(Command::Delete {
        kind,
        namespace: ns.clone(),
        name: name.clone(),
        grace_period_seconds: grace,
    }) {
        Ok(Outcome::Deleted { terminating, .. }) => {
            if terminating && a.wait {
                // kubectl waits until the object is gone: let the simulated clock run to then.
                if let Some(at) = sim
                    .store()
                    .pods
                    .get(&ns, &name)
                    .and_then(|p| p.metadata.deletion_timestamp)
                {
                    sim.advance_to(at);
                }
            }
            let op = if grace == Some(0) {
                "force deleted"
            } else {
                "deleted"
            };
            out.stdout
                .push_str(&format!("{} {op}\n", kind_quoted_name(kind, &name)));
            out.changed = true;
            Ok(out)
        }
        Ok(_) => Ok(out),
        Err(e) => Err(CliError(server_error(&e, None))),
    }
}
