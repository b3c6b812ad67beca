//! Names for the ids a page of a list holds: lists load a page of rows, then the names of the
//! contacts, users, list items, statuses and subjects those rows point at, in one query each.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::Db;
use crate::db::ids::{CaseId, CaseStatusId, ComplaintId, ContactId, LookupId, UserId};
use crate::db::schema::{case_statuses, cases, complaints, contacts, lookups, users};
use crate::error::Result;

fn unique<T: Ord>(ids: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut ids: Vec<T> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The most ids one query binds: well under SQLite's 32,766 variables, for a report that names
/// every referrer on file.
const IDS_PER_QUERY: usize = 10_000;

/// Contact id → display name.
pub fn contacts(
    db: &mut Db,
    ids: impl IntoIterator<Item = ContactId>,
) -> Result<HashMap<ContactId, String>> {
    let mut names = HashMap::new();
    for chunk in unique(ids).chunks(IDS_PER_QUERY) {
        let rows: Vec<(ContactId, String)> = contacts::table
            .filter(contacts::id.eq_any(chunk))
            .select((contacts::id, contacts::display_name))
            .load(db)?;
        names.extend(rows);
    }
    Ok(names)
}

/// The customer of a case as one line: the company and the person, whichever are set, joined
/// with ` · `.
pub fn customer(
    names: &HashMap<ContactId, String>,
    company: Option<ContactId>,
    person: Option<ContactId>,
) -> String {
    [company, person]
        .into_iter()
        .flatten()
        .filter_map(|id| names.get(&id).map(String::as_str))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// User id → login.
pub fn users(
    db: &mut Db,
    ids: impl IntoIterator<Item = UserId>,
) -> Result<HashMap<UserId, String>> {
    let ids = unique(ids);
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(UserId, String)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::login))
        .load(db)?;
    Ok(rows.into_iter().collect())
}

/// List item id → name (follow-up kinds, channels, …).
pub fn lookups(
    db: &mut Db,
    ids: impl IntoIterator<Item = LookupId>,
) -> Result<HashMap<LookupId, String>> {
    let ids = unique(ids);
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(LookupId, String)> = lookups::table
        .filter(lookups::id.eq_any(ids))
        .select((lookups::id, lookups::name))
        .load(db)?;
    Ok(rows.into_iter().collect())
}

/// Case status id → (name, outcome). There are few statuses: all are read.
pub fn statuses(db: &mut Db) -> Result<HashMap<CaseStatusId, (String, String)>> {
    let rows: Vec<(CaseStatusId, String, String)> = case_statuses::table
        .select((
            case_statuses::id,
            case_statuses::name,
            case_statuses::outcome,
        ))
        .load(db)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, outcome)| (id, (name, outcome)))
        .collect())
}

/// What a follow-up or planned action is about: a case or a complaint, by its number, and the
/// customer it concerns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subject {
    pub number: String,
    pub customer: String,
}

/// The subjects of a page of follow-ups or planned actions.
#[derive(Debug, Clone, Default)]
pub struct Subjects {
    cases: HashMap<CaseId, Subject>,
    complaints: HashMap<ComplaintId, Subject>,
}

impl Subjects {
    /// The subject of a row that points at `case` or `complaint` (exactly one is set); empty
    /// when it is not on file.
    pub fn of(&self, case: Option<CaseId>, complaint: Option<ComplaintId>) -> Subject {
        case.and_then(|id| self.cases.get(&id))
            .or_else(|| complaint.and_then(|id| self.complaints.get(&id)))
            .cloned()
            .unwrap_or_default()
    }
}

/// The numbers and customers of the given cases and complaints: three queries however many.
pub fn subjects(
    db: &mut Db,
    case_ids: impl IntoIterator<Item = CaseId>,
    complaint_ids: impl IntoIterator<Item = ComplaintId>,
) -> Result<Subjects> {
    let case_ids = unique(case_ids);
    let complaint_ids = unique(complaint_ids);
    let case_rows: Vec<(CaseId, String, Option<ContactId>, Option<ContactId>)> =
        if case_ids.is_empty() {
            Vec::new()
        } else {
            cases::table
                .filter(cases::id.eq_any(case_ids))
                .select((
                    cases::id,
                    cases::number,
                    cases::company_id,
                    cases::contact_id,
                ))
                .load(db)?
        };
    let complaint_rows: Vec<(ComplaintId, String, ContactId)> = if complaint_ids.is_empty() {
        Vec::new()
    } else {
        complaints::table
            .filter(complaints::id.eq_any(complaint_ids))
            .select((complaints::id, complaints::number, complaints::contact_id))
            .load(db)?
    };
    let names = contacts(
        db,
        case_rows
            .iter()
            .flat_map(|c| [c.2, c.3])
            .flatten()
            .chain(complaint_rows.iter().map(|c| c.2)),
    )?;
    Ok(Subjects {
        cases: case_rows
            .into_iter()
            .map(|(id, number, company, person)| {
                let customer = customer(&names, company, person);
                (id, Subject { number, customer })
            })
            .collect(),
        complaints: complaint_rows
            .into_iter()
            .map(|(id, number, contact)| {
                let customer = names.get(&contact).cloned().unwrap_or_default();
                (id, Subject { number, customer })
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_more_contacts_than_one_statement_binds_are_read_in_chunks() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = crate::db::StoreUrl::Sqlite(dir.path().join("names.db"));
        let mut db = crate::db::open(&url).expect("open");
        // More ids than SQLite binds in one statement; none on file.
        let found = contacts(&mut db, (1..=40_000).map(ContactId)).expect("read");
        assert!(found.is_empty());
    }
}
