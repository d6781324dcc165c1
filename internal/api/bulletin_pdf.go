package api

import (
	"context"
	"net/http"
	"strconv"

	"beizeng/internal/domain"
	"beizeng/internal/pdf"
	"beizeng/internal/report"
)

// PDFFile is a printed document with the names it is saved under: the exact (Chinese)
// one, and a plain ASCII one for clients that do not read RFC 5987.
type PDFFile struct {
	Body            []byte
	Name, ASCIIName string
}

// BulletinPrinter prints a bulletin exactly as the web's A4 print view shows it (the
// web package implements it: the view's template and stylesheet live there). published
// is the version printed, nil for the bulletin computed now.
type BulletinPrinter interface {
	CanPrintPDF() bool
	PrintBulletin(ctx context.Context, b *report.Bulletin, published *domain.PublishedBulletin) (*PDFFile, error)
}

// WritePDF sends a printed file as a download.
func WritePDF(w http.ResponseWriter, f *PDFFile) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", ContentDispositionAs("attachment", f.Name, f.ASCIIName))
	h.Set("Content-Length", strconv.Itoa(len(f.Body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(f.Body)
}

// pdfUnavailable answers 503 before any work when this server cannot print.
func (h *Handler) pdfUnavailable(w http.ResponseWriter, r *http.Request) bool {
	if h.printer != nil && h.printer.CanPrintPDF() {
		return false
	}
	h.fail(w, r, pdf.ErrNoBrowser)
	return true
}

// bulletinPDF answers the bulletin of ?year=&month=&scope= computed now, as the web's
// 下载 PDF prints it.
func (h *Handler) bulletinPDF(w http.ResponseWriter, r *http.Request) {
	if h.pdfUnavailable(w, r) {
		return
	}
	year, month, scope, err := h.bulletinQuery(r)
	var b *report.Bulletin
	if err == nil {
		b, err = h.computeBulletin(r, year, month, scope)
	}
	var f *PDFFile
	if err == nil {
		f, err = h.printer.PrintBulletin(r.Context(), b, nil)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WritePDF(w, f)
}

// publishedBulletinPDF answers a published version as it was published.
func (h *Handler) publishedBulletinPDF(w http.ResponseWriter, r *http.Request) {
	if h.pdfUnavailable(w, r) {
		return
	}
	p, err := byPathID(r, h.store.FindBulletinByID)
	var b *report.Bulletin
	if err == nil {
		b, err = report.ParseSnapshot(p.Content)
	}
	var f *PDFFile
	if err == nil {
		f, err = h.printer.PrintBulletin(r.Context(), b, p)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	WritePDF(w, f)
}
