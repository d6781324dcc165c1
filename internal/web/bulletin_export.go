package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"strconv"

	"beizeng/internal/api"
	"beizeng/internal/domain"
	"beizeng/internal/pdf"
	"beizeng/internal/report"
	"beizeng/internal/xlsx"
)

// bulletinSheets lays the bulletin out as a workbook: one sheet per section, each under
// the bulletin's title, figures as numbers shown as on the page, statuses as fills.
func bulletinSheets(d bulletinDoc) []xlsx.DocSheet {
	b := d.B
	subtitle := d.Issue + " · " + strconv.Itoa(b.Year) + "年" + domain.MonthsToDate(b.Month) + " · " + b.ScopeLabel +
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
	h.writeBulletinXLSX(w, bulletinFileStem(b, nil)+".xlsx", h.currentDoc(b))
}

// exportPublished writes a published version as it was published.
func (h *Handler) exportPublished(w http.ResponseWriter, r *http.Request) {
	p, b, ok := h.published(w, r)
	if !ok {
		return
	}
	h.writeBulletinXLSX(w, bulletinFileStem(b, p)+".xlsx", publishedDoc(b, p))
}

// bulletinFileStem is the plain ASCII name a bulletin's files share: bulletin-2026-10-all,
// with -v2 for a published version.
func bulletinFileStem(b *report.Bulletin, p *domain.PublishedBulletin) string {
	stem := "bulletin-" + strconv.Itoa(b.Year) + "-" + strconv.Itoa(b.Month) + "-" + b.Scope
	if p != nil {
		stem += "-v" + strconv.Itoa(p.Version)
	}
	return stem
}

// CanPrintPDF reports whether this server can print documents to PDF.
func (h *Handler) CanPrintPDF() bool { return h.PDF.Available() }

// PrintBulletin prints the bulletin's A4 print view to PDF: the same document partial
// and the same stylesheet as /bulletin/print, rendered here and handed to the browser
// whole, so the PDF is what the print view prints. published is the version printed,
// nil for the bulletin computed now. The JSON API prints through it too.
func (h *Handler) PrintBulletin(ctx context.Context, b *report.Bulletin, published *domain.PublishedBulletin) (*api.PDFFile, error) {
	d, name := h.currentDoc(b), "调度通报-"+strconv.Itoa(b.Year)+"年"+strconv.Itoa(b.Month)+"月-"+b.ScopeLabel+"-未发布"
	if p := published; p != nil {
		// 第N期 counts per year and scope, so the scope is part of the name; corrections
		// carry their version.
		d, name = publishedDoc(b, p), "调度通报-"+strconv.Itoa(p.Year)+"年第"+strconv.Itoa(p.Issue)+"期-"+domain.ScopeLabel(p.Scope)
		if p.Version > 1 {
			name += "-第" + strconv.Itoa(p.Version) + "版"
		}
	}
	f := &api.PDFFile{Name: name + ".pdf", ASCIIName: bulletinFileStem(b, published) + ".pdf"}
	var html bytes.Buffer
	err := h.documents["bulletin"].ExecuteTemplate(&html, "document", struct {
		Title string
		CSS   template.CSS // our own embedded stylesheet, inlined: the browser fetches nothing
		Doc   bulletinDoc
	}{b.Title + " " + d.Issue, template.CSS(h.assets["app.css"].body), d})
	if err == nil {
		f.Body, err = h.PDF.Print(ctx, html.String())
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// pdfUnavailable answers 503 before any work when this server cannot print.
func (h *Handler) pdfUnavailable(w http.ResponseWriter, r *http.Request) bool {
	if h.CanPrintPDF() {
		return false
	}
	h.Error(w, r, pdf.ErrNoBrowser)
	return true
}

// bulletinPDF prints the current bulletin of ?year=&month=&scope=, as /bulletin shows it.
func (h *Handler) bulletinPDF(w http.ResponseWriter, r *http.Request) {
	if h.pdfUnavailable(w, r) {
		return
	}
	b, ok := h.currentBulletin(w, r)
	if !ok {
		return
	}
	h.writePDF(w, r, b, nil)
}

// publishedPDF prints a published version as it was published.
func (h *Handler) publishedPDF(w http.ResponseWriter, r *http.Request) {
	if h.pdfUnavailable(w, r) {
		return
	}
	p, b, ok := h.published(w, r)
	if !ok {
		return
	}
	h.writePDF(w, r, b, p)
}

func (h *Handler) writePDF(w http.ResponseWriter, r *http.Request, b *report.Bulletin, p *domain.PublishedBulletin) {
	f, err := h.PrintBulletin(r.Context(), b, p)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	api.WritePDF(w, f)
}
