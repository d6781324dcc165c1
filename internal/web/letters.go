package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// letterRow is one unit on the letters page.
type letterRow struct {
	Unit     *domain.Unit
	Targets  int            // targets set for the year
	Latest   *domain.Letter // nil before the first issue
	Versions int
	Changed  bool // the targets moved on since the latest letter: it wants issuing again
}

// NextVersion is the version issuing now would create.
func (r letterRow) NextVersion() int {
	if r.Latest == nil {
		return 1
	}
	return r.Latest.Version + 1
}

func (h *Handler) letters(w http.ResponseWriter, r *http.Request) {
	year, note := h.targetYearParam(r)
	var f *flash
	if note != "" {
		f = &flash{Kind: "warn", Message: note}
	}
	h.renderLetters(w, r, 0, year, f)
}

func (h *Handler) renderLetters(w http.ResponseWriter, r *http.Request, status, year int, f *flash) {
	units, err := h.campaignUnits(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	targets, err := h.Store.FindTargets(r.Context(), year, 0)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	letters, err := h.Store.FindLettersByYear(r.Context(), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	latest := map[int64]*domain.Letter{}
	versions := map[int64]int{}
	for _, l := range letters { // newest version first per unit
		if latest[l.UnitID] == nil {
			latest[l.UnitID] = l
		}
		versions[l.UnitID]++
	}
	current := map[int64]map[int64]string{} // unit → indicator → "base/stretch"
	for k, t := range targets {
		if current[k.UnitID] == nil {
			current[k.UnitID] = map[int64]string{}
		}
		current[k.UnitID][k.IndicatorID] = t.Base.String() + "/" + targetText(t.Stretch)
	}
	var rows []letterRow
	for _, u := range units {
		if u.Kind == domain.UnitCity {
			continue // the city issues the letters
		}
		row := letterRow{Unit: u, Targets: len(current[u.ID]), Latest: latest[u.ID], Versions: versions[u.ID]}
		if row.Latest != nil {
			row.Changed = letterDiffers(row.Latest, current[u.ID])
		}
		rows = append(rows, row)
	}
	h.render(w, r, status, "letters", view{Title: fmt.Sprintf("%d年度目标责任书", year), Nav: "targets", Flash: f,
		Data: struct {
			Year, Prev, Next int
			Rows             []letterRow
			CanManage        bool
		}{year, year - 1, year + 1, rows, auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

// letterDiffers reports whether a unit's current targets differ from those its letter froze.
func letterDiffers(l *domain.Letter, current map[int64]string) bool {
	if len(l.Targets) != len(current) {
		return true
	}
	for _, t := range l.Targets {
		if current[t.IndicatorID] != t.Base+"/"+t.Stretch {
			return true
		}
	}
	return false
}

// issueLetter freezes a unit's current targets as a new letter version.
func (h *Handler) issueLetter(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if err != nil || !domain.ValidYear(year) {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "年份无效，请从目标责任书页面重新提交。"))
		return
	}
	unitID, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("unit_id")), 10, 64)
	if err != nil || unitID <= 0 {
		h.renderLetters(w, r, http.StatusUnprocessableEntity, year, &flash{Kind: "error", Message: "请选择要下达责任书的单位。"})
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if len([]rune(note)) > 200 {
		h.renderLetters(w, r, http.StatusUnprocessableEntity, year, &flash{Kind: "error", Message: "下达说明不超过200个字。"})
		return
	}
	l, err := h.Store.IssueLetter(r.Context(), request.Actor(r), year, unitID, note)
	if err != nil {
		switch domain.ErrorCode(err) {
		case domain.EINVALID, domain.ENOTFOUND:
			h.renderLetters(w, r, http.StatusUnprocessableEntity, year, &flash{Kind: "error", Message: domain.ErrorMessage(err)})
		default:
			h.Error(w, r, err)
		}
		return
	}
	h.redirect(w, r, "/letters/"+strconv.FormatInt(l.ID, 10), fmt.Sprintf("已下达%d年度目标责任书（第%d版）。", year, l.Version))
}

// letterLine is one row of a letter's table.
type letterLine struct {
	No                           int
	Name, Measure, Base, Stretch string
}

func letterLines(l *domain.Letter) []letterLine {
	lines := make([]letterLine, 0, len(l.Targets))
	for i, t := range l.Targets {
		line := letterLine{No: i + 1, Name: t.Name, Measure: t.Measure, Base: t.Base, Stretch: t.Stretch}
		if line.Stretch == "" {
			line.Stretch = "—"
		}
		lines = append(lines, line)
	}
	return lines
}

// revisionRow is a change made to the unit's targets after a letter was issued.
type revisionRow struct {
	*domain.TargetRevision
	Indicator string
	Old, New  string
	AfterThis bool // made after the letter on the page was issued
}

func targetPair(base, stretch string) string {
	switch {
	case base == "":
		return "（未设）"
	case stretch == "":
		return base
	}
	return base + " / " + stretch
}

// chinaDate writes a day as Chinese documents do: 2026年3月1日.
// issuerName is who issues the letters: the city.
func (h *Handler) issuerName(r *http.Request) (string, error) {
	active := true
	cities, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Kind: domain.UnitCity, Active: &active, Limit: 1})
	if err != nil {
		return "", err
	}
	if len(cities) == 0 {
		return "", nil
	}
	return cities[0].Name, nil
}

type letterPage struct {
	Title         string
	Letter        *domain.Letter
	Unit          *domain.Unit
	Issuer        string
	IssuedDate    string
	Lines         []letterLine
	Versions      []*domain.Letter
	Latest        *domain.Letter
	Revisions     []revisionRow
	CanManage     bool
	IsLatest      bool
	LatestVersion int
}

func (h *Handler) loadLetter(r *http.Request) (*domain.Letter, *domain.Unit, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, err
	}
	l, err := h.Store.FindLetterByID(r.Context(), id)
	if err != nil {
		return nil, nil, err
	}
	u, err := h.Store.FindUnitByID(r.Context(), l.UnitID)
	if err != nil {
		return nil, nil, err
	}
	return l, u, nil
}

