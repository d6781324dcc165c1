-- Figures as a bulletin or the statistics bureau published them, kept as typed (their
-- number of decimals is their rounding), to be reconciled with the computed ones.
CREATE TABLE published_figures (
    year         INTEGER NOT NULL,
    month        INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    figure       TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',
    actor_name   TEXT    NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (year, month, unit_id, indicator_id)
);
