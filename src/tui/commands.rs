//! The `:` prompt. A view name (`:sa`, `:tokens test`, `:ns test`), a TUI command (`:q`,
//! `:theme light`, `:w FILE`), or else any CLI command, parsed by the CLI's own clap grammar
//! (`cli::parse_line`) and run by `cli::run`, so every command exists once.

use clap::CommandFactory;

use super::app::App;
use super::effect::Effect;
use super::theme::{BUILT_IN, Theme};
use super::ui_state::{ListRoute, Listing, Route, SaTab, Target, UiState};
use crate::cli::args::split_words;
use crate::cli::{self, Cli, Command as CliCommand};
use crate::sim::objects::Kind;
use crate::sim::tokens::ledger::Holder;

/// What a view name opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    List(Listing),
    Issuer,
}

/// View names, the first of each being the canonical one.
const VIEWS: &[(&[&str], View)] = &[
    (
        &["serviceaccounts", "sa", "serviceaccount"],
        View::List(Listing::Objects(Kind::ServiceAccount)),
    ),
    (
        &["secrets", "secret", "sec"],
        View::List(Listing::Objects(Kind::Secret)),
    ),
    (
        &["pods", "po", "pod"],
        View::List(Listing::Objects(Kind::Pod)),
    ),
    (
        &["namespaces", "ns", "namespace", "projects", "project"],
        View::List(Listing::Objects(Kind::Namespace)),
    ),
    (
        &["rolebindings", "rb", "rolebinding"],
        View::List(Listing::Objects(Kind::RoleBinding)),
    ),
    (
        &["clusterrolebindings", "crb", "clusterrolebinding"],
        View::List(Listing::Objects(Kind::ClusterRoleBinding)),
    ),
    (&["roles", "role"], View::List(Listing::Objects(Kind::Role))),
    (
        &["clusterroles", "cr", "clusterrole"],
        View::List(Listing::Objects(Kind::ClusterRole)),
    ),
    (
        &["nodes", "no", "node"],
        View::List(Listing::Objects(Kind::Node)),
    ),
    (
        &["configmaps", "cm", "configmap"],
        View::List(Listing::Objects(Kind::ConfigMap)),
    ),
    (&["tokens", "token", "tok"], View::List(Listing::Tokens)),
    (&["events", "ev", "event"], View::List(Listing::Events)),
    (&["issuer", "iss", "issuers", "jwks"], View::Issuer),
];

/// Commands only the TUI has.
const TUI_COMMANDS: &[&str] = &["q", "quit", "help", "theme", "w"];

fn view_named(word: &str) -> Option<View> {
    VIEWS
        .iter()
        .find(|(names, _)| names.contains(&word))
        .map(|(_, v)| *v)
}

