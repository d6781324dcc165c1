package store

import (
	"context"
	"database/sql"
	"strings"
)

// importChunk bounds the codes or ids of one IN (...) list.
const importChunk = 500

// inList renders keys as the placeholders and arguments of one IN (...) list; callers
// keep keys within importChunk.
func inList[K any](keys []K) (marks string, args []any) {
	args = make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(keys)), ", "), args
}

// queryEach runs query and hands every row to each, closing the rows however it ends.
func (tx *Tx) queryEach(ctx context.Context, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
