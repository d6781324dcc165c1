-- Published dispatch bulletins: immutable snapshots of what was published (figures and
-- text as JSON, with its SHA-256). Publishing a period and scope again adds a version;
-- rows are never updated. issue is the bulletin's number in its year (第N期), shared by
-- the versions of one period and scope.
CREATE TABLE bulletins (
    id              INTEGER PRIMARY KEY,
    year            INTEGER NOT NULL,
    month           INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    scope           TEXT    NOT NULL CHECK (scope IN ('all', 'county', 'park')),
    version         INTEGER NOT NULL CHECK (version >= 1),
    issue           INTEGER NOT NULL CHECK (issue >= 1),
    content         TEXT    NOT NULL,
    content_hash    TEXT    NOT NULL,
    note            TEXT    NOT NULL DEFAULT '',
    published_by    TEXT    NOT NULL,
    published_at    TIMESTAMP NOT NULL,
    UNIQUE (year, month, scope, version)
);
CREATE INDEX bulletins_published ON bulletins(published_at);
