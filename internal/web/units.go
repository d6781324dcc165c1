package web

import (
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// unitForm holds what the unit form shows: the user's input as typed, so a refused
// submission comes back exactly as it was.
type unitForm struct {
	ID                                    int64
	Code, Name, Kind, ParentID, SortOrder string
	Assessed, Active                      bool
	ContactPerson, ContactPhone, Version  string
}

func formOfUnit(u *domain.Unit) unitForm {
	f := unitForm{ID: u.ID, Code: u.Code, Name: u.Name, Kind: string(u.Kind), SortOrder: strconv.Itoa(u.SortOrder),
		Assessed: u.Assessed, Active: u.Active, ContactPerson: u.ContactPerson, ContactPhone: u.ContactPhone,
		Version: strconv.FormatInt(u.Version, 10)}
	if u.ParentID != 0 {
		f.ParentID = strconv.FormatInt(u.ParentID, 10)
	}
	return f
}

func readUnitForm(r *http.Request) (unitForm, *domain.Unit, domain.Problems) {
	p := domain.Problems{}
	f := unitForm{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		ParentID: r.PostFormValue("parent_id"), SortOrder: r.PostFormValue("sort_order"),
		Assessed: r.PostFormValue("assessed") == "1", Active: r.PostFormValue("active") == "1",
		ContactPerson: r.PostFormValue("contact_person"), ContactPhone: r.PostFormValue("contact_phone"),
		Version: r.PostFormValue("version")}
	u := &domain.Unit{Code: f.Code, Name: f.Name, Kind: domain.UnitKind(f.Kind), Assessed: f.Assessed, Active: f.Active,
		ContactPerson: f.ContactPerson, ContactPhone: f.ContactPhone}
	u.ParentID = formInt(r, "parent_id", "上级单位", p)
	u.SortOrder = int(formInt(r, "sort_order", "排序号", p))
	u.Version = formInt(r, "version", "版本", p)
	return f, u, p
}

type unitFormData struct {
	Form     unitForm
	Problems map[string]string
	Conflict bool
	Kinds    []domain.UnitKind
	Parents  []*domain.Unit
}

func (h *Handler) renderUnitForm(w http.ResponseWriter, r *http.Request, status int, f unitForm, err error) {
	parents, _, perr := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if perr != nil {
		h.Error(w, r, perr)
		return
	}
	d := unitFormData{Form: f, Kinds: domain.UnitKinds, Parents: parents, Problems: domain.ErrorFields(err),
		Conflict: domain.ErrorCode(err) == domain.ECONFLICT}
	title := "新建单位"
	if f.ID != 0 {
		title = "编辑单位"
	}
	v := view{Title: title, Nav: "units", Data: d}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "unit_form", v)
}

func (h *Handler) units(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 50)
	f := unitFilterOf(r)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	units, total, err := h.Store.FindUnits(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "units", view{Title: "单位", Nav: "units", Data: struct {
		Units     []*domain.Unit
		Names     map[int64]string
		Page      page
		Filter    domain.UnitFilter
		Kinds     []domain.UnitKind
		CanManage bool
	}{units, names, pg, f, domain.UnitKinds, auth.CanAtAll(request.User(r), auth.ManageUnits)}})
}

// unitFilterOf reads the list filter; unknown values are ignored rather than refused,
// since they come from links and a stale bookmark should still show a list.
func unitFilterOf(r *http.Request) domain.UnitFilter {
	q := r.URL.Query()
	f := domain.UnitFilter{Query: strings.TrimSpace(q.Get("q"))}
	if k := domain.UnitKind(q.Get("kind")); k.Valid() {
		f.Kind = k
	}
	return f
}

// unitNames maps unit ids to names for showing parents; the unit tree is small.
func (h *Handler) unitNames(r *http.Request) (map[int64]string, error) {
	all, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(all))
	for _, u := range all {
		names[u.ID] = u.Name
	}
	return names, nil
}

