-- Sales plans (B2B or B2C, long or short term) broken down by product group, region and expert,
-- and the actual sales they are compared with.
CREATE TABLE sales_plans (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    market TEXT NOT NULL CHECK (market IN ('b2b', 'b2c')),
    term TEXT NOT NULL CHECK (term IN ('long', 'short')),
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    notes TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX sales_plans_period_idx ON sales_plans (starts_on, ends_on);

CREATE TABLE plan_lines (
    id BIGSERIAL PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES sales_plans (id) ON DELETE CASCADE,
    product_group_id BIGINT REFERENCES lookups (id),
    region_id BIGINT REFERENCES lookups (id),
    expert_id BIGINT REFERENCES users (id),
    target_amount BIGINT NOT NULL CHECK (target_amount >= 0),
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX plan_lines_plan_idx ON plan_lines (plan_id);

CREATE TABLE sales (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT REFERENCES cases (id),
    contact_id BIGINT NOT NULL REFERENCES contacts (id),
    market TEXT NOT NULL CHECK (market IN ('b2b', 'b2c')),
    product_group_id BIGINT REFERENCES lookups (id),
    region_id BIGINT REFERENCES lookups (id),
    expert_id BIGINT NOT NULL REFERENCES users (id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    sold_on DATE NOT NULL,
    note TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT NOT NULL REFERENCES users (id),
    updated_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX sales_sold_on_idx ON sales (sold_on);
CREATE INDEX sales_expert_idx ON sales (expert_id, sold_on);
CREATE INDEX sales_case_idx ON sales (case_id);
