//! The on-disk memory of external links that worked, so that checking again
//! soon after does not ask every server again.
//!
//! Only pages that answered are kept, with the fragments found on them;
//! anything broken is asked again on the next run, since the point of
//! running again is usually to see whether it was fixed. The file is
//! `ROOT/.dossier-cache/external.json`, plain JSON, safe to delete.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Target;
use super::fetch::{Answer, Found};

/// Bumped when the file's meaning changes; other versions are ignored.
const VERSION: u32 = 1;

/// Seconds since the Unix epoch.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Pages that answered, by address.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Cache {
    version: u32,
    pages: BTreeMap<String, Entry>,
}

/// One page that answered.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// When it was fetched, in seconds since the Unix epoch.
    checked: u64,
    /// Where a permanent redirect led, so the warning is repeated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    moved_to: Option<String>,
    /// Fragments asked for and found on the page.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    fragments: BTreeSet<String>,
}

impl Cache {
    /// Reads the cache, keeping entries younger than `hours`. A missing,
    /// unreadable or foreign file is an empty cache: it is only a shortcut.
    pub(super) fn load(path: &Path, hours: u64, now: u64) -> Cache {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Cache::default();
        };
        let Ok(mut cache) = serde_json::from_str::<Cache>(&text) else {
            return Cache::default();
        };
        if cache.version != VERSION {
            return Cache::default();
        }
        let max_age = hours.saturating_mul(3600);
        cache
            .pages
            .retain(|_, e| e.checked <= now && now - e.checked < max_age);
        cache
    }

    /// The remembered answer for `target`, if the page is known and every
    /// fragment asked of it was found there.
    pub(super) fn lookup(&self, target: &Target) -> Option<Answer> {
        let entry = self.pages.get(target.url.as_str())?;
        if !target.fragments.is_subset(&entry.fragments) {
            return None;
        }
        Some(Answer::Found(Found {
            moved_to: entry.moved_to.clone(),
            missing: BTreeMap::new(),
        }))
    }

    /// Remembers `answer` for `target` if the page answered.
    pub(super) fn record(&mut self, target: &Target, answer: &Answer, now: u64) {
        let Answer::Found(found) = answer else {
            self.pages.remove(target.url.as_str());
            return;
        };
        let fragments = target
            .fragments
            .iter()
            .filter(|f| !found.missing.contains_key(*f))
            .cloned()
            .collect();
        self.pages.insert(
            target.url.to_string(),
            Entry {
                checked: now,
                moved_to: found.moved_to.clone(),
                fragments,
            },
        );
    }

    /// Writes the cache, creating its folder; through a temporary file, so
    /// that an interrupted run leaves the old cache or the new one.
    pub(super) fn save(&mut self, path: &Path) -> std::io::Result<()> {
        self.version = VERSION;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let partial = path.with_extension("json.partial");
        std::fs::write(&partial, text)?;
        std::fs::rename(&partial, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::external::fetch::Failure;

    fn target(url: &str, fragments: &[&str]) -> Target {
        Target {
            url: url::Url::parse(url).unwrap(),
            fragments: fragments.iter().map(|f| f.to_string()).collect(),
        }
    }

    #[test]
    fn keeps_what_worked_until_it_is_too_old() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/external.json");
        let mut cache = Cache::default();
        let page = target("http://h/p", &["a", "b"]);
        let mut found = Found::default();
        found.missing.insert("b".to_string(), None);
        cache.record(&page, &Answer::Found(found), 1000);
        let gone = target("http://h/gone", &[]);
        cache.record(&gone, &Answer::Failed(Failure::Timeout), 1000);
        cache.save(&path).unwrap();

        let fresh = Cache::load(&path, 1, 1000 + 3599);
        assert!(fresh.lookup(&target("http://h/p", &["a"])).is_some());
        // `b` was missing: asked again.
        assert!(fresh.lookup(&page).is_none());
        assert!(fresh.lookup(&gone).is_none());
        let old = Cache::load(&path, 1, 1000 + 3600);
        assert!(old.lookup(&target("http://h/p", &[])).is_none());
    }

    #[test]
    fn a_damaged_file_is_an_empty_cache() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("external.json");
        std::fs::write(&path, "{ not json").unwrap();
        assert!(Cache::load(&path, 24, 0).pages.is_empty());
    }
}
