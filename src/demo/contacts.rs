//! Demo contacts: the category tree, persons and companies, who works where, and each contact
//! filed under categories.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::Duration;
use rand::Rng;

use crate::db::Db;
use crate::db::ids::{CategoryId, ContactId};
use crate::store::bulk;
use crate::store::categories::ContactCategory;
use crate::store::contacts::{ContactFields, ContactKind};
use crate::store::contacts::{NewContact, NewContactLink};
use crate::t;

use super::identifiers::{Unique, company_national_id, national_code, persian_digits, ymd};
use super::reference::choose;
use super::{Categories, ContactInfo, Contacts, Demo, FLUSH_ROWS, Progress, text};

impl Demo {
    pub(super) fn categories(&mut self, db: &mut Db) -> Result<Categories> {
        let mut ids: BTreeMap<&str, CategoryId> = BTreeMap::new();
        for (position, (name, children)) in (1..).zip(text::CATEGORIES) {
            let parent = crate::store::categories::find_or_add(db, None, name, position)?;
            ids.insert(name, parent);
            for (child_position, child) in (1..).zip(*children) {
                ids.insert(
                    child,
                    crate::store::categories::find_or_add(db, Some(parent), child, child_position)?,
                );
            }
        }
        let weights = |table: &[(&str, u32)]| {
            table
                .iter()
                .filter_map(|(name, w)| ids.get(name).map(|id| (*id, *w)))
                .collect::<Vec<_>>()
        };
        Ok(Categories {
            for_companies: weights(text::COMPANY_CATEGORIES),
            for_persons: weights(text::PERSON_CATEGORIES),
        })
    }

    pub(super) fn contacts(
        &mut self,
        db: &mut Db,
        count: usize,
        categories: &Categories,
        progress: &Progress,
    ) -> Result<Contacts> {
        let bar = progress.step(t!("demo.step.contacts"), count as u64);
        let mut national_codes = Unique::new(
            self.rng.random_range(0..1_000_000_000),
            1_000_000_000,
            387_420_489,
        );
        let mut company_ids = Unique::new(
            self.rng.random_range(0..100_000_000),
            100_000_000,
            43_046_721,
        );
        let mut all = Vec::with_capacity(count);
        let mut buffer: Vec<NewContact> = Vec::with_capacity(FLUSH_ROWS.min(count));
        let mut pending: Vec<ContactInfo> = Vec::new();
        for i in 0..count {
            let company = match i {
                0 => true,
                1 => false,
                _ => self.chance(0.3),
            };
            let english = self.chance(if company { 0.4 } else { 0.35 });
            let city = self.index(self.reference.cities.len());
            let fields = if company {
                self.company(english, city, &mut company_ids)
            } else {
                self.person(english, city, &mut national_codes)
            }
            .prepare()?;
            let created = self.present - self.days(366..=1095);
            let created = self.office_time(created.date());
            buffer.push(NewContact::new(fields, self.actor, created));
            pending.push(ContactInfo {
                id: ContactId::default(),
                company,
                english,
                city,
            });
            if buffer.len() >= FLUSH_ROWS || i + 1 == count {
                let ids = bulk::contacts(db, &buffer)?;
                for (mut info, id) in pending.drain(..).zip(ids) {
                    info.id = id;
                    all.push(info);
                }
                bar.inc(buffer.len() as u64);
                buffer.clear();
            }
        }
        let companies: Vec<usize> = (0..all.len()).filter(|&i| all[i].company).collect();
        let persons: Vec<usize> = (0..all.len()).filter(|&i| !all[i].company).collect();
        let mut contacts = Contacts {
            all,
            companies,
            persons,
            staff: BTreeMap::new(),
        };
        self.contact_links(db, &mut contacts)?;
        self.file_contacts(db, &contacts, categories)?;
        bar.finish();
        Ok(contacts)
    }

