-- The investor tags as data, edited by coordinators: a tag is renamed (the projects'
-- tags follow) or retired (no longer offered, but kept on the projects that carry it).
-- project_tags keeps the name, so the list filter stays one indexed lookup.
CREATE TABLE project_tag_list (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL UNIQUE,
    retired    BOOLEAN NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    version    BIGINT  NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
INSERT INTO project_tag_list (name, sort_order, created_at, updated_at) VALUES
    ('世界500强', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('中国500强', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('民营500强', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('上市公司', 4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('行业龙头', 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('专精特新', 6, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('央企国企', 7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
-- Tags projects already carry that the old built-in list did not have stay usable.
INSERT INTO project_tag_list (name, sort_order, created_at, updated_at)
    SELECT DISTINCT tag, 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM project_tags
    WHERE tag NOT IN (SELECT name FROM project_tag_list);

-- The list's text search: code, name and investor lowercased in one column, written by
-- the store with every change of those fields, so a search reads one short column
-- instead of lowering three per row.
ALTER TABLE projects ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE projects SET search_text = LOWER(code || ' ' || name || ' ' || investor_name);
-- Narrow enough to scan in place of the wide table rows: the count of a search reads the
-- index only, and prefix searches on the code can seek in it.
CREATE INDEX projects_search ON projects(search_text);
