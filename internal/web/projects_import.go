package web

import (
	"fmt"
	"io"
	"net/http"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// Projects by Excel: an empty template with drop-down lists, and an all-or-nothing import
// that upserts by project code.

const projectsImportURL = "/projects/import"

// projectBook is what the template and the import need: every unit to resolve codes, the
// units this user may write, the tags, and today in China time.
func (h *Handler) projectBook(r *http.Request) (xlsx.ProjectBook, error) {
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return xlsx.ProjectBook{}, err
	}
	tags, err := h.Store.ProjectTags(r.Context())
	if err != nil {
		return xlsx.ProjectBook{}, err
	}
	b := xlsx.ProjectBook{Units: units, Tags: tags,
		Today: h.Store.Now().In(domain.ChinaTime).Format(time.DateOnly)}
	user := request.User(r)
	for _, u := range units {
		switch u.Kind {
		case domain.UnitCity, domain.UnitCounty, domain.UnitPark:
			if u.Active && auth.Can(user, auth.EditProject, u.ID) {
				b.Writable = append(b.Writable, u)
			}
		}
	}
	return b, nil
}

// projectsTemplate sends the empty template, or with ?mine=1 the template prefilled with
// the projects of the units the user may write, to edit and import again.
func (h *Handler) projectsTemplate(w http.ResponseWriter, r *http.Request) {
	b, err := h.projectBook(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	name := "projects-template.xlsx"
	if r.URL.Query().Get("mine") == "1" {
		ids := make([]int64, len(b.Writable))
		for i, u := range b.Writable {
			ids[i] = u.ID
		}
		if b.Projects, err = h.Store.FindProjectsOfUnits(r.Context(), ids, xlsx.ProjectRowsValidated); err != nil {
			h.Error(w, r, err)
			return
		}
		name = "projects-mine.xlsx"
	}
	h.sendTemplate(w, r, name, func(w io.Writer) error {
		return xlsx.WriteProjectTemplate(w, b)
	})
}

// importProjects reads the whole file, checks every cell, every unit against the policy
// and every code against the projects there are, and saves it in one transaction, or
// nothing with every problem listed.
func (h *Handler) importProjects(w http.ResponseWriter, r *http.Request) {
	p := importPage{What: "项目", Back: "/projects", BackLabel: "返回项目", Template: "/projects/template.xlsx",
		Action: projectsImportURL}
	up, err := readUpload(w, r)
	if err != nil {
		h.refuseImport(w, r, p, nil, "", 0, nil, err)
		return
	}
	b, err := h.projectBook(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	imp, err := xlsx.ReadProjects(up.Data, b)
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.ProjectSheet, 0, nil, err)
		return
	}
	existing, err := h.Store.FindProjectsByCodes(r.Context(), imp.Codes())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	user := request.User(r)
	list := imp.Apply(existing, func(unitID int64) bool { return auth.Can(user, auth.EditProject, unitID) })
	if len(imp.Errors) > 0 {
		h.refuseImport(w, r, p, up, xlsx.ProjectSheet, imp.HeaderRow, imp.Errors, nil)
		return
	}
	if len(list) == 0 {
		h.redirect(w, r, p.Back, "文件中没有填写任何项目，未做修改。")
		return
	}
	created, updated, err := h.Store.ImportProjects(r.Context(), request.Actor(r), list)
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.ProjectSheet, 0, nil, err)
		return
	}
	h.redirect(w, r, p.Back, fmt.Sprintf("已导入：新增 %d 个，更新 %d 个", created, updated))
}

func (h *Handler) projectsImportErrors(w http.ResponseWriter, r *http.Request) {
	h.sendStashed(w, r, projectsImportURL)
}
