DROP TABLE number_sequences;
DROP TABLE holidays;
DROP TABLE audit_log;
DROP TABLE users;
DROP TABLE org_units;
