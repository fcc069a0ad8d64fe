//! Dates that keep the precision they were written with.
//!
//! An event "in 2025" is not an event on 1 January 2025: `2025`, `2025-03`
//! and `2025-03-14` are kept apart, sorted sensibly and shown as written.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::Date;
use jiff::fmt::strtime::BrokenDownTime;
use serde::{Deserialize, Serialize};

/// How much of a date was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// `2025`
    Year,
    /// `2025-03`
    Month,
    /// `2025-03-14`
    Day,
}

/// A date given to year, month or day precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The first day the date covers (1 January for a year).
    pub start: Date,
    /// How much of it was written.
    pub precision: Precision,
}

/// What a date may be written as in front-matter: a string, a bare TOML
/// date, or a bare year.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawDate {
    Text(String),
    Toml(toml::value::Datetime),
    Year(i64),
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = match RawDate::deserialize(d)? {
            RawDate::Text(s) => s,
            RawDate::Toml(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
            RawDate::Toml(dt) => dt.to_string().chars().take(10).collect(),
            RawDate::Year(y) => y.to_string(),
        };
        PartialDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<PartialDate, String> {
        let text = text.trim();
        let (format, precision) = match text.matches('-').count() {
            0 => ("%Y", Precision::Year),
            1 => ("%Y-%m", Precision::Month),
            _ => ("%Y-%m-%d", Precision::Day),
        };
        let parsed = BrokenDownTime::parse(format, text).ok();
        let start = parsed.and_then(|p| {
            let year = p.year()?;
            let month = p.month().unwrap_or(1);
            let day = p.day().unwrap_or(1);
            Date::new(year, month, day).ok()
        });
        // Years are written with four digits, so `25` is a mistake, not 25 AD.
        let four_digit_year = text.split('-').next().is_some_and(|y| y.len() == 4);
        match start {
            Some(start) if four_digit_year => Ok(PartialDate { start, precision }),
            _ => Err(format!(
                "bad date `{text}`\nwrite a date as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\" (for example \"2025-03\" or \"2025-03-14\"), and check that the day exists"
            )),
        }
    }

    /// The value for `<time datetime>`: exactly the written precision.
    pub fn iso(&self) -> String {
        match self.precision {
            Precision::Year => format!("{:04}", self.start.year()),
            Precision::Month => format!("{:04}-{:02}", self.start.year(), self.start.month()),
            Precision::Day => self.start.to_string(),
        }
    }

    /// The date for readers: "2025", "March 2025" or "14 March 2025".
    pub fn human(&self) -> String {
        match self.precision {
            Precision::Year => self.start.strftime("%Y").to_string(),
            Precision::Month => self.start.strftime("%B %Y").to_string(),
            Precision::Day => self.start.strftime("%-d %B %Y").to_string(),
        }
    }

    /// The date as readers of the language with BCP 47 tag `tag` write
    /// it: `14 March 2025` in English, `2025年3月14日` in Chinese and
    /// Japanese; year and month alone as written.
    pub fn human_in(&self, tag: &str) -> String {
        let primary = crate::language::primary_subtag(tag);
        if primary != "zh" && primary != "ja" {
            return self.human();
        }
        let (y, m, d) = (self.start.year(), self.start.month(), self.start.day());
        match self.precision {
            Precision::Year => format!("{y}年"),
            Precision::Month => format!("{y}年{m}月"),
            Precision::Day => format!("{y}年{m}月{d}日"),
        }
    }

    /// The last day the date covers (31 December for a year).
    pub fn last_day(&self) -> Date {
        match self.precision {
            Precision::Year => Date::new(self.start.year(), 12, 31).unwrap_or(self.start),
            Precision::Month => self.start.last_of_month(),
            Precision::Day => self.start,
        }
    }

    /// RFC 3339 timestamp at midnight UTC of the first day, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        format!("{}T00:00:00Z", self.start)
    }
}

impl Ord for PartialDate {
    /// Earlier first; for the same start, the less precise date first, so a
    /// year heads the events that fall within it.
    fn cmp(&self, other: &Self) -> Ordering {
        self.start
            .cmp(&other.start)
            .then(self.precision.cmp(&other.precision))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_is_kept_and_shown_as_written() {
        let y = PartialDate::parse("2025").unwrap();
        let m = PartialDate::parse("2025-03").unwrap();
        let d = PartialDate::parse("2025-03-04").unwrap();
        assert_eq!((y.iso(), y.human()), ("2025".into(), "2025".into()));
        assert_eq!(
            (
                y.human_in("zh-Hans"),
                m.human_in("zh-Hans"),
                d.human_in("zh-Hans")
            ),
            ("2025年".into(), "2025年3月".into(), "2025年3月4日".into())
        );
        assert_eq!(d.human_in("en-GB"), "4 March 2025");
        assert_eq!(
            (m.iso(), m.human()),
            ("2025-03".into(), "March 2025".into())
        );
        assert_eq!(
            (d.iso(), d.human()),
            ("2025-03-04".into(), "4 March 2025".into())
        );
        assert!(y < m && m < d);
        assert_eq!(m.last_day().to_string(), "2025-03-31");
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in ["2025-02-30", "2025-13", "March 2025", "25", "2025-3-1x", ""] {
            assert!(PartialDate::parse(bad).is_err(), "{bad} was accepted");
        }
        assert!(PartialDate::parse("2024-02-29").is_ok());
    }

    #[test]
    fn bare_toml_dates_and_years_are_accepted() {
        #[derive(Deserialize)]
        struct F {
            a: PartialDate,
            b: PartialDate,
            c: PartialDate,
        }
        let f: F = toml::from_str("a = 2025-03-14\nb = \"2025-03\"\nc = 2024").unwrap();
        assert_eq!(
            (f.a.iso(), f.b.iso(), f.c.iso()),
            ("2025-03-14".into(), "2025-03".into(), "2024".into())
        );
    }
}
