-- Dispatch meetings (调度会) and the action items (交办事项) they assign to counties, parks
-- and departments. bulletin_id names the published bulletin version the meeting reviewed,
-- NULL for none; published versions are never deleted, so the reference always holds.
CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY,
    held_on     TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('monthly','quarterly','special')),
    year        INTEGER NOT NULL,
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    title       TEXT    NOT NULL,
    attendees   TEXT    NOT NULL DEFAULT '',
    decisions   TEXT    NOT NULL DEFAULT '',
    bulletin_id INTEGER REFERENCES bulletins(id),
    version     INTEGER NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX meetings_held_on ON meetings(held_on);
CREATE INDEX meetings_bulletin ON meetings(bulletin_id);

CREATE TABLE action_items (
    id            INTEGER PRIMARY KEY,
    meeting_id    INTEGER NOT NULL REFERENCES meetings(id),
    text          TEXT    NOT NULL,
    owner_unit_id INTEGER NOT NULL REFERENCES units(id),
    deadline      TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('open','replied','done','cancelled')),
    reply         TEXT    NOT NULL DEFAULT '',
    replied_by    TEXT    NOT NULL DEFAULT '',
    replied_at    TIMESTAMP,
    closed_by     TEXT    NOT NULL DEFAULT '',
    closed_at     TIMESTAMP,
    version       INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX action_items_meeting ON action_items(meeting_id);
CREATE INDEX action_items_owner ON action_items(owner_unit_id, status, deadline);
CREATE INDEX action_items_status_deadline ON action_items(status, deadline);

-- Every change of an action item: created, edited, replied, closed, reopened, cancelled.
CREATE TABLE action_item_history (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES action_items(id),
    action      TEXT    NOT NULL,
    from_status TEXT    NOT NULL DEFAULT '',
    to_status   TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    actor_name  TEXT    NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX action_item_history_item ON action_item_history(item_id);
