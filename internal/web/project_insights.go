package web

import (
	"context"
	"net/http"
	"strings"

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
		ids, err := h.Store.WarningProjectIDs(r.Context(), f.UnitID, h.Store.Now().In(chinaTime), rules, x.Warning)
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
	x.Warnings = domain.ProjectWarnings(domain.WarningFactsOf(p), h.Store.Now().In(chinaTime), rules)
	x.WarningLevel = domain.WorstLevel(x.Warnings)
	for _, w := range x.Warnings {
		x.WarningLines = append(x.WarningLines, warningLine{w, warningLabel(w.Code)})
	}
	parkName := ""
	if p.ParkID != 0 {
		park, err := h.Store.FindUnitByID(ctx, p.ParkID)
		if err != nil {
			return x, err
		}
		parkName = park.Name
	}
	x.Score, x.ScoreItems = domain.QualityScore(domain.QualityFactsOf(p, parkName), scheme)
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

// candidateClass is one city class's row of the 5020 thresholds on the rules page.
type candidateClass struct {
	domain.CityClass5020
	DomesticField, ForeignField, ConfirmedField string
}

func candidateClasses(r domain.Rules5020) []candidateClass {
	out := make([]candidateClass, len(r.Classes))
	for i, c := range r.Classes {
		out[i] = candidateClass{CityClass5020: c, DomesticField: "candidate_domestic_" + c.Key,
			ForeignField: "candidate_foreign_" + c.Key, ConfirmedField: "candidate_confirmed_" + c.Key}
	}
	return out
}

// yi shows a whole amount (yuan or dollars) in 亿 with up to four decimals: amount ÷ 10⁸
// is the Dec whose raw value is amount ÷ 10⁴.
func yi(amount int64) string { return domain.Dec(amount / 10000).String() }

// addRules5020Form writes the 5020 rules into the form, thresholds in 亿.
func addRules5020Form(f analysisForm, r domain.Rules5020) {
	f["city_class"], f["candidate_usd_rate"] = r.CityClass, r.USDRate.String()
	for _, c := range candidateClasses(r) {
		f[c.DomesticField], f[c.ForeignField] = yi(c.DomesticYuan), yi(c.ForeignUSD)
		if c.Confirmed {
			f[c.ConfirmedField] = "1"
		}
	}
}

// readRules5020Form reads the city's class, each class's thresholds (亿, up to four
// decimals) and whether they are confirmed into f and p. A form without the city class
// (an older or partial form) keeps the current rules.
func readRules5020Form(r *http.Request, f analysisForm, p domain.Problems, current domain.Rules5020) domain.Rules5020 {
	if _, sent := r.PostForm["city_class"]; !sent {
		addRules5020Form(f, current)
		return current
	}
	read := func(name string) domain.Dec {
		f[name] = strings.TrimSpace(r.PostFormValue(name))
		d, err := domain.ParseDec(f[name])
		if err != nil {
			p.Add(name, domain.ErrorMessage(err))
		}
		return d
	}
	out := domain.Rules5020{CityClass: r.PostFormValue("city_class")}
	f["city_class"] = out.CityClass
	out.USDRate = read("candidate_usd_rate")
	for _, c := range candidateClasses(current) {
		cl := c.CityClass5020
		cl.DomesticYuan = int64(read(c.DomesticField)) * 10000
		cl.ForeignUSD = int64(read(c.ForeignField)) * 10000
		cl.Confirmed = r.PostFormValue(c.ConfirmedField) != ""
		if cl.Confirmed {
			f[c.ConfirmedField] = "1"
		}
		out.Classes = append(out.Classes, cl)
	}
	for k, v := range domain.ErrorFields(out.Validate()) {
		p.Add(k, v)
	}
	return out
}
