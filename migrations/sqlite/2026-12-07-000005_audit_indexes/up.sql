-- `peygir audit --by LOGIN` reads one user's changes newest first: by an index rather than
-- walking the whole log backwards.
CREATE INDEX audit_log_user_idx ON audit_log (user_id, id);
