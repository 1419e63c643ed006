//! State files: a `ClusterState` document (cluster settings, objects, token ledger, events), or
//! a plain `kind: List` / stream of manifests as `kubectl get -o yaml|json` prints them.
//! Loading reports errors with file, line and column; saving writes a temporary file and
//! renames it, so a failed save never leaves a half-written state.

pub mod demo;
pub mod generate;
pub mod json_write;
pub mod yaml_read;
pub mod yaml_write;

use std::fmt;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::sim::clock::{format_rfc3339, parse_rfc3339};
use crate::sim::events::SimEvent;
use crate::sim::objects::Object;
use crate::sim::settings::ClusterSettings;
use crate::sim::tokens::keys::KeySpec;
use crate::sim::tokens::ledger::TokenRecord;
use crate::sim::{Simulator, Snapshot};

use self::yaml_read::{Document, Position};

pub const API_VERSION: &str = "kidex.dev/v1alpha1";
pub const KIND: &str = "ClusterState";

/// Where loaded objects' clock starts when a plain list gives no hint.
const DEFAULT_START: &str = "2026-01-01T00:00:00Z";

/// A state that could not be read or written. `Display` is the one line a user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateError {
    Io {
        path: String,
        message: String,
    },
    At {
        file: String,
        position: Position,
        message: String,
    },
}

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateError::Io { path, message } => write!(f, "{path}: {message}"),
            StateError::At {
                file,
                position,
                message,
            } => {
                write!(f, "{file}:{}:{}: {message}", position.line, position.column)
            }
        }
    }
}

impl std::error::Error for StateError {}

/// Output format of a saved state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

impl Format {
    /// `.json` files are JSON; everything else is YAML.
    pub fn for_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

struct Reader<'a> {
    file: &'a str,
    doc: &'a Document,
}

impl Reader<'_> {
    fn at(&self, path: &str, message: impl Into<String>) -> StateError {
        StateError::At {
            file: self.file.into(),
            position: self.doc.position_of(path),
            message: message.into(),
        }
    }

    fn at_key(&self, path: &str, message: impl Into<String>) -> StateError {
        StateError::At {
            file: self.file.into(),
            position: self.doc.key_position_of(path),
            message: message.into(),
        }
    }

    fn decode<T: DeserializeOwned>(&self, prefix: &str, v: Value) -> Result<T, StateError> {
        serde_path_to_error::deserialize(v).map_err(|e| {
            let inner = e.path().to_string();
            let path = join_path(prefix, if inner == "." { "" } else { &inner });
            let msg = e.inner().to_string();
            if msg.starts_with("unknown field") {
                self.at_key(&path, msg)
            } else {
                self.at(&path, msg)
            }
        })
    }

    fn object(&self, prefix: &str, v: Value) -> Result<Object, StateError> {
        Object::from_value(v).map_err(|e| {
            let path = join_path(prefix, &e.path);
            if e.message.starts_with("strict decoding error") {
                self.at_key(&path, e.message)
            } else {
                self.at(&path, e.message)
            }
        })
    }
}

fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if rest.starts_with('[') => format!("{prefix}{rest}"),
        (false, false) => format!("{prefix}.{rest}"),
    }
}

/// Reads a state from text. `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Snapshot, StateError> {
    let docs = yaml_read::parse_documents(text).map_err(|e| StateError::At {
        file: file.into(),
        position: e.position,
        message: e.message,
    })?;
    if docs.is_empty() {
        return Err(StateError::At {
            file: file.into(),
            position: Position { line: 1, column: 1 },
            message: "no document: expected a ClusterState, a List or Kubernetes manifests".into(),
        });
    }
    let first = &docs[0];
    if first.value.get("kind").and_then(Value::as_str) == Some(KIND) {
        if docs.len() > 1 {
            let r = Reader {
                file,
                doc: &docs[1],
            };
            return Err(r.at("", "a ClusterState file holds one document"));
        }
        return parse_cluster_state(&Reader { file, doc: first });
    }
    // A List or a stream of manifests: default settings, objects as they are.
    let mut objects = Vec::new();
    for doc in &docs {
        let r = Reader { file, doc };
        let Value::Object(map) = &doc.value else {
            return Err(r.at("", "expected a mapping (a Kubernetes object)"));
        };
        if map
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k == "List" || k.ends_with("List"))
        {
            let items = map
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (i, item) in items.into_iter().enumerate() {
                objects.push(r.object(&format!("items[{i}]"), item)?);
            }
        } else {
            objects.push(r.object("", doc.value.clone())?);
        }
    }
    let now = objects
        .iter()
        .filter_map(|o| o.meta().creation_timestamp)
        .max()
        .map(|t| t + chrono::TimeDelta::minutes(1))
        .unwrap_or_else(|| parse_rfc3339(DEFAULT_START).unwrap_or_default());
    Ok(Snapshot {
        settings: ClusterSettings::default(),
        now,
        seed: 0,
        rng_position: None,
        keys: Vec::new(),
        objects,
        tokens: Vec::new(),
        tokens_evicted: 0,
        events: Vec::new(),
        events_dropped: 0,
    })
}

