//! Charts from data: a fenced ```` ```chart ```` block holding TOML becomes an
//! inline, accessible SVG at build time, followed by the same numbers as a
//! table, so the figures are readable without the picture.
//!
//! ```toml
//! type = "bar"            # or "line"
//! title = "Ascend 910C output"
//! units = "chips"
//! source = "Publisher, date"
//! labels = ["2024", "2025", "2026"]
//! notes = ["", "plan", "target"]   # optional, one per label
//! [[series]]
//! name = "Chips"
//! values = [1, 2, 3]
//! ```

use std::fmt::Write as _;
use std::ops::Range;

use serde::Deserialize;

/// Keys of a chart block, for "did you mean" hints.
pub(crate) const KEYS: &[&str] = &[
    "type", "title", "units", "source", "labels", "notes", "planned", "series",
];

/// A chart as written in a `chart` block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chart {
    /// `bar` or `line`.
    #[serde(rename = "type")]
    pub kind: ChartKind,
    /// Shown above the chart and as the SVG's title.
    pub title: String,
    /// What the values count ("chips").
    #[serde(default)]
    pub units: String,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
    /// One label per value (the x axis).
    pub labels: Vec<String>,
    /// Optional note per label, such as "plan" or "target".
    #[serde(default)]
    pub notes: Vec<String>,
    /// Optional, one per label: `true` for a plan or target (drawn dashed),
    /// `false` for a reported or measured figure (drawn solid).
    #[serde(default)]
    pub planned: Vec<bool>,
    /// The data.
    pub series: Vec<Series>,
}

/// Bars or a line.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// One bar per label (per series).
    Bar,
    /// One line per series.
    Line,
}

/// One named row of values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Series {
    /// Its name, shown in the legend and the table.
    pub name: String,
    /// One value per label.
    pub values: Vec<f64>,
}

/// A mistake in a chart block: the message, how to fix it, and the byte
/// range inside the block's text.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Where, relative to the start of the block's text.
    pub range: Range<usize>,
}

/// True for the label of a chart's fenced block (`chart`, `chart, wide`).
pub fn is_fence(lang: &str) -> bool {
    lang.split([' ', ',']).next() == Some("chart")
}

/// Parses and checks a chart block.
pub fn parse(text: &str) -> Result<Chart, ChartError> {
    let chart: Chart = toml::from_str(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let help = match crate::toml_error::nearest_unknown_key(&message, KEYS) {
            Some(near) => format!("did you mean `{near}`? A chart takes: {}", KEYS.join(", ")),
            None => format!("a chart block is TOML with the keys: {}", KEYS.join(", ")),
        };
        ChartError {
            message: format!("invalid chart: {message}"),
            help,
            range,
        }
    })?;
    let whole = 0..text.len().min(1);
    let fail = |message: String, help: &str| ChartError {
        message,
        help: help.to_string(),
        range: whole.clone(),
    };
    if chart.labels.is_empty() {
        return Err(fail(
            "the chart has no labels".into(),
            "add `labels = [\"2024\", \"2025\"]`, one per value",
        ));
    }
    if chart.series.is_empty() {
        return Err(fail(
            "the chart has no series".into(),
            "add a `[[series]]` table with `name` and `values`",
        ));
    }
    if !chart.notes.is_empty() && chart.notes.len() != chart.labels.len() {
        return Err(fail(
            format!(
                "`notes` has {} entries but there are {} labels",
                chart.notes.len(),
                chart.labels.len()
            ),
            "give one note per label (use \"\" for none)",
        ));
    }
    if !chart.planned.is_empty() && chart.planned.len() != chart.labels.len() {
        return Err(fail(
            format!(
                "`planned` has {} entries but there are {} labels",
                chart.planned.len(),
                chart.labels.len()
            ),
            "give one `true` (a plan or target) or `false` (a reported figure) per label",
        ));
    }
    for s in &chart.series {
        if s.values.len() != chart.labels.len() {
            return Err(fail(
                format!(
                    "series `{}` has {} values but there are {} labels",
                    s.name,
                    s.values.len(),
                    chart.labels.len()
                ),
                "give one value per label",
            ));
        }
        if s.values.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return Err(fail(
                format!("series `{}` has a negative or invalid value", s.name),
                "charts show counts and amounts of zero or more",
            ));
        }
    }
    Ok(chart)
}

/// Values from this size up are written in scientific form.
const SCIENTIFIC_FROM: f64 = 1e15;

