DROP TRIGGER audit_log_announce ON audit_log;
DROP FUNCTION peygir_announce_change();