    pub(super) fn person(
        &mut self,
        english: bool,
        city: usize,
        codes: &mut Unique,
    ) -> ContactFields {
        let female = self.chance(0.45);
        let (first, last, first_latin, last_latin) = if english {
            let first = if female {
                *self.pick(text::FIRST_NAMES_EN_F)
            } else {
                *self.pick(text::FIRST_NAMES_EN_M)
            };
            let last = *self.pick(text::LAST_NAMES_EN);
            (first.to_string(), last.to_string(), first, last)
        } else {
            let first = if female {
                *self.pick(text::FIRST_NAMES_FA_F)
            } else {
                *self.pick(text::FIRST_NAMES_FA_M)
            };
            let last = *self.pick(text::LAST_NAMES_FA);
            // Names typed on an Arabic keyboard: ي and ك for ی and ک.
            let arabic = self.chance(0.12);
            let spell = |s: &str| {
                if arabic {
                    s.replace('ی', "ي").replace('ک', "ك")
                } else {
                    s.to_string()
                }
            };
            (spell(first.0), spell(last.0), first.1, last.1)
        };
        let national_code = if self.chance(if english { 0.4 } else { 0.95 }) {
            Some(national_code(codes))
        } else {
            None
        };
        let birth_date = self
            .chance(0.8)
            .then(|| ymd(1950, 1, 1) + Duration::days(self.rng.random_range(0..365 * 55)));
        let email = self.chance(if english { 0.8 } else { 0.5 }).then(|| {
            let number = if self.chance(0.5) {
                self.rng.random_range(1..100).to_string()
            } else {
                String::new()
            };
            let domain = self.pick(text::MAIL_DOMAINS);
            format!(
                "{}.{}{number}@{domain}",
                first_latin.to_lowercase(),
                last_latin.to_lowercase()
            )
        });
        let area = self.reference.cities[city].area_code;
        ContactFields {
            kind: ContactKind::Person.as_str().to_string(),
            first_name: Some(first),
            last_name: Some(last),
            national_code,
            birth_date,
            gender: self
                .chance(0.9)
                .then(|| if female { "female" } else { "male" }.to_string()),
            marital_status: self.chance(0.7).then(|| {
                if self.chance(0.65) {
                    "married"
                } else {
                    "single"
                }
                .to_string()
            }),
            mobile: self.chance(0.95).then(|| self.mobile()),
            phone: self
                .chance(0.3)
                .then(|| format!("{area}-{}", self.digits(8))),
            email,
            postal_code: self.chance(0.6).then(|| self.postal_code()),
            address: self.chance(0.6).then(|| self.address(english, city)),
            region_id: self.chance(0.95).then(|| self.reference.cities[city].id),
            notes: self.chance(0.05).then(|| {
                if english {
                    "Prefers calls in the morning.".to_string()
                } else {
                    "ترجیح می‌دهد صبح‌ها با او تماس بگیرید.".to_string()
                }
            }),
            ..ContactFields::default()
        }
    }

    pub(super) fn company(
        &mut self,
        english: bool,
        city: usize,
        ids: &mut Unique,
    ) -> ContactFields {
        let (name, domain) = if english {
            let first = *self.pick(text::COMPANY_EN_FIRST);
            let second = *self.pick(text::COMPANY_EN_SECOND);
            let form = *self.pick(text::COMPANY_EN_FORM);
            let name = [first, second, form]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let domain = format!("{first}{second}.com")
                .to_lowercase()
                .replace(' ', "");
            (name, domain)
        } else {
            let core = *self.pick(text::COMPANY_FA_CORE);
            let trade = *self.pick(text::COMPANY_FA_TRADE);
            let suffix = *self.pick(text::COMPANY_FA_SUFFIX);
            let mut name = format!("{} {}{}", core.0, trade.0, suffix.0);
            if self.chance(0.3) {
                name = format!("شرکت {name}");
            }
            if self.chance(0.1) {
                name.push_str(" (سهامی خاص)");
            }
            (name, format!("{}{}{}.ir", core.1, trade.1, suffix.1))
        };
        let staff = self.chance(0.8).then(|| {
            let scale = 10i64.pow(self.rng.random_range(0..3));
            self.rng.random_range(3..50) * scale
        });
        let turnover = self.chance(0.7).then(|| {
            let per_head_millions: i64 = self.rng.random_range(300..3_000);
            staff.unwrap_or(20) * per_head_millions * 1_000_000
        });
        let area = self.reference.cities[city].area_code;
        let company_type = *choose(&mut self.rng, &self.reference.company_types);
        let activity = *choose(&mut self.rng, &self.reference.activity_fields);
        ContactFields {
            kind: ContactKind::Company.as_str().to_string(),
            company_name: Some(name),
            company_national_id: self.chance(0.95).then(|| company_national_id(ids)),
            economic_code: self.chance(0.85).then(|| format!("411{}", self.digits(9))),
            registration_number: self
                .chance(0.85)
                .then(|| self.rng.random_range(1_000..999_999).to_string()),
            registration_date: self
                .chance(0.8)
                .then(|| ymd(1975, 1, 1) + Duration::days(self.rng.random_range(0..365 * 48))),
            company_type_id: self.chance(0.9).then_some(company_type),
            activity_field_id: self.chance(0.9).then_some(activity),
            staff_count: staff,
            turnover,
            phone: self
                .chance(0.95)
                .then(|| format!("{area}-{}", self.digits(8))),
            fax: self
                .chance(0.4)
                .then(|| format!("{area}-{}", self.digits(8))),
            mobile: self.chance(0.3).then(|| self.mobile()),
            email: self.chance(0.8).then(|| {
                let mailbox = *self.pick(&["info", "sales", "office"]);
                format!("{mailbox}@{domain}")
            }),
            website: self.chance(0.7).then(|| format!("www.{domain}")),
            postal_code: self.chance(0.8).then(|| self.postal_code()),
            address: self.chance(0.9).then(|| self.address(english, city)),
            region_id: self.chance(0.98).then(|| self.reference.cities[city].id),
            ..ContactFields::default()
        }
    }

