-- The enterprise registry (DOMAIN.md §4). Other modules (linked leaders, visits,
-- problems) reference enterprises(id). Amounts are whole yuan; exact decimals (亩, 吨标煤,
-- 万千瓦时, 吨) are stored as their raw value × 10⁴; months are 'YYYY-MM' and dates
-- 'YYYY-MM-DD' text, which sort and compare the same in both databases.
CREATE TABLE enterprises (
    id                INTEGER PRIMARY KEY,
    uscc              TEXT,   -- normalised (trimmed, upper case); NULL when unknown
    name              TEXT    NOT NULL,
    unit_id           INTEGER NOT NULL REFERENCES units(id),
    park_id           INTEGER REFERENCES units(id),
    industry_section  TEXT    NOT NULL DEFAULT '',
    industry_division TEXT    NOT NULL DEFAULT '',
    chain             TEXT    NOT NULL DEFAULT '',
    address           TEXT    NOT NULL DEFAULT '',
    contact_person    TEXT    NOT NULL DEFAULT '',
    contact_phone     TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active','zombie','closed')),
    status_on         TEXT,
    status_reason     TEXT    NOT NULL DEFAULT '',
    above_scale       BOOLEAN NOT NULL DEFAULT 0, -- derived from enterprise_scale_spells
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX enterprises_uscc ON enterprises(uscc);
-- The list's usual filter is a unit, often with scale and status.
CREATE INDEX enterprises_unit ON enterprises(unit_id, above_scale, status);
CREATE INDEX enterprises_park ON enterprises(park_id);
CREATE INDEX enterprises_division ON enterprises(industry_division);
CREATE INDEX enterprises_name ON enterprises(name);

-- One stay in the above-scale directory: an entry and, once it ends, an exit.
-- entry_month is the month the entry counts from: an annual batch (小升规) of year Y
-- counts from January of Y + 1, so batch_year keeps Y.
CREATE TABLE enterprise_scale_spells (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    entry_month   TEXT    NOT NULL,
    entry_type    TEXT    NOT NULL CHECK (entry_type IN ('monthly','annual')),
    batch_year    INTEGER NOT NULL DEFAULT 0,
    exit_month    TEXT,
    exit_reason   TEXT    NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_scale_spells_enterprise ON enterprise_scale_spells(enterprise_id, entry_month);
CREATE INDEX enterprise_scale_spells_entry ON enterprise_scale_spells(entry_month);
CREATE INDEX enterprise_scale_spells_exit ON enterprise_scale_spells(exit_month);

-- What derived indicators count (rule entity above_scale_entry): each entry with the
-- enterprise's unit, placed in a period by the first day of its entry and exit months.
CREATE VIEW above_scale_entries AS
SELECT s.id, e.unit_id, e.park_id, e.industry_section, e.industry_division, s.entry_type,
       s.entry_month || '-01' AS entry_on,
       CASE WHEN s.exit_month IS NULL THEN NULL ELSE s.exit_month || '-01' END AS exit_on
FROM enterprise_scale_spells s JOIN enterprises e ON e.id = s.enterprise_id;

CREATE TABLE enterprise_figures (
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    year          INTEGER NOT NULL,
    revenue       BIGINT  NOT NULL DEFAULT 0, -- 营业收入, whole yuan
    tax           BIGINT  NOT NULL DEFAULT 0, -- 税收, whole yuan
    value_added   BIGINT  NOT NULL DEFAULT 0, -- 工业增加值, whole yuan
    employees     INTEGER NOT NULL DEFAULT 0,
    land_mu       BIGINT  NOT NULL DEFAULT 0, -- 亩 × 10⁴
    energy_tce    BIGINT  NOT NULL DEFAULT 0, -- 吨标煤 × 10⁴
    electricity   BIGINT  NOT NULL DEFAULT 0, -- 万千瓦时 × 10⁴
    emissions     BIGINT  NOT NULL DEFAULT 0, -- 主要污染物排放当量（吨）× 10⁴
    rd_spending   BIGINT  NOT NULL DEFAULT 0, -- 研发经费, whole yuan
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (enterprise_id, year)
);
CREATE INDEX enterprise_figures_year ON enterprise_figures(year, revenue);

CREATE TABLE enterprise_honours (
    id            INTEGER PRIMARY KEY,
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    type          TEXT    NOT NULL CHECK (type IN ('innovative_sme','specialized_sme','little_giant','key_little_giant','single_champion','chain_leader')),
    level         TEXT    NOT NULL CHECK (level IN ('national','provincial','city')),
    batch         TEXT    NOT NULL DEFAULT '',
    year          INTEGER NOT NULL,
    valid_until   TEXT,
    doc_no        TEXT    NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX enterprise_honours_enterprise ON enterprise_honours(enterprise_id);
CREATE INDEX enterprise_honours_type ON enterprise_honours(type, year);
