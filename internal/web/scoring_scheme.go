package web

import (
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/api"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// schemeItemForm is one item as typed: strings, so a refused form comes back as it was.
type schemeItemForm struct {
	Name, Source, Indicator, TierYi, Method               string
	Weight, Cap, RatioCap, Floor, Target, Step, MinPoints string
	Problems                                              map[string]string
}

type schemeForm struct {
	Year                     int
	Name, TotalCap, Decimals string
	Version                  int64
	Items                    []schemeItemForm
}

// itemFields are the posted array fields of an item, in the order of schemeItemForm.
var itemFields = []string{"name", "source", "indicator", "tier_yi", "method", "weight", "cap", "ratio_cap", "floor", "target", "step", "min_points"}

func (f *schemeItemForm) fields() []*string {
	return []*string{&f.Name, &f.Source, &f.Indicator, &f.TierYi, &f.Method, &f.Weight, &f.Cap, &f.RatioCap, &f.Floor, &f.Target, &f.Step, &f.MinPoints}
}

func optText(d *domain.Dec) string {
	if d == nil {
		return ""
	}
	return d.String()
}

func formOfScheme(s *domain.ScoringScheme) schemeForm {
	f := schemeForm{Year: s.Year, Name: s.Name, TotalCap: s.TotalCap.String(), Decimals: strconv.Itoa(s.Decimals), Version: s.Version}
	for _, it := range s.Items {
		f.Items = append(f.Items, schemeItemForm{Name: it.Name, Source: it.Source, Indicator: it.Indicator, TierYi: it.TierYi.String(),
			Method: it.Method, Weight: it.Weight.String(), Cap: optText(it.Cap), RatioCap: it.RatioCap.String(), Floor: it.Floor.String(),
			Target: optText(it.Target), Step: it.Step.String(), MinPoints: it.MinPoints.String()})
	}
	return f
}

// newSchemeItem is what 添加考核项 adds: the usual capped ratio, to be edited.
func newSchemeItem() schemeItemForm {
	return schemeItemForm{Source: domain.SourceCompletionBase, Method: domain.MethodCappedRatio, Weight: "10", RatioCap: "1.2", Floor: "20", Step: "1", MinPoints: "0"}
}

// readSchemeForm reads the posted scheme; item fields are parallel arrays.
func readSchemeForm(r *http.Request, year int) schemeForm {
	f := schemeForm{Year: year, Name: strings.TrimSpace(r.PostFormValue("name")), TotalCap: strings.TrimSpace(r.PostFormValue("total_cap")),
		Decimals: strings.TrimSpace(r.PostFormValue("decimals"))}
	f.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	n := len(r.PostForm["item_name"])
	for i := range n {
		var it schemeItemForm
		for k, p := range it.fields() {
			if vs := r.PostForm["item_"+itemFields[k]]; i < len(vs) {
				*p = strings.TrimSpace(vs[i])
			}
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// scheme parses the typed numbers; problems name the fields as domain.Validate does.
func (f schemeForm) scheme() (*domain.ScoringScheme, domain.Problems) {
	p := domain.Problems{}
	num := func(field, v string, optional bool) *domain.Dec {
		if v == "" {
			if optional {
				return nil
			}
			v = "0"
		}
		d, err := domain.ParseDec(v)
		if err != nil {
			p.Add(field, "请输入数字："+domain.ErrorMessage(err))
			return nil
		}
		return &d
	}
	val := func(d *domain.Dec) domain.Dec {
		if d == nil {
			return 0
		}
		return *d
	}
	s := &domain.ScoringScheme{Year: f.Year, Name: f.Name, Version: f.Version, TotalCap: val(num("total_cap", f.TotalCap, false))}
	if dec, err := strconv.Atoi(f.Decimals); err == nil {
		s.Decimals = dec
	} else if f.Decimals != "" {
		p.Add("decimals", "显示小数位应为1到4之间的整数。")
	}
	for i, it := range f.Items {
		fld := func(name string) string { return domain.ItemField(i, name) }
		s.Items = append(s.Items, domain.ScoringItem{Name: it.Name, Source: it.Source, Indicator: it.Indicator, Method: it.Method,
			TierYi: val(num(fld("tier_yi"), it.TierYi, false)), Weight: val(num(fld("weight"), it.Weight, false)),
			Cap: num(fld("cap"), it.Cap, true), RatioCap: val(num(fld("ratio_cap"), it.RatioCap, false)),
			Floor: val(num(fld("floor"), it.Floor, false)), Target: num(fld("target"), it.Target, true),
			Step: val(num(fld("step"), it.Step, false)), MinPoints: val(num(fld("min_points"), it.MinPoints, false))})
	}
	return s, p
}

// typedScheme is the scheme as typed, normalized; when a number does not parse, the
// scheme's other problems are listed with it, so one round trip shows them all.
func (h *Handler) typedScheme(r *http.Request, f schemeForm) (*domain.ScoringScheme, error) {
	s, p := f.scheme()
	s.Normalize()
	if len(p) == 0 {
		return s, nil
	}
	inds, err := h.Store.FindIndicators(r.Context(), true)
	if err != nil {
		return nil, err
	}
	for field, msg := range domain.ErrorFields(s.Validate(inds)) {
		p.Add(field, msg) // a parse problem, added first, stays the one shown
	}
	return nil, p.Err()
}

// schemeYear reads ?year=, by default the current period's year.
func (h *Handler) schemeYear(r *http.Request) (int, error) {
	year, _, err := h.period(r)
	return year, err
}

// scoringScheme shows the year's scheme in the editor, or a first draft when it has none.
func (h *Handler) scoringScheme(w http.ResponseWriter, r *http.Request) {
	year, err := h.schemeYear(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	s, err := h.Store.FindScoringScheme(r.Context(), year)
	var f schemeForm
	switch {
	case err == nil:
		f = formOfScheme(s)
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		f = schemeForm{Year: year, Name: strconv.Itoa(year) + "年度考核方案", TotalCap: "100", Decimals: "2", Items: []schemeItemForm{newSchemeItem()}}
	default:
		h.Error(w, r, err)
		return
	}
	h.renderScheme(w, r, 0, f, nil, nil)
}

// saveScoringScheme handles the editor's buttons: add, remove and move items, preview
// the scores with the typed scheme, or save it. Only saving changes anything.
func (h *Handler) saveScoringScheme(w http.ResponseWriter, r *http.Request) {
	year, err := h.schemeYear(r)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	f := readSchemeForm(r, year)
	op, arg, _ := strings.Cut(r.PostFormValue("op"), ":")
	i, _ := strconv.Atoi(arg)
	inRange := i >= 0 && i < len(f.Items)
	switch {
	case op == "add":
		f.Items = append(f.Items, newSchemeItem())
	case op == "remove" && inRange:
		f.Items = append(f.Items[:i], f.Items[i+1:]...)
	case op == "up" && inRange && i > 0:
		f.Items[i-1], f.Items[i] = f.Items[i], f.Items[i-1]
	case op == "down" && inRange && i < len(f.Items)-1:
		f.Items[i+1], f.Items[i] = f.Items[i], f.Items[i+1]
	case op == "preview":
		h.previewScheme(w, r, f)
		return
	case op == "save":
		s, err := h.typedScheme(r, f)
		if err == nil {
			err = h.Store.SaveScoringScheme(r.Context(), request.Actor(r), s)
		}
		h.finishWrite(w, r, err, func(status int, err error) { h.renderScheme(w, r, status, f, nil, err) },
			"/scoring?year="+strconv.Itoa(year), "已保存考核方案，得分已按新方案重新计算。")
		return
	}
	h.renderScheme(w, r, 0, f, nil, nil)
}

// previewScheme shows the editor with the scores the typed scheme would give.
func (h *Handler) previewScheme(w http.ResponseWriter, r *http.Request, f schemeForm) {
	s, err := h.typedScheme(r, f)
	var rows []scoreRowView
	if err == nil {
		var board domain.Scoreboard
		if board, err = h.Store.PreviewScores(r.Context(), s, h.previewMonth(r)); err == nil {
			rows, _ = scoreboardView(board)
		}
	}
	status := 0
	if err != nil {
		status = api.Status(domain.ErrorCode(err))
	}
	h.renderScheme(w, r, status, f, rows, err)
}

// previewMonth is the month the editor previews: the one chosen, else the latest period.
func (h *Handler) previewMonth(r *http.Request) int {
	if m, err := strconv.Atoi(r.PostFormValue("month")); err == nil && m >= 1 && m <= 12 {
		return m
	}
	_, month := domain.ReportPeriodAt(h.Store.Now(), chinaTime)
	return month
}

func (h *Handler) renderScheme(w http.ResponseWriter, r *http.Request, status int, f schemeForm, preview []scoreRowView, err error) {
	inds, ierr := h.Store.FindIndicators(r.Context(), true)
	if ierr != nil {
		h.Error(w, r, ierr)
		return
	}
	problems := domain.ErrorFields(err)
	for i := range f.Items {
		f.Items[i].Problems = map[string]string{}
		for _, name := range itemFields {
			if msg := problems[domain.ItemField(i, name)]; msg != "" {
				f.Items[i].Problems[name] = msg
			}
		}
	}
	month := h.previewMonth(r)
	v := view{Title: "考核方案", Nav: "scoring", Data: struct {
		Form       schemeForm
		Problems   map[string]string
		Conflict   bool
		Indicators []*domain.Indicator
		Sources    []domain.Choice
		Methods    []domain.Choice
		Month      int
		Months     []int
		Preview    []scoreRowView
		Previewed  bool
	}{f, problems, domain.ErrorCode(err) == domain.ECONFLICT, inds, domain.ScoreSources, domain.ScoreMethods, month, allMonths, preview, preview != nil}}
	if err != nil && len(problems) == 0 && domain.ErrorCode(err) != domain.ECONFLICT {
		v.Flash = &flash{Kind: "error", Message: domain.ErrorMessage(err)}
	}
	h.render(w, r, status, "scoring_scheme", v)
}