func (h *Handler) letter(w http.ResponseWriter, r *http.Request) {
	l, u, err := h.loadLetter(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	ctx := r.Context()
	versions, err := h.Store.FindLetters(ctx, l.Year, l.UnitID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	revs, err := h.Store.FindTargetRevisions(ctx, l.Year, l.UnitID)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	indicators, err := h.Store.FindIndicators(ctx, false)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	issuer, err := h.issuerName(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names := map[int64]string{}
	for _, i := range indicators {
		names[i.ID] = i.Name
	}
	d := letterPage{Title: letterTitle(l.Year), Letter: l, Unit: u, Issuer: issuer, IssuedDate: docDate(l.IssuedAt), Lines: letterLines(l),
		Versions: versions, CanManage: auth.CanAtAll(request.User(r), auth.ManageCampaign)}
	if len(versions) > 0 {
		d.Latest = versions[0]
		d.IsLatest, d.LatestVersion = versions[0].ID == l.ID, versions[0].Version
	}
	for _, rev := range revs {
		d.Revisions = append(d.Revisions, revisionRow{TargetRevision: rev, Indicator: names[rev.IndicatorID],
			Old: targetPair(rev.OldBase, rev.OldStretch), New: targetPair(rev.NewBase, rev.NewStretch),
			AfterThis: !rev.At.Before(l.IssuedAt)})
	}
	h.render(w, r, 0, "letter", view{Title: fmt.Sprintf("%s %d年度目标责任书", u.Name, l.Year), Nav: "targets", Data: d})
}

// letterTitle is the letter's heading, shared by the print view and the workbook.
func letterTitle(year int) string {
	return fmt.Sprintf("%d年度工业倍增暨招商引资目标责任书", year)
}

// exportLetter writes the letter as a workbook: the title, the table, then who and when.
func (h *Handler) exportLetter(w http.ResponseWriter, r *http.Request) {
	l, u, err := h.loadLetter(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "目标责任书", Title: letterTitle(l.Year),
		Headers: []string{"序号", "指标", "单位", "基础目标", "奋斗目标"}, Widths: []float64{8, 30, 10, 16, 16}}
	for _, line := range letterLines(l) {
		stretch := any("")
		if line.Stretch != "—" {
			stretch = targetNumberText(line.Stretch)
		}
		t.Rows = append(t.Rows, []any{line.No, line.Name, line.Measure, targetNumberText(line.Base), stretch})
	}
	t.Rows = append(t.Rows, []any{},
		[]any{"责任单位", u.Name},
		[]any{"版本", fmt.Sprintf("第%d版", l.Version)},
		[]any{"下达日期", docDate(l.IssuedAt)},
		[]any{"下达人", l.IssuedBy})
	if l.Note != "" {
		t.Rows = append(t.Rows, []any{"说明", l.Note})
	}
	writeXLSX(w, fmt.Sprintf("letter-%d-%s-v%d.xlsx", l.Year, safeFileName(u.Code), l.Version), t, h)
}

// safeFileName keeps a unit code usable in a Content-Disposition header.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
