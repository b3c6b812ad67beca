//! Demo complaints and their status histories.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Duration, NaiveDateTime};
use indicatif::ProgressBar;
use rand::Rng;

use crate::db::Db;
use crate::db::ids::{ComplaintId, UserId};
use crate::store::bulk;
use crate::store::complaints::{NewComplaint, NewComplaintStatusChange};
use crate::store::sla;

use super::identifiers::jalali_year;
use super::reference::choose;
use super::{CaseInfo, ComplaintInfo, Contacts, Demo, FLUSH_ROWS, text};

impl Demo {
    pub(super) fn complaints(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        cases: &[CaseInfo],
        count: usize,
        bar: &ProgressBar,
    ) -> Result<Vec<ComplaintInfo>> {
        let mut drafts: Vec<(NewComplaint, ComplaintInfo, Vec<NewComplaintStatusChange>)> =
            Vec::with_capacity(count);
        for i in 0..count {
            let status = match text::COMPLAINT_STATUSES.get(i) {
                Some(forced) => forced.0,
                None => self.weighted(text::COMPLAINT_STATUSES),
            };
            drafts.push(self.complaint(contacts, cases, status));
        }
        drafts.sort_by_key(|d| d.0.received_at);
        let mut sequences: BTreeMap<i32, i64> = BTreeMap::new();
        for (row, _, _) in &mut drafts {
            let year = jalali_year(row.received_at.date());
            let next = sequences.entry(year).or_insert(0);
            *next += 1;
            row.number = format!("C-{year}-{next:05}");
        }
        let mut complaints = Vec::with_capacity(count);
        for chunk in drafts.chunks(FLUSH_ROWS) {
            let rows: Vec<NewComplaint> = chunk.iter().map(|d| d.0.clone()).collect();
            let ids = bulk::complaints(db, &rows)?;
            let mut history = Vec::new();
            for ((_, info, steps), id) in chunk.iter().zip(ids) {
                complaints.push(ComplaintInfo { id, ..info.clone() });
                history.extend(steps.iter().cloned().map(|mut step| {
                    step.complaint_id = id;
                    step
                }));
            }
            bulk::complaint_status_history(db, &history)?;
            bar.inc(rows.len() as u64);
        }
        for (year, last) in sequences {
            crate::store::numbers::raise_to(db, &format!("complaint:{year}"), last)?;
        }
        Ok(complaints)
    }

