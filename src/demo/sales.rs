//! Demo sales of the won cases, and the sales plans they are measured against.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::Duration;
use rand::Rng;

use crate::db::Db;
use crate::db::ids::{LookupId, UserId};
use crate::store::bulk;
use crate::store::plans::{NewPlanLine, NewSalesPlan};
use crate::store::sales::NewSale;

use super::identifiers::{jalali_year, mehr_first, nowruz, whole_millions};
use super::reference::choose;
use super::{CaseInfo, Contacts, Demo};

impl Demo {
    pub(super) fn sales(
        &mut self,
        db: &mut Db,
        contacts: &Contacts,
        cases: &[CaseInfo],
    ) -> Result<Vec<NewSale>> {
        let mut rows = Vec::new();
        for case in cases {
            let Some((amount, sold_on)) = case.won else {
                continue;
            };
            let contact = &contacts.all[case.customer];
            let at = self.office_time(sold_on);
            rows.push(NewSale {
                case_id: Some(case.id),
                contact_id: contact.id,
                market: if contact.company { "b2b" } else { "b2c" }.to_string(),
                product_group_id: Some(self.reference.product_groups[case.group].id),
                region_id: Some(self.reference.cities[case.city].id),
                expert_id: case.expert.id,
                amount,
                sold_on,
                note: None,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: at,
                updated_at: at,
                quantity: if contact.company {
                    self.rng.random_range(1..=40)
                } else {
                    1
                },
            });
        }
        // Sales without a case: walk-in and repeat orders.
        let extra = if contacts.all.is_empty() {
            0
        } else {
            cases.len() / 2 + 10
        };
        for _ in 0..extra {
            let contact = contacts.all[self.index(contacts.all.len())].clone();
            let sold_on = self.today - self.days(1..=365);
            let at = self.office_time(sold_on);
            let group = self.index(self.reference.product_groups.len());
            let expert = *choose(&mut self.rng, &self.reference.sales_experts);
            let amount = if contact.company {
                self.rials(8..11)
            } else {
                self.rials(7..10)
            };
            rows.push(NewSale {
                case_id: None,
                contact_id: contact.id,
                market: if contact.company { "b2b" } else { "b2c" }.to_string(),
                product_group_id: Some(self.reference.product_groups[group].id),
                region_id: Some(self.reference.cities[contact.city].id),
                expert_id: expert.id,
                amount,
                sold_on,
                note: self.chance(0.1).then(|| {
                    if contact.english {
                        "Repeat order".to_string()
                    } else {
                        "سفارش مجدد".to_string()
                    }
                }),
                created_by: self.actor,
                updated_by: self.actor,
                created_at: at,
                updated_at: at,
                quantity: if contact.company {
                    self.rng.random_range(1..=20)
                } else {
                    self.rng.random_range(1..=3)
                },
            });
        }
        bulk::sales(db, &rows)?;
        Ok(rows)
    }

