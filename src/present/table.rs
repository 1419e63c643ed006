//! Plain tables shared by the CLI (kubectl layout) and the TUI (its own widgets).

use super::tabwriter;

/// Who sees a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Always (`kubectl get`).
    Normal,
    /// With `-o wide`.
    Wide,
    /// Only in kidex's own views (the TUI).
    Extra,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub visibility: Visibility,
}

pub const fn col(name: &'static str) -> Column {
    Column {
        name,
        visibility: Visibility::Normal,
    }
}

pub const fn wide(name: &'static str) -> Column {
    Column {
        name,
        visibility: Visibility::Wide,
    }
}

pub const fn extra(name: &'static str) -> Column {
    Column {
        name,
        visibility: Visibility::Extra,
    }
}

/// One row, with the identity of the object it shows so views can select by uid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub namespace: String,
    pub name: String,
    pub uid: String,
    pub cells: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Whether the rows' objects live in namespaces (a NAMESPACE column with `-A`).
    pub namespaced: bool,
}

/// What a `kubectl get`-style rendering shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    pub wide: bool,
    pub all_namespaces: bool,
    pub no_headers: bool,
}

impl Table {
    /// The table as kubectl prints it: NAMESPACE first with `-A`, wide columns with `-o wide`,
    /// min width 6 and 3 spaces of padding. Empty when there are no rows.
    pub fn render(&self, opts: RenderOptions) -> String {
        if self.rows.is_empty() {
            return String::new();
        }
        let shown: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| match c.visibility {
                Visibility::Normal => true,
                Visibility::Wide => opts.wide,
                Visibility::Extra => false,
            })
            .map(|(i, _)| i)
            .collect();
        let with_ns = opts.all_namespaces && self.namespaced;
        let mut text = String::new();
        if !opts.no_headers {
            let mut headers: Vec<&str> = Vec::new();
            if with_ns {
                headers.push("NAMESPACE");
            }
            headers.extend(shown.iter().map(|&i| self.columns[i].name));
            text.push_str(&headers.join("\t"));
            text.push('\n');
        }
        for r in &self.rows {
            let mut cells: Vec<&str> = Vec::new();
            if with_ns {
                cells.push(&r.namespace);
            }
            cells.extend(
                shown
                    .iter()
                    .map(|&i| r.cells.get(i).map(String::as_str).unwrap_or("")),
            );
            text.push_str(&cells.join("\t").replace('\n', " "));
            text.push('\n');
        }
        tabwriter::format(&text, 6, 3)
    }

    /// Index of a column by name.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}
