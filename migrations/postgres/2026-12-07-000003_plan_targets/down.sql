DROP INDEX sales_market_idx;
ALTER TABLE plan_lines DROP COLUMN ends_on;
ALTER TABLE plan_lines DROP COLUMN starts_on;
ALTER TABLE plan_lines DROP COLUMN target_quantity;
ALTER TABLE sales DROP COLUMN quantity;
