//! kubectl's layout of RBAC rules (`describe role`, `auth can-i --list`): each rule broken down
//! to one group/resource/name, simple rows with the same target merged (verbs in first-seen
//! order), non-resource rules one per URL and verb, then sorted by Go's `PolicyRule.String()`.

use super::tabwriter;
use crate::sim::objects::rbac::PolicyRule;

/// Go's `%v` of a `[]string`: `[a b]`.
pub fn go_list(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

/// `CombineResourceGroup`: `pods`, `deployments.apps`, `deployments.apps/scale`.
pub fn resource_group(resource: &str, group: &str) -> String {
    if group.is_empty() {
        return resource.to_string();
    }
    match resource.split_once('/') {
        Some((r, sub)) => format!("{r}.{group}/{sub}"),
        None => format!("{resource}.{group}"),
    }
}

/// One displayed rule, with the sources (bindings) it came from when they matter.
pub struct RuleRow {
    pub verbs: Vec<String>,
    pub groups: Vec<String>,
    pub resources: Vec<String>,
    pub names: Vec<String>,
    pub urls: Vec<String>,
    pub from: Vec<String>,
}

impl RuleRow {
    /// `PolicyRule.String()`, which kubectl sorts rows by.
    fn sort_key(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.groups),
            go_list(&self.resources),
            go_list(&self.names),
            go_list(&self.urls)
        )
    }

    /// The Resources cell: `resource[.group][/sub]`, empty for URL rules.
    pub fn resource_cell(&self) -> String {
        match (self.resources.first(), self.groups.first()) {
            (Some(r), Some(g)) => resource_group(r, g),
            (Some(r), None) => r.clone(),
            _ => String::new(),
        }
    }
}

/// Breaks down, compacts and sorts rules; `source` labels each rule's origin.
pub fn rule_rows<'a>(
    rules: impl IntoIterator<Item = (&'a PolicyRule, Option<String>)>,
) -> Vec<RuleRow> {
    let mut rows: Vec<RuleRow> = Vec::new();
    for (r, source) in rules {
        let from: Vec<String> = source.into_iter().collect();
        for g in &r.api_groups {
            for res in &r.resources {
                let names: Vec<Vec<String>> = if r.resource_names.is_empty() {
                    vec![vec![]]
                } else {
                    r.resource_names.iter().map(|n| vec![n.clone()]).collect()
                };
                for n in names {
                    let existing = rows.iter_mut().find(|x| {
                        x.urls.is_empty()
                            && x.groups.len() == 1
                            && x.groups[0] == *g
                            && x.resources.len() == 1
                            && x.resources[0] == *res
                            && x.names == n
                    });
                    match existing {
                        Some(x) => {
                            for v in &r.verbs {
                                if !x.verbs.contains(v) {
                                    x.verbs.push(v.clone());
                                }
                            }
                            for f in &from {
                                if !x.from.contains(f) {
                                    x.from.push(f.clone());
                                }
                            }
                        }
                        None => rows.push(RuleRow {
                            verbs: r.verbs.clone(),
                            groups: vec![g.clone()],
                            resources: vec![res.clone()],
                            names: n,
                            urls: vec![],
                            from: from.clone(),
                        }),
                    }
                }
            }
        }
        for u in &r.non_resource_urls {
            for v in &r.verbs {
                rows.push(RuleRow {
                    verbs: vec![v.clone()],
                    groups: vec![],
                    resources: vec![],
                    names: vec![],
                    urls: vec![u.clone()],
                    from: from.clone(),
                });
            }
        }
    }
    rows.sort_by_key(RuleRow::sort_key);
    rows
}

/// The `auth can-i --list` table (min width 6, padding 3), with a From column when asked.
pub fn rules_table(rows: &[RuleRow], with_from: bool) -> String {
    let mut text = String::from("Resources\tNon-Resource URLs\tResource Names\tVerbs");
    text.push_str(if with_from { "\tFrom\n" } else { "\n" });
    for r in rows {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}",
            r.resource_cell(),
            go_list(&r.urls),
            go_list(&r.names),
            go_list(&r.verbs)
        ));
        if with_from {
            text.push_str(&format!("\t{}", r.from.join(", ")));
        }
        text.push('\n');
    }
    tabwriter::format(&text, 6, 3)
}
