//! Line breaking for share cards: where a title may break, how many lines
//! it takes at a size, the largest size at which it fits, and an ellipsis
//! as the last resort.
//!
//! Widths are measured from the fonts ([`measure`]); everything after that
//! is arithmetic on [`Measured`], so the breaking rules are tested without
//! rendering.

use super::card::CardError;
use super::fonts::CardFonts;

/// The ellipsis that ends a title cut short.
pub const ELLIPSIS: char = '…';

/// Text with the face and advance of every character, whitespace
/// collapsed to single spaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    chars: Vec<char>,
    /// The face (in [`CardFonts`]) drawing each character.
    faces: Vec<usize>,
    /// Each character's advance in ems.
    advances: Vec<f32>,
    /// The face and advance of [`ELLIPSIS`].
    ellipsis: (usize, f32),
}

/// One laid-out line: characters `start..end` of the text (trailing
/// spaces left out), then an ellipsis if the text was cut here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Index of the first character.
    pub start: usize,
    /// Index one past the last character drawn.
    pub end: usize,
    /// The line ends in [`ELLIPSIS`] because the text did not fit.
    pub ellipsis: bool,
}

/// Lines at one font size.
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapped {
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// A word wider than the line had to be broken inside.
    pub broke_word: bool,
}

/// A title laid out to fit: its size, lines, and whether it was cut.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    /// Font size in pixels.
    pub font_size: f32,
    /// At most the allowed number of lines.
    pub lines: Vec<Line>,
}

impl Fitted {
    /// Whether the title was cut short with an ellipsis.
    pub fn truncated(&self) -> bool {
        self.lines.iter().any(|l| l.ellipsis)
    }
}

/// Measures `text` set at `weight`: collapses whitespace, drops control
/// characters, picks each
/// character's face and shapes each run of one face.
///
/// Fails with [`CardError::MissingGlyphs`], naming every character that no
/// font has, rather than drawing empty boxes.
pub fn measure(text: &str, fonts: &CardFonts, weight: u16) -> Result<Measured, CardError> {
    // Control characters draw nothing; whitespace collapses as in HTML.
    let chars: Vec<char> = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut faces = Vec::with_capacity(chars.len());
    let mut missing = Vec::new();
    for &c in &chars {
        match fonts.face_for(c, weight) {
            Some(face) => faces.push(face),
            None => {
                if !missing.contains(&c) {
                    missing.push(c);
                }
                faces.push(0);
            }
        }
    }
    if !missing.is_empty() {
        return Err(CardError::MissingGlyphs { chars: missing });
    }
    let mut advances = Vec::with_capacity(chars.len());
    for (start, end) in runs(&faces) {
        let run: String = chars.get(start..end).unwrap_or_default().iter().collect();
        advances.extend(fonts.advances(&run, faces.get(start).copied().unwrap_or(0)));
    }
    let ellipsis_face = fonts
        .face_for(ELLIPSIS, weight)
        .ok_or(CardError::MissingGlyphs {
            chars: vec![ELLIPSIS],
        })?;
    let ellipsis_width = fonts
        .advances(&ELLIPSIS.to_string(), ellipsis_face)
        .iter()
        .sum();
    Ok(Measured {
        chars,
        faces,
        advances,
        ellipsis: (ellipsis_face, ellipsis_width),
    })
}

/// Ranges of consecutive equal values: the runs of one face.
pub(crate) fn runs(faces: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=faces.len() {
        if faces.get(i) != faces.get(start) {
            out.push((start, i));
            start = i;
        }
    }
    out
}

impl Measured {
    /// Text measured by hand: every character in face 0 with the given
    /// advance (in ems). For tests of the breaking rules.
    pub fn uniform(text: &str, advance: f32) -> Measured {
        let chars: Vec<char> = text.chars().collect();
        Measured {
            faces: vec![0; chars.len()],
            advances: vec![advance; chars.len()],
            chars,
            ellipsis: (0, advance),
        }
    }

