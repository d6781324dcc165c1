-- One scoring scheme (考核方案) per year. The items are a JSON array, validated by
-- domain.ScoringScheme.Validate before every write; the scheme is edited whole, so a
-- version on the row is what concurrent editors conflict on.
CREATE TABLE scoring_schemes (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    name       TEXT    NOT NULL,
    total_cap  TEXT    NOT NULL,
    decimals   INTEGER NOT NULL DEFAULT 2,
    items      TEXT    NOT NULL,
    version    BIGINT  NOT NULL DEFAULT 1,
    updated_by TEXT    NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL
);
