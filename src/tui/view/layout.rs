//! Where everything goes. The same function serves drawing and the app (page sizes, mouse
//! clicks), so they always agree.

use ratatui::layout::Rect;

use crate::tui::app::App;
use crate::tui::ui_state::Route;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    /// Cluster, clock and speed.
    pub header: Rect,
    /// Key hints.
    pub hints: Rect,
    /// The main block, borders included.
    pub body: Rect,
    /// A service account's tabs, inside the body.
    pub tabs: Option<Rect>,
    /// The table (its header row first) or the text.
    pub content: Rect,
    /// The detail pane under the table.
    pub pane: Option<Rect>,
    pub crumbs: Rect,
    /// The message line, or the prompt.
    pub message: Rect,
}

/// Screens at least this tall get the detail pane.
pub const PANE_MIN_HEIGHT: u16 = 32;
const PANE_HEIGHT: u16 = 10;

fn row(area: Rect, y: u16) -> Rect {
    Rect::new(area.x, y, area.width, 1)
}

pub fn areas_in(app: &App, area: Rect) -> Areas {
    let top = area.y;
    let bottom = area.bottom();
    let header = row(area, top);
    let hints = row(area, top + 1);
    let crumbs = row(area, bottom.saturating_sub(2));
    let message = row(area, bottom.saturating_sub(1));
    let body_top = top + 2;
    let body_height = crumbs.y.saturating_sub(body_top);
    let with_pane = app.ui.show_pane && app.is_list() && area.height >= PANE_MIN_HEIGHT;
    let (body, pane) = if with_pane {
        let h = body_height.saturating_sub(PANE_HEIGHT);
        (
            Rect::new(area.x, body_top, area.width, h),
            Some(Rect::new(area.x, body_top + h, area.width, PANE_HEIGHT)),
        )
    } else {
        (Rect::new(area.x, body_top, area.width, body_height), None)
    };
    let inner = Rect::new(
        body.x + 1,
        body.y + 1,
        body.width.saturating_sub(2),
        body.height.saturating_sub(2),
    );
    let (tabs, content) = match app.ui.screen().route {
        Route::ServiceAccount { .. } => (
            Some(Rect::new(inner.x, inner.y, inner.width, 1)),
            Rect::new(
                inner.x,
                inner.y + 1,
                inner.width,
                inner.height.saturating_sub(1),
            ),
        ),
        _ => (None, inner),
    };
    Areas {
        header,
        hints,
        body,
        tabs,
        content,
        pane,
        crumbs,
        message,
    }
}

/// The areas of the whole terminal.
pub fn areas(app: &App) -> Areas {
    let (w, h) = app.ui.size;
    areas_in(app, Rect::new(0, 0, w, h))
}
