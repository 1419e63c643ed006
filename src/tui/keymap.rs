//! Key bindings: `assets/keymap.toml`, optionally overridden by the user's file. Each binding has
//! a `desc`, so the help screen and the header's hints are generated from the same table.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::action::Action;
use super::event::Key;

/// The default bindings, built into the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    Global,
    List,
    Prompt,
    Dialog,
    Help,
}

impl Context {
    pub const ALL: [Context; 5] = [
        Context::Global,
        Context::List,
        Context::Prompt,
        Context::Dialog,
        Context::Help,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Prompt => "prompt",
            Context::Dialog => "dialog",
            Context::Help => "help",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub desc: String,
    /// A short label for the header's key hints.
    pub hint: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keymap {
    contexts: BTreeMap<Context, Vec<Binding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: OneOrMany,
    run: String,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    hint: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

type RawKeymap = BTreeMap<String, Vec<RawBinding>>;

fn parse_raw(text: &str, origin: &str) -> Result<BTreeMap<Context, Vec<Binding>>, String> {
    let raw: RawKeymap = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
    let mut out = BTreeMap::new();
    for (section, bindings) in raw {
        let context = Context::ALL
            .into_iter()
            .find(|c| c.name() == section)
            .ok_or_else(|| {
                format!("{origin}: unknown section [{section}] (want global, list, prompt, dialog or help)")
            })?;
        let mut parsed = Vec::new();
        for b in bindings {
            let names = match b.on {
                OneOrMany::One(s) => vec![s],
                OneOrMany::Many(v) => v,
            };
            let keys = names
                .iter()
                .map(|n| Key::parse(n))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{origin}: [{section}]: {e}"))?;
            let action =
                Action::parse(&b.run).map_err(|e| format!("{origin}: [{section}]: {e}"))?;
            parsed.push(Binding {
                keys,
                action,
                desc: b.desc,
                hint: b.hint,
            });
        }
        out.insert(context, parsed);
    }
    Ok(out)
}

impl Keymap {
    /// The built-in bindings.
    pub fn default_keymap() -> Keymap {
        // The built-in file is tested below; should it ever fail to parse, no keys are bound
        // rather than crashing, and the error shows in the user-keymap path.
        Keymap::parse(DEFAULT_KEYMAP).unwrap_or_default()
    }

    pub fn parse(text: &str) -> Result<Keymap, String> {
        Ok(Keymap {
            contexts: parse_raw(text, "assets/keymap.toml")?,
        })
    }

    /// The defaults with a user's file laid over them: a user binding takes its keys away from
    /// the default bindings of the same section, and `noop` bindings only remove.
    pub fn with_overrides(mut self, text: &str, origin: &str) -> Result<Keymap, String> {
        for (context, bindings) in parse_raw(text, origin)? {
            let list = self.contexts.entry(context).or_default();
            for b in bindings {
                for existing in list.iter_mut() {
                    existing.keys.retain(|k| !b.keys.contains(k));
                }
                list.retain(|e| !e.keys.is_empty());
                if b.action != Action::Noop {
                    list.push(b);
                }
            }
        }
        Ok(self)
    }

    /// The action of a key, trying the contexts in order.
    pub fn lookup(&self, contexts: &[Context], key: Key) -> Option<&Action> {
        contexts.iter().find_map(|c| {
            self.contexts
                .get(c)?
                .iter()
                .find(|b| b.keys.contains(&key))
                .map(|b| &b.action)
        })
    }

    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.contexts
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key bound to an action in a context, for messages ("press x to decode").
    pub fn key_for(&self, context: Context, action: &Action) -> Option<Key> {
        self.bindings(context)
            .iter()
            .find(|b| &b.action == action)
            .and_then(|b| b.keys.first().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::event::KeyCode;

    #[test]
    fn the_built_in_keymap_parses_and_describes_every_binding() {
        let km = Keymap::parse(DEFAULT_KEYMAP).unwrap();
        for c in Context::ALL {
            assert!(!km.bindings(c).is_empty(), "{c:?}");
            for b in km.bindings(c) {
                assert!(!b.desc.is_empty(), "{b:?} has no desc");
            }
        }
        assert_eq!(
            km.lookup(&[Context::List, Context::Global], Key::ctrl('d')),
            Some(&Action::Delete)
        );
        assert_eq!(
            km.lookup(&[Context::Global], Key::char('q')),
            Some(&Action::Quit)
        );
    }

    #[test]
    fn user_bindings_replace_defaults_and_noop_unbinds() {
        let user = r#"
global = [
  { on = "Q", run = "quit", desc = "Quit" },
  { on = "q", run = "noop" },
]
list = [ { on = "enter", run = "describe", desc = "Describe" } ]
"#;
        let km = Keymap::default_keymap()
            .with_overrides(user, "keymap.toml")
            .unwrap();
        assert_eq!(km.lookup(&[Context::Global], Key::char('q')), None);
        assert_eq!(
            km.lookup(&[Context::Global], Key::char('Q')),
            Some(&Action::Quit)
        );
        assert_eq!(
            km.lookup(&[Context::List], Key::plain(KeyCode::Enter)),
            Some(&Action::Describe)
        );
        // ctrl-c still quits: only the overridden key moved.
        assert_eq!(
            km.lookup(&[Context::Global], Key::ctrl('c')),
            Some(&Action::Quit)
        );
        let bad = Keymap::default_keymap().with_overrides("[nope]\n", "k.toml");
        assert!(bad.is_err());
    }
}
