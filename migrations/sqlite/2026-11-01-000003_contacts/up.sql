-- Persons and companies (natural and legal persons) with every field of the requirement, the
-- links between persons and companies, and the category tree contacts are filed under.
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    -- Kept by the store from the name fields: the list sorts and pages on it.
    display_name TEXT NOT NULL,
    -- Kept by the store: the searchable fields, Persian-normalised, for "find by any fragment".
    search_text TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    national_code TEXT,
    birth_date DATE,
    gender TEXT CHECK (gender IN ('female', 'male')),
    marital_status TEXT CHECK (marital_status IN ('single', 'married')),
    company_name TEXT,
    company_national_id TEXT,
    economic_code TEXT,
    registration_number TEXT,
    registration_date DATE,
    company_type_id BIGINT REFERENCES lookups (id),
    activity_field_id BIGINT REFERENCES lookups (id),
    staff_count BIGINT CHECK (staff_count >= 0),
    turnover BIGINT CHECK (turnover >= 0),
    phone TEXT,
    fax TEXT,
    mobile TEXT,
    email TEXT,
    website TEXT,
    postal_code TEXT,
    address TEXT,
    region_id BIGINT REFERENCES lookups (id),
    notes TEXT,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((kind = 'person' AND last_name IS NOT NULL) OR (kind = 'company' AND company_name IS NOT NULL))
);
CREATE INDEX contacts_display_name_idx ON contacts (display_name, id);
CREATE UNIQUE INDEX contacts_national_code_idx ON contacts (national_code);
CREATE UNIQUE INDEX contacts_company_national_id_idx ON contacts (company_national_id);
CREATE INDEX contacts_mobile_idx ON contacts (mobile);
CREATE INDEX contacts_phone_idx ON contacts (phone);
CREATE INDEX contacts_region_idx ON contacts (region_id);

CREATE TABLE contact_links (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES contacts (id),
    company_id BIGINT NOT NULL REFERENCES contacts (id),
    job_title TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (person_id <> company_id)
);
CREATE UNIQUE INDEX contact_links_person_company_idx ON contact_links (person_id, company_id);
CREATE INDEX contact_links_company_idx ON contact_links (company_id);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    parent_id BIGINT REFERENCES categories (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE contact_categories (
    contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, category_id)
);
CREATE INDEX contact_categories_category_idx ON contact_categories (category_id);