fn parse_cluster_state(r: &Reader) -> Result<Snapshot, StateError> {
    let Value::Object(top) = &r.doc.value else {
        return Err(r.at("", "expected a mapping"));
    };
    match top.get("apiVersion").and_then(Value::as_str) {
        Some(API_VERSION) => {}
        Some(other) => {
            return Err(r.at(
                "apiVersion",
                format!("unsupported apiVersion {other:?}: this kidex reads {API_VERSION}"),
            ));
        }
        None => return Err(r.at("", format!("apiVersion is missing (want {API_VERSION})"))),
    }
    const TOP: [&str; 8] = [
        "apiVersion",
        "kind",
        "cluster",
        "items",
        "tokens",
        "tokensEvicted",
        "events",
        "eventsDropped",
    ];
    if let Some(k) = top.keys().find(|k| !TOP.contains(&k.as_str())) {
        return Err(r.at_key(
            k,
            format!("unknown field {k:?}, expected one of {}", TOP.join(", ")),
        ));
    }
    let mut cluster = match top.get("cluster") {
        Some(Value::Object(m)) => m.clone(),
        None => Map::new(),
        Some(_) => return Err(r.at("cluster", "cluster must be a mapping")),
    };
    let now = match cluster.remove("now") {
        Some(Value::String(s)) => parse_rfc3339(&s).map_err(|e| r.at("cluster.now", e))?,
        Some(_) => {
            return Err(r.at(
                "cluster.now",
                "now must be an RFC 3339 time such as 2026-11-23T10:00:00Z",
            ));
        }
        None => parse_rfc3339(DEFAULT_START).unwrap_or_default(),
    };
    let seed = match cluster.remove("seed") {
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| r.at("cluster.seed", "seed must be a whole number ≥ 0"))?,
        Some(_) => return Err(r.at("cluster.seed", "seed must be a whole number ≥ 0")),
        None => 0,
    };
    let rng_position = match cluster.remove("rngPosition") {
        Some(Value::String(s)) => Some(
            s.parse::<u128>()
                .map_err(|_| r.at("cluster.rngPosition", "rngPosition must be a whole number"))?,
        ),
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .map(u128::from)
                .ok_or_else(|| r.at("cluster.rngPosition", "rngPosition must be a whole number"))?,
        ),
        Some(_) => return Err(r.at("cluster.rngPosition", "rngPosition must be a whole number")),
        None => None,
    };
    let keys: Vec<KeySpec> = match cluster.remove("signingKeys") {
        Some(v) => r.decode("cluster.signingKeys", v)?,
        None => Vec::new(),
    };
    let settings: ClusterSettings = r.decode("cluster", Value::Object(cluster))?;
    settings.validate().map_err(|e| {
        // Point at the setting the start-up check is about.
        let field = if e.contains("max-token-expiration") {
            "cluster.maxTokenExpiration"
        } else if e.contains("jwks-uri") {
            "cluster.jwksURI"
        } else if e.contains("issuer") {
            "cluster.issuers"
        } else if e.contains("version") {
            "cluster.version"
        } else {
            "cluster"
        };
        r.at(field, e)
    })?;

    let mut objects = Vec::new();
    if let Some(items) = top.get("items") {
        let Value::Array(items) = items else {
            return Err(r.at("items", "items must be a list"));
        };
        for (i, item) in items.iter().enumerate() {
            objects.push(r.object(&format!("items[{i}]"), item.clone())?);
        }
    }
    let tokens: Vec<TokenRecord> = match top.get("tokens") {
        Some(v) => r.decode("tokens", v.clone())?,
        None => Vec::new(),
    };
    let events: Vec<SimEvent> = match top.get("events") {
        Some(v) => r.decode("events", v.clone())?,
        None => Vec::new(),
    };
    let count = |k: &str| -> Result<u64, StateError> {
        match top.get(k) {
            None => Ok(0),
            Some(v) => v
                .as_u64()
                .ok_or_else(|| r.at(k, format!("{k} must be a whole number"))),
        }
    };
    Ok(Snapshot {
        settings,
        now,
        seed,
        rng_position,
        keys,
        objects,
        tokens,
        tokens_evicted: count("tokensEvicted")?,
        events,
        events_dropped: count("eventsDropped")?,
    })
}

