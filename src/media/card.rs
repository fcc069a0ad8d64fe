//! Share cards: the 1200×630 PNG that social sites show for a page
//! (`og:image`), drawn at build time from the page's title.
//!
//! The card is an SVG with `<text>` elements, rendered by `resvg` with
//! only the fonts in [`CardFonts`]. The page title is wrapped by measured
//! width into at most [`TITLE_MAX_LINES`] lines, in the largest size that
//! fits, and cut with an ellipsis only when even the smallest does not.

use std::fmt::Write as _;
use std::path::PathBuf;

use resvg::{tiny_skia, usvg};

use super::fonts::{BOLD, CardFonts, REGULAR};
use super::layout::{Fitted, Measured, measure};

/// Card width in pixels (Open Graph's recommended 1.91:1).
pub const CARD_WIDTH: u32 = 1200;
/// Card height in pixels.
pub const CARD_HEIGHT: u32 = 630;
/// The page title takes at most this many lines.
pub const TITLE_MAX_LINES: usize = 4;
/// Title sizes tried, largest first, in pixels.
const TITLE_SIZES: [f32; 8] = [72.0, 66.0, 60.0, 56.0, 52.0, 48.0, 44.0, 40.0];
const SITE_TITLE_SIZE: f32 = 30.0;
const KICKER_SIZE: f32 = 28.0;
const LINE_HEIGHT: f32 = 1.2;
/// Left edge of the text; the accent bar sits left of it.
const MARGIN_LEFT: f32 = 96.0;
const MARGIN_RIGHT: f32 = 80.0;
const TEXT_WIDTH: f32 = CARD_WIDTH as f32 - MARGIN_LEFT - MARGIN_RIGHT;
const ACCENT_BAR_WIDTH: f32 = 24.0;
/// Bump when the drawing changes, so cached cards are redrawn.
pub const RENDER_VERSION: u32 = 1;

/// Why a card could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// A font file named by the site could not be read.
    #[error("cannot read the font file {}: {source}", path.display())]
    FontFile {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// A font file named by the site holds no font dossier can use.
    #[error("{} is not a TrueType or OpenType font (or collection)", path.display())]
    NotAFont {
        /// The file.
        path: PathBuf,
    },
    /// The text has characters that no loaded font has; drawing them
    /// would show empty boxes.
    #[error(
        "no font for {}: add a font file that has them to the share card fonts",
        describe_chars(chars)
    )]
    MissingGlyphs {
        /// Each missing character once, in order of appearance.
        chars: Vec<char>,
    },
    /// resvg could not parse or draw the card (a bug in dossier).
    #[error("cannot draw the share card: {0}")]
    Render(String),
}

