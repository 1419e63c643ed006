//! Mouse: the wheel scrolls, a click selects a row (a click on the selected row opens it), picks
//! a tab, or presses a dialog button.

use super::action::Action;
use super::app::App;
use super::effect::Effect;
use super::event::{Mouse, MouseKind};
use super::ui_state::{Button, Overlay};
use super::view::{dialog, layout, tab_rects};

const WHEEL_ROWS: usize = 3;

fn inside(r: ratatui::layout::Rect, m: &Mouse) -> bool {
    r.contains(ratatui::layout::Position::new(m.column, m.row))
}

pub fn handle(app: &mut App, m: Mouse) -> Vec<Effect> {
    let area = ratatui::layout::Rect::new(0, 0, app.ui.size.0, app.ui.size.1);
    match (&app.ui.overlay, m.kind) {
        (Some(Overlay::Confirm(_)), MouseKind::Click) => {
            let (cancel, confirm) = dialog::buttons(area);
            if inside(confirm, &m) {
                if let Some(Overlay::Confirm(c)) = app.ui.overlay.as_mut() {
                    c.focus = Button::Confirm;
                }
                return app.dialog_action(Action::Confirm);
            }
            if inside(cancel, &m) {
                return app.dialog_action(Action::Cancel);
            }
            return Vec::new();
        }
        (Some(Overlay::Confirm(_)), _) => return Vec::new(),
        (Some(Overlay::Help { .. }), MouseKind::Click) => {
            app.ui.overlay = None;
            return Vec::new();
        }
        (Some(Overlay::Help { scroll }), wheel) => {
            let scroll = if wheel == MouseKind::ScrollUp {
                scroll.saturating_sub(WHEEL_ROWS)
            } else {
                scroll + WHEEL_ROWS
            };
            app.ui.overlay = Some(Overlay::Help {
                scroll: scroll.min(super::view::help::max_scroll(app)),
            });
            return Vec::new();
        }
        (None, _) => {}
    }
    let a = layout::areas(app);
    match m.kind {
        MouseKind::ScrollUp | MouseKind::ScrollDown => {
            let action = if m.kind == MouseKind::ScrollUp {
                Action::Up
            } else {
                Action::Down
            };
            for _ in 0..WHEEL_ROWS {
                app.update(action.clone());
            }
            Vec::new()
        }
        MouseKind::Click => {
            if inside(a.crumbs, &m) {
                let rects = super::view::footer::crumb_rects(app, a.crumbs);
                if let Some(depth) = rects.iter().position(|(_, r)| inside(*r, &m)) {
                    app.ui.stack.truncate(depth + 1);
                }
                return Vec::new();
            }
            if let Some(tabs) = a.tabs
                && inside(tabs, &m)
            {
                if let Some((tab, _)) = tab_rects(tabs).into_iter().find(|(_, r)| inside(*r, &m)) {
                    app.set_tab(tab);
                }
                return Vec::new();
            }
            if app.is_list() && inside(a.content, &m) && m.row > a.content.y {
                let list = &app.ui.screen().list;
                let index = list.offset + usize::from(m.row - a.content.y - 1);
                if index >= app.index.rows.len() {
                    return Vec::new();
                }
                if index == list.cursor {
                    return app.update(Action::Enter);
                }
                let id = app.index.rows[index].id.clone();
                let list = &mut app.ui.screen_mut().list;
                list.cursor = index;
                list.selected = Some(id);
            }
            Vec::new()
        }
    }
}
