//! Keys in, state and screen out: the TUI's behaviour driven through `App::handle`, with no
//! terminal and no waiting. Wall time is sent as ticks.

mod tui_support;

use std::time::Duration;

use kidex::sim::TokenStatus;
use kidex::sim::objects::Kind;
use kidex::sim::tokens::ledger::Holder;
use kidex::tui::effect::Effect;
use kidex::tui::event::{Event, Mouse, MouseKind};
use kidex::tui::keymap::Keymap;
use kidex::tui::ui_state::{Listing, MessageKind, Overlay, Route, SaTab, TargetKind};
use tui_support::{demo_app, keys, message, screen, wall};

fn route(app: &kidex::tui::app::App) -> Route {
    app.ui.screen().route.clone()
}

#[test]
fn drill_from_namespace_test_to_nginx_to_its_projected_token_and_decode_it() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":ns<enter>");
    assert_eq!(
        route(&app).list_route().map(|l| l.listing),
        Some(Listing::Objects(Kind::Namespace))
    );
    // default, kube-system, test
    keys(&mut app, "jj");
    assert_eq!(app.selected_target().unwrap().name, "test");
    keys(&mut app, "<enter>");
    assert_eq!(app.ui.namespace.as_deref(), Some("test"));
    assert!(screen(&app).contains("serviceaccounts(test) [2]"));
    keys(&mut app, "j");
    assert_eq!(app.selected_target().unwrap().name, "nginx");
    keys(&mut app, "<enter>");
    match route(&app) {
        Route::ServiceAccount { sa, tab } => {
            assert_eq!(sa.path(), "test/nginx");
            assert_eq!(tab, SaTab::Tokens);
        }
        other => panic!("expected the service account screen, got {other:?}"),
    }
    let token = app.selected_target().unwrap();
    let TargetKind::Token(id) = token.kind else {
        panic!("a token row is selected")
    };
    let record = app.sim.ledger().get(id).unwrap();
    assert!(matches!(&*record.holder, Holder::Projected { pod, .. } if &**pod == "nginx"));
    keys(&mut app, "x");
    assert_eq!(route(&app), Route::Decode(token));
    let text = screen(&app);
    assert!(
        text.contains("Encoded (header.payload.signature)"),
        "{text}"
    );
    assert!(text.contains("\"alg\": \"RS256\""), "{text}");
    assert!(
        text.contains("Signature: valid (RS256, 2048-bit key"),
        "{text}"
    );
    // esc walks back up the trail.
    keys(&mut app, "<esc><esc><esc>");
    assert_eq!(
        route(&app).list_route().map(|l| l.listing),
        Some(Listing::Objects(Kind::Namespace))
    );
}

#[test]
fn deleting_pod_nginx_revokes_its_tokens() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":pods test<enter>");
    assert_eq!(app.selected_target().unwrap().name, "nginx");
    let pod_uid = app.selected_target().unwrap().uid;
    keys(&mut app, "<c-d>");
    assert!(matches!(app.ui.overlay, Some(Overlay::Confirm(_))));
    assert!(screen(&app).contains("Delete pod test/nginx?"));
    keys(&mut app, "y");
    assert!(app.ui.overlay.is_none());
    assert!(screen(&app).contains("Terminating"), "{}", screen(&app));
    // The pod goes after its 30 s grace period on the simulated clock.
    wall(&mut app, 31);
    assert!(!app.sim.store().pods.contains("test", "nginx"));
    let tokens: Vec<_> = app.sim.ledger().held_by_pod(&pod_uid).collect();
    assert_eq!(tokens.len(), 2);
    for t in tokens {
        assert!(
            matches!(app.sim.token_status(t), TokenStatus::Revoked(_)),
            "{:?}",
            app.sim.token_status(t)
        );
    }
    keys(&mut app, ":tokens<enter>");
    let text = screen(&app);
    let revoked_rows = text
        .lines()
        .filter(|l| l.contains("pod nginx ") && l.contains("revoked"))
        .count();
    assert_eq!(revoked_rows, 2, "{text}");
}

