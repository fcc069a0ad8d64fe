use super::*;

/// A deterministic photograph-like image: gradients, soft value noise at
/// several scales and a little per-pixel grain, so that encoders see
/// detail at every scale as in a photo (not flat colour, not pure noise).
pub(crate) fn photo(width: u32, height: u32) -> ::image::RgbImage {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    const GRID: usize = 64;
    let lattice: Vec<f32> = (0..GRID * GRID)
        .map(|_| (random() % 1000) as f32 / 1000.0)
        .collect();
    let noise = |x: f32, y: f32| -> f32 {
        let (xi, yi) = (x.floor() as usize, y.floor() as usize);
        let at = |i: usize, j: usize| lattice[(j % GRID) * GRID + (i % GRID)];
        let (fx, fy) = (x - x.floor(), y - y.floor());
        let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
        let top = at(xi, yi) + (at(xi + 1, yi) - at(xi, yi)) * sx;
        let bottom = at(xi, yi + 1) + (at(xi + 1, yi + 1) - at(xi, yi + 1)) * sx;
        top + (bottom - top) * sy
    };
    ::image::RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (x as f32 / width as f32, y as f32 / height as f32);
        let (mut n, mut amplitude, mut frequency) = (0.0, 0.5, 4.0);
        for _ in 0..9 {
            n += amplitude * noise(u * frequency, v * frequency * 0.66);
            amplitude *= 0.62;
            frequency *= 2.0;
        }
        let sky = 1.0 - v;
        let glow = (-((u - 0.3).powi(2) + (v - 0.6).powi(2)) * 20.0).exp();
        let grain = ((random() % 9) as f32 - 4.0) / 255.0;
        let c = [
            0.25 + 0.4 * sky * u + 0.3 * n + 0.3 * glow + grain,
            0.3 + 0.3 * sky + 0.35 * n * (1.0 - u) + grain,
            0.5 + 0.4 * sky - 0.2 * glow + 0.2 * n + grain,
        ];
        ::image::Rgb(c.map(|c| (c.clamp(0.0, 1.0) * 255.0) as u8))
    })
}

fn png_of(image: &DynamicImage) -> Vec<u8> {
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), ::image::ImageFormat::Png)
        .unwrap();
    out
}

