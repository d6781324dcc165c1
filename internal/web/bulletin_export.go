package web

import (
	"net/http"
	"strconv"

	"beizeng/internal/xlsx"
)

// bulletinSheets lays the bulletin out as a workbook: one sheet per section, each under
// the bulletin's title, figures as numbers shown as on the page, statuses as fills.
func bulletinSheets(d bulletinDoc) []xlsx.DocSheet {
	b := d.B
	subtitle := d.Issue + " · " + strconv.Itoa(b.Year) + "年1–" + strconv.Itoa(b.Month) + "月 · " + b.ScopeLabel +
		" · 时序进度" + b.TimeProgress + "% · " + d.Date
	var sheets []xlsx.DocSheet
	for _, s := range b.Numbered() {
		sheet := xlsx.DocSheet{Sheet: s.Number + "、" + s.Title, Title: b.Title, Subtitle: subtitle,
			Heading: s.Number + "、" + s.Title, Text: s.Text}
		for _, t := range s.Tables {
			dt := xlsx.DocTable{Title: t.Title, Note: t.Note}
			for _, h := range t.Header() {
				dt.Header = append(dt.Header, xlsx.DocHeader{Label: h.Label, Span: h.Span, Grouped: h.Grouped})
			}
			for _, c := range t.Columns {
				dt.Columns = append(dt.Columns, xlsx.DocColumn{Label: c.Label, Number: c.Number})
			}
			for _, r := range t.Rows {
				row := xlsx.DocRow{Bold: r.Total}
				for _, c := range r.Cells {
					row.Cells = append(row.Cells, xlsx.DocCell{Text: c.Text, Fill: string(c.Colour)})
				}
				dt.Rows = append(dt.Rows, row)
			}
			if t.More > 0 {
				dt.Note += "另有" + strconv.Itoa(t.More) + "项未列出。"
			}
			sheet.Tables = append(sheet.Tables, dt)
		}
		sheets = append(sheets, sheet)
	}
	return sheets
}

func (h *Handler) writeBulletinXLSX(w http.ResponseWriter, filename string, d bulletinDoc) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	if err := xlsx.WriteDocument(w, bulletinSheets(d)); err != nil {
		h.Log.Error("write xlsx", "file", filename, "err", err)
	}
}

// exportBulletin writes the current bulletin.
func (h *Handler) exportBulletin(w http.ResponseWriter, r *http.Request) {
	b, ok := h.currentBulletin(w, r)
	if !ok {
		return
	}
	h.writeBulletinXLSX(w, "bulletin-"+strconv.Itoa(b.Year)+"-"+strconv.Itoa(b.Month)+"-"+b.Scope+".xlsx", h.currentDoc(b))
}

// exportPublished writes a published version as it was published.
func (h *Handler) exportPublished(w http.ResponseWriter, r *http.Request) {
	p, b, ok := h.published(w, r)
	if !ok {
		return
	}
	h.writeBulletinXLSX(w, "bulletin-"+strconv.Itoa(p.Year)+"-"+strconv.Itoa(p.Month)+"-"+p.Scope+"-v"+strconv.Itoa(p.Version)+".xlsx",
		publishedDoc(b, p))
}
