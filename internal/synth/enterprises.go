package synth

import (
	"context"
	"fmt"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// usccChars is GB 32100's character set, for the generated codes' serial part.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// enterprises generates the registry: firms spread over the counties and parks, two in
// three above scale (entered monthly or by the annual batch within the dataset's months,
// a few gone again), a cultivation pool just under the threshold, some zombies and closed
// firms, a year of figures each and honours for some. Codes are valid GB 32100 codes
// whose division part is fictional (53 + the county's number).
func (g *Generator) enterprises(ctx context.Context) (int, error) {
	n := g.opt.Scale.Enterprises
	months := g.months()
	end := g.end()
	figuresYear := g.opt.ThroughYear - 1
	divisions := []string{"13", "14", "17", "22", "26", "27", "29", "30", "31", "32", "33", "34", "35", "36", "38", "39", "40"}
	list := make([]*store.EnterpriseHistory, 0, 1000)
	return n, g.batch("企业", n, 1000, func(from, to int) error {
		list = list[:0]
		for i := from; i < to; i++ {
			k := g.rng.IntN(len(g.unitList))
			u := g.unitList[k]
			county := k
			if u.park {
				county = u.county
			}
			serial := make([]byte, 7)
			for j, v := 6, i+1; j >= 0; j, v = j-1, v/31 {
				serial[j] = usccChars[v%31]
			}
			e := &domain.Enterprise{
				Name:             fmt.Sprintf("云岭%s制造有限公司（合成%06d）", []string{"精工", "新材", "智能", "光电", "绿能", "瓷业", "化工", "医药"}[i%8], i+1),
				USCC:             domain.CompleteUSCC(fmt.Sprintf("9153%04dMA%s", county+1, serial)),
				UnitID:           u.id,
				IndustryDivision: divisions[g.rng.IntN(len(divisions))],
				Address:          fmt.Sprintf("云岭省合成路%d号", i+1),
			}
			h := &store.EnterpriseHistory{Enterprise: e}
			revenue := int64(300+g.rng.IntN(1500)) * 10_000 // below scale
			switch r := g.rng.IntN(100); {
			case r < 66:
				revenue = int64(2000+g.rng.IntN(60_000)) * 10_000
				m := months[g.rng.IntN(len(months))]
				en := store.HistoryEntry{Type: domain.EntryMonthly, Month: m.Format("2006-01")}
				if m.Month() == time.January && g.rng.IntN(2) == 0 {
					en.Type, en.BatchYear = domain.EntryAnnual, m.Year()-1
				}
				if g.rng.IntN(20) == 0 {
					if exit := m.AddDate(0, 1+g.rng.IntN(24), 0); exit.Before(end) {
						en.ExitMonth, en.ExitReason = exit.Format("2006-01"), "营业收入低于2000万元"
					}
				}
				h.Entries = []store.HistoryEntry{en}
			case r < 74:
				revenue = int64(1500+g.rng.IntN(500)) * 10_000 // the cultivation pool
			case r < 77:
				h.Status = &store.HistoryStatus{To: domain.StatusZombie, On: end.AddDate(0, -g.rng.IntN(12), 0).Format(time.DateOnly),
					Reason: "连续三年亏损，长期停产（合成）"}
			case r < 79:
				h.Status = &store.HistoryStatus{To: domain.StatusClosed, On: end.AddDate(0, -g.rng.IntN(12), 0).Format(time.DateOnly),
					Reason: "已注销（合成）"}
				list = append(list, h)
				continue
			}
			h.Figures = []*domain.EnterpriseFigures{{Year: figuresYear, Revenue: revenue, Tax: revenue * int64(2+g.rng.IntN(5)) / 100,
				ValueAdded: revenue * int64(20+g.rng.IntN(10)) / 100, Employees: int64(20 + g.rng.IntN(600)),
				LandMu: domain.DecFromInt(int64(10 + g.rng.IntN(150))), EnergyTce: domain.Dec(revenue / 50),
				Electricity: domain.Dec(revenue / 20), Emissions: domain.Dec(revenue / 5000), RDSpending: revenue * int64(1+g.rng.IntN(4)) / 100}}
			if len(h.Entries) > 0 && h.Entries[0].ExitMonth == "" && g.rng.IntN(10) == 0 {
				t := domain.HonourTypes[g.rng.IntN(2)]
				h.Honours = []*domain.Honour{{Type: t.Value, Year: figuresYear, Batch: "第一批",
					DocNo: fmt.Sprintf("云工信〔%d〕%d号（合成）", figuresYear, 1+g.rng.IntN(200))}}
			}
			list = append(list, h)
		}
		if err := g.st.LoadEnterpriseHistories(ctx, g.actor, list); err != nil {
			return err
		}
		// What the problems step needs of each firm (no random draws: nothing above changes).
		for _, h := range list {
			e := h.Enterprise
			g.firms = append(g.firms, firm{id: e.ID, unit: e.UnitID, closed: e.Status == domain.StatusClosed})
		}
		return nil
	})
}
