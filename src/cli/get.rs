//! `get` and `describe`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::args::{DescribeArgs, GetArgs, GetOutput};
use super::run::{CliError, Output, error};
use crate::present::describe::describe as describe_object;
use crate::present::events::events_table;
use crate::present::get::{no_resources_message, resource_name, table};
use crate::present::serialize::{self, Format, list_value};
use crate::present::table::{RenderOptions, Row, Table, col};
use crate::present::token::{short_jti, status_text, tokens_table};
use crate::sim::Simulator;
use crate::sim::clock::{format_rfc3339, from_unix_seconds};
use crate::sim::labels::{LabelSelector, format_labels};
use crate::sim::objects::Kind;
use crate::sim::tokens::claims::bound_payload;

/// What a `get` can list: a stored kind, or one of kidex's own views.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Listing {
    Stored(Kind),
    Tokens,
    Events,
    Cluster,
    KubeApiServer,
}

fn resolve(typed: &str) -> Result<Listing, CliError> {
    match typed.to_ascii_lowercase().as_str() {
        "tokens" | "token" | "tok" => Ok(Listing::Tokens),
        "events" | "event" | "ev" => Ok(Listing::Events),
        "cluster" => Ok(Listing::Cluster),
        "kubeapiserver" | "kubeapiservers" | "kubeapiservers.operator.openshift.io" => {
            Ok(Listing::KubeApiServer)
        }
        _ => Kind::resolve(typed)
            .map(Listing::Stored)
            .ok_or_else(|| error(format!("the server doesn't have a resource type {typed:?}"))),
    }
}

/// `TYPE NAME` or `TYPE/NAME`.
fn split_type_name(kind: &str, name: Option<&String>) -> (String, Option<String>) {
    match (kind.split_once('/'), name) {
        (Some((k, n)), None) => (k.to_string(), Some(n.to_string())),
        _ => (kind.to_string(), name.cloned()),
    }
}

pub fn get(sim: &Simulator, a: &GetArgs) -> Result<Output, CliError> {
    let (kinds_text, name) = split_type_name(&a.kind, a.name.as_ref());
    let listings = kinds_text
        .split(',')
        .filter(|k| !k.is_empty())
        .map(resolve)
        .collect::<Result<Vec<_>, _>>()?;
    let selector = LabelSelector::parse(a.selector.as_deref().unwrap_or("")).map_err(error)?;
    if name.is_some() && !selector.is_empty() {
        return Err(error(
            "name cannot be provided when a selector is specified",
        ));
    }
    let no_labels = BTreeMap::new();
    let ns = a.ns.get();
    let namespace = if a.all_namespaces {
        None
    } else {
        Some(ns.as_str())
    };
    let multiple = listings.len() > 1;
    let mut tables = Vec::new();
    let mut values = Vec::new();
    let mut names = Vec::new();
    for listing in &listings {
        match listing {
            Listing::Stored(kind) => {
                if let Some(n) = &name
                    && sim
                        .store()
                        .get(*kind, if kind.namespaced() { &ns } else { "" }, n)
                        .is_none()
                {
                    return Err(CliError(format!(
                        "Error from server (NotFound): {} {n:?} not found",
                        kind.qualified_resource()
                    )));
                }
                let mut t = table(sim, *kind, namespace, name.as_deref());
                let labels_of = |r: &Row| {
                    sim.store()
                        .get(*kind, &r.namespace, &r.name)
                        .map(|o| o.meta().labels.clone())
                };
                t.rows
                    .retain(|r| labels_of(r).is_some_and(|l| selector.matches(&l)));
                if a.show_labels {
                    t.columns.push(col("LABELS"));
                    for r in &mut t.rows {
                        let shown = labels_of(r).map(|l| format_labels(&l)).unwrap_or_default();
                        r.cells.push(shown);
                    }
                }
                let objects: Vec<_> = t
                    .rows
                    .iter()
                    .filter_map(|r| sim.store().get(*kind, &r.namespace, &r.name))
                    .collect();
                names.extend(t.rows.iter().map(|r| resource_name(*kind, &r.name)));
                values.extend(objects.iter().map(|o| o.to_value()));
                if multiple {
                    for r in &mut t.rows {
                        r.cells[0] = resource_name(*kind, &r.name);
                    }
                }
                tables.push(t);
            }
            // Tokens and events carry no labels: a selector that needs one leaves none.
            Listing::Tokens | Listing::Events if !selector.matches(&no_labels) => {}
            Listing::Tokens => {
                let t = tokens_table(sim, namespace);
                for r in sim
                    .ledger()
                    .iter()
                    .filter(|r| namespace.is_none_or(|n| r.binding.namespace == n))
                {
                    values.push(token_value(sim, r));
                    names.push(format!("token/{}", short_jti(r)));
                }
                tables.push(t);
            }
            Listing::Events => tables.push(events_table(sim, namespace)),
            Listing::Cluster => return Ok(Output::text(super::cluster::cluster_view(sim))),
            Listing::KubeApiServer => {
                return Ok(Output::text(super::cluster::kube_apiserver_view(sim)?));
            }
        }
    }
    match a.output {
        Some(GetOutput::Yaml) | Some(GetOutput::Json) => {
            let format = if a.output == Some(GetOutput::Yaml) {
                Format::Yaml
            } else {
                Format::Json
            };
            let v = if name.is_some() && values.len() == 1 {
                values.remove(0)
            } else {
                let mut list = list_value(&[]);
                list["items"] = Value::Array(values);
                list
            };
            Ok(Output::text(serialize::render(&v, format)))
        }
        Some(GetOutput::Name) => Ok(Output::text(
            names.iter().map(|n| format!("{n}\n")).collect::<String>(),
        )),
        _ => {
            let opts = RenderOptions {
                wide: a.output == Some(GetOutput::Wide),
                all_namespaces: a.all_namespaces,
                no_headers: a.no_headers,
            };
            let rendered: Vec<String> = tables
                .iter()
                .filter(|t| !t.rows.is_empty())
                .map(|t: &Table| t.render(opts))
                .collect();
            if rendered.is_empty() {
                let namespaced = listings
                    .iter()
                    .all(|l| !matches!(l, Listing::Stored(k) if !k.namespaced()));
                return Ok(Output {
                    stderr: no_resources_message(namespaced, namespace) + "\n",
                    ..Default::default()
                });
            }
            Ok(Output::text(rendered.join("\n")))
        }
    }
}

