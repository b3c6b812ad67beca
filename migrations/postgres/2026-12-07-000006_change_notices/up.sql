-- Every change the store makes writes an audit row. Each statement that writes some also
-- announces it on the channel `peygir_changes`, so that a screen listening there learns of the
-- change when it commits, instead of asking the store every second (see store::changes).
-- PostgreSQL delivers a transaction's identical notices once, and only if it commits.
CREATE FUNCTION peygir_announce_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('peygir_changes', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_log_announce
AFTER INSERT ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION peygir_announce_change();
