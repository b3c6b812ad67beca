//! The follow-up form: what was done on a case (kind, when, who, minutes, what was said, the
//! case's status after it) and the next action planned in the same step, saved together in one
//! transaction. It is opened four ways: to log a call from anywhere (the customer is found
//! first, by any fragment), on a case, on a complaint, or to carry out a planned action (of a
//! case or a complaint) from the inbox. On a complaint there is no case to choose and no case
//! status to move: its title names the complaint and its customer instead.
//!
//! The fields are ordered for speed: the customer, the case, what was said, the next action's
//! text and due time come first; the rest are filled in (phone call, now, me, tomorrow 10:00)
//! and only need a visit when they differ.

use chrono::{NaiveDateTime, NaiveTime, TimeDelta};

use super::user_candidates;
use crate::db::Db;
use crate::db::ids::{CaseId, CaseStatusId, ComplaintId, ContactId, PlannedActionId, UserId};
use crate::domain::text::search_key;
use crate::error::{Error, FieldError, Result};
use crate::store::cases::{self, Case, CaseFields, CaseFilter, ClosingInfo};
use crate::store::contacts::{self, ContactFilter};
use crate::store::followups::{self, FollowUpInput, NextAction, Subject};
use crate::store::lookups::{self, List};
use crate::store::statuses::{self, CaseStatus, Outcome as StatusOutcome};
use crate::store::users;
use crate::store::{Actor, complaints, names};
use crate::t;
use crate::tui::format;
use crate::tui::text::clean;
use crate::tui::widgets::form::{Choice, FieldKind, FieldValue, Form, FormEvent, Values};

/// How the form was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Logging a call: the customer is found first.
    Call,
    /// A follow-up on this case.
    Case(CaseId),
    /// A follow-up on this complaint.
    Complaint(ComplaintId),
    /// Carrying out this planned action (id, version) on this case or complaint.
    Completes {
        action: (PlannedActionId, i64),
        subject: Subject,
    },
}

impl Start {
    /// The complaint the form is on, when it is on one.
    fn complaint_id(self) -> Option<ComplaintId> {
        match self {
            Start::Complaint(id) => Some(id),
            Start::Completes { subject, .. } => subject.complaint_id(),
            Start::Call | Start::Case(_) => None,
        }
    }
}

/// The complaint a follow-up is on: what saving it needs and the number its message names.
#[derive(Debug, Clone)]
struct OnComplaint {
    id: ComplaintId,
    /// Its version when the form was opened: a complaint changed since is a conflict.
    version: i64,
    number: String,
}

/// What the form's owner does after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The form stays open.
    Open,
    /// The form stays open, with the reason what was asked was refused for the message line.
    Refused(String),
    /// Saved: close the form and say this.
    Saved(String),
    /// Closed without saving.
    Cancelled,
}

/// The value of the case choice that starts a new case.
const NEW_CASE: &str = "new";
/// The value of the status choice that leaves the status as it is.
const UNCHANGED: &str = "";
/// A candidate of the customer lookup: a contact, or an open case found by its number. The
/// lookup keeps one number per candidate: a case's is its id negated, to tell it from a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Customer {
    Contact(ContactId),
    Case(CaseId),
}

impl From<Customer> for i64 {
    fn from(customer: Customer) -> i64 {
        match customer {
            Customer::Contact(id) => id.0,
            Customer::Case(id) => -id.0,
        }
    }
}

impl From<i64> for Customer {
    fn from(id: i64) -> Customer {
        if id < 0 {
            Customer::Case(CaseId(-id))
        } else {
            Customer::Contact(ContactId(id))
        }
    }
}

pub struct FollowUpForm {
    form: Form,
    actor: Actor,
    start: Start,
    /// The customer chosen (a contact), when logging a call.
    contact: Option<(ContactId, String)>,
    /// The case the follow-up is on, once known.
    case: Option<Case>,
    /// The statuses the case may move to.
    allowed: Vec<CaseStatus>,
    /// The complaint the follow-up is on, when it is on one rather than on a case.
    complaint: Option<OnComplaint>,
}

