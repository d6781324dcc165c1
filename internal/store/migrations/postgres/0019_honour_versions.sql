-- Honours can be corrected and withdrawn (撤销). A correction is guarded by the row's
-- version like every other record; a withdrawal only marks the row, with who, when and
-- why, so the enterprise's history keeps it while no count includes it any more.
ALTER TABLE enterprise_honours ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE enterprise_honours ADD COLUMN withdrawn_at TIMESTAMPTZ;
ALTER TABLE enterprise_honours ADD COLUMN withdrawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE enterprise_honours ADD COLUMN withdraw_reason TEXT NOT NULL DEFAULT '';
-- Every count and the list's honour filter read only honours not withdrawn: the index
-- holds just those, so a withdrawal leaves it and the filter stays an index search.
DROP INDEX enterprise_honours_type;
CREATE INDEX enterprise_honours_type ON enterprise_honours(type, year) WHERE withdrawn_at IS NULL;
