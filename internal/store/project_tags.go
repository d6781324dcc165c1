package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"beizeng/internal/domain"
)

// ProjectTags lists the tag list: active tags first, each by sort order then name, with
// how many projects carry each.
func (s *Store) ProjectTags(ctx context.Context) ([]domain.ProjectTag, error) {
	var out []domain.ProjectTag
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.projectTags(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("project tags: %w", err)
	}
	return out, nil
}

func (tx *Tx) projectTags(ctx context.Context) ([]domain.ProjectTag, error) {
	rows, err := tx.query(ctx, `SELECT l.id, l.name, l.retired, l.sort_order, l.version,
			(SELECT COUNT(*) FROM project_tags t WHERE t.tag = l.name)
		FROM project_tag_list l ORDER BY l.retired, l.sort_order, l.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ProjectTag
	for rows.Next() {
		var t domain.ProjectTag
		if err := rows.Scan(&t.ID, &t.Name, &t.Retired, &t.SortOrder, &t.Version, &t.Projects); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func (tx *Tx) findProjectTag(ctx context.Context, id int64) (*domain.ProjectTag, error) {
	var t domain.ProjectTag
	err := tx.queryRow(ctx, `SELECT id, name, retired, sort_order, version FROM project_tag_list WHERE id = ?`, id).
		Scan(&t.ID, &t.Name, &t.Retired, &t.SortOrder, &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("标签")
	}
	return &t, err
}

// checkTagNameFree refuses a name another tag of the list already has.
func (tx *Tx) checkTagNameFree(ctx context.Context, name string, id int64) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM project_tag_list WHERE name = ? AND id <> ?`, name, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.Problems{"name": "已有标签“" + name + "”。"}.Err()
	}
	return nil
}

// CreateProjectTag adds a tag to the list, audited.
func (s *Store) CreateProjectTag(ctx context.Context, actor domain.Actor, t *domain.ProjectTag) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		if err := tx.checkTagNameFree(ctx, t.Name, 0); err != nil {
			return err
		}
		t.Version, t.Retired = 1, false
		if err := tx.queryRow(ctx, `INSERT INTO project_tag_list (name, retired, sort_order, version, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, ?) RETURNING id`, t.Name, false, t.SortOrder, tx.now, tx.now).Scan(&t.ID); err != nil {
			return fmt.Errorf("create project tag: %w", err)
		}
		return tx.audit(ctx, actor, "project_tag.create", "project_tag", t.ID, nil, t, "")
	})
}

// UpdateProjectTag renames, reorders, retires or restores a tag if t.Version is still
// current, audited. A rename follows on every project that carries the tag and in the
// quality scheme's tag points; it is refused while an indicator's counting rule names
// the tag, since that rule would silently stop matching.
func (s *Store) UpdateProjectTag(ctx context.Context, actor domain.Actor, t *domain.ProjectTag) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx *Tx) error {
		before, err := tx.findProjectTag(ctx, t.ID)
		if err != nil {
			return err
		}
		if before.Version != t.Version {
			return domain.ErrConflict("标签")
		}
		renamed := before.Name != t.Name
		if renamed {
			if err := tx.renameTag(ctx, actor, before.Name, t.Name); err != nil {
				return err
			}
		}
		res, err := tx.exec(ctx, `UPDATE project_tag_list SET name = ?, retired = ?, sort_order = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, t.Name, t.Retired, t.SortOrder, before.Version+1, tx.now, t.ID, before.Version)
		if err := expectOneRow(res, err, "标签"); err != nil {
			return err
		}
		t.Version = before.Version + 1
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM project_tags WHERE tag = ?`, t.Name).Scan(&t.Projects); err != nil {
			return err
		}
		return tx.audit(ctx, actor, "project_tag.update", "project_tag", t.ID, before, t, "")
	})
}

// renameTag moves a tag's name on the projects and in the quality scheme.
func (tx *Tx) renameTag(ctx context.Context, actor domain.Actor, from, to string) error {
	if err := tx.checkTagNameFree(ctx, to, 0); err != nil {
		return err
	}
	quoted, _ := json.Marshal(from)
	var indicator string
	err := tx.queryRow(ctx, `SELECT name FROM indicators WHERE rule LIKE ? ESCAPE '\' ORDER BY code LIMIT 1`,
		likePattern(string(quoted))).Scan(&indicator)
	switch {
	case err == nil:
		return domain.Problems{"name": fmt.Sprintf("指标“%s”的统计规则使用了标签“%s”，请先修改该规则，再改标签名称。", indicator, from)}.Err()
	case !errors.Is(err, sql.ErrNoRows):
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE project_tags SET tag = ? WHERE tag = ?`, to, from); err != nil {
		return fmt.Errorf("rename tag: %w", err)
	}
	var q domain.QualityScheme
	if err := tx.jsonSetting(ctx, SettingQualityScheme, &q); err != nil {
		return err
	}
	pts, ok := q.TagPoints[from]
	if !ok {
		return nil
	}
	delete(q.TagPoints, from)
	q.TagPoints[to] = pts
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	return tx.setSetting(ctx, actor, SettingQualityScheme, string(b))
}

// checkProjectTags refuses tags that are not in the list, and retired ones a project
// did not carry already (kept).
func (tx *Tx) checkProjectTags(ctx context.Context, tags, kept []string) error {
	if len(tags) == 0 {
		return nil
	}
	list, err := tx.projectTags(ctx)
	if err != nil {
		return err
	}
	return domain.CheckProjectTags(tags, list, kept)
}
