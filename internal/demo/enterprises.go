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

// Fictional enterprise names: a made-up trade name, a line of business and its division.
var (
	firmWords = []string{"华瓷", "青岭", "东湖", "昌盛", "景和", "瑞丰", "鼎新", "恒远", "嘉禾", "翔宇", "明德", "宏图",
		"晨光", "汇川", "泰和", "启航", "博雅", "天成", "永利", "金源", "银杉", "锦程", "中和", "新宇"}
	firmLines = []struct{ name, division string }{
		{"陶瓷制品", "30"}, {"特种陶瓷", "30"}, {"新型建材", "30"}, {"航空部件", "37"}, {"电子元件", "39"},
		{"新材料", "26"}, {"制药", "27"}, {"精密机械", "34"}, {"汽车零部件", "36"}, {"电气设备", "38"},
		{"食品", "14"}, {"纺织", "17"}, {"家具", "21"}, {"金属制品", "33"},
	}
	firmChains  = map[string]string{"30": "陶瓷", "37": "航空", "39": "电子信息", "27": "生物医药", "36": "汽车及零部件", "38": "新能源"}
	exitReasons = []string{"营业收入低于2000万元", "停产", "迁出本市", "被兼并重组"}
)

// demoFirm is a generated enterprise and what happens to it.
type demoFirm struct {
	unit           string
	e              *domain.Enterprise
	entryType      string
	entryMonth     string
	batchYear      int
	exitMonth      string
	revenue        int64 // last full year's, whole yuan
	zombie, closed bool
}

// usccSeq turns a sequence number into seven characters of the code's set, so that every
// generated code differs.
func usccSeq(n int) string {
	const set = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	out := make([]byte, 7)
	for i := 6; i >= 0; i-- {
		out[i] = set[n%31]
		n /= 31
	}
	return string(out)
}

// loadEnterprises generates the registry: for each county and park, this year's and
// last year's above-scale entries at the unit's share and pace of the city's goal of 100
// (so 新增规上工业企业 is counted from them), a few exits, firms long in the directory,
// a cultivation pool just below the threshold, small firms, zombies and closed ones,
// two years of figures and honours. A fixed seed makes every demo database alike.
func loadEnterprises(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64, year, lastMonth int, today time.Time) (int, error) {
	rng := rand.New(rand.NewPCG(2026, 414))
	unitCode := map[string]string{"P369901": "369901", "P369902": "369902", "P369921": "369921"}
	var firms []*demoFirm
	seq := 0
	newFirm := func(code string) *demoFirm {
		seq++
		line := firmLines[rng.IntN(len(firmLines))]
		div := code
		if host, ok := unitCode[code]; ok {
			div = host
		}
		if rng.IntN(25) == 0 {
			div = "369900" // registered with the city: no warning
		} else if rng.IntN(40) == 0 {
			div = "360203" // registered elsewhere and moved here: the page warns
		}
		e := &domain.Enterprise{
			Name:   fmt.Sprintf("瓷都%s%s有限公司（示例%03d）", firmWords[rng.IntN(len(firmWords))], line.name, seq),
			USCC:   domain.CompleteUSCC("91" + div + "MA" + usccSeq(seq)),
			UnitID: ids[code], IndustryDivision: line.division, Chain: firmChains[line.division],
			Address: fmt.Sprintf("瓷都市示例路%d号", 100+seq), ContactPerson: "联系人（示例）", ContactPhone: fmt.Sprintf("0000-699%04d", seq),
		}
		if _, park := unitCode[code]; park {
			e.ParkID = ids[code] // a park's firms sit in it: the per-mu classes by park count them
		}
		f := &demoFirm{unit: code, e: e}
		firms = append(firms, f)
		return f
	}
	for _, code := range slices.Sorted(maps.Keys(shares)) {
		// New entries this year and last, as the 新增规上 goal is split and paced.
		for _, y := range []int{year - 1, year} {
			months := 12
			if y == year {
				months = lastMonth
			}
			n := shares[code] * pace[code] * 100 * int64(months) / (1000 * 1000 * 12)
			if y < year {
				n = n * 85 / 100
			}
			for k := int64(0); k < n; k++ {
				f := newFirm(code)
				f.revenue = int64(2100+rng.IntN(6000)) * 10_000
				if k%3 == 0 { // an annual batch of the year before counts from January
					f.entryType, f.batchYear, f.entryMonth = domain.EntryAnnual, y-1, fmt.Sprintf("%04d-01", y)
				} else {
					f.entryType, f.entryMonth = domain.EntryMonthly, fmt.Sprintf("%04d-%02d", y, 1+int(k)*months/int(n))
				}
			}
		}
		// Firms in the directory for years; some left it lately.
		for k := 0; k < 18; k++ {
			f := newFirm(code)
			f.entryType, f.entryMonth = domain.EntryMonthly, fmt.Sprintf("%04d-%02d", year-3-rng.IntN(5), 1+rng.IntN(12))
			f.revenue = int64(2500+rng.IntN(40000)) * 10_000
			if k%6 == 0 {
				f.exitMonth = fmt.Sprintf("%04d-%02d", year-1+k%2, 1+rng.IntN(lastMonth))
				f.revenue = int64(1200+rng.IntN(700)) * 10_000
			}
		}
		// The cultivation pool, small firms, zombies and closed firms.
		for k := 0; k < 14; k++ {
			f := newFirm(code)
			switch {
			case k < 5:
				f.revenue = int64(1500+rng.IntN(500)) * 10_000
			case k < 11:
				f.revenue = int64(200+rng.IntN(1200)) * 10_000
			case k < 13:
				f.revenue, f.zombie = int64(50+rng.IntN(300))*10_000, true
			default:
				f.revenue, f.closed = 0, true
			}
		}
	}
	figuresYear := today.Year() - 1
	list := make([]*store.EnterpriseHistory, len(firms))
	for i, f := range firms {
		list[i] = firmHistory(rng, f, figuresYear, today)
	}
	// One transaction: a few hundred firms with their histories load in a moment.
	if err := st.LoadEnterpriseHistories(ctx, actor, list); err != nil {
		return 0, fmt.Errorf("demo enterprises: %w", err)
	}
	return len(firms), nil
}

