package web

import (
	"context"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// perMuClasses are the distribution's columns: the ranked classes and the exempt one.
var perMuClasses = []string{"A", "B", "C", "D", "T"}

// perMu evaluates a year under the stored scheme.
func (h *Handler) perMu(ctx context.Context, year int) (map[int64]domain.PerMuResult, map[int64][2]int64, domain.PerMuScheme, error) {
	scheme, err := h.Store.PerMuScheme(ctx)
	if err != nil {
		return nil, nil, scheme, err
	}
	inputs, owners, err := h.Store.PerMuInputs(ctx, year)
	if err != nil {
		return nil, nil, scheme, err
	}
	out := map[int64]domain.PerMuResult{}
	for _, r := range domain.EvaluatePerMu(scheme, inputs) {
		out[r.EnterpriseID] = r
	}
	return out, owners, scheme, nil
}

// perMuLine is one unit's or park's count of firms per class.
type perMuLine struct {
	Name   string
	Counts []int
	Total  int
}

func (h *Handler) perMuPage(w http.ResponseWriter, r *http.Request) {
	year := h.figuresYear()
	if v := r.URL.Query().Get("year"); v != "" {
		var err error
		if year, err = h.yearParam(r); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	results, owners, scheme, err := h.perMu(r.Context(), year)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	units, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Limit: 500})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	// Index 0 counts by unit, 1 by park.
	counts := [2]map[int64][]int{{}, {}}
	total := perMuLine{Name: "合计", Counts: make([]int, len(perMuClasses))}
	for id, res := range results {
		c := slices.Index(perMuClasses, res.Class) // an exempt firm classed B counts as B
		for k, owner := range owners[id] {
			if owner == 0 {
				continue
			}
			if counts[k][owner] == nil {
				counts[k][owner] = make([]int, len(perMuClasses))
			}
			counts[k][owner][c]++
		}
		total.Counts[c]++
		total.Total++
	}
	var byUnit, byPark []perMuLine
	for _, u := range units {
		for k, list := range []*[]perMuLine{&byUnit, &byPark} {
			if c, ok := counts[k][u.ID]; ok {
				l := perMuLine{Name: u.Name, Counts: c}
				for _, n := range c {
					l.Total += n
				}
				*list = append(*list, l)
			}
		}
	}
	var shares []string
	for i, s := range scheme.Shares {
		shares = append(shares, perMuClasses[i]+" "+strconv.FormatInt(s, 10)+"%")
	}
	h.render(w, r, 0, "per_mu", view{Title: "亩均评价", Nav: "enterprises", Data: struct {
		Year           int
		Classes        []string
		ByUnit, ByPark []perMuLine
		Total          perMuLine
		Shares         []string
		Scheme         domain.PerMuScheme
		Above, Below   []perMuItemLine
		CanManage      bool
	}{year, perMuClasses, byUnit, byPark, total, shares, scheme, itemLines("above", scheme.AboveScale), itemLines("below", scheme.BelowScale),
		auth.CanAtAll(request.User(r), auth.ManageCampaign)}})
}

// perMuItemLine describes a scheme item for the page; Key names its form fields.
type perMuItemLine struct{ Key, Label, Weight, Benchmark string }

func itemLines(prefix string, items []domain.PerMuItem) []perMuItemLine {
	out := make([]perMuItemLine, len(items))
	for i, it := range items {
		b := ""
		if it.Benchmark.Sign() > 0 {
			b = it.Benchmark.String()
		}
		label := domain.ChoiceLabel(domain.PerMuIndicators, it.Indicator)
		if it.Indicator == domain.MuRDRatio {
			label += "（%）"
			if b != "" {
				b = domain.FormatPercent(it.Benchmark.Rat(), 2)
			}
		}
		out[i] = perMuItemLine{prefix + "_" + it.Indicator, label, it.Weight.String(), b}
	}
	return out
}

// perMuBreakdown is an enterprise's evaluation as its page shows it.
type perMuBreakdown struct {
	Year               int
	Evaluated          bool
	Class, Score, Rank string
	Exempt             bool
	Items              []perMuItemView
}

