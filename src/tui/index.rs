//! The rows of the table in view, as ids only. Rebuilt when the cluster, the namespace, the
//! filter or the sort changes (not per frame); a frame then computes cells for the visible rows
//! alone (`cells.rs`), so drawing costs O(screen) whatever the cluster's size.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use super::cells::{self, Cell, Column};
use super::filter::Filter;
use super::ui_state::{ListRoute, Listing, Sort, Target, TargetKind};
use crate::sim::Simulator;
use crate::sim::objects::core::ANNOTATION_SA_NAME;
use crate::sim::objects::rbac::{RoleBinding, Subject};
use crate::sim::objects::{Kind, ObjectMeta};
use crate::sim::tokens::ledger::{Holder, TokenRecord};

/// One row: a stable id for the selection, and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowKey {
    pub id: String,
    pub target: Target,
}

/// Everything the rows depend on besides the cluster's generation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub route: ListRoute,
    /// `None` for all namespaces.
    pub namespace: Option<String>,
    pub filter: String,
    pub sort: Option<Sort>,
    pub token_history: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowIndex {
    pub query: Option<Query>,
    /// The app's count of cluster changes when this was built.
    pub generation: u64,
    pub rows: Vec<RowKey>,
    pub columns: Vec<Column>,
    /// Rows before filtering.
    pub total: usize,
    /// Why the filter could not be used, if it could not.
    pub filter_error: Option<String>,
}

impl RowIndex {
    pub fn position(&self, id: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.id == id)
    }
}

/// Whether a service account is named by a binding subject: the account itself, its user name,
/// or the `system:serviceaccounts[:ns]` groups.
pub fn subject_names_sa(s: &Subject, ns: &str, name: &str) -> bool {
    match s.kind.as_str() {
        "ServiceAccount" => s.name == name && s.namespace.as_deref().unwrap_or("") == ns,
        "User" => s.name == format!("system:serviceaccount:{ns}:{name}"),
        "Group" => {
            s.name == "system:serviceaccounts" || s.name == format!("system:serviceaccounts:{ns}")
        }
        _ => false,
    }
}

fn binding_names(b: &RoleBinding, sa: &Target) -> bool {
    b.subjects
        .iter()
        .any(|s| subject_names_sa(s, &sa.namespace, &sa.name))
}

fn object_key(kind: Kind, m: &ObjectMeta) -> RowKey {
    RowKey {
        id: m.uid.clone(),
        target: Target::object(kind, m.ns(), &m.name, &m.uid),
    }
}

/// Object rows with their labels, for the label selector.
fn object_rows<'a>(
    sim: &'a Simulator,
    kind: Kind,
    ns: Option<&str>,
    owner: Option<&Target>,
) -> Vec<(
    RowKey,
    Option<&'a std::collections::BTreeMap<String, String>>,
)> {
    let store = sim.store();
    let mut out = Vec::new();
    let mut push = |m: &'a ObjectMeta| out.push((object_key(kind, m), Some(&m.labels)));
    macro_rules! namespaced {
        ($map:expr, $keep:expr) => {{
            let keep = $keep;
            match ns {
                Some(ns) => $map
                    .in_namespace(ns)
                    .filter(|o| keep(o))
                    .for_each(|o| push(&o.metadata)),
                None => $map
                    .values()
                    .filter(|o| keep(o))
                    .for_each(|o| push(&o.metadata)),
            }
        }};
    }
    match kind {
        Kind::Namespace => store.namespaces.values().for_each(|o| push(&o.metadata)),
        Kind::Node => store.nodes.values().for_each(|o| push(&o.metadata)),
        Kind::ClusterRole => store.cluster_roles.values().for_each(|o| push(&o.metadata)),
        Kind::ClusterRoleBinding => store
            .cluster_role_bindings
            .values()
            .for_each(|o| push(&o.metadata)),
        Kind::ServiceAccount => namespaced!(store.service_accounts, |_: &_| true),
        Kind::ConfigMap => namespaced!(store.config_maps, |_: &_| true),
        Kind::Role => namespaced!(store.roles, |_: &_| true),
        Kind::RoleBinding => namespaced!(store.role_bindings, |_: &_| true),
        Kind::Secret => {
            let sa = owner
                .filter(|o| o.is(Kind::ServiceAccount))
                .and_then(|o| store.service_accounts.get(&o.namespace, &o.name));
            namespaced!(
                store.secrets,
                |s: &crate::sim::objects::Secret| match (owner, sa) {
                    (Some(o), sa) => {
                        s.metadata.ns() == o.namespace
                            && (s.metadata.annotations.get(ANNOTATION_SA_NAME) == Some(&o.name)
                                || sa.is_some_and(|sa| {
                                    sa.secrets.iter().any(|r| r.name == s.metadata.name)
                                }))
                    }
                    (None, _) => true,
                }
            )
        }
        Kind::Pod => namespaced!(store.pods, |p: &crate::sim::objects::Pod| match owner
            .map(|o| o.kind)
        {
            Some(TargetKind::Object(Kind::ServiceAccount)) => owner.is_some_and(|o| {
                p.metadata.ns() == o.namespace && p.service_account_name() == o.name
            }),
            Some(TargetKind::Object(Kind::Node)) =>
                owner.is_some_and(|o| p.spec.node_name.as_deref() == Some(o.name.as_str())),
            _ => true,
        }),
    }
    out
}

