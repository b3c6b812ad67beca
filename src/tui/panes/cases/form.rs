//! The case form: a new case, or a case's fields to edit, and saving it through the store.

use super::{CaseForm, Cases};
use crate::db::Db;
use crate::db::ids::LookupId;
use crate::error::{ChangedBy, Result};
use crate::store::cases::{self, Case, CaseFields, Importance};
use crate::store::lookups::{self, List};
use crate::store::org_units;
use crate::store::{names, users};
use crate::t;
use crate::tui::panes::Effect;
use crate::tui::text::clean;
use crate::tui::widgets::form::{self, Choice, FieldKind, FieldValue, Form, Values};

/// The choices of an optional field: none, then each (id, name).
fn with_none<Id: std::fmt::Display>(choices: Vec<(Id, String)>) -> Vec<Choice> {
    std::iter::once(Choice::none())
        .chain(choices.into_iter().map(|(id, name)| Choice {
            value: id.to_string(),
            label: name,
        }))
        .collect()
}

impl Cases {
    /// The case form: empty for a new case, or filled with `editing`'s fields.
    fn case_form(&mut self, db: &mut Db, editing: Option<&Case>) -> Result<Form> {
        let importance = Importance::ALL
            .iter()
            .map(|i| Choice {
                value: i.as_str().to_string(),
                label: crate::i18n::tr(i.message_key()).to_string(),
            })
            .collect();
        let items = |db: &mut Db, list: List| -> Result<Vec<(LookupId, String)>> {
            Ok(lookups::items(db, list)?
                .into_iter()
                .map(|i| (i.id, i.name))
                .collect())
        };
        let channels = with_none(items(db, List::MarketingChannel)?);
        let groups = with_none(items(db, List::ProductGroup)?);
        let regions = with_none(items(db, List::Region)?);
        let units = with_none(org_units::all(db)?);
        let title = match editing {
            Some(case) => t!("cases.form.edit", number = clean(&case.number)),
            None => t!("cases.form.new"),
        };
        let mut form = Form::new(title)
            .field("title", t!("cases.label.title"), FieldKind::Text, true)
            .field(
                "company",
                t!("cases.label.company"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "contact",
                t!("cases.label.contact"),
                FieldKind::Lookup,
                false,
            )
            .field("need", t!("cases.label.need"), FieldKind::Multiline, false)
            .field(
                "importance",
                t!("cases.col.importance"),
                FieldKind::Choice(importance),
                true,
            )
            .field("priority", t!("cases.col.priority"), FieldKind::Whole, true)
            .field(
                "expected-amount",
                t!("cases.col.expected"),
                FieldKind::Money,
                false,
            )
            .field("expert", t!("cases.col.expert"), FieldKind::Lookup, true)
            .field(
                "representative",
                t!("cases.label.representative"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "referrer",
                t!("cases.label.referrer"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "channel",
                t!("cases.label.channel"),
                FieldKind::Choice(channels),
                false,
            )
            .field(
                "org-unit",
                t!("cases.label.unit"),
                FieldKind::Choice(units),
                false,
            )
            .field(
                "product-group",
                t!("cases.label.product-group"),
                FieldKind::Choice(groups),
                false,
            )
            .field(
                "region",
                t!("cases.label.region"),
                FieldKind::Choice(regions),
                false,
            );
        let me = users::get(db, self.actor.id)?;
        let Some(case) = editing else {
            form.set_value("importance", Importance::Normal.as_str());
            form.set_value("priority", "3");
            form.set_lookup("expert", me.id, &me.display_name);
            return Ok(form);
        };
        form.set_value("title", &case.title);
        if let Some(need) = &case.need {
            form.set_value("need", need);
        }
        form.set_value("importance", &case.importance);
        form.set_value("priority", &case.priority.to_string());
        if let Some(amount) = case.expected_amount {
            form.set_value(
                "expected-amount",
                &crate::domain::money::group_thousands(amount),
            );
        }
        let people = names::contacts(
            db,
            [case.company_id, case.contact_id, case.referrer_id]
                .into_iter()
                .flatten(),
        )?;
        for (key, id) in [
            ("company", case.company_id),
            ("contact", case.contact_id),
            ("referrer", case.referrer_id),
        ] {
            if let Some(id) = id {
                form.set_lookup(key, id, people.get(&id).map_or("", String::as_str));
            }
        }
        for (key, id) in [
            ("expert", Some(case.expert_id)),
            ("representative", case.representative_id),
        ] {
            if let Some(id) = id {
                let user = users::get(db, id)?;
                form.set_lookup(key, id, &user.display_name);
            }
        }
        for (key, id) in [
            ("channel", case.channel_id.map(i64::from)),
            ("org-unit", case.org_unit_id.map(i64::from)),
            ("product-group", case.product_group_id.map(i64::from)),
            ("region", case.region_id.map(i64::from)),
        ] {
            if let Some(id) = id {
                form.set_value(key, &id.to_string());
            }
        }
        Ok(form)
    }

    pub(super) fn new_case(&mut self, db: &mut Db) -> Effect {
        match self.case_form(db, None) {
            Ok(form) => {
                self.form = Some(CaseForm::New(form, None));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    pub(super) fn edit_case(&mut self, db: &mut Db) -> Effect {
        let Some(id) = self.current() else {
            return Effect::Message(t!("cases.none-selected"));
        };
        let result = cases::get(db, id).and_then(|case| {
            let form = self.case_form(db, Some(&case))?;
            Ok((form, (case.id, case.version)))
        });
        match result {
            Ok((form, editing)) => {
                self.form = Some(CaseForm::New(form, Some(editing)));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Someone saved the case being edited after its form was opened: the form keeps what was
    /// typed and is handed the case as it is stored now, whose version the next save goes over.
    pub(super) fn on_conflict(&mut self, db: &mut Db, by: Option<&ChangedBy>) -> Effect {
        let Some(CaseForm::New(_, Some((id, _)))) = &self.form else {
            return Effect::Ignored;
        };
        let id = *id;
        let stored = cases::get(db, id).and_then(|case| {
            let theirs = self.case_form(db, Some(&case))?;
            Ok((theirs, case.version))
        });
        match stored {
            Ok((theirs, version)) => {
                if let Some(CaseForm::New(open, Some(editing))) = self.form.as_mut() {
                    editing.1 = version;
                    open.conflict(form::saved_meanwhile(by), Some(theirs));
                }
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    pub(super) fn save_case(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
    ) -> Result<String> {
        let values = Values(values);
        let text = |key: &str| values.text(key);
        let whole = |key: &str| values.whole(key);
        let importance = values
            .choice("importance")
            .and_then(Importance::parse)
            .unwrap_or_default();
        let fields = CaseFields {
            title: text("title").unwrap_or_default(),
            company_id: values.lookup("company"),
            contact_id: values.lookup("contact"),
            expert_id: values.lookup("expert").unwrap_or(self.actor.id),
            representative_id: values.lookup("representative"),
            referrer_id: values.lookup("referrer"),
            need: text("need"),
            channel_id: values.choice_id("channel"),
            org_unit_id: values.choice_id("org-unit"),
            importance,
            priority: i32::try_from(whole("priority").unwrap_or(3)).unwrap_or(0),
            product_group_id: values.choice_id("product-group"),
            region_id: values.choice_id("region"),
            expected_amount: whole("expected-amount"),
        };
        let editing = match &self.form {
            Some(CaseForm::New(_, editing)) => *editing,
            _ => None,
        };
        let case = match editing {
            Some((id, version)) => cases::update(db, &self.actor, id, version, fields)?,
            None => cases::create(db, &self.actor, fields)?,
        };
        let (number, title) = (clean(&case.number), clean(&case.title));
        Ok(match editing {
            Some(_) => t!("cases.saved", number = number, title = title),
            None => t!("cases.added", number = number, title = title),
        })
    }
}