    /// The characters, whitespace collapsed.
    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// The text of `line`, ellipsis included.
    pub fn text_of(&self, line: &Line) -> String {
        let mut text: String = self
            .chars
            .get(line.start..line.end)
            .unwrap_or_default()
            .iter()
            .collect();
        if line.ellipsis {
            text.push(ELLIPSIS);
        }
        text
    }

    /// The runs of `line` drawn by one face: `(face, text)`, the ellipsis
    /// as a run of its own face.
    pub(crate) fn face_runs(&self, line: &Line) -> Vec<(usize, String)> {
        let faces = self.faces.get(line.start..line.end).unwrap_or_default();
        let mut out: Vec<(usize, String)> = runs(faces)
            .into_iter()
            .map(|(s, e)| {
                let text = self
                    .chars
                    .get(line.start + s..line.start + e)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                (faces.get(s).copied().unwrap_or(0), text)
            })
            .collect();
        if line.ellipsis {
            out.push((self.ellipsis.0, ELLIPSIS.to_string()));
        }
        out
    }

    fn width(&self, start: usize, end: usize) -> f32 {
        self.advances
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .sum()
    }

    /// The width of `line` in ems, ellipsis included.
    pub fn line_width(&self, line: &Line) -> f32 {
        self.width(line.start, line.end) + if line.ellipsis { self.ellipsis.1 } else { 0.0 }
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// Pieces that lines are made of: `(start, end)` of the characters
    /// up to the next break opportunity, trailing spaces included.
    fn pieces(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for i in 1..=self.chars.len() {
            let breaks = match (self.char_at(i - 1), self.char_at(i)) {
                (Some(before), Some(after)) => may_break_between(before, after),
                _ => true,
            };
            if breaks {
                out.push((start, i));
                start = i;
            }
        }
        out
    }

    /// `end` moved back over trailing spaces.
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.char_at(end - 1) == Some(' ') {
            end -= 1;
        }
        end
    }

    /// Greedy line filling at `max_width` ems: as many pieces as fit on
    /// each line; a piece wider than a whole line is broken between
    /// characters (never before a combining mark).
    pub fn wrap(&self, max_width: f32) -> Wrapped {
        let mut lines = Vec::new();
        let mut broke_word = false;
        let mut line: Option<(usize, usize)> = None;
        for (start, end) in self.pieces() {
            let content_end = self.trim_end(start, end);
            if let Some((line_start, _)) = line {
                if self.width(line_start, content_end) <= max_width {
                    line = Some((line_start, end));
                    continue;
                }
                if let Some((s, e)) = line.take() {
                    lines.push((s, e));
                }
            }
            if self.width(start, content_end) <= max_width {
                line = Some((start, end));
                continue;
            }
            // A piece wider than the line: fill lines character by character.
            broke_word = true;
            let mut from = start;
            while from < content_end {
                let mut to = from + 1;
                while to < content_end
                    && (self.width(from, to + 1) <= max_width
                        || self.char_at(to).is_some_and(is_combining))
                {
                    to += 1;
                }
                if to < content_end {
                    lines.push((from, to));
                } else {
                    // The end of the word, with its spaces, starts a line
                    // the next pieces may join.
                    line = Some((from, end));
                }
                from = to;
            }
        }
        lines.extend(line);
        Wrapped {
            lines: lines
                .into_iter()
                .map(|(start, end)| Line {
                    start,
                    end: self.trim_end(start, end),
                    ellipsis: false,
                })
                .collect(),
            broke_word,
        }
    }

    /// The largest of `sizes` (pixels, largest first) at which the text
    /// takes at most `max_lines` lines of `max_width` pixels without
    /// breaking a word; at the smallest size, breaking words is allowed
    /// and what does not fit is cut with an ellipsis.
    pub fn fit(&self, max_width: f32, max_lines: usize, sizes: &[f32]) -> Fitted {
        let max_lines = max_lines.max(1);
        let smallest = sizes.iter().copied().fold(f32::INFINITY, f32::min);
        let smallest = if smallest.is_finite() { smallest } else { 16.0 };
        for &size in sizes {
            let wrapped = self.wrap(max_width / size);
            if wrapped.lines.len() <= max_lines && !wrapped.broke_word {
                return Fitted {
                    font_size: size,
                    lines: wrapped.lines,
                };
            }
        }
        let mut lines = self.wrap(max_width / smallest).lines;
        if lines.len() > max_lines {
            lines.truncate(max_lines);
            if let Some(last) = lines.last_mut() {
                *last = self.cut(*last, max_width / smallest);
            }
        }
        Fitted {
            font_size: smallest,
            lines,
        }
    }