fn describe_chars(chars: &[char]) -> String {
    chars
        .iter()
        .map(|c| format!("“{c}” (U+{:04X})", u32::from(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The site's colours, as sRGB bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardStyle {
    /// The card's background.
    pub background: [u8; 3],
    /// Titles.
    pub foreground: [u8; 3],
    /// The bar on the left and the kicker.
    pub accent: [u8; 3],
}

impl Default for CardStyle {
    /// The default theme's light palette (`static/style.css`: `--bg`,
    /// `--fg`, `--accent`).
    fn default() -> CardStyle {
        CardStyle {
            background: [0xfd, 0xfc, 0xf9],
            foreground: [0x1d, 0x1d, 0x1b],
            accent: [0xa3, 0x26, 0x1b],
        }
    }
}

/// What a card says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CardText<'a> {
    /// The site's title, small at the top.
    pub site_title: &'a str,
    /// The page's title, large.
    pub title: &'a str,
    /// A word above the title saying what kind of page it is
    /// ("Question", "Timeline").
    pub kicker: Option<&'a str>,
}

/// A key for caching the card of `text` in `style` with `fonts`: equal
/// keys give identical PNGs, across runs and machines. Pair it with
/// [`ImageCache`](super::cache::ImageCache) as for images.
pub fn card_key(text: &CardText<'_>, style: &CardStyle, fonts: &CardFonts) -> u64 {
    crate::load::hash_of(&(RENDER_VERSION, text, style, fonts.digest()))
}

/// Draws the card as a PNG.
pub fn render_card(
    text: &CardText<'_>,
    style: &CardStyle,
    fonts: &CardFonts,
) -> Result<Vec<u8>, CardError> {
    let svg = card_svg(text, style, fonts)?;
    let options = usvg::Options {
        fontdb: fonts.database(),
        ..usvg::Options::default()
    };
    let tree =
        usvg::Tree::from_str(&svg, &options).map_err(|e| CardError::Render(e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(CARD_WIDTH, CARD_HEIGHT)
        .ok_or_else(|| CardError::Render("no memory for the image".into()))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    // The background is opaque, so the premultiplied pixels are plain RGB.
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| p.iter().take(3).copied())
        .collect();
    let mut png = Vec::new();
    ::image::ImageEncoder::write_image(
        ::image::codecs::png::PngEncoder::new(&mut png),
        &rgb,
        CARD_WIDTH,
        CARD_HEIGHT,
        ::image::ExtendedColorType::Rgb8,
    )
    .map_err(|e| CardError::Render(e.to_string()))?;
    Ok(png)
}

/// The laid-out title: what [`render_card`] draws, for tests and for
/// callers that want to warn about titles cut short.
pub fn title_layout(title: &str, fonts: &CardFonts) -> Result<(Measured, Fitted), CardError> {
    let measured = measure(title, fonts, BOLD)?;
    let fitted = measured.fit(TEXT_WIDTH, TITLE_MAX_LINES, &TITLE_SIZES);
    Ok((measured, fitted))
}

/// The card as SVG, with every font named by the alias of the exact face
/// that was measured.
pub fn card_svg(
    text: &CardText<'_>,
    style: &CardStyle,
    fonts: &CardFonts,
) -> Result<String, CardError> {
    let (title, title_fit) = title_layout(text.title, fonts)?;
    let one_line = |s: &str, weight, size| -> Result<(Measured, Fitted), CardError> {
        let measured = measure(s, fonts, weight)?;
        let fitted = measured.fit(TEXT_WIDTH, 1, &[size]);
        Ok((measured, fitted))
    };
    let site = one_line(text.site_title, REGULAR, SITE_TITLE_SIZE)?;
    let kicker = text
        .kicker
        .map(|k| one_line(k, BOLD, KICKER_SIZE))
        .transpose()?;

    let mut svg = String::new();
    let (w, h) = (CARD_WIDTH, CARD_HEIGHT);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    let _ = write!(
        svg,
        r#"<rect width="{w}" height="{h}" fill="{}"/><rect width="{ACCENT_BAR_WIDTH}" height="{h}" fill="{}"/>"#,
        hex(style.background),
        hex(style.accent)
    );
    let fg = hex(style.foreground);
    // The site title sits at the top, a little lighter than the title.
    write_lines(&mut svg, fonts, &site, 96.0, &fg, Some(0.72));

    // The kicker and title are centred together in the space below.
    let title_line = title_fit.font_size * LINE_HEIGHT;
    let kicker_height = if kicker.is_some() {
        KICKER_SIZE * LINE_HEIGHT + 12.0
    } else {
        0.0
    };
    let block = kicker_height + title_line * title_fit.lines.len() as f32;
    let (top, bottom) = (150.0, CARD_HEIGHT as f32 - 56.0);
    let block_top = top + ((bottom - top) - block).max(0.0) / 2.0;
    if let Some(kicker) = &kicker {
        let baseline = block_top + KICKER_SIZE;
        write_lines(&mut svg, fonts, kicker, baseline, &hex(style.accent), None);
    }
    // The first baseline sits about one cap height below the top.
    let first_baseline = block_top + kicker_height + title_fit.font_size * 0.92;
    write_lines(
        &mut svg,
        fonts,
        &(title, title_fit),
        first_baseline,
        &fg,
        None,
    );
    svg.push_str("</svg>");
    Ok(svg)
}

/// Writes one `<text>` per line, one `<tspan>` per face, lines
/// `LINE_HEIGHT` apart from `first_baseline` down.
fn write_lines(
    svg: &mut String,
    fonts: &CardFonts,
    (measured, fitted): &(Measured, Fitted),
    first_baseline: f32,
    fill: &str,
    opacity: Option<f32>,
) {
    let size = fitted.font_size;
    for (n, line) in fitted.lines.iter().enumerate() {
        let y = first_baseline + n as f32 * size * LINE_HEIGHT;
        let _ = write!(
            svg,
            r#"<text x="{MARGIN_LEFT}" y="{y:.1}" font-size="{size}" fill="{fill}" xml:space="preserve""#
        );
        if let Some(o) = opacity {
            let _ = write!(svg, r#" fill-opacity="{o}""#);
        }
        svg.push('>');
        for (face, run) in measured.face_runs(line) {
            let Some((family, weight)) = fonts.family_of(face) else {
                continue;
            };
            let _ = write!(
                svg,
                r#"<tspan font-family="{family}" font-weight="{weight}">{}</tspan>"#,
                crate::html::escape(&run)
            );
        }
        svg.push_str("</text>");
    }
}

fn hex([r, g, b]: [u8; 3]) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
#[path = "card_tests.rs"]
mod tests;
