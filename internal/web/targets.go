package web

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// campaignUnits are the units the city sets targets for: its active city, county and
// park units in sort order, the city first.
func (h *Handler) campaignUnits(r *http.Request) ([]*domain.Unit, error) {
	active := true
	var units []*domain.Unit
	for _, k := range []domain.UnitKind{domain.UnitCity, domain.UnitCounty, domain.UnitPark} {
		list, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Kind: k, Active: &active, Limit: 500})
		if err != nil {
			return nil, err
		}
		units = append(units, list...)
	}
	slices.SortStableFunc(units, func(a, b *domain.Unit) int {
		aCity, bCity := a.Kind == domain.UnitCity, b.Kind == domain.UnitCity
		if aCity != bCity {
			if aCity {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.SortOrder, b.SortOrder), cmp.Compare(a.Code, b.Code))
	})
	return units, nil
}

// targetYearParam reads ?year=, defaulting to the current year in China. A bad value shows the
// current year with a note rather than an error page: it comes from a link or bookmark.
func (h *Handler) targetYearParam(r *http.Request) (year int, note string) {
	now := h.Store.Now().In(chinaTime).Year()
	s := strings.TrimSpace(r.URL.Query().Get("year"))
	if s == "" {
		return now, ""
	}
	y, err := strconv.Atoi(s)
	if err != nil || !domain.ValidYear(y) {
		if r := []rune(s); len(r) > 16 {
			s = string(r[:16]) + "…"
		}
		return now, fmt.Sprintf("年份“%s”无效（应为2000至2100之间的整数），已显示%d年。", s, now)
	}
	return y, ""
}

func targetText(d *domain.Dec) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// targetsStamp fingerprints a year's targets as a page showed them, so that a grid saved
// over someone else's newer changes is refused instead of silently overwriting them.
func targetsStamp(targets map[store.TargetKey]*domain.Target) string {
	lines := make([]string, 0, len(targets))
	for k, t := range targets {
		lines = append(lines, fmt.Sprintf("%d:%d:%s:%s", k.UnitID, k.IndicatorID, t.Base, targetText(t.Stretch)))
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:12])
}

func targetCellKey(unitID, indicatorID int64) string {
	return strconv.FormatInt(unitID, 10) + "_" + strconv.FormatInt(indicatorID, 10)
}

// gridCell is one unit × indicator cell: what it shows (typed or saved) and its problems.
type gridCell struct {
	Key                 string // "<unitID>_<indicatorID>", the suffix of its inputs' names
	Label               string // "甲区 新增规上工业企业", for screen readers and messages
	Base, Stretch       string
	BaseBad, StretchBad string
}

type gridRow struct {
	Unit       *domain.Unit
	City, Park bool
	Issued     bool
	Cells      []gridCell
}

// gridCheck is the decomposition check under one indicator's column.
type gridCheck struct {
	Checked  bool
	Sum      string
	Short    bool
	Missing  int
	Message  string
	Headline string // indicator name, for the warnings above the grid
}

type targetsData struct {
	Year, Prev, Next int
	Indicators       []*domain.Indicator
	Rows             []gridRow
	Checks           []gridCheck
	Warnings         []gridCheck
	HasCity          bool
	CanManage        bool
	AnyIssued        bool
	Stamp            string
	Reason           string
	ReasonProblem    string
	Problems         []string // every bad cell, in grid order
	Conflict         bool
}

// targetGrid is what the grid page and its export are built from.
type targetGrid struct {
	year       int
	units      []*domain.Unit
	indicators []*domain.Indicator
	targets    map[store.TargetKey]*domain.Target
	issued     map[int64]bool
}

func (h *Handler) loadTargetGrid(r *http.Request, year int) (*targetGrid, error) {
	g := &targetGrid{year: year, issued: map[int64]bool{}}
	var err error
	if g.units, err = h.campaignUnits(r); err != nil {
		return nil, err
	}
	if g.indicators, err = h.Store.FindIndicators(r.Context(), true); err != nil {
		return nil, err
	}
	if g.targets, err = h.Store.FindTargets(r.Context(), year, 0); err != nil {
		return nil, err
	}
	letters, err := h.Store.FindLettersByYear(r.Context(), year)
	if err != nil {
		return nil, err
	}
	for _, l := range letters {
		g.issued[l.UnitID] = true
	}
	return g, nil
}

