use std::path::{Path, PathBuf};

use super::*;
use crate::media::layout::ELLIPSIS;

fn text<'a>(title: &'a str) -> CardText<'a> {
    CardText {
        site_title: "China's AI chips, explained",
        title,
        kicker: Some("Question"),
    }
}

fn latin() -> CardFonts {
    CardFonts::new(&[]).unwrap()
}

/// The Chinese font the flagship ships (a subset of Noto Sans CJK SC
/// Bold, assets/fonts/cjk/), so the CJK test runs on every machine.
fn cjk_font() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/cjk/NotoSansSC-Bold-subset.otf")
}

fn decoded(png: &[u8]) -> ::image::RgbImage {
    ::image::load_from_memory_with_format(png, ::image::ImageFormat::Png)
        .unwrap()
        .to_rgb8()
}

/// The pixel bounds of everything that is not background, left of which
/// the accent bar is ignored.
fn ink_bounds(image: &::image::RgbImage, style: &CardStyle) -> (u32, u32, u32, u32) {
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, p) in image.enumerate_pixels() {
        if x > ACCENT_BAR_WIDTH as u32 && p.0 != style.background {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    (x0, y0, x1, y1)
}

#[test]
fn a_card_is_a_1200_by_630_png_in_the_site_colours() {
    let style = CardStyle::default();
    let png = render_card(&text("Why does SMIC matter?"), &style, &latin()).unwrap();
    let image = decoded(&png);
    assert_eq!(image.dimensions(), (1200, 630));
    assert_eq!(image.get_pixel(1199, 629).0, style.background);
    assert_eq!(image.get_pixel(5, 300).0, style.accent);
    let (x0, y0, x1, y1) = ink_bounds(&image, &style);
    assert!(
        x0 >= MARGIN_LEFT as u32 - 2,
        "text starts at the margin: {x0}"
    );
    assert!(x1 <= CARD_WIDTH - MARGIN_RIGHT as u32, "{x1}");
    assert!(y0 > 40 && y1 < CARD_HEIGHT - 40, "{y0}..{y1}");
    // The title is in the foreground colour, the kicker in the accent.
    let right_of_bar = |colour: [u8; 3]| {
        image
            .enumerate_pixels()
            .any(|(x, _, p)| x > ACCENT_BAR_WIDTH as u32 && p.0 == colour)
    };
    assert!(right_of_bar(style.foreground));
    assert!(right_of_bar(style.accent));
}

#[test]
fn the_default_style_is_the_default_themes_light_palette() {
    let (_, css) = crate::theme::STATIC
        .iter()
        .find(|(name, _)| *name == "style.css")
        .unwrap();
    // The first declaration of each variable is the light palette.
    let colour = |var: &str| -> [u8; 3] {
        let at = css.find(&format!("{var}: #")).unwrap() + var.len() + 3;
        let hex = css.get(at..at + 6).unwrap();
        [0, 2, 4].map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap(), 16).unwrap())
    };
    let style = CardStyle::default();
    assert_eq!(style.background, colour("--bg"));
    assert_eq!(style.foreground, colour("--fg"));
    assert_eq!(style.accent, colour("--accent"));
}

#[test]
fn different_titles_and_styles_give_different_cards_and_keys() {
    let fonts = latin();
    let style = CardStyle::default();
    let a = render_card(&text("Why does SMIC matter?"), &style, &fonts).unwrap();
    let b = render_card(&text("What is the Ascend 910C?"), &style, &fonts).unwrap();
    assert_ne!(a, b);
    let dark = CardStyle {
        background: [0x16, 0x16, 0x15],
        foreground: [0xec, 0xeb, 0xe6],
        accent: [0xff, 0x8a, 0x7a],
    };
    let c = render_card(&text("Why does SMIC matter?"), &dark, &fonts).unwrap();
    assert_ne!(a, c);
    assert_eq!(decoded(&c).get_pixel(600, 5).0, dark.background);

    let key = |t: &str, s: &CardStyle, f: &CardFonts| card_key(&text(t), s, f);
    assert_eq!(key("x", &style, &fonts), key("x", &style, &latin()));
    assert_ne!(key("x", &style, &fonts), key("y", &style, &fonts));
    assert_ne!(key("x", &style, &fonts), key("x", &dark, &fonts));
    let no_kicker = CardText {
        kicker: None,
        ..text("x")
    };
    assert_ne!(
        card_key(&no_kicker, &style, &fonts),
        key("x", &style, &fonts)
    );
}

#[test]
fn rendering_is_deterministic() {
    let title = "How many Ascend 910C chips will Huawei make in 2025?";
    let first = render_card(&text(title), &CardStyle::default(), &latin()).unwrap();
    let second = render_card(&text(title), &CardStyle::default(), &latin()).unwrap();
    assert!(first == second, "two renders differ");
}

