//! Media for pages: responsive images beside content, and share cards.
//!
//! Library modules with no knowledge of the build: the pipeline decides
//! which files are images, where variants and cards go and how they are
//! named, and calls these functions.
//!
//! - [`image`]: [`image::probe`] reads an image's format and size;
//!   [`image::variants`] makes narrower copies for `srcset`, cached on disk
//!   by [`cache::ImageCache`] so that a rebuild encodes nothing;
//!   [`image::srcset`] writes the attribute.
//!
//! Everything here handles files and text that users write, so nothing
//! indexes or slices without `get`, and nothing panics.

#![deny(clippy::indexing_slicing, clippy::string_slice)]

pub mod cache;
pub mod image;
