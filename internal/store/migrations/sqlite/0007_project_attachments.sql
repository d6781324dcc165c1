-- Project attachments (agreement, photos, other documents), kept in the database so a
-- backup and the single-binary deployment carry them. Deleting only marks the row:
-- nothing is ever lost.
CREATE TABLE project_attachments (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER NOT NULL REFERENCES projects(id),
    kind          TEXT    NOT NULL CHECK (kind IN ('agreement','photo','other')),
    filename      TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          BIGINT  NOT NULL,
    sha256        TEXT    NOT NULL,
    body          BLOB    NOT NULL,
    uploaded_by   TEXT    NOT NULL,
    uploaded_at   TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    deleted_by    TEXT    NOT NULL DEFAULT '',
    delete_reason TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX project_attachments_project ON project_attachments(project_id);
