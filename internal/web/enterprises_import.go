package web

import (
	"fmt"
	"io"
	"net/http"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// Enterprises by Excel: an empty template with drop-down lists, and an all-or-nothing
// import that upserts by credit code.

const enterprisesImportURL = "/enterprises/import"

func (h *Handler) enterpriseBook(r *http.Request) (xlsx.EnterpriseBook, error) {
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		return xlsx.EnterpriseBook{}, err
	}
	b := xlsx.EnterpriseBook{Units: units}
	user := request.User(r)
	for _, u := range units {
		switch u.Kind {
		case domain.UnitCity, domain.UnitCounty, domain.UnitPark:
			if u.Active && auth.Can(user, auth.EditEnterprise, u.ID) {
				b.Writable = append(b.Writable, u)
			}
		}
	}
	return b, nil
}

func (h *Handler) enterprisesTemplate(w http.ResponseWriter, r *http.Request) {
	b, err := h.enterpriseBook(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.sendTemplate(w, r, "enterprises-template.xlsx", func(w io.Writer) error {
		return xlsx.WriteEnterpriseTemplate(w, b)
	})
}

// importEnterprises reads the whole file, checks every cell, every unit against the
// policy and every credit code against the registry, and saves it in one transaction,
// or nothing with every problem listed.
func (h *Handler) importEnterprises(w http.ResponseWriter, r *http.Request) {
	p := importPage{What: "企业", Back: "/enterprises", BackLabel: "返回企业库", Template: "/enterprises/template.xlsx",
		Action: enterprisesImportURL}
	up, err := readUpload(w, r)
	if err != nil {
		h.refuseImport(w, r, p, nil, "", 0, nil, err)
		return
	}
	b, err := h.enterpriseBook(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	imp, err := xlsx.ReadEnterprises(up.Data, b)
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.EnterpriseSheet, 0, nil, err)
		return
	}
	existing, err := h.Store.FindEnterprisesByUSCC(r.Context(), imp.Codes())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	user := request.User(r)
	list := imp.Apply(existing, func(unitID int64) bool { return auth.Can(user, auth.EditEnterprise, unitID) })
	if len(imp.Errors) > 0 {
		h.refuseImport(w, r, p, up, xlsx.EnterpriseSheet, imp.HeaderRow, imp.Errors, nil)
		return
	}
	if len(list) == 0 {
		h.redirect(w, r, p.Back, "文件中没有填写任何企业，未做修改。")
		return
	}
	created, updated, err := h.Store.ImportEnterprises(r.Context(), request.Actor(r), list)
	if err != nil {
		h.refuseImport(w, r, p, up, xlsx.EnterpriseSheet, 0, nil, err)
		return
	}
	h.redirect(w, r, p.Back, fmt.Sprintf("已导入：新增 %d 家，更新 %d 家", created, updated))
}

func (h *Handler) enterprisesImportErrors(w http.ResponseWriter, r *http.Request) {
	h.sendStashed(w, r, enterprisesImportURL)
}