    /// `line` shortened until it and an ellipsis fit in `max_width` ems:
    /// back to the last break opportunity if that keeps more than half the
    /// line, otherwise between characters.
    fn cut(&self, line: Line, max_width: f32) -> Line {
        let room = max_width - self.ellipsis.1;
        let mut end = line.end;
        while end > line.start
            && (self.width(line.start, end) > room || self.char_at(end).is_some_and(is_combining))
        {
            end -= 1;
        }
        let breaks_at = |i: usize| match (
            i.checked_sub(1).and_then(|b| self.char_at(b)),
            self.char_at(i),
        ) {
            (Some(before), Some(after)) => may_break_between(before, after) || after == ' ',
            _ => true,
        };
        if end < line.end && !breaks_at(end) {
            let half = line.start + (end - line.start) / 2;
            if let Some(at) = (half + 1..end).rev().find(|&i| breaks_at(i)) {
                end = at;
            }
        }
        Line {
            start: line.start,
            end: self.trim_end(line.start, end),
            ellipsis: true,
        }
    }
}

/// Chinese, Japanese and Korean characters written without spaces between
/// words, so a line may break on either side of them.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF      // radicals
        | 0x3000..=0x303F    // CJK symbols and punctuation
        | 0x3040..=0x30FF    // hiragana, katakana
        | 0x3100..=0x312F    // bopomofo
        | 0x31F0..=0x31FF    // katakana extensions
        | 0x3400..=0x4DBF    // extension A
        | 0x4E00..=0x9FFF    // unified ideographs
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // extensions B and later
}

/// Characters a line must not start with (closing punctuation, small
/// kana, prolonged sound mark), after the usual kinsoku rules.
fn no_break_before(c: char) -> bool {
    "、。，．,.:;?!：；？！)）]］}｝」』】〕〉》〗〙〛’”ーゝゞヽヾ々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥・"
        .contains(c)
}

/// Characters a line must not end with (opening brackets and quotes).
fn no_break_after(c: char) -> bool {
    "(（[［{｛「『【〔〈《〖〘〚‘“".contains(c)
}

/// Whether a line may end between `before` and `after`: after a space,
/// after a hyphen or dash inside a word, or on either side of a CJK
/// character, unless punctuation forbids it.
fn may_break_between(before: char, after: char) -> bool {
    if after == ' ' || is_combining(after) || no_break_before(after) || no_break_after(before) {
        return false;
    }
    before == ' '
        || (matches!(before, '-' | '‐' | '–' | '—') && after.is_alphanumeric())
        || is_cjk(before)
        || is_cjk(after)
}

