//! Writes `serde_json::Value` as YAML the way `kubectl get -o yaml` does (sigs.k8s.io/yaml over
//! go-yaml v2 and libyaml's emitter): sorted keys, sequences not indented under their key,
//! strings quoted only when they would read back as something else, and long plain or
//! single-quoted strings folded at a space once a line passes column 80.

use serde_json::{Map, Value};

const BEST_WIDTH: usize = 80;

pub fn to_yaml(v: &Value) -> String {
    let mut w = Writer {
        out: String::new(),
        col: 0,
    };
    match v {
        Value::Object(m) if !m.is_empty() => w.map(m, 0),
        Value::Array(a) if !a.is_empty() => w.seq(a, 0),
        other => {
            w.scalar(other, 0);
            w.newline();
        }
    }
    w.out
}

struct Writer {
    out: String,
    col: usize,
}

/// How a string scalar is written.
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

impl Writer {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        self.col += s.chars().count();
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.col = 0;
    }

    fn indent(&mut self, n: usize) {
        for _ in 0..n {
            self.out.push(' ');
        }
        self.col += n;
    }

    fn key(&mut self, k: &str) {
        match style_of(k) {
            Style::Plain => self.push(k),
            Style::Single => self.push(&format!("'{}'", k.replace('\'', "''"))),
            Style::Double | Style::Literal => self.push(&double_quoted(k)),
        }
        self.push(":");
    }

    fn map(&mut self, m: &Map<String, Value>, ind: usize) {
        for (k, v) in m {
            self.indent(ind);
            self.entry(k, v, ind);
        }
    }

    /// `key: value` where the cursor is already at the key's column `ind`.
    fn entry(&mut self, k: &str, v: &Value, ind: usize) {
        self.key(k);
        match v {
            Value::Object(m) if !m.is_empty() => {
                self.newline();
                self.map(m, ind + 2);
            }
            Value::Array(a) if !a.is_empty() => {
                self.newline();
                self.seq(a, ind);
            }
            other => {
                self.push(" ");
                self.scalar(other, ind + 2);
                self.newline();
            }
        }
    }

    fn seq(&mut self, a: &[Value], ind: usize) {
        for v in a {
            self.indent(ind);
            self.push("- ");
            match v {
                Value::Object(m) if !m.is_empty() => {
                    for (i, (k, val)) in m.iter().enumerate() {
                        if i > 0 {
                            self.indent(ind + 2);
                        }
                        self.entry(k, val, ind + 2);
                    }
                }
                Value::Array(inner) if !inner.is_empty() => {
                    // A nested sequence starts on the dash line.
                    let mut nested = Writer {
                        out: String::new(),
                        col: 0,
                    };
                    nested.seq(inner, ind + 2);
                    self.out.push_str(nested.out.trim_start());
                    self.col = 0;
                }
                other => {
                    self.scalar(other, ind + 2);
                    self.newline();
                }
            }
        }
    }

    /// A scalar (or empty collection) at the cursor; `ind` is where folded lines continue.
    fn scalar(&mut self, v: &Value, ind: usize) {
        match v {
            Value::Null => self.push("null"),
            Value::Bool(b) => self.push(if *b { "true" } else { "false" }),
            Value::Number(n) => self.push(&n.to_string()),
            Value::Array(_) => self.push("[]"),
            Value::Object(_) => self.push("{}"),
            Value::String(s) => match style_of(s) {
                Style::Plain => self.folded(s, ind),
                Style::Single => {
                    self.push("'");
                    self.folded(&s.replace('\'', "''"), ind);
                    self.push("'");
                }
                Style::Double => self.push(&double_quoted(s)),
                Style::Literal => self.literal(s, ind),
            },
        }
    }

    /// libyaml's `write_plain`: a single space becomes a line break once past the best width.
    fn folded(&mut self, s: &str, ind: usize) {
        let chars: Vec<char> = s.chars().collect();
        let mut prev_space = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                if !prev_space && self.col > BEST_WIDTH && !next_is_space && i + 1 < chars.len() {
                    self.newline();
                    self.indent(ind);
                } else {
                    self.out.push(' ');
                    self.col += 1;
                }
                prev_space = true;
            } else {
                self.out.push(c);
                self.col += 1;
                prev_space = false;
            }
        }
    }

    /// A literal block (`|`, `|-`, `|+`); the indicator `2` when the text starts with a space.
    fn literal(&mut self, s: &str, ind: usize) {
        let trailing = s.len() - s.trim_end_matches('\n').len();
        self.push("|");
        if s.starts_with(' ') {
            self.push("2");
        }
        self.push(match trailing {
            0 => "-",
            1 => "",
            _ => "+",
        });
        let body = if trailing > 0 { &s[..s.len() - 1] } else { s };
        for line in body.split('\n') {
            self.newline();
            if !line.is_empty() {
                self.indent(ind);
                self.push(line);
            }
        }
    }
}

