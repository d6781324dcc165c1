package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"beizeng/internal/config"
	"beizeng/internal/demo"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

const demoUsage = `
用法：beizeng demo [--dsn DSN]

升级数据库结构，然后向空数据库载入虚构的演示城市“瓷都市（虚构示例）”：4个县（市、区）、
3个园区、12个市直部门，以及每个角色一个演示账号（另有第二个填报员 reporter2），并打印账号和密码。
数据库中已有单位时拒绝执行。演示数据全部为虚构，切勿用于真实工作。`

func (c *cli) runDemo(ctx context.Context, args []string) int {
	fs := c.flagSet("demo", demoUsage)
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
	for _, name := range applied {
		fmt.Fprintf(c.stdout, "已应用数据库迁移：%s\n", name)
	}
	res, err := demo.Load(ctx, st, authService(st, cfg), cliActor)
	if err != nil {
		return c.fail(err)
	}
	printDemo(c.stdout, res)
	return exitOK
}

// serveDemo loads the demo into an empty database, or reprints the accounts of an
// existing demo database; a real database is left alone.
func (c *cli) serveDemo(ctx context.Context, cfg *config.Config, st *store.Store) error {
	n, err := st.CountUnits(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		res, err := demo.Load(ctx, st, authService(st, cfg), cliActor)
		if err != nil {
			return err
		}
		printDemo(c.stdout, res)
		return nil
	}
	mark, err := st.Setting(ctx, store.SettingDemo)
	if err != nil {
		return err
	}
	if mark == "" {
		fmt.Fprintln(c.stdout, "数据库中已有单位且不是演示库：跳过载入演示数据。")
		return nil
	}
	fmt.Fprintln(c.stdout, "这是已载入过的演示库；演示账号如下（密码若已在系统中修改则以修改后的为准）：")
	printAccounts(c.stdout, demo.Accounts())
	return nil
}

func printDemo(w io.Writer, res *demo.Result) {
	fmt.Fprintf(w, "已载入演示城市“%s”（虚构数据，仅供演示）：%d个县（市、区），%d个园区，%d个市直部门。\n",
		res.City, res.Units[domain.UnitCounty], res.Units[domain.UnitPark], res.Units[domain.UnitDepartment])
	printAccounts(w, res.Accounts)
}

func printAccounts(w io.Writer, accounts []demo.Account) {
	fmt.Fprintln(w, "演示账号：")
	rows := [][]string{{"用户名", "密码", "角色", "单位"}}
	for _, a := range accounts {
		labels := make([]string, len(a.Roles))
		for i, r := range a.Roles {
			labels[i] = string(r) + " " + r.Label()
		}
		rows = append(rows, []string{a.Username, a.Password, strings.Join(labels, "，"), a.UnitName})
	}
	writeTable(w, "  ", rows)
}
