//! Label selectors as `kubectl get -l` takes them (apimachinery `labels.Parse`):
//! `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, `k>1`, `k<1`,
//! joined by commas; every requirement must hold.

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    Equals(String),
    NotEquals(String),
    In(Vec<String>),
    NotIn(Vec<String>),
    Exists,
    DoesNotExist,
    GreaterThan(i64),
    LessThan(i64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
}

/// A parsed selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(String),
    Not,
    NotEquals,
    Equals,
    DoubleEquals,
    In,
    NotIn,
    Open,
    Close,
    Comma,
    Greater,
    Less,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Ident(s) => s.clone(),
            Token::Not => "!".into(),
            Token::NotEquals => "!=".into(),
            Token::Equals => "=".into(),
            Token::DoubleEquals => "==".into(),
            Token::In => "in".into(),
            Token::NotIn => "notin".into(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Comma => ",".into(),
            Token::Greater => ">".into(),
            Token::Less => "<".into(),
        }
    }
}

fn lex(input: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            ',' => {
                out.push(Token::Comma);
                i += 1;
            }
            '>' => {
                out.push(Token::Greater);
                i += 1;
            }
            '<' => {
                out.push(Token::Less);
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Token::NotEquals);
                i += 2;
            }
            '!' => {
                out.push(Token::Not);
                i += 1;
            }
            '=' if chars.get(i + 1) == Some(&'=') => {
                out.push(Token::DoubleEquals);
                i += 2;
            }
            '=' => {
                out.push(Token::Equals);
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"()!=,<>".contains(chars[i])
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(match word.as_str() {
                    "in" => Token::In,
                    "notin" => Token::NotIn,
                    _ => Token::Ident(word),
                });
            }
        }
    }
    out
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn requirement(&mut self) -> Result<Requirement, String> {
        let negated = self.peek() == Some(&Token::Not);
        if negated {
            self.at += 1;
        }
        let key = match self.next() {
            Some(Token::Ident(k)) => k,
            Some(t) => return Err(format!("found '{}', expected: identifier", t.text())),
            None => return Err("found '', expected: identifier".into()),
        };
        validate_key(&key)?;
        if negated {
            return match self.peek() {
                None | Some(Token::Comma) => Ok(Requirement {
                    key,
                    op: Op::DoesNotExist,
                }),
                Some(t) => Err(format!(
                    "found '{}', expected: ',' or 'end of string'",
                    t.text()
                )),
            };
        }
        let op = match self.peek() {
            None | Some(Token::Comma) => {
                return Ok(Requirement {
                    key,
                    op: Op::Exists,
                });
            }
            Some(_) => self.next(),
        };
        let op = match op {
            Some(Token::Equals) | Some(Token::DoubleEquals) => Op::Equals(self.value()?),
            Some(Token::NotEquals) => Op::NotEquals(self.value()?),
            Some(Token::In) => Op::In(self.set()?),
            Some(Token::NotIn) => Op::NotIn(self.set()?),
            Some(Token::Greater) | Some(Token::Less) => {
                let value = self.value()?;
                let n: i64 = value.parse().map_err(|_| {
                    format!("for 'Gt', 'Lt' operators, the value must be an integer: {value:?}")
                })?;
                if op == Some(Token::Greater) {
                    Op::GreaterThan(n)
                } else {
                    Op::LessThan(n)
                }
            }
            Some(t) => {
                return Err(format!(
                    "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                    t.text()
                ));
            }
            None => return Err("found '', expected: operator".into()),
        };
        Ok(Requirement { key, op })
    }

    /// A single value after `=`, `==`, `!=`, `>` or `<`; it may be empty (`k=`).
    fn value(&mut self) -> Result<String, String> {
        let v = match self.peek() {
            Some(Token::Ident(v)) => {
                let v = v.clone();
                self.at += 1;
                v
            }
            None | Some(Token::Comma) => String::new(),
            Some(t) => return Err(format!("found '{}', expected: identifier", t.text())),
        };
        validate_value(&v)?;
        Ok(v)
    }

    fn set(&mut self) -> Result<Vec<String>, String> {
        match self.next() {
            Some(Token::Open) => {}
            Some(t) => return Err(format!("found '{}', expected: '('", t.text())),
            None => return Err("found '', expected: '('".into()),
        }
        let mut values = Vec::new();
        loop {
            match self.next() {
                Some(Token::Ident(v)) => {
                    validate_value(&v)?;
                    values.push(v);
                    match self.next() {
                        Some(Token::Comma) => continue,
                        Some(Token::Close) => break,
                        Some(t) => {
                            return Err(format!("found '{}', expected: ',' or ')'", t.text()));
                        }
                        None => return Err("found '', expected: ')'".into()),
                    }
                }
                Some(Token::Close) => break,
                Some(Token::Comma) => values.push(String::new()),
                Some(t) => {
                    return Err(format!(
                        "found '{}', expected: ',', ')' or identifier",
                        t.text()
                    ));
                }
                None => return Err("found '', expected: ')'".into()),
            }
        }
        Ok(values)
    }
}

