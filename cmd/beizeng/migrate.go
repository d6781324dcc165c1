package main

import (
	"context"
	"fmt"
)

const migrateUsage = `
用法：beizeng migrate [--dsn DSN]

把数据库结构升级到本程序需要的版本。可重复执行；多个实例同时执行也是安全的。`

func (c *cli) runMigrate(ctx context.Context, args []string) int {
	fs := c.flagSet("migrate", migrateUsage)
	cfg, bindErr := c.configFlags(fs, false)
	if code, done := c.parse(fs, args); done {
		return code
	}
	if !c.configDone(cfg, bindErr) {
		return exitUsage
	}
	st, ok := c.openStore(ctx, cfg, false)
	if !ok {
		return exitFail
	}
	defer st.Close()
	applied, err := st.Migrate(ctx)
	if err != nil {
		return c.fail(err)
	}
	_, latest, err := st.SchemaStatus(ctx)
	if err != nil {
		return c.fail(err)
	}
	if len(applied) == 0 {
		fmt.Fprintf(c.stdout, "数据库结构已是最新（版本 %d）\n", latest)
		return exitOK
	}
	for _, name := range applied {
		fmt.Fprintf(c.stdout, "已应用：%s\n", name)
	}
	fmt.Fprintf(c.stdout, "数据库结构已升级到版本 %d\n", latest)
	return exitOK
}