fn lookup_choices(db: &mut Db, list: List) -> Result<Vec<Choice>> {
    Ok(lookups::items(db, list)?
        .into_iter()
        .map(|item| Choice {
            value: item.id.to_string(),
            label: item.name,
        })
        .collect())
}

fn code_id(db: &mut Db, list: List, code: &str) -> Result<String> {
    Ok(lookups::id_of(db, list, code)?
        .map(|id| id.to_string())
        .unwrap_or_default())
}

impl FollowUpForm {
    pub fn open(db: &mut Db, actor: &Actor, start: Start, now: NaiveDateTime) -> Result<Self> {
        // On a complaint: its number and customer, for the title.
        let complaint = match start.complaint_id() {
            Some(id) => {
                let complaint = complaints::get(db, id)?;
                let customer = names::contacts(db, [complaint.contact_id])?
                    .remove(&complaint.contact_id)
                    .unwrap_or_default();
                let about = t!(
                    "followup.complaint-about",
                    number = clean(&complaint.number),
                    customer = clean(&customer)
                );
                let on = OnComplaint {
                    id: complaint.id,
                    version: complaint.version,
                    number: complaint.number,
                };
                Some((on, about))
            }
            None => None,
        };
        let title = match (start, &complaint) {
            (Start::Call, _) => t!("followup.form.call"),
            (Start::Completes { .. }, Some((_, about))) => {
                t!("followup.form.complaint-done", about = about)
            }
            (Start::Completes { .. }, None) => t!("followup.form.done"),
            (_, Some((_, about))) => t!("followup.form.complaint", about = about),
            (_, None) => t!("followup.form.case"),
        };
        let mut form = Form::new(title);
        if start == Start::Call {
            form = form
                .field(
                    "customer",
                    t!("followup.label.customer"),
                    FieldKind::Lookup,
                    true,
                )
                .field(
                    "case",
                    t!("followup.label.case"),
                    FieldKind::Choice(Vec::new()),
                    false,
                )
                .field(
                    "case-title",
                    t!("followup.label.new-case-title"),
                    FieldKind::Text,
                    false,
                );
        }
        let kinds = lookup_choices(db, List::FollowupKind)?;
        let action_kinds = lookup_choices(db, List::ActionKind)?;
        form = form
            .field(
                "description",
                t!("followup.label.said"),
                FieldKind::Multiline,
                true,
            )
            .field(
                "next-description",
                t!("followup.label.next-text"),
                FieldKind::Text,
                false,
            )
            .field(
                "due-at",
                t!("followup.label.next-due"),
                FieldKind::DateTime,
                false,
            )
            .field(
                "kind",
                t!("followup.label.followup-kind"),
                FieldKind::Choice(kinds),
                true,
            )
            .field(
                "minutes",
                t!("followup.label.minutes"),
                FieldKind::Whole,
                false,
            )
            .field(
                "happened-at",
                t!("followup.label.happened"),
                FieldKind::DateTime,
                true,
            )
            .field(
                "expert",
                t!("followup.label.expert"),
                FieldKind::Lookup,
                true,
            );
        // The case's status after it and what closing needs: a complaint has none of them.
        if complaint.is_none() {
            // No reason until one is chosen: closing as lost asks for it rather than taking the
            // first.
            let reasons = std::iter::once(Choice::none())
                .chain(lookup_choices(db, List::CloseReason)?)
                .collect();
            form = form
                .field(
                    "status",
                    t!("followup.label.status-after"),
                    FieldKind::Choice(Vec::new()),
                    false,
                )
                .field(
                    "won-amount",
                    t!("followup.label.won-amount"),
                    FieldKind::Money,
                    false,
                )
                .field(
                    "close-reason",
                    t!("followup.label.close-reason"),
                    FieldKind::Choice(reasons),
                    false,
                )
                .field(
                    "close-note",
                    t!("followup.label.close-note"),
                    FieldKind::Text,
                    false,
                );
        }
        form = form
            .field(
                "next-kind",
                t!("followup.label.next-kind"),
                FieldKind::Choice(action_kinds),
                false,
            )
            .field(
                "assignee",
                t!("followup.label.next-to"),
                FieldKind::Lookup,
                false,
            )
            .field(
                "estimated-minutes",
                t!("followup.label.next-minutes"),
                FieldKind::Whole,
                false,
            )
            .with_timer("minutes");
        let phone = code_id(db, List::FollowupKind, "phone")?;
        form.set_value("kind", &phone);
        let call = code_id(db, List::ActionKind, "call")?;
        form.set_value("next-kind", &call);
        form.set_value("happened-at", &format::date_time(now));
        // Tomorrow at 10:00 where the user is.
        let tomorrow = crate::domain::when::to_utc(
            (crate::domain::when::to_local(now).date() + TimeDelta::days(1))
                .and_time(NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default()),
        );
        form.set_value("due-at", &format::date_time(tomorrow));
        form.set_value("estimated-minutes", "15");
        let me = users::get(db, actor.id)?;
        form.set_lookup("expert", me.id, &me.display_name);
        form.set_lookup("assignee", me.id, &me.display_name);
        let mut this = FollowUpForm {
            form,
            actor: actor.clone(),
            start,
            contact: None,
            case: None,
            allowed: Vec::new(),
            complaint: complaint.map(|(on, _)| on),
        };
        match start {
            Start::Call | Start::Complaint(_) => {}
            Start::Case(case_id)
            | Start::Completes {
                subject: Subject::Case(case_id),
                ..
            } => {
                let case = cases::get(db, case_id)?;
                this.choose_case(db, case)?;
            }
            Start::Completes {
                subject: Subject::Complaint(_),
                ..
            } => {}
        }
        Ok(this)
    }

