-- The working-day calendar, in-app notifications, and the leases of scheduled jobs.

-- A year is loaded once its calendar has been saved; a year without a row is deadline
-- arithmetic on weekends only, and pages say so.
CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);

-- The exceptions to the Monday–Friday week: holidays and weekend days worked (调休).
CREATE TABLE calendar_days (
    day  TEXT    PRIMARY KEY CHECK (length(day) = 10),
    year INTEGER NOT NULL REFERENCES calendar_years(year),
    kind TEXT    NOT NULL CHECK (kind IN ('holiday','workday')),
    name TEXT    NOT NULL
);
CREATE INDEX calendar_days_year ON calendar_days(year);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    kind       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    link       TEXT    NOT NULL DEFAULT '',
    dedupe     TEXT,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP,
    UNIQUE (user_id, dedupe)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
-- The unread badge on every page counts through this partial index.
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;

-- One row per scheduled job: whoever moves expires_at forward first runs the period.
CREATE TABLE job_leases (
    name        TEXT      PRIMARY KEY,
    holder      TEXT      NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    last_run_at TIMESTAMP
);