    pub(super) fn complaint(
        &mut self,
        contacts: &Contacts,
        cases: &[CaseInfo],
        status: &'static str,
    ) -> (NewComplaint, ComplaintInfo, Vec<NewComplaintStatusChange>) {
        let yesterday = self.today - Duration::days(1);
        let case = (!cases.is_empty() && self.chance(0.6)).then(|| &cases[self.index(cases.len())]);
        let (contact, received_day) = match case {
            Some(case) => {
                let opened = case.created_at.date();
                let latest = (opened + Duration::days(60)).min(yesterday).max(opened);
                let span = (latest - opened).num_days();
                (
                    case.customer,
                    opened + Duration::days(self.rng.random_range(0..=span)),
                )
            }
            None => (
                self.index(contacts.all.len()),
                self.today - self.days(1..=300),
            ),
        };
        let received_at = self.office_time(received_day);
        let english = contacts.all[contact].english;
        let category = choose(&mut self.rng, &self.reference.complaint_categories).clone();
        let template = text::COMPLAINTS
            .iter()
            .find(|c| c.0 == category.code)
            .unwrap_or(&text::COMPLAINT_OTHER);
        let (title, description) = if english {
            (template.1, template.3)
        } else {
            (template.2, template.4)
        };
        let expert = *choose(&mut self.rng, &self.reference.after_sales_experts);
        let decided = matches!(
            status,
            "resolution_proposed" | "escalated" | "closed" | "rejected"
        );
        let resolved_at = decided.then(|| {
            let day = (received_day + self.days(1..=20))
                .min(yesterday)
                .max(received_day);
            self.office_time(day)
                .max(received_at + Duration::minutes(30))
        });
        let resolution = decided.then(|| {
            let texts = match (status, english) {
                ("rejected", true) => text::REJECTIONS_EN,
                ("rejected", false) => text::REJECTIONS_FA,
                (_, true) => text::RESOLUTIONS_EN,
                (_, false) => text::RESOLUTIONS_FA,
            };
            self.pick(texts).to_string()
        });
        let steps = self.complaint_history(status, received_at, resolved_at, expert.id);
        let updated_at = steps.last().map_or(received_at, |s| s.changed_at);
        let reached = |to: &str| {
            steps
                .iter()
                .find(|s| s.to_status == to)
                .map(|s| s.changed_at)
        };
        let severity = self.weighted(text::SEVERITIES);
        let (response_due_at, resolution_due_at) = self
            .reference
            .service_levels
            .iter()
            .find(|(s, _)| s.as_str() == severity)
            .map(|(_, policy)| sla::due_times(&self.reference.calendar, policy, received_at))
            .unzip();
        let row = NewComplaint {
            number: String::new(),
            title: title.to_string(),
            description: description.to_string(),
            contact_id: contacts.all[contact].id,
            case_id: case.map(|c| c.id),
            category_id: Some(category.id),
            channel_id: Some(*choose(&mut self.rng, &self.reference.complaint_channels)),
            severity: severity.to_string(),
            status: status.to_string(),
            expert_id: expert.id,
            received_at,
            remedy_requested: None,
            resolution,
            resolved_at,
            acknowledged_at: reached("acknowledged"),
            response_due_at,
            resolution_due_at,
            closed_at: reached("closed").or(reached("rejected")),
            created_by: self.actor,
            updated_by: self.actor,
            created_at: received_at,
            updated_at,
        };
        let info = ComplaintInfo {
            id: ComplaintId::default(),
            received_at,
            resolved_at,
            open: !matches!(status, "closed" | "rejected"),
            expert,
            english,
        };
        (row, info, steps)
    }

    /// The status changes that led to `status`, oldest first (complaint ids filled in later).
    pub(super) fn complaint_history(
        &mut self,
        status: &str,
        received_at: NaiveDateTime,
        resolved_at: Option<NaiveDateTime>,
        expert: UserId,
    ) -> Vec<NewComplaintStatusChange> {
        const LOOP: [&str; 5] = [
            "received",
            "acknowledged",
            "investigating",
            "action_taken",
            "resolution_proposed",
        ];
        let path: Vec<&str> = match status {
            "rejected" => vec!["received", "acknowledged", "rejected"],
            "closed" | "escalated" => LOOP.iter().copied().chain([status]).collect(),
            _ => {
                let reached = LOOP.iter().position(|s| *s == status).unwrap_or(0);
                LOOP[..=reached].to_vec()
            }
        };
        let end = resolved_at.unwrap_or(self.present);
        let mut at = received_at;
        let mut from: Option<&str> = None;
        let mut steps = Vec::with_capacity(path.len());
        for (i, to) in path.iter().enumerate() {
            at = match *to {
                "received" => received_at,
                // The first response, within a working day or so.
                "acknowledged" => {
                    let latest = (received_at + Duration::hours(20)).min(end.max(received_at));
                    self.moment_between(received_at + Duration::minutes(10), latest)
                }
                "investigating" | "action_taken" => {
                    let latest = if resolved_at.is_some() {
                        end
                    } else {
                        self.present
                    };
                    self.moment_between(at + Duration::minutes(10), latest.max(at))
                }
                "closed" | "escalated" => {
                    let latest = (at + Duration::days(5)).min(self.present);
                    self.moment_between(at + Duration::minutes(10), latest.max(at))
                }
                _ => end.max(at),
            };
            steps.push(NewComplaintStatusChange {
                complaint_id: ComplaintId::default(),
                from_status: from.map(str::to_string),
                to_status: to.to_string(),
                changed_by: if i == 0 { self.actor } else { expert },
                changed_at: at,
                note: None,
            });
            from = Some(to);
        }
        steps
    }
}
