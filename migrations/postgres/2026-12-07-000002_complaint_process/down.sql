DROP TABLE complaint_actions;
DROP INDEX complaints_due_idx;
ALTER TABLE complaints DROP COLUMN repeat_count;
ALTER TABLE complaints DROP COLUMN closed_at;
ALTER TABLE complaints DROP COLUMN resolution_due_at;
ALTER TABLE complaints DROP COLUMN response_due_at;
ALTER TABLE complaints DROP COLUMN acknowledged_at;
ALTER TABLE complaints DROP COLUMN satisfaction;
ALTER TABLE complaints DROP COLUMN root_cause_id;
ALTER TABLE complaints DROP COLUMN remedy_requested;
ALTER TABLE complaints DROP CONSTRAINT complaints_status_check;
ALTER TABLE complaints DROP CONSTRAINT complaints_severity_check;
UPDATE complaints SET status = CASE status
    WHEN 'received' THEN 'new'
    WHEN 'acknowledged' THEN 'new'
    WHEN 'action_taken' THEN 'investigating'
    WHEN 'escalated' THEN 'investigating'
    WHEN 'resolution_proposed' THEN 'resolved'
    ELSE status END;
UPDATE complaints SET severity = 'normal' WHERE severity = 'medium';
ALTER TABLE complaints RENAME COLUMN severity TO importance;
ALTER TABLE complaints ALTER COLUMN importance SET DEFAULT 'normal';
ALTER TABLE complaints ADD CONSTRAINT complaints_importance_check
    CHECK (importance IN ('low', 'normal', 'high', 'critical'));
ALTER TABLE complaints ADD CONSTRAINT complaints_status_check
    CHECK (status IN ('new', 'investigating', 'resolved', 'closed', 'rejected'));
UPDATE complaints SET channel_id = NULL
    WHERE channel_id IN (SELECT id FROM lookups WHERE list = 'complaint_channel');
DELETE FROM lookups WHERE list IN ('root_cause', 'complaint_channel');
ALTER TABLE lookups DROP CONSTRAINT lookups_list_check;
ALTER TABLE lookups ADD CONSTRAINT lookups_list_check
    CHECK (list IN ('marketing_channel', 'followup_kind', 'action_kind', 'company_type',
                    'activity_field', 'product_group', 'region', 'complaint_category',
                    'close_reason'));
