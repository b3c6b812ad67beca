//! The reference data the generator picks from: the lists, statuses, org units and experts
//! already in the store once the defaults are in place.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Result, anyhow, bail};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::db::Db;
use crate::db::ids::{CaseStatusId, LookupId, OrgUnitId, UserId};
use crate::domain::working_time::Calendar;
use crate::store::Actor;
use crate::store::lookups::{self, List, Lookup};
use crate::store::org_units;
use crate::store::sla::{self, Severity, SlaPolicy};
use crate::store::statuses::{self, Outcome};
use crate::t;

use super::text;

#[derive(Debug, Clone)]
pub(super) struct Kind {
    pub(super) id: LookupId,
    pub(super) code: String,
}

/// A leaf product group and the top-level group it belongs to.
#[derive(Debug, Clone)]
pub(super) struct ProductGroup {
    pub(super) id: LookupId,
    pub(super) top: LookupId,
    pub(super) noun_en: String,
    pub(super) noun_fa: String,
}

/// A city (leaf region) and its province.
#[derive(Debug, Clone)]
pub(super) struct City {
    pub(super) id: LookupId,
    pub(super) province: LookupId,
    pub(super) name_en: String,
    pub(super) name_fa: String,
    pub(super) area_code: &'static str,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Expert {
    pub(super) id: UserId,
    pub(super) unit: OrgUnitId,
}

/// What the generators pick from, loaded once after the defaults are in place.
pub(super) struct Reference {
    pub(super) open_statuses: Vec<CaseStatusId>,
    pub(super) won: CaseStatusId,
    pub(super) lost: CaseStatusId,
    pub(super) cancelled: CaseStatusId,
    pub(super) followup_kinds: Vec<Kind>,
    pub(super) action_kinds: Vec<Kind>,
    pub(super) channels: Vec<LookupId>,
    pub(super) complaint_channels: Vec<LookupId>,
    pub(super) company_types: Vec<LookupId>,
    pub(super) activity_fields: Vec<LookupId>,
    pub(super) product_groups: Vec<ProductGroup>,
    pub(super) top_groups: Vec<LookupId>,
    pub(super) cities: Vec<City>,
    pub(super) provinces: Vec<LookupId>,
    pub(super) complaint_categories: Vec<Kind>,
    pub(super) close_reasons: Vec<LookupId>,
    pub(super) sales_experts: Vec<Expert>,
    pub(super) after_sales_experts: Vec<Expert>,
    /// The working calendar and each severity's service level, for complaints' due times.
    pub(super) calendar: Calendar,
    pub(super) service_levels: Vec<(Severity, SlaPolicy)>,
}

impl Reference {
    pub(super) fn load(db: &mut Db, actor: &Actor) -> Result<Reference> {
        let statuses = statuses::all(db)?;
        let active = |outcome: Outcome| {
            statuses
                .iter()
                .filter(|s| s.active && s.outcome() == outcome)
                .map(|s| s.id)
                .collect::<Vec<_>>()
        };
        let first = |outcome: Outcome| {
            active(outcome)
                .first()
                .copied()
                .ok_or_else(|| anyhow!(t!("demo.no-status", outcome = outcome.as_str())))
        };
        // The initial status first, then the other open ones in funnel order.
        let mut open_statuses: Vec<CaseStatusId> = statuses
            .iter()
            .filter(|s| s.active && s.outcome() == Outcome::Open && s.is_initial)
            .map(|s| s.id)
            .collect();
        for id in active(Outcome::Open) {
            if !open_statuses.contains(&id) {
                open_statuses.push(id);
            }
        }
        if open_statuses.is_empty() {
            bail!(t!("demo.no-status", outcome = Outcome::Open.as_str()));
        }
        let won = first(Outcome::Won)?;
        let lost = first(Outcome::Lost)?;
        let cancelled = first(Outcome::Cancelled)?;

        let kinds = |db: &mut Db, list: List| -> Result<Vec<Kind>> {
            let kinds: Vec<Kind> = lookups::items(db, list)?
                .into_iter()
                .map(|l| Kind {
                    id: l.id,
                    code: l.code,
                })
                .collect();
            non_empty(kinds, list)
        };
        let ids = |db: &mut Db, list: List| -> Result<Vec<LookupId>> {
            non_empty(lookups::ids(db, list)?, list)
        };

        let groups = lookups::items(db, List::ProductGroup)?;
        let product_groups: Vec<ProductGroup> = leaves(&groups)
            .into_iter()
            .map(|(leaf, top)| {
                let (en, fa) = text::PRODUCT_NOUNS
                    .iter()
                    .find(|p| p.0 == leaf.code)
                    .map(|p| (p.1.to_string(), p.2.to_string()))
                    .unwrap_or_else(|| (leaf.name.to_lowercase(), leaf.name.clone()));
                ProductGroup {
                    id: leaf.id,
                    top,
                    noun_en: en,
                    noun_fa: fa,
                }
            })
            .collect();
        let product_groups = non_empty(product_groups, List::ProductGroup)?;
        let regions = lookups::items(db, List::Region)?;
        let cities: Vec<City> = leaves(&regions)
            .into_iter()
            .map(|(leaf, province)| {
                let known = text::CITIES.iter().find(|c| c.0 == leaf.code);
                City {
                    id: leaf.id,
                    province,
                    name_en: leaf.name.clone(),
                    name_fa: known.map_or_else(|| leaf.name.clone(), |c| c.1.to_string()),
                    area_code: known.map_or("021", |c| c.2),
                }
            })
            .collect();
        let cities = non_empty(cities, List::Region)?;

        let (sales_experts, after_sales_experts) = experts(db, actor)?;
        Ok(Reference {
            open_statuses,
            won,
            lost,
            cancelled,
            followup_kinds: kinds(db, List::FollowupKind)?,
            action_kinds: kinds(db, List::ActionKind)?,
            channels: ids(db, List::MarketingChannel)?,
            complaint_channels: ids(db, List::ComplaintChannel)?,
            company_types: ids(db, List::CompanyType)?,
            activity_fields: ids(db, List::ActivityField)?,
            top_groups: distinct(product_groups.iter().map(|g| g.top)),
            product_groups,
            provinces: distinct(cities.iter().map(|c| c.province)),
            cities,
            complaint_categories: kinds(db, List::ComplaintCategory)?,
            close_reasons: ids(db, List::CloseReason)?,
            sales_experts,
            after_sales_experts,
            calendar: sla::calendar(db)?,
            service_levels: sla::policies(db)?
                .into_iter()
                .filter_map(|p| Severity::parse(&p.severity).map(|s| (s, p)))
                .collect(),
        })
    }
}

