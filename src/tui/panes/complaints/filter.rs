//! The complaint list's filter form: status, severity, category, expert, open complaints only
//! and late ones only; and the filter in words for the frame's title.

use super::Complaints;
use crate::db::Db;
use crate::error::Result;
use crate::store::complaints::{ComplaintFilter, ComplaintStatus};
use crate::store::lookups::List;
use crate::store::sla::Severity;
use crate::store::{names, users};
use crate::t;
use crate::tui::forms::filter::{
    ANY, any_of_list, any_or, chosen, chosen_id, said_yes, yes_no, yes_no_value,
};
use crate::tui::panes::Effect;
use crate::tui::text::clean;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, Values};

/// The filter in words, for the frame's title: `status investigating, late only`; empty when it
/// lets every complaint through (the search is shown apart).
fn describe(db: &mut Db, filter: &ComplaintFilter) -> Result<String> {
    let mut parts = Vec::new();
    if let Some(status) = filter.status {
        let name = crate::i18n::tr(status.message_key());
        parts.push(t!("filter.part.status", name = name));
    }
    if let Some(severity) = filter.severity {
        let name = crate::i18n::tr(severity.message_key());
        parts.push(t!("complaints.filter.severity", name = name));
    }
    if let Some(id) = filter.category_id {
        let name = names::lookups(db, [id])?.remove(&id).unwrap_or_default();
        parts.push(t!("complaints.filter.category", name = clean(&name)));
    }
    if let Some(id) = filter.expert_id {
        let name = users::get(db, id)?.display_name;
        parts.push(t!("filter.part.expert", name = clean(&name)));
    }
    if filter.open_only {
        parts.push(t!("filter.part.open"));
    }
    if filter.late_at.is_some() {
        parts.push(t!("complaints.filter.late"));
    }
    Ok(parts.join(&t!("filter.join")))
}

/// Whether `filter` holds back any complaint besides what the search does.
pub fn narrows(filter: &ComplaintFilter) -> bool {
    let search = ComplaintFilter {
        search: filter.search.clone(),
        ..ComplaintFilter::default()
    };
    *filter != search
}

impl Complaints {
    /// The filter form, filled in with the filter in force.
    pub(super) fn filter_form(&self, db: &mut Db) -> Result<Form> {
        let filter = &self.list.source().filter;
        let statuses = any_or(ComplaintStatus::ALL.iter().map(|s| Choice {
            value: s.as_str().to_string(),
            label: crate::i18n::tr(s.message_key()).to_string(),
        }));
        let severities = any_or(Severity::ALL.iter().map(|s| Choice {
            value: s.as_str().to_string(),
            label: crate::i18n::tr(s.message_key()).to_string(),
        }));
        let categories = any_of_list(db, List::ComplaintCategory)?;
        let mut form = Form::new(t!("complaints.filter.form"))
            .field(
                "status",
                t!("field.status"),
                FieldKind::Choice(statuses),
                false,
            )
            .field(
                "severity",
                t!("complaints.col.severity"),
                FieldKind::Choice(severities),
                false,
            )
            .field(
                "category",
                t!("field.category"),
                FieldKind::Choice(categories),
                false,
            )
            .field("expert", t!("field.expert"), FieldKind::Lookup, false)
            .field(
                "open",
                t!("complaints.label.open-only"),
                FieldKind::Choice(yes_no()),
                false,
            )
            .field(
                "late",
                t!("complaints.label.late-only"),
                FieldKind::Choice(yes_no()),
                false,
            );
        form.set_value("status", filter.status.map_or(ANY, ComplaintStatus::as_str));
        form.set_value("severity", filter.severity.map_or(ANY, Severity::as_str));
        form.set_value(
            "category",
            &filter
                .category_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        );
        if let Some(id) = filter.expert_id {
            let expert = users::get(db, id)?;
            form.set_lookup("expert", id, &clean(&expert.display_name));
        }
        form.set_value("open", yes_no_value(filter.open_only));
        form.set_value("late", yes_no_value(self.late_only));
        Ok(form)
    }

    /// Puts the filter form's values in force (the search stays).
    pub(super) fn save_filter(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
    ) -> Effect {
        self.late_only = said_yes(values, "late");
        let filter = ComplaintFilter {
            status: chosen(values, "status").and_then(ComplaintStatus::parse),
            open_only: said_yes(values, "open"),
            severity: chosen(values, "severity").and_then(Severity::parse),
            category_id: chosen_id(values, "category"),
            expert_id: Values(values).lookup("expert"),
            late_at: self.late_only.then(|| (self.clock)()),
            search: self.list.source().filter.search.clone(),
        };
        match describe(db, &filter) {
            Ok(text) => self.filter_text = text,
            Err(e) => return Effect::Error(e.to_string()),
        }
        self.list.source_mut().filter = filter;
        self.form = None;
        self.list.reset(db)
    }
}
