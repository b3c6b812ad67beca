//! Demo follow-ups and planned actions, written in batches by `FollowUpWriter`.

use anyhow::Result;
use chrono::{Duration, NaiveDateTime};
use indicatif::ProgressBar;
use rand::Rng;

use crate::db::Db;
use crate::db::ids::{CaseStatusId, FollowUpId, LookupId, UserId};
use crate::store::bulk;
use crate::store::followups::NewFollowUp;
use crate::store::planned::NewPlannedAction;
use crate::t;

use super::reference::{Kind, choose};
use super::{
    CaseInfo, ComplaintInfo, DONE_ACTION_SHARE, Demo, Due, FLUSH_ROWS, Fate, Progress, Subject,
    text,
};

impl Demo {
    /// Spreads `count` follow-ups over the cases (and a tenth over complaints), each case's in
    /// time order, moving its status along the funnel; plans the next action of every open case
    /// and complaint, and records some earlier actions as done by a follow-up.
    pub(super) fn followups(
        &mut self,
        db: &mut Db,
        cases: &[CaseInfo],
        complaints: &[ComplaintInfo],
        count: usize,
        progress: &Progress,
    ) -> Result<(usize, usize)> {
        let count = if cases.is_empty() && complaints.is_empty() {
            0
        } else {
            count
        };
        let bar = progress.step(t!("demo.step.followups"), count as u64);
        let complaint_share = match (cases.is_empty(), complaints.is_empty()) {
            (_, true) => 0.0,
            (true, false) => 1.0,
            (false, false) => 0.1,
        };
        let mut per_case = vec![0u32; cases.len()];
        let mut per_complaint = vec![0u32; complaints.len()];
        for _ in 0..count {
            if self.rng.random_bool(complaint_share) {
                per_complaint[self.index(complaints.len())] += 1;
            } else {
                per_case[self.index(cases.len())] += 1;
            }
        }
        let mut writer = FollowUpWriter::new(count);
        let mut open_cases = 0usize;
        for (case, k) in cases.iter().zip(per_case) {
            let first = writer.generated();
            self.case_followups(case, k as usize, &mut writer);
            let last = (writer.generated() > first).then(|| writer.generated() - 1);
            match case.fate {
                Fate::Open => {
                    let action = self.open_case_action(case, open_cases, last, &writer);
                    writer.plan(action, last, None);
                    open_cases += 1;
                }
                Fate::Lost | Fate::Cancelled if self.chance(0.5) => {
                    let action = self.cancelled_action(case, last, &writer);
                    writer.plan(action, last, None);
                }
                _ => {}
            }
            writer.flush_if_full(db, &bar)?;
        }
        for (complaint, k) in complaints.iter().zip(per_complaint) {
            let first = writer.generated();
            self.complaint_followups(complaint, k as usize, &mut writer);
            let last = (writer.generated() > first).then(|| writer.generated() - 1);
            if complaint.open {
                let action = self.open_complaint_action(complaint, last, &writer);
                writer.plan(action, last, None);
            }
            writer.flush_if_full(db, &bar)?;
        }
        writer.finish(db, &bar)?;
        bar.finish();
        Ok((writer.followups, writer.actions))
    }

    /// The statuses a case went through, the first being the one it was opened in.
    pub(super) fn status_path(&self, case: &CaseInfo) -> Vec<CaseStatusId> {
        let open = &self.reference.open_statuses;
        let mut path: Vec<CaseStatusId> = open[..=case.reached.min(open.len() - 1)].to_vec();
        match case.fate {
            Fate::Open => {}
            Fate::Won => path.push(self.reference.won),
            Fate::Lost => path.push(self.reference.lost),
            Fate::Cancelled => path.push(self.reference.cancelled),
        }
        path
    }