#[test]
fn pause_then_jump_to_the_next_event_refreshes_a_token_in_place() {
    let mut app = demo_app(120, 40);
    // build-robot's tokens: its pod ci-runner's 10-minute ci-token refreshes first.
    keys(&mut app, ":sa default<enter>j<enter>");
    // The ci-token's row (its holder) stays selected through the refresh.
    let row = app.selected().unwrap().clone();
    keys(&mut app, "<space>");
    assert!(app.clock.paused);
    assert!(screen(&app).contains("PAUSED"));
    let t0 = app.sim.now();
    assert!(wall(&mut app, 5).is_empty(), "a paused clock draws nothing");
    assert_eq!(app.sim.now(), t0);
    assert_eq!(
        app.next_wake(),
        None,
        "paused and idle: the loop sleeps until a key"
    );
    let due = app.sim.next_event_at().unwrap();
    keys(&mut app, "]");
    assert_eq!(app.sim.now(), due);
    assert_eq!(app.sim.now().format("%H:%M:%S").to_string(), "10:07:56");
    assert!(
        message(&app).contains("TokenRefreshed"),
        "{}",
        message(&app)
    );
    let now_row = app.selected().unwrap();
    assert_eq!(now_row.id, row.id, "the same holder's row");
    assert_ne!(
        now_row.target.kind, row.target.kind,
        "with a new token in it"
    );
    let TargetKind::Token(new_id) = now_row.target.kind else {
        unreachable!()
    };
    assert!(app.ui.flashing(new_id), "the refreshed row lights up");
    // The light goes out after two seconds of wall time, even while paused.
    assert_eq!(app.next_wake(), Some(Duration::from_secs(2)));
    wall(&mut app, 2);
    assert!(!app.ui.flashing(new_id));
    assert_eq!(app.sim.now(), due);
}

#[test]
fn the_clock_runs_at_wall_time_times_speed_and_redraws_once_per_simulated_second() {
    let mut app = demo_app(120, 40);
    let t0 = app.sim.now();
    assert!(
        app.handle(Event::Tick(Duration::from_millis(400)))
            .is_empty()
    );
    assert_eq!(
        app.handle(Event::Tick(Duration::from_millis(600))),
        vec![Effect::Redraw]
    );
    assert_eq!((app.sim.now() - t0).num_seconds(), 1);
    keys(&mut app, "++");
    assert_eq!(app.clock.speed(), 60);
    wall(&mut app, 1);
    assert_eq!((app.sim.now() - t0).num_seconds(), 61);
    keys(&mut app, "+++++-");
    assert_eq!(app.clock.speed(), 600);
    assert!(message(&app).contains("600×"));
}

#[test]
fn countdowns_tick_with_the_simulated_clock() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":tokens<enter>");
    assert!(screen(&app).contains("1h35m56s"));
    wall(&mut app, 3);
    assert!(screen(&app).contains("1h35m53s"), "{}", screen(&app));
}

#[test]
fn the_event_log_follows_new_events_when_at_its_end() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":events<enter>G");
    let before = app.index.rows.len();
    keys(&mut app, "]");
    assert!(app.index.rows.len() > before);
    assert_eq!(app.ui.screen().list.cursor, app.index.rows.len() - 1);
    // Away from the end, the cursor stays on its event.
    keys(&mut app, "g");
    let first = app.selected().unwrap().id.clone();
    keys(&mut app, "]");
    assert_eq!(app.selected().unwrap().id, first);
}

#[test]
fn jump_by_a_typed_duration_runs_what_falls_due() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":tokens<enter>t2h<enter>");
    assert_eq!(app.sim.now().format("%H:%M:%S").to_string(), "12:00:00");
    assert!(message(&app).starts_with("+2h0m0s"), "{}", message(&app));
    keys(&mut app, "tsoon<enter>");
    assert_eq!(app.ui.message.as_ref().unwrap().kind, MessageKind::Error);
}

#[test]
fn create_token_at_the_prompt_opens_it_selected() {
    let mut app = demo_app(120, 40);
    keys(
        &mut app,
        ":create token build-robot --audience vault --duration 2h<enter>",
    );
    match route(&app) {
        Route::ServiceAccount { sa, tab } => {
            assert_eq!(sa.path(), "default/build-robot");
            assert_eq!(tab, SaTab::Tokens);
        }
        other => panic!("{other:?}"),
    }
    let selected = app.selected().unwrap();
    let TargetKind::Token(id) = selected.target.kind else {
        panic!("a token is selected")
    };
    let r = app.sim.ledger().get(id).unwrap();
    assert_eq!(r.binding.aud, ["vault"]);
    assert!(
        message(&app).starts_with("Created token"),
        "{}",
        message(&app)
    );
    // n asks for another, with the flags prefilled.
    keys(&mut app, "n<c-u>--audience vault --duration 10m<enter>");
    // The two created, and the two the kubelet holds for pod ci-runner.
    assert_eq!(app.index.rows.len(), 4);
}

