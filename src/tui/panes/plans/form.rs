//! The plan forms: a new plan with its first line, the selected plan's fields to edit, and a
//! line to add to it. Each saves through the store, which checks the whole plan (a period that
//! ends before it starts, lines that would count the same sale, …); a plan may be split by
//! month or quarter of the calendar in force as it is saved.

use chrono::NaiveDate;

use super::Plans;
use crate::db::Db;
use crate::db::ids::{LookupId, SalesPlanId, UserId};
use crate::error::{ChangedBy, Error, FieldError, Result};
use crate::report::plan_vs_actual::Key;
use crate::store::lookups::{self, List};
use crate::store::plans::{self, LineFields, Market, PlanFields, SalesPlan, Split, Term};
use crate::store::users;
use crate::t;
use crate::tui::format;
use crate::tui::panes::Effect;
use crate::tui::text::clean;
use crate::tui::widgets::form::{
    Choice, FieldKind, FieldValue, Form, Values, field_key, saved_meanwhile,
};

/// What the open form is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// A new plan with its first line.
    New,
    /// The plan's own fields, as they were at `version`.
    Edit { id: SalesPlanId, version: i64 },
    /// One more line for the plan.
    Line { id: SalesPlanId },
    /// The report written to a file.
    Export,
}

/// The choices of a dimension: "all" (an empty value), then each (id, name).
fn all_or<Id: std::fmt::Display>(all: String, entries: Vec<(Id, String)>) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: all,
    })
    .chain(entries.into_iter().map(|(id, name)| Choice {
        value: id.to_string(),
        label: name,
    }))
    .collect()
}

fn choices(pairs: &[(&str, String)]) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(value, label)| Choice {
            value: value.to_string(),
            label: label.clone(),
        })
        .collect()
}

/// The plan's own fields on `form`.
fn plan_fields(form: Form) -> Form {
    let markets = choices(&[
        ("b2b", format::market("b2b")),
        ("b2c", format::market("b2c")),
    ]);
    let terms = choices(&[
        ("short", format::term("short")),
        ("long", format::term("long")),
    ]);
    let splits = choices(&[
        ("", t!("plans.split.none")),
        ("month", t!("plans.split.month")),
        ("quarter", t!("plans.split.quarter")),
    ]);
    form.field("plan-name", t!("field.plan-name"), FieldKind::Text, true)
        .field(
            "market",
            t!("plans.col.market"),
            FieldKind::Choice(markets),
            true,
        )
        .field("term", t!("plans.col.term"), FieldKind::Choice(terms), true)
        .field("starts-on", t!("field.starts-on"), FieldKind::Date, true)
        .field("ends-on", t!("field.ends-on"), FieldKind::Date, true)
        .field(
            "split",
            t!("plans.label.split"),
            FieldKind::Choice(splits),
            false,
        )
        .field("notes", t!("field.notes"), FieldKind::Multiline, false)
}

/// The form that edits `plan`'s own fields, filled with them.
fn edit_form(plan: &SalesPlan) -> Form {
    let mut form = plan_fields(Form::new(t!("plans.form.edit", name = clean(&plan.name))));
    form.set_value("plan-name", &plan.name);
    form.set_value("market", &plan.market);
    form.set_value("term", &plan.term);
    form.set_value("starts-on", &format::date(plan.starts_on));
    form.set_value("ends-on", &format::date(plan.ends_on));
    if let Some(notes) = &plan.notes {
        form.set_value("notes", notes);
    }
    form
}

/// A line's fields on `form`.
fn line_fields(db: &mut Db, form: Form) -> Result<Form> {
    let entries = |db: &mut Db, list: List| -> Result<Vec<(LookupId, String)>> {
        Ok(lookups::items(db, list)?
            .into_iter()
            .map(|i| (i.id, i.name))
            .collect())
    };
    let groups = all_or(t!("report.all.product"), entries(db, List::ProductGroup)?);
    let regions = all_or(t!("report.all.region"), entries(db, List::Region)?);
    let experts: Vec<(UserId, String)> = users::experts(db)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(form
        .field(
            "product-group",
            t!("report.heading.product"),
            FieldKind::Choice(groups),
            false,
        )
        .field(
            "region",
            t!("report.heading.region"),
            FieldKind::Choice(regions),
            false,
        )
        .field(
            "expert",
            t!("report.heading.expert"),
            FieldKind::Choice(all_or(t!("report.all.expert"), experts)),
            false,
        )
        .field("amount", t!("plans.label.amount"), FieldKind::Money, true)
        .field(
            "quantity",
            t!("plans.label.quantity"),
            FieldKind::Whole,
            false,
        ))
}