    pub(super) fn case_followups(
        &mut self,
        case: &CaseInfo,
        k: usize,
        writer: &mut FollowUpWriter,
    ) {
        if k == 0 {
            return;
        }
        let end = case.closed_at.unwrap_or(self.present);
        let times = self.sorted_moments(case.created_at, end, k);
        let path = self.status_path(case);
        let moves = path.len() - 1;
        let mut stage = 0;
        for (j, happened_at) in times.into_iter().enumerate() {
            // Status changes are spread evenly; the last follow-up reaches the case's status.
            let next_stage = (j + 1) * moves / k;
            let status_after = (next_stage > stage).then(|| path[next_stage]);
            stage = next_stage;
            let expert = if self.chance(0.85) {
                case.expert
            } else {
                *choose(&mut self.rng, &self.reference.sales_experts)
            };
            let kind = self.followup_kind(writer.generated());
            let description = self.followup_text(&kind.code, case.english);
            let index = writer.push(NewFollowUp {
                case_id: Some(case.id),
                complaint_id: None,
                kind_id: kind.id,
                happened_at,
                expert_id: expert.id,
                minutes: self.minutes(&kind.code),
                description,
                status_after_id: status_after,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: happened_at,
                updated_at: happened_at,
            });
            if j > 0 && self.chance(DONE_ACTION_SHARE) {
                let action =
                    self.done_action(Subject::Case(case.id), expert.id, case.english, happened_at);
                writer.plan(action, Some(index - 1), Some(index));
            }
        }
    }

    pub(super) fn complaint_followups(
        &mut self,
        complaint: &ComplaintInfo,
        k: usize,
        writer: &mut FollowUpWriter,
    ) {
        if k == 0 {
            return;
        }
        let end = complaint.resolved_at.unwrap_or(self.present);
        let times = self.sorted_moments(complaint.received_at, end, k);
        for (j, happened_at) in times.into_iter().enumerate() {
            let kind = self.followup_kind(writer.generated());
            let texts = if complaint.english {
                text::COMPLAINT_FOLLOWUPS_EN
            } else {
                text::COMPLAINT_FOLLOWUPS_FA
            };
            let description = self.pick(texts).to_string();
            let index = writer.push(NewFollowUp {
                case_id: None,
                complaint_id: Some(complaint.id),
                kind_id: kind.id,
                happened_at,
                expert_id: complaint.expert.id,
                minutes: self.minutes(&kind.code),
                description,
                status_after_id: None,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: happened_at,
                updated_at: happened_at,
            });
            if j > 0 && self.chance(DONE_ACTION_SHARE) {
                let action = self.done_action(
                    Subject::Complaint(complaint.id),
                    complaint.expert.id,
                    complaint.english,
                    happened_at,
                );
                writer.plan(action, Some(index - 1), Some(index));
            }
        }
    }

    /// `k` moments in `[from, until)`, oldest first.
    pub(super) fn sorted_moments(
        &mut self,
        from: NaiveDateTime,
        until: NaiveDateTime,
        k: usize,
    ) -> Vec<NaiveDateTime> {
        let mut times: Vec<NaiveDateTime> =
            (0..k).map(|_| self.moment_between(from, until)).collect();
        times.sort_unstable();
        times
    }

