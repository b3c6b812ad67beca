DROP TABLE planned_actions;
DROP TABLE followups;
DROP TABLE complaint_status_history;
DROP TABLE complaints;
DROP TABLE cases;
