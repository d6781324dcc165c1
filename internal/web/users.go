package web

import (
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type userForm struct {
	ID                            int64
	Username, DisplayName, UnitID string
	Roles                         []domain.Role
	Disabled                      bool
	Version                       string
	MustChangePassword            bool
}

func formOfUser(u *domain.User) userForm {
	return userForm{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, UnitID: strconv.FormatInt(u.UnitID, 10),
		Roles: u.Roles, Disabled: u.Disabled, Version: strconv.FormatInt(u.Version, 10), MustChangePassword: u.MustChangePassword}
}

func readUserForm(r *http.Request) (userForm, *domain.User, domain.Problems) {
	p := domain.Problems{}
	f := userForm{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		UnitID: r.PostFormValue("unit_id"), Disabled: r.PostFormValue("disabled") == "1", Version: r.PostFormValue("version")}
	for _, v := range r.PostForm["roles"] {
		if role := domain.Role(v); role.Valid() {
			f.Roles = append(f.Roles, role)
		} else {
			p.Add("roles", "包含未知角色。")
		}
	}
	u := &domain.User{Username: f.Username, DisplayName: f.DisplayName, Roles: f.Roles, Disabled: f.Disabled}
	u.UnitID = formInt(r, "unit_id", "所属单位", p)
	u.Version = formInt(r, "version", "版本", p)
	return f, u, p
}

type userFormData struct {
	Form     userForm
	Problems map[string]string
	Conflict bool
	Units    []*domain.Unit
	Roles    []domain.Role
	Policy   domain.PasswordPolicy
}

func (h *Handler) renderUserForm(w http.ResponseWriter, r *http.Request, status int, f userForm, err error) {
	units, _, uerr := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if uerr != nil {
		h.Error(w, r, uerr)
		return
	}
	d := userFormData{Form: f, Units: units, Roles: domain.Roles, Policy: h.Auth.Settings().Password,
		Problems: domain.ErrorFields(err), Conflict: domain.ErrorCode(err) == domain.ECONFLICT}
	title := "新建用户"
	if f.ID != 0 {
		title = "编辑用户"
	}
	v := view{Title: title, Nav: "users", Data: d}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "user_form", v)
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 50)
	f := userFilterOf(r)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	users, total, err := h.Store.FindUsers(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "users", view{Title: "用户", Nav: "users", Data: struct {
		Users  []*domain.User
		Page   page
		Filter domain.UserFilter
		Units  []*domain.Unit
		Roles  []domain.Role
	}{users, pg, f, units, domain.Roles}})
}

func userFilterOf(r *http.Request) domain.UserFilter {
	q := r.URL.Query()
	f := domain.UserFilter{Query: strings.TrimSpace(q.Get("q"))}
	if role := domain.Role(q.Get("role")); role.Valid() {
		f.Role = role
	}
	if id, err := strconv.ParseInt(q.Get("unit_id"), 10, 64); err == nil && id > 0 {
		f.UnitID = id
	}
	return f
}

func (h *Handler) newUser(w http.ResponseWriter, r *http.Request) {
	h.renderUserForm(w, r, 0, userForm{UnitID: r.URL.Query().Get("unit_id")}, nil)
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f, u, p := readUserForm(r)
	u.Disabled = false
	err := p.Err()
	if err == nil {
		err = h.Auth.CreateUser(r.Context(), request.Actor(r), u, r.PostFormValue("password"))
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderUserForm(w, r, status, f, err) }, "/users", "已创建用户 "+u.Username+"，首次登录时须修改初始密码。")
}

func (h *Handler) editUser(w http.ResponseWriter, r *http.Request) {
	u, ok := byPathID(h, w, r, h.Store.FindUserByID)
	if !ok {
		return
	}
	h.renderUserForm(w, r, 0, formOfUser(u), nil)
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	f, u, p := readUserForm(r)
	f.ID, u.ID = id, id
	err := p.Err()
	if err == nil {
		err = h.Store.UpdateUser(r.Context(), request.Actor(r), u)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderUserForm(w, r, status, f, err) }, "/users", "已保存用户 "+u.Username+"。")
}

// resetPassword sets a new initial password the user must change at next login.
func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	u, err := h.Store.FindUserByID(r.Context(), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if err := h.Auth.ResetPassword(r.Context(), request.Actor(r), id, r.PostFormValue("password")); err != nil {
		f := formOfUser(u)
		h.renderUserForm(w, r, api.Status(domain.ErrorCode(err)), f, err)
		return
	}
	h.redirect(w, r, "/users/"+strconv.FormatInt(id, 10)+"/edit", "已重置 "+u.Username+" 的密码，该用户下次登录时须修改。")
}