/// The id of a token's row: its holder for projected tokens (so the row stays put, and its jti
/// changes, when the kubelet refreshes it), else the token itself.
pub fn token_row_id(r: &TokenRecord, history: bool) -> String {
    match (&*r.holder, history) {
        (
            Holder::Projected {
                pod_uid,
                volume,
                path,
                ..
            },
            false,
        ) => format!("holder:{pod_uid}/{volume}/{path}"),
        _ => format!("token:{}", r.id),
    }
}

fn token_key(r: &TokenRecord, history: bool) -> RowKey {
    RowKey {
        id: token_row_id(r, history),
        target: Target {
            kind: TargetKind::Token(r.id),
            namespace: r.binding.namespace.clone(),
            name: crate::present::token::short_jti(r),
            uid: r.id.to_string(),
        },
    }
}

fn token_rows(
    sim: &Simulator,
    ns: Option<&str>,
    owner: Option<&Target>,
    history: bool,
) -> Vec<RowKey> {
    let ledger = sim.ledger();
    let records: Box<dyn Iterator<Item = &TokenRecord>> = match owner {
        Some(o) if o.is(Kind::ServiceAccount) => Box::new(
            ledger
                .naming_uid(&o.uid)
                .filter(|r| r.binding.service_account.uid == o.uid),
        ),
        Some(o) if o.is(Kind::Pod) => Box::new(ledger.held_by_pod(&o.uid)),
        _ => Box::new(
            ledger
                .iter()
                .filter(move |r| ns.is_none_or(|ns| r.binding.namespace == ns)),
        ),
    };
    if history {
        return records.map(|r| token_key(r, true)).collect();
    }
    // Each projected holder's newest token, in the order the holders first appeared.
    let mut rows: Vec<RowKey> = Vec::new();
    let mut by_holder: HashMap<usize, usize> = HashMap::new();
    for r in records {
        if matches!(&*r.holder, Holder::Projected { .. }) {
            let key = Arc::as_ptr(&r.holder) as usize;
            match by_holder.get(&key) {
                Some(&i) => rows[i] = token_key(r, false),
                None => {
                    by_holder.insert(key, rows.len());
                    rows.push(token_key(r, false));
                }
            }
        } else {
            rows.push(token_key(r, false));
        }
    }
    rows
}

fn event_rows(sim: &Simulator, ns: Option<&str>) -> Vec<RowKey> {
    sim.events()
        .iter()
        .filter(|e| ns.is_none_or(|ns| &*e.object.namespace == ns || e.object.namespace.is_empty()))
        .map(|e| RowKey {
            id: format!("event:{}", e.seq),
            target: Target {
                kind: TargetKind::Event(e.seq),
                namespace: e.object.namespace.to_string(),
                name: e.object.name.to_string(),
                uid: e.object.uid.to_string(),
            },
        })
        .collect()
}

fn binding_rows(sim: &Simulator, owner: Option<&Target>) -> Vec<RowKey> {
    let store = sim.store();
    let Some(sa) = owner else {
        return Vec::new();
    };
    let rbs = store
        .role_bindings
        .values()
        .filter(|b| binding_names(b, sa))
        .map(|b| object_key(Kind::RoleBinding, &b.metadata));
    let crbs = store
        .cluster_role_bindings
        .values()
        .filter(|b| binding_names(b, sa))
        .map(|b| object_key(Kind::ClusterRoleBinding, &b.metadata));
    crbs.chain(rbs).collect()
}

