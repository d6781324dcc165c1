package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

const versionUsage = `
用法：beizeng version

显示程序版本、构建所用的 Go 版本和平台。`

func (c *cli) runVersion(ctx context.Context, args []string) int {
	fs := c.flagSet("version", versionUsage)
	if code, done := c.parse(fs, args); done {
		return code
	}
	fmt.Fprintf(c.stdout, "beizeng %s\n", version)
	// A build without -ldflags still says which commit it came from.
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				fmt.Fprintf(c.stdout, "commit  %s\n", s.Value)
			}
		}
	}
	fmt.Fprintf(c.stdout, "go      %s\n", runtime.Version())
	fmt.Fprintf(c.stdout, "平台    %s/%s\n", runtime.GOOS, runtime.GOARCH)
	return exitOK
}
