package web

import (
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// bulletinScope reads ?scope=: empty or "all", "county", "park".
func bulletinScope(v string) (string, error) {
	switch v {
	case "", "all":
		return "all", nil
	case string(domain.UnitCounty), string(domain.UnitPark):
		return v, nil
	}
	return "", domain.Errorf(domain.EINVALID, "范围无效：应为全部、县（市、区）或园区。")
}

// computeBulletin assembles a period's bulletin from the records as they are now.
func (h *Handler) computeBulletin(r *http.Request, year, month int, scope string) (*report.Bulletin, error) {
	data, err := h.Store.BulletinData(r.Context(), year, month, chinaTime)
	if err != nil {
		return nil, err
	}
	return report.Assemble(data, scope), nil
}

// currentBulletin reads ?year=&month=&scope= and computes that bulletin; on failure it
// has already answered with the error page.
func (h *Handler) currentBulletin(w http.ResponseWriter, r *http.Request) (*report.Bulletin, bool) {
	year, month, err := h.period(r)
	var scope string
	if err == nil {
		scope, err = bulletinScope(r.URL.Query().Get("scope"))
	}
	var b *report.Bulletin
	if err == nil {
		b, err = h.computeBulletin(r, year, month, scope)
	}
	if err != nil {
		h.Error(w, r, err)
		return nil, false
	}
	return b, true
}

// bulletinDoc is what the document partial shows: the bulletin, its issue line and date.
type bulletinDoc struct {
	B     *report.Bulletin
	Issue string // "2026年第3期", or a draft's note
	Date  string
}

func docDate(t time.Time) string { return t.In(chinaTime).Format("2006年1月2日") }

func (h *Handler) currentDoc(b *report.Bulletin) bulletinDoc {
	return bulletinDoc{B: b, Issue: "未发布（按当前数据生成）", Date: docDate(h.Store.Now())}
}

func publishedDoc(b *report.Bulletin, p *domain.PublishedBulletin) bulletinDoc {
	issue := strconv.Itoa(p.Year) + "年第" + strconv.Itoa(p.Issue) + "期"
	if p.Version > 1 {
		issue += "（第" + strconv.Itoa(p.Version) + "版，更正）"
	}
	return bulletinDoc{B: b, Issue: issue, Date: docDate(p.PublishedAt)}
}

// publishForm is what the publish form posts; After and Hash tie it to what was shown.
type publishForm struct {
	Note  string
	After int
	Hash  string
}

func (h *Handler) bulletin(w http.ResponseWriter, r *http.Request) {
	b, ok := h.currentBulletin(w, r)
	if !ok {
		return
	}
	h.renderBulletin(w, r, 0, b, publishForm{}, nil)
}

// renderBulletin shows the computed bulletin with the period's published versions and,
// for coordinators, the publish form (with what was typed and its problems, if any).
func (h *Handler) renderBulletin(w http.ResponseWriter, r *http.Request, status int, b *report.Bulletin, form publishForm, err error) {
	ctx := r.Context()
	published, ferr := h.Store.FindBulletins(ctx, b.Year)
	var settings domain.BulletinSettings
	var cohorts []*domain.Cohort
	if ferr == nil {
		settings, ferr = h.Store.BulletinSettings(ctx)
	}
	if ferr == nil {
		cohorts, ferr = h.Store.FindCohorts(ctx)
	}
	content, cerr := report.Snapshot(b)
	if ferr == nil {
		ferr = cerr
	}
	if ferr != nil {
		h.Error(w, r, ferr)
		return
	}
	var versions []*domain.PublishedBulletin
	latest := 0
	for _, p := range published {
		if p.Month == b.Month && p.Scope == b.Scope {
			versions = append(versions, p)
			latest = max(latest, p.Version)
		}
	}
	// The form answers the versions and figures now shown, also after a refusal: a
	// conflict's second attempt is then a correction of what the page lists.
	form.After, form.Hash = latest, store.ContentHash(content)
	v := view{Title: "调度通报", Nav: "bulletin", Data: struct {
		Doc       bulletinDoc
		Query     template.URL // whole, so the template does not escape its = and &
		Scopes    any
		Months    []int
		Versions  []*domain.PublishedBulletin
		Form      publishForm
		Problems  domain.Problems
		Settings  domain.BulletinSettings
		Cohorts   []*domain.Cohort
		CanManage bool
		PDF       bool
	}{h.currentDoc(b), template.URL(bulletinQuery(b)), domain.Scopes, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, versions, form,
		domain.ErrorFields(err), settings, cohorts, auth.CanAtAll(request.User(r), auth.ManageCampaign), h.PDF.Available()}}
	if err != nil {
		v.Flash = &flash{Kind: "error", Message: domain.ErrorMessage(err)}
	}
	h.render(w, r, status, "bulletin", v)
}

func bulletinQuery(b *report.Bulletin) string {
	return "year=" + strconv.Itoa(b.Year) + "&month=" + strconv.Itoa(b.Month) + "&scope=" + b.Scope
}

// publishBulletin freezes the period's bulletin as computed now. The form carries the
// hash of the bulletin the coordinator read: if the figures changed since, nothing is
// published and the page shows the new figures.
func (h *Handler) publishBulletin(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	probs := domain.Problems{}
	year := int(formInt(r, "year", "年份", probs))
	month := int(formInt(r, "month", "月份", probs))
	after := int(formInt(r, "after", "版本号", probs))
	scope, serr := bulletinScope(r.PostFormValue("scope"))
	if serr != nil {
		probs.Add("scope", domain.ErrorMessage(serr))
	}
	if err := probs.Err(); err != nil || !domain.ValidPeriod(year, month) {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "发布请求无效：期间或范围有误。"))
		return
	}
	form := publishForm{Note: r.PostFormValue("note"), After: after}
	b, err := h.computeBulletin(r, year, month, scope)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	content, err := report.Snapshot(b)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if seen := r.PostFormValue("hash"); seen != store.ContentHash(content) {
		err = domain.Errorf(domain.ECONFLICT, "打开本页后通报数据已有变化，未发布。请核对下方最新数据后再发布。")
	} else {
		var p *domain.PublishedBulletin
		p, err = h.Store.PublishBulletin(r.Context(), request.Actor(r), domain.BulletinPublication{Year: year, Month: month,
			Scope: scope, Content: content, Note: form.Note, After: after})
		if err == nil {
			h.redirect(w, r, "/bulletins/"+strconv.FormatInt(p.ID, 10),
				"已发布"+strconv.Itoa(p.Year)+"年第"+strconv.Itoa(p.Issue)+"期调度通报（第"+strconv.Itoa(p.Version)+"版）。")
			return
		}
	}
	if domain.ErrorCode(err) == domain.EINTERNAL {
		h.Error(w, r, err)
		return
	}
	h.renderBulletin(w, r, api.Status(domain.ErrorCode(err)), b, form, err)
}

