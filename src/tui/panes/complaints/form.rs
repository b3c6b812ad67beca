//! The complaint forms: moving a complaint on to a status its process allows (with why, and what
//! the new status needs), and recording a new complaint; both saved through the store, which
//! names every field it refuses.

use super::{ComplaintForm, Complaints};
use crate::db::Db;
use crate::db::ids::{ComplaintId, LookupId};
use crate::error::{ChangedBy, Result};
use crate::store::complaints::{self, Complaint, ComplaintFields, ComplaintStatus, StatusChange};
use crate::store::lookups::{self, List};
use crate::store::sla::Severity;
use crate::store::users;
use crate::t;
use crate::tui::panes::Effect;
use crate::tui::text::clean;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, Values};

/// The status form's title: the complaint and the status it moves on from.
fn status_title(complaint: &Complaint) -> String {
    t!(
        "complaints.status.form",
        number = clean(&complaint.number),
        status = crate::tui::format::complaint_status(&complaint.status)
    )
}

/// The statuses the complaint's process allows from where it is, as choices.
fn status_choices(complaint: &Complaint) -> Vec<Choice> {
    complaint
        .status()
        .next()
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_string(),
            label: crate::i18n::tr(s.message_key()).to_string(),
        })
        .collect()
}

/// The active entries of a reference list as choices, after "none".
fn with_none(db: &mut Db, list: List) -> Result<Vec<Choice>> {
    Ok(std::iter::once(Choice::none())
        .chain(
            lookups::items(db, list)?
                .into_iter()
                .filter(|item| item.active)
                .map(|item| Choice {
                    value: item.id.to_string(),
                    label: clean(&item.name),
                }),
        )
        .collect())
}

