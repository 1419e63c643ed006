//! What the UI remembers besides the cluster: the stack of screens (for `esc` and the
//! breadcrumbs), each with its selection (by id), scroll offset, filter and sort; the namespace in
//! view; the prompt, overlays and the message line. It never copies cluster data.

use std::time::Duration;

use crate::sim::objects::Kind;

/// What a row or a screen is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub namespace: String,
    pub name: String,
    pub uid: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Object(Kind),
    /// A ledger entry, by id.
    Token(u64),
    /// An event, by its sequence number.
    Event(u64),
}

impl Target {
    pub fn object(kind: Kind, namespace: &str, name: &str, uid: &str) -> Target {
        Target {
            kind: TargetKind::Object(kind),
            namespace: namespace.to_string(),
            name: name.to_string(),
            uid: uid.to_string(),
        }
    }

    pub fn is(&self, kind: Kind) -> bool {
        self.kind == TargetKind::Object(kind)
    }

    /// `test/nginx`, or `nginx` for cluster-scoped objects.
    pub fn path(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }
}

/// The tables kidex shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    Objects(Kind),
    Tokens,
    Events,
    /// Role and cluster role bindings naming a subject.
    Bindings,
}

impl Listing {
    /// The `:` name of the listing, for titles and breadcrumbs.
    pub fn name(self) -> &'static str {
        match self {
            Listing::Objects(k) => k.plural(),
            Listing::Tokens => "tokens",
            Listing::Events => "events",
            Listing::Bindings => "bindings",
        }
    }

    pub fn namespaced(self) -> bool {
        match self {
            Listing::Objects(k) => k.namespaced(),
            Listing::Tokens | Listing::Events => true,
            Listing::Bindings => false,
        }
    }
}

/// A listing, possibly narrowed to what one object owns (a service account's tokens).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRoute {
    pub listing: Listing,
    pub owner: Option<Target>,
}

/// The tabs of a service account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaTab {
    Tokens,
    Pods,
    Secrets,
    Bindings,
    Permissions,
}

impl SaTab {
    pub const ALL: [SaTab; 5] = [
        SaTab::Tokens,
        SaTab::Pods,
        SaTab::Secrets,
        SaTab::Bindings,
        SaTab::Permissions,
    ];