// withdrawReasons are why a re-examination withdraws an honour.
var withdrawReasons = []string{"复核未通过：研发投入占比未达认定标准", "企业主动申请撤销", "复核发现申报材料不实，省工信厅文件撤销"}

// firmHistory is a generated firm's past: its entry (and exit), status, two years of
// figures and, for some above-scale firms, honours up the ladder.
func firmHistory(rng *rand.Rand, f *demoFirm, figuresYear int, today time.Time) *store.EnterpriseHistory {
	h := &store.EnterpriseHistory{Enterprise: f.e}
	inDirectory := false
	if f.entryType != "" {
		en := store.HistoryEntry{Type: f.entryType, Month: f.entryMonth, BatchYear: f.batchYear}
		if f.exitMonth != "" && f.exitMonth > f.entryMonth {
			en.ExitMonth, en.ExitReason = f.exitMonth, exitReasons[rng.IntN(len(exitReasons))]
		}
		inDirectory = en.ExitMonth == ""
		h.Entries = append(h.Entries, en)
	}
	on := today.AddDate(0, -rng.IntN(10)-1, 0).Format(time.DateOnly)
	switch {
	case f.zombie:
		h.Status = &store.HistoryStatus{To: domain.StatusZombie, On: on, Reason: "连续三年亏损，长期停产"}
	case f.closed:
		h.Status = &store.HistoryStatus{To: domain.StatusClosed, On: on, Reason: "已注销"}
		return h
	}
	// Two years of figures; the year before grew about 8% less.
	for _, y := range []int{figuresYear - 1, figuresYear} {
		rev := f.revenue
		if y < figuresYear {
			rev = rev * int64(88+rng.IntN(8)) / 100
		}
		land := int64(10 + rng.IntN(120))
		h.Figures = append(h.Figures, &domain.EnterpriseFigures{Year: y, Revenue: rev, Tax: rev * int64(2+rng.IntN(5)) / 100,
			ValueAdded: rev * int64(20+rng.IntN(10)) / 100, Employees: int64(20 + rng.IntN(400)),
			LandMu: domain.DecFromInt(land), EnergyTce: domain.Dec(rev / 50), Electricity: domain.Dec(rev / 20),
			Emissions: domain.Dec(rev / 5000), RDSpending: rev * int64(1+rng.IntN(4)) / 100})
	}
	// Some above-scale firms climbed the honours ladder.
	if inDirectory && rng.IntN(100) < 30 {
		rung := 0
		if r := rng.IntN(100); r > 90 {
			rung = 4
		} else if r > 75 {
			rung = 2
		} else if r > 40 {
			rung = 1
		}
		for i := 0; i <= rung; i++ {
			t := domain.HonourTypes[i]
			if t.Value == "key_little_giant" && rng.IntN(2) == 0 {
				continue
			}
			y := figuresYear - rung + i - rng.IntN(2)
			h.Honours = append(h.Honours, &domain.Honour{Type: t.Value, Year: y, Batch: fmt.Sprintf("第%d批", y-2017),
				DocNo: fmt.Sprintf("示例文〔%d〕%d号", y, 10+rng.IntN(90))})
		}
		// Now and then the re-examination withdraws the top honour: it stays on the
		// firm's page, marked 已撤销, and leaves the counts.
		if n := len(h.Honours); n > 1 && rng.IntN(100) < 15 {
			h.Honours[n-1].WithdrawReason = withdrawReasons[rng.IntN(len(withdrawReasons))]
		}
	}
	return h
}
