package api

import (
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// unitJSON is a unit as the API shows it; parent_id is null for the root.
type unitJSON struct {
	ID            int64           `json:"id"`
	Code          string          `json:"code"`
	Name          string          `json:"name"`
	Kind          domain.UnitKind `json:"kind"`
	ParentID      *int64          `json:"parent_id"`
	Assessed      bool            `json:"assessed"`
	SortOrder     int             `json:"sort_order"`
	Active        bool            `json:"active"`
	ContactPerson string          `json:"contact_person"`
	ContactPhone  string          `json:"contact_phone"`
	Version       int64           `json:"version"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

func unitOut(u *domain.Unit) unitJSON {
	j := unitJSON{
		ID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind, Assessed: u.Assessed, SortOrder: u.SortOrder,
		Active: u.Active, ContactPerson: u.ContactPerson, ContactPhone: u.ContactPhone, Version: u.Version,
		CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
	if u.ParentID != 0 {
		j.ParentID = &u.ParentID
	}
	return j
}

func unitLocation(id int64) string { return Prefix + "/units/" + strconv.FormatInt(id, 10) }

func (h *Handler) listUnits(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "kind", "parent_id", "q", "active", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.UnitFilter{Kind: domain.UnitKind(q.str("kind")), Query: q.str("q")}
	if f.Kind != "" && !f.Kind.Valid() {
		h.fail(w, r, badRequest("查询参数 kind 应为 province、city、county、park 或 department，收到 %q。", string(f.Kind)))
		return
	}
	if f.ParentID, err = q.id("parent_id"); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Active, err = q.boolean("active"); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.Offset, f.Limit, err = q.page(); err != nil {
		h.fail(w, r, err)
		return
	}
	units, total, err := h.store.FindUnits(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[unitJSON]{Items: make([]unitJSON, 0, len(units)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, u := range units {
		out.Items = append(out.Items, unitOut(u))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getUnit(w http.ResponseWriter, r *http.Request) {
	u, err := byPathID(r, h.store.FindUnitByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unitOut(u))
}

// unitCreate is the body of POST /units. A new unit is active unless told otherwise.
type unitCreate struct {
	Code          string          `json:"code"`
	Name          string          `json:"name"`
	Kind          domain.UnitKind `json:"kind"`
	ParentID      *int64          `json:"parent_id"`
	Assessed      bool            `json:"assessed"`
	SortOrder     int             `json:"sort_order"`
	Active        *bool           `json:"active"`
	ContactPerson string          `json:"contact_person"`
	ContactPhone  string          `json:"contact_phone"`
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request) {
	var in unitCreate
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	u := &domain.Unit{
		Code: in.Code, Name: in.Name, Kind: in.Kind, Assessed: in.Assessed, SortOrder: in.SortOrder,
		Active: in.Active == nil || *in.Active, ContactPerson: in.ContactPerson, ContactPhone: in.ContactPhone,
	}
	if in.ParentID != nil {
		u.ParentID = *in.ParentID
	}
	if err := h.store.CreateUnit(r.Context(), request.Actor(r), u); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", unitLocation(u.ID))
	writeJSON(w, http.StatusCreated, unitOut(u))
}

// readBody refuses query parameters on a write and decodes its body.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, dst any) error {
	if _, err := parseQuery(r); err != nil {
		return err
	}
	return decode(w, r, dst)
}

// unitUpdate is the body of PUT /units/{id}: fields left out keep their value; version
// is the one the client read.
type unitUpdate struct {
	Code          optional[string]          `json:"code"`
	Name          optional[string]          `json:"name"`
	Kind          optional[domain.UnitKind] `json:"kind"`
	ParentID      optional[int64]           `json:"parent_id"`
	Assessed      optional[bool]            `json:"assessed"`
	SortOrder     optional[int]             `json:"sort_order"`
	Active        optional[bool]            `json:"active"`
	ContactPerson optional[string]          `json:"contact_person"`
	ContactPhone  optional[string]          `json:"contact_phone"`
	Version       optional[int64]           `json:"version"`
}

func (h *Handler) updateUnit(w http.ResponseWriter, r *http.Request) {
	updateByPathID(h, w, r, h.store.FindUnitByID, func(p domain.Problems, u *domain.Unit, in *unitUpdate) {
		u.Version = requireVersion(p, in.Version)
		apply(p, "code", in.Code, &u.Code)
		apply(p, "name", in.Name, &u.Name)
		apply(p, "kind", in.Kind, &u.Kind)
		if in.ParentID.Null {
			u.ParentID = 0 // null moves the unit to the top of the tree
		} else {
			apply(p, "parent_id", in.ParentID, &u.ParentID)
		}
		apply(p, "assessed", in.Assessed, &u.Assessed)
		apply(p, "sort_order", in.SortOrder, &u.SortOrder)
		apply(p, "active", in.Active, &u.Active)
		apply(p, "contact_person", in.ContactPerson, &u.ContactPerson)
		apply(p, "contact_phone", in.ContactPhone, &u.ContactPhone)
	}, h.store.UpdateUnit, func(u *domain.Unit) { writeJSON(w, http.StatusOK, unitOut(u)) })
}

// contactUpdate is the body of PUT /units/{id}/contact.
type contactUpdate struct {
	ContactPerson optional[string] `json:"contact_person"`
	ContactPhone  optional[string] `json:"contact_phone"`
	Version       optional[int64]  `json:"version"`
}

func (h *Handler) updateUnitContact(w http.ResponseWriter, r *http.Request) {
	u, err := byPathID(r, h.store.FindUnitByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	// The route let in anyone who may edit some unit's contact; a reporter may edit
	// only their own unit's. Checked before the body is read, so a refused caller
	// learns nothing from its validation.
	if !auth.Can(request.User(r), auth.EditUnitContact, u.ID) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	var in contactUpdate
	if err := decode(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	c := domain.UnitContact{ContactPerson: u.ContactPerson, ContactPhone: u.ContactPhone}
	c.Version = requireVersion(p, in.Version)
	apply(p, "contact_person", in.ContactPerson, &c.ContactPerson)
	apply(p, "contact_phone", in.ContactPhone, &c.ContactPhone)
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := h.store.UpdateUnitContact(r.Context(), request.Actor(r), u.ID, c)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, unitOut(after))
}