/// The line the form describes.
fn line_of(values: Values) -> LineFields {
    LineFields {
        product_group_id: values.choice_id("product-group"),
        region_id: values.choice_id("region"),
        expert_id: values.choice_id("expert"),
        target_amount: values.whole("amount").unwrap_or(0),
        target_quantity: values.whole("quantity"),
        period: None,
    }
}

/// The plan the form describes.
fn plan_of(values: Values) -> PlanFields {
    let day = |key: &str| values.date(key).unwrap_or(NaiveDate::MIN);
    PlanFields {
        name: values.text("plan-name").unwrap_or_default(),
        market: values
            .choice("market")
            .and_then(Market::parse)
            .unwrap_or_default(),
        term: values
            .choice("term")
            .and_then(Term::parse)
            .unwrap_or_default(),
        starts_on: day("starts-on"),
        ends_on: day("ends-on"),
        notes: values.text("notes"),
    }
}

/// `lines` split by the month or quarter the form asks for, over `period`.
fn split_as_asked(
    values: Values,
    period: (NaiveDate, NaiveDate),
    lines: Vec<LineFields>,
) -> Vec<LineFields> {
    match values.choice("split").and_then(Split::parse) {
        Some(by) => plans::split_period(period, &lines, by, crate::domain::locale::calendar()),
        None => lines,
    }
}

impl Plans {
    /// A new plan, starting today for a quarter, with its first line.
    pub(super) fn open_new(&mut self, db: &mut Db) -> Effect {
        let form = match line_fields(db, plan_fields(Form::new(t!("plans.form.new")))) {
            Ok(form) => form,
            Err(e) => return Effect::Error(e.to_string()),
        };
        let mut form = form;
        let today = self.today();
        form.set_value("market", "b2b");
        form.set_value("term", "short");
        form.set_value("starts-on", &format::date(today));
        let end = today
            .checked_add_months(chrono::Months::new(3))
            .and_then(|d| d.pred_opt())
            .unwrap_or(today);
        form.set_value("ends-on", &format::date(end));
        self.open_form(form, Purpose::New)
    }

