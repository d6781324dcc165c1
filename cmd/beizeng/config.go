package main

import (
	"context"

	"beizeng/internal/store"
)

const configUsage = `
用法：beizeng config [serve 的全部参数]

显示由默认值、BEIZENG_* 环境变量和命令行参数合成的生效配置（数据库密码已隐去），
并检查其是否有效：无效时列出问题，退出码为 2。接受与 serve 相同的参数，
因此可以先用 config 检查一条 serve 命令行。`

func (c *cli) runConfig(ctx context.Context, args []string) int {
	fs := c.flagSet("config", configUsage)
	cfg, bindErr := c.configFlags(fs, true)
	// serve's own switches are accepted so that a serve command line can be checked as is.
	fs.Bool("migrate", false, "（serve 的参数，此处忽略）")
	fs.Bool("demo", false, "（serve 的参数，此处忽略）")
	if code, done := c.parse(fs, args); done {
		return code
	}
	cfg.Print(c.stdout, store.RedactDSN)
	if !c.configDone(cfg, bindErr) {
		return exitUsage
	}
	return exitOK
}