/// `1600000` as `1,600,000`; fractions keep up to two decimals. Values of
/// a thousand million million (10¹⁵) and more, whose digits would be too
/// many to read, are written with three significant digits and a power of
/// ten: `1.8 × 10¹⁹`.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    if value.abs() >= SCIENTIFIC_FROM {
        let exponent = value.abs().log10().floor();
        let mantissa = value / 10f64.powf(exponent);
        let (mantissa, exponent) = if (mantissa * 100.0).round() / 100.0 >= 10.0 {
            (mantissa / 10.0, exponent + 1.0)
        } else {
            (mantissa, exponent)
        };
        let m = format!("{:.2}", mantissa);
        let m = m.trim_end_matches('0').trim_end_matches('.');
        let superscript: String = (exponent as i64)
            .to_string()
            .chars()
            .map(|c| match c {
                '0' => '⁰',
                '1' => '¹',
                '2' => '²',
                '3' => '³',
                '4' => '⁴',
                '5' => '⁵',
                '6' => '⁶',
                '7' => '⁷',
                '8' => '⁸',
                '9' => '⁹',
                _ => '⁻',
            })
            .collect();
        return format!("{m} × 10{superscript}");
    }
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc() as u64;
    let digits = whole.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    let fraction = rounded.fract();
    if fraction > 0.0 {
        let f = format!("{fraction:.2}");
        out.push_str(f.trim_start_matches('0').trim_end_matches('0'));
    }
    out
}

/// A round number at or above `max` for the top of the axis: 1, 2 or 5
/// times a power of ten (`max` itself where that would overflow).
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|v| *v >= max && v.is_finite())
        .unwrap_or(max)
}

fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// The chart with the smart punctuation of the body around it in every
/// text it shows.
fn typeset(chart: &Chart) -> Chart {
    use crate::punctuation::smart_punctuation as smart;
    let all = |v: &[String]| v.iter().map(|t| smart(t)).collect();
    Chart {
        kind: chart.kind,
        title: smart(&chart.title),
        units: smart(&chart.units),
        source: smart(&chart.source),
        labels: all(&chart.labels),
        notes: all(&chart.notes),
        planned: chart.planned.clone(),
        series: chart
            .series
            .iter()
            .map(|s| Series {
                name: smart(&s.name),
                values: s.values.clone(),
            })
            .collect(),
    }
}

/// The words a chart shows around its numbers, in the page's language.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub struct ChartWords {
    /// The caption of the table of numbers.
    pub data: String,
    /// The heading of the table's first column.
    pub series: String,
    /// Before the chart's source ("Source:").
    pub source: String,
}

impl ChartWords {
    /// The words of a language's strings table (`chart_table`,
    /// `chart_series`, `chart_source`).
    pub fn from_ui(ui: &std::collections::BTreeMap<String, String>) -> ChartWords {
        let word = |key: &str| ui.get(key).cloned().unwrap_or_default();
        ChartWords {
            data: word("chart_table"),
            series: word("chart_series"),
            source: word("chart_source"),
        }
    }
}

impl Default for ChartWords {
    /// The English words.
    fn default() -> Self {
        ChartWords::from_ui(&crate::ui::strings("en", &Default::default()))
    }
}

/// Renders the chart as a figure, then the same numbers as a table. `id`
/// makes the element ids unique on the page.
///
/// Bar charts are HTML: a row per label with its name, its note and a bar
/// per series, so their text is the page's own at every screen width
/// (an SVG's text shrinks with the picture: a 640-unit drawing on a phone
/// had 6 px labels). A bar is solid for a reported or measured figure and
/// dashed for a plan or target (`planned`). Line charts are an SVG drawn
/// at most at its own size, with text large enough to stay readable when
/// a phone scales it down.
pub fn render(chart: &Chart, id: &str, words: &ChartWords) -> String {
    let chart = &typeset(chart);
    let label_of = |i: usize| {
        let label = chart.labels.get(i).map(String::as_str).unwrap_or("");
        match chart.notes.get(i).filter(|n| !n.is_empty()) {
            Some(note) => format!("{label} ({note})"),
            None => label.to_string(),
        }
    };
    let mut description = String::new();
    for s in &chart.series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{}: {}", label_of(i), format_number(*v)))
            .collect();
        let _ = write!(description, "{}: {}. ", s.name, points.join("; "));
    }
    let units = if chart.units.is_empty() {
        String::new()
    } else {
        format!(" ({})", chart.units)
    };
    let label = format!(
        "aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&format!("{}{units}", chart.title)),
        escape(description.trim())
    );
    let plot = match chart.kind {
        ChartKind::Bar => bars(chart, id, &units, description.trim()),
        ChartKind::Line => line(chart, &label),
    };

    let mut table = String::new();
    let _ = write!(
        table,
        "<table class=\"chart-data\"><caption>{}{}</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(&words.data),
        escape(&units),
        escape(&words.series)
    );
    for i in 0..chart.labels.len() {
        let _ = write!(table, "<th scope=\"col\">{}</th>", escape(&label_of(i)));
    }
    table.push_str("</tr></thead><tbody>");
    for s in &chart.series {
        let _ = write!(table, "<tr><th scope=\"row\">{}</th>", escape(&s.name));
        for v in &s.values {
            let _ = write!(table, "<td>{}</td>", format_number(*v));
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody></table>");
    let source = if chart.source.is_empty() {
        String::new()
    } else {
        format!(
            "<p class=\"chart-source\">{} {}</p>",
            escape(&words.source),
            escape(&chart.source)
        )
    };
    format!(
        "<figure class=\"chart chart-{}\" id=\"{id}\"><figcaption class=\"chart-title\">{}</figcaption>{plot}{table}{source}</figure>\n",
        match chart.kind {
            ChartKind::Bar => "bars",
            ChartKind::Line => "lines",
        },
        escape(&chart.title)
    )
}

/// The top of the value axis: the largest value, rounded up.
fn axis_top(chart: &Chart) -> f64 {
    nice_max(
        chart
            .series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .fold(0.0, f64::max),
    )
}

/// A bar chart as HTML: for each label a row with the label and its note,
/// then one bar per series, as long as its share of the axis, with its
/// value after it. Read out as one image with a description; the table
/// after it has the numbers.
fn bars(chart: &Chart, id: &str, units: &str, description: &str) -> String {
    let top = axis_top(chart);
    let mut out = format!(
        "<div class=\"chart-plot\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"><span class=\"visually-hidden\" id=\"{id}-title\">{}</span><span class=\"visually-hidden\" id=\"{id}-desc\">{}</span>",
        escape(&format!("{}{units}", chart.title)),
        escape(description)
    );
    if !chart.units.is_empty() {
        let _ = write!(out, "<p class=\"chart-units\">{}</p>", escape(&chart.units));
    }
    if chart.series.len() > 1 {
        out.push_str("<p class=\"chart-legend\">");
        for (si, s) in chart.series.iter().enumerate() {
            let _ = write!(
                out,
                "<span class=\"chart-key series-{}\"></span>{} ",
                si % 4,
                escape(&s.name)
            );
        }
        out.push_str("</p>");
    }
    for (i, label) in chart.labels.iter().enumerate() {
        let planned = chart.planned.get(i).copied().unwrap_or(false);
        let _ = write!(
            out,
            "<div class=\"chart-row{}\"><p class=\"chart-label\">{}",
            if planned { " planned" } else { "" },
            escape(label)
        );
        if let Some(note) = chart.notes.get(i).filter(|n| !n.is_empty()) {
            let _ = write!(out, " <span class=\"chart-note\">{}</span>", escape(note));
        }
        out.push_str("</p>");
        for (si, s) in chart.series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            // The share of the axis, as a fraction of the track's width
            // left after room for the value's text (see style.css).
            let share = if top > 0.0 { v / top } else { 0.0 };
            let _ = write!(
                out,
                "<p class=\"chart-track\"><span class=\"chart-bar series-{}\" style=\"--share: {share:.4}\"></span><span class=\"chart-value\">{}</span></p>",
                si % 4,
                format_number(v)
            );
        }
        out.push_str("</div>");
    }
    out.push_str("</div>");
    out
}