/// A ledger entry as a kidex `Token` object, for `get tokens -o yaml|json`.
pub fn token_value(sim: &Simulator, r: &crate::sim::tokens::ledger::TokenRecord) -> Value {
    let status = sim.token_status(r);
    let mut st = json!({"phase": status.label()});
    if let crate::sim::TokenStatus::Revoked(_) = status {
        st["reason"] = json!(status_text(&status));
    }
    if let Some(due) = r.refresh_due_at {
        st["refreshDueAt"] = json!(format_rfc3339(due));
    }
    if let Some(by) = r.superseded_by {
        st["supersededBy"] = json!(by);
    }
    json!({
        "apiVersion": "kidex.dev/v1alpha1",
        "kind": "Token",
        "metadata": {"name": r.jti.clone().unwrap_or_else(|| r.id.to_string()), "namespace": r.binding.namespace},
        "id": r.id,
        "holder": r.holder.to_string(),
        "kid": r.kid,
        "claims": bound_payload(&r.binding, r.times(), r.jti.as_deref()),
        "expirationTimestamp": format_rfc3339(from_unix_seconds(r.status_expiration())),
        "status": st,
    })
}

pub fn describe(sim: &Simulator, a: &DescribeArgs) -> Result<Output, CliError> {
    let (kind_text, name) = split_type_name(&a.kind, a.name.as_ref());
    let kind = match resolve(&kind_text)? {
        Listing::Stored(k) => k,
        _ => {
            return Err(error(format!(
                "describe does not apply to {kind_text:?}; use get {kind_text}"
            )));
        }
    };
    let ns = a.ns.get();
    let targets: Vec<(String, String)> = match &name {
        Some(n) => {
            let ns_for = if kind.namespaced() {
                ns.clone()
            } else {
                String::new()
            };
            if sim.store().get(kind, &ns_for, n).is_some() {
                vec![(ns_for, n.clone())]
            } else {
                // kubectl falls back to every object whose name starts with the given one.
                let prefixed: Vec<_> = sim
                    .store()
                    .list(kind, kind.namespaced().then_some(ns.as_str()))
                    .into_iter()
                    .filter(|o| o.meta().name.starts_with(n.as_str()))
                    .map(|o| (o.meta().ns().to_string(), o.meta().name.clone()))
                    .collect();
                if prefixed.is_empty() {
                    return Err(CliError(format!(
                        "Error from server (NotFound): {} {n:?} not found",
                        kind.qualified_resource()
                    )));
                }
                prefixed
            }
        }
        None => sim
            .store()
            .list(
                kind,
                if a.all_namespaces || !kind.namespaced() {
                    None
                } else {
                    Some(ns.as_str())
                },
            )
            .into_iter()
            .map(|o| (o.meta().ns().to_string(), o.meta().name.clone()))
            .collect(),
    };
    if targets.is_empty() {
        let namespace = if a.all_namespaces {
            None
        } else {
            Some(ns.as_str())
        };
        return Ok(Output {
            stderr: no_resources_message(kind.namespaced(), namespace) + "\n",
            ..Default::default()
        });
    }
    let texts: Vec<String> = targets
        .iter()
        .filter_map(|(ns, n)| describe_object(sim, kind, ns, n))
        .collect();
    Ok(Output::text(texts.join("\n\n")))
}
