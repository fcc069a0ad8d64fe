//! Related questions from shared tags.

use super::Tag;

/// How many related questions are picked from shared tags.
const RELATED_FROM_TAGS: usize = 3;

/// For questions without `related`, picks the questions that share the most
/// tags with them (ties in question order). Linear in the size of the tag
/// lists, not quadratic in the number of questions.
pub(super) fn related_from_tags(related: &mut [Vec<usize>], tags: &[Tag], count: usize) {
    let mut tags_of: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (ti, tag) in tags.iter().enumerate() {
        for &q in &tag.questions {
            if let Some(list) = tags_of.get_mut(q) {
                list.push(ti);
            }
        }
    }
    // Shared-tag counts in a dense array, reset through the list of the
    // questions touched: a hash map here cost more than the rest of the
    // link stage on a 10,000-question site.
    let mut shared: Vec<u32> = vec![0; count];
    let mut touched: Vec<usize> = Vec::new();
    for (qi, list) in related.iter_mut().enumerate() {
        if !list.is_empty() {
            continue;
        }
        let own_tags = tags_of.get(qi).map(Vec::as_slice).unwrap_or(&[]);
        for tag in own_tags.iter().filter_map(|&ti| tags.get(ti)) {
            for &other in &tag.questions {
                if other != qi
                    && let Some(n) = shared.get_mut(other)
                {
                    if *n == 0 {
                        touched.push(other);
                    }
                    *n += 1;
                }
            }
        }
        // Keep the best few while scanning; ties go to the earlier question.
        let mut best: Vec<(usize, u32)> = Vec::with_capacity(RELATED_FROM_TAGS + 1);
        let better = |a: &(usize, u32), b: &(usize, u32)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
        for &q in &touched {
            let candidate = (q, shared.get(q).copied().unwrap_or(0));
            if best.len() < RELATED_FROM_TAGS || best.last().is_some_and(|w| better(&candidate, w))
            {
                let at = best
                    .iter()
                    .position(|b| better(&candidate, b))
                    .unwrap_or(best.len());
                best.insert(at, candidate);
                best.truncate(RELATED_FROM_TAGS);
            }
        }
        for &q in &touched {
            if let Some(n) = shared.get_mut(q) {
                *n = 0;
            }
        }
        touched.clear();
        list.extend(best.into_iter().map(|(q, _)| q));
    }
}
