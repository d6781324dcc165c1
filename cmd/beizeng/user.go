package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"beizeng/internal/config"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

const userUsage = `用法：beizeng user <子命令> [参数]

子命令：
  create    创建用户：--username NAME --role ROLE[,ROLE] --unit 单位编码 [--name 姓名] --password-stdin
  passwd    重置密码（用户下次登录须修改）：--username NAME --password-stdin
  list      列出用户
  disable   停用用户：--username NAME
  enable    启用用户：--username NAME
  token     为用户创建 API 令牌，只在标准输出打印一次：--username NAME [--name 用途]

角色：admin, coordinator, reporter, handler, leader, auditor。
每个子命令都有 --help。所有改动以“system（cli）”身份记入审计日志。
`

func (c *cli) runUser(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, userUsage)
		return exitUsage
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "create":
		return c.userCreate(ctx, rest)
	case "passwd":
		return c.userPasswd(ctx, rest)
	case "list":
		return c.userList(ctx, rest)
	case "disable":
		return c.userSetDisabled(ctx, rest, true)
	case "enable":
		return c.userSetDisabled(ctx, rest, false)
	case "token":
		return c.userToken(ctx, rest)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(c.stderr, userUsage)
		return exitOK
	}
	fmt.Fprintf(c.stderr, "未知的 user 子命令 %q（unknown subcommand）。\n\n%s", sub, userUsage)
	return exitUsage
}

// userCommand is a user subcommand's flags, with the configuration every one of them takes.
type userCommand struct {
	fs      *flag.FlagSet
	cfg     *config.Config
	bindErr error
}

func (c *cli) newUserCommand(name, usage string) *userCommand {
	fs := c.flagSet("user "+name, usage)
	cfg, err := c.configFlags(fs, false)
	return &userCommand{fs: fs, cfg: cfg, bindErr: err}
}

func (c *cli) parseUserCommand(uc *userCommand, args []string) (code int, done bool) {
	if code, done := c.parse(uc.fs, args); done {
		return code, true
	}
	if !c.configDone(uc.cfg, uc.bindErr) {
		return exitUsage, true
	}
	return exitOK, false
}

// missing reports a required flag left empty, with exit code 2.
func (c *cli) missing(fs *flag.FlagSet, names ...string) bool {
	var empty []string
	for _, n := range names {
		if strings.TrimSpace(fs.Lookup(n).Value.String()) == "" {
			empty = append(empty, "--"+n)
		}
	}
	if len(empty) == 0 {
		return false
	}
	fmt.Fprintf(c.stderr, "参数错误：缺少 %s\n运行 %s --help 查看用法。\n", strings.Join(empty, "、"), fs.Name())
	return true
}

// readPassword reads the first line of r. Only the line ending is removed: spaces may
// be part of a password.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		if errors.Is(err, io.EOF) {
			return "", errors.New("标准输入中没有密码")
		}
		return "", fmt.Errorf("读取标准输入失败：%w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("标准输入中的密码为空")
	}
	return line, nil
}

const passwordStdinHint = "请用 --password-stdin 从标准输入提供密码（命令行参数会留在 shell 历史和进程列表里）"

const userCreateUsage = `
用法：beizeng user create --username NAME --role ROLE[,ROLE] --unit 单位编码 [--name 姓名] --password-stdin

创建用户。密码从标准输入的第一行读取，须符合密码策略；用户首次登录时须修改密码。
例：echo 'S3cure#pass' | beizeng user create --username zhangsan --role reporter --unit 369901 --name 张三 --password-stdin`