#[test]
fn a_long_title_wraps_and_shrinks_and_a_very_long_one_is_cut() {
    let fonts = latin();
    let (_, short) = title_layout("Why does SMIC matter?", &fonts).unwrap();
    assert_eq!((short.lines.len(), short.font_size), (1, TITLE_SIZES[0]));

    let long = "How many Ascend 910C chips can SMIC make in 2025 with the tools it already has, and what do US export controls change?";
    let (measured, fitted) = title_layout(long, &fonts).unwrap();
    assert!(fitted.lines.len() > 1 && fitted.lines.len() <= TITLE_MAX_LINES);
    assert!(!fitted.truncated());
    for line in &fitted.lines {
        let width = measured.line_width(line) * fitted.font_size;
        assert!(
            width <= TEXT_WIDTH,
            "{width} px: {}",
            measured.text_of(line)
        );
    }
    let rejoined: Vec<String> = fitted.lines.iter().map(|l| measured.text_of(l)).collect();
    assert_eq!(rejoined.join(" "), long);

    let endless = long.repeat(4);
    let (measured, fitted) = title_layout(&endless, &fonts).unwrap();
    assert_eq!(fitted.lines.len(), TITLE_MAX_LINES);
    assert_eq!(fitted.font_size, *TITLE_SIZES.last().unwrap());
    assert!(fitted.truncated());
    let last = fitted.lines.last().unwrap();
    assert!(measured.text_of(last).ends_with(ELLIPSIS));
    assert!(measured.line_width(last) * fitted.font_size <= TEXT_WIDTH);
}

#[test]
fn measured_widths_match_what_resvg_draws() {
    let fonts = latin();
    let title = "Wavy AVA kerning: “Tokyo”, Ångström, fiftyfold—Œuvre";
    let svg = card_svg(
        &CardText {
            kicker: None,
            ..text(title)
        },
        &CardStyle::default(),
        &fonts,
    )
    .unwrap();
    let (measured, fitted) = title_layout(title, &fonts).unwrap();
    let options = usvg::Options {
        fontdb: fonts.database(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).unwrap();
    let texts: Vec<f32> = tree
        .root()
        .children()
        .iter()
        .filter_map(|node| match node {
            usvg::Node::Text(t) => Some(t.bounding_box().width()),
            _ => None,
        })
        .collect();
    // The site title, then the title's lines.
    assert_eq!(texts.len(), 1 + fitted.lines.len());
    for (line, drawn) in fitted.lines.iter().zip(&texts[1..]) {
        let advance = measured.line_width(line) * fitted.font_size;
        // Ink is a little narrower than the advance (side bearings).
        assert!(
            *drawn <= advance + 1.0 && *drawn >= advance * 0.97,
            "drawn {drawn} px, measured {advance} px: {}",
            measured.text_of(line)
        );
    }
}

#[test]
fn a_cjk_title_needs_a_cjk_font_and_names_the_missing_characters() {
    let title = "华为昇腾910C芯片的产量会在2025年翻倍吗？";
    let err = render_card(&text(title), &CardStyle::default(), &latin()).unwrap_err();
    match &err {
        CardError::MissingGlyphs { chars } => {
            let expected: Vec<char> = "华为昇腾芯片的产量会在年翻倍吗？".chars().collect();
            assert_eq!(chars, &expected);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("“昇” (U+6607)"), "{err}");

    let mut fonts = CardFonts::new(&[cjk_font()]).unwrap();
    assert!(fonts.prefer_family("Noto Sans CJK SC"));
    let png = render_card(&text(title), &CardStyle::default(), &fonts).unwrap();
    let image = decoded(&png);
    assert_eq!(image.dimensions(), (1200, 630));
    let (measured, fitted) = title_layout(title, &fonts).unwrap();
    assert!(!fitted.truncated());
    let svg = card_svg(&text(title), &CardStyle::default(), &fonts).unwrap();
    // Digits come from the embedded Latin face, ideographs from the CJK
    // collection's simplified-Chinese face.
    let cjk_face = fonts.face_for('华', BOLD).unwrap();
    let latin_face = fonts.face_for('9', BOLD).unwrap();
    assert_ne!(cjk_face, latin_face);
    assert!(svg.contains(fonts.family_of(cjk_face).unwrap().0));
    assert!(fonts.families().contains(&"Noto Sans CJK SC"));
    assert_eq!(
        fitted
            .lines
            .iter()
            .map(|l| measured.text_of(l))
            .collect::<String>(),
        title
    );
}

#[test]
fn fonts_can_be_shared_by_parallel_renders() {
    fn shareable<T: Send + Sync>() {}
    shareable::<CardFonts>();
}

#[test]
fn bad_font_files_are_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.ttf");
    let err = CardFonts::new(std::slice::from_ref(&missing)).unwrap_err();
    assert!(matches!(err, CardError::FontFile { .. }), "{err:?}");
    assert!(err.to_string().contains("missing.ttf"));
    let not_font = dir.path().join("notes.ttf");
    std::fs::write(&not_font, b"just text").unwrap();
    let err = CardFonts::new(&[not_font]).unwrap_err();
    assert!(matches!(err, CardError::NotAFont { .. }), "{err:?}");
    assert!(err.to_string().contains("notes.ttf"));
}

#[test]
fn markup_in_titles_is_text_and_whitespace_collapses() {
    let fonts = latin();
    let svg = card_svg(
        &text("<b>&amp;</b> \"q\"\n\t x  y"),
        &CardStyle::default(),
        &fonts,
    )
    .unwrap();
    assert!(
        svg.contains(">&lt;b&gt;&amp;amp;&lt;/b&gt; &quot;q&quot; x y</tspan>"),
        "{svg}"
    );
    render_card(&text("<script>&"), &CardStyle::default(), &fonts).unwrap();
    let empty = CardText {
        site_title: "",
        title: "",
        kicker: Some(""),
    };
    assert_eq!(
        decoded(&render_card(&empty, &CardStyle::default(), &fonts).unwrap()).width(),
        1200
    );
}
