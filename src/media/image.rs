//! Images beside content: what they are, narrower copies for `srcset`,
//! and the attribute itself.
//!
//! The format of the copies was chosen by measuring (see `docs/media.md`):
//! JPEG (quality 80) for photographs and lossless WebP for everything
//! else, both pure Rust from the `image` crate and well under 100 ms per
//! variant; lossy WebP needs C libwebp through a crate that lags libwebp
//! releases, and AVIF (rav1e) took 0.5–3 s per variant.

use std::io::Cursor;
use std::sync::Arc;

use ::image::{DynamicImage, ImageDecoder, ImageEncoder};
use rayon::prelude::*;

use super::cache::{CacheError, ImageCache};
pub use super::probe::{ImageFormat, ImageInfo, probe};
use super::probe::{decodable, decoder};

/// Bump when anything changes the bytes of a variant (encoder settings,
/// resize filter, crate upgrades that re-encode differently), so that
/// cached variants of the old kind are not reused.
pub const ENCODER_VERSION: u32 = 1;

/// The `sizes` attribute for an image in the default theme's content
/// column: `main` is 42rem wide with 1rem padding on each side
/// (`static/style.css`), so images are 40rem wide on wide screens and the
/// viewport less 2rem below that.
pub const DEFAULT_SIZES: &str = "(min-width: 42rem) 40rem, calc(100vw - 2rem)";

/// Images larger than this many pixels are refused rather than decoded:
/// a 100-megapixel RGBA image already takes 400 MB of memory.
const MAX_PIXELS: u64 = 100_000_000;

/// The format of the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OutputFormat {
    /// JPEG for JPEG sources and lossy WebP (photographs), lossless WebP
    /// for PNG and lossless WebP (screenshots, diagrams, transparency).
    #[default]
    Auto,
    /// Always JPEG at [`VariantSettings::quality`]; transparency is laid
    /// on white.
    Jpeg,
    /// Always lossless WebP.
    WebpLossless,
    /// Always PNG.
    Png,
}

/// How to make variants.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VariantSettings {
    /// The widths, in pixels, to make copies at; only those narrower than
    /// the source are made.
    pub widths: Vec<u32>,
    /// JPEG quality, 1–100.
    pub quality: u8,
    /// The format of the copies.
    pub format: OutputFormat,
}

impl Default for VariantSettings {
    /// 480, 800, 1200 and 1600 px: a phone, a 40rem column at 1× and 2×
    /// and a wide 2× screen; JPEG quality 80.
    fn default() -> VariantSettings {
        VariantSettings {
            widths: vec![480, 800, 1200, 1600],
            quality: 80,
            format: OutputFormat::Auto,
        }
    }
}

/// One resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels (the source's aspect ratio, rounded).
    pub height: u32,
    /// The format of `bytes`.
    pub format: ImageFormat,
    /// The encoded file.
    pub bytes: Arc<[u8]>,
}

impl Variant {
    /// The media type, for `<source type>`.
    pub fn media_type(&self) -> &'static str {
        self.format.media_type()
    }

    /// The file extension, without the dot.
    pub fn extension(&self) -> &'static str {
        self.format.extension()
    }
}

/// What a call to [`variants`] did, so that callers (and tests) can tell a
/// cache hit without timing it.
#[derive(Debug, Default)]
pub struct CacheOutcome {
    /// Variants read from the cache.
    pub hits: usize,
    /// Variants encoded by this call.
    pub encoded: usize,
    /// Set when the new variants could not be written to the cache; they
    /// are returned all the same and the next build encodes them again.
    pub store_error: Option<CacheError>,
}

/// Why no variants could be made.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The bytes are not an image format dossier knows.
    #[error("not a PNG, JPEG, GIF, WebP, AVIF or SVG image, or damaged")]
    Unrecognised,
    /// The image is too large to decode safely.
    #[error(
        "the image is {width}×{height} pixels; images above {MAX_PIXELS} pixels are not resized, make it smaller"
    )]
    TooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The decoder or an encoder failed.
    #[error("cannot decode or encode the image: {0}")]
    Codec(#[from] ::image::ImageError),
    /// Resizing failed.
    #[error("cannot resize the image: {0}")]
    Resize(String),
}

