//! Tests of chart parsing and rendering.
use super::*;

const GOOD: &str = "type = \"bar\"\ntitle = \"Output\"\nunits = \"chips\"\nsource = \"Brief\"\nlabels = [\"2024\", \"2025\", \"2026\"]\nnotes = [\"\", \"plan\", \"target\"]\n[[series]]\nname = \"Chips\"\nvalues = [300000, 600000, 1600000]\n";

#[test]
fn numbers_are_grouped_and_axes_round() {
    assert_eq!(format_number(1_600_000.0), "1,600,000");
    assert_eq!(format_number(999_999_999_999_999.0), "999,999,999,999,999");
    assert_eq!(format_number(1.8e19), "1.8 × 10¹⁹");
    assert_eq!(format_number(1e308), "1 × 10³⁰⁸");
    assert_eq!(format_number(9.999e20), "1 × 10²¹");
    assert_eq!(nice_max(1e308), 1e308);
    let huge = render(
        &parse("type = \"bar\"\ntitle = \"x\"\nlabels = [\"a\", \"b\"]\n[[series]]\nname = \"s\"\nvalues = [1e308, 5]\n").unwrap(),
        "c",
        &ChartWords::default(),
    );
    assert!(!huge.contains("NaN") && !huge.contains("inf"), "{huge}");
    for bad in ["inf", "nan", "-1"] {
        let e = parse(&format!("type = \"bar\"\ntitle = \"x\"\nlabels = [\"a\"]\n[[series]]\nname = \"s\"\nvalues = [{bad}]\n")).unwrap_err();
        assert!(e.message.contains("negative or invalid"), "{bad}: {e:?}");
    }
    assert_eq!(format_number(999.0), "999");
    assert_eq!(format_number(2.5), "2.5");
    assert_eq!(nice_max(1_600_000.0), 2_000_000.0);
    assert_eq!(nice_max(600.0), 1000.0);
}

#[test]
fn a_bar_chart_is_html_with_a_description_solid_and_dashed_bars_and_a_table() {
    let planned = GOOD.replace("[[series]]", "planned = [false, true, true]\n[[series]]");
    let html = render(&parse(&planned).unwrap(), "chart-x", &ChartWords::default());
    assert!(html.contains("<figure class=\"chart chart-bars\" id=\"chart-x\">"));
    assert!(html.contains("role=\"img\" aria-labelledby=\"chart-x-title chart-x-desc\""));
    assert!(html.contains("id=\"chart-x-title\">Output (chips)</span>"));
    assert!(html.contains("id=\"chart-x-desc\">Chips: 2024: 300,000; 2025 (plan): 600,000; 2026 (target): 1,600,000.</span>"));
    assert!(!html.contains("<svg"), "no drawing to shrink: {html}");
    // A reported figure is solid, plans and targets dashed.
    assert_eq!(
        html.matches("<div class=\"chart-row\">").count(),
        1,
        "{html}"
    );
    assert_eq!(
        html.matches("<div class=\"chart-row planned\">").count(),
        2,
        "{html}"
    );
    assert!(html.contains("<span class=\"chart-note\">target</span>"));
    // 1,600,000 on an axis to 2,000,000: 80% of the track.
    assert!(
        html.contains(
            "style=\"--share: 0.8000\"></span><span class=\"chart-value\">1,600,000</span>"
        ),
        "{html}"
    );
    assert!(html.contains("<th scope=\"col\">2026 (target)</th>"));
    assert!(html.contains("<td>600,000</td>"));
    assert!(html.contains("Source: Brief"));
}

#[test]
fn a_line_chart_is_an_svg_whose_text_stays_readable_on_a_phone() {
    let html = render(
        &parse(&GOOD.replace("\"bar\"", "\"line\"")).unwrap(),
        "chart-x",
        &ChartWords::default(),
    );
    assert!(html.contains("role=\"img\" aria-labelledby=\"chart-x-title chart-x-desc\""));
    assert!(html.contains("<title id=\"chart-x-title\">Output (chips)</title>"));
    assert!(html.contains("<desc id=\"chart-x-desc\">Chips: 2024: 300,000; 2025 (plan): 600,000; 2026 (target): 1,600,000.</desc>"));
    assert!(html.contains(">1,600,000</text>"), "value labels");
    assert!(html.contains("class=\"x-note\""), "notes under labels");
    // Drawn at most at its own width (style.css), so the text is
    // LINE_TEXT px at most (and at least 11 px in a 343 px column: the
    // constant assertion beside LINE_TEXT).
    assert!(html.contains(&format!(
        "viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\""
    )));
}

#[test]
fn mistakes_are_explained_with_a_place() {
    let e = parse(
        "type = \"pie\"\ntitle = \"x\"\nlabels = [\"a\"]\n[[series]]\nname = \"s\"\nvalues = [1]\n",
    )
    .unwrap_err();
    assert!(e.message.contains("unknown variant `pie`"), "{e:?}");
    assert_eq!(e.range.start, 7);
    let e = parse("type = \"bar\"\ntitle = \"x\"\nlabels = [\"a\", \"b\"]\n[[series]]\nname = \"s\"\nvalues = [1]\n").unwrap_err();
    assert!(
        e.message
            .contains("series `s` has 1 values but there are 2 labels"),
        "{e:?}"
    );
    let e = parse("type = \"bar\"\ntitel = \"x\"\n").unwrap_err();
    assert!(e.help.contains("did you mean `title`?"), "{e:?}");
}
