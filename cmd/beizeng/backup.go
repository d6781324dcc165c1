package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"

	"beizeng/internal/store"
)

const backupUsage = `
用法：beizeng backup --out FILE [--dsn DSN]

SQLite：在服务运行中写出一份一致的数据库副本（不覆盖已有文件）。
PostgreSQL：使用 pg_dump 备份；本机 PATH 中有 pg_dump 时代为执行
  pg_dump --format=custom --file FILE，否则提示手动执行。`

func (c *cli) runBackup(ctx context.Context, args []string) int {
	fs := c.flagSet("backup", backupUsage)
	cfg, bindErr := c.configFlags(fs, false)
	out := fs.String("out", "", "备份文件路径")
	if code, done := c.parse(fs, args); done {
		return code
	}
	if !c.configDone(cfg, bindErr) {
		return exitUsage
	}
	if c.missing(fs, "out") {
		return exitUsage
	}
	// Any schema version can be backed up: a backup is what one takes before migrating.
	st, ok := c.openStore(ctx, cfg, false)
	if !ok {
		return exitFail
	}
	defer st.Close()
	err := st.Backup(ctx, *out)
	if errors.Is(err, store.ErrBackupNeedsPgDump) {
		return c.pgDump(ctx, cfg.DSN, *out)
	}
	if err != nil {
		return c.fail(err)
	}
	return c.reportBackup(*out)
}

func (c *cli) reportBackup(out string) int {
	info, err := os.Stat(out)
	if err != nil {
		return c.fail(fmt.Errorf("备份文件未生成：%w", err))
	}
	fmt.Fprintf(c.stdout, "已备份到 %s（%d 字节）\n", out, info.Size())
	return exitOK
}

// pgDump runs pg_dump for a PostgreSQL database. The password travels in PGPASSWORD,
// not on the command line, where any local user could read it in the process list.
func (c *cli) pgDump(ctx context.Context, dsn, out string) int {
	path, err := exec.LookPath("pg_dump")
	if err != nil {
		fmt.Fprintf(c.stderr, "PostgreSQL 数据库请用 pg_dump 备份，本机 PATH 中未找到 pg_dump。请安装 PostgreSQL 客户端后执行：\n"+
			"  pg_dump --format=custom --file %s --dbname '%s'\n", out, store.RedactDSN(dsn))
		return exitFail
	}
	if _, err := os.Stat(out); err == nil {
		return c.fail(fmt.Errorf("备份文件 %s 已存在，不会覆盖", out))
	}
	env := os.Environ()
	dsn, pw := store.SplitPassword(dsn)
	if pw != "" {
		env = append(env, "PGPASSWORD="+pw)
	}
	fmt.Fprintf(c.stderr, "PostgreSQL：使用 %s 备份…\n", path)
	cmd := exec.CommandContext(ctx, path, "--format=custom", "--file", out, "--dbname", dsn)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = c.stderr, c.stderr
	if err := cmd.Run(); err != nil {
		return c.fail(fmt.Errorf("pg_dump 失败：%w", err))
	}
	return c.reportBackup(out)
}