impl Complaints {
    /// The form that moves the current complaint on: the statuses its process allows from where
    /// it is, why, and the root cause, resolution and satisfaction (filled with what is on file).
    pub(super) fn status_form(&mut self, db: &mut Db) -> Effect {
        let Some(id) = self.current() else {
            return Effect::Message(t!("complaints.none-selected"));
        };
        let built = complaints::get(db, id).and_then(|complaint| {
            let causes = with_none(db, List::RootCause)?;
            let mut form = Form::new(status_title(&complaint))
                .field(
                    "status",
                    t!("field.status"),
                    FieldKind::Choice(status_choices(&complaint)),
                    true,
                )
                .field("note", t!("field.note"), FieldKind::Text, false)
                .field(
                    "root-cause",
                    t!("field.root-cause"),
                    FieldKind::Choice(causes),
                    false,
                )
                .field(
                    "resolution",
                    t!("field.resolution"),
                    FieldKind::Multiline,
                    false,
                )
                .field(
                    "satisfaction",
                    t!("complaints.label.satisfaction"),
                    FieldKind::Whole,
                    false,
                );
            if let Some(cause) = complaint.root_cause_id {
                form.set_value("root-cause", &cause.to_string());
            }
            if let Some(resolution) = &complaint.resolution {
                form.set_value("resolution", resolution);
            }
            if let Some(satisfaction) = complaint.satisfaction {
                form.set_value("satisfaction", &satisfaction.to_string());
            }
            Ok((form, complaint.id, complaint.version))
        });
        match built {
            Ok((form, id, version)) => {
                self.form = Some(ComplaintForm::Status(form, id, version));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Moves the complaint as the status form says; the store's reasons for refusing stay
    /// beside the fields, with the form open.
    pub(super) fn save_status(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
    ) -> Effect {
        let Some(ComplaintForm::Status(_, id, version)) = &self.form else {
            return Effect::Ignored;
        };
        let (id, version) = (*id, *version);
        let values = Values(values);
        let Some(to) = values.choice("status").and_then(ComplaintStatus::parse) else {
            return Effect::Done;
        };
        let satisfaction = match values.whole("satisfaction").map(i32::try_from) {
            None => None,
            Some(Ok(n)) => Some(n),
            // Out of any range: the store says why, as for any other number out of 1 to 5.
            Some(Err(_)) => Some(0),
        };
        let change = StatusChange {
            note: values.text("note"),
            root_cause_id: values.choice_id::<LookupId>("root-cause"),
            resolution: values.text("resolution"),
            satisfaction,
        };
        match complaints::change_status(db, &self.actor, id, version, to, change) {
            // Someone moved or changed the complaint meanwhile: the form stays open with what
            // was typed, and the move is tried again on the complaint as it is now.
            Err(crate::error::Error::Conflict { by, .. }) => {
                self.on_conflict(db, id, to, by.as_ref())
            }
            Ok(complaint) => {
                self.form = None;
                let message = t!(
                    "complaints.moved",
                    number = clean(&complaint.number),
                    status = crate::i18n::tr(to.message_key())
                );
                self.refresh(db, Effect::Message(message))
            }
            Err(crate::error::Error::Invalid(errors)) => {
                if let Some(ComplaintForm::Status(form, ..)) = self.form.as_mut() {
                    form.show_errors(&errors);
                }
                Effect::Error(crate::error::Error::Invalid(errors).to_string())
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Someone saved the complaint after the status form was opened. The form keeps what was
    /// typed and is brought up to the complaint as it is now: its version (the next save goes
    /// over it), its status in the title, and the moves allowed from there, the one chosen
    /// still chosen where it is still allowed and otherwise refused beside the field. A move
    /// has no stored fields of its own to compare or take: saving tries it again.
    fn on_conflict(
        &mut self,
        db: &mut Db,
        id: ComplaintId,
        to: ComplaintStatus,
        by: Option<&ChangedBy>,
    ) -> Effect {
        let complaint = match complaints::get(db, id) {
            Ok(complaint) => complaint,
            Err(e) => return Effect::Error(e.to_string()),
        };
        let Some(ComplaintForm::Status(form, _, version)) = self.form.as_mut() else {
            return Effect::Ignored;
        };
        *version = complaint.version;
        form.set_title(status_title(&complaint));
        form.set_choices("status", status_choices(&complaint), to.as_str());
        let from = complaint.status();
        if !from.next().contains(&to) {
            let allowed: Vec<&str> = from
                .next()
                .iter()
                .map(|s| crate::i18n::tr(s.message_key()))
                .collect();
            form.set_error(
                "status",
                t!(
                    "invalid.complaint-transition",
                    from = crate::i18n::tr(from.message_key()),
                    to = crate::i18n::tr(to.message_key()),
                    allowed = allowed.join(", ")
                ),
            );
            form.focus_on("status");
        }
        let status = crate::i18n::tr(from.message_key());
        let notice = match by {
            Some(by) => t!(
                "complaints.conflict",
                who = clean(&by.who),
                when = by.when(),
                status = status
            ),
            None => t!("complaints.conflict-unknown", status = status),
        };
        form.conflict(notice, None);
        Effect::Done
    }

    /// The form for a new complaint, with the acting user as its expert.
    pub(super) fn new_form(&mut self, db: &mut Db) -> Effect {
        let built = (|| -> Result<Form> {
            let severities = Severity::ALL
                .iter()
                .map(|s| Choice {
                    value: s.as_str().to_string(),
                    label: crate::i18n::tr(s.message_key()).to_string(),
                })
                .collect();
            let categories = with_none(db, List::ComplaintCategory)?;
            let channels = with_none(db, List::ComplaintChannel)?;
            let mut form = Form::new(t!("complaints.new.form"))
                .field("customer", t!("field.customer"), FieldKind::Lookup, true)
                .field("title", t!("field.title"), FieldKind::Text, true)
                .field(
                    "complaint-description",
                    t!("complaints.label.description"),
                    FieldKind::Multiline,
                    true,
                )
                .field(
                    "severity",
                    t!("complaints.col.severity"),
                    FieldKind::Choice(severities),
                    true,
                )
                .field(
                    "category",
                    t!("field.category"),
                    FieldKind::Choice(categories),
                    false,
                )
                .field(
                    "channel",
                    t!("complaints.label.channel"),
                    FieldKind::Choice(channels),
                    false,
                )
                .field("expert", t!("field.expert"), FieldKind::Lookup, true)
                .field("remedy", t!("field.remedy"), FieldKind::Multiline, false);
            form.set_value("severity", Severity::default().as_str());
            let me = users::get(db, self.actor.id)?;
            form.set_lookup("expert", me.id, &clean(&me.display_name));
            Ok(form)
        })();
        match built {
            Ok(form) => {
                self.form = Some(ComplaintForm::New(form));
                Effect::Done
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }

    /// Records the new complaint and shows its page; the store's reasons for refusing stay
    /// beside the fields, with the form open.
    pub(super) fn save_new(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
    ) -> Effect {
        let values = Values(values);
        let Some(contact_id) = values.lookup("customer") else {
            if let Some(ComplaintForm::New(form)) = self.form.as_mut() {
                form.set_error("customer", t!("form.pick-from-list"));
                form.focus_on("customer");
            }
            return Effect::Error(t!(
                "error.invalid",
                field = t!("field.customer"),
                reason = t!("form.pick-from-list")
            ));
        };
        let fields = ComplaintFields {
            title: values.text("title").unwrap_or_default(),
            description: values.text("complaint-description").unwrap_or_default(),
            contact_id,
            case_id: None,
            category_id: values.choice_id("category"),
            channel_id: values.choice_id("channel"),
            severity: values
                .choice("severity")
                .and_then(Severity::parse)
                .unwrap_or_default(),
            expert_id: values.lookup("expert").unwrap_or(self.actor.id),
            received_at: None,
            remedy_requested: values.text("remedy"),
        };
        match complaints::create(db, &self.actor, fields) {
            Ok(complaint) => {
                self.form = None;
                let message = t!(
                    "complaints.added",
                    number = clean(&complaint.number),
                    title = clean(&complaint.title)
                );
                match self.list.reload_now(db) {
                    Effect::Error(e) => Effect::Error(e),
                    _ => match self.show_complaint(complaint.id, db) {
                        Effect::Error(e) => Effect::Error(e),
                        _ => Effect::Message(message),
                    },
                }
            }
            Err(crate::error::Error::Invalid(errors)) => {
                if let Some(ComplaintForm::New(form)) = self.form.as_mut() {
                    form.show_errors(&errors);
                }
                Effect::Error(crate::error::Error::Invalid(errors).to_string())
            }
            Err(e) => Effect::Error(e.to_string()),
        }
    }
}