#[test]
fn new_service_account_and_prompt_commands_follow_the_namespace_in_view() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":ns test<enter>");
    assert_eq!(app.ui.namespace.as_deref(), Some("test"));
    keys(&mut app, "nrobot<enter>");
    assert!(app.sim.store().service_accounts.contains("test", "robot"));
    assert_eq!(
        app.selected_target().map(|t| t.name),
        Some("default".into())
    );
    // A typed command without -n acts on the namespace in view, as k9s's do.
    keys(&mut app, ":delete sa robot<enter>");
    assert!(!app.sim.store().service_accounts.contains("test", "robot"));
    keys(&mut app, "0");
    assert_eq!(app.ui.namespace, None);
    keys(&mut app, "0");
    assert_eq!(app.ui.namespace.as_deref(), Some("test"));
}

#[test]
fn errors_land_in_the_footer_never_a_crash() {
    let mut app = demo_app(80, 24);
    for tape in [
        ":get frobs<enter>",
        ":delete pod nope<enter>",
        ":create token nobody<enter>",
        ":ns nowhere<enter>",
        ":apply<enter>",
        ":'<enter>",
        ":decode not-a-jwt<enter>",
        ":theme neon<enter>",
    ] {
        keys(&mut app, tape);
        let m = app.ui.message.clone().expect(tape);
        assert_eq!(m.kind, MessageKind::Error, "{tape}: {}", m.text);
        assert!(
            screen(&app).contains(&m.text[..20.min(m.text.len())]),
            "{tape}"
        );
    }
    // Keys that need a row do nothing harmful on an empty table.
    keys(&mut app, ":secrets<enter>xdy<c-d>rc<enter>jkgG");
    assert!(app.ui.overlay.is_none());
}

#[test]
fn filter_narrows_rows_as_typed_and_understands_label_selectors() {
    let mut app = demo_app(120, 40);
    // Matches any cell: three accounts named default, two more in namespace default.
    keys(&mut app, "/def");
    assert_eq!(app.index.rows.len(), 5);
    keys(&mut app, "<enter>");
    assert!(screen(&app).contains("</def>"));
    keys(&mut app, "<esc>");
    assert_eq!(app.index.rows.len(), 6);
    keys(
        &mut app,
        ":ns<enter>/-l kubernetes.io/metadata.name=test<enter>",
    );
    assert_eq!(app.index.rows.len(), 1);
    assert_eq!(app.selected_target().unwrap().name, "test");
    keys(&mut app, "/<c-u>!kube<enter>");
    assert_eq!(app.index.rows.len(), 2);
    keys(&mut app, "/-l a=b,=<esc>");
    assert_eq!(app.index.rows.len(), 2, "esc restores the previous filter");
}

#[test]
fn tab_completes_and_up_recalls_history() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":tok<tab>");
    assert_eq!(app.ui.prompt.as_ref().unwrap().text, "tokens ");
    keys(&mut app, "<esc>:se<tab>");
    let p = app.ui.prompt.as_ref().unwrap();
    assert_eq!(p.completions, ["secrets", "serviceaccounts"]);
    keys(&mut app, "<tab>");
    assert_eq!(app.ui.prompt.as_ref().unwrap().text, "secrets");
    keys(&mut app, "<tab>");
    assert_eq!(app.ui.prompt.as_ref().unwrap().text, "serviceaccounts");
    keys(&mut app, "<esc>:ns<enter>:<up>");
    assert_eq!(app.ui.prompt.as_ref().unwrap().text, "ns");
    keys(&mut app, "<esc>:describe pod <tab>");
    assert_eq!(
        app.ui.prompt.as_ref().unwrap().completions,
        ["ci-runner", "nginx"]
    );
    keys(&mut app, "<esc>:describe pod n<tab>");
    assert_eq!(app.ui.prompt.as_ref().unwrap().text, "describe pod nginx ");
}

