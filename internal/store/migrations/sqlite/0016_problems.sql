-- The service loop (DOMAIN.md §5): leaders linked to enterprises (挂点), their
-- service-day visits, and enterprises' problems (诉求) with their timeline. Dates are
-- 'YYYY-MM-DD' text; instants are timestamps (UTC). The problem rules are a JSON setting
-- (problem_rules).

-- A leader linked to an enterprise from start_on to end_on (NULL while it lasts).
CREATE TABLE leader_links (
    id            INTEGER PRIMARY KEY,
    leader_id     INTEGER NOT NULL REFERENCES users(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    start_on      TEXT    NOT NULL,
    end_on        TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX leader_links_leader ON leader_links(leader_id, end_on);
CREATE INDEX leader_links_enterprise ON leader_links(enterprise_id, end_on);

-- A leader's visit on a service day, with what was noted there.
CREATE TABLE service_visits (
    id            INTEGER PRIMARY KEY,
    leader_id     INTEGER NOT NULL REFERENCES users(id),
    enterprise_id INTEGER NOT NULL REFERENCES enterprises(id),
    visit_on      TEXT    NOT NULL,
    notes         TEXT    NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX service_visits_leader ON service_visits(leader_id, visit_on);
CREATE INDEX service_visits_enterprise ON service_visits(enterprise_id, visit_on);

CREATE TABLE problems (
    id                   INTEGER PRIMARY KEY,
    source               TEXT    NOT NULL CHECK (source IN ('service_day','coordinator','contact_form','unit')),
    enterprise_id        INTEGER NOT NULL REFERENCES enterprises(id),
    unit_id              INTEGER NOT NULL REFERENCES units(id),
    visit_id             INTEGER REFERENCES service_visits(id),
    category             TEXT    NOT NULL,
    urgency              TEXT    NOT NULL CHECK (urgency IN ('urgent','general','complex')),
    title                TEXT    NOT NULL,
    description          TEXT    NOT NULL,
    leader_id            INTEGER REFERENCES users(id),
    lead_unit_id         INTEGER REFERENCES units(id),
    status               TEXT    NOT NULL CHECK (status IN ('received','assigned','reassign_requested','in_progress','replied','reopened','closed')),
    received_at          TIMESTAMP NOT NULL,
    assigned_at          TIMESTAMP,
    due_at               TIMESTAMP,
    extensions           INTEGER NOT NULL DEFAULT 0,
    pending_requested_at TIMESTAMP,
    pending_due_at       TIMESTAMP,
    pending_reason       TEXT    NOT NULL DEFAULT '',
    first_reply_at       TIMESTAMP,
    first_reply_due_at   TIMESTAMP,
    replied_at           TIMESTAMP,
    reply                TEXT    NOT NULL DEFAULT '',
    rating               TEXT    NOT NULL DEFAULT '',
    rated_at             TIMESTAMP,
    reopens              INTEGER NOT NULL DEFAULT 0,
    escalations          INTEGER NOT NULL DEFAULT 0,
    escalated_at         TIMESTAMP,
    escalated_due_at     TIMESTAMP,
    closed_at            TIMESTAMP,
    close_reason         TEXT    NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
-- A department's queue and the escalation job read open problems by deadline.
CREATE INDEX problems_lead_queue ON problems(lead_unit_id, status, due_at);
CREATE INDEX problems_status_due ON problems(status, due_at);
CREATE INDEX problems_unit ON problems(unit_id, received_at);
CREATE INDEX problems_leader ON problems(leader_id, status);
CREATE INDEX problems_enterprise ON problems(enterprise_id, received_at);
CREATE INDEX problems_received ON problems(received_at);

-- Assisting departments (协办) and their answers to the lead.
CREATE TABLE problem_assists (
    problem_id  INTEGER NOT NULL REFERENCES problems(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    due_at      TIMESTAMP NOT NULL,
    answered_at TIMESTAMP,
    answer      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (problem_id, unit_id)
);
CREATE INDEX problem_assists_unit ON problem_assists(unit_id, problem_id);

-- The timeline: one row per accepted action.
CREATE TABLE problem_actions (
    id            INTEGER PRIMARY KEY,
    problem_id    INTEGER NOT NULL REFERENCES problems(id),
    kind          TEXT    NOT NULL,
    party         TEXT    NOT NULL,
    actor_user_id INTEGER REFERENCES users(id),
    actor_name    TEXT    NOT NULL,
    at            TIMESTAMP NOT NULL,
    from_status   TEXT    NOT NULL DEFAULT '',
    to_status     TEXT    NOT NULL,
    text          TEXT    NOT NULL DEFAULT '',
    rating        TEXT    NOT NULL DEFAULT '',
    due_at        TIMESTAMP,
    unit_ids      TEXT    NOT NULL DEFAULT '' -- assign/reassign: lead first, then assisting, comma-separated
);
CREATE INDEX problem_actions_problem ON problem_actions(problem_id, id);

-- The enterprise contact's link (no account): only the SHA-256 of the token is kept, so
-- a copy of the database cannot be used to act for an enterprise. One live link per
-- enterprise; issuing a new one replaces the old.
CREATE TABLE enterprise_contact_links (
    enterprise_id INTEGER PRIMARY KEY REFERENCES enterprises(id),
    token_hash    TEXT    NOT NULL UNIQUE,
    contact_name  TEXT    NOT NULL DEFAULT '',
    issued_by     INTEGER REFERENCES users(id),
    issued_at     TIMESTAMP NOT NULL
);