    /// The kind of the `index`th follow-up: the first few use every kind once.
    pub(super) fn followup_kind(&mut self, index: usize) -> Kind {
        let kinds = &self.reference.followup_kinds;
        if let Some(kind) = kinds.get(index) {
            return kind.clone();
        }
        let weights: Vec<(usize, u32)> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (i, text::kind_weight(&k.code)))
            .collect();
        let i = self.weighted(&weights);
        self.reference.followup_kinds[i].clone()
    }

    pub(super) fn minutes(&mut self, kind: &str) -> i32 {
        let (low, high) = text::kind_minutes(kind);
        self.rng.random_range(low..=high)
    }

    pub(super) fn followup_text(&mut self, kind: &str, english: bool) -> String {
        let (en, fa) = text::followup_texts(kind);
        self.pick(if english { en } else { fa }).to_string()
    }

    pub(super) fn action_text(&mut self, kind: &str, english: bool) -> String {
        let (en, fa) = text::action_texts(kind);
        self.pick(if english { en } else { fa }).to_string()
    }

    /// An action planned in one follow-up and carried out by the next one at `done_at`.
    pub(super) fn done_action(
        &mut self,
        subject: Subject,
        assignee: UserId,
        english: bool,
        done_at: NaiveDateTime,
    ) -> NewPlannedAction {
        let (case_id, complaint_id) = subject.ids();
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let due_at = done_at + Duration::hours(self.rng.random_range(-48..=24));
        NewPlannedAction {
            case_id,
            complaint_id,
            kind_id: kind.id,
            description: self.action_text(&kind.code, english),
            assignee_id: assignee,
            due_at,
            estimated_minutes: 5 * self.rng.random_range(1..=12),
            status: "done".to_string(),
            planned_in_followup_id: None,
            done_by_followup_id: None,
            done_at: Some(done_at),
            created_by: self.actor,
            updated_by: self.actor,
            created_at: due_at.min(done_at) - Duration::days(1),
            updated_at: done_at,
        }
    }

    /// The next step of an open case: the first open case's is overdue, the second's due today,
    /// the rest overdue, today or upcoming by chance.
    pub(super) fn open_case_action(
        &mut self,
        case: &CaseInfo,
        ordinal: usize,
        last_followup: Option<usize>,
        writer: &FollowUpWriter,
    ) -> NewPlannedAction {
        let due = match ordinal {
            0 => Due::Overdue,
            1 => Due::Today,
            _ => self.weighted(&[(Due::Overdue, 20), (Due::Today, 15), (Due::Upcoming, 65)]),
        };
        let planned_at = last_followup
            .and_then(|i| writer.happened_at(i))
            .unwrap_or(case.created_at);
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let description = self.action_text(&kind.code, case.english);
        self.open_action(
            Subject::Case(case.id),
            kind.id,
            description,
            case.expert.id,
            due,
            planned_at,
        )
    }

    pub(super) fn open_complaint_action(
        &mut self,
        complaint: &ComplaintInfo,
        last_followup: Option<usize>,
        writer: &FollowUpWriter,
    ) -> NewPlannedAction {
        let due = self.weighted(&[(Due::Overdue, 30), (Due::Today, 20), (Due::Upcoming, 50)]);
        let planned_at = last_followup
            .and_then(|i| writer.happened_at(i))
            .unwrap_or(complaint.received_at);
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let description = if complaint.english {
            text::COMPLAINT_ACTION_EN
        } else {
            text::COMPLAINT_ACTION_FA
        };
        self.open_action(
            Subject::Complaint(complaint.id),
            kind.id,
            description.to_string(),
            complaint.expert.id,
            due,
            planned_at,
        )
    }

    pub(super) fn open_action(
        &mut self,
        subject: Subject,
        kind_id: LookupId,
        description: String,
        assignee: UserId,
        due: Due,
        planned_at: NaiveDateTime,
    ) -> NewPlannedAction {
        let due_day = match due {
            Due::Overdue => self.today - self.days(1..=21),
            Due::Today => self.today,
            Due::Upcoming => self.today + self.days(1..=30),
        };
        let due_at = self.office_time(due_day);
        let (case_id, complaint_id) = subject.ids();
        NewPlannedAction {
            case_id,
            complaint_id,
            kind_id,
            description,
            assignee_id: assignee,
            due_at,
            estimated_minutes: 5 * self.rng.random_range(1..=12),
            status: "open".to_string(),
            planned_in_followup_id: None,
            done_by_followup_id: None,
            done_at: None,
            created_by: self.actor,
            updated_by: self.actor,
            created_at: planned_at,
            updated_at: planned_at,
        }
    }

    /// The next step a lost or cancelled case had planned, cancelled when it closed.
    pub(super) fn cancelled_action(
        &mut self,
        case: &CaseInfo,
        last_followup: Option<usize>,
        writer: &FollowUpWriter,
    ) -> NewPlannedAction {
        let closed_at = case.closed_at.unwrap_or(self.present);
        let planned_at = last_followup
            .and_then(|i| writer.happened_at(i))
            .unwrap_or(case.created_at)
            .min(closed_at);
        let kind = choose(&mut self.rng, &self.reference.action_kinds).clone();
        let description = self.action_text(&kind.code, case.english);
        let due_at = closed_at + self.days(1..=7);
        NewPlannedAction {
            case_id: Some(case.id),
            complaint_id: None,
            kind_id: kind.id,
            description,
            assignee_id: case.expert.id,
            due_at,
            estimated_minutes: 5 * self.rng.random_range(1..=12),
            status: "cancelled".to_string(),
            planned_in_followup_id: None,
            done_by_followup_id: None,
            done_at: None,
            created_by: self.actor,
            updated_by: self.actor,
            created_at: planned_at,
            updated_at: closed_at,
        }
    }
}

