-- Service levels for complaints: for each severity, the working hours allowed until the first
-- response and until the resolution, counted over the working week below less the holidays.
CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    response_hours INTEGER NOT NULL CHECK (response_hours > 0),
    resolution_hours INTEGER NOT NULL CHECK (resolution_hours > 0),
    version BIGINT NOT NULL DEFAULT 1,
    updated_by BIGINT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX sla_policies_severity_idx ON sla_policies (severity);

-- The working week: one row per weekday (1 Monday to 7 Sunday), open from opens_at until
-- closes_at (minutes after midnight, local time); a day without hours is a day off.
CREATE TABLE working_hours (
    id INTEGER PRIMARY KEY,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_at INTEGER CHECK (opens_at BETWEEN 0 AND 1440),
    closes_at INTEGER CHECK (closes_at BETWEEN 0 AND 1440),
    CHECK ((opens_at IS NULL AND closes_at IS NULL)
        OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND closes_at > opens_at))
);
CREATE UNIQUE INDEX working_hours_weekday_idx ON working_hours (weekday);
