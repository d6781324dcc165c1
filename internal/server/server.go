// Package server wires configuration, store, the authorization policy, the web UI and
// the JSON API into one http.Handler, with the middleware every request passes.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/config"
	"beizeng/internal/domain"
	"beizeng/internal/pdf"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/web"
)

// Server is the whole HTTP application.
type Server struct {
	cfg     config.Config
	store   *store.Store
	auth    *auth.Service
	log     *slog.Logger
	web     *web.Handler
	api     *api.Handler
	metrics *metrics
	routes  []request.Route
	handler http.Handler
}

// New builds the server. version is shown in the UI footer and /metrics.
func New(cfg config.Config, st *store.Store, log *slog.Logger, version string) (*Server, error) {
	authSvc := auth.NewService(st, auth.Settings{
		Password: cfg.Password, SessionIdle: cfg.SessionIdle, SessionLifetime: cfg.SessionLifetime,
		LockoutFailures: cfg.LockoutFailures, LockoutDuration: cfg.LockoutDuration,
		ThrottleFailures: cfg.ThrottleFailures, ThrottleWindow: cfg.ThrottleWindow,
	})
	s := &Server{cfg: cfg, store: st, auth: authSvc, log: log}
	secure := cfg.SecureCookies || cfg.TLSCert != ""
	demo, err := st.Setting(context.Background(), store.SettingDemo)
	if err != nil {
		return nil, err
	}
	browser, err := pdf.FindBrowser(cfg.Chromium)
	if err != nil {
		return nil, err
	}
	if browser == "" {
		log.Info("PDF export off: no Chromium configured or found on PATH")
	} else {
		log.Info("PDF export on", "chromium", browser)
	}
	if s.web, err = web.New(web.Deps{Store: st, Auth: authSvc, Log: log, SecureCookies: secure, Version: version, Demo: demo == "1",
		PDF: pdf.New(browser, log)}); err != nil {
		return nil, err
	}
	s.api = api.New(api.Deps{Store: st, Auth: authSvc, Log: log, Bulletins: s.web})
	s.metrics = newMetrics(st, version)

	s.routes = append(s.routes,
		request.Route{Method: "GET", Pattern: "/healthz", Action: auth.Public, Handler: s.healthz},
		request.Route{Method: "GET", Pattern: "/readyz", Action: auth.Public, Handler: s.readyz},
		request.Route{Method: "GET", Pattern: "/metrics", Action: auth.Public, Handler: s.metrics.handler().ServeHTTP},
	)
	s.routes = append(s.routes, s.web.Routes()...)
	s.routes = append(s.routes, s.api.Routes()...)

	mux := http.NewServeMux()
	seen := map[string]bool{}
	for i := range s.routes {
		rt := &s.routes[i]
		if seen[rt.Key()] {
			return nil, fmt.Errorf("route %s registered twice", rt.Key())
		}
		seen[rt.Key()] = true
		mux.Handle(rt.Key(), s.guard(rt))
	}
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, domain.Errorf(domain.EFORBIDDEN, "拒绝跨站请求：请从本系统页面提交。"))
	}))
	s.handler = s.recoverPanics(s.securityHeaders(s.observe(cop.Handler(s.dispatch(mux)))))
	return s, nil
}

// Handler is the server's root handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes lists every registered route, for the authorization and OpenAPI tests.
func (s *Server) Routes() []request.Route { return slices.Clone(s.routes) }

// dispatch answers unmatched paths with the UI's or the API's not-found page.
func (s *Server) dispatch(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern == "" {
			s.fail(w, r, domain.Errorf(domain.ENOTFOUND, "页面不存在或已被移除。"))
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// guard authenticates the request and applies the route-level policy; handlers apply
// the record-level part (whose unit) with the same auth.Can.
func (s *Server) guard(rt *request.Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(request.WithRoute(r.Context(), rt))
		user, sessionID, err := s.authenticate(r, rt)
		if err != nil && rt.Action != auth.Public {
			s.fail(w, r, err)
			return
		}
		if user != nil {
			r = r.WithContext(request.WithUser(r.Context(), user, sessionID))
		}
		if rt.Action != auth.Public {
			if user == nil {
				s.fail(w, r, domain.Errorf(domain.EUNAUTHORIZED, "请先登录。"))
				return
			}
			if !auth.CanAtAll(user, rt.Action) {
				s.fail(w, r, domain.ErrForbidden)
				return
			}
			if sessionID != "" && user.MustChangePassword && !web.AllowedBeforePasswordChange(rt) {
				if rt.API {
					s.fail(w, r, domain.Errorf(domain.EFORBIDDEN, "请先在浏览器中修改初始密码。"))
					return
				}
				s.web.RequirePasswordChange(w, r)
				return
			}
		}
		rt.Handler(w, r)
	})
}

// authenticate finds the user from a bearer token (API routes) or the session cookie.
func (s *Server) authenticate(r *http.Request, rt *request.Route) (*domain.User, string, error) {
	if h := r.Header.Get("Authorization"); rt.API && h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, "", domain.Errorf(domain.EUNAUTHORIZED, "Authorization 头应为 Bearer 令牌。")
		}
		u, err := s.auth.Bearer(r.Context(), strings.TrimSpace(token))
		return u, "", err
	}
	id := web.SessionCookie(r)
	if id == "" {
		return nil, "", nil
	}
	_, u, err := s.auth.Session(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	return u, id, nil
}

// fail answers an error in the style of the route: JSON for the API, a page for the UI.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	rt := request.CurrentRoute(r)
	if (rt != nil && rt.API) || (rt == nil && strings.HasPrefix(r.URL.Path, "/api/")) {
		api.WriteError(w, r, s.log, err)
		return
	}
	s.web.Error(w, r, err)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readyz is ready when the database answers and its schema is the one this binary wants.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readyz: database unreachable", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "database unreachable")
		return
	}
	cur, latest, err := s.store.SchemaStatus(ctx)
	if err != nil || cur != latest {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "schema version %d, want %d\n", cur, latest)
		return
	}
	fmt.Fprintln(w, "ready")
}

// securityHeaders sets a strict CSP (no inline script or style anywhere), framing,
// sniffing and referrer rules on every response.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged 500 without internals.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the peer address, or behind a trusted proxy the last X-Forwarded-For
// entry: the one that proxy appended. Earlier entries come from the client and could be
// anything, which would defeat throttling and falsify the audit log.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndex(last, ","); i >= 0 {
				last = last[i+1:]
			}
			if ip := strings.TrimSpace(last); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
