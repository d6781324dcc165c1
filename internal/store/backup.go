package store

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// ErrBackupNeedsPgDump tells the caller that PostgreSQL is backed up with pg_dump.
var ErrBackupNeedsPgDump = errors.New("PostgreSQL 数据库请使用 pg_dump 备份")

// Backup writes a consistent copy of a SQLite database to out while the server keeps
// running: VACUUM INTO reads one snapshot, so concurrent writes neither block nor tear it.
func (s *Store) Backup(ctx context.Context, out string) error {
	if s.dialect != SQLite {
		return ErrBackupNeedsPgDump
	}
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("备份文件 %s 已存在，不会覆盖", out)
	}
	if _, err := s.read.ExecContext(ctx, `VACUUM INTO ?`, out); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
