//! Tables: only the visible rows are computed and drawn. Columns take the width their visible
//! cells need; on narrow screens the least important columns go first.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::sim::objects::Kind;
use crate::tui::app::App;
use crate::tui::cells::{self, Cell, Column, ColumnKind};
use crate::tui::theme::Role;
use crate::tui::ui_state::{Listing, TargetKind};
use crate::tui::widgets::lifetime_bar;
use crate::tui::widgets::text::{put, width, wrap};

const GAP: u16 = 2;
const MIN_COLUMN: u16 = 6;
/// How narrow a text column may get before whole columns are dropped instead.
const NARROWED: u16 = 12;
/// Columns of this priority or more are dropped rather than narrowed.
const OPTIONAL: u8 = 5;

/// Where each shown column goes: (column index, x offset, width).
pub fn fit_columns(
    columns: &[Column],
    rows: &[Vec<Cell>],
    total: u16,
    bar: u16,
) -> Vec<(usize, u16, u16)> {
    let natural: Vec<u16> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let header = width(c.name) as u16 + 1;
            let cells = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|cell| match cell {
                    Cell::Lifetime(_) => bar,
                    other => width(&other.text()) as u16,
                })
                .max()
                .unwrap_or(0);
            let cap = if c.kind == ColumnKind::Lifetime {
                bar
            } else {
                c.max
            };
            header.max(cells).min(cap.max(header))
        })
        .collect();
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    let need = |shown: &[usize], widths: &[u16]| -> u16 {
        shown.iter().map(|&i| widths[i]).sum::<u16>() + GAP * shown.len().saturating_sub(1) as u16
    };
    // Nice-to-have columns go before anything is narrowed.
    while need(&shown, &natural) > total {
        let Some(pos) = shown.iter().rposition(|&i| columns[i].priority >= OPTIONAL) else {
            break;
        };
        shown.remove(pos);
    }
    // Drop columns while even narrowed ones would not fit.
    let narrowest: Vec<u16> = natural
        .iter()
        .zip(columns)
        .map(|(w, c)| {
            if c.kind == ColumnKind::Lifetime {
                *w
            } else {
                (*w).min(NARROWED)
            }
        })
        .collect();
    let mut widths = natural.clone();
    while need(&shown, &narrowest) > total {
        let drop = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| columns[**i].priority > 0)
            .max_by_key(|(pos, i)| (columns[**i].priority, *pos))
            .map(|(pos, _)| pos);
        match drop {
            Some(pos) => {
                shown.remove(pos);
            }
            None => break,
        }
    }
    // Still too wide: take a cell at a time from the widest text column, so the squeeze is
    // shared.
    while need(&shown, &widths) > total {
        let widest = shown
            .iter()
            .copied()
            .filter(|&i| columns[i].kind != ColumnKind::Lifetime && widths[i] > MIN_COLUMN)
            .max_by_key(|&i| widths[i]);
        let Some(i) = widest else { break };
        widths[i] -= 1;
    }
    let mut x = 0;
    let mut out = Vec::new();
    for (n, &i) in shown.iter().enumerate() {
        let last = n + 1 == shown.len();
        let w = if last && columns[i].kind != ColumnKind::Lifetime {
            total.saturating_sub(x)
        } else {
            widths[i].min(total.saturating_sub(x))
        };
        out.push((i, x, w));
        x = x.saturating_add(w + GAP);
    }
    out
}

