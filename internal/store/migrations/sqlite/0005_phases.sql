-- Phased schedules: for an indicator and year, the share of the annual target due by the
-- end of chosen months (e.g. 20% by March, 45% by June). Where a schedule exists, it is
-- the indicator's time progress instead of months elapsed ÷ 12.
CREATE TABLE target_phases (
    year         INTEGER NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES indicators(id),
    month        INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    share        TEXT    NOT NULL,
    PRIMARY KEY (year, indicator_id, month)
);