/// Narrower copies of `source` for `srcset`, narrowest first, from the
/// cache when they are there.
///
/// A copy is made for each of `settings.widths` below the source's width,
/// never wider (the original is the widest candidate), keeping the aspect
/// ratio; the result is empty when the source is narrower than every
/// width. SVG (vector), GIF and animated PNG or WebP (which would lose
/// their animation) and AVIF (no pure-Rust decoder) pass through: no
/// variants, use the original.
///
/// The cache key covers the source bytes, the settings and
/// [`ENCODER_VERSION`], so an unchanged image is never encoded twice.
pub fn variants(
    source: &[u8],
    settings: &VariantSettings,
    cache: &ImageCache,
) -> Result<(Vec<Variant>, CacheOutcome), ImageError> {
    let info = probe(source).ok_or(ImageError::Unrecognised)?;
    let mut widths: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < info.width)
        .collect();
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() || !decodable(info.format) || animated(source, info.format) {
        return Ok((Vec::new(), CacheOutcome::default()));
    }
    if u64::from(info.width) * u64::from(info.height) > MAX_PIXELS {
        return Err(ImageError::TooLarge {
            width: info.width,
            height: info.height,
        });
    }
    let key = crate::load::hash_of(&(source, &widths, settings, ENCODER_VERSION));
    if let Some(cached) = cache
        .load(key, "variants")
        .and_then(|b| decode_variants(&b))
        .filter(|v| v.len() == widths.len())
    {
        let hits = cached.len();
        return Ok((
            cached,
            CacheOutcome {
                hits,
                ..CacheOutcome::default()
            },
        ));
    }
    let made = encode_variants(source, info, &widths, settings)?;
    let store_error = cache
        .store(key, "variants", &encode_cache_file(&made))
        .err();
    let encoded = made.len();
    Ok((
        made,
        CacheOutcome {
            hits: 0,
            encoded,
            store_error,
        },
    ))
}

fn animated(source: &[u8], format: ImageFormat) -> bool {
    match format {
        ImageFormat::Gif => true,
        ImageFormat::Png => ::image::codecs::png::PngDecoder::new(Cursor::new(source))
            .and_then(|d| d.is_apng())
            .unwrap_or(false),
        ImageFormat::Webp => ::image::codecs::webp::WebPDecoder::new(Cursor::new(source))
            .map(|d| d.has_animation())
            .unwrap_or(false),
        _ => false,
    }
}

/// Lossy sources (photographs) give JPEG, lossless ones lossless WebP.
fn resolved_format(requested: OutputFormat, source: &[u8], format: ImageFormat) -> ImageFormat {
    match requested {
        OutputFormat::Jpeg => ImageFormat::Jpeg,
        OutputFormat::WebpLossless => ImageFormat::Webp,
        OutputFormat::Png => ImageFormat::Png,
        OutputFormat::Auto => {
            let lossy_webp = format == ImageFormat::Webp && webp_is_lossy(source);
            if format == ImageFormat::Jpeg || lossy_webp {
                ImageFormat::Jpeg
            } else {
                ImageFormat::Webp
            }
        }
    }
}

/// Whether a WebP file's image is a `VP8 ` (lossy) chunk rather than a
/// `VP8L` (lossless) one, walking the RIFF chunks after the 12-byte header.
fn webp_is_lossy(source: &[u8]) -> bool {
    let mut at = 12usize;
    while let Some(head) = source.get(at..at.saturating_add(8)) {
        let (fourcc, size) = head.split_at(4);
        match fourcc {
            b"VP8 " => return true,
            b"VP8L" => return false,
            _ => {}
        }
        let Some(size) = size.try_into().ok().map(u32::from_le_bytes) else {
            return false;
        };
        // Chunks are padded to an even length.
        let Some(next) = usize::try_from(size)
            .ok()
            .and_then(|s| at.checked_add(8)?.checked_add(s)?.checked_add(s % 2))
        else {
            return false;
        };
        at = next;
    }
    false
}

fn encode_variants(
    source: &[u8],
    info: ImageInfo,
    widths: &[u32],
    settings: &VariantSettings,
) -> Result<Vec<Variant>, ImageError> {
    let mut decoder = decoder(source, info.format)?;
    let orientation = decoder.orientation()?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    let format = resolved_format(settings.format, source, info.format);
    // JPEG has no alpha channel: lay transparent pixels on white.
    let keep_alpha = image.color().has_alpha() && format != ImageFormat::Jpeg;
    let pixels = if keep_alpha {
        Pixels::Rgba(image.into_rgba8())
    } else if image.color().has_alpha() {
        Pixels::Rgb(on_white(&image.into_rgba8()))
    } else {
        Pixels::Rgb(image.into_rgb8())
    };
    widths
        .par_iter()
        .map(|&width| {
            let height = scaled_height(pixels.width(), pixels.height(), width);
            let (buffer, color) = pixels.resized(width, height)?;
            let bytes = encode(
                &buffer,
                width,
                height,
                color,
                format,
                settings.quality,
                &icc,
            )?;
            Ok(Variant {
                width,
                height,
                format,
                bytes: bytes.into(),
            })
        })
        .collect()
}

fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let h = (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Decoded pixels, 8 bits per channel.
enum Pixels {
    Rgb(::image::RgbImage),
    Rgba(::image::RgbaImage),
}

impl Pixels {
    fn width(&self) -> u32 {
        match self {
            Pixels::Rgb(i) => i.width(),
            Pixels::Rgba(i) => i.width(),
        }
    }

    fn height(&self) -> u32 {
        match self {
            Pixels::Rgb(i) => i.height(),
            Pixels::Rgba(i) => i.height(),
        }
    }

    /// Lanczos3 with `fast_image_resize`: about 15× faster than the
    /// `image` crate's filter here (5 ms against 70–90 ms at 1200 px), and
    /// it premultiplies alpha so transparent edges do not darken.
    fn resized(
        &self,
        width: u32,
        height: u32,
    ) -> Result<(Vec<u8>, ::image::ExtendedColorType), ImageError> {
        use fast_image_resize as fr;
        let (raw, pixel, color) = match self {
            Pixels::Rgb(i) => (
                i.as_raw(),
                fr::PixelType::U8x3,
                ::image::ExtendedColorType::Rgb8,
            ),
            Pixels::Rgba(i) => (
                i.as_raw(),
                fr::PixelType::U8x4,
                ::image::ExtendedColorType::Rgba8,
            ),
        };
        let resize_error = |e: &dyn std::fmt::Display| ImageError::Resize(e.to_string());
        let src = fr::images::ImageRef::new(self.width(), self.height(), raw, pixel)
            .map_err(|e| resize_error(&e))?;
        let mut dst = fr::images::Image::new(width, height, pixel);
        let options = fr::ResizeOptions::new()
            .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3));
        fr::Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| resize_error(&e))?;
        Ok((dst.into_vec(), color))
    }
}

fn on_white(image: &::image::RgbaImage) -> ::image::RgbImage {
    ::image::RgbImage::from_fn(image.width(), image.height(), |x, y| {
        let [r, g, b, a] = image.get_pixel(x, y).0;
        let over = |c: u8| -> u8 {
            let c = u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a));
            u8::try_from((c + 127) / 255).unwrap_or(u8::MAX)
        };
        ::image::Rgb([over(r), over(g), over(b)])
    })
}

fn encode(
    buffer: &[u8],
    width: u32,
    height: u32,
    color: ::image::ExtendedColorType,
    format: ImageFormat,
    quality: u8,
    icc: &Option<Vec<u8>>,
) -> Result<Vec<u8>, ImageError> {
    fn write(
        mut encoder: impl ImageEncoder,
        icc: &Option<Vec<u8>>,
        args: (&[u8], u32, u32, ::image::ExtendedColorType),
    ) -> Result<(), ImageError> {
        if let Some(profile) = icc {
            // Keeps wide-gamut photographs in their colours; an encoder
            // without ICC support still writes the image.
            let _ = encoder.set_icc_profile(profile.clone());
        }
        encoder.write_image(args.0, args.1, args.2, args.3)?;
        Ok(())
    }
    let mut out = Vec::new();
    let args = (buffer, width, height, color);
    match format {
        ImageFormat::Jpeg => write(
            ::image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100)),
            icc,
            args,
        )?,
        ImageFormat::Png => write(::image::codecs::png::PngEncoder::new(&mut out), icc, args)?,
        _ => write(
            ::image::codecs::webp::WebPEncoder::new_lossless(&mut out),
            icc,
            args,
        )?,
    }
    Ok(out)
}

/// Cache file payload: count, then width, height, format and length of
/// each variant, then their bytes. The cache checks the whole file's
/// checksum; this checks that the lengths add up.
fn encode_cache_file(variants: &[Variant]) -> Vec<u8> {
    let mut out = Vec::new();
    let count = u32::try_from(variants.len()).unwrap_or(0);
    out.extend_from_slice(&count.to_le_bytes());
    for v in variants {
        out.extend_from_slice(&v.width.to_le_bytes());
        out.extend_from_slice(&v.height.to_le_bytes());
        out.push(v.format.code());
        out.extend_from_slice(&(v.bytes.len() as u64).to_le_bytes());
    }
    for v in variants {
        out.extend_from_slice(&v.bytes);
    }
    out
}

fn decode_variants(payload: &[u8]) -> Option<Vec<Variant>> {
    let mut at = 0usize;
    let mut take = |n: usize| -> Option<&[u8]> {
        let bytes = payload.get(at..at.checked_add(n)?)?;
        at += n;
        Some(bytes)
    };
    let u32_of = |b: &[u8]| Some(u32::from_le_bytes(b.try_into().ok()?));
    let count = u32_of(take(4)?)?;
    let mut heads = Vec::new();
    for _ in 0..count {
        let width = u32_of(take(4)?)?;
        let height = u32_of(take(4)?)?;
        let format = ImageFormat::from_code(*take(1)?.first()?)?;
        let len = usize::try_from(u64::from_le_bytes(take(8)?.try_into().ok()?)).ok()?;
        heads.push((width, height, format, len));
    }
    let variants = heads
        .into_iter()
        .map(|(width, height, format, len)| {
            Some(Variant {
                width,
                height,
                format,
                bytes: take(len)?.into(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    (at == payload.len()).then_some(variants)
}

/// The `srcset` attribute for `items`: `url 480w, url 800w`. `entry`
/// gives each item's URL as the page should write it (relative to the
/// page, already escaped for an attribute) and its width. Add the original image as the
/// widest candidate if it should be offered on wide screens.
pub fn srcset<T>(items: &[T], entry: impl Fn(&T) -> (String, u32)) -> String {
    items
        .iter()
        .map(|item| {
            let (url, width) = entry(item);
            format!("{url} {width}w")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "image_tests.rs"]
mod tests;