    pub fn title(self) -> &'static str {
        match self {
            SaTab::Tokens => "Tokens",
            SaTab::Pods => "Pods",
            SaTab::Secrets => "Secrets",
            SaTab::Bindings => "Bindings",
            SaTab::Permissions => "Permissions",
        }
    }

    pub fn listing(self) -> Option<Listing> {
        match self {
            SaTab::Tokens => Some(Listing::Tokens),
            SaTab::Pods => Some(Listing::Objects(Kind::Pod)),
            SaTab::Secrets => Some(Listing::Objects(Kind::Secret)),
            SaTab::Bindings => Some(Listing::Bindings),
            SaTab::Permissions => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    List(ListRoute),
    /// A service account with tabs: its tokens, pods, secrets, bindings and permissions.
    ServiceAccount {
        sa: Target,
        tab: SaTab,
    },
    Issuer,
    Describe(Target),
    Yaml(Target),
    Decode(Target),
    /// Text a command printed (`:get …`, a TokenReview, …).
    Output {
        title: String,
        text: String,
        /// Prose that wraps at the screen's width (can-i's explanation); tables, YAML and
        /// describe layouts keep their lines and scroll sideways.
        wrap: bool,
    },
}

impl Route {
    /// The table this screen shows, if it shows one.
    pub fn list_route(&self) -> Option<ListRoute> {
        match self {
            Route::List(l) => Some(l.clone()),
            Route::ServiceAccount { sa, tab } => tab.listing().map(|listing| ListRoute {
                listing,
                owner: Some(sa.clone()),
            }),
            _ => None,
        }
    }

    /// Whether the screen is a scrolling text.
    pub fn is_text(&self) -> bool {
        match self {
            Route::Describe(_)
            | Route::Yaml(_)
            | Route::Decode(_)
            | Route::Output { .. }
            | Route::Issuer => true,
            Route::ServiceAccount { tab, .. } => *tab == SaTab::Permissions,
            Route::List(_) => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// Index into the view's columns.
    pub column: usize,
    pub descending: bool,
}

/// Where a table's cursor and window are. The selection is an id (an object's uid, a token
/// holder, an event number), so it stays on its row as rows come and go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListState {
    pub cursor: usize,
    pub offset: usize,
    pub selected: Option<String>,
    pub filter: String,
    pub sort: Option<Sort>,
}

impl ListState {
    /// Moves the window so the cursor is inside it.
    pub fn follow(&mut self, len: usize, height: usize) {
        let height = height.max(1);
        self.cursor = self.cursor.min(len.saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + height {
            self.offset = self.cursor + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    pub route: Route,
    pub list: ListState,
    /// Text screens: first line and column shown.
    pub scroll: (usize, usize),
}

impl Screen {
    pub fn new(route: Route) -> Screen {
        Screen {
            route,
            list: ListState::default(),
            scroll: (0, 0),
        }
    }
}

/// What the one-line prompt is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// `:` a view or a CLI command.
    Command,
    /// `/` narrows the rows as you type.
    Filter,
    /// `t`: a duration to jump the clock by.
    Jump,
    /// `r`: audiences to review a token against.
    Review(Target),
    /// `c`: `VERB RESOURCE` for a subject.
    CanI(Target),
    /// `n`: the name of a new service account in a namespace.
    NewServiceAccount { namespace: String },
    /// `n`: `create token` flags for a service account.
    NewToken(Target),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
    /// Position while walking the history with up/down.
    pub history_at: Option<usize>,
    /// The filter before `/` was pressed, restored on `esc`.
    pub previous_filter: String,
    /// Tab completion: the candidates, which one is shown, and the text before completing.
    pub completions: Vec<String>,
    pub completion_at: Option<usize>,
    pub completion_base: String,
}

impl Prompt {
    pub fn new(kind: PromptKind, text: &str) -> Prompt {
        Prompt {
            kind,
            text: text.to_string(),
            cursor: text.chars().count(),
            history_at: None,
            previous_filter: String::new(),
            completions: Vec::new(),
            completion_at: None,
            completion_base: String::new(),
        }
    }

    /// The label before the text.
    pub fn label(&self) -> String {
        match &self.kind {
            PromptKind::Command => ":".into(),
            PromptKind::Filter => "/".into(),
            PromptKind::Jump => "jump the clock by (10m, 2h, 24h): ".into(),
            PromptKind::Review(t) => format!("review {} against audiences: ", t.name),
            PromptKind::CanI(t) => format!("can {} (verb resource): ", t.name),
            PromptKind::NewServiceAccount { namespace } => {
                format!("new service account in {namespace}: ")
            }
            PromptKind::NewToken(t) => format!("create token {} ", t.path()),
        }
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map(|(i, _)| i)
            .unwrap_or(self.text.len())
    }

    pub fn insert(&mut self, s: &str) {
        let at = self.byte_at(self.cursor);
        self.text.insert_str(at, s);
        self.cursor += s.chars().count();
    }

    pub fn delete_back(&mut self) {
        if self.cursor > 0 {
            let at = self.byte_at(self.cursor - 1);
            self.text.remove(at);
            self.cursor -= 1;
        }
    }

    pub fn delete_forward(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor.min(chars.len());
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = text.chars().count();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Button {
    Cancel,
    Confirm,
}

/// A question before a destructive command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    pub message: String,
    /// The CLI line to run on confirmation.
    pub line: String,
    pub focus: Button,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help { scroll: usize },
    Confirm(Confirm),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    /// Something the simulated cluster did.
    Event,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub kind: MessageKind,
    pub text: String,
}

/// A row to light up for a moment: a token the kubelet just issued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flash {
    pub token: u64,
    pub remaining: Duration,
}

/// How long a refreshed token's row stays lit (wall time).
pub const FLASH: Duration = Duration::from_secs(2);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UiState {
    pub stack: Vec<Screen>,
    /// The namespace in view; `None` for all of them.
    pub namespace: Option<String>,
    /// The namespace `0` returns to from all namespaces.
    pub last_namespace: String,
    pub prompt: Option<Prompt>,
    pub overlay: Option<Overlay>,
    pub message: Option<Message>,
    pub flashes: Vec<Flash>,
    pub history: Vec<String>,
    pub show_pane: bool,
    /// Tokens: every ledger entry rather than each holder's current token.
    pub token_history: bool,
    /// Terminal size.
    pub size: (u16, u16),
}

impl UiState {
    pub fn new(root: Route) -> UiState {
        UiState {
            stack: vec![Screen::new(root)],
            namespace: None,
            last_namespace: "default".into(),
            prompt: None,
            overlay: None,
            message: None,
            flashes: Vec::new(),
            history: Vec::new(),
            show_pane: true,
            token_history: false,
            size: (80, 24),
        }
    }

    pub fn screen(&self) -> &Screen {
        // The stack is never empty: `back` stops at the root.
        &self.stack[self.stack.len() - 1]
    }

    pub fn screen_mut(&mut self) -> &mut Screen {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    pub fn push(&mut self, route: Route) {
        self.stack.push(Screen::new(route));
    }

    /// Goes back one screen; false at the root.
    pub fn pop(&mut self) -> bool {
        if self.stack.len() > 1 {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Info,
            text: text.into(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Error,
            text: text.into(),
        });
    }

    pub fn event(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            kind: MessageKind::Event,
            text: text.into(),
        });
    }

    pub fn flashing(&self, token: u64) -> bool {
        self.flashes.iter().any(|f| f.token == token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_cursor() {
        let mut l = ListState {
            cursor: 30,
            ..Default::default()
        };
        l.follow(100, 10);
        assert_eq!(l.offset, 21);
        l.cursor = 5;
        l.follow(100, 10);
        assert_eq!(l.offset, 5);
        l.cursor = 500;
        l.follow(100, 10);
        assert_eq!((l.cursor, l.offset), (99, 90));
        l.follow(3, 10);
        assert_eq!((l.cursor, l.offset), (2, 0));
    }

    #[test]
    fn prompt_editing_is_by_character() {
        let mut p = Prompt::new(PromptKind::Command, "ns tést");
        p.delete_back();
        p.insert("ü");
        assert_eq!(p.text, "ns tésü");
        p.delete_word();
        assert_eq!(p.text, "ns ");
        p.cursor = 0;
        p.delete_forward();
        assert_eq!(p.text, "s ");
    }
}
