//! What a key asks for. The keymap turns keys into these; `App::update` carries them out.

/// A user intent, named in `assets/keymap.toml` by its `run` string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    /// Open the `:` command prompt.
    Command,
    /// Open the `/` filter prompt.
    Filter,
    AllNamespaces,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Left,
    Right,
    Enter,
    Back,
    Describe,
    Yaml,
    Decode,
    CanI,
    Review,
    Delete,
    New,
    Pause,
    Faster,
    Slower,
    NextEvent,
    Jump,
    SortNext,
    SortReverse,
    NextTab,
    PrevTab,
    TogglePane,
    ToggleHistory,
    /// Switch to a view by its `:` name (`view tokens`).
    View(String),
    // Prompts and dialogs.
    Submit,
    Cancel,
    Complete,
    HistoryPrev,
    HistoryNext,
    DeleteBack,
    DeleteForward,
    CursorLeft,
    CursorRight,
    CursorStart,
    CursorEnd,
    ClearLine,
    DeleteWord,
    Confirm,
    ToggleButton,
    /// Unbinds a key in a user keymap.
    Noop,
}

const SIMPLE: &[(&str, Action)] = &[
    ("quit", Action::Quit),
    ("help", Action::Help),
    ("command", Action::Command),
    ("filter", Action::Filter),
    ("all-namespaces", Action::AllNamespaces),
    ("up", Action::Up),
    ("down", Action::Down),
    ("top", Action::Top),
    ("bottom", Action::Bottom),
    ("page-up", Action::PageUp),
    ("page-down", Action::PageDown),
    ("left", Action::Left),
    ("right", Action::Right),
    ("enter", Action::Enter),
    ("back", Action::Back),
    ("describe", Action::Describe),
    ("yaml", Action::Yaml),
    ("decode", Action::Decode),
    ("can-i", Action::CanI),
    ("review", Action::Review),
    ("delete", Action::Delete),
    ("new", Action::New),
    ("pause", Action::Pause),
    ("faster", Action::Faster),
    ("slower", Action::Slower),
    ("next-event", Action::NextEvent),
    ("jump", Action::Jump),
    ("sort-next", Action::SortNext),
    ("sort-reverse", Action::SortReverse),
    ("next-tab", Action::NextTab),
    ("prev-tab", Action::PrevTab),
    ("toggle-pane", Action::TogglePane),
    ("toggle-history", Action::ToggleHistory),
    ("submit", Action::Submit),
    ("cancel", Action::Cancel),
    ("complete", Action::Complete),
    ("history-prev", Action::HistoryPrev),
    ("history-next", Action::HistoryNext),
    ("delete-back", Action::DeleteBack),
    ("delete-forward", Action::DeleteForward),
    ("cursor-left", Action::CursorLeft),
    ("cursor-right", Action::CursorRight),
    ("cursor-start", Action::CursorStart),
    ("cursor-end", Action::CursorEnd),
    ("clear-line", Action::ClearLine),
    ("delete-word", Action::DeleteWord),
    ("confirm", Action::Confirm),
    ("toggle-button", Action::ToggleButton),
    ("noop", Action::Noop),
];

impl Action {
    /// Parses a keymap `run` string: an action name, or `view NAME`.
    pub fn parse(run: &str) -> Result<Action, String> {
        let run = run.trim();
        if let Some(view) = run.strip_prefix("view ") {
            return Ok(Action::View(view.trim().to_string()));
        }
        SIMPLE
            .iter()
            .find(|(name, _)| *name == run)
            .map(|(_, a)| a.clone())
            .ok_or_else(|| format!("unknown action {run:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_strings_name_actions() {
        assert_eq!(Action::parse("next-event").unwrap(), Action::NextEvent);
        assert_eq!(
            Action::parse("view tokens").unwrap(),
            Action::View("tokens".into())
        );
        assert!(Action::parse("explode").is_err());
    }
}