func (h *Handler) unit(w http.ResponseWriter, r *http.Request) {
	u, ok := byPathID(h, w, r, h.Store.FindUnitByID)
	if !ok {
		return
	}
	var parent *domain.Unit
	if u.ParentID != 0 {
		var err error
		if parent, err = h.Store.FindUnitByID(r.Context(), u.ParentID); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	children, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{ParentID: u.ID, Limit: 500})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	user := request.User(r)
	h.render(w, r, 0, "unit", view{Title: u.Name, Nav: "units", Data: struct {
		Unit           *domain.Unit
		Parent         *domain.Unit
		Children       []*domain.Unit
		CanManage      bool
		CanEditContact bool
	}{u, parent, children, auth.Can(user, auth.ManageUnits, u.ID), auth.Can(user, auth.EditUnitContact, u.ID)}})
}

func (h *Handler) newUnit(w http.ResponseWriter, r *http.Request) {
	f := unitForm{Active: true, SortOrder: "0"}
	if p := r.URL.Query().Get("parent_id"); p != "" {
		f.ParentID = p
	}
	h.renderUnitForm(w, r, 0, f, nil)
}

func (h *Handler) createUnit(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f, u, p := readUnitForm(r)
	err := p.Err()
	if err == nil {
		err = h.Store.CreateUnit(r.Context(), request.Actor(r), u)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderUnitForm(w, r, status, f, err) }, "/units/"+strconv.FormatInt(u.ID, 10), "已创建单位“"+u.Name+"”。")
}

func (h *Handler) editUnit(w http.ResponseWriter, r *http.Request) {
	u, ok := byPathID(h, w, r, h.Store.FindUnitByID)
	if !ok {
		return
	}
	h.renderUnitForm(w, r, 0, formOfUnit(u), nil)
}

func (h *Handler) updateUnit(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	f, u, p := readUnitForm(r)
	f.ID, u.ID = id, id
	err := p.Err()
	if err == nil {
		err = h.Store.UpdateUnit(r.Context(), request.Actor(r), u)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderUnitForm(w, r, status, f, err) }, "/units/"+strconv.FormatInt(id, 10), "已保存单位“"+u.Name+"”。")
}

// contactForm is the part of a unit its own reporter may edit.
type contactForm struct {
	Unit                                 *domain.Unit
	ContactPerson, ContactPhone, Version string
	Problems                             map[string]string
	Conflict                             bool
}

// contactUnit loads the unit and applies the record-level policy: a reporter may edit
// only their own unit's contact.
func (h *Handler) contactUnit(r *http.Request) (*domain.Unit, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	u, err := h.Store.FindUnitByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(request.User(r), auth.EditUnitContact, u.ID) {
		return nil, domain.ErrForbidden
	}
	return u, nil
}

func (h *Handler) contactPage(w http.ResponseWriter, r *http.Request) {
	u, err := h.contactUnit(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "unit_contact", view{Title: "联系方式", Nav: "units", Data: contactForm{Unit: u,
		ContactPerson: u.ContactPerson, ContactPhone: u.ContactPhone, Version: strconv.FormatInt(u.Version, 10)}})
}

func (h *Handler) updateContact(w http.ResponseWriter, r *http.Request) {
	u, err := h.contactUnit(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := contactForm{Unit: u, ContactPerson: r.PostFormValue("contact_person"), ContactPhone: r.PostFormValue("contact_phone"),
		Version: r.PostFormValue("version")}
	p := domain.Problems{}
	version := formInt(r, "version", "版本", p)
	err = p.Err()
	if err == nil {
		_, err = h.Store.UpdateUnitContact(r.Context(), request.Actor(r), u.ID,
			domain.UnitContact{ContactPerson: f.ContactPerson, ContactPhone: f.ContactPhone, Version: version})
	}
	if err != nil {
		f.Problems, f.Conflict = domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT
		if f.Problems == nil && !f.Conflict {
			h.Error(w, r, err)
			return
		}
		h.render(w, r, api.Status(domain.ErrorCode(err)), "unit_contact", view{Title: "联系方式", Nav: "units", Data: f})
		return
	}
	h.redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10), "已更新联系方式。")
}