/// The size of a line chart's drawing: at most this wide on the page, and
/// 16-unit text, so on a 375 px phone (343 px of text column) its smallest
/// text is 11.4 px.
const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 84.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 56.0;
/// Text size in drawing units (style.css sets the same).
const LINE_TEXT: f64 = 16.0;
// On a 375 px phone (343 px of column) the drawing's text stays >= 11 px.
const _: () = assert!(LINE_TEXT * 343.0 / WIDTH >= 11.0);

/// A line chart as an SVG: axes and grid, a line per series with its
/// points and values, labels and notes under the axis.
fn line(chart: &Chart, label: &str) -> String {
    let top = axis_top(chart);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h - v / top * plot_h;
    let n = chart.labels.len().max(1) as f64;
    let band = plot_w / n;
    let x_center = |i: usize| LEFT + band * (i as f64 + 0.5);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart-svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" font-size=\"{LINE_TEXT}\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" {label}"
    );
    for step in 0..=4 {
        let v = top / 4.0 * step as f64;
        let yy = y(v);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\"/><text class=\"tick\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 5.0,
            format_number(v)
        );
    }
    let _ = write!(
        svg,
        "<text class=\"axis-label\" x=\"14\" y=\"{:.1}\" transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">{}</text>",
        TOP + plot_h / 2.0,
        TOP + plot_h / 2.0,
        escape(if chart.units.is_empty() {
            "Value"
        } else {
            &chart.units
        })
    );
    for i in 0..chart.labels.len() {
        let _ = write!(
            svg,
            "<text class=\"x-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x_center(i),
            HEIGHT - BOTTOM + 22.0,
            escape(chart.labels.get(i).map(String::as_str).unwrap_or(""))
        );
        if let Some(note) = chart.notes.get(i).filter(|n| !n.is_empty()) {
            let _ = write!(
                svg,
                "<text class=\"x-note\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x_center(i),
                HEIGHT - BOTTOM + 42.0,
                escape(note)
            );
        }
    }
    for (si, s) in chart.series.iter().enumerate() {
        let class = format!("series series-{}", si % 4);
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x_center(i), y(*v)))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"{class}\" fill=\"none\" points=\"{}\"/>",
            points.join(" ")
        );
        for (i, v) in s.values.iter().enumerate() {
            let planned = chart.planned.get(i).copied().unwrap_or(false);
            let _ = write!(
                svg,
                "<circle class=\"{class}{}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\"/><text class=\"value\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                if planned { " planned" } else { "" },
                x_center(i),
                y(*v),
                x_center(i),
                y(*v) - 10.0,
                format_number(*v)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
#[path = "chart_tests.rs"]
mod tests;
