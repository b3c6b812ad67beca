//! Demo sales cases: how each one ends, its parties and its words.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;

use crate::db::Db;
use crate::db::ids::CaseId;
use crate::store::bulk;
use crate::store::cases::NewCase;
use crate::t;

use super::identifiers::{jalali_year, persian_digits, whole_millions};
use super::reference::choose;
use super::{CaseInfo, Contacts, Demo, FLUSH_ROWS, Fate, Progress, text};

impl Demo {
    pub(super) fn cases(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        count: usize,
        progress: &Progress,
    ) -> Result<Vec<CaseInfo>> {
        let count = if contacts.all.is_empty() { 0 } else { count };
        let bar = progress.step(t!("demo.step.cases"), count as u64);
        let open_count = self.reference.open_statuses.len();
        // Every status and every importance appears in the first few cases.
        let mut fates: Vec<(Fate, usize)> = (0..open_count).map(|i| (Fate::Open, i)).collect();
        fates.extend([(Fate::Won, 0), (Fate::Lost, 0), (Fate::Cancelled, 0)]);
        let mut drafts: Vec<(NewCase, CaseInfo)> = Vec::with_capacity(count);
        for i in 0..count {
            let (fate, reached) = match fates.get(i) {
                Some(forced) => *forced,
                None => self.fate(),
            };
            let importance = match text::IMPORTANCE.get(i) {
                Some(forced) => forced.0,
                None => self.weighted(text::IMPORTANCE),
            };
            drafts.push(self.case(contacts, fate, reached, importance));
        }
        // Numbers follow the order cases were opened in, one sequence per (Jalali) year.
        drafts.sort_by_key(|(row, _)| row.created_at);
        let mut sequences: BTreeMap<i32, i64> = BTreeMap::new();
        for (row, _) in &mut drafts {
            let year = jalali_year(row.created_at.date());
            let next = sequences.entry(year).or_insert(0);
            *next += 1;
            row.number = crate::store::numbers::case_number(year, *next);
            row.search_text = crate::store::cases::search_text(&row.number, &row.title);
        }
        let mut cases = Vec::with_capacity(count);
        for chunk in drafts.chunks(FLUSH_ROWS) {
            let rows: Vec<NewCase> = chunk.iter().map(|d| d.0.clone()).collect();
            let ids = bulk::cases(db, &rows)?;
            for ((_, info), id) in chunk.iter().zip(ids) {
                cases.push(CaseInfo { id, ..info.clone() });
            }
            bar.inc(rows.len() as u64);
        }
        for (year, last) in sequences {
            crate::store::numbers::raise_to(db, &format!("case:{year}"), last)?;
        }
        bar.finish();
        Ok(cases)
    }

    pub(super) fn fate(&mut self) -> (Fate, usize) {
        let open_count = self.reference.open_statuses.len();
        let fate = self.weighted(&[
            (Fate::Open, 56),
            (Fate::Won, 22),
            (Fate::Lost, 14),
            (Fate::Cancelled, 8),
        ]);
        let reached = match fate {
            Fate::Open => self.index(open_count),
            // A won case got at least halfway down the funnel; a lost one could stop anywhere.
            Fate::Won => self.rng.random_range(open_count / 2..open_count),
            _ => self.index(open_count),
        };
        (fate, reached)
    }

