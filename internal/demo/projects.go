package demo

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// Fictional project names: a line of business and a kind of project.
var (
	projectLines = []struct{ name, section, division string }{
		{"高端日用陶瓷", "C", "30"}, {"先进结构陶瓷", "C", "30"}, {"航空零部件", "C", "37"}, {"直升机配套", "C", "37"},
		{"新型电子元器件", "C", "39"}, {"锂电池材料", "C", "26"}, {"生物医药", "C", "27"}, {"精细化工", "C", "26"},
		{"智能装备", "C", "35"}, {"新能源汽车零部件", "C", "36"}, {"光伏组件", "C", "38"}, {"绿色建材", "C", "30"},
	}
	projectKinds = []string{"产业园项目", "生产基地项目", "智能制造项目", "扩产项目", "研发中心项目", "技改项目"}
	projectTags  = []string{"世界500强", "中国500强", "民营500强", "上市公司", "行业龙头"}
	projectNotes = []string{"主体厂房封顶，设备进场安装。", "挂点领导现场调度，协调解决用电增容问题。", "环评已批复，正在办理施工许可。",
		"首批设备完成调试，计划下月试生产。", "投资方资金到位一期，正在推进二期。", "土地挂牌程序已启动。"}
)

const yi = 100_000_000 // 1亿元 in yuan

// loadProjects generates the fictional projects the derived indicators count: per unit,
// roughly its share of the city's 200-project goal at its pace, signed through last
// month, of which most start within months and the largest are certified 5020 projects.
// A fixed seed makes every demo database alike.
func loadProjects(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64, year, lastMonth int, today time.Time) (int, error) {
	rng := rand.New(rand.NewPCG(2026, 1127))
	end := time.Date(year, time.Month(lastMonth)+1, 0, 0, 0, 0, 0, time.UTC)
	seq, n := 0, 0
	for _, code := range slices.Sorted(maps.Keys(shares)) {
		for _, y := range []int{year - 1, year} {
			months := 12
			if y == year {
				months = lastMonth
			}
			big := shares[code] * pace[code] * 200 * int64(months) / (1000 * 1000 * 12)
			if y < year {
				big = big * 85 / 100
			}
			small := big / 4
			for k := int64(0); k < big+small; k++ {
				seq++
				signed := time.Date(y, time.Month(1+int(k)*months/int(big+small)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
				p := demoProject(rng, ids[code], y, seq, signed, end, k >= big)
				// Every other project of a county with a park sits in the park; expected
				// tax at a twentieth of the fixed investment feeds the quality score.
				if park, ok := ids["P"+code]; ok && seq%2 == 0 {
					p.ParkID = park
				}
				p.ExpectedTax = p.FixedInvestment / 20
				if err := st.CreateProject(ctx, actor, p); err != nil {
					return n, fmt.Errorf("demo project %s: %w", p.Code, err)
				}
				// Most live projects were visited lately; the rest trip the 30-day warning.
				if p.Stage != "lead" && rng.IntN(100) < 75 {
					on := today.AddDate(0, 0, -rng.IntN(25)).Format(time.DateOnly)
					if _, err := st.AddProjectNote(ctx, actor, p.ID, on, projectNotes[rng.IntN(len(projectNotes))]); err != nil {
						return n, fmt.Errorf("demo project %s note: %w", p.Code, err)
					}
				}
				n++
			}
		}
	}
	return n, nil
}

func demoProject(rng *rand.Rand, unitID int64, y, seq int, signed, end time.Time, small bool) *domain.Project {
	line := projectLines[rng.IntN(len(projectLines))]
	p := &domain.Project{Code: fmt.Sprintf("XM%d%04d", y, seq), UnitID: unitID, Stage: "signed",
		Name:            fmt.Sprintf("%s%s（示例）", line.name, projectKinds[rng.IntN(len(projectKinds))]),
		IndustrySection: line.section, IndustryDivision: line.division, SignedOn: signed.Format(time.DateOnly),
		ForeignCapital: rng.IntN(10) == 0}
	p.Industrial = true
	switch r := rng.IntN(100); {
	case small:
		p.ContractInvestment = int64(30+rng.IntN(60)) * 1_000_000
	case r < 60:
		p.ContractInvestment = int64(100+rng.IntN(400)) * 1_000_000
	case r < 85:
		p.ContractInvestment = int64(500+rng.IntN(500)) * 1_000_000
	case r < 95:
		p.ContractInvestment = int64(10+rng.IntN(10)) * yi
	default:
		p.ContractInvestment = int64(20+rng.IntN(30)) * yi
	}
	p.FixedInvestment = p.ContractInvestment * int64(60+rng.IntN(30)) / 100
	p.LandMu = domain.DecFromInt(int64(20 + rng.IntN(300)))
	if rng.IntN(5) == 0 {
		p.Tags = []string{projectTags[rng.IntN(len(projectTags))]}
	}
	// Plans as signed: start within a quarter, production a year after.
	p.PlannedStartOn = signed.AddDate(0, 3, 0).Format(time.DateOnly)
	p.PlannedProductionOn = signed.AddDate(1, 3, 0).Format(time.DateOnly)
	// Most projects start one to five months after signing; some have not yet.
	if started := signed.AddDate(0, 1+rng.IntN(5), 0); rng.IntN(100) < 78 && !started.After(end) {
		p.Stage, p.StartedOn = "started", started.Format(time.DateOnly)
		p.FundsInPlace = p.ContractInvestment * int64(10+rng.IntN(50)) / 100
		if prod := started.AddDate(0, 6+rng.IntN(8), 0); rng.IntN(100) < 40 && !prod.After(end) {
			p.Stage, p.CompletedOn, p.InProductionOn = "in_production", prod.Format(time.DateOnly), prod.Format(time.DateOnly)
		}
	}
	// The largest are put forward for provincial 5020 certification.
	if p.ContractInvestment >= 10*yi {
		cert := signed.AddDate(0, 2+rng.IntN(3), 0)
		switch {
		case cert.After(end):
			p.Cert5020 = "applied"
		case rng.IntN(100) < 85:
			p.Cert5020, p.Cert5020On = "certified", cert.Format(time.DateOnly)
		default:
			p.Cert5020 = "rejected"
		}
	}
	return p
}
