DROP INDEX contacts_created_idx;
DROP INDEX complaints_received_idx;
DROP INDEX complaints_category_idx;
DROP INDEX complaints_severity_idx;
DROP INDEX cases_created_idx;
DROP INDEX cases_channel_idx;
DROP INDEX cases_importance_idx;