func (c *cli) userCreate(ctx context.Context, args []string) int {
	uc := c.newUserCommand("create", userCreateUsage)
	username := uc.fs.String("username", "", "用户名（小写字母开头，2–32位）")
	roles := uc.fs.String("role", "", "角色，多个用逗号分隔：admin, coordinator, reporter, handler, leader, auditor")
	unitCode := uc.fs.String("unit", "", "所属单位编码，例如 369901")
	name := uc.fs.String("name", "", "姓名（默认同用户名）")
	fromStdin := uc.fs.Bool("password-stdin", false, "从标准输入第一行读取密码")
	if code, done := c.parseUserCommand(uc, args); done {
		return code
	}
	if c.missing(uc.fs, "username", "role", "unit") {
		return exitUsage
	}
	if !*fromStdin {
		fmt.Fprintln(c.stderr, passwordStdinHint)
		return exitUsage
	}
	parsedRoles, err := domain.ParseRoles(*roles)
	if err != nil {
		c.fail(err)
		return exitUsage
	}
	password, err := readPassword(c.stdin)
	if err != nil {
		return c.fail(err)
	}
	st, ok := c.openStore(ctx, uc.cfg, true)
	if !ok {
		return exitFail
	}
	defer st.Close()
	unit, err := st.FindUnitByCode(ctx, *unitCode)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return c.fail(fmt.Errorf("没有编码为 %s 的单位", *unitCode))
		}
		return c.fail(err)
	}
	display := *name
	if strings.TrimSpace(display) == "" {
		display = *username
	}
	u := &domain.User{Username: *username, DisplayName: display, UnitID: unit.ID, Roles: parsedRoles}
	if err := authService(st, uc.cfg).CreateUser(ctx, cliActor, u, password); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "已创建用户 %s（%s，%s，角色 %s）；首次登录时须修改密码。\n",
		u.Username, u.DisplayName, unit.Name, joinRoles(u.Roles))
	return exitOK
}

const userPasswdUsage = `
用法：beizeng user passwd --username NAME --password-stdin

管理员重置密码：新密码从标准输入第一行读取，须符合密码策略；用户的所有会话结束，
下次登录时须修改密码。账号锁定同时解除。`

func (c *cli) userPasswd(ctx context.Context, args []string) int {
	uc := c.newUserCommand("passwd", userPasswdUsage)
	username := uc.fs.String("username", "", "用户名")
	fromStdin := uc.fs.Bool("password-stdin", false, "从标准输入第一行读取新密码")
	if code, done := c.parseUserCommand(uc, args); done {
		return code
	}
	if c.missing(uc.fs, "username") {
		return exitUsage
	}
	if !*fromStdin {
		fmt.Fprintln(c.stderr, passwordStdinHint)
		return exitUsage
	}
	password, err := readPassword(c.stdin)
	if err != nil {
		return c.fail(err)
	}
	st, ok := c.openStore(ctx, uc.cfg, true)
	if !ok {
		return exitFail
	}
	defer st.Close()
	u, err := st.FindUserByUsername(ctx, *username)
	if err != nil {
		return c.fail(err)
	}
	if err := authService(st, uc.cfg).ResetPassword(ctx, cliActor, u.ID, password); err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.stdout, "已重置 %s 的密码；下次登录时须修改。\n", u.Username)
	return exitOK
}

const userListUsage = `
用法：beizeng user list [--dsn DSN]

列出全部用户：用户名、姓名、单位、角色、状态、最近登录时间。`

func (c *cli) userList(ctx context.Context, args []string) int {
	uc := c.newUserCommand("list", userListUsage)
	if code, done := c.parseUserCommand(uc, args); done {
		return code
	}
	st, ok := c.openStore(ctx, uc.cfg, true)
	if !ok {
		return exitFail
	}
	defer st.Close()
	rows := [][]string{{"用户名", "姓名", "单位", "角色", "状态", "最近登录"}}
	now := st.Now()
	// The store pages its lists; the CLI wants them all.
	const page = 500
	for offset := 0; ; offset += page {
		users, _, err := st.FindUsers(ctx, domain.UserFilter{Offset: offset, Limit: page})
		if err != nil {
			return c.fail(err)
		}
		for _, u := range users {
			last := "—"
			if !u.LastLoginAt.IsZero() {
				last = u.LastLoginAt.Local().Format("2006-01-02 15:04")
			}
			rows = append(rows, []string{u.Username, u.DisplayName, u.UnitName, joinRoles(u.Roles), userStatus(u, now), last})
		}
		if len(users) < page {
			break
		}
	}
	writeTable(c.stdout, "", rows)
	fmt.Fprintf(c.stdout, "共 %d 个用户\n", len(rows)-1)
	return exitOK
}