impl App {
    /// Runs what was typed at the `:` prompt.
    pub fn run_command_line(&mut self, line: &str) -> Vec<Effect> {
        let words = match split_words(line) {
            Ok(w) => w,
            Err(e) => {
                self.ui.error(e);
                return Vec::new();
            }
        };
        let Some(first) = words.first().map(String::as_str) else {
            return Vec::new();
        };
        let args = &words[1..];
        match (first, args) {
            ("q" | "q!" | "quit" | "exit", []) => return self.quit(),
            ("help" | "?", []) => {
                self.ui.overlay = Some(super::ui_state::Overlay::Help { scroll: 0 })
            }
            ("theme", [name]) => match Theme::built_in(name, self.options.color_support) {
                Ok(t) => {
                    self.theme = t;
                    self.ui.info(format!("Theme {name}"));
                }
                Err(e) => self.ui.error(e),
            },
            ("w", rest) => {
                let path = rest
                    .first()
                    .map(std::path::PathBuf::from)
                    .or_else(|| self.options.state_file.clone());
                match path {
                    Some(p) => return vec![Effect::Save(p)],
                    None => self
                        .ui
                        .error("w: the built-in demo is read-only; give a file (:w my.yaml)"),
                }
            }
            ("ns" | "namespace" | "project", [ns]) => self.switch_namespace(ns),
            (word, rest) if view_named(word).is_some() && rest.len() <= 1 => {
                let view = view_named(word);
                match (view, rest.first().map(String::as_str)) {
                    (Some(View::Issuer), None) => self.open_root(Route::Issuer),
                    (Some(View::List(listing)), arg) => {
                        match arg {
                            Some("-A" | "--all-namespaces" | "all") => self.ui.namespace = None,
                            Some(ns) => {
                                if !self.sim.store().namespaces.contains_key(ns) {
                                    self.ui.error(format!("namespaces \"{ns}\" not found"));
                                    return Vec::new();
                                }
                                self.ui.namespace = Some(ns.to_string());
                                self.ui.last_namespace = ns.to_string();
                            }
                            None => {}
                        }
                        self.open_root(Route::List(ListRoute {
                            listing,
                            owner: None,
                        }));
                    }
                    _ => return self.run_cli_line(line),
                }
            }
            _ => return self.run_cli_line(line),
        }
        Vec::new()
    }

    /// `:ns test`: look at one namespace, staying in the current kind of view.
    fn switch_namespace(&mut self, ns: &str) {
        if !self.sim.store().namespaces.contains_key(ns) {
            self.ui.error(format!("namespaces \"{ns}\" not found"));
            return;
        }
        self.ui.namespace = Some(ns.to_string());
        self.ui.last_namespace = ns.to_string();
        let namespaced = self
            .ui
            .screen()
            .route
            .list_route()
            .filter(|l| l.owner.is_none() && l.listing.namespaced());
        if namespaced.is_none() {
            self.open_root(Route::List(ListRoute {
                listing: Listing::Objects(Kind::ServiceAccount),
                owner: None,
            }));
        }
        self.ui.info(format!("Namespace {ns}"));
    }

    /// A view chosen with `:` starts a new trail, as in k9s.
    fn open_root(&mut self, route: Route) {
        if self.ui.screen().route != route {
            self.ui.stack.truncate(1);
            self.ui.stack[0] = super::ui_state::Screen::new(route);
        }
    }

    /// Adds `-n NS` to namespaced CLI commands typed without one, so they act on the namespace in
    /// view, as k9s's commands act on its context.
    fn with_namespace(&self, line: &str) -> String {
        let Some(ns) = self.ui.namespace.as_deref() else {
            return line.to_string();
        };
        let words = split_words(line).unwrap_or_default();
        let scoped = words.iter().any(|w| {
            w == "-n"
                || w == "--namespace"
                || w.starts_with("--namespace=")
                || w == "-A"
                || w == "--all-namespaces"
        });
        let namespaced_verb = match words.first().map(String::as_str) {
            Some("get" | "describe" | "delete" | "apply" | "events") => true,
            Some("create") => matches!(
                words.get(1).map(String::as_str),
                Some("sa" | "serviceaccount" | "token")
            ),
            _ => false,
        };
        if scoped || !namespaced_verb {
            line.to_string()
        } else {
            format!("{line} -n {ns}")
        }
    }

    /// Runs a CLI command line against the cluster.
    pub fn run_cli_line(&mut self, line: &str) -> Vec<Effect> {
        let line = self.with_namespace(line);
        let command = match cli::parse_line(&line) {
            Ok(c) => c,
            Err(e) => {
                self.ui.error(e.trim_start_matches("error: ").to_string());
                return Vec::new();
            }
        };
        if let CliCommand::Apply(a) = &command {
            let paths: Vec<String> = a.files.iter().filter(|f| *f != "-").cloned().collect();
            if !paths.is_empty() {
                return vec![Effect::ReadFiles { line, paths }];
            }
        }
        self.execute_cli(&line, command, &mut |_| {
            Err("standard input is not available inside the TUI; give a file".into())
        })
    }

