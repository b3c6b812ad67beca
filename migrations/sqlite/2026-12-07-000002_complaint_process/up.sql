-- The complaint process (ISO 10002's loop): received, acknowledged (the first response), under
-- investigation (with a root cause), action taken, resolution proposed, then closed when the
-- customer accepts it or escalated when they do not; or rejected. A closed or rejected complaint
-- may be reopened under its number (counted in repeat_count). Each complaint has a severity,
-- whose service level sets when its first response and its resolution are due (working time,
-- worked out by the store and kept here, so the late ones page first on an index).
--
-- SQLite cannot change a column's checks in place, so the tables are made anew: with foreign keys
-- off (metadata.toml runs this outside diesel's transaction, and it takes its own), so that
-- dropping it neither refuses nor cascades to the follow-ups, actions and history that point at
-- it; they point at the new table by name. The columns keep PostgreSQL's order.
PRAGMA foreign_keys = OFF;
BEGIN;
-- The reference lists gain the root causes an investigation finds and the ways a complaint
-- comes in.
CREATE TEMP TABLE lookups_before AS SELECT * FROM lookups;
DROP TABLE lookups;
CREATE TABLE lookups (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL CHECK (list IN ('marketing_channel', 'followup_kind', 'action_kind',
        'company_type', 'activity_field', 'product_group', 'region', 'complaint_category',
        'close_reason', 'root_cause', 'complaint_channel')),
    parent_id BIGINT REFERENCES lookups (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX lookups_list_code_idx ON lookups (list, code);
CREATE INDEX lookups_parent_idx ON lookups (parent_id);
INSERT INTO lookups (id, list, parent_id, code, name, position, active, version, created_at, updated_at) SELECT id, list, parent_id, code, name, position, active, version, created_at, updated_at FROM lookups_before;
DROP TABLE lookups_before;
CREATE TEMP TABLE complaints_before AS SELECT * FROM complaints;
DROP TABLE complaints;
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    contact_id BIGINT NOT NULL REFERENCES contacts (id),
    case_id BIGINT REFERENCES cases (id),
    category_id BIGINT REFERENCES lookups (id),
    channel_id BIGINT REFERENCES lookups (id),
    severity TEXT NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status TEXT NOT NULL CHECK (status IN ('received', 'acknowledged', 'investigating', 'action_taken',
                                           'resolution_proposed', 'escalated', 'closed', 'rejected')),
    expert_id BIGINT NOT NULL REFERENCES users (id),
    received_at TIMESTAMP NOT NULL,
    resolution TEXT,
    resolved_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    remedy_requested TEXT,
    root_cause_id BIGINT REFERENCES lookups (id),
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    acknowledged_at TIMESTAMP,
    response_due_at TIMESTAMP,
    resolution_due_at TIMESTAMP,
    closed_at TIMESTAMP,
    repeat_count INTEGER NOT NULL DEFAULT 0
);
INSERT INTO complaints (id, number, title, description, contact_id, case_id, category_id, channel_id, severity, status, expert_id, received_at, resolution, resolved_at, version, created_by, updated_by, created_at, updated_at)
SELECT id, number, title, description, contact_id, case_id, category_id, channel_id,
       CASE importance WHEN 'normal' THEN 'medium' ELSE importance END,
       CASE status WHEN 'new' THEN 'received' WHEN 'resolved' THEN 'resolution_proposed' ELSE status END,
       expert_id, received_at, resolution, resolved_at, version, created_by, updated_by, created_at, updated_at
  FROM complaints_before;
DROP TABLE complaints_before;
CREATE UNIQUE INDEX complaints_number_idx ON complaints (number);
CREATE INDEX complaints_status_idx ON complaints (status, received_at);
CREATE INDEX complaints_contact_idx ON complaints (contact_id);
CREATE INDEX complaints_expert_idx ON complaints (expert_id, status);
CREATE INDEX complaints_due_idx ON complaints (resolution_due_at, id);

-- What is done about a complaint: a corrective action for this customer or a preventive one for
-- the product or the process, each with an owner and a due day.
CREATE TABLE complaint_actions (
    id INTEGER PRIMARY KEY,
    complaint_id BIGINT NOT NULL REFERENCES complaints (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    description TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    due_on DATE NOT NULL,
    done_at TIMESTAMP,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX complaint_actions_complaint_idx ON complaint_actions (complaint_id);
CREATE INDEX complaint_actions_owner_idx ON complaint_actions (owner_id, done_at);
COMMIT;
PRAGMA foreign_keys = ON;