type perMuItemView struct {
	Label, Value, Benchmark, Points string
	Missing                         bool
}

// perMuFigure shows an item's value or benchmark: R&D ÷ revenue is a share, shown as a
// percentage; the others are in their own 万元 units.
func perMuFigure(indicator string, r *big.Rat) string {
	if indicator == domain.MuRDRatio && r != nil {
		return domain.FormatPercent(r, 2) + "%"
	}
	return fmtRat(r)
}

func fmtRat(r *big.Rat) string {
	if r == nil {
		return "—"
	}
	return domain.RoundHalfUp(r, 2)
}

// breakdownOf evaluates the year and picks the enterprise's result.
func (h *Handler) breakdownOf(ctx context.Context, id int64, year int) (perMuBreakdown, error) {
	b := perMuBreakdown{Year: year}
	results, _, _, err := h.perMu(ctx, year)
	if err != nil {
		return b, err
	}
	res, ok := results[id]
	if !ok {
		return b, nil
	}
	b.Evaluated, b.Class, b.Exempt = true, res.Class, res.Exempt
	if res.Exempt {
		return b, nil
	}
	b.Score, b.Rank = fmtRat(res.Score), strconv.Itoa(res.Rank)+" / "+strconv.Itoa(res.Of)
	for _, it := range res.Items {
		b.Items = append(b.Items, perMuItemView{domain.ChoiceLabel(domain.PerMuIndicators, it.Indicator), perMuFigure(it.Indicator, it.Value),
			perMuFigure(it.Indicator, it.Benchmark), fmtRat(it.Points), it.Missing})
	}
	return b, nil
}

// savePerMuScheme stores the scheme from the page's form: each item's weight and
// benchmark (empty: the group's average), the four class shares, the exempt sections and
// their class. The items themselves stay those of the stored scheme.
func (h *Handler) savePerMuScheme(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	back := "/enterprises/per-mu?" + r.URL.RawQuery
	sc, err := h.Store.PerMuScheme(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	probs := domain.Problems{}
	for prefix, items := range map[string][]domain.PerMuItem{"above": sc.AboveScale, "below": sc.BelowScale} {
		for i := range items {
			key := prefix + "_" + items[i].Indicator
			items[i].Weight = formDec(r, key+"_weight", "权重", probs)
			items[i].Benchmark = formDec(r, key+"_benchmark", "基准值", probs)
			if items[i].Indicator == domain.MuRDRatio {
				items[i].Benchmark = percentToShare(items[i].Benchmark, key+"_benchmark", probs)
			}
		}
	}
	for i := range sc.Shares {
		sc.Shares[i] = formInt(r, "share_"+perMuClasses[i], perMuClasses[i]+"类比例", probs)
	}
	sc.ExemptClass = r.PostFormValue("exempt_class")
	sc.ExemptSections = nil
	for _, s := range strings.FieldsFunc(strings.ToUpper(r.PostFormValue("exempt_sections")), func(c rune) bool { return c < 'A' || c > 'Z' }) {
		sc.ExemptSections = append(sc.ExemptSections, s)
	}
	err = probs.Err()
	if err == nil {
		err = h.Store.SetPerMuScheme(r.Context(), request.Actor(r), sc)
	}
	if domain.ErrorCode(err) == domain.EINVALID {
		msg := "评价方案无效："
		for _, m := range domain.ErrorFields(err) {
			msg += m
		}
		h.setFlash(w, "error", msg)
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, back, "已保存亩均评价方案。")
}

// percentToShare turns a percentage typed on the scheme form into the fraction the scheme
// keeps; the fraction has four decimals, so the percentage may have two.
func percentToShare(pct domain.Dec, field string, probs domain.Problems) domain.Dec {
	if pct%100 != 0 {
		probs.Add(field, "研发经费占营业收入比重的基准值按百分数填写，最多两位小数（如 3.25）。")
		return 0
	}
	return pct / 100
}