    /// This half-year's B2B and B2C plans and a three-year B2B plan, by product group, province
    /// and expert, with targets near the pace of the past year's sales.
    pub(super) fn plans(&mut self, db: &mut Db, sales: &[NewSale]) -> Result<usize> {
        let year = jalali_year(self.today);
        let second_half = self.today >= mehr_first(year);
        let (half_start, half_end, half) = if second_half {
            (mehr_first(year), nowruz(year + 1) - Duration::days(1), "H2")
        } else {
            (nowruz(year), mehr_first(year) - Duration::days(1), "H1")
        };
        let plans = [
            (
                format!("{year} {half} · B2B"),
                "b2b",
                "short",
                half_start,
                half_end,
            ),
            (
                format!("{year} {half} · B2C"),
                "b2c",
                "short",
                half_start,
                half_end,
            ),
            (
                format!("{year}–{} · B2B", year + 2),
                "b2b",
                "long",
                nowruz(year),
                nowruz(year + 3) - Duration::days(1),
            ),
        ];
        // The past year's sales per (market, top product group, province).
        let group_top: BTreeMap<LookupId, LookupId> = self
            .reference
            .product_groups
            .iter()
            .map(|g| (g.id, g.top))
            .collect();
        let city_province: BTreeMap<LookupId, LookupId> = self
            .reference
            .cities
            .iter()
            .map(|c| (c.id, c.province))
            .collect();
        let since = self.today - Duration::days(365);
        let mut yearly: BTreeMap<(&str, LookupId, LookupId), i64> = BTreeMap::new();
        let mut by_expert: BTreeMap<(&str, LookupId, LookupId, UserId), i64> = BTreeMap::new();
        for sale in sales.iter().filter(|s| s.sold_on >= since) {
            let top = sale.product_group_id.and_then(|g| group_top.get(&g));
            let province = sale.region_id.and_then(|r| city_province.get(&r));
            if let (Some(top), Some(province)) = (top, province) {
                *yearly
                    .entry((sale.market.as_str(), *top, *province))
                    .or_default() += sale.amount;
                *by_expert
                    .entry((sale.market.as_str(), *top, *province, sale.expert_id))
                    .or_default() += sale.amount;
            }
        }
        let at = self.present - Duration::days(1);
        let rows: Vec<NewSalesPlan> = plans
            .iter()
            .map(|(name, market, term, starts_on, ends_on)| NewSalesPlan {
                name: name.clone(),
                market: market.to_string(),
                term: term.to_string(),
                starts_on: *starts_on,
                ends_on: *ends_on,
                notes: None,
                created_by: self.actor,
                updated_by: self.actor,
                created_at: at,
                updated_at: at,
            })
            .collect();
        let ids = bulk::sales_plans(db, &rows)?;
        let mut lines = Vec::new();
        let top_groups = self.reference.top_groups.clone();
        let provinces = self.reference.provinces.clone();
        let experts = self.reference.sales_experts.clone();
        for (plan_id, (_, market, term, starts_on, ends_on)) in ids.iter().zip(&plans) {
            let days = (*ends_on - *starts_on).num_days() + 1;
            let growth_percent: i128 = if *term == "long" { 125 } else { 100 };
            for top in &top_groups {
                for province in &provinces {
                    let past = yearly
                        .get(&(*market, *top, *province))
                        .copied()
                        .unwrap_or(0);
                    // The past year's pace over the plan's days, give or take, and more for a
                    // long-term plan; at least 100 million rials.
                    let percent: i128 = self.rng.random_range(90..140);
                    let total = i128::from(past) * i128::from(days) * percent * growth_percent
                        / (365 * 100 * 100);
                    let total = i64::try_from(total).unwrap_or(i64::MAX).max(100_000_000);
                    // The half-year B2B plan sets each sales expert a share of the target, in
                    // proportion to what they sold in the past year (equal shares when nobody
                    // did); the others set targets by product group and province alone.
                    let shares: Vec<(Option<UserId>, i128)> =
                        if *market == "b2b" && *term == "short" {
                            let sold: Vec<i128> = experts
                                .iter()
                                .map(|e| {
                                    let amount = by_expert
                                        .get(&(*market, *top, *province, e.id))
                                        .copied()
                                        .unwrap_or(0);
                                    i128::from(amount)
                                })
                                .collect();
                            let whole: i128 = sold.iter().sum();
                            experts
                                .iter()
                                .zip(sold)
                                .map(|(e, amount)| match whole {
                                    0 => (Some(e.id), 1_000 / experts.len().max(1) as i128),
                                    _ => (Some(e.id), amount * 1_000 / whole),
                                })
                                .collect()
                        } else {
                            vec![(None, 1_000)]
                        };
                    for (expert, per_mille) in shares {
                        let target = i64::try_from(i128::from(total) * per_mille / 1_000)
                            .map_or(0, whole_millions);
                        lines.push(NewPlanLine {
                            plan_id: *plan_id,
                            product_group_id: Some(*top),
                            region_id: Some(*province),
                            expert_id: expert,
                            target_amount: target,
                            created_at: at,
                            updated_at: at,
                            target_quantity: None,
                            starts_on: None,
                            ends_on: None,
                        });
                    }
                }
            }
        }
        bulk::plan_lines(db, &lines)?;
        Ok(ids.len())
    }
}
