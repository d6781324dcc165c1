// Command beizeng is the command platform of the industrial doubling and investment
// campaign: one binary that serves the web UI and API and administers the database.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"beizeng/internal/auth"
	"beizeng/internal/config"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

// Exit codes: 0 success, 1 the command failed, 2 the command was called wrongly.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal starts a graceful stop, restore the default handling so
		// that a second Ctrl-C ends an impatient wait at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// cli is one invocation's environment. Nothing reads the process environment or the
// standard streams directly, so tests run commands in-process.
type cli struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	name    string
	summary string
	run     func(c *cli, ctx context.Context, args []string) int
}

// commands is the command list in the order help shows it.
var commands = []command{
	{"serve", "启动 Web 服务（界面与 API）", (*cli).runServe},
	{"migrate", "升级数据库结构", (*cli).runMigrate},
	{"demo", "向空数据库载入虚构的演示城市和演示账号", (*cli).runDemo},
	{"user", "管理用户：create、passwd、list、disable、enable、token", (*cli).runUser},
	{"verify-audit", "校验审计日志的哈希链是否完整", (*cli).runVerifyAudit},
	{"backup", "备份数据库", (*cli).runBackup},
	{"config", "显示生效的配置", (*cli).runConfig},
	{"version", "显示版本", (*cli).runVersion},
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 && rest[0] != "help" {
			// "beizeng help user" is "beizeng user --help".
			return run(ctx, []string{rest[0], "--help"}, getenv, stdin, stdout, stderr)
		}
		c.usage(stdout)
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name == name {
			return cmd.run(c, ctx, rest)
		}
	}
	fmt.Fprintf(stderr, "未知命令 %q（unknown command）。运行 beizeng help 查看命令列表。\n", name)
	return exitUsage
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprint(w, "beizeng —— 工业倍增暨招商引资攻坚指挥平台\n\n用法：beizeng <命令> [参数]\n\n命令：\n")
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-14s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, "\n每个命令都有 --help。所有命令都接受 --dsn（环境变量 BEIZENG_DSN），默认 sqlite:./beizeng.db。\n")
}

// flagSet returns a flag set for the command "beizeng NAME"; usage is the text shown
// above the flags by --help.
func (c *cli) flagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("beizeng "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\n参数：\n", strings.TrimSpace(usage))
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; done reports that the command must end now with code: after
// --help (0) or after a bad flag or a stray argument (2). The flag package's output goes
// to a buffer first so that a bad flag gets one clear line instead of the whole usage.
func (c *cli) parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	var out bytes.Buffer
	fs.SetOutput(&out)
	err := fs.Parse(args)
	fs.SetOutput(c.stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.stderr.Write(out.Bytes())
		return exitOK, true
	case err != nil:
		fmt.Fprintf(c.stderr, "参数错误：%v\n运行 %s --help 查看用法。\n", err, fs.Name())
		return exitUsage, true
	case fs.NArg() > 0:
		fmt.Fprintf(c.stderr, "参数错误：多余的参数 %q\n运行 %s --help 查看用法。\n", fs.Args(), fs.Name())
		return exitUsage, true
	}
	return exitOK, false
}

// configFlags binds the configuration to fs; call configDone after parsing.
func (c *cli) configFlags(fs *flag.FlagSet, withServe bool) (*config.Config, error) {
	cfg := config.Default()
	err := cfg.Bind(fs, c.getenv, withServe)
	return &cfg, err
}

// configDone reports environment and validation problems after the flags are parsed;
// ok is false when the command must stop with exit code 2.
func (c *cli) configDone(cfg *config.Config, bindErr error) bool {
	err := errors.Join(bindErr, cfg.Validate())
	if err == nil {
		return true
	}
	fmt.Fprintln(c.stderr, "配置有误（invalid configuration）：")
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(c.stderr, "  - %s\n", line)
	}
	return false
}

// openStore opens the database. With requireCurrent, a schema that is not this binary's
// is refused: running on an old schema would fail in confusing ways later.
func (c *cli) openStore(ctx context.Context, cfg *config.Config, requireCurrent bool) (*store.Store, bool) {
	st, err := store.Open(ctx, cfg.DSN)
	if err != nil {
		c.fail(err)
		return nil, false
	}
	if !requireCurrent {
		return st, true
	}
	if err := checkSchema(ctx, st); err != nil {
		c.fail(err)
		st.Close()
		return nil, false
	}
	return st, true
}

// checkSchema returns an error naming the way out when the schema is not the latest.
func checkSchema(ctx context.Context, st *store.Store) error {
	cur, latest, err := st.SchemaStatus(ctx)
	switch {
	case err != nil:
		return err
	case cur < latest:
		return fmt.Errorf("数据库结构版本为 %d，程序需要 %d：请先运行 beizeng migrate，或以 serve --migrate 启动\n"+
			"(database schema is version %d, this binary needs %d: run `beizeng migrate` first, or start with `serve --migrate`)",
			cur, latest, cur, latest)
	case cur > latest:
		return fmt.Errorf("数据库结构版本为 %d，高于本程序支持的 %d：请使用更新版本的 beizeng\n"+
			"(database schema is version %d, newer than this binary's %d: use a newer beizeng)", cur, latest, cur, latest)
	}
	return nil
}

// authService builds the sign-in service with the configured rules, as the server does.
func authService(st *store.Store, cfg *config.Config) *auth.Service {
	return auth.NewService(st, auth.Settings{
		Password: cfg.Password, SessionIdle: cfg.SessionIdle, SessionLifetime: cfg.SessionLifetime,
		LockoutFailures: cfg.LockoutFailures, LockoutDuration: cfg.LockoutDuration,
		ThrottleFailures: cfg.ThrottleFailures, ThrottleWindow: cfg.ThrottleWindow,
	})
}

// cliActor is who the audit log names for command-line changes: the system, via cli.
var cliActor = domain.Actor{Via: "cli"}

// fail prints an error for the operator: an application error's message and per-field
// problems, or the wrapped cause of anything else (the operator is the one who can act
// on it). It returns exitFail for convenience.
func (c *cli) fail(err error) int {
	var de *domain.Error
	if errors.As(err, &de) {
		fmt.Fprintf(c.stderr, "错误：%s\n", de.Message)
		keys := make([]string, 0, len(de.Fields))
		for k := range de.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(c.stderr, "  - %s：%s\n", k, de.Fields[k])
		}
		return exitFail
	}
	fmt.Fprintf(c.stderr, "错误：%v\n", err)
	return exitFail
}
