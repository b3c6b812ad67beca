DROP TABLE contact_categories;
DROP TABLE categories;
DROP TABLE contact_links;
DROP TABLE contacts;
