//! A complaint on a page of its own: its fields, its two service-level clocks, the remedy the
//! customer asked for, the root cause, the resolution and the satisfaction, then a timeline of
//! its status history (who, when, why), its corrective and preventive actions and its
//! follow-ups, newest last; over them, on `history`, the complaint's audit trail.

use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::db::Db;
use crate::db::ids::ComplaintId;
use crate::domain::working_time::Calendar;
use crate::error::Result;
use crate::store::complaints::{self, ActionKind, Complaint};
use crate::store::followups::{self, Subject};
use crate::store::{names, planned, users};
use crate::t;
use crate::tui::format;
use crate::tui::forms::history::{self, History};
use crate::tui::panes::Effect;
use crate::tui::text::clean;
use crate::tui::theme::Theme;

use super::list::clock_text;

/// How many of the complaint's latest follow-ups its page shows.
const FOLLOWUPS_READ: i64 = 500;

/// A complaint on a page of its own.
pub struct ComplaintPage {
    pub complaint: Complaint,
    customer: String,
    expert: String,
    category: Option<String>,
    channel: Option<String>,
    root_cause: Option<String>,
    /// The history and the actions as lines, oldest first.
    timeline: Vec<(NaiveDateTime, String)>,
    pub scroll: u16,
    /// The complaint's history, while it is open over the page.
    history: Option<History>,
}

impl ComplaintPage {
    pub fn load(db: &mut Db, id: ComplaintId) -> Result<ComplaintPage> {
        let complaint = complaints::get(db, id)?;
        let customer = names::contacts(db, [complaint.contact_id])?
            .remove(&complaint.contact_id)
            .unwrap_or_default();
        let expert = users::get(db, complaint.expert_id)?.display_name;
        let lookups = names::lookups(
            db,
            [
                complaint.category_id,
                complaint.channel_id,
                complaint.root_cause_id,
            ]
            .into_iter()
            .flatten(),
        )?;
        let name_of =
            |id: Option<crate::db::ids::LookupId>| id.and_then(|id| lookups.get(&id).cloned());
        let (category, channel, root_cause) = (
            name_of(complaint.category_id),
            name_of(complaint.channel_id),
            name_of(complaint.root_cause_id),
        );
        let history = complaints::history(db, id)?;
        let actions = complaints::actions_of(db, id)?;
        let people = names::users(
            db,
            history
                .iter()
                .map(|s| s.changed_by)
                .chain(actions.iter().map(|a| a.owner_id)),
        )?;
        let who = |id| people.get(&id).map_or_else(String::new, |name| clean(name));
        let mut timeline: Vec<(NaiveDateTime, String)> = Vec::new();
        for step in &history {
            let to = format::complaint_status(&step.to_status);
            let moved = match &step.from_status {
                Some(from) => t!(
                    "complaints.step.moved",
                    from = format::complaint_status(from),
                    to = to
                ),
                None => to,
            };
            let mut text = t!(
                "complaints.step",
                when = format::date_time(step.changed_at),
                what = moved,
                who = who(step.changed_by)
            );
            if let Some(note) = &step.note {
                text.push_str(&t!("complaints.step.why", why = clean(note)));
            }
            timeline.push((step.changed_at, text));
        }
        for action in &actions {
            let kind = match ActionKind::parse(&action.kind) {
                Some(ActionKind::Preventive) => t!("complaints.action.preventive"),
                _ => t!("complaints.action.corrective"),
            };
            let done = match action.done_at {
                Some(at) => t!("complaints.action.done", at = format::date_time(at)),
                None => t!("complaints.action.open"),
            };
            timeline.push((
                action.created_at,
                t!(
                    "complaints.action",
                    when = format::date_time(action.created_at),
                    kind = kind,
                    what = clean(&action.description),
                    owner = who(action.owner_id),
                    due = format::date(action.due_on),
                    done = done
                ),
            ));
        }
        // Its follow-ups and the actions planned in them (or for its first response).
        let followups = followups::of_subject(db, Subject::Complaint(id), FOLLOWUPS_READ)?;
        for followup in &followups {
            timeline.push((
                followup.happened_at,
                t!(
                    "complaints.followup",
                    when = format::date_time(followup.happened_at),
                    kind = clean(&followup.kind),
                    what = clean(&followup.description),
                    who = clean(&followup.expert)
                ),
            ));
        }
        for planned in planned::of_subject(db, Subject::Complaint(id))? {
            let action = &planned.action;
            timeline.push((
                action.created_at,
                t!(
                    "complaints.planned",
                    when = format::date_time(action.created_at),
                    what = clean(&action.description),
                    who = clean(&planned.assignee),
                    due = format::date_time(action.due_at),
                    status = format::action_status(&action.status)
                ),
            ));
        }
        // Oldest first, so the newest comes last; a sort that keeps ties in the order read.
        timeline.sort_by_key(|(at, _)| *at);
        Ok(ComplaintPage {
            complaint,
            customer,
            expert,
            category,
            channel,
            root_cause,
            timeline,
            scroll: 0,
            history: None,
        })
    }

