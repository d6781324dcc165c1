package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"beizeng/internal/domain"
)

const letterColumns = `id, year, unit_id, version, issued_at, issued_by, note, targets`

func scanLetter(sc interface{ Scan(...any) error }) (*domain.Letter, error) {
	var l domain.Letter
	var body string
	if err := sc.Scan(&l.ID, &l.Year, &l.UnitID, &l.Version, &l.IssuedAt, &l.IssuedBy, &l.Note, &body); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(body), &l.Targets); err != nil {
		return nil, fmt.Errorf("letter %d targets: %w", l.ID, err)
	}
	l.IssuedAt = l.IssuedAt.UTC()
	return &l, nil
}

// FindLetterByID returns one issued letter, whichever version it is.
func (s *Store) FindLetterByID(ctx context.Context, id int64) (*domain.Letter, error) {
	var l *domain.Letter
	err := s.inRead(ctx, func(tx *Tx) error {
		var err error
		l, err = scanLetter(tx.queryRow(ctx, `SELECT `+letterColumns+` FROM letters WHERE id = ?`, id))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrNotFound("目标责任书")
	}
	if err != nil {
		return nil, fmt.Errorf("find letter: %w", err)
	}
	return l, nil
}

// FindLettersByYear lists every letter of a year, every version: by unit, newest version
// first. A year holds one letter per unit and revision, a few hundred at most.
func (s *Store) FindLettersByYear(ctx context.Context, year int) ([]*domain.Letter, error) {
	var out []*domain.Letter
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+letterColumns+` FROM letters WHERE year = ? ORDER BY unit_id, version DESC`, year)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l, err := scanLetter(rows)
			if err != nil {
				return err
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find letters of %d: %w", year, err)
	}
	return out, nil
}
