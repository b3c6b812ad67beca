-- On PostgreSQL this migration makes every change announce itself (NOTIFY) so that screens
-- listening for it refresh. SQLite has no such channel: a screen reads `PRAGMA data_version`,
-- which moves by itself when another connection commits. Nothing to do here; the migration is
-- kept so that both backends hold the same list of migrations.
SELECT 1;
