//! Columns and cells of the TUI's tables. Object rows reuse `present::get` (kubectl's cells plus
//! kidex's extra columns); tokens get the lifetime bar and ticking countdowns.

use super::index::RowKey;
use super::ui_state::{ListRoute, Listing, TargetKind};
use crate::present::age::{countdown, human_duration};
use crate::present::events::type_text;
use crate::present::get::table;
use crate::present::lifetime::{Lifetime, holder_short};
use crate::present::token::{expires_in, refresh_in, short_jti, status_text};
use crate::sim::clock::from_unix_seconds;
use crate::sim::objects::Kind;
use crate::sim::{Simulator, TokenStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// Coloured by meaning (`active`, `revoked: …`, `Running`).
    Status,
    /// The token lifetime bar.
    Lifetime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    /// Narrow screens drop the highest numbers first.
    pub priority: u8,
    /// Widest it grows (longer cells end in `…`); the last column takes what is left.
    pub max: u16,
}

const fn text(name: &'static str, priority: u8) -> Column {
    Column {
        name,
        kind: ColumnKind::Text,
        priority,
        max: 48,
    }
}

const fn capped(mut c: Column, max: u16) -> Column {
    c.max = max;
    c
}

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Status(String),
    Lifetime(Lifetime),
}

impl Cell {
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Status(s) => s.clone(),
            Cell::Lifetime(l) => format!("{:.0}%", l.age_fraction() * 100.0),
        }
    }

    /// The value sorting and filtering see.
    pub fn sort_text(&self) -> String {
        match self {
            Cell::Lifetime(l) => format!("{:.6}", l.age_fraction()),
            other => other.text(),
        }
    }
}

/// Columns shown for each kind, in order; present's other columns stay hidden.
fn preferred(kind: Kind) -> &'static [(&'static str, u8)] {
    match kind {
        Kind::Namespace => &[("NAME", 0), ("STATUS", 1), ("AGE", 2)],
        Kind::ServiceAccount => &[
            ("NAME", 0),
            ("SECRETS", 3),
            ("TOKENS", 1),
            ("AUTOMOUNT", 4),
            ("AGE", 2),
        ],
        Kind::Secret => &[
            ("NAME", 0),
            ("TYPE", 2),
            ("DATA", 4),
            ("SERVICE-ACCOUNT", 3),
            ("LAST-USED", 5),
            ("AGE", 1),
        ],
        Kind::ConfigMap => &[("NAME", 0), ("DATA", 2), ("AGE", 1)],
        Kind::Pod => &[
            ("NAME", 0),
            ("READY", 3),
            ("STATUS", 1),
            ("RESTARTS", 6),
            ("SERVICE-ACCOUNT", 2),
            ("PROJECTED-TOKENS", 4),
            ("NODE", 5),
            ("IP", 7),
            ("AGE", 2),
        ],
        Kind::Node => &[
            ("NAME", 0),
            ("STATUS", 1),
            ("ROLES", 3),
            ("VERSION", 2),
            ("INTERNAL-IP", 4),
            ("AGE", 2),
        ],
        Kind::Role | Kind::ClusterRole => &[("NAME", 0), ("CREATED AT", 1)],
        Kind::RoleBinding | Kind::ClusterRoleBinding => {
            &[("NAME", 0), ("ROLE", 1), ("SUBJECTS", 2), ("AGE", 3)]
        }
    }
}

fn column(name: &'static str, priority: u8) -> Column {
    Column {
        name,
        kind: if name == "STATUS" || name == "TYPE" {
            ColumnKind::Status
        } else {
            ColumnKind::Text
        },
        priority,
        max: 48,
    }
}

/// The columns of a route. NAMESPACE leads when several namespaces are in view.
pub fn columns(sim: &Simulator, route: &ListRoute, all_namespaces: bool) -> Vec<Column> {
    // Tokens name their namespace in SUBJECT (test/nginx) instead.
    let with_ns = all_namespaces
        && route.owner.is_none()
        && route.listing.namespaced()
        && route.listing != Listing::Tokens;
    let mut cols = Vec::new();
    if with_ns {
        cols.push(text("NAMESPACE", 1));
    }
    match route.listing {
        Listing::Objects(kind) => {
            let available = table(sim, kind, None, Some("")).columns;
            cols.extend(
                preferred(kind)
                    .iter()
                    .filter(|(n, _)| available.iter().any(|c| c.name == *n))
                    .map(|(n, p)| column(n, *p)),
            );
        }
        Listing::Bindings => cols.extend([
            text("KIND", 2),
            text("NAMESPACE", 1),
            text("NAME", 0),
            text("ROLE", 1),
            text("SUBJECTS", 3),
            text("AGE", 4),
        ]),
        Listing::Tokens => {
            cols.push(text("JTI", 0));
            if route
                .owner
                .as_ref()
                .is_none_or(|o| !o.is(Kind::ServiceAccount))
            {
                cols.push(capped(text("SUBJECT", 2), 28));
            }
            if route.owner.as_ref().is_none_or(|o| !o.is(Kind::Pod)) {
                cols.push(capped(text("HOLDER", 2), 26));
            }
            cols.extend([
                capped(text("AUDIENCES", 3), 20),
                text("ISSUED", 5),
                Column {
                    name: "LIFETIME",
                    kind: ColumnKind::Lifetime,
                    priority: 1,
                    max: 16,
                },
                text("REFRESH-IN", 1),
                text("EXPIRES-IN", 1),
                text("WARN-IN", 4),
                Column {
                    name: "STATUS",
                    kind: ColumnKind::Status,
                    priority: 0,
                    max: 48,
                },
            ]);
        }
        Listing::Events => cols.extend([
            text("LAST SEEN", 1),
            column("TYPE", 3),
            text("REASON", 0),
            text("OBJECT", 2),
            text("MESSAGE", 0),
        ]),
    }
    cols
}

