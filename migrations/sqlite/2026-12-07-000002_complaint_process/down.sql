-- The tables made anew as they were (see up.sql for why foreign keys are off meanwhile).
PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE complaint_actions;
CREATE TEMP TABLE complaints_after AS SELECT * FROM complaints;
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
INSERT INTO complaints (id, number, title, description, contact_id, case_id, category_id, channel_id, importance, status, expert_id, received_at, resolution, resolved_at, version, created_by, updated_by, created_at, updated_at)
SELECT id, number, title, description, contact_id, case_id, category_id,
       CASE WHEN channel_id IN (SELECT id FROM lookups WHERE list = 'complaint_channel')
            THEN NULL ELSE channel_id END,
       CASE severity WHEN 'medium' THEN 'normal' ELSE severity END,
       CASE status
           WHEN 'received' THEN 'new'
           WHEN 'acknowledged' THEN 'new'
           WHEN 'action_taken' THEN 'investigating'
           WHEN 'escalated' THEN 'investigating'
           WHEN 'resolution_proposed' THEN 'resolved'
           ELSE status END,
       expert_id, received_at, resolution, resolved_at, version, created_by, updated_by, created_at, updated_at
  FROM complaints_after;
DROP TABLE complaints_after;
CREATE UNIQUE INDEX complaints_number_idx ON complaints (number);
CREATE INDEX complaints_status_idx ON complaints (status, received_at);
CREATE INDEX complaints_contact_idx ON complaints (contact_id);
CREATE INDEX complaints_expert_idx ON complaints (expert_id, status);
CREATE TEMP TABLE lookups_after AS SELECT * FROM lookups
    WHERE list NOT IN ('root_cause', 'complaint_channel');
DROP TABLE lookups;
CREATE TABLE lookups (
    id INTEGER PRIMARY KEY,
    list TEXT NOT NULL CHECK (list IN ('marketing_channel', 'followup_kind', 'action_kind',
        'company_type', 'activity_field', 'product_group', 'region', 'complaint_category',
        'close_reason')),
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
INSERT INTO lookups (id, list, parent_id, code, name, position, active, version, created_at, updated_at) SELECT id, list, parent_id, code, name, position, active, version, created_at, updated_at FROM lookups_after;
DROP TABLE lookups_after;
COMMIT;
PRAGMA foreign_keys = ON;
