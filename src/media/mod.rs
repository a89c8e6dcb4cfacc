//! Cover images: checking, cleaning and resizing uploads (`process`), and
//! keeping and serving the files (`store`, a local directory for now).

pub mod process;
#[doc(hidden)]
pub mod samples;
pub mod store;

pub use process::{ImageError, Prepared, prepare, variant_widths};
pub use store::{MediaStore, new_image_id};
