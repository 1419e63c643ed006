//! Reads YAML (and JSON, a YAML subset) into `serde_json::Value` documents while remembering
//! where every node starts, so errors found later can name a line and column.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// A line and column, both counted from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One document with the position of each node, keyed by its path in serde_path_to_error's
/// notation (`spec.containers[0].name`; the document root is `""`).
#[derive(Clone, Debug)]
pub struct Document {
    pub value: Value,
    pub positions: HashMap<String, Position>,
    /// Where each mapping key starts, keyed by the path of the value it introduces.
    pub key_positions: HashMap<String, Position>,
}

impl Document {
    /// The best position for a path: the node itself, else its nearest ancestor.
    pub fn position_of(&self, path: &str) -> Position {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.positions.get(&p) {
                return *pos;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p.truncate(i),
                None => {
                    return self
                        .positions
                        .get("")
                        .copied()
                        .unwrap_or(Position { line: 1, column: 1 });
                }
            }
        }
    }

    /// Where the key of a mapping entry starts (for "unknown field" errors), else the value.
    pub fn key_position_of(&self, path: &str) -> Position {
        self.key_positions
            .get(path)
            .copied()
            .unwrap_or_else(|| self.position_of(path))
    }
}

#[derive(Debug)]
pub struct SyntaxError {
    pub position: Position,
    pub message: String,
}

fn position(m: &Marker) -> Position {
    Position {
        line: m.line(),
        column: m.col() + 1,
    }
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

enum Frame {
    Seq {
        items: Vec<Value>,
        path: String,
        anchor: usize,
    },
    Map {
        map: Map<String, Value>,
        path: String,
        pending_key: Option<String>,
        anchor: usize,
    },
}

struct Builder {
    docs: Vec<Document>,
    stack: Vec<Frame>,
    current: Option<Document>,
    anchors: HashMap<usize, Value>,
    error: Option<SyntaxError>,
}

fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = s.parse::<i64>() {
        return Value::Number(i.into());
    }
    if let Some(hex) = s.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::Number(i.into());
    }
    if let Some(oct) = s.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Value::Number(i.into());
    }
    let looks_numeric = s
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b"+-.".contains(&b));
    if looks_numeric
        && s.bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && let Ok(f) = s.parse::<f64>()
        && let Some(n) = Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(s.to_string())
}

fn scalar_value(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(t) = tag {
        match t.suffix.as_str() {
            "str" => return Value::String(text),
            "null" => return Value::Null,
            _ => {}
        }
    }
    match style {
        TScalarStyle::Plain => resolve_plain(&text),
        _ => Value::String(text),
    }
}

