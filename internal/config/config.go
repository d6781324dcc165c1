// Package config holds beizeng's one configuration struct: defaults, overridden by
// BEIZENG_* environment variables, overridden by command-line flags; validated at start.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// Config is everything a beizeng process can be told.
type Config struct {
	DSN       string
	Addr      string
	TLSCert   string
	TLSKey    string
	LogFormat string
	LogLevel  string

	// SecureCookies marks cookies Secure; on by itself when TLS is served here, set it
	// when a TLS-terminating proxy sits in front.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (only behind a proxy).
	TrustProxy bool

	SessionIdle     time.Duration
	SessionLifetime time.Duration
	Password        domain.PasswordPolicy
	LockoutFailures int
	LockoutDuration time.Duration
	// ThrottleFailures is how many failed logins one address may make per ThrottleWindow.
	ThrottleFailures int
	ThrottleWindow   time.Duration

	// Chromium is the headless browser that prints documents (the bulletin) to PDF:
	// empty looks for chromium, chromium-browser or google-chrome on PATH, "off" turns
	// PDF export off.
	Chromium string
}

// Default is the configuration with nothing set.
func Default() Config {
	return Config{
		DSN:              "sqlite:./beizeng.db",
		Addr:             ":8080",
		LogFormat:        "text",
		LogLevel:         "info",
		SessionIdle:      30 * time.Minute,
		SessionLifetime:  12 * time.Hour,
		Password:         domain.DefaultPasswordPolicy,
		LockoutFailures:  5,
		LockoutDuration:  15 * time.Minute,
		ThrottleFailures: 20,
		ThrottleWindow:   15 * time.Minute,
	}
}

// option binds one setting to its flag and environment variable.
type option struct {
	flag, env, usage string
	ptr              any
}

func (c *Config) options(withServe bool) []option {
	opts := []option{
		{"dsn", "BEIZENG_DSN", "数据库：sqlite:PATH 或 postgres://user:pass@host/db", &c.DSN},
		{"log-format", "BEIZENG_LOG_FORMAT", "日志格式 text 或 json", &c.LogFormat},
		{"log-level", "BEIZENG_LOG_LEVEL", "日志级别 debug, info, warn, error", &c.LogLevel},
		{"password-min-length", "BEIZENG_PASSWORD_MIN_LENGTH", "密码最短长度", &c.Password.MinLength},
		{"password-min-classes", "BEIZENG_PASSWORD_MIN_CLASSES", "密码至少包含的字符类别数（1–4）", &c.Password.MinClasses},
	}
	if withServe {
		opts = append(opts,
			option{"addr", "BEIZENG_ADDR", "监听地址", &c.Addr},
			option{"tls-cert", "BEIZENG_TLS_CERT", "TLS 证书文件（与 --tls-key 同时设置则启用 HTTPS）", &c.TLSCert},
			option{"tls-key", "BEIZENG_TLS_KEY", "TLS 私钥文件", &c.TLSKey},
			option{"secure-cookies", "BEIZENG_SECURE_COOKIES", "Cookie 加 Secure 标记（前置 HTTPS 代理时设为 true）", &c.SecureCookies},
			option{"trust-proxy", "BEIZENG_TRUST_PROXY", "从 X-Forwarded-For 取客户端地址（仅在代理之后）", &c.TrustProxy},
			option{"session-idle", "BEIZENG_SESSION_IDLE", "会话空闲超时", &c.SessionIdle},
			option{"session-lifetime", "BEIZENG_SESSION_LIFETIME", "会话最长有效期", &c.SessionLifetime},
			option{"lockout-failures", "BEIZENG_LOCKOUT_FAILURES", "连续失败多少次后锁定账号", &c.LockoutFailures},
			option{"lockout-duration", "BEIZENG_LOCKOUT_DURATION", "账号锁定时长", &c.LockoutDuration},
			option{"throttle-failures", "BEIZENG_THROTTLE_FAILURES", "同一地址在窗口期内允许的失败登录次数", &c.ThrottleFailures},
			option{"throttle-window", "BEIZENG_THROTTLE_WINDOW", "按地址限流的时间窗口", &c.ThrottleWindow},
			option{"chromium", "BEIZENG_CHROMIUM", "生成 PDF 用的 Chromium 可执行文件；留空则在 PATH 中查找 chromium、chromium-browser、google-chrome，off 表示不提供 PDF", &c.Chromium},
		)
	}
	return opts
}

