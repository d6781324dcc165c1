package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"beizeng/internal/config"
	"beizeng/internal/server"
	"beizeng/internal/store"
)

// shutdownGrace is how long in-flight requests may take to finish after a stop signal.
const shutdownGrace = 20 * time.Second

const serveUsage = `
用法：beizeng serve [--migrate] [--demo] [参数]

启动 Web 服务（界面与 /api/v1）。数据库结构不是最新时拒绝启动，除非加 --migrate。
--demo 先升级数据库结构；数据库为空时载入虚构的演示城市，并在标准输出打印演示账号和密码。
同时运行定时任务（清理过期会话、企业服务日提醒）；多个实例共用一个数据库时，
每个任务每个周期只由其中一个实例执行（数据库租约）。
收到 SIGINT 或 SIGTERM 后不再接受新连接，等待进行中的请求完成（最长 20 秒）后退出。
同时设置 --tls-cert 和 --tls-key 时以 HTTPS 提供服务。`

func (c *cli) runServe(ctx context.Context, args []string) int {
	fs := c.flagSet("serve", serveUsage)
	cfg, bindErr := c.configFlags(fs, true)
	migrate := fs.Bool("migrate", false, "启动前升级数据库结构")
	withDemo := fs.Bool("demo", false, "升级数据库结构，空数据库时载入演示数据并打印演示账号")
	if code, done := c.parse(fs, args); done {
		return code
	}
	if !c.configDone(cfg, bindErr) {
		return exitUsage
	}
	log := newLogger(cfg, c.stderr)

	st, ok := c.openStore(ctx, cfg, false)
	if !ok {
		return exitFail
	}
	code := c.serve(ctx, cfg, st, log, *migrate || *withDemo, *withDemo)
	if err := st.Close(); err != nil {
		log.Error("close database", "err", err)
	}
	if code == exitOK {
		log.Info("stopped")
	}
	return code
}

// serve runs the server on an open store until ctx is done.
func (c *cli) serve(ctx context.Context, cfg *config.Config, st *store.Store, log *slog.Logger, migrate, withDemo bool) int {
	if migrate {
		applied, err := st.Migrate(ctx)
		if err != nil {
			return c.fail(err)
		}
		for _, name := range applied {
			log.Info("migration applied", "name", name)
		}
	}
	if err := checkSchema(ctx, st); err != nil {
		return c.fail(err)
	}
	if withDemo {
		if err := c.serveDemo(ctx, cfg, st); err != nil {
			return c.fail(err)
		}
	}

	srv, err := server.New(*cfg, st, log, version)
	if err != nil {
		return c.fail(fmt.Errorf("build server: %w", err))
	}
	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	useTLS := cfg.TLSCert != ""
	if useTLS {
		// Load the pair now, so that a bad file stops the start with its own message
		// instead of surfacing only after "started" has been printed.
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return c.fail(fmt.Errorf("读取 TLS 证书或私钥失败：%w", err))
		}
		httpSrv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	// Listen before serving so that the actual address (port 0 picks one) can be logged
	// and printed.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return c.fail(fmt.Errorf("监听 %s 失败：%w", cfg.Addr, err))
	}
	served := make(chan error, 1)
	go func() {
		if useTLS {
			served <- httpSrv.ServeTLS(ln, "", "")
		} else {
			served <- httpSrv.Serve(ln)
		}
	}()
	scheduled, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go srv.RunJobs(scheduled)
	url := publicURL(ln.Addr(), useTLS)
	log.Info("listening", "addr", ln.Addr().String(), "url", url, "version", version, "database", string(st.Dialect()))
	fmt.Fprintf(c.stdout, "beizeng 已启动：%s\n", url)

	select {
	case err := <-served:
		// Serve only returns on its own when the listener fails.
		log.Error("serve", "err", err)
		return exitFail
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownGrace.String())
	// A fresh context: the signal already cancelled ctx, and the grace period must not be.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		log.Warn("graceful shutdown incomplete; closing remaining connections", "err", err)
		httpSrv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "err", err)
		return exitFail
	}
	return exitOK
}

// newLogger writes the configured format and level to w; the configuration has been
// validated, so the level parses.
func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// publicURL is the address to open in a browser: a wildcard listen address is reachable
// as localhost on this machine.
func publicURL(addr net.Addr, useTLS bool) string {
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
