//! The detail pane under a table: for a token, its lifetime as a wide bar and a timeline; for
//! anything else, the top of its describe.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::present::describe::describe;
use crate::present::lifetime::Lifetime;
use crate::present::token::{short_jti, status_text};
use crate::sim::clock::format_rfc3339;
use crate::tui::app::App;
use crate::tui::theme::Role;
use crate::tui::ui_state::TargetKind;
use crate::tui::widgets::lifetime_bar;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(key) = app.selected() else {
        Block::bordered()
            .border_style(theme.style(Role::Border))
            .render(area, buf);
        return;
    };
    let block = Block::bordered()
        .border_style(theme.style(Role::Border))
        .title(Span::styled(
            format!(" {} ", key.target.path()),
            theme.style(Role::Title),
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    match key.target.kind {
        TargetKind::Token(id) => {
            let Some(r) = app.sim.ledger().get(id) else {
                return;
            };
            let now = app.sim.now();
            let life = Lifetime::of(r, now);
            let status = app.sim.token_status(r);
            let head = Line::from(vec![
                Span::styled(
                    format!("{}  ", short_jti(r)),
                    theme.style(Role::HeaderValue),
                ),
                Span::styled(status_text(&status), theme.status(&status_text(&status))),
                Span::styled(
                    format!("  {}  ·  {}", life.next_step(), r.holder),
                    theme.style(Role::Row),
                ),
            ]);
            Paragraph::new(head).render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
            lifetime_bar::draw(buf, inner.x, inner.y + 2, inner.width, &life, theme, false);
            let lines: Vec<Line> = life
                .milestones()
                .into_iter()
                .map(|(label, t)| {
                    Line::from(vec![
                        Span::styled(format!("{label:<24}"), theme.style(Role::HeaderLabel)),
                        Span::styled(format_rfc3339(t), theme.style(Role::Row)),
                        Span::styled(
                            format!("  {}", crate::present::age::relative(t - now)),
                            theme.style(Role::Muted),
                        ),
                    ])
                })
                .collect();
            Paragraph::new(lines).render(
                Rect::new(
                    inner.x,
                    inner.y + 3,
                    inner.width,
                    inner.height.saturating_sub(3),
                ),
                buf,
            );
        }
        TargetKind::Object(kind) => {
            let t = &key.target;
            let text = describe(&app.sim, kind, &t.namespace, &t.name).unwrap_or_default();
            let lines: Vec<Line> = text
                .lines()
                .take(usize::from(inner.height))
                .map(|l| Line::from(Span::styled(l.to_string(), theme.style(Role::Row))))
                .collect();
            Paragraph::new(lines).render(inner, buf);
        }
        TargetKind::Event(_) => {
            let lines: Vec<Line> = app
                .sim
                .events()
                .iter()
                .rev()
                .find(|e| format!("event:{}", e.seq) == key.id)
                .map(|e| {
                    vec![
                        Line::from(Span::styled(
                            format!(
                                "{}  {}  {}",
                                format_rfc3339(e.time),
                                e.reason,
                                e.object.short()
                            ),
                            theme.style(Role::HeaderValue),
                        )),
                        Line::from(Span::styled(e.message.clone(), theme.style(Role::Row))),
                    ]
                })
                .unwrap_or_default();
            Paragraph::new(lines)
                .wrap(ratatui::widgets::Wrap { trim: false })
                .render(inner, buf);
        }
    }
}
