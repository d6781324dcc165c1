-- The project pipeline around the core record: investor and money details, planned
-- dates, the stage history, the monthly ledger and progress notes.
ALTER TABLE projects ADD COLUMN investor_name TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN investor_uscc TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN investor_origin TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN capital_source TEXT NOT NULL DEFAULT 'domestic' CHECK (capital_source IN ('domestic','foreign','hmt'));
ALTER TABLE projects ADD COLUMN industrial BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE projects ADD COLUMN chain TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN currency TEXT NOT NULL DEFAULT 'CNY';
ALTER TABLE projects ADD COLUMN exchange_rate TEXT NOT NULL DEFAULT '1';
ALTER TABLE projects ADD COLUMN contract_investment_orig BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN registered_capital BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN expected_revenue BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN expected_tax BIGINT NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN linked_leader TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN contact_person TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN planned_start_on TEXT;
ALTER TABLE projects ADD COLUMN planned_production_on TEXT;
ALTER TABLE projects ADD COLUMN terminated_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN cert_5020_doc TEXT NOT NULL DEFAULT '';
ALTER TABLE projects ADD COLUMN progress_pct INTEGER NOT NULL DEFAULT 0;
ALTER TABLE projects ADD COLUMN last_note_on TEXT;
CREATE INDEX projects_stage ON projects(stage);
CREATE INDEX projects_park ON projects(park_id);

-- Every stage change, with the date the stage was reached and, going backwards or
-- terminating, why.
CREATE TABLE project_stage_history (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    from_stage  TEXT    NOT NULL,
    to_stage    TEXT    NOT NULL,
    on_date     TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    actor_name  TEXT    NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX project_stage_history_project ON project_stage_history(project_id);

-- Money in, month by month, in whole yuan; the project's funds_in_place is their sum.
CREATE TABLE project_ledger (
    project_id           INTEGER NOT NULL REFERENCES projects(id),
    month                TEXT    NOT NULL,
    funds_in_place       BIGINT  NOT NULL DEFAULT 0,
    investment_completed BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, month)
);

CREATE TABLE project_notes (
    id          INTEGER PRIMARY KEY,
    project_id  INTEGER NOT NULL REFERENCES projects(id),
    on_date     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    author      TEXT    NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX project_notes_project ON project_notes(project_id);
