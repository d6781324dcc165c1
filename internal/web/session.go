package web

import (
	"net/http"
	"net/url"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

const sessionCookie = "bz_session"

// SessionCookie returns the session id a browser sent, or "".
func SessionCookie(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

func (h *Handler) setSessionCookie(w http.ResponseWriter, id string) {
	// No MaxAge: the cookie dies with the browser; the server enforces idle and lifetime.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: h.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// AllowedBeforePasswordChange lists the routes a user with an initial or reset password
// may use before choosing their own.
func AllowedBeforePasswordChange(rt *request.Route) bool {
	switch rt.Key() {
	case "GET /account/password", "POST /account/password", "POST /logout":
		return true
	}
	return strings.HasPrefix(rt.Pattern, "/assets/")
}

// RequirePasswordChange sends the user to the password page.
func (h *Handler) RequirePasswordChange(w http.ResponseWriter, r *http.Request) {
	h.setFlash(w, "warn", "请先修改初始密码，然后继续使用系统。")
	http.Redirect(w, r, "/account/password", http.StatusSeeOther)
}

// loginForm is what the login page posts.
type loginForm struct {
	Username, Next string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	if request.User(r) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.render(w, r, 0, "login", view{Title: "登录", Data: struct {
		Form  loginForm
		Error string
	}{Form: loginForm{Next: safeNext(r.URL.Query().Get("next"))}}})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "表单无法解析。"))
		return
	}
	form := loginForm{Username: strings.TrimSpace(r.PostFormValue("username")), Next: safeNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	var err error
	var id string
	if form.Username == "" || password == "" {
		err = domain.Errorf(domain.EINVALID, "请输入用户名和密码。")
	} else {
		id, _, err = h.Auth.Login(r.Context(), form.Username, password, request.ClientIP(r), r.UserAgent())
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code == domain.EINTERNAL {
			h.Error(w, r, err)
			return
		}
		h.render(w, r, api.Status(code), "login", view{Title: "登录", Data: struct {
			Form  loginForm
			Error string
		}{form, domain.ErrorMessage(err)}})
		return
	}
	h.setSessionCookie(w, id)
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.Auth.Logout(r.Context(), request.Actor(r), request.SessionID(r)); err != nil {
		h.Error(w, r, err)
		return
	}
	h.clearSessionCookie(w)
	h.setFlash(w, "ok", "您已安全退出。")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