/// The cells of one row, in column order.
pub fn cells(sim: &Simulator, route: &ListRoute, columns: &[Column], key: &RowKey) -> Vec<Cell> {
    let t = &key.target;
    match t.kind {
        TargetKind::Object(kind) => {
            let table = table(sim, kind, Some(&t.namespace), Some(&t.name));
            let row = table.rows.first();
            columns
                .iter()
                .map(|c| {
                    let value = match c.name {
                        "NAMESPACE" => t.namespace.clone(),
                        "KIND" if route.listing == Listing::Bindings => kind.name().to_string(),
                        name => table
                            .column(name)
                            .and_then(|i| row.and_then(|r| r.cells.get(i)))
                            .cloned()
                            .unwrap_or_default(),
                    };
                    match c.kind {
                        ColumnKind::Status => Cell::Status(value),
                        _ => Cell::Text(value),
                    }
                })
                .collect()
        }
        TargetKind::Token(id) => match sim.ledger().get(id) {
            Some(r) => {
                let status = sim.token_status(r);
                let now = sim.now();
                columns
                    .iter()
                    .map(|c| match c.name {
                        "NAMESPACE" => Cell::Text(r.binding.namespace.clone()),
                        "JTI" => Cell::Text(short_jti(r)),
                        "SUBJECT" => Cell::Text(format!(
                            "{}/{}",
                            r.binding.namespace, r.binding.service_account.name
                        )),
                        "HOLDER" => Cell::Text(holder_short(&r.holder)),
                        "AUDIENCES" => Cell::Text(r.binding.aud.join(",")),
                        "ISSUED" => Cell::Text(human_duration(now - from_unix_seconds(r.iat))),
                        "LIFETIME" => Cell::Lifetime(Lifetime::of(r, now)),
                        "REFRESH-IN" => Cell::Text(refresh_in(sim, r, &status)),
                        "EXPIRES-IN" => Cell::Text(expires_in(sim, r)),
                        "WARN-IN" => Cell::Text(match r.warnafter {
                            Some(w) => countdown(from_unix_seconds(w) - now),
                            None => "-".into(),
                        }),
                        "STATUS" => Cell::Status(status_text(&status)),
                        _ => Cell::Text(String::new()),
                    })
                    .collect()
            }
            None => columns.iter().map(|_| Cell::Text("-".into())).collect(),
        },
        TargetKind::Event(seq) => {
            let events = sim.events();
            let first = events.iter().next().map(|e| e.seq).unwrap_or(0);
            let event = seq
                .checked_sub(first)
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| events.iter().nth(i))
                .filter(|e| e.seq == seq);
            match event {
                Some(e) => columns
                    .iter()
                    .map(|c| match c.name {
                        "NAMESPACE" => Cell::Text(e.object.namespace.to_string()),
                        "LAST SEEN" => Cell::Text(human_duration(sim.now() - e.time)),
                        "TYPE" => Cell::Text(type_text(e.event_type).into()),
                        "REASON" => Cell::Text(e.reason.to_string()),
                        "OBJECT" => Cell::Text(e.object.short()),
                        "MESSAGE" => Cell::Text(e.message.clone()),
                        _ => Cell::Text(String::new()),
                    })
                    .collect(),
                None => columns.iter().map(|_| Cell::Text("-".into())).collect(),
            }
        }
    }
}

/// Whether a token row is history rather than live (drawn dimmed).
pub fn token_is_past(sim: &Simulator, id: u64) -> bool {
    sim.ledger()
        .get(id)
        .map(|r| {
            matches!(
                sim.token_status(r),
                TokenStatus::Superseded { .. } | TokenStatus::Expired
            )
        })
        .unwrap_or(true)
}
