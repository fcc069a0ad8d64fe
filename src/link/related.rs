//! Related questions from shared tags.
//!
//! For a question without `related`, the questions that share the most
//! tags with it, ties in question order. Questions are grouped by their set
//! of tags: every question of a group has the same candidates, so the work
//! grows with the number of distinct tag sets (a few thousand at most for a
//! few dozen tags), not with the square of the number of questions.

use std::collections::HashMap;

use super::Tag;

/// How many related questions are picked from shared tags.
const RELATED_FROM_TAGS: usize = 3;

/// Fills each empty list of `related` with the questions sharing the most
/// tags. `tags_of[q]` are the tags of question `q`, as indexes into `tags`.
pub(super) fn related_from_tags(related: &mut [Vec<usize>], tags: &[Tag], tags_of: &[Vec<usize>]) {
    // Distinct tag sets, with their questions in order.
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut group_of_set: HashMap<Vec<usize>, usize> = HashMap::new();
    for (q, own) in tags_of.iter().enumerate() {
        let mut set = own.clone();
        set.sort_unstable();
        set.dedup();
        if set.is_empty() {
            continue;
        }
        let g = *group_of_set.entry(set.clone()).or_insert_with(|| {
            groups.push((set, Vec::new()));
            groups.len() - 1
        });
        if let Some((_, members)) = groups.get_mut(g) {
            members.push(q);
        }
    }
    // The groups that hold each tag, so that a group meets only the
    // groups it shares a tag with.
    let mut groups_of_tag: Vec<Vec<usize>> = vec![Vec::new(); tags.len()];
    for (g, (set, _)) in groups.iter().enumerate() {
        for &t in set {
            if let Some(list) = groups_of_tag.get_mut(t) {
                list.push(g);
            }
        }
    }
    let mut shared = vec![0u32; groups.len()];
    let mut touched: Vec<usize> = Vec::new();
    let mut best_of_group: Vec<Option<Vec<usize>>> = vec![None; groups.len()];
    for (q, list) in related.iter_mut().enumerate() {
        if !list.is_empty() {
            continue;
        }
        let Some(own) = tags_of.get(q) else { continue };
        let mut set = own.clone();
        set.sort_unstable();
        set.dedup();
        let Some(&g) = group_of_set.get(&set) else {
            continue;
        };
        // The best few candidates of the group (one more than needed, in
        // case the question itself is among them), computed once per group.
        if best_of_group.get(g).is_some_and(Option::is_none) {
            for &t in &set {
                for &other in groups_of_tag.get(t).map(Vec::as_slice).unwrap_or(&[]) {
                    if let Some(n) = shared.get_mut(other) {
                        if *n == 0 {
                            touched.push(other);
                        }
                        *n += 1;
                    }
                }
            }
            // Keep the best few while scanning: more shared tags first, then
            // the earlier question.
            let keep = RELATED_FROM_TAGS + 1;
            let mut best: Vec<(u32, usize)> = Vec::with_capacity(keep + 1);
            let better =
                |a: &(u32, usize), b: &(u32, usize)| a.0 > b.0 || (a.0 == b.0 && a.1 < b.1);
            for &other in &touched {
                let count = shared.get(other).copied().unwrap_or(0);
                let members = groups.get(other).map(|(_, m)| m.as_slice()).unwrap_or(&[]);
                for &m in members.iter().take(keep) {
                    let candidate = (count, m);
                    if best.len() < keep || best.last().is_some_and(|w| better(&candidate, w)) {
                        let at = best
                            .iter()
                            .position(|b| better(&candidate, b))
                            .unwrap_or(best.len());
                        best.insert(at, candidate);
                        best.truncate(keep);
                    } else {
                        // Members are in order: the rest of this group is worse.
                        break;
                    }
                }
            }
            for &other in &touched {
                if let Some(n) = shared.get_mut(other) {
                    *n = 0;
                }
            }
            touched.clear();
            if let Some(slot) = best_of_group.get_mut(g) {
                *slot = Some(best.into_iter().map(|(_, m)| m).collect());
            }
        }
        if let Some(Some(best)) = best_of_group.get(g) {
            list.extend(
                best.iter()
                    .copied()
                    .filter(|&m| m != q)
                    .take(RELATED_FROM_TAGS),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(i: usize) -> Tag {
        Tag {
            name: format!("t{i}"),
            slug: format!("t{i}"),
            questions: Vec::new(),
        }
    }

    #[test]
    fn the_questions_sharing_most_tags_come_first_then_question_order() {
        let tags: Vec<Tag> = (0..4).map(tag).collect();
        // 0: a b   1: a   2: a b c   3: c   4: a b   5: d
        let tags_of = vec![
            vec![0, 1],
            vec![0],
            vec![0, 1, 2],
            vec![2],
            vec![0, 1],
            vec![3],
        ];
        let mut related = vec![Vec::new(); 6];
        related[3] = vec![5];
        related_from_tags(&mut related, &tags, &tags_of);
        assert_eq!(related[0], [2, 4, 1]);
        assert_eq!(related[1], [0, 2, 4]);
        assert_eq!(related[2], [0, 4, 1]);
        assert_eq!(related[3], [5], "a written `related` is kept");
        assert_eq!(related[4], [0, 2, 1]);
        assert!(related[5].is_empty(), "no shared tag, no related question");
    }
}
