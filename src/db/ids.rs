//! The typed id of every table's rows. A `ContactId` cannot be passed where a `CaseId` is wanted:
//! the store's functions, the rows they return and the panes that hold them all say which kind
//! of row an id names. Each is a `BIGINT` in both backends, read and written by diesel as the
//! number it wraps, shown and serialised (the audit log's JSON) as that number too.

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, DieselNewType,
            Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )*};
}

ids! {
    /// An organisational unit (`org_units`).
    OrgUnitId,
    /// A user, who is also an expert (`users`).
    UserId,
    /// An entry of a reference list: a channel, a kind, a product group, a region… (`lookups`).
    LookupId,
    /// A case status (`case_statuses`).
    CaseStatusId,
    /// A person or a company (`contacts`).
    ContactId,
    /// A person's link to a company (`contact_links`).
    ContactLinkId,
    /// A node of the contact category tree (`categories`).
    CategoryId,
    /// A sales case (`cases`).
    CaseId,
    /// A customer complaint (`complaints`).
    ComplaintId,
    /// A corrective or preventive action on a complaint (`complaint_actions`).
    ComplaintActionId,
    /// A step of a complaint's status history (`complaint_status_history`).
    ComplaintStatusChangeId,
    /// A follow-up on a case or a complaint (`followups`).
    FollowUpId,
    /// A planned next action (`planned_actions`).
    PlannedActionId,
    /// A sales plan (`sales_plans`).
    SalesPlanId,
    /// One target line of a sales plan (`plan_lines`).
    PlanLineId,
    /// An actual sale (`sales`).
    SaleId,
    /// A holiday of the working calendar (`holidays`).
    HolidayId,
    /// The service level of one complaint severity (`sla_policies`).
    SlaPolicyId,
    /// A row of the audit log (`audit_log`).
    AuditId,
}
