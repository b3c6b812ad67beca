-- The contact search finds each typed word anywhere in a contact's search text
-- (`search_text LIKE '%word%'`), which no B-tree index serves. `contacts_search` is an FTS5 index
-- of the trigrams of `contacts.search_text` (its content is the contacts table itself, read by
-- rowid, the contact's id): a `MATCH` of a quoted word of three characters or more finds the
-- contacts holding it anywhere, so the `LIKE`s read only those. The triggers keep it up to date
-- on every insert, change of the search text and delete.
CREATE VIRTUAL TABLE contacts_search USING fts5(
    search_text,
    content = 'contacts',
    content_rowid = 'id',
    tokenize = 'trigram',
    columnsize = 0
);

-- The contacts already stored.
INSERT INTO contacts_search (contacts_search) VALUES ('rebuild');

CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER contacts_search_update AFTER UPDATE OF search_text ON contacts
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    INSERT INTO contacts_search (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_search (contacts_search, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
END;