// Bind applies the environment to c, then registers c's fields as flags on fs so that a
// later fs.Parse overrides them. withServe adds the server's settings.
func (c *Config) Bind(fs *flag.FlagSet, getenv func(string) string, withServe bool) error {
	var errs []error
	for _, o := range c.options(withServe) {
		if v := getenv(o.env); v != "" {
			if err := set(o.ptr, v); err != nil {
				errs = append(errs, fmt.Errorf("环境变量 %s=%q 无效：%v", o.env, v, err))
			}
		}
		usage := o.usage + "（环境变量 " + o.env + "）"
		switch p := o.ptr.(type) {
		case *string:
			fs.StringVar(p, o.flag, *p, usage)
		case *bool:
			fs.BoolVar(p, o.flag, *p, usage)
		case *int:
			fs.IntVar(p, o.flag, *p, usage)
		case *time.Duration:
			fs.DurationVar(p, o.flag, *p, usage)
		}
	}
	return errors.Join(errs...)
}

func set(ptr any, v string) error {
	switch p := ptr.(type) {
	case *string:
		*p = v
	case *bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("应为 true 或 false")
		}
		*p = b
	case *int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("应为整数")
		}
		*p = n
	case *time.Duration:
		d, err := time.ParseDuration(v)
		if err != nil {
			return errors.New("应为时长，例如 30m、12h")
		}
		*p = d
	}
	return nil
}

// Validate checks the settings make sense together.
func (c *Config) Validate() error {
	var errs []error
	if !strings.HasPrefix(c.DSN, "sqlite:") && !strings.HasPrefix(c.DSN, "postgres://") && !strings.HasPrefix(c.DSN, "postgresql://") {
		errs = append(errs, fmt.Errorf("--dsn 应以 sqlite: 或 postgres:// 开头"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format 应为 text 或 json"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level 应为 debug、info、warn 或 error"))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, fmt.Errorf("--tls-cert 与 --tls-key 须同时设置"))
	}
	if c.SessionIdle < time.Minute || c.SessionLifetime < c.SessionIdle {
		errs = append(errs, fmt.Errorf("会话空闲超时至少1分钟，且不超过最长有效期"))
	}
	if c.Password.MinLength < 6 || c.Password.MinLength > 64 {
		errs = append(errs, fmt.Errorf("--password-min-length 应在 6 到 64 之间"))
	}
	if c.Password.MinClasses < 1 || c.Password.MinClasses > 4 {
		errs = append(errs, fmt.Errorf("--password-min-classes 应在 1 到 4 之间"))
	}
	if c.LockoutFailures < 1 || c.LockoutDuration < time.Second {
		errs = append(errs, fmt.Errorf("锁定次数至少为1，锁定时长至少1秒"))
	}
	if c.ThrottleFailures < 1 || c.ThrottleWindow < time.Second {
		errs = append(errs, fmt.Errorf("限流次数至少为1，窗口至少1秒"))
	}
	return errors.Join(errs...)
}

// Print writes the effective configuration; the DSN's password is masked.
func (c *Config) Print(w io.Writer, redact func(string) string) {
	fmt.Fprintf(w, "dsn                  %s\n", redact(c.DSN))
	fmt.Fprintf(w, "addr                 %s\n", c.Addr)
	fmt.Fprintf(w, "tls                  %v\n", c.TLSCert != "")
	fmt.Fprintf(w, "secure-cookies       %v\n", c.SecureCookies || c.TLSCert != "")
	fmt.Fprintf(w, "trust-proxy          %v\n", c.TrustProxy)
	fmt.Fprintf(w, "log                  %s, %s\n", c.LogFormat, c.LogLevel)
	fmt.Fprintf(w, "session              idle %s, lifetime %s\n", c.SessionIdle, c.SessionLifetime)
	fmt.Fprintf(w, "password policy      min %d characters, %d classes\n", c.Password.MinLength, c.Password.MinClasses)
	fmt.Fprintf(w, "lockout              %d failures → %s\n", c.LockoutFailures, c.LockoutDuration)
	fmt.Fprintf(w, "throttle per address %d failures per %s\n", c.ThrottleFailures, c.ThrottleWindow)
	chromium := c.Chromium
	if chromium == "" {
		chromium = "(search PATH)"
	}
	fmt.Fprintf(w, "chromium (PDF)       %s\n", chromium)
}
