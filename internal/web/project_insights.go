package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// divisionGroup is one GB/T 4754 section with its divisions, an <optgroup>.
type divisionGroup struct {
	Label     string
	Divisions []domain.IndustryDivision
}

// divisionGroups are the divisions grouped by section, for the project form's select.
func divisionGroups() []divisionGroup {
	out := make([]divisionGroup, 0, len(domain.IndustrySections))
	for _, s := range domain.IndustrySections {
		out = append(out, divisionGroup{Label: s.Code + " " + s.Name, Divisions: domain.DivisionsOf(s.Code)})
	}
	return out
}

// warningChoices are the list's 预警 filter values: any, red, or one warning code.
func warningChoices() []domain.Choice {
	out := []domain.Choice{{Value: store.WarningFilterAny, Label: "有预警"}, {Value: store.WarningFilterRed, Label: "红色预警"}}
	for _, code := range []string{domain.WarnNotStarted, domain.WarnIdleLand, domain.WarnNoNote, domain.WarnPlannedStart,
		domain.WarnPlannedProduction, domain.WarnFundsBehind} {
		out = append(out, domain.Choice{Value: code, Label: domain.WarningLabels[code]})
	}
	return out
}

// listExtras are the list filters that need settings or Go evaluation: 5020 candidates
// (thresholds from the settings, then SQL) and warnings (rules evaluated in Go on the
// warnings page's narrowed set, then an id list in SQL).
type listExtras struct {
	Candidate      bool
	Warning        string
	WarningChoices []domain.Choice
}

// applyListExtras reads candidate_5020=1 and warning=… from the query into the filter.
// Unknown values are ignored, as for the other filters.
func (h *Handler) applyListExtras(r *http.Request, f *domain.ProjectFilter) (listExtras, error) {
	q := r.URL.Query()
	x := listExtras{WarningChoices: warningChoices()}
	if q.Get("candidate_5020") == "1" {
		t, err := h.Store.Thresholds5020(r.Context())
		if err != nil {
			return x, err
		}
		x.Candidate, f.Candidate5020 = true, &t
	}
	if wv := strings.TrimSpace(q.Get("warning")); wv != "" {
		for _, c := range x.WarningChoices {
			if c.Value == wv {
				x.Warning = wv
			}
		}
	}
	if x.Warning != "" {
		rules, err := h.Store.WarningRules(r.Context())
		if err != nil {
			return x, err
		}
		ids, err := h.Store.WarningProjectIDs(r.Context(), f.UnitID, time.Now().In(chinaTime), rules, x.Warning)
		if err != nil {
			return x, err
		}
		f.RestrictIDs, f.IDs = true, ids
	}
	return x, nil
}

// projectInsights are the computed parts of the detail page: active warnings, quality
// score with its breakdown, 5020 candidate flag.
type projectInsights struct {
	IndustryLabel   string
	SectionLabel    string
	Warnings        []domain.Warning
	WarningLines    []warningLine
	WarningLevel    string
	Score           domain.Dec
	ScoreItems      []domain.ScoreItem
	Candidate       bool
	CandidateReason string
	Thresholds      domain.Thresholds5020
}

// insightsOf computes the detail page's warnings (today, in China), score and 5020 flag
// with the stored rules, from the same facts the warnings and quality pages use.
func (h *Handler) insightsOf(ctx context.Context, p *domain.Project) (projectInsights, error) {
	x := projectInsights{IndustryLabel: domain.DivisionLabel(p.IndustryDivision)}
	if p.IndustrySection != "" {
		x.SectionLabel = p.IndustrySection + " " + domain.SectionName(p.IndustrySection)
	}
	rules, err := h.Store.WarningRules(ctx)
	if err != nil {
		return x, err
	}
	scheme, err := h.Store.QualityScheme(ctx)
	if err != nil {
		return x, err
	}
	if x.Thresholds, err = h.Store.Thresholds5020(ctx); err != nil {
		return x, err
	}
	x.Warnings = domain.ProjectWarnings(domain.WarningFactsOf(p), time.Now().In(chinaTime), rules)
	x.WarningLevel = domain.WorstLevel(x.Warnings)
	for _, w := range x.Warnings {
		x.WarningLines = append(x.WarningLines, warningLine{w, warningLabel(w.Code)})
	}
	x.Score, x.ScoreItems = domain.QualityScore(domain.QualityFactsOf(p), scheme)
	x.Candidate, x.CandidateReason = domain.Candidate5020(p, x.Thresholds)
	return x, nil
}

// warningLabel names a warning code.
func warningLabel(code string) string {
	if l, ok := domain.WarningLabels[code]; ok {
		return l
	}
	return code
}

// warningLine is a warning with its name.
type warningLine struct {
	domain.Warning
	Label string
}

// candidateFields are the 5020 candidate thresholds on the rules page.
var candidateFields = []analysisField{
	{"candidate_domestic", "5020候选：内资合同投资门槛（亿元）", "默认50亿元"},
	{"candidate_foreign", "5020候选：外资（含港澳台）合同投资门槛（亿美元）", "默认3亿美元；美元项目按原币比较"},
	{"candidate_usd_rate", "非美元外资项目折算汇率（元/美元）", "人民币金额 ÷ 该汇率后与外资门槛比较"},
}

// addThresholdsForm writes the thresholds into the form in 亿: a Dec holds value × 10⁴,
// so whole units ÷ 10⁴ read as a Dec are 亿 with four decimals.
func addThresholdsForm(f analysisForm, t domain.Thresholds5020) {
	f["candidate_domestic"] = domain.Dec(t.DomesticYuan / 10000).String()
	f["candidate_foreign"] = domain.Dec(t.ForeignUSD / 10000).String()
	f["candidate_usd_rate"] = t.USDRate.String()
}

// readThresholdsForm reads the thresholds (亿, up to four decimals) into f and p; a
// field left out keeps its current value.
func readThresholdsForm(r *http.Request, f analysisForm, p domain.Problems, current domain.Thresholds5020) domain.Thresholds5020 {
	var t domain.Thresholds5020
	was := analysisForm{}
	addThresholdsForm(was, current)
	read := func(name string) domain.Dec {
		f[name] = strings.TrimSpace(r.PostFormValue(name))
		if _, sent := r.PostForm[name]; !sent {
			f[name] = was[name]
		}
		d, err := domain.ParseDec(f[name])
		if err != nil {
			p.Add(name, domain.ErrorMessage(err))
		}
		return d
	}
	t.DomesticYuan = int64(read("candidate_domestic")) * 10000
	t.ForeignUSD = int64(read("candidate_foreign")) * 10000
	t.USDRate = read("candidate_usd_rate")
	for k, v := range domain.ErrorFields(t.Validate()) {
		p.Add(k, v)
	}
	return t
}