    /// The selected plan's fields, as they are stored now.
    pub(super) fn open_edit(&mut self, db: &mut Db) -> Effect {
        let Some(id) = self.shown.as_ref().map(|s| s.report.plan.id) else {
            return Effect::Message(t!("plans.none-selected"));
        };
        match plans::get(db, id) {
            Ok(plan) => {
                let purpose = Purpose::Edit {
                    id,
                    version: plan.version,
                };
                self.open_form(edit_form(&plan), purpose)
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Someone saved the plan being edited after its form was opened: the form keeps what was
    /// typed and is handed the plan as it is stored now, whose version the next save goes over.
    fn on_conflict(&mut self, db: &mut Db, by: Option<&ChangedBy>) -> Effect {
        let Some((Purpose::Edit { id, .. }, _)) = &self.form else {
            return Effect::Ignored;
        };
        let id = *id;
        match plans::get(db, id) {
            Ok(plan) => {
                if let Some((purpose, open)) = self.form.as_mut() {
                    *purpose = Purpose::Edit {
                        id,
                        version: plan.version,
                    };
                    open.conflict(saved_meanwhile(by), Some(edit_form(&plan)));
                }
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// One more line for the selected plan, its dimensions those of the group drilled into.
    pub(super) fn open_line(&mut self, db: &mut Db) -> Effect {
        let Some(plan) = self.shown.as_ref().map(|s| s.report.plan.clone()) else {
            return Effect::Message(t!("plans.none-selected"));
        };
        let title = t!("plans.form.line", name = clean(&plan.name));
        let mut form = match line_fields(db, Form::new(title)) {
            Ok(form) => form,
            Err(e) => return Effect::Error(e.to_string()),
        };
        for key in &self.within {
            let (field, id) = match key {
                Key::Product(id) => ("product-group", id.map(i64::from)),
                Key::Region(id) => ("region", id.map(i64::from)),
                Key::Expert(id) => ("expert", id.map(i64::from)),
                Key::Period(_) => continue,
            };
            form.set_value(field, &id.map(|id| id.to_string()).unwrap_or_default());
        }
        self.open_form(form, Purpose::Line { id: plan.id })
    }

    /// Saves what the open form describes; a refusal stays in the form with each reason beside
    /// its field.
    pub(super) fn save_form(
        &mut self,
        db: &mut Db,
        values: Vec<(&'static str, FieldValue)>,
    ) -> Effect {
        let Some((purpose, _)) = &self.form else {
            return Effect::Ignored;
        };
        let purpose = *purpose;
        let values = Values(&values);
        let saved: Result<(String, Option<SalesPlanId>)> = match purpose {
            Purpose::Export => self.save_export(values).map(|m| (m, None)),
            Purpose::New => {
                let fields = plan_of(values);
                let lines = split_as_asked(
                    values,
                    (fields.starts_on, fields.ends_on),
                    vec![line_of(values)],
                );
                plans::create(db, &self.actor, fields, lines)
                    .map(|p| (t!("plans.saved", name = clean(&p.name)), Some(p.id)))
            }
            Purpose::Edit { id, version } => self.change(db, id, Some(version), |_, lines| {
                let fields = plan_of(values);
                let lines = split_as_asked(values, (fields.starts_on, fields.ends_on), lines);
                (fields, lines)
            }),
            Purpose::Line { id } => self.change(db, id, None, |plan, mut lines| {
                lines.push(line_of(values));
                (plan.fields(), lines)
            }),
        };
        match saved {
            Ok((message, id)) => {
                self.form = None;
                if let Some(id) = id {
                    self.after_save(db, id);
                }
                Effect::Message(message)
            }
            Err(Error::Invalid(errors)) => {
                self.show_errors(&errors);
                Effect::Done
            }
            // Someone saved the plan meanwhile: the form stays open with what was typed, and
            // offers to save over it, compare, or take it.
            Err(Error::Conflict { by, .. }) if matches!(purpose, Purpose::Edit { .. }) => {
                self.on_conflict(db, by.as_ref())
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Saves plan `id` changed by `change` (from the plan and its lines to its new fields and
    /// lines), refused if someone else saved it after `version` (the form's, when it shows the
    /// plan's fields), or else after it was read here.
    fn change(
        &self,
        db: &mut Db,
        id: SalesPlanId,
        version: Option<i64>,
        change: impl FnOnce(&SalesPlan, Vec<LineFields>) -> (PlanFields, Vec<LineFields>),
    ) -> Result<(String, Option<SalesPlanId>)> {
        let plan = plans::get(db, id)?;
        let lines = plans::lines_of(db, id)?;
        let version = version.unwrap_or(plan.version);
        let (fields, lines) = change(&plan, lines);
        let saved = plans::update(db, &self.actor, id, version, fields, lines)?;
        Ok((t!("plans.saved", name = clean(&saved.name)), Some(saved.id)))
    }

    /// Shows the store's reasons in the form: beside the field each names, and those about the
    /// plan's lines beside the line's amount (or the name, when the form has no line).
    fn show_errors(&mut self, errors: &[FieldError]) {
        let Some((_, form)) = &mut self.form else {
            return;
        };
        let keys = form.keys();
        let fallback = if keys.contains(&"amount") {
            "amount"
        } else {
            keys.first().copied().unwrap_or("plan-name")
        };
        let placed: Vec<FieldError> = errors
            .iter()
            .map(|e| FieldError {
                field: if keys.contains(&field_key(e.field)) {
                    e.field
                } else {
                    fallback
                },
                reason: e.reason.clone(),
            })
            .collect();
        // Several reasons for one field are shown together.
        let mut joined: Vec<FieldError> = Vec::new();
        for e in placed {
            match joined.iter_mut().find(|j| j.field == e.field) {
                Some(j) => {
                    j.reason.push_str("; ");
                    j.reason.push_str(&e.reason);
                }
                None => joined.push(e),
            }
        }
        form.show_errors(&joined);
    }
}
