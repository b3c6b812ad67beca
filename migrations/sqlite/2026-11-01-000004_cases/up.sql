-- Sales cases, customer complaints, the follow-up log and the planned next actions the inbox is
-- built from. A follow-up or planned action belongs to exactly one case or one complaint.
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    company_id BIGINT REFERENCES contacts (id),
    contact_id BIGINT REFERENCES contacts (id),
    expert_id BIGINT NOT NULL REFERENCES users (id),
    representative_id BIGINT REFERENCES users (id),
    referrer_id BIGINT REFERENCES contacts (id),
    need TEXT,
    channel_id BIGINT REFERENCES lookups (id),
    org_unit_id BIGINT REFERENCES org_units (id),
    status_id BIGINT NOT NULL REFERENCES case_statuses (id),
    importance TEXT NOT NULL DEFAULT 'normal' CHECK (importance IN ('low', 'normal', 'high', 'critical')),
    priority INTEGER NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    product_group_id BIGINT REFERENCES lookups (id),
    region_id BIGINT REFERENCES lookups (id),
    expected_amount BIGINT CHECK (expected_amount >= 0),
    won_amount BIGINT CHECK (won_amount >= 0),
    won_on DATE,
    close_reason_id BIGINT REFERENCES lookups (id),
    close_note TEXT,
    closed_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (company_id IS NOT NULL OR contact_id IS NOT NULL)
);
CREATE UNIQUE INDEX cases_number_idx ON cases (number);
CREATE INDEX cases_expert_status_idx ON cases (expert_id, status_id);
CREATE INDEX cases_status_idx ON cases (status_id, priority);
CREATE INDEX cases_company_idx ON cases (company_id);
CREATE INDEX cases_contact_idx ON cases (contact_id);
CREATE INDEX cases_org_unit_idx ON cases (org_unit_id);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    contact_id BIGINT NOT NULL REFERENCES contacts (id),
    case_id BIGINT REFERENCES cases (id),
    category_id BIGINT REFERENCES lookups (id),
    channel_id BIGINT REFERENCES lookups (id),
    importance TEXT NOT NULL DEFAULT 'normal' CHECK (importance IN ('low', 'normal', 'high', 'critical')),
    status TEXT NOT NULL CHECK (status IN ('new', 'investigating', 'resolved', 'closed', 'rejected')),
    expert_id BIGINT NOT NULL REFERENCES users (id),
    received_at TIMESTAMP NOT NULL,
    resolution TEXT,
    resolved_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX complaints_number_idx ON complaints (number);
CREATE INDEX complaints_status_idx ON complaints (status, received_at);
CREATE INDEX complaints_contact_idx ON complaints (contact_id);
CREATE INDEX complaints_expert_idx ON complaints (expert_id, status);

CREATE TABLE complaint_status_history (
    id INTEGER PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    changed_by BIGINT NOT NULL REFERENCES users (id),
    changed_at TIMESTAMP NOT NULL,
    note TEXT
);
CREATE INDEX complaint_status_history_complaint_idx ON complaint_status_history (complaint_id, changed_at);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    case_id BIGINT REFERENCES cases (id),
    complaint_id BIGINT REFERENCES complaints (id),
    kind_id BIGINT NOT NULL REFERENCES lookups (id),
    happened_at TIMESTAMP NOT NULL,
    expert_id BIGINT NOT NULL REFERENCES users (id),
    minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    description TEXT NOT NULL,
    status_after_id BIGINT REFERENCES case_statuses (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((case_id IS NOT NULL AND complaint_id IS NULL) OR (case_id IS NULL AND complaint_id IS NOT NULL))
);
CREATE INDEX followups_case_idx ON followups (case_id, happened_at);
CREATE INDEX followups_complaint_idx ON followups (complaint_id, happened_at);
CREATE INDEX followups_expert_idx ON followups (expert_id, happened_at);
CREATE INDEX followups_happened_idx ON followups (happened_at, id);

CREATE TABLE planned_actions (
    id INTEGER PRIMARY KEY,
    case_id BIGINT REFERENCES cases (id),
    complaint_id BIGINT REFERENCES complaints (id),
    kind_id BIGINT NOT NULL REFERENCES lookups (id),
    description TEXT NOT NULL,
    assignee_id BIGINT NOT NULL REFERENCES users (id),
    due_at TIMESTAMP NOT NULL,
    estimated_minutes INTEGER NOT NULL DEFAULT 0 CHECK (estimated_minutes >= 0),
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    -- The follow-up during which this action was planned, and the one that carried it out.
    planned_in_followup_id BIGINT REFERENCES followups (id),
    done_by_followup_id BIGINT REFERENCES followups (id),
    done_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((case_id IS NOT NULL AND complaint_id IS NULL) OR (case_id IS NULL AND complaint_id IS NOT NULL)),
    CHECK (status <> 'done' OR done_by_followup_id IS NOT NULL)
);
CREATE INDEX planned_actions_inbox_idx ON planned_actions (assignee_id, status, due_at);
CREATE INDEX planned_actions_case_idx ON planned_actions (case_id, status);
CREATE INDEX planned_actions_complaint_idx ON planned_actions (complaint_id, status);
CREATE INDEX planned_actions_due_idx ON planned_actions (status, due_at);
