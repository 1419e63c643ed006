//! The async loop itself, on tokio's paused clock: input arrives as a stream with gaps of
//! (virtual) wall time, the loop turns those gaps into simulated seconds, draws into a
//! `TestBackend`, and stops on `q`. Nothing waits on real time.

mod tui_support;

use std::time::Duration;

use futures_util::stream;
use kidex::tui::event::{Event, Key, parse_keys};
use kidex::tui::{Log, run_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_support::demo_app;

/// Keys, each after a pause of wall time.
fn script(steps: Vec<(u64, &str)>) -> Vec<(Duration, Event)> {
    steps
        .into_iter()
        .flat_map(|(ms, tape)| {
            parse_keys(tape)
                .unwrap()
                .into_iter()
                .enumerate()
                .map(move |(i, k): (usize, Key)| {
                    let wait = if i == 0 { ms } else { 0 };
                    (Duration::from_millis(wait), Event::Key(k))
                })
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn the_loop_runs_the_clock_by_wall_time_and_quits_on_q() {
    let mut app = demo_app(100, 30);
    let t0 = app.sim.now();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let steps = script(vec![(0, ":tokens<enter>"), (3_000, "+"), (2_000, "q")]);
    let input = Box::pin(stream::unfold(steps.into_iter(), |mut it| async move {
        let (wait, event) = it.next()?;
        tokio::time::sleep(wait).await;
        Some((event, it))
    }));
    run_loop(&mut app, &mut terminal, input, &mut Log::none())
        .await
        .unwrap();
    // 3 s at 1×, then 2 s at 10×.
    assert_eq!((app.sim.now() - t0).num_seconds(), 3 + 20);
    let screen = kidex::tui::screen::to_text(terminal.backend().buffer());
    // The last frame drawn is the second before `q` (which quits without drawing).
    assert!(screen.contains("10:00:22"), "{screen}");
    assert!(screen.contains("tokens(all)"), "{screen}");
}

#[tokio::test(start_paused = true)]
async fn a_paused_clock_leaves_the_loop_idle_until_input() {
    let mut app = demo_app(100, 30);
    let t0 = app.sim.now();
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let steps = script(vec![(0, "<space>"), (3_600_000, "q")]);
    let input = Box::pin(stream::unfold(steps.into_iter(), |mut it| async move {
        let (wait, event) = it.next()?;
        tokio::time::sleep(wait).await;
        Some((event, it))
    }));
    run_loop(&mut app, &mut terminal, input, &mut Log::none())
        .await
        .unwrap();
    assert_eq!(
        app.sim.now(),
        t0,
        "an hour of wall time passed while paused"
    );
}