    pub fn form(&mut self) -> &mut Form {
        &mut self.form
    }

    /// The case is known: its status choices follow its current status.
    fn choose_case(&mut self, db: &mut Db, case: Case) -> Result<()> {
        self.allowed = statuses::allowed_from(db, case.status_id)?;
        let mut choices = vec![Choice {
            value: UNCHANGED.to_string(),
            label: t!("followup.status-unchanged"),
        }];
        choices.extend(self.allowed.iter().map(|s| Choice {
            value: s.id.to_string(),
            label: s.name.clone(),
        }));
        self.form.set_choices("status", choices, UNCHANGED);
        self.case = Some(case);
        Ok(())
    }

    /// Candidates for the customer: contacts whose name, mobile, phone, national code or
    /// e-mail hold the fragment, and open cases whose number does.
    fn customers(db: &mut Db, query: &str) -> Result<Vec<(Customer, String)>> {
        if search_key(query).is_empty() {
            return Ok(Vec::new());
        }
        // A case number typed is the most precise thing a caller can give: its cases first.
        let by_number = CaseFilter {
            search: query.to_string(),
            open_only: true,
            ..CaseFilter::default()
        };
        let key = search_key(query);
        let mut found: Vec<(Customer, String)> = cases::page(db, &by_number, None, 4)?
            .into_iter()
            .filter(|case| search_key(&case.number).contains(&key))
            .map(|case| {
                (
                    Customer::Case(case.id),
                    format!("{}  {} ({})", case.number, case.title, case.customer),
                )
            })
            .collect();
        found.extend(
            contacts::page(db, &ContactFilter::search(query), None, 8)?
                .into_iter()
                .map(|r| {
                    let phone = r.mobile.or(r.phone).unwrap_or_default();
                    (
                        Customer::Contact(r.id),
                        format!("{}  {phone}", r.display_name).trim().to_string(),
                    )
                }),
        );
        Ok(found)
    }

    fn experts(db: &mut Db, query: &str) -> Result<Vec<(UserId, String)>> {
        Ok(user_candidates(users::experts(db)?, query))
    }

