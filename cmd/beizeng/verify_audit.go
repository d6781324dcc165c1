package main

import (
	"context"
	"fmt"
)

const verifyAuditUsage = `
用法：beizeng verify-audit [--dsn DSN]

按顺序校验审计日志的每一条事件：内容与哈希相符、前后相连、序号连续、链头与末条一致。
完整时退出码为 0；发现第一处断裂即报告其事件序号和原因，退出码为 1。`

func (c *cli) runVerifyAudit(ctx context.Context, args []string) int {
	fs := c.flagSet("verify-audit", verifyAuditUsage)
	cfg, bindErr := c.configFlags(fs, false)
	if code, done := c.parse(fs, args); done {
		return code
	}
	if !c.configDone(cfg, bindErr) {
		return exitUsage
	}
	st, ok := c.openStore(ctx, cfg, true)
	if !ok {
		return exitFail
	}
	defer st.Close()
	checked, brk, err := st.VerifyAudit(ctx)
	if err != nil {
		return c.fail(err)
	}
	if brk != nil {
		fmt.Fprintf(c.stdout, "BROKEN: audit chain breaks at event #%d (%d events before it intact)\n", brk.Seq, checked)
		fmt.Fprintf(c.stdout, "审计日志被改动：%s（此前 %d 条事件完整）\n", brk.Reason, checked)
		return exitFail
	}
	fmt.Fprintf(c.stdout, "OK: %d events, chain intact\n", checked)
	fmt.Fprintf(c.stdout, "审计日志完整：共 %d 条事件，哈希链无断裂。\n", checked)
	return exitOK
}
