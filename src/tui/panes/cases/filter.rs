//! The case list's filter form: status, expert, importance, priority, marketing channel,
//! organisational unit and open cases only; and the filter in words for the frame's title.

use super::{CaseForm, Cases};
use crate::db::Db;
use crate::error::Result;
use crate::store::cases::{CaseFilter, Importance};
use crate::store::lookups::List;
use crate::store::org_units;
use crate::store::statuses;
use crate::store::{names, users};
use crate::t;
use crate::tui::forms::filter::{
    ANY, any_of_list, any_or, chosen, chosen_id, id_value, said_yes, yes_no, yes_no_value,
};
use crate::tui::panes::Effect;
use crate::tui::text::clean;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, Values};

/// The row chosen in a lookup field, if any.
fn looked_up<Id: From<i64>>(values: &[(&'static str, FieldValue)], key: &str) -> Option<Id> {
    Values(values).lookup(key)
}

/// The filter in words, for the frame's title: `status New, expert Sara Rahimi`; empty when it
/// lets every case through (the search is shown apart).
fn describe(db: &mut Db, filter: &CaseFilter) -> Result<String> {
    let mut parts = Vec::new();
    if let Some(id) = filter.status_id {
        let name = statuses::get(db, id)?.name;
        parts.push(t!("filter.part.status", name = clean(&name)));
    }
    if let Some(id) = filter.expert_id {
        let name = users::get(db, id)?.display_name;
        parts.push(t!("filter.part.expert", name = clean(&name)));
    }
    if let Some(importance) = filter.importance {
        let name = crate::i18n::tr(importance.message_key());
        parts.push(t!("filter.part.importance", name = name));
    }
    if let Some(priority) = filter.priority {
        parts.push(t!("filter.part.priority", n = priority));
    }
    if let Some(id) = filter.channel_id {
        let name = names::lookups(db, [id])?.remove(&id).unwrap_or_default();
        parts.push(t!("filter.part.channel", name = clean(&name)));
    }
    if let Some(id) = filter.org_unit_id {
        let name = org_units::all(db)?
            .into_iter()
            .find_map(|(unit, name)| (unit == id).then_some(name))
            .unwrap_or_default();
        parts.push(t!("filter.part.unit", name = clean(&name)));
    }
    if filter.open_only {
        parts.push(t!("filter.part.open"));
    }
    Ok(parts.join(&t!("filter.join")))
}

/// Whether `filter` holds back any case besides what the search does.
pub fn narrows(filter: &CaseFilter) -> bool {
    let search = CaseFilter {
        search: filter.search.clone(),
        ..CaseFilter::default()
    };
    *filter != search
}

impl Cases {
    /// The filter form, filled in with the filter in force.
    pub(super) fn filter_form(&self, db: &mut Db) -> Result<Form> {
        let filter = &self.list.source().filter;
        let statuses = any_or(statuses::all(db)?.into_iter().map(|s| Choice {
            value: s.id.to_string(),
            label: clean(&s.name),
        }));
        let importance = any_or(Importance::ALL.iter().map(|i| Choice {
            value: i.as_str().to_string(),
            label: crate::i18n::tr(i.message_key()).to_string(),
        }));
        let channels = any_of_list(db, List::MarketingChannel)?;
        let units = any_or(org_units::all(db)?.into_iter().map(|(id, name)| Choice {
            value: id.to_string(),
            label: clean(&name),
        }));
        let open = yes_no();
        let mut form = Form::new(t!("cases.filter.form"))
            .field(
                "status",
                t!("field.status"),
                FieldKind::Choice(statuses),
                false,
            )
            .field("expert", t!("field.expert"), FieldKind::Lookup, false)
            .field(
                "importance",
                t!("cases.col.importance"),
                FieldKind::Choice(importance),
                false,
            )
            .field("priority", t!("field.priority"), FieldKind::Whole, false)
            .field(
                "channel",
                t!("filter.label.channel"),
                FieldKind::Choice(channels),
                false,
            )
            .field(
                "unit",
                t!("filter.label.unit"),
                FieldKind::Choice(units),
                false,
            )
            .field(
                "open",
                t!("filter.label.open-only"),
                FieldKind::Choice(open),
                false,
            );
        form.set_value("status", &id_value(filter.status_id));
        if let Some(id) = filter.expert_id {
            let expert = users::get(db, id)?;
            form.set_lookup("expert", id, &clean(&expert.display_name));
        }
        form.set_value(
            "importance",
            filter.importance.map_or(ANY, Importance::as_str),
        );
        if let Some(priority) = filter.priority {
            form.set_value("priority", &priority.to_string());
        }
        form.set_value("channel", &id_value(filter.channel_id));
        form.set_value("unit", &id_value(filter.org_unit_id));
        form.set_value("open", yes_no_value(filter.open_only));
        Ok(form)
    }

    /// Puts the filter form's values in force (the search stays), or marks what is wrong.
    pub(super) fn save_filter(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
    ) -> Effect {
        let priority = Values(values).whole("priority");
        let priority = match priority.map(i32::try_from) {
            None => None,
            Some(Ok(p)) if (1..=5).contains(&p) => Some(p),
            Some(_) => {
                if let Some(CaseForm::Filter(form)) = self.form.as_mut() {
                    form.set_error("priority", t!("invalid.priority"));
                    form.focus_on("priority");
                }
                return Effect::Error(t!(
                    "error.invalid",
                    field = t!("field.priority"),
                    reason = t!("invalid.priority")
                ));
            }
        };
        let filter = CaseFilter {
            status_id: chosen_id(values, "status"),
            expert_id: looked_up(values, "expert"),
            importance: chosen(values, "importance").and_then(Importance::parse),
            priority,
            channel_id: chosen_id(values, "channel"),
            org_unit_id: chosen_id(values, "unit"),
            open_only: said_yes(values, "open"),
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
