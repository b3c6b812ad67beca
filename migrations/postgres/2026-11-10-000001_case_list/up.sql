-- Kept by the store on every write, for the case list:
-- `next_due_at` is when the case's earliest open planned action is due (NULL when it has none),
-- so the default order (priority, then that, then newest) pages on an index; `search_text` is
-- the number and title, Persian-normalised, for search.
ALTER TABLE cases ADD COLUMN next_due_at TIMESTAMP;
ALTER TABLE cases ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    next_due_at = (SELECT MIN(p.due_at) FROM planned_actions p
                    WHERE p.case_id = cases.id AND p.status = 'open'),
    search_text = LOWER(number || ' ' || title);
CREATE INDEX cases_urgency_idx ON cases (priority, next_due_at, id);