/// Parses a duration as kubectl and kidex print them (`2d19h`, `1h35m53s`, `17h`), in seconds.
fn duration_seconds(s: &str) -> Option<i64> {
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (mut total, mut n) = (0i64, 0i64);
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n.checked_mul(10)?.checked_add(i64::from(d))?;
        } else {
            let unit = match c {
                'y' => 365 * 86400,
                'd' => 86400,
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => return None,
            };
            total += n * unit;
            n = 0;
        }
    }
    (n == 0).then_some(total)
}

/// Cells compare as durations, then numbers, then text; `-` and `<none>` sort last.
pub fn compare_cells(a: &str, b: &str) -> Ordering {
    let blank = |s: &str| s == "-" || s == "<none>" || s.is_empty();
    match (blank(a), blank(b)) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    if let (Some(x), Some(y)) = (duration_seconds(a), duration_seconds(b)) {
        return x.cmp(&y);
    }
    if let (Ok(x), Ok(y)) = (a.parse::<f64>(), b.parse::<f64>()) {
        return x.partial_cmp(&y).unwrap_or(Ordering::Equal);
    }
    a.cmp(b)
}

/// Builds the rows of a query.
pub fn build(sim: &Simulator, query: &Query, generation: u64) -> RowIndex {
    let route = &query.route;
    let owner = route.owner.as_ref();
    let ns = if route.listing.namespaced() && owner.is_none() {
        query.namespace.as_deref()
    } else {
        None
    };
    let columns = cells::columns(sim, route, query.namespace.is_none());
    let (filter, filter_error) = match Filter::parse(&query.filter) {
        Ok(f) => (f, None),
        Err(e) => (Filter::default(), Some(e)),
    };
    let mut rows: Vec<RowKey> = match route.listing {
        Listing::Objects(kind) => object_rows(sim, kind, ns, owner)
            .into_iter()
            .filter(|(_, labels)| filter.matches_labels(*labels))
            .map(|(k, _)| k)
            .collect(),
        _ if !filter.labels.is_empty() => Vec::new(),
        Listing::Tokens => token_rows(sim, ns, owner, query.token_history),
        Listing::Events => event_rows(sim, ns),
        Listing::Bindings => binding_rows(sim, owner),
    };
    let total = rows.len();
    let needs_cells =
        !filter.words.is_empty() || !filter.excluded.is_empty() || query.sort.is_some();
    if needs_cells {
        let mut with_cells: Vec<(RowKey, Vec<String>)> = rows
            .into_iter()
            .map(|k| {
                let texts: Vec<String> = cells::cells(sim, route, &columns, &k)
                    .iter()
                    .map(Cell::sort_text)
                    .collect();
                (k, texts)
            })
            .filter(|(k, texts)| {
                let hay = format!(
                    "{} {} {}",
                    k.target.namespace,
                    k.target.name,
                    texts.join(" ")
                )
                .to_lowercase();
                filter.matches_text(&hay)
            })
            .collect();
        if let Some(sort) = query.sort {
            with_cells.sort_by(|(_, a), (_, b)| {
                let o = compare_cells(
                    a.get(sort.column).map(String::as_str).unwrap_or(""),
                    b.get(sort.column).map(String::as_str).unwrap_or(""),
                );
                if sort.descending { o.reverse() } else { o }
            });
        }
        rows = with_cells.into_iter().map(|(k, _)| k).collect();
    }
    RowIndex {
        query: Some(query.clone()),
        generation,
        rows,
        columns,
        total,
        filter_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_sort_as_durations_numbers_then_text() {
        assert_eq!(compare_cells("17h", "2d19h"), Ordering::Less);
        assert_eq!(compare_cells("1h35m53s", "48m4s"), Ordering::Greater);
        assert_eq!(compare_cells("10", "9"), Ordering::Greater);
        assert_eq!(compare_cells("-", "9s"), Ordering::Greater);
        assert_eq!(compare_cells("alpha", "beta"), Ordering::Less);
        assert_eq!(duration_seconds("365d0h"), Some(365 * 86400));
        assert_eq!(duration_seconds("1/1"), None);
    }
}
