-- Nothing was made (see up.sql).
SELECT 1;
