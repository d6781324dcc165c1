package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/config"
	"beizeng/internal/demo"
	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/synth"
)

const demoUsage = `
用法：beizeng demo [--dsn DSN] [--scale city|province] [--through YYYY-MM]

升级数据库结构，然后向空数据库载入虚构数据，并打印演示账号和密码：

  --scale city（默认）  演示城市“瓷都市（虚构示例）”：4个县（市、区）、3个园区、12个市直部门，
                        每个角色一个演示账号（另有第二个填报员 reporter2）。
  --scale province      省级规模合成数据（固定随机种子，同样的参数生成同样的数据）：一个省级规模的
                        “云岭省”，下设100个县（市、区）、20个园区；30个指标，逐年目标与目标责任书；
                        截至 --through 月（默认上月）共60个月的已审核月报；5万个项目及其阶段、
                        资金台账和进展；10万户企业及其规上入退库、年度指标和荣誉；30个省直部门、
                        领导挂点企业和企业服务日走访，20万件企业诉求及其办理全过程（交办、签收、
                        协办、延期、答复、评价、重办、督办）。
                        用于性能基准；进度输出到标准错误。

数据库中已有单位时拒绝执行：虚构数据混入真实数据会使所有合计失真，请使用新的空数据库。
演示数据全部为虚构，切勿用于真实工作。`

func (c *cli) runDemo(ctx context.Context, args []string) int {
	fs := c.flagSet("demo", demoUsage)
	cfg, bindErr := c.configFlags(fs, false)
	scale := fs.String("scale", "city", "city（演示城市）或 province（省级规模合成数据）")
	through := fs.String("through", "", "province：最后一个月报月份，YYYY-MM，默认上月")
	if code, done := c.parse(fs, args); done {
		return code
	}
	if !c.configDone(cfg, bindErr) {
		return exitUsage
	}
	opt, ok := c.provinceOptions(*scale, *through)
	if !ok {
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
	if opt != nil {
		return c.generateProvince(ctx, st, cfg, *opt)
	}
	res, err := demo.Load(ctx, st, authService(st, cfg), cliActor)
	if err != nil {
		return c.fail(err)
	}
	printDemo(c.stdout, res)
	return exitOK
}

// provinceOptions checks --scale and --through: nil options for the demo city; ok is
// false (and the problem printed) when the flags are wrong.
func (c *cli) provinceOptions(scale, through string) (*synth.Options, bool) {
	bad := func(format string, args ...any) (*synth.Options, bool) {
		fmt.Fprintf(c.stderr, "参数错误："+format+"\n运行 beizeng demo --help 查看用法。\n", args...)
		return nil, false
	}
	switch scale {
	case "city":
		if through != "" {
			return bad("--through 只用于 --scale province。")
		}
		return nil, true
	case "province":
	default:
		return bad("--scale 只接受 city（演示城市）或 province（省级规模合成数据），收到 %q。", scale)
	}
	// The newest month a report can cover now, in China time: nothing may lie ahead of it.
	lastYear, lastMonth := domain.ReportPeriodAt(time.Now(), domain.ChinaTime)
	opt := synth.Options{Scale: synth.Province, Seed: synth.Seed, ThroughYear: lastYear, ThroughMonth: lastMonth, Progress: c.stderr}
	if through != "" {
		t, err := time.Parse("2006-01", through)
		if err != nil {
			return bad("--through 应为 YYYY-MM 形式的年月，例如 2026-10，收到 %q。", through)
		}
		if t.Year()*12+int(t.Month()) > lastYear*12+lastMonth {
			return bad("--through %s 晚于最近可报送的月份 %d-%02d：合成数据不能有未来的日期。", through, lastYear, lastMonth)
		}
		opt.ThroughYear, opt.ThroughMonth = t.Year(), int(t.Month())
	}
	if err := opt.Validate(); err != nil {
		return bad("%s", domain.ErrorMessage(err))
	}
	return &opt, true
}

// generateProvince writes the province-scale dataset and says what it made, how long it
// took and how large the database is.
func (c *cli) generateProvince(ctx context.Context, st *store.Store, cfg *config.Config, opt synth.Options) int {
	start := time.Now()
	res, err := synth.Generate(ctx, st, authService(st, cfg), cliActor, opt)
	if err != nil {
		return c.fail(err)
	}
	size, err := st.DatabaseSize(ctx)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "已生成省级规模合成数据（虚构，截至%d年%d月，随机种子 %d）：\n", opt.ThroughYear, opt.ThroughMonth, opt.Seed)
	rows := [][]string{{"步骤", "记录数", "用时"}}
	for _, s := range res.Steps {
		rows = append(rows, []string{s.Name, strconv.Itoa(s.Records), s.Took.Round(time.Millisecond).String()})
	}
	writeTable(c.stdout, "  ", rows)
	fmt.Fprintf(c.stdout, "共用时 %s，数据库大小 %.1f MiB。\n", time.Since(start).Round(time.Millisecond), float64(size)/(1<<20))
	printAccounts(c.stdout, res.Accounts)
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
	synthetic, err := st.Setting(ctx, store.SettingSynthetic)
	if err != nil {
		return err
	}
	if synthetic != "" {
		// The same logins as the demo city, in the synthetic province's units.
		fmt.Fprintf(c.stdout, "这是省级规模合成数据库（%s）；账号与演示城市相同（所属单位为合成数据中的单位，密码若已修改则以修改后的为准）：\n", synthetic)
	} else {
		fmt.Fprintln(c.stdout, "这是已载入过的演示库；演示账号如下（密码若已在系统中修改则以修改后的为准）：")
	}
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
