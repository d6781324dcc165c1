-- Rate cohorts: projects signed in a window, frozen when the cohort is created. The
-- members are recorded, so projects signed or re-dated later do not change a cohort.
CREATE TABLE cohorts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    signed_from TEXT    NOT NULL,
    signed_to   TEXT    NOT NULL,
    frozen_at   TIMESTAMP NOT NULL,
    created_by  TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE cohort_projects (
    cohort_id  INTEGER NOT NULL REFERENCES cohorts(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    PRIMARY KEY (cohort_id, project_id)
);
