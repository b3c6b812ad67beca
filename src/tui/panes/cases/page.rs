//! A case on a page of its own: its fields, its planned actions and its follow-ups.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::db::Db;
use crate::db::ids::CaseId;
use crate::error::Result;
use crate::store::cases::{self, Case};
use crate::store::followups::{self, FollowUpRow, Subject};
use crate::store::planned::{self, PlannedRow};
use crate::store::{names, users};
use crate::t;
use crate::tui::format;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;

/// A case on a page of its own.
pub struct CasePage {
    pub case: Case,
    customer: String,
    expert: String,
    status: String,
    actions: Vec<PlannedRow>,
    followups: Vec<FollowUpRow>,
    pub scroll: u16,
}

impl CasePage {
    pub fn load(db: &mut Db, id: CaseId) -> Result<CasePage> {
        let case = cases::get(db, id)?;
        let people = names::contacts(db, [case.company_id, case.contact_id].into_iter().flatten())?;
        let customer = names::customer(&people, case.company_id, case.contact_id);
        let expert = users::get(db, case.expert_id)?.display_name;
        let status = names::statuses(db)?
            .remove(&case.status_id)
            .map(|(name, _)| name)
            .unwrap_or_default();
        Ok(CasePage {
            actions: planned::of_subject(db, Subject::Case(id))?,
            followups: followups::of_subject(db, Subject::Case(id), 50)?,
            case,
            customer,
            expert,
            status,
            scroll: 0,
        })
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let c = &self.case;
        let heading = |text: String| Line::from(Span::styled(text, theme.header()));
        let mut lines = vec![
            Line::from(format!(
                "{}: {}   {}: {}",
                t!("cases.col.customer"),
                clean(&self.customer),
                t!("cases.col.expert"),
                clean(&self.expert)
            )),
            Line::from(format!(
                "{}: {}   {}: {}   {}: {}",
                t!("cases.col.status"),
                clean(&self.status),
                t!("cases.col.importance"),
                format::importance(&c.importance),
                t!("cases.col.priority"),
                t!("cases.priority", n = c.priority)
            )),
        ];
        if let Some(amount) = c.expected_amount {
            lines.push(Line::from(format!(
                "{}: {}",
                t!("cases.col.expected"),
                group_thousands(amount)
            )));
        }
        if let Some(need) = &c.need {
            lines.push(Line::from(clean(need)));
        }
        lines.push(Line::default());
        lines.push(heading(t!("cases.page.actions")));
        if self.actions.is_empty() {
            lines.push(Line::from(format!("  {}", t!("contacts.detail.none"))));
        }
        for row in &self.actions {
            let a = &row.action;
            lines.push(Line::from(format!(
                "  {}  [{}]  {}  {}  {}",
                format::date_time(a.due_at),
                format::action_status(&a.status),
                clean(&row.kind),
                clean(&row.assignee),
                clean(&a.description)
            )));
        }
        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.followups")));
        if self.followups.is_empty() {
            lines.push(Line::from(format!("  {}", t!("contacts.detail.none"))));
        }
        for f in &self.followups {
            lines.push(Line::from(format!(
                "  {}  {}  {}  {}  {}",
                format::date_time(f.happened_at),
                clean(&f.kind),
                clean(&f.expert),
                format::minutes(f.minutes),
                clean(&f.description)
            )));
        }
        lines
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let title = format!(
            " {}  {} ",
            clean(&self.case.number),
            clean(&self.case.title)
        );
        let block = Block::bordered().title(Line::styled(title, theme.pane_title()));
        frame.render_widget(
            Paragraph::new(self.lines(theme))
                .block(block)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0)),
            area,
        );
    }
}
