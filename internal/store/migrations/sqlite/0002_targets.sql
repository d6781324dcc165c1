-- Targets: the indicator catalogue, yearly targets per unit, responsibility letters,
-- monthly reports and their corrections. Quantities are exact decimals stored as text.
CREATE TABLE indicators (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL UNIQUE,
    name             TEXT    NOT NULL,
    measure          TEXT    NOT NULL,
    decimals         INTEGER NOT NULL DEFAULT 1 CHECK (decimals BETWEEN 0 AND 4),
    higher_is_better BOOLEAN NOT NULL DEFAULT 1,
    kind             TEXT    NOT NULL CHECK (kind IN ('reported','derived','ratio')),
    accumulation     TEXT    NOT NULL DEFAULT 'cumulative' CHECK (accumulation IN ('cumulative','point')),
    rule             TEXT    NOT NULL DEFAULT '',
    numerator_id     INTEGER REFERENCES indicators(id),
    denominator_id   INTEGER REFERENCES indicators(id),
    headline         BOOLEAN NOT NULL DEFAULT 0,
    sort_order       INTEGER NOT NULL DEFAULT 0,
    active           BOOLEAN NOT NULL DEFAULT 1,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

CREATE TABLE targets (
    year         INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    base         TEXT    NOT NULL,
    stretch      TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (year, unit_id, indicator_id)
);
CREATE INDEX targets_unit ON targets(unit_id, year);

-- Every change to a target after its letter was issued, with the reason required then.
CREATE TABLE target_revisions (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    old_base     TEXT    NOT NULL,
    old_stretch  TEXT    NOT NULL,
    new_base     TEXT    NOT NULL,
    new_stretch  TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX target_revisions_unit ON target_revisions(year, unit_id);

-- An issued responsibility letter: the targets as they stood, frozen as JSON.
CREATE TABLE letters (
    id         INTEGER PRIMARY KEY,
    year       INTEGER NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    version    INTEGER NOT NULL,
    issued_at  TIMESTAMP NOT NULL,
    issued_by  TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    targets    TEXT    NOT NULL,
    UNIQUE (year, unit_id, version)
);

CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    status        TEXT    NOT NULL CHECK (status IN ('draft','submitted','approved','returned')),
    return_reason TEXT    NOT NULL DEFAULT '',
    submitted_at  TIMESTAMP,
    submitted_by  TEXT    NOT NULL DEFAULT '',
    reviewed_at   TIMESTAMP,
    reviewed_by   TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    UNIQUE (unit_id, year, month)
);
CREATE INDEX reports_period ON reports(year, month);

CREATE TABLE report_values (
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    value        TEXT    NOT NULL,
    PRIMARY KEY (report_id, indicator_id)
);

-- Corrections to approved reports: the value before and after, and why.
CREATE TABLE report_corrections (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    old_value    TEXT    NOT NULL,
    new_value    TEXT    NOT NULL,
    reason       TEXT    NOT NULL,
    actor_name   TEXT    NOT NULL,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX report_corrections_report ON report_corrections(report_id);