fn jpeg_of(image: &::image::RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = ::image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            ::image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// A TIFF-style EXIF block holding only an orientation tag.
fn exif_orientation(value: u16) -> Vec<u8> {
    let mut e = b"II*\0".to_vec();
    e.extend_from_slice(&8u32.to_le_bytes());
    e.extend_from_slice(&1u16.to_le_bytes());
    e.extend_from_slice(&0x0112u16.to_le_bytes());
    e.extend_from_slice(&3u16.to_le_bytes());
    e.extend_from_slice(&1u32.to_le_bytes());
    e.extend_from_slice(&value.to_le_bytes());
    e.extend_from_slice(&[0, 0]);
    e.extend_from_slice(&0u32.to_le_bytes());
    e
}

fn info(format: ImageFormat, width: u32, height: u32) -> Option<ImageInfo> {
    Some(ImageInfo {
        format,
        width,
        height,
    })
}

#[test]
fn probe_reads_png_jpeg_gif_and_webp_sizes() {
    let rgb = photo(64, 40);
    let dynamic = DynamicImage::ImageRgb8(rgb.clone());
    assert_eq!(probe(&png_of(&dynamic)), info(ImageFormat::Png, 64, 40));
    assert_eq!(probe(&jpeg_of(&rgb, None)), info(ImageFormat::Jpeg, 64, 40));
    // No GIF encoder is compiled in; a header is all `probe` reads.
    let gif = b"GIF89a\x40\x00\x28\x00\x00\x00\x00;";
    assert_eq!(probe(gif), info(ImageFormat::Gif, 64, 40));
    let mut webp = Vec::new();
    dynamic
        .write_to(&mut Cursor::new(&mut webp), ::image::ImageFormat::WebP)
        .unwrap();
    assert_eq!(probe(&webp), info(ImageFormat::Webp, 64, 40));
    assert_eq!(probe(b"not an image"), None);
    assert_eq!(probe(b""), None);
    assert_eq!(probe(&png_of(&dynamic)[..20]), None);
}

#[test]
fn probe_turns_a_jpeg_by_its_exif_orientation() {
    let jpeg = jpeg_of(&photo(64, 40), Some(exif_orientation(6)));
    assert_eq!(probe(&jpeg), info(ImageFormat::Jpeg, 40, 64));
    let cache = ImageCache::new(tempfile::tempdir().unwrap().path());
    let settings = VariantSettings {
        widths: vec![20],
        ..VariantSettings::default()
    };
    let (variants, _) = variants(&jpeg, &settings, &cache).unwrap();
    let decoded = ::image::load_from_memory(&variants[0].bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (20, 32));
}

#[test]
fn probe_reads_svg_sizes_from_attributes_or_view_box() {
    let svg = |attrs: &str| format!(r#"<svg xmlns="http://www.w3.org/2000/svg" {attrs}></svg>"#);
    let p = |attrs: &str| probe(svg(attrs).as_bytes());
    assert_eq!(
        p(r#"width="300" height="150""#),
        info(ImageFormat::Svg, 300, 150)
    );
    assert_eq!(
        p(r#"width="300px" height="2in" viewBox="0 0 1 1""#),
        info(ImageFormat::Svg, 300, 192)
    );
    assert_eq!(
        p(r#"viewBox="0 0 640 480""#),
        info(ImageFormat::Svg, 640, 480)
    );
    assert_eq!(
        p(r#"viewBox="0,0,640,480""#),
        info(ImageFormat::Svg, 640, 480)
    );
    assert_eq!(
        p(r#"width="100%" height="100%" viewBox="0 0 640 480""#),
        info(ImageFormat::Svg, 640, 480)
    );
    assert_eq!(
        p(r#"width="320" viewBox="0 0 640 480""#),
        info(ImageFormat::Svg, 320, 240)
    );
    assert_eq!(p(r#"width="10em""#), None);
    assert_eq!(p(""), None);
    assert_eq!(p(r#"viewBox="0 0 0 10""#), None);
    // An XML declaration, a comment and a doctype before the root.
    let full = format!(
        "<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n{}",
        svg(r#"width="12" height="34""#)
    );
    assert_eq!(probe(full.as_bytes()), info(ImageFormat::Svg, 12, 34));
    assert_eq!(probe(b"<html><svg width='1' height='1'/></html>"), None);
    assert_eq!(probe(b"<svg width='1' height="), None);
}

fn settings(widths: &[u32]) -> VariantSettings {
    VariantSettings {
        widths: widths.to_vec(),
        ..VariantSettings::default()
    }
}

#[test]
fn a_wide_png_gets_narrower_variants_that_decode_to_their_size() {
    let source = png_of(&DynamicImage::ImageRgb8(photo(2000, 1000)));
    let dir = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(dir.path());
    let (made, outcome) = variants(&source, &VariantSettings::default(), &cache).unwrap();
    let widths: Vec<u32> = made.iter().map(|v| v.width).collect();
    assert_eq!(widths, [480, 800, 1200, 1600]);
    assert_eq!((outcome.hits, outcome.encoded), (0, 4));
    assert!(outcome.store_error.is_none());
    for v in &made {
        assert_eq!(v.height, v.width / 2);
        assert_eq!(v.format, ImageFormat::Webp, "a PNG gives lossless WebP");
        assert_eq!((v.media_type(), v.extension()), ("image/webp", "webp"));
        let decoded = ::image::load_from_memory(&v.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (v.width, v.height));
        assert!(v.bytes.len() < source.len(), "{} bytes", v.bytes.len());
    }
}

#[test]
fn a_jpeg_gives_jpeg_variants_and_widths_are_sorted_and_deduplicated() {
    let source = jpeg_of(&photo(900, 600), None);
    let cache = ImageCache::new(tempfile::tempdir().unwrap().path());
    let (made, _) = variants(&source, &settings(&[800, 0, 300, 800, 900, 2000]), &cache).unwrap();
    let sizes: Vec<(u32, u32)> = made.iter().map(|v| (v.width, v.height)).collect();
    assert_eq!(sizes, [(300, 200), (800, 533)]);
    assert!(made.iter().all(|v| v.format == ImageFormat::Jpeg));
}

#[test]
fn transparency_survives_except_in_jpeg() {
    let mut rgba = ::image::RgbaImage::from_pixel(400, 200, ::image::Rgba([200, 30, 30, 255]));
    for x in 0..200 {
        for y in 0..200 {
            rgba.put_pixel(x, y, ::image::Rgba([0, 0, 0, 0]));
        }
    }
    let source = png_of(&DynamicImage::ImageRgba8(rgba));
    let cache = ImageCache::new(tempfile::tempdir().unwrap().path());
    let (made, _) = variants(&source, &settings(&[100]), &cache).unwrap();
    let decoded = ::image::load_from_memory(&made[0].bytes)
        .unwrap()
        .to_rgba8();
    assert_eq!(decoded.get_pixel(10, 10).0[3], 0);
    assert_eq!(decoded.get_pixel(90, 40).0, [200, 30, 30, 255]);

    let jpeg = VariantSettings {
        format: OutputFormat::Jpeg,
        ..settings(&[100])
    };
    let (made, _) = variants(&source, &jpeg, &cache).unwrap();
    assert_eq!(made[0].format, ImageFormat::Jpeg);
    let decoded = ::image::load_from_memory(&made[0].bytes).unwrap().to_rgb8();
    assert!(
        decoded.get_pixel(10, 10).0.iter().all(|&c| c > 245),
        "laid on white"
    );
}

#[test]
fn a_narrow_image_gets_no_variants() {
    let source = png_of(&DynamicImage::ImageRgb8(photo(300, 200)));
    let cache = ImageCache::new(tempfile::tempdir().unwrap().path());
    let (made, outcome) = variants(&source, &VariantSettings::default(), &cache).unwrap();
    assert!(made.is_empty());
    assert_eq!((outcome.hits, outcome.encoded), (0, 0));
}

#[test]
fn the_second_call_hits_the_cache_and_a_corrupt_file_is_replaced() {
    let source = png_of(&DynamicImage::ImageRgb8(photo(1000, 500)));
    let dir = tempfile::tempdir().unwrap();
    let cache = ImageCache::new(dir.path().join("cache"));
    let settings = settings(&[480, 800]);
    let (first, outcome) = variants(&source, &settings, &cache).unwrap();
    assert_eq!((outcome.hits, outcome.encoded), (0, 2));
    let (second, outcome) = variants(&source, &settings, &cache).unwrap();
    assert_eq!((outcome.hits, outcome.encoded), (2, 0));
    assert_eq!(first, second);

    // Other settings are another key.
    let other = VariantSettings {
        quality: 60,
        ..settings.clone()
    };
    let (_, outcome) = variants(&source, &other, &cache).unwrap();
    assert_eq!(outcome.encoded, 2);

    let files: Vec<_> = std::fs::read_dir(cache.dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    for file in &files {
        let mut bytes = std::fs::read(file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xff;
        std::fs::write(file, &bytes).unwrap();
    }
    let (third, outcome) = variants(&source, &settings, &cache).unwrap();
    assert_eq!(
        (outcome.hits, outcome.encoded),
        (0, 2),
        "corrupt file is a miss"
    );
    assert_eq!(third, first);
    let (_, outcome) = variants(&source, &settings, &cache).unwrap();
    assert_eq!((outcome.hits, outcome.encoded), (2, 0), "and was replaced");
}

#[test]
fn an_unwritable_cache_still_gives_variants() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the cache folder should be: no one can create it, root
    // included.
    let blocked = dir.path().join("cache");
    std::fs::write(&blocked, b"in the way").unwrap();
    let cache = ImageCache::new(blocked.join("images"));
    let source = png_of(&DynamicImage::ImageRgb8(photo(600, 300)));
    for _ in 0..2 {
        let (made, outcome) = variants(&source, &settings(&[300]), &cache).unwrap();
        assert_eq!(made.len(), 1);
        assert_eq!(outcome.encoded, 1);
        let error = outcome.store_error.unwrap().to_string();
        assert!(error.contains("cannot write the image cache"), "{error}");
    }
}

#[test]
fn svg_gif_and_unknown_bytes() {
    let cache = ImageCache::new(tempfile::tempdir().unwrap().path());
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="3000"/>"#;
    let (made, outcome) = variants(svg, &VariantSettings::default(), &cache).unwrap();
    assert!(made.is_empty());
    assert_eq!(outcome.encoded, 0);
    let gif = b"GIF89a\xa0\x0f\xb8\x0b\x00\x00\x00;";
    assert_eq!(probe(gif), info(ImageFormat::Gif, 4000, 3000));
    let (made, _) = variants(gif, &VariantSettings::default(), &cache).unwrap();
    assert!(made.is_empty());
    assert!(matches!(
        variants(b"plain text", &VariantSettings::default(), &cache),
        Err(ImageError::Unrecognised)
    ));
}

#[test]
fn a_damaged_png_is_an_error_not_a_panic() {
    let mut source = png_of(&DynamicImage::ImageRgb8(photo(600, 300)));
    source.truncate(source.len() / 2);
    let cache = ImageCache::new(tempfile::tempdir().unwrap().path());
    let result = variants(&source, &settings(&[300]), &cache);
    assert!(matches!(result, Err(ImageError::Codec(_))), "{result:?}");
}

#[test]
fn webp_chunks_tell_lossy_from_lossless() {
    let lossless = {
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(photo(32, 32))
            .write_to(&mut Cursor::new(&mut out), ::image::ImageFormat::WebP)
            .unwrap();
        out
    };
    assert!(!webp_is_lossy(&lossless));
    let mut lossy = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0".to_vec();
    lossy.extend_from_slice(&[0; 10]);
    lossy.extend_from_slice(b"ALPH\x03\0\0\0abc\0VP8 \0\0\0\0");
    assert!(webp_is_lossy(&lossy));
    assert!(!webp_is_lossy(b"RIFF\0\0\0\0WEBPVP8X\xff\xff\xff\xff"));
}

#[test]
fn srcset_lists_every_variant_with_its_width() {
    let variant = |width| Variant {
        width,
        height: width / 2,
        format: ImageFormat::Jpeg,
        bytes: Arc::from(&b""[..]),
    };
    let list = [variant(480), variant(800)];
    let attr = srcset(&list, |v| {
        (format!("img/photo-{}.{}", v.width, v.extension()), v.width)
    });
    assert_eq!(attr, "img/photo-480.jpg 480w, img/photo-800.jpg 800w");
    assert_eq!(srcset(&[] as &[Variant], |_| (String::new(), 0)), "");
}

#[test]
fn cache_payloads_round_trip_and_reject_bad_lengths() {
    let v = Variant {
        width: 3,
        height: 2,
        format: ImageFormat::Webp,
        bytes: Arc::from(&b"abc"[..]),
    };
    let payload = encode_cache_file(std::slice::from_ref(&v));
    assert_eq!(decode_variants(&payload), Some(vec![v]));
    assert_eq!(decode_variants(&payload[..payload.len() - 1]), None);
    let mut longer = payload.clone();
    longer.push(0);
    assert_eq!(decode_variants(&longer), None);
    assert_eq!(decode_variants(&[]), None);
}
