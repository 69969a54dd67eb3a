//! Custom hooks: the animation-frame loop and the page-wide keyboard shortcuts. Both keep the
//! newest handler in a ref, so the browser-side registration happens once per activation and is
//! undone (handle dropped, listener removed) when the component unmounts or the loop stops.

mod use_animation_loop;
mod use_global_keys;

pub use use_animation_loop::use_animation_loop;
pub use use_global_keys::{use_document_keydown, use_global_keys};