// saveBulletinSettings sets the cohort shown and how many lagging projects are listed.
func (h *Handler) saveBulletinSettings(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	back := "/bulletin?" + r.URL.RawQuery
	probs := domain.Problems{}
	s := domain.BulletinSettings{Title: r.PostFormValue("title"), CohortID: formInt(r, "cohort_id", "批次", probs),
		WarningCap: int(formInt(r, "warning_cap", "列出的预警项目数", probs))}
	err := probs.Err()
	if err == nil {
		err = h.Store.SetBulletinSettings(r.Context(), request.Actor(r), s)
	}
	if err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			h.Error(w, r, err)
			return
		}
		h.setFlash(w, "error", "设置未保存："+problemText(err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	h.redirect(w, r, back, "已保存通报设置。")
}

// problemText joins an error's field problems, in field order, or gives its message.
func problemText(err error) string {
	fields := domain.ErrorFields(err)
	if len(fields) == 0 {
		return domain.ErrorMessage(err)
	}
	parts := make([]string, 0, len(fields))
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		parts = append(parts, fields[k])
	}
	return strings.Join(parts, " ")
}

// bulletins lists the published versions, of one year when asked.
func (h *Handler) bulletins(w http.ResponseWriter, r *http.Request) {
	year := 0
	if v := strings.TrimSpace(r.URL.Query().Get("year")); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || !domain.ValidYear(y) {
			h.Error(w, r, domain.Errorf(domain.EINVALID, "年份应为2000至2100之间的整数。"))
			return
		}
		year = y
	}
	list, err := h.Store.FindBulletins(r.Context(), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "bulletins", view{Title: "已发布通报", Nav: "bulletin", Data: struct {
		Year       int
		Bulletins  []*domain.PublishedBulletin
		ScopeLabel func(string) string
	}{year, list, report.ScopeLabel}})
}

