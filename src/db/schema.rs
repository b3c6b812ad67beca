//! The tables as diesel sees them, kept by hand so that only types both backends share appear
//! (ids and money are `BigInt`, times `Timestamp` in UTC, dates `Date`). The schema test compares
//! this with what the migrations build on SQLite and on PostgreSQL.

diesel::table! {
    org_units (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        name -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        login -> Text,
        display_name -> Text,
        role -> Text,
        org_unit_id -> Nullable<BigInt>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        entity -> Text,
        entity_id -> BigInt,
        action -> Text,
        old_values -> Nullable<Text>,
        new_values -> Nullable<Text>,
    }
}

diesel::table! {
    holidays (id) {
        id -> BigInt,
        day -> Date,
        name -> Text,
    }
}

diesel::table! {
    number_sequences (scope) {
        scope -> Text,
        last_value -> BigInt,
    }
}

diesel::table! {
    lookups (id) {
        id -> BigInt,
        list -> Text,
        parent_id -> Nullable<BigInt>,
        code -> Text,
        name -> Text,
        position -> Integer,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_statuses (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        outcome -> Text,
        is_initial -> Bool,
        position -> Integer,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_status_transitions (from_status_id, to_status_id) {
        from_status_id -> BigInt,
        to_status_id -> BigInt,
    }
}

diesel::table! {
    contacts (id) {
        id -> BigInt,
        kind -> Text,
        display_name -> Text,
        search_text -> Text,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        national_code -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        gender -> Nullable<Text>,
        marital_status -> Nullable<Text>,
        company_name -> Nullable<Text>,
        company_national_id -> Nullable<Text>,
        economic_code -> Nullable<Text>,
        registration_number -> Nullable<Text>,
        registration_date -> Nullable<Date>,
        company_type_id -> Nullable<BigInt>,
        activity_field_id -> Nullable<BigInt>,
        staff_count -> Nullable<BigInt>,
        turnover -> Nullable<BigInt>,
        phone -> Nullable<Text>,
        fax -> Nullable<Text>,
        mobile -> Nullable<Text>,
        email -> Nullable<Text>,
        website -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        address -> Nullable<Text>,
        region_id -> Nullable<BigInt>,
        notes -> Nullable<Text>,
        archived -> Bool,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contact_links (id) {
        id -> BigInt,
        person_id -> BigInt,
        company_id -> BigInt,
        job_title -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        name -> Text,
        position -> Integer,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contact_categories (contact_id, category_id) {
        contact_id -> BigInt,
        category_id -> BigInt,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        number -> Text,
        title -> Text,
        company_id -> Nullable<BigInt>,
        contact_id -> Nullable<BigInt>,
        expert_id -> BigInt,
        representative_id -> Nullable<BigInt>,
        referrer_id -> Nullable<BigInt>,
        need -> Nullable<Text>,
        channel_id -> Nullable<BigInt>,
        org_unit_id -> Nullable<BigInt>,
        status_id -> BigInt,
        importance -> Text,
        priority -> Integer,
        product_group_id -> Nullable<BigInt>,
        region_id -> Nullable<BigInt>,
        expected_amount -> Nullable<BigInt>,
        won_amount -> Nullable<BigInt>,
        won_on -> Nullable<Date>,
        close_reason_id -> Nullable<BigInt>,
        close_note -> Nullable<Text>,
        closed_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// When the earliest open planned action is due; kept by the store.
        next_due_at -> Nullable<Timestamp>,
        /// The number and title, Persian-normalised; kept by the store.
        search_text -> Text,
    }
}

diesel::table! {
    complaints (id) {
        id -> BigInt,
        number -> Text,
        title -> Text,
        description -> Text,
        contact_id -> BigInt,
        case_id -> Nullable<BigInt>,
        category_id -> Nullable<BigInt>,
        channel_id -> Nullable<BigInt>,
        severity -> Text,
        status -> Text,
        expert_id -> BigInt,
        received_at -> Timestamp,
        resolution -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        remedy_requested -> Nullable<Text>,
        root_cause_id -> Nullable<BigInt>,
        satisfaction -> Nullable<Integer>,
        acknowledged_at -> Nullable<Timestamp>,
        response_due_at -> Nullable<Timestamp>,
        resolution_due_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        repeat_count -> Integer,
    }
}

diesel::table! {
    complaint_actions (id) {
        id -> BigInt,
        complaint_id -> BigInt,
        kind -> Text,
        description -> Text,
        owner_id -> BigInt,
        due_on -> Date,
        done_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    complaint_status_history (id) {
        id -> BigInt,
        complaint_id -> BigInt,
        from_status -> Nullable<Text>,
        to_status -> Text,
        changed_by -> BigInt,
        changed_at -> Timestamp,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    followups (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        complaint_id -> Nullable<BigInt>,
        kind_id -> BigInt,
        happened_at -> Timestamp,
        expert_id -> BigInt,
        minutes -> Integer,
        description -> Text,
        status_after_id -> Nullable<BigInt>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    planned_actions (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        complaint_id -> Nullable<BigInt>,
        kind_id -> BigInt,
        description -> Text,
        assignee_id -> BigInt,
        due_at -> Timestamp,
        estimated_minutes -> Integer,
        status -> Text,
        planned_in_followup_id -> Nullable<BigInt>,
        done_by_followup_id -> Nullable<BigInt>,
        done_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sales_plans (id) {
        id -> BigInt,
        name -> Text,
        market -> Text,
        term -> Text,
        starts_on -> Date,
        ends_on -> Date,
        notes -> Nullable<Text>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_lines (id) {
        id -> BigInt,
        plan_id -> BigInt,
        product_group_id -> Nullable<BigInt>,
        region_id -> Nullable<BigInt>,
        expert_id -> Nullable<BigInt>,
        target_amount -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        target_quantity -> Nullable<BigInt>,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
    }
}

diesel::table! {
    sales (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        contact_id -> BigInt,
        market -> Text,
        product_group_id -> Nullable<BigInt>,
        region_id -> Nullable<BigInt>,
        expert_id -> BigInt,
        amount -> BigInt,
        sold_on -> Date,
        note -> Nullable<Text>,
        version -> BigInt,
        created_by -> BigInt,
        updated_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        quantity -> BigInt,
    }
}

diesel::table! {
    sla_policies (id) {
        id -> BigInt,
        severity -> Text,
        response_hours -> Integer,
        resolution_hours -> Integer,
        version -> BigInt,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    working_hours (id) {
        id -> BigInt,
        weekday -> Integer,
        opens_at -> Nullable<Integer>,
        closes_at -> Nullable<Integer>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    org_units,
    users,
    audit_log,
    holidays,
    number_sequences,
    lookups,
    case_statuses,
    case_status_transitions,
    contacts,
    contact_links,
    categories,
    contact_categories,
    cases,
    complaints,
    complaint_status_history,
    followups,
    planned_actions,
    sales_plans,
    plan_lines,
    sales,
    sla_policies,
    working_hours,
    complaint_actions,
);

/// Every table, in the order the migrations create them (parents before children).
pub const TABLES: &[&str] = &[
    "org_units",
    "users",
    "audit_log",
    "holidays",
    "number_sequences",
    "lookups",
    "case_statuses",
    "case_status_transitions",
    "contacts",
    "contact_links",
    "categories",
    "contact_categories",
    "cases",
    "complaints",
    "complaint_status_history",
    "followups",
    "planned_actions",
    "sales_plans",
    "plan_lines",
    "sales",
    "sla_policies",
    "working_hours",
    "complaint_actions",
];
