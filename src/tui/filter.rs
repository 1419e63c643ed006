//! The `/` filter: words to find (case-insensitive, all must match), `!word` to exclude, and
//! `-l` with a label selector in kubectl's syntax (`app=web,tier!=db,canary,!legacy`).

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelRequirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    Absent(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub words: Vec<String>,
    pub excluded: Vec<String>,
    pub labels: Vec<LabelRequirement>,
}

fn parse_selector(s: &str) -> Result<Vec<LabelRequirement>, String> {
    s.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let p = p.trim();
            if let Some((k, v)) = p.split_once("!=") {
                Ok(LabelRequirement::NotEquals(
                    k.trim().into(),
                    v.trim().into(),
                ))
            } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                Ok(LabelRequirement::Equals(k.trim().into(), v.trim().into()))
            } else if let Some(k) = p.strip_prefix('!') {
                Ok(LabelRequirement::Absent(k.trim().into()))
            } else if p.contains(' ') {
                Err(format!("unable to parse requirement {p:?}"))
            } else {
                Ok(LabelRequirement::Exists(p.into()))
            }
        })
        .collect()
}

impl Filter {
    pub fn parse(text: &str) -> Result<Filter, String> {
        let mut f = Filter::default();
        let mut words = text.split_whitespace();
        while let Some(w) = words.next() {
            if w == "-l" || w == "--selector" {
                let sel = words
                    .next()
                    .ok_or("-l needs a label selector, e.g. -l app=web")?;
                f.labels.extend(parse_selector(sel)?);
            } else if let Some(sel) = w.strip_prefix("-l") {
                f.labels
                    .extend(parse_selector(sel.trim_start_matches('='))?);
            } else if let Some(x) = w.strip_prefix('!').filter(|x| !x.is_empty()) {
                f.excluded.push(x.to_lowercase());
            } else {
                f.words.push(w.to_lowercase());
            }
        }
        Ok(f)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.excluded.is_empty() && self.labels.is_empty()
    }

    /// Whether a row's searchable text (lowercased by the caller) matches the words.
    pub fn matches_text(&self, lowercase_text: &str) -> bool {
        self.words
            .iter()
            .all(|w| lowercase_text.contains(w.as_str()))
            && !self
                .excluded
                .iter()
                .any(|w| lowercase_text.contains(w.as_str()))
    }

    /// Whether labels satisfy the selector; rows without labels match only an empty one.
    pub fn matches_labels(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        if self.labels.is_empty() {
            return true;
        }
        let Some(labels) = labels else {
            return false;
        };
        self.labels.iter().all(|r| match r {
            LabelRequirement::Equals(k, v) => labels.get(k) == Some(v),
            LabelRequirement::NotEquals(k, v) => labels.get(k) != Some(v),
            LabelRequirement::Exists(k) => labels.contains_key(k),
            LabelRequirement::Absent(k) => !labels.contains_key(k),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_exclusions_and_label_selectors() {
        let f = Filter::parse("Nginx !kube -l app=web,tier!=db,canary").unwrap();
        assert_eq!(f.words, ["nginx"]);
        assert_eq!(f.excluded, ["kube"]);
        assert_eq!(f.labels.len(), 3);
        assert!(f.matches_text("test nginx vault"));
        assert!(!f.matches_text("kube-system nginx"));
        let mut labels = BTreeMap::new();
        labels.insert("app".to_string(), "web".to_string());
        labels.insert("canary".to_string(), String::new());
        assert!(f.matches_labels(Some(&labels)));
        labels.insert("tier".to_string(), "db".to_string());
        assert!(!f.matches_labels(Some(&labels)));
        assert!(!f.matches_labels(None));
        assert!(Filter::parse("-l").is_err());
        assert!(Filter::parse("").unwrap().is_empty());
    }
}
