-- Doubling plans: a multi-year goal per indicator, with each unit's baseline and yearly
-- goals. The generator proposes the goals; people may edit every one.
CREATE TABLE plans (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    indicator_id  INTEGER NOT NULL REFERENCES indicators(id),
    baseline_year INTEGER NOT NULL,
    end_year      INTEGER NOT NULL,
    multiple      TEXT    NOT NULL,
    path          TEXT    NOT NULL CHECK (path IN ('geometric','linear')),
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CHECK (end_year > baseline_year)
);

-- A unit's figure in a plan: the baseline in the baseline year, goals in later years.
CREATE TABLE plan_values (
    plan_id INTEGER NOT NULL REFERENCES plans(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    year    INTEGER NOT NULL,
    value   TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id, year)
);
