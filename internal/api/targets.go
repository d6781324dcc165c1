package api

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// targetJSON is one cell of a year's targets; stretch is null when none was set.
type targetJSON struct {
	Year        int         `json:"year"`
	UnitID      int64       `json:"unit_id"`
	IndicatorID int64       `json:"indicator_id"`
	Base        domain.Dec  `json:"base"`
	Stretch     *domain.Dec `json:"stretch"`
}

// requiredYear reads the required ?year=.
func (q query) requiredYear() (int, error) {
	s := q.str("year")
	if s == "" {
		return 0, badRequest("缺少查询参数 year（如 year=2026）。")
	}
	y, err := strconv.Atoi(s)
	if err != nil || !domain.ValidYear(y) {
		return 0, badRequest("查询参数 year 应为 2000 至 2100 之间的年份，收到 %q。", s)
	}
	return y, nil
}

// listTargets answers a year's targets, of every unit or one, in one page.
func (h *Handler) listTargets(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "unit_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, err := q.requiredYear()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unitID, err := q.id("unit_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	targets, err := h.store.FindTargets(r.Context(), year, unitID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[targetJSON]{Items: make([]targetJSON, 0, len(targets)), Total: len(targets), Limit: len(targets)}
	for _, t := range targets {
		out.Items = append(out.Items, targetJSON{Year: t.Year, UnitID: t.UnitID, IndicatorID: t.IndicatorID, Base: t.Base, Stretch: t.Stretch})
	}
	slices.SortFunc(out.Items, func(a, b targetJSON) int {
		return cmp.Or(cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.IndicatorID, b.IndicatorID))
	})
	writeJSON(w, http.StatusOK, out)
}

// targetCellIn is one cell of PUT /targets. base must be present: a number sets it, null
// removes the target. stretch may be left out or null for none. Numbers are read here
// rather than by the decoder, so that a bad one is named by its cell (422), not refused
// as malformed JSON (400).
type targetCellIn struct {
	UnitID      int64           `json:"unit_id"`
	IndicatorID int64           `json:"indicator_id"`
	Base        json.RawMessage `json:"base"`
	Stretch     json.RawMessage `json:"stretch"`
}

type targetsIn struct {
	Year   int            `json:"year"`
	Reason string         `json:"reason"`
	Cells  []targetCellIn `json:"cells"`
}

type targetsSaved struct {
	Year    int `json:"year"`
	Changed int `json:"changed"`
}

// readTargetDec reads a raw JSON number or numeric string; absent and null are nil.
func readTargetDec(p domain.Problems, field string, raw json.RawMessage) *domain.Dec {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var d domain.Dec
	if err := d.UnmarshalJSON(raw); err != nil {
		p.Add(field, "应为数字或数字字符串："+domain.ErrorMessage(err))
		return nil
	}
	return &d
}

// putTargets sets cells of a year's grid in one transaction: any bad cell, and nothing
// is saved.
func (h *Handler) putTargets(w http.ResponseWriter, r *http.Request) {
	var in targetsIn
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx := r.Context()
	p := domain.Problems{}
	if !domain.ValidYear(in.Year) {
		p.Add("year", "请提供 2000 至 2100 之间的年份。")
	}
	if len(in.Cells) == 0 {
		p.Add("cells", "请至少提供一个单元格。")
	}
	indicators, err := h.store.FindIndicators(ctx, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	known := map[int64]bool{}
	for _, i := range indicators {
		known[i.ID] = true
	}
	units := map[int64]bool{}
	seen := map[store.TargetKey]int{}
	changes := make([]store.TargetChange, 0, len(in.Cells))
	for n, c := range in.Cells {
		at := fmt.Sprintf("cells[%d]", n)
		if _, ok := units[c.UnitID]; !ok && c.UnitID > 0 {
			_, err := h.store.FindUnitByID(ctx, c.UnitID)
			switch domain.ErrorCode(err) {
			case "":
				units[c.UnitID] = true
			case domain.ENOTFOUND:
				units[c.UnitID] = false
			default:
				h.fail(w, r, err)
				return
			}
		}
		if !units[c.UnitID] {
			p.Add(at+".unit_id", "单位不存在。")
		}
		if !known[c.IndicatorID] {
			p.Add(at+".indicator_id", "指标不存在。")
		}
		key := store.TargetKey{UnitID: c.UnitID, IndicatorID: c.IndicatorID}
		if first, dup := seen[key]; dup {
			p.Add(at, fmt.Sprintf("与 cells[%d] 是同一单元格。", first))
		}
		seen[key] = n
		if len(c.Base) == 0 {
			p.Add(at+".base", "base 必填：数字设置基础目标，null 删除该目标。")
		}
		ch := store.TargetChange{UnitID: c.UnitID, IndicatorID: c.IndicatorID,
			Base: readTargetDec(p, at+".base", c.Base), Stretch: readTargetDec(p, at+".stretch", c.Stretch)}
		switch {
		case ch.Stretch == nil:
		case ch.Base == nil:
			p.Add(at+".stretch", "没有基础目标时不能设置奋斗目标。")
		case *ch.Stretch < *ch.Base:
			p.Add(at+".stretch", "奋斗目标不能低于基础目标。")
		}
		changes = append(changes, ch)
	}
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.store.SaveTargets(ctx, request.Actor(r), in.Year, changes, in.Reason)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, targetsSaved{Year: in.Year, Changed: n})
}

