-- Experts and the organisational units they work in, the audit log every write records into,
-- holidays, and the counters that number cases and complaints.
CREATE TABLE org_units (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES org_units (id),
    name TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'agent')),
    org_unit_id BIGINT REFERENCES org_units (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX users_login_idx ON users (login);
CREATE INDEX users_org_unit_idx ON users (org_unit_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    user_id BIGINT REFERENCES users (id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'archive', 'delete')),
    old_values TEXT,
    new_values TEXT
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE holidays (
    id INTEGER PRIMARY KEY,
    day DATE NOT NULL,
    name TEXT NOT NULL
);
CREATE UNIQUE INDEX holidays_day_idx ON holidays (day);

-- One row per numbering scope (for example 'case:1405'); incremented inside the transaction that
-- takes a number, so two writers never get the same one and a number is never reused.
CREATE TABLE number_sequences (
    scope TEXT PRIMARY KEY NOT NULL,
    last_value BIGINT NOT NULL
);
