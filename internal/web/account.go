package web

import (
	"net/http"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type accountData struct {
	Tokens    []*domain.APIToken
	NewToken  string // shown once, right after creation
	TokenName string
	Problems  map[string]string
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, d accountData) {
	tokens, err := h.Store.FindTokens(r.Context(), request.User(r).ID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	d.Tokens = tokens
	h.render(w, r, status, "account", view{Title: "我的账号", Nav: "account", Data: d})
}

func (h *Handler) account(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, 0, accountData{})
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	name := r.PostFormValue("name")
	secret, _, err := h.Auth.CreateToken(r.Context(), request.Actor(r), request.User(r), name)
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			h.Error(w, r, err)
			return
		}
		h.renderAccount(w, r, http.StatusUnprocessableEntity, accountData{TokenName: name, Problems: domain.ErrorFields(err)})
		return
	}
	// Rendered directly, not redirected: the secret exists only in this response.
	h.renderAccount(w, r, 0, accountData{NewToken: secret})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = h.Store.RevokeToken(r.Context(), request.Actor(r), request.User(r).ID, id)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, "/account", "令牌已吊销。")
}

type passwordData struct {
	Problems map[string]string
	Policy   domain.PasswordPolicy
	Forced   bool
}

func (h *Handler) passwordPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, 0, "password", view{Title: "修改密码", Nav: "account", Data: passwordData{
		Policy: h.Auth.Settings().Password, Forced: request.User(r).MustChangePassword}})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	user := request.User(r)
	next := r.PostFormValue("password")
	err := error(nil)
	if next != r.PostFormValue("confirm") {
		err = &domain.Error{Code: domain.EINVALID, Message: "两次输入的新密码不一致。", Fields: map[string]string{"confirm": "两次输入的新密码不一致。"}}
	} else {
		err = h.Auth.ChangePassword(r.Context(), request.Actor(r), user, r.PostFormValue("current"), next, request.SessionID(r))
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			h.Error(w, r, err)
			return
		}
		h.render(w, r, http.StatusUnprocessableEntity, "password", view{Title: "修改密码", Nav: "account", Data: passwordData{
			Problems: domain.ErrorFields(err), Policy: h.Auth.Settings().Password, Forced: user.MustChangePassword}})
		return
	}
	h.redirect(w, r, "/", "密码已修改，其他设备上的登录已退出。")
}
