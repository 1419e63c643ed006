//! Every screen of the TUI, drawn at 120×40 and 80×24 on the built-in demo cluster at its fixed
//! instant (2026-11-23T10:00:00Z), after the keys that reach it. The snapshots are the text of
//! the screen; review changes with `cargo insta review`, and CI runs with INSTA_UPDATE=no.

mod tui_support;

use kidex::tui::screen::{render, to_styled};
use tui_support::{SIZES, demo_app, keys, screen, wall};

/// Draws the screen the keys lead to, at both sizes.
fn check(name: &str, tape: &str) {
    for (w, h) in SIZES {
        let mut app = demo_app(w, h);
        keys(&mut app, tape);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&app));
    }
}

#[test]
fn service_accounts_open_first() {
    check("service_accounts", "");
}

#[test]
fn namespaces() {
    check("namespaces", ":ns<enter>");
}

#[test]
fn secrets_empty() {
    check("secrets", ":secrets<enter>");
}

#[test]
fn pods() {
    check("pods", ":pods<enter>");
}

#[test]
fn nodes() {
    check("nodes", ":nodes<enter>");
}

#[test]
fn config_maps() {
    check("configmaps", ":cm<enter>");
}

#[test]
fn roles_and_cluster_roles() {
    check("roles", ":roles<enter>");
    check("clusterroles", ":clusterroles<enter>");
}

#[test]
fn role_bindings_and_cluster_role_bindings() {
    check("rolebindings", ":rb<enter>");
    check("clusterrolebindings", ":crb<enter>");
}

#[test]
fn events() {
    check("events", ":events<enter>");
}

#[test]
fn tokens_before_and_after_a_refresh() {
    check("tokens", ":tokens<enter>");
    // `]` runs the kubelet's first refresh (10:48:04): the row's jti changes and lights up.
    check("tokens_refreshed", ":tokens<enter>]");
    check("tokens_history", ":tokens<enter>]H");
}

#[test]
fn a_service_account_and_its_tabs() {
    check("sa_nginx_tokens", ":sa test<enter>j<enter>");
    check("sa_nginx_pods", ":sa test<enter>j<enter><tab>");
    check("sa_admin_reviewer_bindings", "<enter><tab><tab><tab>");
    check(
        "sa_admin_reviewer_permissions",
        "<enter><tab><tab><tab><tab>",
    );
    check("sa_build_robot_tokens", "j<enter>");
}

#[test]
fn pod_tokens() {
    check("pod_nginx_tokens", ":pods<enter>j<enter>");
}

#[test]
fn issuer() {
    check("issuer", ":issuer<enter>");
}

#[test]
fn decode_a_projected_token() {
    check("decode", ":tokens<enter>x");
}

#[test]
fn describe_and_yaml() {
    check("describe_pod", ":pods<enter>jd");
    check("yaml_pod", ":pods<enter>y");
    check("describe_token", ":tokens<enter>jd");
    check("yaml_token", ":tokens<enter>y");
}

#[test]
fn help_overlay() {
    check("help", "?");
    check("help_tokens", ":tokens<enter>?");
}

#[test]
fn an_error_message() {
    check("error", ":get frobs<enter>");
}

#[test]
fn prompts_filter_and_completion() {
    check("prompt_completion", ":tok");
    check("prompt_candidates", ":se<tab>");
    check("filter", "/nginx<enter>");
}

#[test]
fn delete_confirmation() {
    check("confirm_delete", ":pods<enter><c-d>");
}

#[test]
fn paused_at_speed() {
    check("paused", "+++<space>");
}

#[test]
fn command_output() {
    check("output_get", ":get sa -A -o wide<enter>");
}

#[test]
fn a_review_against_chosen_audiences() {
    check("review", ":tokens<enter>r<enter>");
}

/// Colour matters on the token view: the bar turns from green to yellow past the refresh mark.
#[test]
fn token_lifetime_colours() {
    let mut app = demo_app(120, 40);
    keys(&mut app, ":tokens<enter>+++");
    wall(&mut app, 1);
    // 10:00:00 + 600 s × 5 = 10:50:00: the API token was refreshed at 10:48:04 (its new one is
    // fresh, green); the vault token is 42 % through its life (green), its mark still ahead.
    wall(&mut app, 4);
    // The column titles and the two rows.
    insta::assert_snapshot!("token_colours_120x40", to_styled(&render(&app), 3..6));
}

/// Wide (CJK) characters: an annotation in Japanese, described at both sizes. Every line fits
/// the screen exactly, and no character is cut in half at the edge.
#[test]
fn wide_characters_are_never_cut_in_half() {
    use kidex::sim::command::Command;
    use kidex::sim::objects::Object;
    let sa = serde_json::json!({"apiVersion": "v1", "kind": "ServiceAccount",
        "metadata": {"name": "tokyo", "namespace": "default",
            "annotations": {"description": "東京のチームが使うサービスアカウントです。トークンは一時間で期限切れになります。"}}});
    // The two sizes, and odd widths where a wide character meets the edge.
    for (w, h) in SIZES.into_iter().chain([(79, 24), (81, 30), (101, 30)]) {
        let mut app = demo_app(w, h);
        app.sim
            .execute(Command::Apply(Object::from_value(sa.clone()).unwrap()))
            .unwrap();
        app.generation += 1;
        keys(&mut app, "/tokyo<enter>d");
        let text = screen(&app);
        for line in text.lines() {
            assert!(
                kidex::tui::widgets::text::width(line) <= usize::from(w),
                "{line}"
            );
        }
        assert!(text.contains("東京のチーム"), "{text}");
        if SIZES.contains(&(w, h)) {
            insta::assert_snapshot!(format!("cjk_describe_{w}x{h}"), text);
        }
    }
}
