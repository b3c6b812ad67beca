DROP INDEX audit_log_user_idx;