fn style_of(s: &str) -> Style {
    if s.contains('\n') {
        let printable = s.chars().all(|c| c == '\n' || !c.is_control())
            && !s.contains(" \n")
            && !s.ends_with(' ');
        return if printable {
            Style::Literal
        } else {
            Style::Double
        };
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return Style::Double;
    }
    if resolves_to_non_string(s) {
        return Style::Double;
    }
    if plain_allowed(s) {
        Style::Plain
    } else {
        Style::Single
    }
}

/// Whether a plain scalar would read back as something other than this string
/// (go-yaml v2 resolves YAML 1.1 booleans, numbers and timestamps).
fn resolves_to_non_string(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "" | "~"
            | "null"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "y"
            | "n"
            | ".nan"
            | ".inf"
            | "-.inf"
            | "+.inf"
    ) {
        return true;
    }
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let numeric_chars = t
        .bytes()
        .all(|b| b.is_ascii_digit() || b"._eE+-".contains(&b));
    if !t.is_empty()
        && numeric_chars
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.replace('_', "").parse::<f64>().is_ok()
    {
        return true;
    }
    if let Some(hex) = t.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if let Some(bin) = t.strip_prefix("0b") {
        return !bin.is_empty() && bin.bytes().all(|b| b == b'0' || b == b'1');
    }
    // Sexagesimal integers such as 190:20:30.
    if t.contains(':')
        && t.split(':')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return true;
    }
    looks_like_timestamp(s)
}

/// `2001-12-14`, `2001-12-14T21:59:43Z` and the other YAML timestamp forms.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    let mut parts = rest.splitn(3, |c: char| !c.is_ascii_digit());
    let month = parts.next().unwrap_or("");
    let day = parts.next().unwrap_or("");
    (1..=2).contains(&month.len())
        && (1..=2).contains(&day.len())
        && rest.as_bytes().get(month.len()) == Some(&b'-')
}

/// Whether libyaml's scalar analysis allows the plain style in block context.
fn plain_allowed(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let second = chars.next();
    if "-?:".contains(first) {
        if second.is_none_or(|c| c == ' ') {
            return false;
        }
    } else if ",[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if first == ' ' || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    !(s.contains(": ") || s.contains(" #") || s.contains('\t'))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_kubectl_style() {
        let v = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "nginx", "creationTimestamp": "2026-11-23T10:00:00Z", "resourceVersion": "12",
                         "labels": {}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}],
                     "automountServiceAccountToken": false},
            "rules": [{"verbs": ["*"], "apiGroups": [""]}]});
        let y = to_yaml(&v);
        assert_eq!(
            y,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2026-11-23T10:00:00Z\"\n  labels: {}\n  name: nginx\n  resourceVersion: \"12\"\nrules:\n- apiGroups:\n  - \"\"\n  verbs:\n  - '*'\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - image: nginx\n    name: nginx\n    ports:\n    - containerPort: 80\n"
        );
    }

    #[test]
    fn folds_long_plain_strings_past_column_80() {
        let v = json!({"metadata": {"annotations": {"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc."}}});
        let y = to_yaml(&v);
        let lines: Vec<&str> = y.lines().collect();
        assert_eq!(
            lines[2],
            "    kubernetes.io/description: Contains a CA bundle that can be used to verify the"
        );
        assert!(lines[3].starts_with("      kube-apiserver when using"));
        let back = crate::state::yaml_read::parse_documents(&y).unwrap();
        assert_eq!(back[0].value, v);
    }

    #[test]
    fn quotes_what_would_resolve_otherwise_and_round_trips() {
        let v = json!({"a": "true", "b": "1", "c": "", "d": "- x", "e": "key: v", "f": "multi\nline\n",
                       "g": "2024-01-01", "h": "it's", "i": "*", "j": "no"});
        let y = to_yaml(&v);
        assert!(y.contains("a: \"true\"\n"));
        assert!(y.contains("d: '- x'\n"));
        assert!(y.contains("f: |\n  multi\n  line\n"));
        assert!(y.contains("j: \"no\"\n"));
        let back = crate::state::yaml_read::parse_documents(&y).unwrap();
        assert_eq!(back[0].value, v);
    }
}