/// Loads and starts a simulator from text; errors point into the text.
pub fn open_str(text: &str, file: &str, seed: Option<u64>) -> Result<Simulator, StateError> {
    let mut snapshot = parse(text, file)?;
    if let Some(seed) = seed {
        snapshot.seed = seed;
        snapshot.rng_position = None;
    }
    Simulator::restore(snapshot).map_err(|message| {
        // Errors about items[N] or signingKeys[N] can point at the entry.
        let position = yaml_read::parse_documents(text)
            .ok()
            .and_then(|docs| docs.into_iter().next())
            .map(|d| {
                let path = message.split(':').next().unwrap_or("");
                let path = if path.starts_with("signingKeys") {
                    format!("cluster.{path}")
                } else {
                    path.to_string()
                };
                d.position_of(&path)
            })
            .unwrap_or(Position { line: 1, column: 1 });
        StateError::At {
            file: file.into(),
            position,
            message,
        }
    })
}

/// Loads and starts a simulator from a file.
pub fn open(path: &Path, seed: Option<u64>) -> Result<Simulator, StateError> {
    let text = std::fs::read_to_string(path).map_err(|e| StateError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    open_str(&text, &path.display().to_string(), seed)
}

/// The state document of a simulator.
pub fn document(sim: &Simulator) -> Value {
    let s = sim.snapshot();
    let mut cluster = match serde_json::to_value(&s.settings) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    cluster.insert("now".into(), json!(format_rfc3339(s.now)));
    cluster.insert("seed".into(), json!(s.seed));
    if let Some(p) = s.rng_position {
        cluster.insert("rngPosition".into(), json!(p.to_string()));
    }
    cluster.insert(
        "signingKeys".into(),
        serde_json::to_value(&s.keys).unwrap_or(Value::Null),
    );
    let mut doc = Map::new();
    doc.insert("apiVersion".into(), json!(API_VERSION));
    doc.insert("kind".into(), json!(KIND));
    doc.insert("cluster".into(), Value::Object(cluster));
    doc.insert(
        "items".into(),
        Value::Array(s.objects.iter().map(Object::to_value).collect()),
    );
    if !s.tokens.is_empty() {
        doc.insert(
            "tokens".into(),
            serde_json::to_value(&s.tokens).unwrap_or(Value::Null),
        );
    }
    if s.tokens_evicted > 0 {
        doc.insert("tokensEvicted".into(), json!(s.tokens_evicted));
    }
    if !s.events.is_empty() {
        doc.insert(
            "events".into(),
            serde_json::to_value(&s.events).unwrap_or(Value::Null),
        );
    }
    if s.events_dropped > 0 {
        doc.insert("eventsDropped".into(), json!(s.events_dropped));
    }
    Value::Object(doc)
}

pub fn render(sim: &Simulator, format: Format) -> String {
    let doc = document(sim);
    match format {
        Format::Yaml => yaml_write::to_yaml(&doc),
        Format::Json => json_write::to_json_pretty(&doc),
    }
}

/// Writes the state atomically: a temporary file in the same directory, then a rename.
pub fn save(sim: &Simulator, path: &Path) -> Result<(), StateError> {
    write_atomic(path, &render(sim, Format::for_path(path)))
}

pub fn write_atomic(path: &Path, contents: &str) -> Result<(), StateError> {
    write_atomic_bytes(path, contents.as_bytes())
}

/// Writes `contents` to a temporary file next to `path`, then renames it over `path`: a reader
/// sees the old file or the new one, never half of one.
pub fn write_atomic_bytes(path: &Path, contents: &[u8]) -> Result<(), StateError> {
    use std::io::Write;
    let io = |e: std::io::Error| StateError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("state");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
