package api

import (
	"encoding/json"
	"net/http"
	"strconv"

	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// bulletinQuery reads ?year=&month=&scope= (the newest reported month and all units by
// default; scope all, county or park).
func (h *Handler) bulletinQuery(r *http.Request) (year, month int, scope string, err error) {
	q, err := parseQuery(r, "year", "month", "scope")
	if err != nil {
		return 0, 0, "", err
	}
	if year, month, err = h.periodOrLatest(r.Context(), q); err != nil {
		return 0, 0, "", err
	}
	if scope, err = q.scope(); err != nil {
		return 0, 0, "", err
	}
	return year, month, scope, nil
}

func (h *Handler) computeBulletin(r *http.Request, year, month int, scope string) (*report.Bulletin, error) {
	data, err := h.store.BulletinData(r.Context(), year, month, chinaTime)
	if err != nil {
		return nil, err
	}
	return report.Assemble(data, scope), nil
}

// bulletin answers the period's bulletin computed from the records as they are now:
// every section, figures as text rounded as printed, each with the link to its records.
func (h *Handler) bulletin(w http.ResponseWriter, r *http.Request) {
	year, month, scope, err := h.bulletinQuery(r)
	var b *report.Bulletin
	if err == nil {
		b, err = h.computeBulletin(r, year, month, scope)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	content, err := report.Snapshot(b)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		ContentHash string `json:"content_hash"`
		*report.Bulletin
	}{store.ContentHash(content), b})
}

// listBulletins answers the published versions, newest first; ?year= narrows.
func (h *Handler) listBulletins(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year := 0
	if s := q.str("year"); s != "" {
		if year, err = strconv.Atoi(s); err != nil || !domain.ValidYear(year) {
			h.fail(w, r, badRequest("year 应为2000至2100之间的整数，收到 %q。", s))
			return
		}
	}
	list, err := h.store.FindBulletins(r.Context(), year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if list == nil {
		list = []*domain.PublishedBulletin{}
	}
	writeJSON(w, http.StatusOK, struct {
		Items []*domain.PublishedBulletin `json:"items"`
	}{list})
}

// publishedJSON is a published version with its snapshot as published.
type publishedJSON struct {
	*domain.PublishedBulletin
	Bulletin json.RawMessage `json:"bulletin"`
}

func (h *Handler) getBulletin(w http.ResponseWriter, r *http.Request) {
	p, err := byPathID(r, h.store.FindBulletinByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, publishedJSON{p, p.Content})
}

// bulletinDiff answers what has changed since the version was published, cell by cell.
func (h *Handler) bulletinDiff(w http.ResponseWriter, r *http.Request) {
	p, err := byPathID(r, h.store.FindBulletinByID)
	var old, fresh *report.Bulletin
	if err == nil {
		old, err = report.ParseSnapshot(p.Content)
	}
	if err == nil {
		fresh, err = h.computeBulletin(r, p.Year, p.Month, p.Scope)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	changes := report.Diff(old, fresh)
	if changes == nil {
		changes = []report.Change{}
	}
	writeJSON(w, http.StatusOK, struct {
		ID      int64           `json:"id"`
		Version int             `json:"version"`
		Changes []report.Change `json:"changes"`
	}{p.ID, p.Version, changes})
}

// publishIn publishes a period's bulletin as computed now. After is the latest version
// the caller knows (0 for none); content_hash, when given, must be the hash GET
// /bulletin answered, so that figures that changed since are not published unseen.
type publishIn struct {
	Year        int    `json:"year"`
	Month       int    `json:"month"`
	Scope       string `json:"scope"`
	After       int    `json:"after"`
	Note        string `json:"note"`
	ContentHash string `json:"content_hash"`
}

func (h *Handler) publishBulletin(w http.ResponseWriter, r *http.Request) {
	var in publishIn
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.Scope == "" {
		in.Scope = "all"
	}
	pub := domain.BulletinPublication{Year: in.Year, Month: in.Month, Scope: in.Scope, Note: in.Note, After: in.After}
	if err := pub.Validate(in.After + 1); err != nil {
		h.fail(w, r, err)
		return
	}
	b, err := h.computeBulletin(r, in.Year, in.Month, in.Scope)
	if err == nil {
		pub.Content, err = report.Snapshot(b)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if in.ContentHash != "" && in.ContentHash != store.ContentHash(pub.Content) {
		h.fail(w, r, domain.Errorf(domain.ECONFLICT, "通报数据在 content_hash 所对应的版本之后已有变化，未发布；请重新获取后再发布。"))
		return
	}
	p, err := h.store.PublishBulletin(r.Context(), request.Actor(r), pub)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/bulletins/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, publishedJSON{p, p.Content})
}