// checks runs the decomposition check over the saved targets, one per indicator column.
func (g *targetGrid) checks() []gridCheck {
	var list []domain.Target
	for _, t := range g.targets {
		list = append(list, *t)
	}
	byIndicator := map[int64]domain.Decomposition{}
	for _, d := range domain.CheckDecomposition(g.indicators, g.units, list) {
		byIndicator[d.IndicatorID] = d
	}
	out := make([]gridCheck, len(g.indicators))
	for i, ind := range g.indicators {
		d, ok := byIndicator[ind.ID]
		if !ok {
			continue
		}
		c := gridCheck{Checked: true, Sum: d.Sum.String(), Short: d.Short, Missing: d.Missing, Headline: ind.Name}
		if d.Short {
			c.Message = fmt.Sprintf("分解合计 %s，低于全市目标 %s", d.Sum, d.City)
		} else {
			c.Message = fmt.Sprintf("全市目标 %s", d.City)
		}
		out[i] = c
	}
	return out
}

// view builds the page data; typed holds a refused submission's input by field name.
func (g *targetGrid) view(canManage bool, typed map[string]string, bad map[string]string) targetsData {
	d := targetsData{Year: g.year, Prev: g.year - 1, Next: g.year + 1, Indicators: g.indicators, CanManage: canManage,
		Stamp: targetsStamp(g.targets), Checks: g.checks()}
	for _, c := range d.Checks {
		if c.Short {
			d.Warnings = append(d.Warnings, c)
		}
	}
	for _, u := range g.units {
		if u.Kind == domain.UnitCity {
			d.HasCity = true
		}
		row := gridRow{Unit: u, City: u.Kind == domain.UnitCity, Park: u.Kind == domain.UnitPark, Issued: g.issued[u.ID]}
		d.AnyIssued = d.AnyIssued || row.Issued
		for _, ind := range g.indicators {
			c := gridCell{Key: targetCellKey(u.ID, ind.ID), Label: u.Name + " " + ind.Name}
			if t := g.targets[store.TargetKey{UnitID: u.ID, IndicatorID: ind.ID}]; t != nil {
				c.Base, c.Stretch = t.Base.String(), targetText(t.Stretch)
			}
			if v, ok := typed["base_"+c.Key]; ok {
				c.Base = v
			}
			if v, ok := typed["stretch_"+c.Key]; ok {
				c.Stretch = v
			}
			c.BaseBad, c.StretchBad = bad["base_"+c.Key], bad["stretch_"+c.Key]
			for _, msg := range []string{c.BaseBad, c.StretchBad} {
				if msg != "" {
					d.Problems = append(d.Problems, msg)
				}
			}
			row.Cells = append(row.Cells, c)
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

func (h *Handler) targets(w http.ResponseWriter, r *http.Request) {
	year, note := h.targetYearParam(r)
	g, err := h.loadTargetGrid(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	v := view{Title: fmt.Sprintf("%d年度目标", year), Nav: "targets",
		Data: g.view(auth.CanAtAll(request.User(r), auth.ManageCampaign), nil, nil)}
	if note != "" {
		v.Flash = &flash{Kind: "warn", Message: note}
	}
	h.render(w, r, 0, "targets", v)
}

// saveTargets reads the whole grid and saves it in one transaction: a bad cell anywhere
// saves nothing, names the cell, and gives the page back with everything as typed.
func (h *Handler) saveTargets(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if err != nil || !domain.ValidYear(year) {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "年份无效，请从目标页面重新提交。"))
		return
	}
	g, err := h.loadTargetGrid(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	typed := map[string]string{}
	bad := map[string]string{}
	var changes []store.TargetChange
	for _, u := range g.units {
		for _, ind := range g.indicators {
			key := targetCellKey(u.ID, ind.ID)
			bName, sName := "base_"+key, "stretch_"+key
			_, hasBase := r.PostForm[bName]
			_, hasStretch := r.PostForm[sName]
			if !hasBase && !hasStretch {
				continue // not on the page the user saw (a unit or indicator added since)
			}
			bRaw, sRaw := r.PostFormValue(bName), r.PostFormValue(sName)
			typed[bName], typed[sName] = bRaw, sRaw
			label := u.Name + " · " + ind.Name
			c := store.TargetChange{UnitID: u.ID, IndicatorID: ind.ID}
			if strings.TrimSpace(bRaw) != "" {
				v, err := domain.ParseDec(bRaw)
				if err != nil {
					bad[bName] = label + " 基础目标：" + domain.ErrorMessage(err)
				} else {
					c.Base = &v
				}
			}
			if strings.TrimSpace(sRaw) != "" {
				v, err := domain.ParseDec(sRaw)
				switch {
				case err != nil:
					bad[sName] = label + " 奋斗目标：" + domain.ErrorMessage(err)
				case strings.TrimSpace(bRaw) == "":
					bad[sName] = label + " 奋斗目标：请先填写基础目标。"
				case c.Base != nil && v < *c.Base:
					bad[sName] = label + " 奋斗目标不能低于基础目标。"
				default:
					c.Stretch = &v
				}
			}
			changes = append(changes, c)
		}
	}
	reason := r.PostFormValue("reason")
	canManage := true // the route is ManageCampaign
	rerender := func(status int, d targetsData, msg string) {
		d.Reason = reason
		v := view{Title: fmt.Sprintf("%d年度目标", year), Nav: "targets", Data: d}
		if msg != "" {
			v.Flash = &flash{Kind: "error", Message: msg}
		}
		h.render(w, r, status, "targets", v)
	}
	if stamp := r.PostFormValue("stamp"); stamp != "" && stamp != targetsStamp(g.targets) {
		d := g.view(canManage, typed, bad)
		d.Conflict, d.Stamp = true, stamp
		rerender(http.StatusConflict, d, "")
		return
	}
	if len(bad) > 0 {
		rerender(http.StatusUnprocessableEntity, g.view(canManage, typed, bad),
			fmt.Sprintf("有%d处目标填写有误，全部未保存，请按提示修改。", len(bad)))
		return
	}
	n, err := h.Store.SaveTargets(r.Context(), request.Actor(r), year, changes, reason)
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			h.Error(w, r, err)
			return
		}
		d := g.view(canManage, typed, nil)
		d.ReasonProblem = domain.ErrorFields(err)["reason"]
		rerender(api.Status(domain.ErrorCode(err)), d, domain.ErrorMessage(err)+" 全部未保存。")
		return
	}
	msg := fmt.Sprintf("已保存%d年度目标，修改%d项。", year, n)
	if n == 0 {
		msg = "目标没有变化。"
	}
	h.redirect(w, r, fmt.Sprintf("/targets?year=%d", year), msg)
}

// exportTargets writes the grid as the page shows it: a row per unit, base and stretch
// per indicator, and the counties' decomposition total under the table.
func (h *Handler) exportTargets(w http.ResponseWriter, r *http.Request) {
	year, _ := h.targetYearParam(r)
	g, err := h.loadTargetGrid(r, year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "目标", Title: fmt.Sprintf("%d年度工业倍增暨招商引资目标分解表", year),
		Headers: []string{"单位", "类型", "责任书"}, Widths: []float64{24, 12, 10}}
	for _, ind := range g.indicators {
		t.Headers = append(t.Headers, ind.Name+"（"+ind.Measure+"）基础目标", ind.Name+"（"+ind.Measure+"）奋斗目标")
		t.Widths = append(t.Widths, 16, 16)
	}
	for _, u := range g.units {
		row := []any{u.Name, u.Kind.Label(), "未下达"}
		if g.issued[u.ID] {
			row[2] = "已下达"
		}
		for _, ind := range g.indicators {
			tg := g.targets[store.TargetKey{UnitID: u.ID, IndicatorID: ind.ID}]
			if tg == nil {
				row = append(row, "", "")
				continue
			}
			row = append(row, targetNumber(tg.Base), "")
			if tg.Stretch != nil {
				row[len(row)-1] = targetNumber(*tg.Stretch)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	foot := []any{"县区分解合计", "", ""}
	for _, c := range g.checks() {
		switch {
		case !c.Checked:
			foot = append(foot, "", "")
		case c.Short:
			foot = append(foot, targetNumberText(c.Sum), "低于全市目标")
		default:
			foot = append(foot, targetNumberText(c.Sum), "")
		}
	}
	t.Rows = append(t.Rows, foot)
	writeXLSX(w, fmt.Sprintf("targets-%d.xlsx", year), t, h)
}

// targetNumber is a Dec as a spreadsheet number. Excel keeps numbers as doubles anyway; the
// value is written in its shortest exact decimal form.
func targetNumber(d domain.Dec) any {
	f, err := strconv.ParseFloat(d.String(), 64)
	if err != nil {
		return d.String()
	}
	return f
}

func targetNumberText(s string) any {
	d, err := domain.ParseDec(s)
	if err != nil || s == "" {
		return s
	}
	return targetNumber(d)
}
