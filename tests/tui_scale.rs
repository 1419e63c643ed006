//! Drawing costs what the screen shows, not what the cluster holds: with 10 000 service accounts
//! a frame costs about what it costs with 100, and scrolling through them stays quick.

mod tui_support;

use std::time::{Duration, Instant};

use kidex::sim::Simulator;
use kidex::sim::objects::Object;
use kidex::tui::app::App;
use kidex::tui::screen::render;
use serde_json::json;
use tui_support::keys;

/// A generated cluster (100 pods) plus `extra` service accounts over 100 namespaces.
fn cluster(extra: usize) -> Simulator {
    let mut snap = kidex::state::generate::scale_snapshot(100, 7).unwrap();
    for i in 0..extra {
        let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": format!("robot-{i:05}"), "namespace": format!("team-{}", i % 100),
                         "creationTimestamp": "2026-11-01T00:00:00Z"}});
        snap.objects.push(Object::from_value(sa).unwrap());
    }
    for n in 0..100.min(extra) {
        let ns = json!({"apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": format!("team-{n}"), "creationTimestamp": "2026-11-01T00:00:00Z"}});
        snap.objects.push(Object::from_value(ns).unwrap());
    }
    Simulator::restore(snap).unwrap()
}

/// The median time of drawing a frame after each of `steps` page-downs.
#[allow(clippy::disallowed_methods)] // This test is about time: it measures frames.
fn median_frame(app: &mut App, steps: usize) -> Duration {
    let mut times: Vec<Duration> = (0..steps)
        .map(|_| {
            keys(app, "<pgdown>");
            let start = Instant::now();
            let buf = render(app);
            let took = start.elapsed();
            assert!(buf.area.width > 0);
            took
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

#[test]
#[allow(clippy::disallowed_methods)] // This test is about time: it measures frames.
fn ten_thousand_service_accounts_scroll_at_the_cost_of_one_screen() {
    let mut big = App::new(cluster(10_000)).with_size(120, 40);
    assert!(big.index.rows.len() > 10_000);
    let mut small = App::new(cluster(0)).with_size(120, 40);
    // Warm both up (first-use allocations), then compare.
    median_frame(&mut small, 3);
    median_frame(&mut big, 3);
    let small_frame = median_frame(&mut small, 15);
    let big_frame = median_frame(&mut big, 15);
    eprintln!("frame: {big_frame:?} over 10 000 accounts, {small_frame:?} over few");
    // O(rows) drawing would make the big frame ~40× the small one.
    assert!(
        big_frame < small_frame * 6 + Duration::from_millis(5),
        "a frame over 10 000 accounts took {big_frame:?}, over {} accounts {small_frame:?}",
        small.index.rows.len()
    );
    // Jumping to the end and back moves the window, not the work.
    let start = Instant::now();
    for _ in 0..20 {
        keys(&mut big, "G");
        render(&big);
        keys(&mut big, "g");
        render(&big);
    }
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "40 jumps and frames took {:?}",
        start.elapsed()
    );
    assert_eq!(big.ui.screen().list.cursor, 0);
}