// published loads {id}'s snapshot; on failure it has already answered.
func (h *Handler) published(w http.ResponseWriter, r *http.Request) (*domain.PublishedBulletin, *report.Bulletin, bool) {
	p, ok := byPathID(h, w, r, h.Store.FindBulletinByID)
	if !ok {
		return nil, nil, false
	}
	b, err := report.ParseSnapshot(p.Content)
	if err != nil {
		h.Error(w, r, err)
		return nil, nil, false
	}
	return p, b, true
}

// publishedBulletin shows a frozen version and what has changed in the records since,
// cell by cell, with the other versions of its period.
func (h *Handler) publishedBulletin(w http.ResponseWriter, r *http.Request) {
	p, b, ok := h.published(w, r)
	if !ok {
		return
	}
	fresh, err := h.computeBulletin(r, p.Year, p.Month, p.Scope)
	var all []*domain.PublishedBulletin
	if err == nil {
		all, err = h.Store.FindBulletins(r.Context(), p.Year)
	}
	var meetings []*domain.Meeting
	if err == nil {
		meetings, err = h.Store.FindMeetingsOfBulletin(r.Context(), p.ID)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	var versions []*domain.PublishedBulletin
	for _, v := range all {
		if v.Month == p.Month && v.Scope == p.Scope {
			versions = append(versions, v)
		}
	}
	h.render(w, r, 0, "bulletin_published", view{Title: "调度通报 · " + publishedDoc(b, p).Issue, Nav: "bulletin", Data: struct {
		P         *domain.PublishedBulletin
		Doc       bulletinDoc
		Changes   []report.Change
		Versions  []*domain.PublishedBulletin
		Query     template.URL // whole, so the template does not escape its = and &
		CanManage bool
		Meetings  []*domain.Meeting
		PDF       bool
	}{p, publishedDoc(b, p), report.Diff(b, fresh), versions, template.URL(bulletinQuery(b)), auth.CanAtAll(request.User(r), auth.ManageCampaign), meetings,
		h.PDF.Available()}})
}

// printBulletin is the current bulletin alone on A4.
func (h *Handler) printBulletin(w http.ResponseWriter, r *http.Request) {
	b, ok := h.currentBulletin(w, r)
	if !ok {
		return
	}
	h.renderPrint(w, r, h.currentDoc(b), "/bulletin?"+bulletinQuery(b), "/bulletin.pdf?"+bulletinQuery(b))
}

// printPublished is a published version alone on A4.
func (h *Handler) printPublished(w http.ResponseWriter, r *http.Request) {
	p, b, ok := h.published(w, r)
	if !ok {
		return
	}
	id := strconv.FormatInt(p.ID, 10)
	h.renderPrint(w, r, publishedDoc(b, p), "/bulletins/"+id, "/bulletins/"+id+"/bulletin.pdf")
}

// renderPrint shows a bulletin alone on A4, with a way back and, when this server can
// print, its PDF.
func (h *Handler) renderPrint(w http.ResponseWriter, r *http.Request, d bulletinDoc, back, pdfURL string) {
	if !h.PDF.Available() {
		pdfURL = ""
	}
	h.render(w, r, 0, "bulletin_print", view{Title: d.B.Title, Nav: "bulletin", Data: struct {
		Doc  bulletinDoc
		Back string
		PDF  string
	}{d, back, pdfURL}})
}