// letterJSON is an issued letter with the targets it froze.
type letterJSON struct {
	ID       int64              `json:"id"`
	Year     int                `json:"year"`
	UnitID   int64              `json:"unit_id"`
	Version  int                `json:"version"`
	IssuedAt time.Time          `json:"issued_at"`
	IssuedBy string             `json:"issued_by"`
	Note     string             `json:"note"`
	Targets  []letterTargetJSON `json:"targets"`
}

type letterTargetJSON struct {
	IndicatorID int64       `json:"indicator_id"`
	Code        string      `json:"code"`
	Name        string      `json:"name"`
	Measure     string      `json:"measure"`
	Base        domain.Dec  `json:"base"`
	Stretch     *domain.Dec `json:"stretch"`
}

func letterOut(l *domain.Letter) (letterJSON, error) {
	j := letterJSON{ID: l.ID, Year: l.Year, UnitID: l.UnitID, Version: l.Version, IssuedAt: l.IssuedAt,
		IssuedBy: l.IssuedBy, Note: l.Note, Targets: make([]letterTargetJSON, 0, len(l.Targets))}
	for _, t := range l.Targets {
		base, err := domain.ParseDec(t.Base)
		if err != nil {
			return j, fmt.Errorf("letter %d base %q: %w", l.ID, t.Base, err)
		}
		lt := letterTargetJSON{IndicatorID: t.IndicatorID, Code: t.Code, Name: t.Name, Measure: t.Measure, Base: base}
		if t.Stretch != "" {
			s, err := domain.ParseDec(t.Stretch)
			if err != nil {
				return j, fmt.Errorf("letter %d stretch %q: %w", l.ID, t.Stretch, err)
			}
			lt.Stretch = &s
		}
		j.Targets = append(j.Targets, lt)
	}
	return j, nil
}

func letterLocation(id int64) string { return Prefix + "/letters/" + strconv.FormatInt(id, 10) }

// listLetters answers a year's letters, every version, of every unit or one.
func (h *Handler) listLetters(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "unit_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year, err := q.requiredYear()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unitID, err := q.id("unit_id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var letters []*domain.Letter
	if unitID != 0 {
		letters, err = h.store.FindLetters(r.Context(), year, unitID)
	} else {
		letters, err = h.store.FindLettersByYear(r.Context(), year)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[letterJSON]{Items: make([]letterJSON, 0, len(letters)), Total: len(letters), Limit: len(letters)}
	for _, l := range letters {
		j, err := letterOut(l)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		out.Items = append(out.Items, j)
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) getLetter(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.store.FindLetterByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j, err := letterOut(l)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}

// letterIssue is the body of POST /letters.
type letterIssue struct {
	Year   int    `json:"year"`
	UnitID int64  `json:"unit_id"`
	Note   string `json:"note"`
}

func (h *Handler) issueLetter(w http.ResponseWriter, r *http.Request) {
	var in letterIssue
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	if !domain.ValidYear(in.Year) {
		p.Add("year", "请提供 2000 至 2100 之间的年份。")
	}
	if in.UnitID <= 0 {
		p.Add("unit_id", "请提供单位 id。")
	}
	if len([]rune(strings.TrimSpace(in.Note))) > 200 {
		p.Add("note", "说明不超过200个字。")
	}
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	l, err := h.store.IssueLetter(r.Context(), request.Actor(r), in.Year, in.UnitID, in.Note)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		err = domain.Problems{"unit_id": "单位不存在。"}.Err()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j, err := letterOut(l)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", letterLocation(l.ID))
	writeJSON(w, http.StatusCreated, j)
}
