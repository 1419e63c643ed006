//! `App::update`: what each action does. Navigation, the clock, and the actions on the selected
//! row; prompts and dialogs are in `prompt.rs`, the `:` commands in `commands.rs`.

use super::action::Action;
use super::app::App;
use super::effect::Effect;
use super::ui_state::{
    Button, Confirm, ListRoute, Listing, Overlay, Prompt, PromptKind, Route, SaTab, Sort, Target,
    TargetKind,
};
use super::view;
use crate::sim::objects::Kind;

impl App {
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Quit => return self.quit(),
            Action::Help => self.ui.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Command => self.ui.prompt = Some(Prompt::new(PromptKind::Command, "")),
            Action::Filter => self.open_filter(),
            Action::AllNamespaces => self.toggle_all_namespaces(),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.page() as isize)),
            Action::PageDown => self.move_by(self.page() as isize),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Left => self.sideways(-1),
            Action::Right => self.sideways(1),
            Action::Enter => self.enter(),
            Action::Back => self.back(),
            Action::Describe => self.open_selected(Route::Describe),
            Action::Yaml => self.open_selected(Route::Yaml),
            Action::Decode => self.decode(),
            Action::CanI => self.can_i(),
            Action::Review => self.review(),
            Action::Delete => self.delete(),
            Action::New => self.new_object(),
            Action::Pause => {
                self.clock.toggle_pause();
                if self.clock.paused {
                    self.ui.info("Clock paused: space resumes, ] jumps to the next event, t jumps by a duration");
                } else {
                    self.ui
                        .info(format!("Clock running at {}×", self.clock.speed()));
                }
            }
            Action::Faster | Action::Slower => {
                if action == Action::Faster {
                    self.clock.faster();
                } else {
                    self.clock.slower();
                }
                self.ui.info(format!(
                    "Speed {}×: a second of yours is {} of the cluster's{}",
                    self.clock.speed(),
                    crate::present::age::countdown(chrono::TimeDelta::seconds(i64::from(
                        self.clock.speed()
                    ))),
                    if self.clock.paused { " (paused)" } else { "" }
                ));
            }
            Action::NextEvent => self.next_event(),
            Action::Jump => self.ui.prompt = Some(Prompt::new(PromptKind::Jump, "")),
            Action::SortNext => self.sort_next(),
            Action::SortReverse => {
                if let Some(s) = self.ui.screen_mut().list.sort.as_mut() {
                    s.descending = !s.descending;
                } else {
                    self.ui.screen_mut().list.sort = Some(Sort {
                        column: 0,
                        descending: true,
                    });
                }
            }
            Action::NextTab => self.switch_tab(1),
            Action::PrevTab => self.switch_tab(-1),
            Action::TogglePane => self.ui.show_pane = !self.ui.show_pane,
            Action::ToggleHistory => {
                self.ui.token_history = !self.ui.token_history;
                self.ui.info(if self.ui.token_history {
                    "Tokens: every token in the ledger (superseded ones too); H shows the current ones"
                } else {
                    "Tokens: each holder's current token; H shows the whole history"
                });
            }
            Action::View(name) => return self.run_command_line(&name),
            // Prompt and dialog actions outside a prompt or dialog do nothing.
            _ => {}
        }
        Vec::new()
    }

    fn page(&self) -> usize {
        if self.is_list() {
            self.viewport_rows().saturating_sub(1).max(1)
        } else {
            usize::from(view::layout::areas(self).content.height)
                .saturating_sub(1)
                .max(1)
        }
    }

    fn move_by(&mut self, delta: isize) {
        if self.is_list() {
            let len = self.index.rows.len();
            let list = &mut self.ui.screen_mut().list;
            list.cursor = list
                .cursor
                .saturating_add_signed(delta)
                .min(len.saturating_sub(1));
            list.selected = self.index.rows.get(list.cursor).map(|k| k.id.clone());
        } else {
            let s = &mut self.ui.screen_mut().scroll;
            s.0 = s.0.saturating_add_signed(delta);
            self.clamp_text_scroll();
        }
    }

    fn sideways(&mut self, delta: isize) {
        if let Route::ServiceAccount { .. } = self.ui.screen().route {
            self.switch_tab(delta);
        } else if !self.is_list() {
            let s = &mut self.ui.screen_mut().scroll;
            s.1 = s.1.saturating_add_signed(delta * 8);
            self.clamp_text_scroll();
        }
    }

    fn switch_tab(&mut self, delta: isize) {
        if let Route::ServiceAccount { tab, .. } = &mut self.ui.screen_mut().route {
            let i = SaTab::ALL.iter().position(|t| t == tab).unwrap_or(0) as isize;
            let n = SaTab::ALL.len() as isize;
            *tab = SaTab::ALL[((i + delta).rem_euclid(n)) as usize];
            let screen = self.ui.screen_mut();
            screen.list = Default::default();
            screen.scroll = (0, 0);
        }
    }

    pub(crate) fn set_tab(&mut self, new: SaTab) {
        if let Route::ServiceAccount { tab, .. } = &mut self.ui.screen_mut().route
            && *tab != new
        {
            *tab = new;
            let screen = self.ui.screen_mut();
            screen.list = Default::default();
            screen.scroll = (0, 0);
        }
    }

    fn toggle_all_namespaces(&mut self) {
        match self.ui.namespace.take() {
            Some(ns) => {
                self.ui.info("All namespaces");
                self.ui.last_namespace = ns;
            }
            None => {
                let ns = self.ui.last_namespace.clone();
                self.ui.info(format!("Namespace {ns}"));
                self.ui.namespace = Some(ns);
            }
        }
    }

    fn open_filter(&mut self) {
        if !self.is_list() {
            return;
        }
        let current = self.ui.screen().list.filter.clone();
        let mut p = Prompt::new(PromptKind::Filter, &current);
        p.previous_filter = current;
        self.ui.prompt = Some(p);
    }

    fn back(&mut self) {
        if self.ui.overlay.take().is_some() {
            return;
        }
        if self.is_list() && !self.ui.screen().list.filter.is_empty() {
            self.ui.screen_mut().list.filter.clear();
            self.ui.info("Filter cleared");
            return;
        }
        if !self.ui.pop() {
            self.ui
                .info("This is the first screen: : opens another view, q quits");
        }
    }

    fn sort_next(&mut self) {
        let columns = self.index.columns.len();
        if columns == 0 {
            return;
        }
        let list = &mut self.ui.screen_mut().list;
        list.sort = match list.sort {
            None => Some(Sort {
                column: 0,
                descending: false,
            }),
            Some(s) if s.column + 1 < columns => Some(Sort {
                column: s.column + 1,
                descending: s.descending,
            }),
            Some(_) => None,
        };
        let text = match list.sort {
            Some(s) => format!(
                "Sorted by {} {}",
                self.index
                    .columns
                    .get(s.column)
                    .map(|c| c.name)
                    .unwrap_or(""),
                if s.descending { "↓" } else { "↑" }
            ),
            None => "Natural order".into(),
        };
        self.ui.info(text);
    }

    /// `enter`: one level down.
    fn enter(&mut self) {
        let Some(t) = self.selected_target() else {
            return;
        };
        match t.kind {
            TargetKind::Object(Kind::Namespace) => {
                self.ui.namespace = Some(t.name.clone());
                self.ui.last_namespace = t.name.clone();
                self.ui.push(Route::List(ListRoute {
                    listing: Listing::Objects(Kind::ServiceAccount),
                    owner: None,
                }));
            }
            TargetKind::Object(Kind::ServiceAccount) => self.ui.push(Route::ServiceAccount {
                sa: t,
                tab: SaTab::Tokens,
            }),
            TargetKind::Object(Kind::Pod) => self.ui.push(Route::List(ListRoute {
                listing: Listing::Tokens,
                owner: Some(t),
            })),
            TargetKind::Object(Kind::Node) => self.ui.push(Route::List(ListRoute {
                listing: Listing::Objects(Kind::Pod),
                owner: Some(t),
            })),
            TargetKind::Token(_) | TargetKind::Object(Kind::Secret) => {
                self.ui.push(Route::Decode(t))
            }
            TargetKind::Event(_) => {
                let involved = self.involved_object(&t);
                self.ui.push(Route::Describe(involved.unwrap_or(t)));
            }
            TargetKind::Object(_) => self.ui.push(Route::Describe(t)),
        }
    }

    /// The object an event is about, if it still exists.
    fn involved_object(&self, t: &Target) -> Option<Target> {
        let TargetKind::Event(seq) = t.kind else {
            return None;
        };
        let e = self.sim.events().iter().find(|e| e.seq == seq)?;
        let kind = Kind::resolve(&e.object.kind)?;
        let ns = if kind.namespaced() {
            &*e.object.namespace
        } else {
            ""
        };
        let o = self.sim.store().get(kind, ns, &e.object.name)?;
        Some(Target::object(kind, ns, &o.meta().name, &o.meta().uid))
    }

    fn open_selected(&mut self, route: fn(Target) -> Route) {
        match self.selected_target() {
            Some(t) => self.ui.push(route(t)),
            None => self.ui.info("Nothing selected"),
        }
    }

    fn decode(&mut self) {
        match self.selected_target() {
            Some(t) if matches!(t.kind, TargetKind::Token(_)) || t.is(Kind::Secret) => {
                self.ui.push(Route::Decode(t))
            }
            Some(_) => self.ui.info(
                "x decodes tokens and secrets: open a service account's tokens (enter) or :tokens",
            ),
            None => self.ui.info("Nothing selected"),
        }
    }

    /// The service account a row or screen is about: the selected one, or the one in view.
    fn subject_sa(&self) -> Option<Target> {
        match self.selected_target() {
            Some(t) if t.is(Kind::ServiceAccount) => return Some(t),
            _ => {}
        }
        for screen in self.ui.stack.iter().rev() {
            if let Route::ServiceAccount { sa, .. } = &screen.route {
                return Some(sa.clone());
            }
        }
        None
    }

    fn can_i(&mut self) {
        match self.subject_sa() {
            Some(sa) => self.ui.prompt = Some(Prompt::new(PromptKind::CanI(sa), "")),
            None => self
                .ui
                .info("c asks what a service account can do: select one first (:sa)"),
        }
    }

    fn review(&mut self) {
        match self.selected_target() {
            Some(t) if matches!(t.kind, TargetKind::Token(_)) => {
                let aud = match t.kind {
                    TargetKind::Token(id) => self
                        .sim
                        .ledger()
                        .get(id)
                        .map(|r| r.binding.aud.join(","))
                        .unwrap_or_default(),
                    _ => String::new(),
                };
                self.ui.prompt = Some(Prompt::new(PromptKind::Review(t), &aud));
            }
            _ => self
                .ui
                .info("r reviews a token: select one in a tokens view (:tokens)"),
        }
    }

    fn delete(&mut self) {
        let Some(t) = self.selected_target() else {
            self.ui.info("Nothing selected");
            return;
        };
        let TargetKind::Object(kind) = t.kind else {
            self.ui.info(
                "Tokens and events cannot be deleted: delete the pod or service account to revoke its tokens",
            );
            return;
        };
        let info = kind.info();
        let ns_flag = if kind.namespaced() {
            format!(" -n {}", t.namespace)
        } else {
            String::new()
        };
        let consequence = match kind {
            Kind::Pod => {
                "The pod terminates over its grace period; its projected tokens stop authenticating."
            }
            Kind::ServiceAccount => "Every token of this service account stops authenticating.",
            Kind::Secret => "Tokens bound to this secret stop authenticating.",
            Kind::Namespace => "Everything in the namespace goes with it.",
            _ => "This cannot be undone.",
        };
        self.ui.overlay = Some(Overlay::Confirm(Confirm {
            title: format!("Delete {} {}?", info.singular, t.path()),
            message: consequence.into(),
            line: format!("delete {} {}{ns_flag} --wait=false", info.singular, t.name),
            focus: Button::Cancel,
        }));
    }

    fn new_object(&mut self) {
        let listing = self.ui.screen().route.list_route().map(|l| l.listing);
        if let Some(sa) = self.subject_sa().filter(|_| {
            matches!(self.ui.screen().route, Route::ServiceAccount { .. })
                || listing == Some(Listing::Tokens)
        }) {
            self.ui.prompt = Some(Prompt::new(PromptKind::NewToken(sa), "--duration 1h"));
            return;
        }
        if listing == Some(Listing::Tokens)
            && let Some(TargetKind::Token(id)) = self.selected_target().map(|t| t.kind)
            && let Some(r) = self.sim.ledger().get(id)
        {
            let sa = Target::object(
                Kind::ServiceAccount,
                &r.binding.namespace,
                &r.binding.service_account.name,
                &r.binding.service_account.uid,
            );
            self.ui.prompt = Some(Prompt::new(PromptKind::NewToken(sa), "--duration 1h"));
            return;
        }
        if listing == Some(Listing::Objects(Kind::ServiceAccount)) {
            let namespace = self
                .ui
                .namespace
                .clone()
                .or_else(|| self.selected_target().map(|t| t.namespace))
                .unwrap_or_else(|| "default".into());
            self.ui.prompt = Some(Prompt::new(PromptKind::NewServiceAccount { namespace }, ""));
            return;
        }
        self.ui.info(
            "n creates a service account (in :sa) or a token (in a service account or :tokens)",
        );
    }
}
