DROP TABLE sales;
DROP TABLE plan_lines;
DROP TABLE sales_plans;
