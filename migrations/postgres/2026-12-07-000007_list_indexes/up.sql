-- The lists narrowed by a column the list's own order does not start with, and the reports over
-- a range of days, seek their rows by an index instead of reading the whole table:
-- the case list by importance or by marketing channel (each then in priority order, as by
-- status), the complaint list by severity or by category, and the reports that date a case by
-- its opening, a complaint by its receipt and a contact by its creation.
CREATE INDEX cases_importance_idx ON cases (importance, priority);
CREATE INDEX cases_channel_idx ON cases (channel_id, priority);
CREATE INDEX cases_created_idx ON cases (created_at);
CREATE INDEX complaints_severity_idx ON complaints (severity);
CREATE INDEX complaints_category_idx ON complaints (category_id);
CREATE INDEX complaints_received_idx ON complaints (received_at);
CREATE INDEX contacts_created_idx ON contacts (created_at);