/// Marks that belong to the character before them.
fn is_combining(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0x200D | 0x3099..=0x309A)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(m: &Measured, lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| m.text_of(l)).collect()
    }

    #[test]
    fn breaks_at_spaces_and_keeps_words_whole() {
        let m = Measured::uniform("one two three four", 1.0);
        assert_eq!(texts(&m, &m.wrap(9.0).lines), ["one two", "three", "four"]);
        assert_eq!(texts(&m, &m.wrap(100.0).lines), ["one two three four"]);
        // Exactly the width of "one two three" fits.
        assert_eq!(texts(&m, &m.wrap(13.0).lines), ["one two three", "four"]);
        assert!(!m.wrap(9.0).broke_word);
    }

    #[test]
    fn a_long_title_wraps_into_more_lines_as_the_width_shrinks() {
        let title = "How many Ascend 910C chips can SMIC make in 2025, and what do the US export controls change?";
        let m = Measured::uniform(title, 0.55);
        let lines = |width: f32| m.wrap(width).lines.len();
        assert_eq!(lines(1000.0), 1);
        assert!(lines(20.0) > lines(40.0));
        for line in m.wrap(20.0).lines {
            assert!(m.line_width(&line) <= 20.0);
        }
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_only_when_it_must_be() {
        let m = Measured::uniform("a verylongwordindeed b", 1.0);
        let wrapped = m.wrap(6.0);
        assert!(wrapped.broke_word);
        assert_eq!(
            texts(&m, &wrapped.lines),
            ["a", "verylo", "ngword", "indeed", "b"]
        );
        // Combining marks stay with their letter.
        let m = Measured::uniform("e\u{301}e\u{301}e\u{301}", 1.0);
        let lines = texts(&m, &m.wrap(1.0).lines);
        assert_eq!(lines, ["e\u{301}", "e\u{301}", "e\u{301}"]);
    }

    #[test]
    fn cjk_breaks_between_ideographs_but_not_before_closing_punctuation() {
        let m = Measured::uniform("华为昇腾芯片，产量翻倍。", 1.0);
        let lines = texts(&m, &m.wrap(4.0).lines);
        assert_eq!(lines, ["华为昇腾", "芯片，产", "量翻倍。"]);
        assert!(!m.wrap(4.0).broke_word);
        // 「 never ends a line and 」 never starts one.
        let m = Measured::uniform("他说「昇腾」", 1.0);
        assert_eq!(texts(&m, &m.wrap(3.0).lines), ["他说", "「昇", "腾」"]);
        // Latin words inside CJK text stay whole.
        let m = Measured::uniform("华为Ascend芯片", 1.0);
        assert_eq!(texts(&m, &m.wrap(7.0).lines), ["华为", "Ascend芯", "片"]);
    }

    #[test]
    fn breaks_after_a_hyphen_inside_a_word() {
        let m = Measured::uniform("state-of-the-art", 1.0);
        assert_eq!(texts(&m, &m.wrap(9.0).lines), ["state-of-", "the-art"]);
    }

    #[test]
    fn fit_shrinks_the_font_before_breaking_words_and_cuts_last() {
        let m = Measured::uniform("alpha beta gamma delta", 0.5);
        let sizes = [64.0, 48.0, 32.0];
        // 22 chars × 0.5 em × 32 px = 352 px on one line.
        let fitted = m.fit(400.0, 1, &sizes);
        assert_eq!((fitted.font_size, fitted.lines.len()), (32.0, 1));
        assert!(!fitted.truncated());
        let fitted = m.fit(400.0, 2, &sizes);
        assert_eq!(fitted.font_size, 64.0);
        assert_eq!(texts(&m, &fitted.lines), ["alpha beta", "gamma delta"]);

        // Too long for one line at the smallest size: the first line,
        // and an ellipsis.
        let fitted = m.fit(300.0, 1, &sizes);
        assert_eq!(fitted.font_size, 32.0);
        assert!(fitted.truncated());
        assert_eq!(texts(&m, &fitted.lines), ["alpha beta gamma…"]);
        // No room for the ellipsis after "gamma": back to the last space.
        let fitted = m.fit(260.0, 1, &sizes);
        assert_eq!(texts(&m, &fitted.lines), ["alpha beta…"]);
        // A word too long for the line is cut inside.
        let m = Measured::uniform("incomprehensibilities", 0.5);
        let fitted = m.fit(100.0, 1, &sizes);
        assert_eq!(texts(&m, &fitted.lines), ["incom…"]);
        for line in &fitted.lines {
            assert!(m.line_width(line) * 32.0 <= 100.0);
        }
    }

    #[test]
    fn empty_and_single_character_texts() {
        let m = Measured::uniform("", 1.0);
        assert!(m.wrap(10.0).lines.is_empty());
        assert!(m.fit(100.0, 4, &[10.0]).lines.is_empty());
        let m = Measured::uniform("x", 1.0);
        assert_eq!(texts(&m, &m.wrap(0.1).lines), ["x"]);
        let fitted = m.fit(1.0, 1, &[]);
        assert_eq!(fitted.lines.len(), 1);
    }
}
