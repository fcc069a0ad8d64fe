//! What an image is: its format and displayed size, read from headers
//! (rasters) or the root element (SVG) without decoding pixels.

use std::io::Cursor;

use ::image::ImageDecoder;

/// File formats that [`probe`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// PNG, APNG included.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF, animated or not.
    Gif,
    /// WebP, lossy or lossless, animated or not.
    Webp,
    /// AVIF (AV1 in HEIF).
    Avif,
    /// SVG (vector; never resized).
    Svg,
}

impl ImageFormat {
    /// The media type for `<source type>` and HTTP headers.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Avif => "image/avif",
            ImageFormat::Svg => "image/svg+xml",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::Webp => "webp",
            ImageFormat::Avif => "avif",
            ImageFormat::Svg => "svg",
        }
    }

    pub(crate) fn code(self) -> u8 {
        match self {
            ImageFormat::Png => 0,
            ImageFormat::Jpeg => 1,
            ImageFormat::Gif => 2,
            ImageFormat::Webp => 3,
            ImageFormat::Avif => 4,
            ImageFormat::Svg => 5,
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<ImageFormat> {
        [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::Webp,
            ImageFormat::Avif,
            ImageFormat::Svg,
        ]
        .into_iter()
        .find(|f| f.code() == code)
    }
}

/// What [`probe`] found: enough to write `<img width height>` so the page
/// does not jump while images load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// The file's format.
    pub format: ImageFormat,
    /// Width in CSS pixels, as displayed (after EXIF rotation).
    pub width: u32,
    /// Height in CSS pixels, as displayed (after EXIF rotation).
    pub height: u32,
}

/// The format and displayed size of an image, or `None` if the bytes are
/// not a PNG, JPEG, GIF, WebP, AVIF or SVG, or are too damaged to tell.
///
/// Rasters are read from their headers only (`imagesize`); a JPEG, PNG or
/// WebP whose EXIF orientation turns it by 90° reports its width and
/// height swapped, as browsers display it. An SVG gives its root
/// element's `width` and `height` in absolute units, or else those of its
/// `viewBox`; one with neither has no size and gives `None`.
pub fn probe(bytes: &[u8]) -> Option<ImageInfo> {
    let format = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => ImageFormat::Png,
        Ok(imagesize::ImageType::Jpeg) => ImageFormat::Jpeg,
        Ok(imagesize::ImageType::Gif) => ImageFormat::Gif,
        Ok(imagesize::ImageType::Webp) => ImageFormat::Webp,
        Ok(imagesize::ImageType::Heif(imagesize::Compression::Av1)) => ImageFormat::Avif,
        Ok(_) => return None,
        Err(_) => return probe_svg(bytes),
    };
    let size = imagesize::blob_size(bytes).ok()?;
    let (width, height) = (
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    );
    if width == 0 || height == 0 {
        return None;
    }
    let turned = decodable(format) && orientation(bytes, format).is_some_and(swaps_axes);
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Some(ImageInfo {
        format,
        width,
        height,
    })
}

fn probe_svg(bytes: &[u8]) -> Option<ImageInfo> {
    let text = std::str::from_utf8(bytes).ok()?;
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return None;
    }
    let view_box = root.attribute("viewBox").and_then(|v| {
        let numbers: Vec<f64> = v
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?;
        match numbers.as_slice() {
            [_, _, w, h] if *w > 0.0 && *h > 0.0 => Some((*w, *h)),
            _ => None,
        }
    });
    let width = root.attribute("width").and_then(svg_length);
    let height = root.attribute("height").and_then(svg_length);
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(size)) => size,
        _ => return None,
    };
    let round = |v: f64| -> Option<u32> {
        let v = v.round();
        (v >= 1.0 && v <= f64::from(u32::MAX)).then_some(v as u32)
    };
    Some(ImageInfo {
        format: ImageFormat::Svg,
        width: round(w)?,
        height: round(h)?,
    })
}

/// A length in CSS pixels, for absolute units only: `%`, `em` and `ex`
/// depend on where the image is shown, so they give `None`.
fn svg_length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| c.is_ascii_alphabetic() || c == '%')
        .unwrap_or(value.len());
    let (number, unit) = (value.get(..split)?, value.get(split..)?);
    let per_unit = match unit.trim() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    let n: f64 = number.trim().parse().ok()?;
    (n.is_finite() && n > 0.0).then_some(n * per_unit)
}

/// Formats `image` can decode with the features dossier enables.
pub(crate) fn decodable(format: ImageFormat) -> bool {
    matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Webp
    )
}

fn image_crate_format(format: ImageFormat) -> Option<::image::ImageFormat> {
    match format {
        ImageFormat::Png => Some(::image::ImageFormat::Png),
        ImageFormat::Jpeg => Some(::image::ImageFormat::Jpeg),
        ImageFormat::Webp => Some(::image::ImageFormat::WebP),
        _ => None,
    }
}

pub(crate) fn decoder(
    bytes: &[u8],
    format: ImageFormat,
) -> Result<impl ImageDecoder + '_, ::image::ImageError> {
    let mut reader = ::image::ImageReader::new(Cursor::new(bytes));
    if let Some(f) = image_crate_format(format) {
        reader.set_format(f);
    }
    reader.limits(::image::Limits::default());
    reader.into_decoder()
}

fn orientation(bytes: &[u8], format: ImageFormat) -> Option<::image::metadata::Orientation> {
    decoder(bytes, format).ok()?.orientation().ok()
}

fn swaps_axes(o: ::image::metadata::Orientation) -> bool {
    use ::image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}