#[test]
fn help_lists_every_key_of_the_view_from_the_keymap() {
    let mut app = demo_app(120, 40);
    keys(&mut app, "?");
    assert!(matches!(app.ui.overlay, Some(Overlay::Help { .. })));
    // Wide enough that no description wraps.
    let lines = kidex::tui::view::help::lines(&app, 400);
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    for c in [
        kidex::tui::keymap::Context::Global,
        kidex::tui::keymap::Context::List,
    ] {
        for b in app.keymap.bindings(c) {
            assert!(text.contains(&b.desc), "help lacks {:?}", b.desc);
        }
    }
    keys(&mut app, "<esc>");
    assert!(app.ui.overlay.is_none());
}

#[test]
fn themes_switch_at_the_prompt_and_errors_are_logged() {
    let mut app = demo_app(80, 24);
    keys(&mut app, ":theme high-contrast<enter>");
    assert_eq!(app.theme.name, "high-contrast");
    let effects = keys(&mut app, ":theme neon<enter>");
    assert_eq!(app.theme.name, "high-contrast");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Log(l) if l.contains("no theme \"neon\""))),
        "{effects:?}"
    );
}

#[test]
fn a_user_keymap_rebinds_keys() {
    let user = r#"global = [ { on = "Q", run = "quit", desc = "Quit" }, { on = "q", run = "view tokens", desc = "Tokens" } ]"#;
    let keymap = Keymap::default_keymap()
        .with_overrides(user, "keymap.toml")
        .unwrap();
    let mut app = demo_app(120, 40).with_keymap(keymap);
    assert!(!keys(&mut app, "q").contains(&Effect::Quit));
    assert_eq!(
        route(&app).list_route().map(|l| l.listing),
        Some(Listing::Tokens)
    );
    assert!(keys(&mut app, "Q").contains(&Effect::Quit));
}

#[test]
fn quitting_saves_when_asked_to() {
    let without_redraws = |effects: Vec<Effect>| -> Vec<Effect> {
        effects
            .into_iter()
            .filter(|e| *e != Effect::Redraw)
            .collect()
    };
    let mut app = demo_app(80, 24);
    assert_eq!(keys(&mut app, "q"), vec![Effect::Quit]);
    let mut app = demo_app(80, 24).with_options(kidex::tui::app::AppOptions {
        save_on_quit: Some("out.yaml".into()),
        ..Default::default()
    });
    assert_eq!(
        without_redraws(keys(&mut app, ":q<enter>")),
        vec![Effect::Save("out.yaml".into()), Effect::Quit]
    );
}

#[test]
fn apply_asks_the_loop_for_its_files_then_applies_them() {
    let mut app = demo_app(120, 40);
    let effects = keys(&mut app, ":apply -f sa.yaml<enter>");
    let Some((line, paths)) = effects.iter().find_map(|e| match e {
        Effect::ReadFiles { line, paths } => Some((line.clone(), paths.clone())),
        _ => None,
    }) else {
        panic!("{effects:?}")
    };
    assert_eq!(paths, ["sa.yaml"]);
    let manifest =
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: from-file\n  namespace: test\n";
    app.handle(Event::FilesRead {
        line,
        files: vec![("sa.yaml".into(), Ok(manifest.into()))],
    });
    assert!(
        app.sim
            .store()
            .service_accounts
            .contains("test", "from-file")
    );
    assert!(message(&app).contains("created"), "{}", message(&app));
}

#[test]
fn mouse_wheel_scrolls_and_clicks_select_open_and_switch_tabs() {
    let mut app = demo_app(120, 40);
    // Rows start under the header (2 lines), the border and the column titles: row 4.
    let click = |row, column| {
        Event::Mouse(Mouse {
            kind: MouseKind::Click,
            column,
            row,
        })
    };
    app.handle(Event::Mouse(Mouse {
        kind: MouseKind::ScrollDown,
        column: 10,
        row: 10,
    }));
    assert_eq!(app.ui.screen().list.cursor, 3);
    app.handle(click(9, 10));
    assert_eq!(app.selected_target().unwrap().path(), "test/nginx");
    app.handle(click(9, 10));
    assert!(matches!(
        route(&app),
        Route::ServiceAccount {
            tab: SaTab::Tokens,
            ..
        }
    ));
    // The tabs line is the first inside the block: " Tokens   Pods   Secrets ..."
    app.handle(click(3, 12));
    assert!(matches!(
        route(&app),
        Route::ServiceAccount {
            tab: SaTab::Pods,
            ..
        }
    ));
    keys(&mut app, "<tab><tab>");
    assert!(matches!(
        route(&app),
        Route::ServiceAccount {
            tab: SaTab::Bindings,
            ..
        }
    ));
    // The breadcrumbs are on the second-last line; the first one goes back to the start.
    app.handle(click(38, 3));
    assert_eq!(app.ui.stack.len(), 1);
}

