//! The server-rendered pages. Each page builds its view from service calls
//! and renders one template inside `base.html`.

mod association;
mod layout;
mod root;

pub use layout::error_page;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root::index))
        .route("/a/{slug}", get(association::redirect_home))
        .route("/a/{slug}/", get(association::home))
        .route("/a/{slug}/privacy", get(association::privacy))
        .route("/a/{slug}/accessibility", get(association::accessibility))
        .route("/a/{slug}/logo", get(association::logo))
        .route("/a/{slug}/brand.css", get(association::brand_css))
}
