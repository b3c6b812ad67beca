-- Lists an admin edits: marketing channels, follow-up and action kinds, company types, fields of
-- activity, product groups and regions (trees), complaint categories, reasons a case was lost.
-- One table with a `list` column keeps every list editable by the same screen and command.
CREATE TABLE lookups (
    id BIGSERIAL PRIMARY KEY,
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

-- Case statuses and the transitions an admin allows between them. `outcome` says whether a status
-- keeps a case open or closes it, and how.
CREATE TABLE case_statuses (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('open', 'won', 'lost', 'cancelled')),
    is_initial BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX case_statuses_code_idx ON case_statuses (code);

CREATE TABLE case_status_transitions (
    from_status_id BIGINT NOT NULL REFERENCES case_statuses (id) ON DELETE CASCADE,
    to_status_id BIGINT NOT NULL REFERENCES case_statuses (id) ON DELETE CASCADE,
    PRIMARY KEY (from_status_id, to_status_id)
);
CREATE INDEX case_status_transitions_to_idx ON case_status_transitions (to_status_id);