impl Builder {
    fn key_text(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Null => "null".into(),
            other => other.to_string(),
        }
    }

    /// The path the next node will have, and whether it is a mapping key.
    fn next_path(&self) -> (String, bool) {
        match self.stack.last() {
            None => (String::new(), false),
            Some(Frame::Seq { items, path, .. }) => (format!("{path}[{}]", items.len()), false),
            Some(Frame::Map {
                path,
                pending_key: Some(k),
                ..
            }) => (child_path(path, k), false),
            Some(Frame::Map {
                path,
                pending_key: None,
                ..
            }) => (path.clone(), true),
        }
    }

    fn place(&mut self, value: Value, mark: Marker, path: String, is_key: bool) {
        let doc = match self.current.as_mut() {
            Some(d) => d,
            None => return,
        };
        if is_key {
            let k = Self::key_text(&value);
            let full = match self.stack.last() {
                Some(Frame::Map { path, .. }) => child_path(path, &k),
                _ => k.clone(),
            };
            doc.key_positions.insert(full, position(&mark));
            if let Some(Frame::Map {
                map,
                path,
                pending_key,
                ..
            }) = self.stack.last_mut()
            {
                // A block mapping's start marker sits at its first `:`; its first key is where
                // a reader looks for it.
                if map.is_empty() {
                    doc.positions.insert(path.clone(), position(&mark));
                }
                *pending_key = Some(k);
            }
            return;
        }
        doc.positions.entry(path).or_insert_with(|| position(&mark));
        self.attach(value);
    }

    fn attach(&mut self, value: Value) {
        match self.stack.last_mut() {
            None => {
                if let Some(d) = self.current.as_mut() {
                    d.value = value;
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                map, pending_key, ..
            }) => {
                if let Some(k) = pending_key.take() {
                    map.insert(k, value);
                }
            }
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::DocumentStart => {
                self.current = Some(Document {
                    value: Value::Null,
                    positions: HashMap::new(),
                    key_positions: HashMap::new(),
                });
            }
            Event::DocumentEnd => {
                if let Some(d) = self.current.take() {
                    self.docs.push(d);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let (path, is_key) = self.next_path();
                let v = scalar_value(text, style, tag.as_ref());
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.place(v, mark, path, is_key);
            }
            Event::Alias(id) => {
                let (path, is_key) = self.next_path();
                match self.anchors.get(&id).cloned() {
                    Some(v) => self.place(v, mark, path, is_key),
                    None => {
                        self.error = Some(SyntaxError {
                            position: position(&mark),
                            message: "unknown anchor".into(),
                        })
                    }
                }
            }
            Event::SequenceStart(anchor, _) => {
                let (path, is_key) = self.next_path();
                if is_key {
                    self.error = Some(SyntaxError {
                        position: position(&mark),
                        message: "a mapping key may not be a sequence".into(),
                    });
                    return;
                }
                if let Some(d) = self.current.as_mut() {
                    d.positions
                        .entry(path.clone())
                        .or_insert_with(|| position(&mark));
                }
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    path,
                    anchor,
                });
            }
            Event::MappingStart(anchor, _) => {
                let (path, is_key) = self.next_path();
                if is_key {
                    self.error = Some(SyntaxError {
                        position: position(&mark),
                        message: "a mapping key may not be a mapping".into(),
                    });
                    return;
                }
                if let Some(d) = self.current.as_mut() {
                    d.positions
                        .entry(path.clone())
                        .or_insert_with(|| position(&mark));
                }
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    path,
                    pending_key: None,
                    anchor,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { items, anchor, .. }) => (Value::Array(items), anchor),
                    Some(Frame::Map { map, anchor, .. }) => (Value::Object(map), anchor),
                    None => return,
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, value.clone());
                }
                self.attach(value);
            }
            Event::StreamStart | Event::StreamEnd | Event::Nothing => {}
        }
    }
}

/// Parses every document in `text`. Empty documents (a stray `---`) are dropped.
pub fn parse_documents(text: &str) -> Result<Vec<Document>, SyntaxError> {
    let mut b = Builder {
        docs: Vec::new(),
        stack: Vec::new(),
        current: None,
        anchors: HashMap::new(),
        error: None,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, true) {
        let m = e.marker();
        return Err(SyntaxError {
            position: position(m),
            message: e.info().to_string(),
        });
    }
    if let Some(e) = b.error {
        return Err(e);
    }
    Ok(b.docs.into_iter().filter(|d| !d.value.is_null()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_positions_of_nested_nodes() {
        let text =
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx\n";
        let docs = parse_documents(text).unwrap();
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.value["spec"]["containers"][0]["image"], "nginx");
        assert_eq!(
            d.position_of("spec.containers[0].image"),
            Position {
                line: 6,
                column: 12
            }
        );
        assert_eq!(
            d.key_position_of("spec.containers[0].image"),
            Position { line: 6, column: 5 }
        );
        assert_eq!(
            d.position_of("spec.containers[0].missing"),
            Position { line: 5, column: 5 }
        );
    }

    #[test]
    fn resolves_scalars_like_yaml_1_2() {
        let docs =
            parse_documents("a: 1\nb: true\nc: '1'\nd: ~\ne: 1.5\nf: hello\ng: 0x10\n").unwrap();
        let v = &docs[0].value;
        assert_eq!(v["a"], 1);
        assert_eq!(v["b"], true);
        assert_eq!(v["c"], "1");
        assert!(v["d"].is_null());
        assert_eq!(v["e"], 1.5);
        assert_eq!(v["f"], "hello");
        assert_eq!(v["g"], 16);
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let e = parse_documents("a: b\n  c: d\n").unwrap_err();
        assert_eq!(e.position.line, 2);
        let e = parse_documents("{\"a\": [1, 2}\n").unwrap_err();
        assert_eq!(e.position.line, 1);
    }

    #[test]
    fn reads_json_and_multiple_documents() {
        let docs = parse_documents("{\"kind\": \"List\", \"items\": []}").unwrap();
        assert_eq!(docs[0].value["kind"], "List");
        let docs = parse_documents("a: 1\n---\nb: 2\n---\n").unwrap();
        assert_eq!(docs.len(), 2);
    }
}
