//! One contact on a page of its own: its fields, the categories it is filed under, the persons
//! or companies it is linked to, and its cases, complaints and latest follow-ups; over them, on
//! `history`, the contact's audit trail.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::db::Db;
use crate::db::ids::{ContactId, LookupId};
use crate::error::Result;
use crate::i18n;
use crate::store::cases::{self, CaseRow};
use crate::store::categories;
use crate::store::complaints::{self, ComplaintRow};
use crate::store::contacts::{self, Contact, LinkRow};
use crate::store::followups::{self, FollowUpRow};
use crate::store::names;
use crate::t;
use crate::tui::format;
use crate::tui::forms::history::{self, History};
use crate::tui::panes::Effect;
use crate::tui::text::{clean, group_thousands};
use crate::tui::theme::Theme;

/// How many cases, complaints and follow-ups the page shows.
const LATEST: i64 = 10;

pub struct Detail {
    pub contact: Contact,
    /// The names of the lookup entries the contact points at.
    pub names: std::collections::HashMap<LookupId, String>,
    categories: Vec<String>,
    links: Vec<LinkRow>,
    cases: Vec<CaseRow>,
    complaints: Vec<ComplaintRow>,
    followups: Vec<FollowUpRow>,
    pub scroll: u16,
    /// The contact's history, while it is open over the page.
    history: Option<History>,
}

impl Detail {
    pub fn load(db: &mut Db, id: ContactId) -> Result<Detail> {
        let contact = contacts::get(db, id)?;
        let f = &contact.fields;
        let names = names::lookups(
            db,
            [f.company_type_id, f.activity_field_id, f.region_id]
                .into_iter()
                .flatten(),
        )?;
        Ok(Detail {
            names,
            categories: categories::of_contact(db, id)?
                .into_iter()
                .map(|(_, path)| path)
                .collect(),
            links: contacts::links_of(db, id)?,
            cases: cases::of_contact(db, id, LATEST)?,
            complaints: complaints::of_contact(db, id, LATEST)?,
            followups: followups::of_contact(db, id, LATEST)?,
            contact,
            scroll: 0,
            history: None,
        })
    }

    fn field_lines(&self) -> Vec<(String, String)> {
        let f = &self.contact.fields;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let date = |v: &Option<chrono::NaiveDate>| v.map(format::date).unwrap_or_default();
        let lookup = |v: Option<LookupId>| {
            v.and_then(|id| self.names.get(&id).cloned())
                .unwrap_or_default()
        };
        let word = |prefix: &str, v: &Option<String>| {
            v.as_ref()
                .map(|v| {
                    i18n::lookup(&format!("{prefix}.{v}")).map_or_else(|| v.clone(), str::to_string)
                })
                .unwrap_or_default()
        };
        let pairs = [
            ("first-name", text(&f.first_name)),
            ("last-name", text(&f.last_name)),
            ("national-code", text(&f.national_code)),
            ("birth-date", date(&f.birth_date)),
            ("gender", word("gender", &f.gender)),
            ("marital-status", word("marital", &f.marital_status)),
            ("company-name", text(&f.company_name)),
            ("company-national-id", text(&f.company_national_id)),
            ("economic-code", text(&f.economic_code)),
            ("registration-number", text(&f.registration_number)),
            ("registration-date", date(&f.registration_date)),
            ("company-type", lookup(f.company_type_id)),
            ("activity-field", lookup(f.activity_field_id)),
            (
                "staff-count",
                f.staff_count.map(group_thousands).unwrap_or_default(),
            ),
            (
                "turnover",
                f.turnover.map(group_thousands).unwrap_or_default(),
            ),
            ("mobile", text(&f.mobile)),
            ("phone", text(&f.phone)),
            ("fax", text(&f.fax)),
            ("email", text(&f.email)),
            ("website", text(&f.website)),
            ("postal-code", text(&f.postal_code)),
            ("address", text(&f.address)),
            ("region", lookup(f.region_id)),
            ("notes", text(&f.notes)),
        ];
        pairs
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(key, value)| {
                let label = i18n::lookup(&format!("field.{key}"))
                    .map_or_else(|| key.to_string(), str::to_string);
                (label, value)
            })
            .collect()
    }

    fn lines(&self, theme: &Theme) -> Vec<Line<'static>> {
        let heading = |key: String| Line::from(Span::styled(key, theme.header()));
        let none = || Line::from(format!("  {}", t!("contacts.detail.none")));
        let mut lines = vec![heading(t!("contacts.detail.fields"))];
        let fields = self.field_lines();
        let width = fields
            .iter()
            .map(|(l, _)| crate::tui::text::cells(l))
            .max()
            .unwrap_or(0);
        for (label, value) in fields {
            let mut value_lines = clean_lines(&value).into_iter();
            let first = value_lines.next().unwrap_or_default();
            let pad = width.saturating_sub(crate::tui::text::cells(&label));
            lines.push(Line::from(format!("  {label}{}  {first}", " ".repeat(pad))));
            for more in value_lines {
                lines.push(Line::from(format!("  {}  {more}", " ".repeat(width))));
            }
        }

        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.categories")));
        if self.categories.is_empty() {
            lines.push(none());
        }
        for path in &self.categories {
            lines.push(Line::from(format!("  {}", clean(path))));
        }

        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.links")));
        if self.links.is_empty() {
            lines.push(none());
        }
        for link in &self.links {
            let title = link
                .job_title
                .as_ref()
                .map(|t| format!(" ({})", clean(t)))
                .unwrap_or_default();
            lines.push(Line::from(format!("  {}{title}", clean(&link.other_name))));
        }

        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.cases")));
        if self.cases.is_empty() {
            lines.push(none());
        }
        for case in &self.cases {
            lines.push(Line::from(format!(
                "  {}  {}  [{}]",
                clean(&case.number),
                clean(&case.title),
                clean(&case.status)
            )));
        }

        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.complaints")));
        if self.complaints.is_empty() {
            lines.push(none());
        }
        for complaint in &self.complaints {
            lines.push(Line::from(format!(
                "  {}  {}  [{}]",
                clean(&complaint.number),
                clean(&complaint.title),
                format::complaint_status(&complaint.status)
            )));
        }

        lines.push(Line::default());
        lines.push(heading(t!("contacts.detail.followups")));
        if self.followups.is_empty() {
            lines.push(none());
        }
        for followup in &self.followups {
            lines.push(Line::from(format!(
                "  {}  {}  {}  {}  {}",
                format::date_time(followup.happened_at),
                clean(&followup.subject),
                clean(&followup.kind),
                format::minutes(followup.minutes),
                clean(&followup.description)
            )));
        }
        lines
    }

    /// What the page's history overlay makes of `action` (see [`history::key`]); `None` for an
    /// action the pane handles.
    pub fn history_key(&mut self, action: &str, db: &mut Db) -> Option<Effect> {
        let (id, name) = (self.contact.id, self.contact.fields.display_name.clone());
        history::key::<Contact>(&mut self.history, action, db, id, &name)
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let mut title = clean(&self.contact.fields.display_name);
        if self.contact.archived {
            title = format!("{title} {}", t!("contacts.detail.archived"));
        }
        let block = Block::bordered().title(Line::styled(format!(" {title} "), theme.pane_title()));
        frame.render_widget(
            Paragraph::new(self.lines(theme))
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

/// The lines of a multi-line value, each safe to draw.
fn clean_lines(value: &str) -> Vec<String> {
    value.lines().map(clean).collect()
}
