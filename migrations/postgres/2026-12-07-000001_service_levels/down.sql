DROP TABLE working_hours;
DROP TABLE sla_policies;
