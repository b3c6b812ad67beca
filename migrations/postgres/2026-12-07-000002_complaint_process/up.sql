-- The complaint process (ISO 10002's loop): received, acknowledged (the first response), under
-- investigation (with a root cause), action taken, resolution proposed, then closed when the
-- customer accepts it or escalated when they do not; or rejected. A closed or rejected complaint
-- may be reopened under its number (counted in repeat_count). Each complaint has a severity,
-- whose service level sets when its first response and its resolution are due (working time,
-- worked out by the store and kept here, so the late ones page first on an index).
-- The reference lists gain the root causes an investigation finds and the ways a complaint
-- comes in.
ALTER TABLE lookups DROP CONSTRAINT lookups_list_check;
ALTER TABLE lookups ADD CONSTRAINT lookups_list_check
    CHECK (list IN ('marketing_channel', 'followup_kind', 'action_kind', 'company_type',
                    'activity_field', 'product_group', 'region', 'complaint_category',
                    'close_reason', 'root_cause', 'complaint_channel'));

ALTER TABLE complaints DROP CONSTRAINT complaints_status_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_importance_check;
ALTER TABLE complaints RENAME COLUMN importance TO severity;
UPDATE complaints SET severity = 'medium' WHERE severity = 'normal';
UPDATE complaints SET status = CASE status
    WHEN 'new' THEN 'received'
    WHEN 'resolved' THEN 'resolution_proposed'
    ELSE status END;
ALTER TABLE complaints ALTER COLUMN severity SET DEFAULT 'medium';
ALTER TABLE complaints ADD CONSTRAINT complaints_severity_check
    CHECK (severity IN ('low', 'medium', 'high', 'critical'));
ALTER TABLE complaints ADD CONSTRAINT complaints_status_check
    CHECK (status IN ('received', 'acknowledged', 'investigating', 'action_taken',
                      'resolution_proposed', 'escalated', 'closed', 'rejected'));
ALTER TABLE complaints ADD COLUMN remedy_requested TEXT;
ALTER TABLE complaints ADD COLUMN root_cause_id BIGINT REFERENCES lookups (id);
ALTER TABLE complaints ADD COLUMN satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5);
ALTER TABLE complaints ADD COLUMN acknowledged_at TIMESTAMP;
ALTER TABLE complaints ADD COLUMN response_due_at TIMESTAMP;
ALTER TABLE complaints ADD COLUMN resolution_due_at TIMESTAMP;
ALTER TABLE complaints ADD COLUMN closed_at TIMESTAMP;
ALTER TABLE complaints ADD COLUMN repeat_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX complaints_due_idx ON complaints (resolution_due_at, id);

-- What is done about a complaint: a corrective action for this customer or a preventive one for
-- the product or the process, each with an owner and a due day.
CREATE TABLE complaint_actions (
    id BIGSERIAL PRIMARY KEY,
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