fn empty_message(app: &App) -> String {
    let Some(q) = app.index.query.as_ref() else {
        return String::new();
    };
    if !q.filter.is_empty() {
        return format!("No rows match /{}: esc clears the filter", q.filter);
    }
    let scope = match (&q.route.owner, &q.namespace) {
        (Some(o), _) => format!("for {}", o.path()),
        (None, Some(ns)) if q.route.listing.namespaced() => {
            format!("in namespace {ns} (0 shows all namespaces)")
        }
        _ => String::new(),
    };
    match (q.route.listing, &q.route.owner) {
        (Listing::Tokens, Some(o)) if o.is(Kind::ServiceAccount) => format!(
            "No tokens {scope} yet: n requests one (TokenRequest); pods that use this service account get projected tokens"
        ),
        (listing, _) => format!("No {} {scope}", listing.name()),
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.theme;
    let Some(query) = app.index.query.as_ref() else {
        return;
    };
    let list = &app.ui.screen().list;
    let height = usize::from(area.height.saturating_sub(1));
    let visible: Vec<_> = app
        .index
        .rows
        .iter()
        .skip(list.offset)
        .take(height)
        .collect();
    let rows: Vec<Vec<Cell>> = visible
        .iter()
        .map(|k| cells::cells(&app.sim, &query.route, &app.index.columns, k))
        .collect();
    let bar = if area.width >= 110 { 14 } else { 10 };
    let layout = fit_columns(&app.index.columns, &rows, area.width, bar);
    for &(i, x, w) in &layout {
        let c = &app.index.columns[i];
        let mut name = c.name.to_string();
        if let Some(s) = list.sort.filter(|s| s.column == i) {
            name.push(if s.descending { '↓' } else { '↑' });
        }
        put(
            buf,
            area.x + x,
            area.y,
            &name,
            usize::from(w),
            theme.style(Role::TableHeader),
        );
    }
    if visible.is_empty() {
        let room = usize::from(area.width.saturating_sub(2));
        for (i, line) in wrap(&empty_message(app), room).iter().enumerate() {
            put(
                buf,
                area.x + 1,
                area.y + 2 + i as u16,
                line,
                room,
                theme.style(Role::Muted),
            );
        }
        return;
    }
    for (n, (key, cells)) in visible.iter().zip(rows.iter()).enumerate() {
        let y = area.y + 1 + n as u16;
        let selected = list.offset + n == list.cursor;
        let token = match key.target.kind {
            TargetKind::Token(id) => Some(id),
            _ => None,
        };
        let flash = token.is_some_and(|id| app.ui.flashing(id));
        let dim = token.is_some_and(|id| cells::token_is_past(&app.sim, id));
        let row_style = theme.style(if selected {
            Role::RowSelected
        } else if flash {
            Role::RowFlash
        } else if dim {
            Role::RowDim
        } else {
            Role::Row
        });
        buf.set_style(Rect::new(area.x, y, area.width, 1), row_style);
        for &(i, x, w) in &layout {
            let Some(cell) = cells.get(i) else { continue };
            match cell {
                Cell::Lifetime(l) => {
                    lifetime_bar::draw(buf, area.x + x, y, w, l, theme, dim && !selected);
                }
                Cell::Status(s) if !selected && !flash => {
                    let style = if dim {
                        row_style
                    } else {
                        row_style.patch(theme.status(s))
                    };
                    put(buf, area.x + x, y, s, usize::from(w), style);
                }
                other => {
                    put(buf, area.x + x, y, &other.text(), usize::from(w), row_style);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &'static str, priority: u8) -> Column {
        Column {
            name,
            kind: ColumnKind::Text,
            priority,
            max: 48,
        }
    }

    #[test]
    fn narrow_screens_drop_the_least_important_columns_first() {
        let cols = [col("NAME", 0), col("RESTARTS", 6), col("STATUS", 1)];
        let rows = vec![vec![
            Cell::Text("nginx".into()),
            Cell::Text("0".into()),
            Cell::Text("Running".into()),
        ]];
        let all = fit_columns(&cols, &rows, 80, 10);
        assert_eq!(all.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 2]);
        let narrow = fit_columns(&cols, &rows, 20, 10);
        assert_eq!(narrow.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 2]);
        // The last column takes the rest of the line.
        assert_eq!(narrow[1].1 + narrow[1].2, 20);
        // Text columns narrow (with an ellipsis) before columns are dropped.
        let long = vec![vec![
            Cell::Text("a-very-long-service-account-name".into()),
            Cell::Text("0".into()),
            Cell::Text("Running".into()),
        ]];
        let cols = [col("NAME", 0), col("RESTARTS", 2), col("STATUS", 1)];
        let squeezed = fit_columns(&cols, &long, 36, 10);
        assert_eq!(squeezed.iter().map(|c| c.0).collect::<Vec<_>>(), [0, 1, 2]);
    }
}