/// A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63
/// alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric.
fn validate_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && !crate::sim::validate::dns1123_subdomain_errors(p).is_empty()
    {
        return Err(format!(
            "invalid label key {key:?}: prefix part must be a lowercase RFC 1123 subdomain"
        ));
    }
    if !is_label_name(name) {
        return Err(format!(
            "invalid label key {key:?}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (max 63)"
        ));
    }
    Ok(())
}

fn validate_value(v: &str) -> Result<(), String> {
    if v.is_empty() || is_label_name(v) {
        Ok(())
    } else {
        Err(format!(
            "invalid label value: {v:?}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (max 63)"
        ))
    }
}

fn is_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

impl LabelSelector {
    /// Parses a selector; errors read like kubectl's `unable to parse requirement: ...`.
    pub fn parse(input: &str) -> Result<LabelSelector, String> {
        let mut p = Parser {
            tokens: lex(input),
            at: 0,
        };
        let mut requirements = Vec::new();
        if p.tokens.is_empty() {
            return Ok(LabelSelector { requirements });
        }
        loop {
            let r = p
                .requirement()
                .map_err(|e| format!("unable to parse requirement: {e}"))?;
            requirements.push(r);
            match p.next() {
                None => break,
                Some(Token::Comma) => {
                    if p.peek().is_none() {
                        return Err(
                            "unable to parse requirement: found '', expected: identifier".into(),
                        );
                    }
                }
                Some(t) => {
                    return Err(format!(
                        "unable to parse requirement: found '{}', expected: ',' or 'end of string'",
                        t.text()
                    ));
                }
            }
        }
        Ok(LabelSelector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.requirements.iter().all(|r| {
            let v = labels.get(&r.key);
            match &r.op {
                Op::Equals(want) => v == Some(want),
                Op::NotEquals(want) => v != Some(want),
                Op::In(set) => v.is_some_and(|v| set.contains(v)),
                Op::NotIn(set) => v.is_none_or(|v| !set.contains(v)),
                Op::Exists => v.is_some(),
                Op::DoesNotExist => v.is_none(),
                Op::GreaterThan(n) => v
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|x| x > *n),
                Op::LessThan(n) => v
                    .and_then(|v| v.parse::<i64>().ok())
                    .is_some_and(|x| x < *n),
            }
        })
    }
}

/// Labels as `kubectl get --show-labels` prints them: `k=v,k2=v2`, or `<none>`.
pub fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn equality_and_sets() {
        let l = labels(&[("app", "web"), ("tier", "front"), ("n", "3")]);
        for (sel, want) in [
            ("", true),
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app=db", false),
            ("app", true),
            ("!app", false),
            ("!missing", true),
            ("missing!=x", true),
            ("app in (web,db)", true),
            ("app notin (web)", false),
            ("missing notin (web)", true),
            ("missing in (web)", false),
            ("app=web,tier=front", true),
            ("app=web, tier=back", false),
            ("n>2", true),
            ("n<2", false),
            ("example.com/team", false),
        ] {
            let s = LabelSelector::parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
            assert_eq!(s.matches(&l), want, "{sel}");
        }
    }

    #[test]
    fn errors() {
        for (sel, err) in [
            (
                "app in web",
                "unable to parse requirement: found 'web', expected: '('",
            ),
            (
                "app=web,",
                "unable to parse requirement: found '', expected: identifier",
            ),
            (
                "=web",
                "unable to parse requirement: found '=', expected: identifier",
            ),
            (
                "app=web tier",
                "unable to parse requirement: found 'tier', expected: ',' or 'end of string'",
            ),
            (
                "n>x",
                "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer: \"x\"",
            ),
        ] {
            assert_eq!(LabelSelector::parse(sel).unwrap_err(), err, "{sel}");
        }
        assert!(LabelSelector::parse("Bad Key!=x").is_err());
        assert!(
            LabelSelector::parse("app=-bad")
                .unwrap_err()
                .contains("invalid label value")
        );
    }

    #[test]
    fn show_labels_format() {
        assert_eq!(format_labels(&labels(&[])), "<none>");
        assert_eq!(format_labels(&labels(&[("b", "2"), ("a", "1")])), "a=1,b=2");
    }
}
