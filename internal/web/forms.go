package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// pathID reads the {id} path value; anything but a positive integer is not found.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "页面不存在或已被移除。")
	}
	return id, nil
}

// byPathID reads {id} and loads its record with find; on failure it has already answered
// with the error page and ok is false.
func byPathID[T any](h *Handler, w http.ResponseWriter, r *http.Request, find func(context.Context, int64) (T, error)) (rec T, ok bool) {
	id, err := pathID(r)
	if err == nil {
		rec, err = find(r.Context(), id)
	}
	if err != nil {
		h.Error(w, r, err)
		return rec, false
	}
	return rec, true
}

// editableByPathID loads the record named by {id} and refuses it (403) unless the user
// may act on its unit; the edit form and its save share this gate. On failure it has
// already answered and ok is false.
func editableByPathID[T any](h *Handler, w http.ResponseWriter, r *http.Request, action auth.Action, find func(context.Context, int64) (T, error), unitOf func(T) int64) (rec T, ok bool) {
	rec, ok = byPathID(h, w, r, find)
	if ok && !auth.Can(request.User(r), action, unitOf(rec)) {
		h.Error(w, r, domain.ErrForbidden)
		return rec, false
	}
	return rec, ok
}

// postedUnitForm parses the posted form of a unit-owned record and reads it with read.
// A record placed in a unit the user may not act on is refused (403) before any
// validation, so that a form cannot be used to probe another unit; an empty unit is
// left to the record's own validation. On failure it has already answered.
func postedUnitForm[F, R any](h *Handler, w http.ResponseWriter, r *http.Request, action auth.Action, read func(*http.Request) (F, R, domain.Problems), unitOf func(R) int64) (f F, rec R, probs domain.Problems, ok bool) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return f, rec, nil, false
	}
	f, rec, probs = read(r)
	if u := unitOf(rec); u != 0 && !auth.Can(request.User(r), action, u) {
		h.Error(w, r, domain.ErrForbidden)
		return f, rec, probs, false
	}
	return f, rec, probs, true
}

// pathIDAndForm reads {id} and the posted form; on failure it has already answered.
func (h *Handler) pathIDAndForm(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := pathID(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return 0, false
	}
	return id, true
}

// finishWrite ends a write action in its one shape: success redirects (303) to `to` with
// okMsg; a record that is gone gets the error page; any other refusal shows the form
// again, with what was typed and the problems, under the error's status.
func (h *Handler) finishWrite(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, err error), to, okMsg string) {
	switch {
	case err == nil:
		h.redirect(w, r, to, okMsg)
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		h.Error(w, r, err)
	default:
		rerender(api.Status(domain.ErrorCode(err)), err)
	}
}

// refusalFlash is the error shown above a re-rendered form when the refusal is neither
// a conflict (the form shows its own notice) nor about fields (shown beside them).
func refusalFlash(err error) *flash {
	if err == nil || domain.ErrorCode(err) == domain.ECONFLICT || domain.ErrorFields(err) != nil {
		return nil
	}
	return &flash{Kind: "error", Message: domain.ErrorMessage(err)}
}

// parseForm reads a posted form of bounded size.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "表单无法解析或过大。")
	}
	return nil
}

// formInt reads an optional integer field, recording a problem when it is not one.
func formInt(r *http.Request, field, label string, p domain.Problems) int64 {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		p.Add(field, label+"应为整数。")
	}
	return n
}

// page is a list's position, read from ?page= and shown by the pager partial.
type page struct {
	Number, Size, Total int
	Query               url.Values // the filter, kept in the pager's links
	// CountCap, when set, is where counting stopped: a Total above it reads "more than".
	CountCap int
}

// Capped reports whether Total is only a lower bound.
func (p page) Capped() bool { return p.CountCap > 0 && p.Total > p.CountCap }

// readPage reads ?page=; a bad or negative value is page 1.
func readPage(r *http.Request, size int) page {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "page" && len(v) > 0 && v[0] != "" {
			q.Set(k, v[0])
		}
	}
	return page{Number: n, Size: size, Query: q}
}

func (p page) Offset() int { return (p.Number - 1) * p.Size }

// Pages is the page count, at least 1.
func (p page) Pages() int {
	if p.Total <= 0 {
		return 1
	}
	return (p.Total + p.Size - 1) / p.Size
}

func (p page) link(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(n))
	return "?" + q.Encode()
}

func (p page) Prev() string {
	if p.Number <= 1 {
		return ""
	}
	return p.link(p.Number - 1)
}

func (p page) Next() string {
	if p.Number >= p.Pages() {
		return ""
	}
	return p.link(p.Number + 1)
}

// Export is the XLSX link carrying the same filter.
func (p page) Export(base string) string {
	if len(p.Query) == 0 {
		return base
	}
	return base + "?" + p.Query.Encode()
}
