DROP TABLE case_status_transitions;
DROP TABLE case_statuses;
DROP TABLE lookups;
