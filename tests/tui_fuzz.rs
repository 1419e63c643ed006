//! Random key presses never crash the UI: seeded sequences of keys (every binding of the keymap,
//! prompt commands with good and bad arguments, mouse clicks and wheel, resizes, ticks of wall
//! time at every speed) on both demo states, drawing after every event. Deterministic: the
//! sequences come from a fixed seed.

use std::time::Duration;

use kidex::tui::app::App;
use kidex::tui::effect::Effect;
use kidex::tui::event::{Event, Key, Mouse, MouseKind, parse_keys};
use kidex::tui::screen::render;

/// xorshift64*: enough for choosing keys.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const KEYS: &[&str] = &[
    "j",
    "k",
    "g",
    "G",
    "<enter>",
    "<esc>",
    "<tab>",
    "<shift-tab>",
    "x",
    "d",
    "y",
    "r",
    "c",
    "n",
    "<c-d>",
    "<space>",
    "+",
    "-",
    "]",
    "?",
    "/",
    "0",
    "p",
    "H",
    "s",
    "S",
    "h",
    "l",
    "<left>",
    "<right>",
    "<up>",
    "<down>",
    "<pgdown>",
    "<pgup>",
    "<home>",
    "<end>",
    "<backspace>",
    "y",
    "<c-u>",
    "<c-w>",
    "a",
    "1",
    "-l",
    "=",
];

const TYPED: &[&str] = &[
    ":tokens<enter>",
    ":sa<enter>",
    ":pods -A<enter>",
    ":secrets -A<enter>",
    ":rb<enter>",
    ":crb<enter>",
    ":roles<enter>",
    ":clusterroles<enter>",
    ":ns<enter>",
    ":nodes<enter>",
    ":cm<enter>",
    ":events<enter>",
    ":issuer<enter>",
    ":ns test<enter>",
    ":ns nope<enter>",
    ":get frobs<enter>",
    ":keys rotate<enter>",
    ":restart pods -A<enter>",
    ":create token build-robot -n default --duration 10m<enter>",
    ":create token build-robot -n default --duration 1s<enter>",
    ":delete pod nginx -n test<enter>",
    ":issuer set https://x.example<enter>",
    ":advance 25h<enter>",
    "t90m<enter>",
    "t-5m<enter>",
    "tsoon<enter>",
    "/nginx<enter>",
    "/-l app=nginx<enter>",
    "/!default<enter>",
    "/東京<enter>",
    "r<enter>",
    "rvault,ci.example.com<enter>",
    "cget secrets<enter>",
    "ccreate serviceaccounts/token build-robot<enter>",
    "c<enter>",
    "nrobot-東<enter>",
    "n--audience vault<enter>",
    ":theme light<enter>",
    ":theme high-contrast<enter>",
    ":w<enter>",
    ":q",
];

fn run(state: &str, seed: u64, steps: usize) {
    let sim = kidex::state::open(std::path::Path::new(state), None).expect("state");
    let mut app = App::new(sim).with_size(120, 40);
    let mut rng = Rng(seed);
    let mut trail = Vec::new();
    for _ in 0..steps {
        let event = match rng.next() % 10 {
            0..=5 => Event::Key(
                Key::parse(rng.pick(KEYS).trim_matches(['<', '>'])).unwrap_or(Key::char('j')),
            ),
            6 | 7 => {
                let typed = *rng.pick(TYPED);
                trail.push(typed.to_string());
                for k in parse_keys(typed).expect("keys") {
                    app.handle(Event::Key(k));
                }
                Event::Tick(Duration::from_millis(10))
            }
            8 => Event::Tick(Duration::from_millis(rng.next() % 3000)),
            _ => match rng.next() % 4 {
                0 => Event::Resize((rng.next() % 200 + 20) as u16, (rng.next() % 60 + 8) as u16),
                1 => Event::Mouse(Mouse {
                    kind: MouseKind::Click,
                    column: (rng.next() % 130) as u16,
                    row: (rng.next() % 45) as u16,
                }),
                2 => Event::Mouse(Mouse {
                    kind: MouseKind::ScrollDown,
                    column: 5,
                    row: 5,
                }),
                _ => Event::Mouse(Mouse {
                    kind: MouseKind::ScrollUp,
                    column: 5,
                    row: 5,
                }),
            },
        };
        trail.push(format!("{event:?}"));
        let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let effects = app.handle(event);
            let _ = render(&app);
            effects
        }));
        let effects = step.unwrap_or_else(|_| {
            let from = trail.len().saturating_sub(25);
            panic!(
                "{state}, seed {seed}: crashed after\n{}",
                trail[from..].join("\n")
            )
        });
        if effects.contains(&Effect::Quit) {
            // Start over where a user would: a fresh app on the same cluster.
            let sim = std::mem::replace(
                &mut app.sim,
                kidex::state::demo::open_default(None).expect("demo"),
            );
            app = App::new(sim).with_size(120, 40);
        }
    }
}

#[test]
fn random_keys_on_the_kubernetes_demo_never_crash() {
    for seed in 1..=6 {
        run("demo-state/default.yaml", seed * 7919, 300);
    }
}

#[test]
fn random_keys_on_the_openshift_demo_never_crash() {
    for seed in 1..=6 {
        run("demo-state/openshift.yaml", seed * 104_729, 300);
    }
}