    /// A customer was picked: its open case is chosen when it has exactly one, otherwise the
    /// case field offers its open cases and a new one.
    fn customer_chosen(&mut self, db: &mut Db, customer: Customer) -> Result<()> {
        let id = match customer {
            Customer::Contact(id) => id,
            Customer::Case(id) => {
                let case = cases::get(db, id)?;
                let customer = case.company_id.or(case.contact_id).unwrap_or_default();
                let name = contacts::get(db, customer)
                    .map(|c| c.fields.display_name)
                    .unwrap_or_default();
                self.contact = Some((customer, name));
                let label = format!("{}  {}", case.number, case.title);
                self.form.set_choices(
                    "case",
                    vec![Choice {
                        value: case.id.to_string(),
                        label,
                    }],
                    &case.id.to_string(),
                );
                self.choose_case(db, case)?;
                self.form.focus_on("description");
                return Ok(());
            }
        };
        let contact = contacts::get(db, id)?;
        self.contact = Some((id, contact.fields.display_name.clone()));
        let open = cases::open_of_contact(db, id)?;
        let mut choices: Vec<Choice> = open
            .iter()
            .map(|c| Choice {
                value: c.id.to_string(),
                label: format!("{}  {}", c.number, c.title),
            })
            .collect();
        choices.push(Choice {
            value: NEW_CASE.to_string(),
            label: t!("followup.new-case"),
        });
        let first = choices[0].value.clone();
        self.form.set_choices("case", choices, &first);
        self.form.set_value(
            "case-title",
            &t!(
                "followup.new-case-title",
                name = contact.fields.display_name
            ),
        );
        match open.first() {
            Some(only) if open.len() == 1 => {
                let case = cases::get(db, only.id)?;
                self.choose_case(db, case)?;
                self.form.focus_on("description");
            }
            _ => {
                self.case = None;
                self.form.focus_on("case");
            }
        }
        Ok(())
    }

    /// Handles what the form asked for.
    pub fn event(&mut self, event: FormEvent, db: &mut Db, now: NaiveDateTime) -> Outcome {
        let result = match event {
            FormEvent::None => return Outcome::Open,
            FormEvent::Cancel => return Outcome::Cancelled,
            FormEvent::Search { field, query } => {
                let found = match field {
                    "customer" => Self::customers(db, &query)
                        .map(|found| self.form.set_candidates(field, found)),
                    _ => Self::experts(db, &query)
                        .map(|found| self.form.set_candidates(field, found)),
                };
                found.map(|()| None)
            }
            FormEvent::Chosen { field, id } => {
                if field == "customer" {
                    self.customer_chosen(db, Customer::from(id)).map(|()| None)
                } else {
                    Ok(None)
                }
            }
            FormEvent::Save(values) => self.save(db, &values, now),
        };
        match result {
            Ok(Some(message)) => Outcome::Saved(message),
            Ok(None) => Outcome::Open,
            Err(Error::Invalid(errors)) => {
                self.form.show_errors(&errors);
                Outcome::Refused(Error::Invalid(errors).to_string())
            }
            Err(e) => Outcome::Refused(e.to_string()),
        }
    }

