package web

import (
	"net/http"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type kindCount struct {
	Kind  domain.UnitKind
	Count int
}

// home is the workbench: who you are, your unit, and the figures of what exists so far.
func (h *Handler) home(w http.ResponseWriter, r *http.Request) {
	user := request.User(r)
	unit, err := h.Store.FindUnitByID(r.Context(), user.UnitID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var counts []kindCount
	if auth.CanAtAll(user, auth.ReadOrg) {
		for _, k := range domain.UnitKinds {
			_, n, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Kind: k, Limit: 1})
			if err != nil {
				h.Error(w, r, err)
				return
			}
			if n > 0 {
				counts = append(counts, kindCount{k, n})
			}
		}
	}
	users := -1
	if auth.CanAtAll(user, auth.ManageUsers) {
		if users, err = h.Store.CountUsers(r.Context()); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	var missing []int
	if auth.CanAtAll(user, auth.ManageCampaign) {
		if missing, err = h.missingCalendars(r); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	h.render(w, r, 0, "home", view{Title: "工作台", Nav: "home", Data: struct {
		Unit             *domain.Unit
		UnitCounts       []kindCount
		Users            int
		CanEditContact   bool
		CanAudit         bool
		MissingCalendars []int
	}{unit, counts, users, auth.Can(user, auth.EditUnitContact, unit.ID), auth.CanAtAll(user, auth.ReadAudit), missing}})
}

// missingCalendars are the years whose holidays the coordinators should load now: this
// year, and from November on the next, since deadlines of 25 working days then reach
// into it.
func (h *Handler) missingCalendars(r *http.Request) ([]int, error) {
	cal, err := h.Store.Calendar(r.Context())
	if err != nil {
		return nil, err
	}
	today := domain.DateOf(h.Store.Now())
	years := []int{today.Year()}
	if today.Month() >= time.November {
		years = append(years, today.Year()+1)
	}
	var missing []int
	for _, y := range years {
		if !cal.Loaded(y) {
			missing = append(missing, y)
		}
	}
	return missing, nil
}
