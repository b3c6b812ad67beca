-- A sale's quantity; a plan line's quantity target and its own period (a month or a quarter of
-- the plan, when the plan is split); the index the plan report's grouped query reads, holding
-- every column the query filters, groups and sums, so that the sales table itself is not read.
ALTER TABLE sales ADD COLUMN quantity BIGINT NOT NULL DEFAULT 1 CHECK (quantity >= 0);
ALTER TABLE plan_lines ADD COLUMN target_quantity BIGINT CHECK (target_quantity >= 0);
ALTER TABLE plan_lines ADD COLUMN starts_on DATE;
ALTER TABLE plan_lines ADD COLUMN ends_on DATE;
CREATE INDEX sales_market_idx ON sales (
    market, sold_on, product_group_id, region_id, expert_id, amount, quantity
);