    /// The files of `:apply -f FILE` arrived: run the command with them.
    pub fn run_cli_with_files(
        &mut self,
        line: &str,
        files: Vec<(String, Result<String, String>)>,
    ) -> Vec<Effect> {
        let command = match cli::parse_line(line) {
            Ok(c) => c,
            Err(e) => {
                self.ui.error(e);
                return Vec::new();
            }
        };
        self.execute_cli(line, command, &mut |name| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, r)| r.clone())
                .unwrap_or_else(|| Err(format!("the path {name:?} does not exist")))
        })
    }

    fn execute_cli(
        &mut self,
        line: &str,
        command: CliCommand,
        read: &mut cli::run::ReadInput,
    ) -> Vec<Effect> {
        let newest_before = self.sim.ledger().iter().next_back().map(|r| r.id);
        let result = cli::run(&mut self.sim, command, read);
        let effects = vec![Effect::Log(format!("command: {line}"))];
        let output = match result {
            Ok(o) => o,
            Err(e) => {
                self.ui.error(e.0);
                return effects;
            }
        };
        if output.changed {
            self.generation += 1;
        }
        let created = self
            .sim
            .ledger()
            .iter()
            .next_back()
            .filter(|r| {
                Some(r.id) != newest_before && matches!(*r.holder, Holder::TokenRequest { .. })
            })
            .map(|r| {
                (
                    r.id,
                    Target::object(
                        Kind::ServiceAccount,
                        &r.binding.namespace,
                        &r.binding.service_account.name,
                        &r.binding.service_account.uid,
                    ),
                    crate::present::token::short_jti(r),
                    crate::present::token::expires_in(&self.sim, r),
                )
            });
        if let Some((id, sa, jti, expires)) = created {
            self.show_token(sa.clone(), id);
            self.ui.info(format!(
                "Created token {jti} for {} (expires in {expires}): x decodes it, r reviews it",
                sa.path()
            ));
            return effects;
        }
        let stdout = output.stdout.trim_end();
        let stderr = output.stderr.trim_end();
        if stdout.lines().count() > 1 {
            self.ui.push(Route::Output {
                title: line.to_string(),
                text: output.stdout.clone(),
                wrap: line.starts_with("auth can-i"),
            });
        }
        let summary = if stdout.lines().count() == 1 {
            stdout.to_string()
        } else if !stderr.is_empty() {
            stderr.lines().last().unwrap_or("").to_string()
        } else if stdout.is_empty() {
            format!("{line}: done")
        } else {
            format!("{line}: {} lines (esc goes back)", stdout.lines().count())
        };
        if output.failed {
            self.ui.error(if stderr.is_empty() {
                summary
            } else {
                stderr.to_string()
            });
        } else {
            self.ui.info(summary);
        }
        effects
    }

    /// Opens a service account's tokens with one token selected.
    fn show_token(&mut self, sa: Target, id: u64) {
        let here = matches!(&self.ui.screen().route,
            Route::ServiceAccount { sa: s, .. } if s.uid == sa.uid);
        if here {
            self.set_tab(SaTab::Tokens);
        } else {
            self.ui.push(Route::ServiceAccount {
                sa,
                tab: SaTab::Tokens,
            });
        }
        self.sync();
        self.select_id(&format!("token:{id}"));
    }
}

