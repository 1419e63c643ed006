//! The event log as `kubectl get events` prints events.

use super::age::human_duration;
use super::table::{Row, Table, col, extra, wide};
use crate::sim::Simulator;
use crate::sim::clock::format_rfc3339;
use crate::sim::events::{EventType, SimEvent};

pub fn type_text(t: EventType) -> &'static str {
    match t {
        EventType::Normal => "Normal",
        EventType::Warning => "Warning",
    }
}

/// Events in one namespace (cluster-scoped objects' events count as every namespace's) or all.
pub fn events_table(sim: &Simulator, namespace: Option<&str>) -> Table {
    let rows = sim
        .events()
        .iter()
        .filter(|e| {
            namespace.is_none_or(|ns| &*e.object.namespace == ns || e.object.namespace.is_empty())
        })
        .map(|e| event_row(sim, e))
        .collect();
    Table {
        columns: vec![
            col("LAST SEEN"),
            col("TYPE"),
            col("REASON"),
            col("OBJECT"),
            col("MESSAGE"),
            wide("SOURCE"),
            wide("TIME"),
            extra("SEQ"),
        ],
        rows,
        namespaced: true,
    }
}

fn event_row(sim: &Simulator, e: &SimEvent) -> Row {
    Row {
        namespace: e.object.namespace.to_string(),
        name: e.seq.to_string(),
        uid: e.seq.to_string(),
        cells: vec![
            human_duration(sim.now() - e.time),
            type_text(e.event_type).into(),
            e.reason.to_string(),
            e.object.short(),
            e.message.clone(),
            e.source.to_string(),
            format_rfc3339(e.time),
            e.seq.to_string(),
        ],
    }
}
