DROP INDEX contacts_search_trgm_idx;
-- The extension goes too, as the up may have been what created it (PostgreSQL refuses while
-- anything else still uses it).
DROP EXTENSION IF EXISTS pg_trgm;
