package synth

import (
	"context"
	"fmt"
	"time"

	"beizeng/internal/demo"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// Unit names are built from two lists of fictional syllables; 10 × 10 names cover the
// province's 100 counties before a number is needed.
var (
	nameHeads = []string{"青", "云", "石", "枫", "松", "桂", "柳", "梅", "竹", "兰"}
	nameTails = []string{"溪", "岭", "川", "阳", "宁", "安", "平", "源", "泉", "山"}
	nameKinds = []string{"县", "区", "市"}
)

func countyName(i int) string {
	n := nameHeads[i%len(nameHeads)] + nameTails[i/len(nameHeads)%len(nameTails)]
	if i >= len(nameHeads)*len(nameTails) {
		n += fmt.Sprint(i / (len(nameHeads) * len(nameTails)))
	}
	return n + nameKinds[i%len(nameKinds)]
}

// units creates the province-sized city, its counties, its parks (each inside a county)
// and one department for the handler's account.
func (g *Generator) units(ctx context.Context) (int, error) {
	s := g.opt.Scale
	city := &domain.Unit{Code: "SY0000", Name: "云岭省（虚构·省级规模合成数据）", Kind: domain.UnitCity, Active: true, SortOrder: 1}
	if err := g.st.CreateUnit(ctx, g.actor, city); err != nil {
		return 0, err
	}
	g.city = city.ID
	for i := range s.Counties {
		u := &domain.Unit{Code: fmt.Sprintf("SY%04d", i+1), Name: countyName(i), Kind: domain.UnitCounty, ParentID: city.ID,
			Assessed: true, Active: true, SortOrder: 10 + i}
		if err := g.st.CreateUnit(ctx, g.actor, u); err != nil {
			return 0, err
		}
		g.unitList = append(g.unitList, unitInfo{id: u.ID, code: u.Code, name: u.Name, pace: int64(800 + g.rng.IntN(400)), share: int64(500 + g.rng.IntN(1000))})
	}
	for i := range s.Parks {
		host := i * s.Counties / max(s.Parks, 1)
		u := &domain.Unit{Code: fmt.Sprintf("SYP%03d", i+1), Name: countyName(host) + []string{"经济开发区", "高新技术产业开发区", "工业园区"}[i%3],
			Kind: domain.UnitPark, ParentID: g.unitList[host].id, Assessed: true, Active: true, SortOrder: 10 + s.Counties + i}
		if err := g.st.CreateUnit(ctx, g.actor, u); err != nil {
			return 0, err
		}
		g.unitList = append(g.unitList, unitInfo{id: u.ID, code: u.Code, name: u.Name, park: true, county: host,
			pace: int64(800 + g.rng.IntN(450)), share: int64(150 + g.rng.IntN(250))})
	}
	dept := &domain.Unit{Code: "SYD01", Name: "省工业和信息化厅（合成）", Kind: domain.UnitDepartment, ParentID: city.ID, Active: true,
		SortOrder: 10 + s.Counties + s.Parks}
	if err := g.st.CreateUnit(ctx, g.actor, dept); err != nil {
		return 0, err
	}
	g.dept = dept.ID
	return 2 + s.Counties + s.Parks, nil
}

// accounts creates the demo logins (same names and password as the demo city) in the
// province's units, so that the dataset can be opened in the browser.
func (g *Generator) accounts(ctx context.Context) (int, error) {
	n := 0
	for _, a := range demo.Accounts() {
		unit, name := g.city, "云岭省（虚构）"
		switch a.Username {
		case "reporter":
			unit, name = g.unitList[0].id, countyName(0)
		case "reporter2":
			unit, name = g.unitList[1].id, countyName(1)
		case "handler":
			unit, name = g.dept, "省工业和信息化厅（合成）"
		}
		a.DisplayName, a.UnitName = a.Roles[0].Label()+"（合成数据）", name
		if err := demo.CreateAccount(ctx, g.st, g.svc, g.actor, a, unit); err != nil {
			return n, err
		}
		g.logins = append(g.logins, a)
		n++
	}
	return n, nil
}

// indicatorSpec is a line of the province's catalogue. target is the city's base target
// of the newest year, in the indicator's smallest unit (tenths for one decimal).
type indicatorSpec struct {
	code, name, measure string
	decimals            int
	point               bool // point-in-time (a rate): not summed, not spread over months
	headline            bool
	target              int64
	rule                string // a derived indicator's rule
}

const (
	ruleSigned100m  = `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`
	ruleStarted100m = `{"entity":"project","date_field":"started_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`
)

var catalogue = []indicatorSpec{
	{"new_above_scale", "新增规上工业企业", "户", 0, false, true, 1000, ""},
	{"projects_100m", "亿元以上项目", "个", 0, false, true, 2500, ruleSigned100m},
	{"industrial_revenue", "工业营业收入", "亿元", 1, false, true, 400000, ""},
	{"industrial_fai", "工业固定资产投资", "亿元", 1, false, true, 260000, ""},
	{"value_added_growth", "规上工业增加值增速", "%", 1, true, false, 90, ""},
	{"funds_in_place", "到位资金", "亿元", 1, false, false, 180000, ""},
	{"started_100m", "亿元以上项目开工", "个", 0, false, false, 1800, ruleStarted100m},
	{"industrial_tax", "工业税收", "亿元", 1, false, false, 30000, ""},
	{"export_value", "工业出口交货值", "亿元", 1, false, false, 50000, ""},
	{"high_tech_value", "高新技术产业增加值", "亿元", 1, false, false, 80000, ""},
	{"strategic_output", "战略性新兴产业产值", "亿元", 1, false, false, 120000, ""},
	{"digital_revenue", "数字经济核心产业营业收入", "亿元", 1, false, false, 60000, ""},
	{"high_tech_firms", "新增高新技术企业", "户", 0, false, false, 800, ""},
	{"specialised_smes", "新增专精特新中小企业", "户", 0, false, false, 600, ""},
	{"rd_spending", "规上工业企业研发投入", "亿元", 1, false, false, 9000, ""},
	{"renovation_fai", "工业技改投资", "亿元", 1, false, false, 70000, ""},
	{"foreign_capital", "实际使用外资（折人民币）", "亿元", 1, false, false, 3500, ""},
	{"outside_funds", "省外到位资金", "亿元", 1, false, false, 150000, ""},
	{"standard_factory_projects", "新建标准厂房项目", "个", 0, false, false, 400, ""},
	{"land_supplied", "工业用地供应", "亩", 0, false, false, 50000, ""},
	{"idle_land_cleared", "盘活低效闲置土地", "亩", 0, false, false, 20000, ""},
	{"energy_intensity_cut", "规上工业单位增加值能耗下降", "%", 1, true, false, 30, ""},
	{"industrial_profit", "工业企业利润总额", "亿元", 1, false, false, 25000, ""},
	{"new_registered_projects", "新增入库工业项目", "项", 0, false, false, 3000, ""},
	{"chain_projects", "产业链补链项目", "个", 0, false, false, 500, ""},
	{"top500_projects", "500强企业投资项目", "个", 0, false, false, 120, ""},
	{"park_revenue", "园区营业收入", "亿元", 1, false, false, 300000, ""},
	{"new_listings", "新增上市企业", "户", 0, false, false, 40, ""},
	{"brand_products", "新增省级以上品牌产品", "个", 0, false, false, 300, ""},
	{"green_factories", "新增绿色工厂", "个", 0, false, false, 150, ""},
}

// Catalogue is the province's full indicator catalogue, as it is created.
func Catalogue() []*domain.Indicator {
	out := make([]*domain.Indicator, len(catalogue))
	for i, c := range catalogue {
		acc := domain.Cumulative
		if c.point {
			acc = domain.PointInTime
		}
		out[i] = &domain.Indicator{Code: c.code, Name: c.name, Measure: c.measure, Decimals: c.decimals, HigherIsBetter: true,
			Kind: domain.KindReported, Accumulation: acc, Headline: c.headline, SortOrder: (i + 1) * 10, Active: true}
		if c.rule != "" {
			out[i].Kind, out[i].Rule = domain.KindDerived, c.rule
		}
	}
	return out
}

func (g *Generator) indicators(ctx context.Context) (int, error) {
	for i, ind := range Catalogue()[:g.opt.Scale.Indicators] {
		if err := g.st.CreateIndicator(ctx, g.actor, ind); err != nil {
			return i, err
		}
		g.inds = append(g.inds, ind)
	}
	return len(g.inds), nil
}

// dec makes a Dec of v smallest units of an indicator with the given decimals.
func dec(v int64, decimals int) domain.Dec {
	for range domain.DecPlaces - decimals {
		v *= 10
	}
	return domain.Dec(v)
}

// cityTarget is the city's base target of a year: the newest year's, 8% less for each
// year before it (integer arithmetic throughout: the data must not depend on floats).
func (g *Generator) cityTarget(c indicatorSpec, year int) int64 {
	if c.point {
		return c.target
	}
	t := c.target
	for range g.opt.ThroughYear - year {
		t = t * 100 / 108
	}
	return t
}

// unitTarget is a unit's base target: its share of the city's (a county), or of its
// county's (a park); a rate is the city's.
func (g *Generator) unitTarget(c indicatorSpec, year int, u unitInfo) int64 {
	t := g.cityTarget(c, year)
	if c.point {
		return t
	}
	total := int64(0)
	for _, v := range g.unitList {
		if !v.park {
			total += v.share
		}
	}
	if u.park {
		host := g.unitList[u.county]
		return t * host.share / total * u.share / 1000
	}
	return t * u.share / total
}

// targets sets every year's targets for the city and every unit, and issues each
// county's and park's responsibility letter for the year.
func (g *Generator) targets(ctx context.Context) (int, error) {
	first := g.months()[0].Year()
	n := 0
	for year := first; year <= g.opt.ThroughYear; year++ {
		var changes []store.TargetChange
		add := func(unit int64, c indicatorSpec, ind *domain.Indicator, base int64) {
			b, s := dec(base, c.decimals), dec(base*12/10, c.decimals)
			changes = append(changes, store.TargetChange{UnitID: unit, IndicatorID: ind.ID, Base: &b, Stretch: &s})
		}
		for i, ind := range g.inds {
			c := catalogue[i]
			add(g.city, c, ind, g.cityTarget(c, year))
			for _, u := range g.unitList {
				add(u.id, c, ind, g.unitTarget(c, year, u))
			}
		}
		saved, err := g.st.SaveTargets(ctx, g.actor, year, changes, Reason)
		if err != nil {
			return n, err
		}
		n += saved
		err = g.batch(fmt.Sprintf("%d年目标责任书", year), len(g.unitList), 50, func(from, to int) error {
			for _, u := range g.unitList[from:to] {
				if _, err := g.st.IssueLetter(ctx, g.actor, year, u.id, Reason); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// reports files every unit's approved report for every month: each reported
// indicator's year-to-date figure runs at the unit's pace against its target, with a
// yearly wobble of ±5%; rates sit around their target.
func (g *Generator) reports(ctx context.Context) (int, error) {
	type key struct{ unit, ind, year int }
	wobble := map[key]int64{}
	var all []store.HistoryReport
	for _, m := range g.months() {
		year, month := m.Year(), int(m.Month())
		for ui, u := range g.unitList {
			values := map[int64]domain.Dec{}
			for i, ind := range g.inds {
				c := catalogue[i]
				if c.rule != "" {
					continue
				}
				w, ok := wobble[key{ui, i, year}]
				if !ok {
					w = int64(950 + g.rng.IntN(101))
					wobble[key{ui, i, year}] = w
				}
				target := g.unitTarget(c, year, u)
				var v int64
				if c.point {
					v = target * (u.pace + int64(month*7%23) - 11) / 1000
				} else {
					v = target * int64(month) * u.pace / 12 * w / 1_000_000
				}
				values[ind.ID] = dec(v, c.decimals)
			}
			all = append(all, store.HistoryReport{UnitID: u.id, Year: year, Month: month, Values: values})
		}
	}
	err := g.batch("月报", len(all), 600, func(from, to int) error {
		return g.st.LoadApprovedReports(ctx, g.actor, Reason, all[from:to])
	})
	return len(all), err
}

// Project names and lines of business, fictional.
var (
	projectLines = []struct{ name, division string }{
		{"高端装备", "34"}, {"航空零部件", "37"}, {"新型电子元器件", "39"}, {"锂电池材料", "26"}, {"生物医药", "27"},
		{"精细化工", "26"}, {"智能装备", "35"}, {"新能源汽车零部件", "36"}, {"光伏组件", "38"}, {"绿色建材", "30"},
		{"先进陶瓷", "30"}, {"食品精深加工", "14"}, {"纺织新材料", "17"}, {"有色金属精深加工", "32"},
	}
	projectKinds = []string{"产业园项目", "生产基地项目", "智能制造项目", "扩产项目", "研发中心项目", "技改项目"}
	projectTags  = []string{"世界500强", "中国500强", "民营500强", "上市公司", "行业龙头"}
	projectNotes = []string{"主体厂房封顶，设备进场安装。", "挂点领导现场调度，协调解决用电增容问题。", "环评已批复，正在办理施工许可。",
		"首批设备完成调试，计划下月试生产。", "投资方资金到位一期，正在推进二期。", "土地挂牌程序已启动。"}
	// stageShares are the final stages' shares in ‰, in ProjectStages order.
	stageShares = []int{60, 60, 150, 80, 70, 220, 80, 210, 70}
)

const yi = 100_000_000 // 1亿元 in yuan

// projects generates the pipeline: signing dates spread over the reported months,
// amounts over the tiers (a few above 50亿 and certified 5020), each project carried as
// far along the stages as its drawn final stage and the dataset's end allow, with a
// funds ledger from its start and a few progress notes.
func (g *Generator) projects(ctx context.Context) (int, error) {
	n := g.opt.Scale.Projects
	first, end := g.months()[0], g.end()
	days := int(end.Sub(first).Hours()/24) + 1
	counties := g.opt.Scale.Counties
	list := make([]store.HistoryProject, 0, 2000)
	return n, g.batch("项目", n, 2000, func(from, to int) error {
		list = list[:0]
		for i := from; i < to; i++ {
			list = append(list, g.project(i, first, end, days, counties))
		}
		return g.st.LoadProjects(ctx, g.actor, Reason, list)
	})
}

func (g *Generator) project(i int, first, end time.Time, days, counties int) store.HistoryProject {
	rng := g.rng
	ci := rng.IntN(counties)
	line := projectLines[rng.IntN(len(projectLines))]
	p := &domain.Project{Code: fmt.Sprintf("SY%07d", i+1), UnitID: g.unitList[ci].id,
		Name:            fmt.Sprintf("%s%s（合成）", line.name, projectKinds[rng.IntN(len(projectKinds))]),
		IndustrySection: "C", IndustryDivision: line.division, ForeignCapital: rng.IntN(12) == 0}
	p.Industrial = true
	p.InvestorName = fmt.Sprintf("合成投资方%04d有限公司", rng.IntN(9000)+1)
	for _, u := range g.unitList[counties:] {
		if u.county == ci && rng.IntN(2) == 0 {
			p.ParkID = u.id
			break
		}
	}
	switch r := rng.IntN(1000); {
	case r < 400:
		p.ContractInvestment = int64(20+rng.IntN(80)) * 1_000_000
	case r < 750:
		p.ContractInvestment = int64(100+rng.IntN(400)) * 1_000_000
	case r < 900:
		p.ContractInvestment = int64(500+rng.IntN(500)) * 1_000_000
	case r < 970:
		p.ContractInvestment = int64(10+rng.IntN(10)) * yi
	case r < 995:
		p.ContractInvestment = int64(20+rng.IntN(30)) * yi
	default:
		p.ContractInvestment = int64(50+rng.IntN(70)) * yi
	}
	p.FixedInvestment = p.ContractInvestment * int64(60+rng.IntN(30)) / 100
	p.LandMu = domain.DecFromInt(int64(10 + rng.IntN(490)))
	if rng.IntN(6) == 0 {
		p.Tags = []string{projectTags[rng.IntN(len(projectTags))]}
	}
	final, pick := 0, rng.IntN(1000)
	for k, share := range stageShares {
		if pick < share {
			final = k
			break
		}
		pick -= share
	}
	stage := domain.ProjectStages[final]
	p.Stage = "lead"
	signed := first.AddDate(0, 0, rng.IntN(days))
	if stage == "lead" || stage == "negotiating" {
		p.Stage = stage
		return store.HistoryProject{Project: p}
	}
	date := func(t time.Time) string { return t.Format(time.DateOnly) }
	p.Stage, p.SignedOn = "signed", date(signed)
	p.PlannedStartOn, p.PlannedProductionOn = date(signed.AddDate(0, 3, 0)), date(signed.AddDate(1, 3, 0))
	if stage == "terminated" {
		if t := signed.AddDate(0, 0, 30+rng.IntN(270)); !t.After(end) {
			p.Stage, p.TerminatedOn, p.TerminatedReason = "terminated", date(t), "投资方战略调整，项目终止（合成）"
		}
	} else {
		// Each later stage follows the one before by a drawn delay, as far as the
		// drawn final stage and the end of the dataset allow.
		at := signed
		delays := map[string][2]int{"registered": {10, 30}, "land_supplied": {20, 70}, "started": {30, 90},
			"completed": {180, 220}, "in_production": {30, 60}}
		for _, s := range domain.ProjectStages[3 : final+1] {
			d := delays[s]
			next := at.AddDate(0, 0, d[0]+rng.IntN(d[1]))
			if next.After(end) {
				break
			}
			at = next
			*p.StageDate(s) = date(at)
			p.Stage = s
		}
	}
	if p.ContractInvestment >= 50*yi {
		if c := signed.AddDate(0, 0, 60+rng.IntN(90)); !c.After(end) {
			p.Cert5020, p.Cert5020On = "certified", date(c)
		} else {
			p.Cert5020 = "applied"
		}
	}
	h := store.HistoryProject{Project: p}
	if p.StartedOn != "" {
		start, _ := time.Parse(time.DateOnly, p.StartedOn)
		left := p.ContractInvestment
		for m := range 12 {
			month := time.Date(start.Year(), start.Month()+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if month.After(end) || left <= 0 {
				break
			}
			funds := min(left, p.ContractInvestment*int64(3+rng.IntN(7))/100)
			left -= funds
			h.Ledger = append(h.Ledger, domain.ProjectLedgerEntry{Month: month.Format("2006-01"), FundsInPlace: funds,
				InvestmentCompleted: funds * int64(80+rng.IntN(20)) / 100})
		}
	}
	if p.Stage != "terminated" {
		// Most live projects were visited lately; the rest trip the 30-day warning.
		for k := range rng.IntN(4) {
			on := end.AddDate(0, 0, -rng.IntN(20+k*30))
			if on.Before(signed) {
				on = signed
			}
			h.Notes = append(h.Notes, domain.ProjectNote{OnDate: date(on), Body: projectNotes[rng.IntN(len(projectNotes))]})
		}
	}
	return h
}
