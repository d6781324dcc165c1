package api

import (
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// userJSON is a user as the API shows it; never a password hash or failure count.
type userJSON struct {
	ID                 int64         `json:"id"`
	Username           string        `json:"username"`
	DisplayName        string        `json:"display_name"`
	UnitID             int64         `json:"unit_id"`
	UnitName           string        `json:"unit_name"`
	Roles              []domain.Role `json:"roles"`
	MustChangePassword bool          `json:"must_change_password"`
	Disabled           bool          `json:"disabled"`
	LockedUntil        *time.Time    `json:"locked_until,omitempty"`
	LastLoginAt        *time.Time    `json:"last_login_at"`
	Version            int64         `json:"version"`
	CreatedAt          time.Time     `json:"created_at"`
	UpdatedAt          time.Time     `json:"updated_at"`
}

// timeOrNil shows a never-happened time as null rather than year 1.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func userOut(u *domain.User) userJSON {
	roles := u.Roles
	if roles == nil {
		roles = []domain.Role{}
	}
	return userJSON{
		ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, UnitID: u.UnitID, UnitName: u.UnitName,
		Roles: roles, MustChangePassword: u.MustChangePassword, Disabled: u.Disabled,
		LockedUntil: timeOrNil(u.LockedUntil), LastLoginAt: timeOrNil(u.LastLoginAt),
		Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(request.User(r)))
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "unit_id", "role", "q", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.UserFilter{Role: domain.Role(q.str("role")), Query: q.str("q")}
	if f.Role != "" && !f.Role.Valid() {
		h.fail(w, r, badRequest("查询参数 role 应为 admin、coordinator、reporter、handler、leader 或 auditor，收到 %q。", string(f.Role)))
		return
	}
	if f.UnitID, err = q.id("unit_id"); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Offset, f.Limit, err = q.page(); err != nil {
		h.fail(w, r, err)
		return
	}
	users, total, err := h.store.FindUsers(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[userJSON]{Items: make([]userJSON, 0, len(users)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, u := range users {
		out.Items = append(out.Items, userOut(u))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := byPathID(r, h.store.FindUserByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(u))
}

// userCreate is the body of POST /users. The password is an initial one: the user must
// replace it at their first browser sign-in.
type userCreate struct {
	Username    string        `json:"username"`
	DisplayName string        `json:"display_name"`
	UnitID      int64         `json:"unit_id"`
	Roles       []domain.Role `json:"roles"`
	Disabled    bool          `json:"disabled"`
	Password    string        `json:"password"`
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	var in userCreate
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	u := &domain.User{Username: in.Username, DisplayName: in.DisplayName, UnitID: in.UnitID,
		Roles: in.Roles, Disabled: in.Disabled}
	if err := h.auth.CreateUser(r.Context(), request.Actor(r), u, in.Password); err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeUser(w, r, http.StatusCreated, u.ID)
}

// writeUser answers the stored user: a write does not fill the unit's name.
func (h *Handler) writeUser(w http.ResponseWriter, r *http.Request, status int, id int64) {
	u, err := h.store.FindUserByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", Prefix+"/users/"+strconv.FormatInt(id, 10))
	}
	writeJSON(w, status, userOut(u))
}

// userUpdate is the body of PUT /users/{id}: fields left out keep their value.
type userUpdate struct {
	Username    optional[string]        `json:"username"`
	DisplayName optional[string]        `json:"display_name"`
	UnitID      optional[int64]         `json:"unit_id"`
	Roles       optional[[]domain.Role] `json:"roles"`
	Disabled    optional[bool]          `json:"disabled"`
	Version     optional[int64]         `json:"version"`
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) {
	updateByPathID(h, w, r, h.store.FindUserByID, func(p domain.Problems, u *domain.User, in *userUpdate) {
		u.Version = requireVersion(p, in.Version)
		apply(p, "username", in.Username, &u.Username)
		apply(p, "display_name", in.DisplayName, &u.DisplayName)
		apply(p, "unit_id", in.UnitID, &u.UnitID)
		apply(p, "roles", in.Roles, &u.Roles)
		apply(p, "disabled", in.Disabled, &u.Disabled)
	}, h.store.UpdateUser, func(u *domain.User) { h.writeUser(w, r, http.StatusOK, u.ID) })
}

// passwordReset is the body of POST /users/{id}/password.
type passwordReset struct {
	Password string `json:"password"`
}

func (h *Handler) resetPassword(w http.ResponseWriter, r *http.Request) {
	var in passwordReset
	id, err := pathID(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.auth.ResetPassword(r.Context(), request.Actor(r), id, in.Password); err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