/// Completion candidates for the word under the cursor: (where that word starts, candidates).
pub fn candidates(app: &App, text: &str) -> (usize, Vec<String>) {
    let start = text.rfind(' ').map(|i| i + 1).unwrap_or(0);
    let word = &text[start..];
    let before: Vec<&str> = text[..start].split_whitespace().collect();
    let store = app.sim.store();
    let namespaces = || store.namespaces.keys().cloned().collect::<Vec<_>>();
    // The namespace the command will act on: its -n, else the one in view (None: all).
    let words: Vec<&str> = text.split_whitespace().collect();
    let in_ns: Option<String> = words
        .windows(2)
        .find(|w| w[0] == "-n" || w[0] == "--namespace")
        .map(|w| w[1].to_string())
        .or_else(|| app.ui.namespace.clone());
    let pool: Vec<String> = match before.as_slice() {
        [] => {
            // Canonical names only: aliases (sa, po, rb) are typed in full anyway.
            let mut v: Vec<String> = VIEWS
                .iter()
                .filter_map(|(names, _)| names.first().map(|n| n.to_string()))
                .chain(TUI_COMMANDS.iter().map(|c| c.to_string()))
                .chain(
                    Cli::command()
                        .get_subcommands()
                        .map(|c| c.get_name().to_string()),
                )
                .collect();
            v.sort();
            v.dedup();
            v
        }
        [.., "-n" | "--namespace"] => namespaces(),
        ["theme"] => BUILT_IN.iter().map(|(n, _)| n.to_string()).collect(),
        [first] if view_named(first).is_some() => {
            let mut v = namespaces();
            v.push("-A".into());
            v
        }
        ["get" | "describe" | "delete"] => {
            let mut v: Vec<String> = Kind::ALL
                .iter()
                .flat_map(|k| {
                    let i = k.info();
                    std::iter::once(i.plural.to_string())
                        .chain(i.short_names.iter().map(|s| s.to_string()))
                })
                .collect();
            if before[0] == "get" {
                v.extend(["tokens".to_string(), "events".to_string()]);
            }
            v
        }
        ["describe" | "delete", kind] => match Kind::resolve(kind) {
            Some(k) => store
                .list(k, in_ns.as_deref().filter(|_| k.namespaced()))
                .iter()
                .map(|o| o.meta().name.clone())
                .collect(),
            None => Vec::new(),
        },
        ["create"] => vec!["sa".into(), "namespace".into(), "token".into()],
        ["create", "token"] => store
            .service_accounts
            .in_namespace(in_ns.as_deref().unwrap_or("default"))
            .map(|s| s.metadata.name.clone())
            .collect(),
        _ => Vec::new(),
    };
    let found = pool
        .into_iter()
        .filter(|c| c.starts_with(word) && c != word)
        .collect();
    (start, found)
}

pub fn reset_completion(ui: &mut UiState) {
    if let Some(p) = ui.prompt.as_mut() {
        p.completions.clear();
        p.completion_at = None;
    }
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

/// `tab` at the `:` prompt: complete the word; pressed again, cycle through the candidates.
pub fn complete(app: &mut App) {
    let Some(p) = app.ui.prompt.as_ref() else {
        return;
    };
    if p.kind != super::ui_state::PromptKind::Command {
        return;
    }
    if !p.completions.is_empty() {
        let n = p.completions.len();
        let at = p.completion_at.map(|i| (i + 1) % n).unwrap_or(0);
        let (start, _) = candidates(app, &p.completion_base);
        let text = format!("{}{}", &p.completion_base[..start], p.completions[at]);
        if let Some(p) = app.ui.prompt.as_mut() {
            p.set(&text);
            p.completion_at = Some(at);
        }
        return;
    }
    let text = p.text.clone();
    let (start, found) = candidates(app, &text);
    let Some(p) = app.ui.prompt.as_mut() else {
        return;
    };
    match found.len() {
        0 => {}
        1 => p.set(&format!("{}{} ", &text[..start], found[0])),
        _ => {
            let prefix = common_prefix(&found);
            let base = format!("{}{prefix}", &text[..start]);
            p.set(&base);
            p.completion_base = base;
            p.completions = found;
            p.completion_at = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefixes() {
        assert_eq!(
            common_prefix(&["serviceaccounts".into(), "secrets".into()]),
            "se"
        );
        assert_eq!(common_prefix(&["tokens".into()]), "tokens");
    }
}
