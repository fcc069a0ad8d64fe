//! Everything a build depends on besides the site's files, resolved once:
//! command-line flags, the `dossier serve` overrides and "today".
//!
//! "Today" is an input like any other. It comes from `SOURCE_DATE_EPOCH`
//! when that is set (the reproducible-builds convention: seconds since
//! 1970-01-01 UTC), so that two builds of the same tree are byte-identical
//! and tests never depend on the day they run; otherwise from the clock.

use std::path::PathBuf;

use jiff::civil::Date;

use crate::config::Config;

/// The settings of one build, `dossier check` or `dossier serve` session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// The site's folder (holding `site.toml`, `content/`...).
    pub root: PathBuf,
    /// Replaces `base_url` from `site.toml` (`--base-url`, or the preview
    /// server's own address).
    pub base_url: Option<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Fail on warnings as well as errors.
    pub strict: bool,
    /// The day the build is for (see the module documentation).
    pub today: Date,
}

impl Settings {
    /// Settings for the site in `root` with no flags, today from the
    /// environment.
    pub fn new(root: impl Into<PathBuf>) -> Result<Settings, String> {
        Ok(Settings {
            root: root.into(),
            base_url: None,
            drafts: false,
            strict: false,
            today: today()?,
        })
    }

    /// `site.toml`'s settings with the overrides applied.
    pub fn apply(&self, mut config: Config) -> Config {
        if let Some(url) = &self.base_url {
            config.base_url = url.clone();
            if !config.base_url.ends_with('/') {
                config.base_url.push('/');
            }
        }
        config
    }
}

/// Today's date: `SOURCE_DATE_EPOCH` when set, else the clock, in UTC.
pub fn today() -> Result<Date, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => date_of_epoch(&text),
        Err(_) => Ok(jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()),
    }
}

/// The UTC date of `SOURCE_DATE_EPOCH`'s value.
pub fn date_of_epoch(text: &str) -> Result<Date, String> {
    let bad = || {
        format!(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not `{text}`"
        )
    };
    let seconds: i64 = text.trim().parse().map_err(|_| bad())?;
    let at = jiff::Timestamp::from_second(seconds).map_err(|_| bad())?;
    Ok(at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_date_epoch_gives_the_utc_day() {
        assert_eq!(date_of_epoch("0").unwrap().to_string(), "1970-01-01");
        assert_eq!(
            date_of_epoch("1796083199").unwrap().to_string(),
            "2026-11-30"
        );
        assert_eq!(
            date_of_epoch("1796083200").unwrap().to_string(),
            "2026-12-01"
        );
        assert!(date_of_epoch("yesterday").is_err());
    }
}
