package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"beizeng/internal/domain"
)

// settingVersion names the stored text of a setting, so that a form based on one text
// can be refused once another has been saved: settings have no version column, and the
// text itself is what changed. An unset setting has a version of its own.
func settingVersion(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:8])
}

// ProblemRulesVersion returns the rules (the defaults until set) and the version an edit
// of them is based on (see SaveProblemRules).
func (s *Store) ProblemRulesVersion(ctx context.Context) (domain.ProblemRules, string, error) {
	var r domain.ProblemRules
	var version string
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		r, version, err = tx.versionedProblemRules(ctx)
		return err
	})
	return r, version, err
}

// versionedProblemRules reads the stored rules (the defaults until set) and their version.
func (tx *Tx) versionedProblemRules(ctx context.Context) (domain.ProblemRules, string, error) {
	r := domain.DefaultProblemRules()
	text, err := tx.storedSetting(ctx, SettingProblemRules)
	if err != nil {
		return r, "", err
	}
	if text != "" {
		if err := json.Unmarshal([]byte(text), &r); err != nil {
			return domain.DefaultProblemRules(), "", fmt.Errorf("read problem rules: %w", err)
		}
	}
	return r, settingVersion(text), nil
}

// ProblemCategoryUse counts the problems of each category code, closed ones included:
// their history still names the category.
func (s *Store) ProblemCategoryUse(ctx context.Context) (map[string]int, error) {
	var use map[string]int
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		use, err = tx.problemCategoryUse(ctx)
		return err
	})
	return use, err
}

func (tx *Tx) problemCategoryUse(ctx context.Context) (map[string]int, error) {
	rows, err := tx.query(ctx, `SELECT category, COUNT(*) FROM problems GROUP BY category`)
	if err != nil {
		return nil, fmt.Errorf("count problem categories: %w", err)
	}
	defer rows.Close()
	use := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, fmt.Errorf("count problem categories: %w", err)
		}
		use[code] = n
	}
	return use, rows.Err()
}

// SaveProblemRules validates and stores the rules as a whole, audited. version is the one
// ProblemRulesVersion gave the editor: a save based on rules since replaced is a
// conflict; "" replaces whatever is stored (the API's PUT). A category that problems use
// cannot be removed (their lists, statistics and deadlines name it); its label may change.
// A supervision office must be an existing unit. It returns the new version.
func (s *Store) SaveProblemRules(ctx context.Context, actor domain.Actor, r domain.ProblemRules, version string) (string, error) {
	if err := r.Validate(); err != nil {
		return "", err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	err = s.inWrite(ctx, func(tx *Tx) error {
		before, stored, err := tx.versionedProblemRules(ctx)
		if err != nil {
			return err
		}
		if version != "" && version != stored {
			return domain.ErrConflict("诉求规则")
		}
		use, err := tx.problemCategoryUse(ctx)
		if err != nil {
			return err
		}
		if err := before.CheckCategoryRemoval(r, use); err != nil {
			return err
		}
		if id := r.Escalation.SupervisionUnitID; id > 0 {
			err := tx.checkUnits(ctx, []int64{id}, "督查部门")
			if domain.ErrorCode(err) == domain.EINVALID {
				return domain.Problems{"escalation": domain.ErrorMessage(err)}.Err() // shown beside the select
			}
			if err != nil {
				return err
			}
		}
		return tx.setSetting(ctx, actor, SettingProblemRules, string(b))
	})
	if err != nil {
		return "", err
	}
	return settingVersion(string(b)), nil
}
