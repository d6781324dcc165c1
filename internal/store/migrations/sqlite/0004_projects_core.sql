-- The core of the project record: what derived indicators count and sum. The project
-- pipeline module extends it (investor, ledger, notes, attachments). Amounts are whole
-- yuan; dates are 'YYYY-MM-DD' text, which sorts and compares the same in both databases.
CREATE TABLE projects (
    id                  INTEGER PRIMARY KEY,
    code                TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    unit_id             INTEGER NOT NULL REFERENCES units(id),
    park_id             INTEGER REFERENCES units(id),
    stage               TEXT    NOT NULL CHECK (stage IN ('lead','negotiating','signed','registered','land_supplied','started','completed','in_production','terminated')),
    industry_section    TEXT    NOT NULL DEFAULT '',
    industry_division   TEXT    NOT NULL DEFAULT '',
    foreign_capital     BOOLEAN NOT NULL DEFAULT 0,
    contract_investment BIGINT  NOT NULL DEFAULT 0,
    fixed_investment    BIGINT  NOT NULL DEFAULT 0,
    funds_in_place      BIGINT  NOT NULL DEFAULT 0,
    land_mu             BIGINT  NOT NULL DEFAULT 0, -- 亩 × 10⁴ (the raw value of an exact decimal)
    signed_on           TEXT,
    registered_on       TEXT,
    land_supplied_on    TEXT,
    started_on          TEXT,
    completed_on        TEXT,
    in_production_on    TEXT,
    terminated_on       TEXT,
    cert_5020           TEXT    NOT NULL DEFAULT 'none' CHECK (cert_5020 IN ('none','applied','certified','rejected')),
    cert_5020_on        TEXT,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
CREATE INDEX projects_unit ON projects(unit_id);
CREATE INDEX projects_signed ON projects(signed_on);
CREATE INDEX projects_started ON projects(started_on);

CREATE TABLE project_tags (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    tag        TEXT    NOT NULL,
    PRIMARY KEY (project_id, tag)
);
CREATE INDEX project_tags_tag ON project_tags(tag);