    pub(super) fn case(
        &mut self,
        contacts: &Contacts,
        fate: Fate,
        reached: usize,
        importance: &'static str,
    ) -> (NewCase, CaseInfo) {
        let (company, person) = self.case_parties(contacts);
        let customer = company.or(person).unwrap_or(0);
        let english = contacts.all[customer].english;
        let city = contacts.all[customer].city;
        let expert = *choose(&mut self.rng, &self.reference.sales_experts);
        let representative = if self.chance(0.5) {
            let other = *choose(&mut self.rng, &self.reference.sales_experts);
            (other.id != expert.id).then_some(other.id)
        } else {
            None
        };
        let referrer = if self.chance(0.25) {
            let other = contacts.all[self.index(contacts.all.len())].id;
            (other != contacts.all[customer].id).then_some(other)
        } else {
            None
        };
        let group = self.index(self.reference.product_groups.len());
        let (created_at, closed_at) = match fate {
            Fate::Open => {
                let created = self.today - self.days(1..=180);
                (self.office_time(created), None)
            }
            _ => {
                let age = self.rng.random_range(30..=365);
                let created = self.today - Duration::days(age);
                let open_days = self.rng.random_range(3..=(age - 1).min(120));
                let closed = created + Duration::days(open_days);
                (self.office_time(created), Some(self.office_time(closed)))
            }
        };
        let expected = self.rials(9..12);
        let won = (fate == Fate::Won).then(|| {
            let percent: i64 = self.rng.random_range(70..=115);
            let amount = whole_millions(expected / 100 * percent);
            (amount, closed_at.map_or(self.today, |c| c.date()))
        });
        let status_id = match fate {
            Fate::Open => self.reference.open_statuses[reached],
            Fate::Won => self.reference.won,
            Fate::Lost => self.reference.lost,
            Fate::Cancelled => self.reference.cancelled,
        };
        let closed_badly = matches!(fate, Fate::Lost | Fate::Cancelled);
        let (title, need) = self.case_text(english, group, created_at.date());
        let close_reason = *choose(&mut self.rng, &self.reference.close_reasons);
        let close_note = if english {
            *self.pick(text::CLOSE_NOTES_EN)
        } else {
            *self.pick(text::CLOSE_NOTES_FA)
        };
        let row = NewCase {
            number: String::new(),
            title,
            company_id: company.map(|c| contacts.all[c].id),
            contact_id: person.map(|p| contacts.all[p].id),
            expert_id: expert.id,
            representative_id: representative,
            referrer_id: referrer,
            need: self.chance(0.9).then_some(need),
            channel_id: Some(*choose(&mut self.rng, &self.reference.channels)),
            org_unit_id: Some(expert.unit),
            status_id,
            importance: importance.to_string(),
            priority: self.rng.random_range(1..=5),
            product_group_id: Some(self.reference.product_groups[group].id),
            region_id: Some(self.reference.cities[city].id),
            expected_amount: self.chance(0.9).then_some(expected),
            won_amount: won.map(|w| w.0),
            won_on: won.map(|w| w.1),
            close_reason_id: closed_badly.then_some(close_reason),
            close_note: closed_badly.then(|| close_note.to_string()),
            closed_at,
            search_text: String::new(),
            created_by: self.actor,
            updated_by: self.actor,
            created_at,
            updated_at: closed_at.unwrap_or(created_at),
        };
        let info = CaseInfo {
            id: CaseId::default(),
            fate,
            reached,
            created_at,
            closed_at,
            expert,
            customer,
            english,
            group,
            city,
            won,
        };
        (row, info)
    }

    /// A case's company and person: both (the person usually works there), or one of them.
    pub(super) fn case_parties(&mut self, contacts: &Contacts) -> (Option<usize>, Option<usize>) {
        let roll = self.rng.random_range(0..100);
        let with_company =
            !contacts.companies.is_empty() && (roll < 70 || contacts.persons.is_empty());
        let with_person =
            !contacts.persons.is_empty() && (roll >= 15 || contacts.companies.is_empty());
        let company = with_company.then(|| *self.pick(&contacts.companies));
        let person = with_person.then(|| match company.and_then(|c| contacts.staff.get(&c)) {
            Some(staff) if !staff.is_empty() && self.chance(0.85) => *self.pick(staff),
            _ => *self.pick(&contacts.persons),
        });
        (company, person)
    }

    pub(super) fn case_text(
        &mut self,
        english: bool,
        group: usize,
        opened: NaiveDate,
    ) -> (String, String) {
        let quantity = self.rng.random_range(2..60).to_string();
        // The year as the customer writes it: Gregorian in English, Jalali in Persian.
        let year = if english {
            opened.year()
        } else {
            jalali_year(opened)
        }
        .to_string();
        let product = &self.reference.product_groups[group];
        let (titles, needs, noun, quantity, year) = if english {
            (
                text::CASE_TITLES_EN,
                text::CASE_NEEDS_EN,
                product.noun_en.clone(),
                quantity,
                year,
            )
        } else {
            (
                text::CASE_TITLES_FA,
                text::CASE_NEEDS_FA,
                product.noun_fa.clone(),
                persian_digits(&quantity),
                persian_digits(&year),
            )
        };
        let fill = |template: &str| {
            template
                .replace("{p}", &noun)
                .replace("{q}", &quantity)
                .replace("{y}", &year)
        };
        let title = *self.pick(titles);
        let need = *self.pick(needs);
        (fill(title), fill(need))
    }
}
