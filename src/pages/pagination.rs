//! Long lists split into pages: `first/`, `first/page/2/`... with links to
//! the previous, the next and nearby pages.

use serde::Serialize;

use crate::link::Index;
use crate::urls::paths;

/// A link to one page of a list.
#[derive(Serialize, Hash)]
pub(super) struct PageNumber {
    number: usize,
    /// `None` for the page being shown.
    url: Option<String>,
    /// A gap in the numbers ("…") comes before this one.
    gap_before: bool,
}

/// Where one page of a list stands among the others.
#[derive(Serialize, Hash)]
pub(super) struct Pagination {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PageNumber>,
}

/// The pages of a list of `count` items, `per` to a page, as (page number,
/// item range). An empty list has one, empty, page.
pub(super) fn split(count: usize, per: usize) -> Vec<(usize, std::ops::Range<usize>)> {
    let per = per.max(1);
    let pages = count.div_ceil(per).max(1);
    (1..=pages)
        .map(|n| (n, (n - 1) * per..(n * per).min(count)))
        .collect()
}

/// The pagination of page `n` of `total`, for a list whose first page is
/// at site path `first`: the first and last pages, and two on either side
/// of the current one.
pub(super) fn pagination(index: &Index, first: &str, n: usize, total: usize) -> Option<Pagination> {
    if total <= 1 {
        return None;
    }
    let from = paths::numbered(first, n);
    let url = |k: usize| index.urls.url_from(&from, &paths::numbered(first, k));
    let shown: Vec<usize> = (1..=total)
        .filter(|&k| k == 1 || k == total || k.abs_diff(n) <= 2)
        .collect();
    let mut pages = Vec::with_capacity(shown.len());
    let mut last = 0;
    for k in shown {
        pages.push(PageNumber {
            number: k,
            url: (k != n).then(|| url(k)),
            gap_before: k > last + 1,
        });
        last = k;
    }
    Some(Pagination {
        current: n,
        total,
        previous: (n > 1).then(|| url(n - 1)),
        next: (n < total).then(|| url(n + 1)),
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_into_full_pages_and_a_last_one() {
        assert_eq!(split(0, 50), vec![(1, 0..0)]);
        assert_eq!(
            split(120, 50),
            vec![(1, 0..50), (2, 50..100), (3, 100..120)]
        );
    }
}