    pub(super) fn mobile(&mut self) -> String {
        let prefix = *self.pick(text::MOBILE_PREFIXES);
        format!("{prefix}{}", self.digits(7))
    }

    /// Ten digits; the first five avoid 0 and 2, as Iranian postal codes do.
    pub(super) fn postal_code(&mut self) -> String {
        let head: String = (0..5)
            .map(|_| *self.pick(&['1', '3', '4', '5', '6', '7', '8', '9']))
            .collect();
        format!("{head}{}", self.digits(5))
    }

    pub(super) fn address(&mut self, english: bool, city: usize) -> String {
        let street = *self.pick(text::STREETS);
        let alley = self.rng.random_range(1..40);
        let number = self.rng.random_range(1..300);
        let city = &self.reference.cities[city];
        if english {
            format!(
                "No. {number}, Alley {alley}, {} St., {}",
                street.1, city.name_en
            )
        } else {
            format!(
                "{}، خیابان {}، کوچه {}، پلاک {}",
                city.name_fa,
                street.0,
                persian_digits(&alley.to_string()),
                persian_digits(&number.to_string())
            )
        }
    }

    /// Links about half the persons to a company (a few to two), with job titles.
    pub(super) fn contact_links(&mut self, db: &mut Db, contacts: &mut Contacts) -> Result<()> {
        if contacts.companies.is_empty() {
            return Ok(());
        }
        let mut rows = Vec::new();
        let persons = contacts.persons.clone();
        for person in persons {
            if !self.chance(0.45) {
                continue;
            }
            let jobs = if self.chance(0.1) { 2 } else { 1 };
            let mut taken = BTreeSet::new();
            for _ in 0..jobs {
                let company = *self.pick(&contacts.companies);
                if !taken.insert(company) {
                    continue;
                }
                let english = contacts.all[person].english;
                let title = if english {
                    *self.pick(text::JOB_TITLES_EN)
                } else {
                    *self.pick(text::JOB_TITLES_FA)
                };
                let day = self.today - self.days(300..=700);
                let at = self.office_time(day);
                rows.push(NewContactLink {
                    person_id: contacts.all[person].id,
                    company_id: contacts.all[company].id,
                    job_title: self.chance(0.9).then(|| title.to_string()),
                    created_at: at,
                    updated_at: at,
                });
                contacts.staff.entry(company).or_default().push(person);
            }
        }
        bulk::contact_links(db, &rows)?;
        Ok(())
    }

    /// Files each contact under one category, some under two.
    pub(super) fn file_contacts(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        categories: &Categories,
    ) -> Result<()> {
        let mut rows = Vec::with_capacity(contacts.all.len() * 5 / 4);
        for contact in &contacts.all {
            let table = if contact.company {
                &categories.for_companies
            } else {
                &categories.for_persons
            };
            if table.is_empty() {
                continue;
            }
            let first = self.weighted(table);
            rows.push(ContactCategory {
                contact_id: contact.id,
                category_id: first,
            });
            if self.chance(0.25) {
                let second = self.weighted(table);
                if second != first {
                    rows.push(ContactCategory {
                        contact_id: contact.id,
                        category_id: second,
                    });
                }
            }
            if rows.len() >= FLUSH_ROWS {
                bulk::contact_categories(db, &rows)?;
                rows.clear();
            }
        }
        bulk::contact_categories(db, &rows)?;
        Ok(())
    }
}