    /// Stores the follow-up, its next action and the status change together (and a new case
    /// first, when one is started here). `Ok(None)`: warnings to read first, the form stays.
    fn save(
        &mut self,
        db: &mut Db,
        values: &[(&'static str, FieldValue)],
        now: NaiveDateTime,
    ) -> Result<Option<String>> {
        let values = Values(values);
        let text = |key: &str| values.text(key);
        let choice = |key: &str| values.choice(key).unwrap_or_default().to_string();
        let whole = |key: &str| values.whole(key);
        let lookup = |key: &str| values.lookup(key);
        let when = |key: &str| values.date_time(key);
        let minutes = |key: &str| -> Result<i32> {
            i32::try_from(whole(key).unwrap_or(0)).map_err(|_| {
                Error::Invalid(vec![FieldError {
                    field: "field.minutes",
                    reason: t!("invalid.negative"),
                }])
            })
        };

        // The case: chosen, or to be started here.
        let new_case = self.start == Start::Call && choice("case") == NEW_CASE;
        if self.start == Start::Call && !new_case {
            let chosen: Option<CaseId> = choice("case").parse().ok();
            match (chosen, &self.case) {
                (Some(id), Some(case)) if case.id == id => {}
                (Some(id), _) => {
                    let case = cases::get(db, id)?;
                    self.choose_case(db, case)?;
                }
                (None, _) => {
                    return Err(Error::Invalid(vec![FieldError {
                        field: "field.case",
                        reason: t!("followup.pick-customer"),
                    }]));
                }
            }
        }

        let expert_id = lookup("expert").unwrap_or(self.actor.id);
        let next = match text("next-description") {
            Some(description) => Some(NextAction {
                kind_id: choice("next-kind").parse().unwrap_or_default(),
                description,
                assignee_id: lookup("assignee").unwrap_or(self.actor.id),
                due_at: when("due-at").ok_or_else(|| {
                    Error::Invalid(vec![FieldError {
                        field: "field.due-at",
                        reason: t!("invalid.required"),
                    }])
                })?,
                estimated_minutes: minutes("estimated-minutes")?,
            }),
            None => None,
        };
        let status_after_id = choice("status").parse::<CaseStatusId>().ok();
        let closing = ClosingInfo {
            won_amount: whole("won-amount"),
            won_on: status_after_id
                .and_then(|id| self.allowed.iter().find(|s| s.id == id))
                .filter(|s| s.outcome() == StatusOutcome::Won)
                .map(|_| crate::domain::when::to_local(now).date()),
            close_reason_id: choice("close-reason").parse().ok(),
            close_note: text("close-note"),
        };
        // On a complaint the status and closing fields are left out, so all of them are unset.
        let (subject, subject_version) = match &self.complaint {
            Some(complaint) => (Subject::Complaint(complaint.id), Some(complaint.version)),
            None => (
                Subject::Case(self.case.as_ref().map_or(CaseId::default(), |c| c.id)),
                self.case.as_ref().map(|c| c.version),
            ),
        };
        let input = FollowUpInput {
            subject,
            subject_version,
            kind_id: choice("kind").parse().unwrap_or_default(),
            happened_at: when("happened-at").unwrap_or(now),
            expert_id,
            minutes: minutes("minutes")?,
            description: text("description").unwrap_or_default(),
            status_after_id,
            closing,
            next,
            completes: match self.start {
                Start::Completes { action, .. } => Some(action),
                _ => None,
            },
        };

        if self.form.warn_once(followups::warnings(&input, now)) {
            return Ok(None);
        }

        let actor = self.actor.clone();
        let contact = self.contact.clone();
        let case_title = text("case-title");
        let recorded = if new_case {
            let (customer, name) = contact.clone().unwrap_or_default();
            let is_company = contacts::get(db, customer)?.fields.kind == "company";
            let case = CaseFields {
                title: case_title.unwrap_or_else(|| t!("followup.new-case-title", name = name)),
                company_id: is_company.then_some(customer),
                contact_id: (!is_company).then_some(customer),
                expert_id,
                ..CaseFields::default()
            };
            followups::record_on_new_case(db, &actor, case, input)?
        } else {
            followups::record(db, &actor, input)?
        };
        let number = match &self.complaint {
            Some(complaint) => complaint.number.clone(),
            None => recorded
                .case
                .as_ref()
                .map(|c| c.number.clone())
                .unwrap_or_default(),
        };
        Ok(Some(match &recorded.next_action {
            Some(next) => t!(
                "followup.saved-next",
                number = clean(&number),
                due = format::date_time(next.due_at)
            ),
            None => t!("followup.saved", number = clean(&number)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyModifiers};

    use crate::store::followups::FollowUpFilter;
    use crate::store::{followups, planned};
    use crate::tui::testing::{self, press, press_key, render, text, type_text};
    use crate::tui::theme::Theme;

    #[test]
    fn a_call_with_a_next_action_is_logged_in_four_keys_besides_the_text() {
        let mut store = testing::store();
        store.add_work();
        let before = followups::count(&mut store.db, &FollowUpFilter::default()).expect("count");
        let mut app = store.app(80, 24, Theme::plain());
        let db = &mut store.db;
        // 1: the call-logging key, from the inbox.
        press(&mut app, db, 'L');
        type_text(&mut app, db, "mina");
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Log a call"), "{screen}");
        assert!(screen.contains("Mina Karimi"), "{screen}");
        // 2: pick her; her one open case is chosen and the cursor waits at what was said.
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("1405-00038"), "{screen}");
        type_text(&mut app, db, "Wants the new price list");
        // 3: to the next action.
        press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        type_text(&mut app, db, "Send the price list");
        // 4: save.
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 80, 24));
        assert!(
            screen.contains("Logged on 1405-00038; next action due"),
            "{screen}"
        );
        let after = followups::count(db, &FollowUpFilter::default()).expect("count");
        assert_eq!(after, before + 1);
        let case = crate::store::cases::by_number(db, "1405-00038")
            .expect("read")
            .expect("the case");
        let open = planned::open_of_case(db, case.id).expect("open actions");
        assert!(
            open.iter().any(|a| a.description == "Send the price list"),
            "{open:?}"
        );
    }

    #[test]
    fn the_case_form_keeps_its_status_fields_and_the_complaint_form_leaves_them_out() {
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(120, 40, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, '3');
        press(&mut app, db, 'F');
        let screen = text(&render(&mut app, 120, 40));
        assert!(screen.contains("Follow-up on the case"), "{screen}");
        for label in [
            "Status after",
            "Won amount",
            "Closed because",
            "Closing note",
        ] {
            assert!(screen.contains(label), "{label} in\n{screen}");
        }
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        press(&mut app, db, '5');
        press(&mut app, db, 'F');
        let screen = text(&render(&mut app, 120, 40));
        assert!(
            screen.contains("Follow-up on complaint C-1405-"),
            "{screen}"
        );
        for label in [
            "Status after",
            "Won amount",
            "Closed because",
            "Closing note",
        ] {
            assert!(!screen.contains(label), "{label} in\n{screen}");
        }
        for label in ["What was said", "Next action", "Next due", "Next by"] {
            assert!(screen.contains(label), "{label} in\n{screen}");
        }
    }

    #[test]
    fn a_save_that_fails_keeps_the_typed_text() {
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(80, 24, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, 'L');
        // No customer chosen, nothing said: the form stays with the reasons.
        type_text(&mut app, db, "nobody at all");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Log a call"), "{screen}");
        assert!(screen.contains("nobody at all"), "{screen}");
        // Esc asks before dropping what was typed.
        press_key(&mut app, db, KeyCode::Esc, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Log a call"), "{screen}");
        press(&mut app, db, 'y');
        let screen = text(&render(&mut app, 80, 24));
        assert!(!screen.contains("Log a call"), "{screen}");
    }

    #[test]
    fn a_case_number_fragment_picks_the_case_before_any_contact() {
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(80, 24, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, 'L');
        type_text(&mut app, db, "00038");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        type_text(&mut app, db, "Asked about the film");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Logged on 1405-00038."), "{screen}");
    }

    #[test]
    fn a_customer_without_an_open_case_gets_one_started_with_the_call() {
        let mut store = testing::store();
        store.add_work();
        let mut app = store.app(80, 24, Theme::plain());
        let db = &mut store.db;
        press(&mut app, db, 'L');
        // Azar Steel's only case was lost: the case field offers a new one.
        type_text(&mut app, db, "azar");
        press_key(&mut app, db, KeyCode::Enter, KeyModifiers::NONE);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("< New case >"), "{screen}");
        assert!(screen.contains("Call with Azar Steel"), "{screen}");
        for _ in 0..2 {
            press_key(&mut app, db, KeyCode::Tab, KeyModifiers::NONE);
        }
        type_text(&mut app, db, "Wants a new compressor");
        press_key(&mut app, db, KeyCode::Char('s'), KeyModifiers::CONTROL);
        let screen = text(&render(&mut app, 80, 24));
        assert!(screen.contains("Logged on 14"), "{screen}");
        let open = crate::store::cases::page(
            db,
            &crate::store::cases::CaseFilter {
                search: "Call with Azar".into(),
                ..Default::default()
            },
            None,
            5,
        )
        .expect("cases");
        assert_eq!(open.len(), 1, "{open:?}");
    }
}
