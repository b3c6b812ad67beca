-- The contact search finds each typed word anywhere in a contact's search text
-- (`search_text LIKE '%word%'`), which no B-tree index serves. A trigram index does: pg_trgm's
-- GIN operator class answers such a `LIKE` for a word of three characters or more. pg_trgm ships
-- with PostgreSQL and is a trusted extension (since PostgreSQL 13): the database's owner may
-- create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX contacts_search_trgm_idx ON contacts USING gin (search_text gin_trgm_ops);
