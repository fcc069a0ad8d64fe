//! Figures: a fenced block labelled `figure` holds TOML and becomes an
//! image with its caption, credit and source:
//!
//! ```toml
//! src = "supply-chain.svg"          # beside the page, in static/, or @/...
//! alt = "What the picture shows"    # required; "" for a decorative image
//! caption = "What to see in it"     # optional
//! credit = "Diagram: the dossier project"
//! source = "Where its facts come from"
//! ```
//!
//! An image written in Markdown with a title, alone in its paragraph
//! (`![alt](chip.png "Caption")`), becomes a figure too.

use serde::Deserialize;

use crate::chart::ChartError;

/// Keys of a figure block, for "did you mean" hints.
pub(crate) const KEYS: &[&str] = &["src", "alt", "caption", "credit", "source"];

/// A figure as written in a `figure` block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The image: a path beside the page, under `static/`, or `@/...`.
    pub src: String,
    /// The text alternative; empty for a decorative image.
    pub alt: String,
    /// Shown under the image.
    #[serde(default)]
    pub caption: String,
    /// Who made the image.
    #[serde(default)]
    pub credit: String,
    /// Where the facts in it come from.
    #[serde(default)]
    pub source: String,
}

/// Parses and checks a figure block. Errors use the chart's type: the
/// message, how to fix it, and the place in the block.
pub fn parse(text: &str) -> Result<Figure, ChartError> {
    toml::from_str(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let help = match crate::toml_error::nearest_unknown_key(&message, KEYS) {
            Some(near) => format!("did you mean `{near}`? A figure takes: {}", KEYS.join(", ")),
            None => "a figure block is TOML: `src` and `alt` (\"\" for a decorative image), and optionally `caption`, `credit` and `source`".to_string(),
        };
        ChartError {
            message: format!("invalid figure: {message}"),
            help,
            range,
        }
    })
}

/// An image ready to be written: its URL from the page, its size and its
/// narrower copies.
#[derive(Debug, Clone, Default)]
pub struct ImageHtml {
    /// `src`, relative to the page.
    pub src: String,
    /// Width and height in pixels, when known.
    pub size: Option<(u32, u32)>,
    /// `srcset`, when there are narrower copies.
    pub srcset: Option<String>,
}

/// The `<img>` element. The first image of a page loads at once; the
/// others load when they come near the screen.
pub fn img(image: &ImageHtml, alt: &str, eager: bool) -> String {
    use crate::html::escape;
    let mut out = format!(
        "<img src=\"{}\" alt=\"{}\"",
        escape(&image.src),
        escape(alt)
    );
    if let Some((w, h)) = image.size {
        out.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    if let Some(srcset) = &image.srcset {
        out.push_str(&format!(
            " srcset=\"{}\" sizes=\"{}\"",
            escape(srcset),
            crate::media::image::DEFAULT_SIZES
        ));
    }
    if !eager {
        out.push_str(" loading=\"lazy\" decoding=\"async\"");
    }
    out.push('>');
    out
}

/// A figure: the image, then a caption holding the caption, the credit
/// and the source, each only when given. Their text gets the smart
/// punctuation of the body around them.
pub fn render(image: &ImageHtml, figure: &Figure, eager: bool) -> String {
    use crate::html::escape;
    use crate::punctuation::smart_punctuation;
    let figure = Figure {
        src: figure.src.clone(),
        alt: smart_punctuation(&figure.alt),
        caption: smart_punctuation(&figure.caption),
        credit: smart_punctuation(&figure.credit),
        source: smart_punctuation(&figure.source),
    };
    let mut caption = String::new();
    if !figure.caption.is_empty() {
        caption.push_str(&format!(
            "<span class=\"figure-caption\">{}</span>",
            escape(&figure.caption)
        ));
    }
    if !figure.credit.is_empty() {
        caption.push_str(&format!(
            " <span class=\"figure-credit\">{}</span>",
            escape(&figure.credit)
        ));
    }
    if !figure.source.is_empty() {
        caption.push_str(&format!(
            " <span class=\"figure-source\">Source: {}</span>",
            escape(&figure.source)
        ));
    }
    let caption = if caption.is_empty() {
        String::new()
    } else {
        format!("<figcaption>{}</figcaption>", caption.trim_start())
    };
    format!(
        "<figure class=\"figure\">{}{caption}</figure>\n",
        img(image, &figure.alt, eager)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_has_its_image_caption_credit_and_source() {
        let f = parse("src = \"a.svg\"\nalt = \"A <map>\"\ncaption = \"The chain\"\ncredit = \"Us\"\nsource = \"Reuters\"\n").unwrap();
        let image = ImageHtml {
            src: "a.svg".into(),
            size: Some((400, 300)),
            srcset: None,
        };
        let html = render(&image, &f, true);
        assert_eq!(
            html,
            "<figure class=\"figure\"><img src=\"a.svg\" alt=\"A &lt;map&gt;\" width=\"400\" height=\"300\"><figcaption><span class=\"figure-caption\">The chain</span> <span class=\"figure-credit\">Us</span> <span class=\"figure-source\">Source: Reuters</span></figcaption></figure>\n"
        );
        assert!(render(&image, &f, false).contains("loading=\"lazy\" decoding=\"async\""));
    }

    #[test]
    fn a_figure_needs_src_and_alt() {
        let e = parse("src = \"a.svg\"\n").unwrap_err();
        assert!(e.message.contains("missing field `alt`"), "{e:?}");
        let e = parse("src = \"a.svg\"\nalt = \"\"\ncredits = \"x\"\n").unwrap_err();
        assert!(e.help.contains("did you mean `credit`?"), "{e:?}");
    }
}