func userStatus(u *domain.User, now time.Time) string {
	var s []string
	if u.Disabled {
		s = append(s, "停用")
	}
	if now.Before(u.LockedUntil) {
		s = append(s, "锁定至 "+u.LockedUntil.Local().Format("15:04"))
	}
	if u.MustChangePassword {
		s = append(s, "须改密码")
	}
	if len(s) == 0 {
		return "正常"
	}
	return strings.Join(s, "，")
}

func joinRoles(roles []domain.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

const userDisableUsage = `
用法：beizeng user disable --username NAME
      beizeng user enable --username NAME

停用或启用用户。停用立即结束该用户的所有会话；其 API 令牌在停用期间无效。`

func (c *cli) userSetDisabled(ctx context.Context, args []string, disabled bool) int {
	name := "enable"
	if disabled {
		name = "disable"
	}
	uc := c.newUserCommand(name, userDisableUsage)
	username := uc.fs.String("username", "", "用户名")
	if code, done := c.parseUserCommand(uc, args); done {
		return code
	}
	if c.missing(uc.fs, "username") {
		return exitUsage
	}
	st, ok := c.openStore(ctx, uc.cfg, true)
	if !ok {
		return exitFail
	}
	defer st.Close()
	u, err := st.FindUserByUsername(ctx, *username)
	if err != nil {
		return c.fail(err)
	}
	if err := st.SetUserDisabled(ctx, cliActor, u.ID, disabled); err != nil {
		return c.fail(err)
	}
	if disabled {
		fmt.Fprintf(c.stdout, "已停用用户 %s\n", u.Username)
	} else {
		fmt.Fprintf(c.stdout, "已启用用户 %s\n", u.Username)
	}
	return exitOK
}

const userTokenUsage = `
用法：beizeng user token --username NAME [--name 用途]

为用户创建一个 API 令牌。令牌只在标准输出打印这一次（便于脚本捕获），系统只保存其哈希。
调用 API 时使用请求头 Authorization: Bearer <令牌>；令牌的权限与该用户相同。`

func (c *cli) userToken(ctx context.Context, args []string) int {
	uc := c.newUserCommand("token", userTokenUsage)
	username := uc.fs.String("username", "", "用户名")
	purpose := uc.fs.String("name", "命令行创建", "令牌用途（不超过64个字）")
	if code, done := c.parseUserCommand(uc, args); done {
		return code
	}
	if c.missing(uc.fs, "username") {
		return exitUsage
	}
	st, ok := c.openStore(ctx, uc.cfg, true)
	if !ok {
		return exitFail
	}
	defer st.Close()
	return c.createToken(ctx, st, uc.cfg, *username, *purpose)
}

func (c *cli) createToken(ctx context.Context, st *store.Store, cfg *config.Config, username, purpose string) int {
	u, err := st.FindUserByUsername(ctx, username)
	if err != nil {
		return c.fail(err)
	}
	if u.Disabled {
		return c.fail(fmt.Errorf("用户 %s 已停用：停用账号的令牌无法使用", u.Username))
	}
	secret, t, err := authService(st, cfg).CreateToken(ctx, cliActor, u, purpose)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, secret)
	fmt.Fprintf(c.stderr, "以上是 %s 的 API 令牌（用途：%s，前缀 %s），只显示这一次，请妥善保存。\n"+
		"使用：Authorization: Bearer <令牌>\n", u.Username, t.Name, t.Prefix)
	return exitOK
}
