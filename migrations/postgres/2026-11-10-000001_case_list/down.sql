DROP INDEX cases_urgency_idx;
ALTER TABLE cases DROP COLUMN search_text;
ALTER TABLE cases DROP COLUMN next_due_at;
