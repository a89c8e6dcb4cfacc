//! Cover images: checking, cleaning and resizing uploads (`process`),
//! keeping and serving the files (`store`, a local directory for now), and
//! the whole step of setting an article's cover (`covers`).

pub(crate) mod covers;
pub(crate) mod process;
/// Pictures made in code, for tests and benches only.
#[cfg(any(test, feature = "test-support"))]
pub mod samples;
pub(crate) mod store;

pub use process::{ImageError, Prepared, prepare, variant_widths};
pub use store::{MediaStore, new_image_id};
