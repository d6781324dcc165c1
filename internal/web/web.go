// Package web is beizeng's HTML interface: server-rendered pages in Chinese, htmx for
// partial updates, assets embedded in the binary under content-hashed URLs.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/pdf"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps are what the UI needs.
type Deps struct {
	Store         *store.Store
	Auth          *auth.Service
	Log           *slog.Logger
	SecureCookies bool
	Version       string
	Demo          bool // the database holds the fictional demo city: every page says so
	// PDF prints documents to PDF; nil or without a browser, pages offer no PDF.
	PDF *pdf.Printer
}

// Handler serves the pages.
type Handler struct {
	Deps
	views map[string]*template.Template
	// documents are standalone HTML documents (no menu, styles inlined) for the PDF
	// printer, by name; each executes its "document" template.
	documents map[string]*template.Template
	assets    map[string]asset // by name, e.g. "app.css"
	byHash    map[string]asset // by hashed URL path
	// imports keeps the annotated copies of refused XLSX imports for download.
	imports *importStash
	// CockpitPanels are the cards other modules add to the cockpit (see CockpitPanel).
	CockpitPanels []CockpitPanel
}

type asset struct {
	name, url, contentType string
	body                   []byte
}

// New parses every page template and hashes every asset; a broken template fails here,
// at start, not on a user's click.
func New(d Deps) (*Handler, error) {
	h := &Handler{Deps: d, views: map[string]*template.Template{}, documents: map[string]*template.Template{}, assets: map[string]asset{}, byHash: map[string]asset{},
		imports: newImportStash()}
	h.CockpitPanels = h.modulePanels()
	if err := h.loadAssets(); err != nil {
		return nil, err
	}
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New("layout.html").Funcs(h.funcs()).ParseFS(templateFS, "templates/layout.html", "templates/partials/*.html", p)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		h.views[name] = t
	}
	docs, err := fs.Glob(templateFS, "templates/documents/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range docs {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := template.New(name).Funcs(h.funcs()).ParseFS(templateFS, "templates/partials/*.html", p)
		if err != nil {
			return nil, fmt.Errorf("parse document template %s: %w", name, err)
		}
		h.documents[name] = t
	}
	return h, nil
}

func (h *Handler) loadAssets() error {
	return fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		a := asset{name: name, body: body, url: "/assets/" + hex.EncodeToString(sum[:6]) + "/" + name}
		switch path.Ext(name) {
		case ".css":
			a.contentType = "text/css; charset=utf-8"
		case ".js":
			a.contentType = "text/javascript; charset=utf-8"
		default:
			a.contentType = "text/plain; charset=utf-8"
		}
		h.assets[name] = a
		h.byHash[a.url] = a
		return nil
	})
}

// serveAsset serves a hashed asset forever-cacheable: a new build changes its URL.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	a, ok := h.byHash[r.URL.Path]
	if !ok {
		h.Error(w, r, domain.ErrNotFound("文件"))
		return
	}
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(a.body)
}

func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		"monthsToDate": domain.MonthsToDate,
		"asset": func(name string) string {
			if a, ok := h.assets[name]; ok {
				return a.url
			}
			panic("unknown asset " + name)
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(chinaTime).Format("2006-01-02 15:04")
		},
		"roleLabel":   func(r domain.Role) string { return r.Label() },
		"kindLabel":   func(k domain.UnitKind) string { return k.Label() },
		"add":         func(a, b int) int { return a + b },
		"weekday":     domain.WeekdayName,
		"actionEvent": domain.ActionEventLabel,
		"has": func(roles []domain.Role, r domain.Role) bool {
			for _, x := range roles {
				if x == r {
					return true
				}
			}
			return false
		},
	}
}

// chinaTime is how times are shown: the users are in China Standard Time.
var chinaTime = domain.ChinaTime

// view is what every page template receives.
type view struct {
	Title   string
	Nav     string // which menu entry is active
	User    *domain.User
	Menu    []menuItem
	Flash   *flash
	Version string
	Demo    bool
	// Unread is the user's unread notifications, for the badge in the header.
	Unread int
	Data   any
}

type menuItem struct {
	Key, Label, URL string
	// GroupStart sets the entry apart as the first of its group.
	GroupStart bool
}

// menu shows only what exists and what this user may open, in three groups: the dispatch
// work (调度), the records kept (台账) and what is set up once a year or less (设置). The
// account is the user's name in the top bar.
func menu(u *domain.User) []menuItem {
	if u == nil {
		return nil
	}
	can := func(a auth.Action) bool { return auth.CanAtAll(u, a) }
	home := menuItem{"home", "工作台", "/", false}
	if can(auth.ReadCockpit) {
		home.Label = "驾驶舱"
	}
	groups := [][]menuItem{{home}, nil, nil}
	add := func(group int, ok bool, key, label, url string) {
		if ok {
			groups[group] = append(groups[group], menuItem{Key: key, Label: label, URL: url})
		}
	}
	campaign := can(auth.ReadCampaign)
	add(0, campaign, "progress", "目标进度", "/progress")
	add(0, campaign, "bulletin", "调度通报", "/bulletin")
	add(0, campaign, "meetings", "调度会", "/meetings")
	add(0, can(auth.ReadActionItems), "actions", "交办事项", "/action-items")
	add(0, campaign, "scoring", "考核", "/scoring")
	add(1, can(auth.ReadReport), "reports", "月报", "/reports")
	add(1, campaign, "projects", "项目", "/projects")
	add(1, campaign, "enterprises", "企业", "/enterprises")
	add(1, can(auth.ReadProblems), "problems", "诉求", "/problems")
	add(1, can(auth.RecordVisit), "service", "服务日", "/service")
	add(1, can(auth.ManageLinks), "links", "挂点", "/links")
	add(2, campaign, "indicators", "指标", "/indicators")
	add(2, campaign, "targets", "目标", "/targets")
	add(2, campaign, "plans", "倍增规划", "/plans")
	add(2, can(auth.ReadOrg), "units", "单位", "/units")
	add(2, campaign, "calendar", "日历", "/calendar")
	add(2, can(auth.ManageUsers), "users", "用户", "/users")
	add(2, can(auth.ReadAudit), "audit", "审计日志", "/audit")
	var items []menuItem
	for _, g := range groups {
		if len(g) > 0 && len(items) > 0 {
			g[0].GroupStart = true
		}
		items = append(items, g...)
	}
	return items
}

// render writes a page with the layout; status 0 means 200.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t, ok := h.views[page]
	if !ok {
		h.Log.Error("unknown view", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v.User = request.User(r)
	v.Menu = menu(v.User)
	v.Version = h.Version
	v.Demo = h.Demo
	if v.Flash == nil {
		v.Flash = h.popFlash(w, r)
	}
	if v.User != nil {
		// One indexed COUNT per rendered page; a failure costs the badge, not the page.
		n, err := h.Store.UnreadNotifications(r.Context(), v.User.ID)
		if err != nil {
			h.Log.Warn("unread notifications", "err", err)
		}
		v.Unread = n
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		h.Log.Error("render", "page", page, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if status != 0 {
		w.WriteHeader(status)
	}
	w.Write(buf.Bytes())
}

// Error renders a friendly error page; internals go to the log only. An anonymous user
// who needs to sign in is sent to the login page instead.
func (h *Handler) Error(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	if code == domain.EUNAUTHORIZED {
		h.clearSessionCookie(w)
		if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
	}
	if code == domain.EINTERNAL {
		h.Log.Error("request failed", "path", r.URL.Path, "err", err)
	}
	status := api.Status(code)
	titles := map[int]string{
		http.StatusNotFound: "页面不存在", http.StatusForbidden: "没有权限", http.StatusConflict: "数据已被修改",
		http.StatusUnauthorized: "需要登录", http.StatusInternalServerError: "系统错误",
		http.StatusUnprocessableEntity: "提交内容有误", http.StatusTooManyRequests: "请求过于频繁", http.StatusLocked: "账号已锁定",
		http.StatusServiceUnavailable: "暂不可用",
	}
	h.render(w, r, status, "error", view{Title: titles[status], Data: struct {
		Status  int
		Message string
	}{status, domain.ErrorMessage(err)}})
}

// flash is a one-time message shown on the next page.
type flash struct {
	Kind, Message string // ok, error, warn
}

const flashCookie = "bz_flash"

func (h *Handler) setFlash(w http.ResponseWriter, kind, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: kind + ":" + base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (h *Handler) popFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
	kind, enc, ok := strings.Cut(c.Value, ":")
	msg, err := base64.RawURLEncoding.DecodeString(enc)
	if !ok || err != nil || (kind != "ok" && kind != "error" && kind != "warn") {
		return nil
	}
	return &flash{Kind: kind, Message: string(msg)}
}

// redirect ends a successful write: 303 so that reloading does not post again.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request, to, okMsg string) {
	if okMsg != "" {
		h.setFlash(w, "ok", okMsg)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