#[test]
fn resizing_keeps_the_selection_visible() {
    let mut app = demo_app(120, 40);
    keys(&mut app, "G");
    app.handle(Event::Resize(80, 12));
    let list = &app.ui.screen().list;
    assert_eq!(list.cursor, 5);
    assert!(list.offset + app.viewport_rows() > list.cursor);
    assert!(screen(&app).contains("nginx"));
}

#[test]
fn x_on_a_secret_decodes_its_data_and_any_token_in_it() {
    use base64::Engine;
    use kidex::sim::command::{Command, Outcome};
    use kidex::sim::objects::Object;
    let mut app = demo_app(120, 40);
    let Ok(Outcome::Token(t)) = app.sim.execute(Command::CreateToken {
        namespace: "default".into(),
        service_account: "build-robot".into(),
        spec: Default::default(),
    }) else {
        panic!("token request failed")
    };
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let secret = serde_json::json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "robot-creds", "namespace": "default"},
        "data": {"note": b64("kept by CI"), "token": b64(&t.token)}});
    app.sim
        .execute(Command::Apply(Object::from_value(secret).unwrap()))
        .unwrap();
    app.generation += 1;
    keys(&mut app, ":secrets<enter>x");
    let text = screen(&app);
    assert!(
        text.contains("Secret default/robot-creds (Opaque)"),
        "{text}"
    );
    assert!(text.contains("kept by CI"), "{text}");
    assert!(text.contains("token: a JWT"), "{text}");
    assert!(text.contains("Signature: valid"), "{text}");
}

#[test]
fn c_asks_the_rbac_authorizer_for_the_selected_service_account() {
    let mut app = demo_app(120, 40);
    // default/admin-reviewer is bound to system:auth-delegator.
    keys(&mut app, ":sa default<enter>ccreate tokenreviews<enter>");
    let s = screen(&app);
    assert!(
        s.contains(
            "auth can-i create tokenreviews -A --as system:serviceaccount:default:admin-reviewer"
        ),
        "{s}"
    );
    assert!(s.contains("│yes"), "{s}");
    assert!(s.contains("ClusterRole \"system:auth-delegator\""), "{s}");
    // build-robot may not read secrets in its namespace.
    keys(&mut app, "<esc>jcget secrets<enter>");
    let s = screen(&app);
    assert!(
        s.contains(
            "auth can-i get secrets -n default --as system:serviceaccount:default:build-robot"
        ),
        "{s}"
    );
    assert!(s.contains("│no"), "{s}");
    keys(&mut app, "<esc>cget<enter>");
    assert!(
        message(&app).contains("type a verb and a resource"),
        "{}",
        message(&app)
    );
}

#[test]
fn the_issuer_view_shows_trust_windows() {
    let mut app = demo_app(120, 40);
    keys(
        &mut app,
        ":issuer set https://issuer.example.com --keep-previous 24h<enter>:issuer<enter>",
    );
    let s = screen(&app);
    assert!(
        s.contains(
            "https://issuer.example.com                           signs new tokens · accepted"
        ),
        "{s}"
    );
    assert!(
        s.contains("https://kubernetes.default.svc.cluster.local         accepted until 2026-11-24T10:00:00Z (in 24h0m0s)"),
        "{s}"
    );
}

#[test]
fn legacy_tokens_never_expire_on_screen() {
    let sim = kidex::state::open(std::path::Path::new("demo-state/openshift.yaml"), None).unwrap();
    let mut app = kidex::tui::app::App::new(sim).with_size(120, 40);
    keys(&mut app, ":tokens<enter>");
    let s = screen(&app);
    assert!(s.contains("never expires (legacy token)"), "{s}");
    assert!(s.contains("░»"), "{s}");
    keys(&mut app, "x");
    assert!(
        screen(&app).contains("(none: this token never expires)"),
        "{}",
        screen(&app)
    );
    keys(&mut app, "<esc>d");
    assert!(screen(&app).contains("never expires"), "{}", screen(&app));
}