    fn lines(
        &self,
        theme: &Theme,
        calendar: Option<&Calendar>,
        now: NaiveDateTime,
    ) -> Vec<Line<'static>> {
        let c = &self.complaint;
        let heading = |text: String| Line::from(Span::styled(text, theme.header()));
        let labelled = |label: String, value: String| Line::from(format!("{label}: {value}"));
        let mut lines = vec![
            Line::from(format!(
                "{}: {}   {}: {}",
                t!("complaints.col.customer"),
                clean(&self.customer),
                t!("complaints.col.expert"),
                clean(&self.expert)
            )),
            Line::from(format!(
                "{}: {}   {}: {}   {}: {}",
                t!("complaints.col.status"),
                format::complaint_status(&c.status),
                t!("complaints.col.severity"),
                format::severity(&c.severity),
                t!("complaints.col.received"),
                format::date_time(c.received_at)
            )),
        ];
        let mut extra = Vec::new();
        if let Some(category) = &self.category {
            extra.push(format!("{}: {}", t!("field.category"), clean(category)));
        }
        if let Some(channel) = &self.channel {
            extra.push(format!(
                "{}: {}",
                t!("complaints.label.channel"),
                clean(channel)
            ));
        }
        if c.repeat_count > 0 {
            extra.push(t!(
                "complaints.page.repeats",
                n = format::number(c.repeat_count)
            ));
        }
        if !extra.is_empty() {
            lines.push(Line::from(extra.join("   ")));
        }
        let (response, resolution) = match calendar {
            Some(calendar) => complaints::clocks(calendar, c, now),
            None => (None, None),
        };
        if let Some(due) = c.response_due_at {
            lines.push(Line::from(t!(
                "complaints.page.response",
                due = format::date_time(due),
                clock = clock_text(response)
            )));
        }
        if let Some(due) = c.resolution_due_at {
            lines.push(Line::from(t!(
                "complaints.page.resolution",
                due = format::date_time(due),
                clock = clock_text(resolution)
            )));
        }
        lines.push(Line::default());
        lines.push(Line::from(clean(&c.description)));
        lines.push(Line::default());
        let none = || t!("contacts.detail.none");
        lines.push(labelled(
            t!("field.remedy"),
            c.remedy_requested.as_deref().map_or_else(none, clean),
        ));
        lines.push(labelled(
            t!("field.root-cause"),
            self.root_cause.as_deref().map_or_else(none, clean),
        ));
        lines.push(labelled(
            t!("field.resolution"),
            c.resolution.as_deref().map_or_else(none, clean),
        ));
        lines.push(labelled(
            t!("field.satisfaction"),
            c.satisfaction.map_or_else(none, |n| {
                t!("complaints.page.satisfaction", n = format::number(n))
            }),
        ));
        lines.push(Line::default());
        lines.push(heading(t!("complaints.page.timeline")));
        if self.timeline.is_empty() {
            lines.push(Line::from(format!("  {}", none())));
        }
        for (_, text) in &self.timeline {
            lines.push(Line::from(format!("  {text}")));
        }
        lines
    }

    /// What the page's history overlay makes of `action` (see [`history::key`]); `None` for an
    /// action the pane handles.
    pub fn history_key(&mut self, action: &str, db: &mut Db) -> Option<Effect> {
        let (id, number) = (self.complaint.id, self.complaint.number.clone());
        history::key::<Complaint>(&mut self.history, action, db, id, &number)
    }

    pub fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        theme: &Theme,
        calendar: Option<&Calendar>,
        now: NaiveDateTime,
    ) {
        let title = format!(
            " {}  {} ",
            clean(&self.complaint.number),
            clean(&self.complaint.title)
        );
        let block = Block::bordered().title(Line::styled(title, theme.pane_title()));
        frame.render_widget(
            Paragraph::new(self.lines(theme, calendar, now))
                .block(block)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            area,
        );
        if let Some(history) = &self.history {
            history.render(frame, area, theme);
        }
    }
}