/// Buffers follow-ups and the planned actions that point at them, and writes both in batches:
/// an action's follow-up ids are known only once those follow-ups are stored.
pub(super) struct FollowUpWriter {
    /// Generated, not yet written.
    pub(super) buffer: Vec<NewFollowUp>,
    /// When each generated follow-up happened, by its index in generation order.
    pub(super) happened: Vec<NaiveDateTime>,
    /// The ids of the written follow-ups, by index.
    pub(super) ids: Vec<FollowUpId>,
    /// Actions waiting for their follow-ups' ids: (action, planned in, done by).
    pub(super) waiting: Vec<(NewPlannedAction, Option<usize>, Option<usize>)>,
    pub(super) actions_buffer: Vec<NewPlannedAction>,
    pub(super) followups: usize,
    pub(super) actions: usize,
}

impl FollowUpWriter {
    pub(super) fn new(expected: usize) -> FollowUpWriter {
        FollowUpWriter {
            buffer: Vec::with_capacity(FLUSH_ROWS.min(expected)),
            happened: Vec::with_capacity(expected),
            ids: Vec::with_capacity(expected),
            waiting: Vec::new(),
            actions_buffer: Vec::new(),
            followups: 0,
            actions: 0,
        }
    }

    /// How many follow-ups have been generated so far.
    pub(super) fn generated(&self) -> usize {
        self.happened.len()
    }

    pub(super) fn happened_at(&self, index: usize) -> Option<NaiveDateTime> {
        self.happened.get(index).copied()
    }

    /// Adds a follow-up; returns its index.
    pub(super) fn push(&mut self, row: NewFollowUp) -> usize {
        self.happened.push(row.happened_at);
        self.buffer.push(row);
        self.happened.len() - 1
    }

    pub(super) fn plan(
        &mut self,
        action: NewPlannedAction,
        planned_in: Option<usize>,
        done_by: Option<usize>,
    ) {
        self.waiting.push((action, planned_in, done_by));
    }

    pub(super) fn flush_if_full(&mut self, db: &mut Db, bar: &ProgressBar) -> Result<()> {
        if self.buffer.len() >= FLUSH_ROWS {
            self.flush(db, bar)?;
        }
        if self.actions_buffer.len() >= FLUSH_ROWS {
            self.actions += bulk::planned_actions(db, &self.actions_buffer)?;
            self.actions_buffer.clear();
        }
        Ok(())
    }

    /// Writes the buffered follow-ups, then gives the waiting actions their ids.
    pub(super) fn flush(&mut self, db: &mut Db, bar: &ProgressBar) -> Result<()> {
        if !self.buffer.is_empty() {
            let ids = bulk::followups(db, &self.buffer)?;
            self.followups += ids.len();
            self.ids.extend(ids);
            bar.inc(self.buffer.len() as u64);
            self.buffer.clear();
        }
        for (mut action, planned_in, done_by) in self.waiting.drain(..) {
            action.planned_in_followup_id = planned_in.and_then(|i| self.ids.get(i).copied());
            action.done_by_followup_id = done_by.and_then(|i| self.ids.get(i).copied());
            self.actions_buffer.push(action);
        }
        Ok(())
    }

    pub(super) fn finish(&mut self, db: &mut Db, bar: &ProgressBar) -> Result<()> {
        self.flush(db, bar)?;
        self.actions += bulk::planned_actions(db, &self.actions_buffer)?;
        self.actions_buffer.clear();
        Ok(())
    }
}
