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
//! - [`card`]: [`card::render_card`] draws a 1200×630 Open Graph PNG for a
//!   page, with fonts the site controls ([`fonts::CardFonts`]) and titles
//!   wrapped by measured width ([`layout`]).
//!
//! Everything here handles files and text that users write, so nothing
//! indexes or slices without `get`, and nothing panics.

#![deny(clippy::indexing_slicing, clippy::string_slice)]

pub mod cache;
pub mod card;
pub mod fonts;
pub mod image;
pub mod layout;
mod probe;