/// One of `items`, which is never empty: every list is checked when it is loaded.
pub(super) fn choose<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len().max(1))]
}

fn non_empty<T>(items: Vec<T>, list: List) -> Result<Vec<T>> {
    if items.is_empty() {
        bail!(t!("demo.empty-list", list = list.as_str()));
    }
    Ok(items)
}

fn distinct(ids: impl Iterator<Item = LookupId>) -> Vec<LookupId> {
    let mut seen = BTreeSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

/// The leaves of a tree-shaped list, each with the top-level entry it hangs under (an entry
/// without children is its own leaf and top).
fn leaves(items: &[Lookup]) -> Vec<(&Lookup, LookupId)> {
    let by_id: BTreeMap<LookupId, &Lookup> = items.iter().map(|l| (l.id, l)).collect();
    let parents: BTreeSet<LookupId> = items.iter().filter_map(|l| l.parent_id).collect();
    items
        .iter()
        .filter(|l| !parents.contains(&l.id))
        .map(|leaf| {
            let mut top = leaf;
            // The depth bound guards against a cycle an admin might have made.
            for _ in 0..32 {
                match top.parent_id.and_then(|p| by_id.get(&p)) {
                    Some(parent) => top = parent,
                    None => break,
                }
            }
            (leaf, top.id)
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Head,
    TehranSales,
    IsfahanSales,
    AfterSales,
}

/// The demo's experts and the units they work in. A login already on file is used as it is.
pub(super) fn experts(db: &mut Db, actor: &Actor) -> Result<(Vec<Expert>, Vec<Expert>)> {
    let head = org_units::find_or_add(db, None, "Head office")?;
    let tehran = org_units::find_or_add(db, Some(head), "Tehran sales")?;
    let isfahan = org_units::find_or_add(db, Some(head), "Isfahan sales")?;
    let after_sales = org_units::find_or_add(db, Some(head), "After-sales and complaints")?;
    let unit_id = |unit: Unit| match unit {
        Unit::Head => head,
        Unit::TehranSales => tehran,
        Unit::IsfahanSales => isfahan,
        Unit::AfterSales => after_sales,
    };
    // The person running the demo sells in Tehran, so their inbox has work in it.
    let mut sales = vec![Expert {
        id: actor.id,
        unit: tehran,
    }];
    let mut after = Vec::new();
    for (login, name, role, unit) in text::EXPERTS {
        let id = match crate::store::users::by_login(db, login)? {
            Some(user) => user.id,
            None => crate::store::users::insert_user(db, login, name, *role, Some(unit_id(*unit)))?,
        };
        let expert = Expert {
            id,
            unit: unit_id(*unit),
        };
        match unit {
            Unit::TehranSales | Unit::IsfahanSales if id != actor.id => sales.push(expert),
            Unit::AfterSales => after.push(expert),
            _ => {}
        }
    }
    Ok((sales, after))
}
