//! The one-line prompt (`:` commands, `/` filters, and the questions `t`, `r`, `c` and `n` ask)
//! and the confirmation dialog.

use super::action::Action;
use super::app::App;
use super::commands;
use super::effect::Effect;
use super::rbac;
use super::ui_state::{Button, Overlay, PromptKind, Route};
use crate::present::serialize::{self, Format, token_review_value};
use crate::sim::clock::{SimDuration, format_go_duration, parse_go_duration};
use crate::sim::command::{Command, Outcome};

impl App {
    pub(crate) fn prompt_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(p) = self.ui.prompt.as_mut() else {
            return Vec::new();
        };
        let mut edited = true;
        match action {
            Action::Submit => return self.submit_prompt(),
            Action::Cancel => {
                if let Some(p) = self.ui.prompt.take()
                    && p.kind == PromptKind::Filter
                {
                    self.ui.screen_mut().list.filter = p.previous_filter;
                }
                return Vec::new();
            }
            Action::Complete => {
                commands::complete(self);
                return Vec::new();
            }
            Action::HistoryPrev | Action::HistoryNext => {
                if p.kind == PromptKind::Command && !self.ui.history.is_empty() {
                    let n = self.ui.history.len();
                    let at = match (p.history_at, action == Action::HistoryPrev) {
                        (None, true) => Some(n - 1),
                        (None, false) => None,
                        (Some(i), true) => Some(i.saturating_sub(1)),
                        (Some(i), false) if i + 1 < n => Some(i + 1),
                        (Some(_), false) => None,
                    };
                    let text = at
                        .and_then(|i| self.ui.history.get(i))
                        .cloned()
                        .unwrap_or_default();
                    p.set(&text);
                    p.history_at = at;
                }
                edited = false;
            }
            Action::DeleteBack => p.delete_back(),
            Action::DeleteForward => p.delete_forward(),
            Action::CursorLeft => {
                p.cursor = p.cursor.saturating_sub(1);
                edited = false;
            }
            Action::CursorRight => {
                p.cursor = (p.cursor + 1).min(p.text.chars().count());
                edited = false;
            }
            Action::CursorStart => {
                p.cursor = 0;
                edited = false;
            }
            Action::CursorEnd => {
                p.cursor = p.text.chars().count();
                edited = false;
            }
            Action::ClearLine => p.set(""),
            Action::DeleteWord => p.delete_word(),
            _ => edited = false,
        }
        if edited {
            self.prompt_edited();
        }
        Vec::new()
    }

    /// After the text changed: the filter applies as it is typed; completions start over.
    pub(crate) fn prompt_edited(&mut self) {
        commands::reset_completion(&mut self.ui);
        let Some(p) = self.ui.prompt.as_ref() else {
            return;
        };
        if p.kind == PromptKind::Filter {
            let text = p.text.clone();
            let list = &mut self.ui.screen_mut().list;
            list.filter = text;
            list.cursor = 0;
            list.selected = None;
        }
    }

    fn submit_prompt(&mut self) -> Vec<Effect> {
        let Some(p) = self.ui.prompt.take() else {
            return Vec::new();
        };
        let text = p.text.trim().to_string();
        match p.kind {
            PromptKind::Command => {
                if !text.is_empty() && self.ui.history.last() != Some(&text) {
                    self.ui.history.push(text.clone());
                }
                return self.run_command_line(&text);
            }
            PromptKind::Filter => {
                if let Some(e) = &self.index.filter_error {
                    self.ui.error(format!("filter: {e}"));
                } else if !text.is_empty() {
                    self.ui.info(format!(
                        "{} of {} rows match /{text}; esc clears the filter",
                        self.index.rows.len(),
                        self.index.total
                    ));
                }
            }
            PromptKind::Jump => self.jump(&text),
            PromptKind::Review(target) => self.review_token(&target, &text),
            PromptKind::CanI(sa) => match rbac::can_i_line(&sa, &text) {
                Ok(line) => return self.run_cli_line(&line),
                Err(e) => self.ui.error(e),
            },
            PromptKind::NewServiceAccount { namespace } => {
                if text.is_empty() {
                    return Vec::new();
                }
                return self.run_cli_line(&format!("create sa {text} -n {namespace}"));
            }
            PromptKind::NewToken(sa) => {
                return self.run_cli_line(&format!(
                    "create token {} -n {} {text}",
                    sa.name, sa.namespace
                ));
            }
        }
        Vec::new()
    }

    fn jump(&mut self, text: &str) {
        let d = match parse_go_duration(text) {
            Ok(d) if d > SimDuration::zero() => d,
            Ok(_) => return self.ui.error("jump: the clock only moves forward"),
            Err(e) => return self.ui.error(format!("jump: {e}")),
        };
        let from = self.sim.now();
        let n = self.advance_to(from + d);
        self.clock.reset_carry();
        if n == 0 {
            self.ui.info(format!(
                "+{}: nothing happened in between",
                format_go_duration(d)
            ));
        } else if let Some(m) = self.ui.message.as_mut() {
            m.text = format!("+{} ({n} events) → {}", format_go_duration(d), m.text);
        }
    }

    fn review_token(&mut self, target: &super::ui_state::Target, audiences: &str) {
        let super::ui_state::TargetKind::Token(id) = target.kind else {
            return;
        };
        let Some(record) = self.sim.ledger().get(id) else {
            return self.ui.error("that token is no longer in the ledger");
        };
        let token = match self.sim.token_jws(record) {
            Ok(t) => t.to_string(),
            Err(e) => return self.ui.error(e),
        };
        let audiences: Vec<String> = audiences
            .split([',', ' '])
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect();
        let shown = if audiences.is_empty() {
            "the API audiences".to_string()
        } else {
            audiences.join(",")
        };
        match self.sim.execute(Command::ReviewToken { token, audiences }) {
            Ok(Outcome::Review(r)) => {
                self.generation += 1;
                let verdict = if r.status.authenticated {
                    format!("authenticated as {}", r.status.user.username)
                } else {
                    format!(
                        "not authenticated: {}",
                        r.status.error.clone().unwrap_or_default()
                    )
                };
                let text = format!(
                    "Verdict: {verdict}\n\n{}",
                    serialize::render(&token_review_value(&r), Format::Yaml)
                );
                self.ui.push(Route::Output {
                    title: format!("review {} --audience {shown}", target.name),
                    text,
                    wrap: false,
                });
                if r.status.authenticated {
                    self.ui.info(format!("TokenReview: {verdict}"));
                } else {
                    self.ui.error(format!("TokenReview: {verdict}"));
                }
            }
            Ok(_) => self.ui.error("unexpected response to TokenReview"),
            Err(e) => self.ui.error(crate::cli::apply::server_error(&e, None)),
        }
    }

    pub(crate) fn dialog_action(&mut self, action: Action) -> Vec<Effect> {
        let Some(Overlay::Confirm(c)) = self.ui.overlay.as_mut() else {
            return Vec::new();
        };
        match action {
            Action::Confirm => {}
            Action::Submit if c.focus == Button::Confirm => {}
            Action::Submit | Action::Cancel => {
                self.ui.overlay = None;
                self.ui.info("Cancelled");
                return Vec::new();
            }
            Action::ToggleButton => {
                c.focus = match c.focus {
                    Button::Cancel => Button::Confirm,
                    Button::Confirm => Button::Cancel,
                };
                return Vec::new();
            }
            _ => return Vec::new(),
        }
        let line = c.line.clone();
        self.ui.overlay = None;
        self.run_cli_line(&line)
    }
}
