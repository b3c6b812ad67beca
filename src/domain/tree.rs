//! Tree order for rows that name their parent: each row followed by those under it.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// `rows` in tree order, each with its depth (0 at the top): every row followed by those under
/// it, siblings in the order given. `id` and `parent` read a row's id and its parent's. A row
/// whose parent is not among them (not given, or caught in a loop of parents) stands at the top.
pub fn depth_first<T, Id>(
    rows: Vec<T>,
    id: impl Fn(&T) -> Id,
    parent: impl Fn(&T) -> Option<Id>,
) -> Vec<(usize, T)>
where
    Id: Copy + Eq + Hash,
{
    let ids: HashSet<Id> = rows.iter().map(&id).collect();
    let mut children: HashMap<Option<Id>, Vec<usize>> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let own = id(row);
        let parent = parent(row).filter(|p| ids.contains(p) && *p != own);
        children.entry(parent).or_default().push(i);
    }
    let mut order: Vec<(usize, usize)> = Vec::with_capacity(rows.len());
    let mut seen = vec![false; rows.len()];
    let mut stack: Vec<(usize, usize)> = children
        .get(&None)
        .map(|top| top.iter().rev().map(|&i| (i, 0)).collect())
        .unwrap_or_default();
    loop {
        while let Some((i, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            order.push((i, depth));
            if let Some(below) = children.get(&Some(id(&rows[i]))) {
                stack.extend(below.iter().rev().map(|&c| (c, depth + 1)));
            }
        }
        // What a loop of parents kept from the top: its first row, then what hangs below it.
        match seen.iter().position(|s| !s) {
            Some(i) => stack.push((i, 0)),
            None => break,
        }
    }
    let mut slots: Vec<Option<T>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| slots[i].take().map(|row| (depth, row)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::depth_first;

    #[test]
    fn children_follow_their_parent_and_a_loop_stands_at_the_top() {
        // (id, parent)
        let rows = vec![
            (1, None),
            (2, Some(1)),
            (3, None),
            (4, Some(2)),
            (5, Some(6)),
            (6, Some(5)),
        ];
        let order: Vec<(usize, i32)> = depth_first(rows, |r| r.0, |r| r.1)
            .into_iter()
            .map(|(depth, r)| (depth, r.0))
            .collect();
        assert_eq!(order, vec![(0, 1), (1, 2), (2, 4), (0, 3), (0, 5), (1, 6)]);
    }
}
