package synth

import (
	"context"
	"fmt"
	"slices"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/demo"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// The service loop of DOMAIN.md §5 at province scale: the province's departments (省直部门)
// with a handler each, leaders linked to enterprises, their monthly service-day visits,
// and Scale.Problems problems (诉求) run through the loop by the domain's own rules
// (domain.ReceiveProblem and ApplyProblem, deadlines on the dataset's calendar) up to the
// dataset's end, then loaded whole with their timelines (store.LoadProblemHistory).

// departmentSpec is a department and the categories it leads on. The first is the
// department the units step created (SYD01, the handler login's); the last is the
// supervision office, told of escalations, which leads nothing.
type departmentSpec struct {
	name       string
	categories []string
}

var departmentSpecs = []departmentSpec{
	{"省工业和信息化厅", []string{"policy", "market", "utilities", "other"}},
	{"省发展和改革委员会", []string{"approval", "policy", "utilities", "infrastructure"}},
	{"省自然资源厅", []string{"land"}},
	{"省生态环境厅", []string{"approval"}},
	{"省住房和城乡建设厅", []string{"approval", "infrastructure"}},
	{"省交通运输厅", []string{"infrastructure"}},
	{"省商务厅", []string{"market"}},
	{"省科学技术厅", []string{"policy"}},
	{"省人力资源和社会保障厅", []string{"labour"}},
	{"省教育厅", []string{"labour", "other"}},
	{"省财政厅", []string{"policy", "finance"}},
	{"省税务局", []string{"policy", "finance"}},
	{"省市场监督管理局", []string{"approval", "market"}},
	{"省地方金融管理局", []string{"finance"}},
	{"人民银行云岭省分行", []string{"finance"}},
	{"省能源局", []string{"utilities"}},
	{"省水利厅", []string{"utilities", "infrastructure"}},
	{"省应急管理厅", []string{"approval"}},
	{"省公安厅", []string{"labour", "other"}},
	{"省政务服务管理局", []string{"approval"}},
	{"省数据局", []string{"infrastructure", "other"}},
	{"省卫生健康委员会", []string{"other"}},
	{"省国有资产监督管理委员会", []string{"finance", "other"}},
	{"云岭海关", []string{"market"}},
	{"省通信管理局", []string{"infrastructure", "utilities"}},
	{"省林业和草原局", []string{"land"}},
	{"省农业农村厅", []string{"land", "other"}},
	{"省司法厅", []string{"other"}},
	{"省文化和旅游厅", []string{"market"}},
	{"省委省政府督查室", nil},
}

// problemTexts are what the province's enterprises ask for, by category (fictional).
var problemTexts = map[string][][2]string{
	"land": {{"扩产用地指标", "企业计划建设二期厂房，需新增工业用地约50亩，请协调用地指标和供地时序。"},
		{"不动产权证办理", "新建厂房已竣工验收，不动产权证办理进度缓慢，影响融资抵押。"}},
	"finance": {{"流动资金贷款续贷", "一笔1000万元流动资金贷款即将到期，请协调银行无还本续贷。"},
		{"技改项目融资对接", "智能化改造项目资金缺口约3000万元，请协调对接政策性银行。"}},
	"approval": {{"环评批复办理", "扩产项目环评报告已提交，请协助加快审批。"},
		{"施工许可办理", "新建车间施工许可材料已齐全，请协调并联审批。"},
		{"能评手续办理", "项目节能审查尚未完成，影响开工，请协调加快。"}},
	"labour": {{"技术工人招聘困难", "生产线缺熟练技工约60人，请协助对接职业院校和招聘会。"},
		{"员工宿舍保障", "新招员工住宿紧张，请协调园区人才公寓。"}},
	"utilities": {{"厂区用电增容", "新增生产线需将变压器容量增至3150千伏安，请协调供电公司。"},
		{"工业用气价格", "窑炉用气量大，请协调执行工业用气优惠价格。"},
		{"供水管网接入", "新厂区供水管网尚未接通，请协调水务公司。"}},
	"policy": {{"技改补贴兑现", "去年技改项目已验收，省级技改补贴尚未拨付，请协调兑现。"},
		{"研发费用加计扣除辅导", "请税务部门上门辅导研发费用加计扣除申报。"},
		{"专精特新奖励资金", "企业已获评专精特新中小企业，奖励资金尚未到位。"}},
	"infrastructure": {{"园区道路修复", "厂区门口园区道路破损严重，影响重型货车通行，请安排修复。"},
		{"5G网络覆盖", "智能工厂需5G专网覆盖，请协调通信运营商。"}},
	"market": {{"参加国际展会", "希望参加广交会，请协调展位和参展补助。"},
		{"出口通关便利", "出口订单增加，请协调海关提供通关便利。"}},
	"other": {{"员工子女入学", "引进的技术骨干子女需就近入学，请协调教育部门。"},
		{"厂区周边治安", "厂区周边夜间治安状况不佳，请协调加强巡逻。"}},
}

// categoryShares are the categories' shares in ‰, in the default rules' order.
var categoryShares = map[string]int{"land": 120, "finance": 140, "approval": 160, "labour": 100, "utilities": 120, "policy": 160,
	"infrastructure": 80, "market": 60, "other": 60}

var (
	problemReplies = []string{"已会同相关部门研究，按程序予以支持，具体事项已电话告知企业负责人。",
		"经协调，已明确办理路径和时限，请企业按清单补齐材料后办理。", "已现场调研并协调解决，后续将持续跟踪。",
		"已纳入近期工作计划，相关部门将按时间节点推进，并及时向企业反馈。"}
	assistAnswers = []string{"同意主办部门意见，本部门配合办理。", "本部门职责范围内事项已办理完毕，意见已反馈主办部门。"}
	visitNotes    = []string{"走访生产一线，了解订单、用工和扩产计划。", "座谈了解企业经营情况，宣讲惠企政策。",
		"察看在建项目进度，协调解决建设中的困难。"}
)

// jobDelay is how long after a missed deadline the hourly escalation job acts at most.
const jobDelay = time.Hour

// serviceSetup creates what the service loop needs around the records of the earlier
// steps: the ~30 province departments (the units step made one) with a handler each, a
// reporter for each county and park without one, leaders linked to enterprises, the
// shipped national holidays of the dataset's years, and the rules naming the
// supervision office. It does nothing when no problems are to be generated.
func (g *Generator) serviceSetup(ctx context.Context) (int, error) {
	if g.opt.Scale.Problems == 0 {
		return 0, nil
	}
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		return 0, err
	}
	n := 0
	user := func(username, display string, unit int64, role domain.Role) (*domain.User, error) {
		u := &domain.User{Username: username, DisplayName: display, UnitID: unit, Roles: []domain.Role{role}}
		if err := g.st.CreateUser(ctx, g.actor, u, hash); err != nil {
			return nil, fmt.Errorf("synthetic user %s: %w", username, err)
		}
		n++
		return u, nil
	}
	login := func(name string) (*domain.User, error) { return g.st.FindUserByUsername(ctx, name) }

	// Departments: SYD01 is the units step's, with the handler login.
	s := g.opt.Scale
	for i, spec := range departmentSpecs {
		d := dept{categories: spec.categories}
		if i == 0 {
			d.id = g.dept
			if d.handler, err = login("handler"); err != nil {
				return n, err
			}
		} else {
			u := &domain.Unit{Code: fmt.Sprintf("SYD%02d", i+1), Name: spec.name + "（合成）", Kind: domain.UnitDepartment, ParentID: g.city,
				Active: true, SortOrder: 10 + s.Counties + s.Parks + i}
			if err := g.st.CreateUnit(ctx, g.actor, u); err != nil {
				return n, err
			}
			n++
			d.id = u.ID
			if d.handler, err = user("handler-"+u.Code, spec.name+"办理人（合成）", u.ID, domain.RoleHandler); err != nil {
				return n, err
			}
		}
		// How often the department answers late (‰) and how often its answers are
		// found wanting: departments differ — a third prompt and well rated, the rest
		// late up to one time in four —, so the red and black lists have members.
		if i%3 == 0 {
			d.late, d.unsatisfied = 5+g.rng.IntN(30), 10+g.rng.IntN(30)
		} else {
			d.late, d.unsatisfied = 40+g.rng.IntN(210), 30+g.rng.IntN(120)
		}
		g.depts = append(g.depts, d)
	}
	g.progress("  部门 %d 个", len(g.depts))

	// A reporter for each county and park (the first two have the demo logins).
	for i, u := range g.unitList {
		var r *domain.User
		switch i {
		case 0:
			r, err = login("reporter")
		case 1:
			r, err = login("reporter2")
		default:
			r, err = user("reporter-"+u.code, u.name+"填报员（合成）", u.id, domain.RoleReporter)
		}
		if err != nil {
			return n, err
		}
		g.reporters = append(g.reporters, r)
	}
	if g.coordinator, err = login("coordinator"); err != nil {
		return n, err
	}

	// Leaders: the leader login and one for every two counties more, each linked from
	// the dataset's first month to up to 40 enterprises drawn from the open ones.
	leader, err := login("leader")
	if err != nil {
		return n, err
	}
	g.leaders = []*domain.User{leader}
	for i := 2; i <= max(2, s.Counties/2); i++ {
		u, err := user(fmt.Sprintf("leader-%02d", i), fmt.Sprintf("省领导%02d（合成）", i), g.city, domain.RoleLeader)
		if err != nil {
			return n, err
		}
		g.leaders = append(g.leaders, u)
	}
	open := g.openFirms()
	perLeader := min(40, len(open)/(2*len(g.leaders)))
	start := g.months()[0].AddDate(0, -1, 0).Format(domain.DateLayout)
	order := g.rng.Perm(len(open))
	var links []*domain.LeaderLink
	g.linked = make([][]int, len(g.leaders))
	for li, l := range g.leaders {
		for k := range perLeader {
			f := open[order[li*perLeader+k]]
			g.firms[f].leader = li + 1
			g.linked[li] = append(g.linked[li], f)
			links = append(links, &domain.LeaderLink{LeaderID: l.ID, EnterpriseID: g.firms[f].id, StartOn: start})
		}
	}
	if err := g.st.LoadLeaderLinks(ctx, g.actor, Reason, links); err != nil {
		return n, err
	}
	n += len(links)
	g.progress("  挂点关系 %d 条", len(links))

	// The calendar: the shipped national schedules of the dataset's years; other years
	// count weekends only, as the platform does for a year not loaded.
	for _, y := range domain.NationalYears() {
		if y < g.months()[0].Year() || y > g.opt.ThroughYear {
			continue
		}
		days, _ := domain.NationalCalendar(y)
		if err := g.st.SaveCalendarYear(ctx, g.actor, y, 0, days, Reason); err != nil {
			return n, err
		}
		n += len(days)
	}
	// The rules as the province sets them: the supervision office told of escalations,
	// and departments listed black by their rates alone — over a year of thousands of
	// problems every department has had some escalation, so the default's "any
	// escalation" would list them all.
	rules := domain.DefaultProblemRules()
	rules.Escalation.SupervisionUnitID = g.depts[len(g.depts)-1].id
	rules.Lists.BlackOnEscalation = false
	if err := g.st.SetProblemRules(ctx, g.actor, rules); err != nil {
		return n, err
	}
	return n, nil
}

// dept is a department of the service loop.
type dept struct {
	id                int64
	handler           *domain.User
	categories        []string
	late, unsatisfied int // ‰
}

// firm is a generated enterprise as the problems step needs it.
type firm struct {
	id, unit int64
	closed   bool
	leader   int // 1 + index in Generator.leaders when linked, 0 when not
}

// openFirms lists the indexes of the enterprises that have not closed.
func (g *Generator) openFirms() []int {
	var out []int
	for i, f := range g.firms {
		if !f.closed {
			out = append(out, i)
		}
	}
	return out
}

// problems generates Scale.Problems problems over the dataset's months, more each year
// as the campaign grows and fewer in February (the Spring Festival), loading them one
// month at a time. Each month the leaders visit some linked enterprises on the service
// day, and the visits bring in about a tenth of the month's problems; the rest come from
// the coordinating office, the counties and parks, and the enterprises' own contact form.
// Most problems come from a minority of enterprises: seven in ten from a tenth of them.
func (g *Generator) problems(ctx context.Context) (int, error) {
	total := g.opt.Scale.Problems
	if total == 0 {
		return 0, nil
	}
	cal, err := g.st.Calendar(ctx)
	if err != nil {
		return 0, err
	}
	rules, err := g.st.ProblemRules(ctx)
	if err != nil {
		return 0, err
	}
	sdRule, err := g.st.ServiceDayRule(ctx)
	if err != nil {
		return 0, err
	}
	l := &loop{g: g, cal: cal.WorkingDays(), rules: rules, horizon: domain.StartOfDay(g.end()).Add(24*time.Hour - time.Second)}
	open := g.openFirms()
	frequent := open[:max(1, len(open)/10)] // open is in ID order, and IDs were dealt to units at random
	months := g.months()
	weights, sum := make([]int, len(months)), 0
	for i, m := range months {
		weights[i] = 80 + 40*i/max(1, len(months)-1)
		if m.Month() == time.February {
			weights[i] = weights[i] * 7 / 10
		}
		sum += weights[i]
	}
	made, cum := 0, 0
	err = g.batch("诉求（按月）", len(months), 1, func(mi, _ int) error {
		m := months[mi]
		cum += weights[mi]
		count := total*cum/sum - made
		var visits []*domain.ServiceVisit
		var list []store.HistoryProblem
		// The service day: each leader visits three to eight linked enterprises.
		quota := count * 12 / 100
		if sd := sdRule.ServiceDay(cal, m.Year(), m.Month()); !sd.Date.After(g.end()) {
			for li, leader := range g.leaders {
				if len(g.linked[li]) == 0 {
					continue
				}
				for k := range 3 + g.rng.IntN(6) {
					f := g.firms[g.linked[li][g.rng.IntN(len(g.linked[li]))]]
					v := &domain.ServiceVisit{LeaderID: leader.ID, EnterpriseID: f.id, VisitOn: sd.Date.Format(domain.DateLayout),
						Notes: visitNotes[g.rng.IntN(len(visitNotes))]}
					if slices.ContainsFunc(visits, func(w *domain.ServiceVisit) bool { return w.LeaderID == v.LeaderID && w.EnterpriseID == v.EnterpriseID }) {
						continue // the same firm drawn twice: one visit
					}
					visits = append(visits, v)
					raised := []int{0, 0, 0, 1, 1, 1, 1, 2, 2, 3}[g.rng.IntN(10)]
					for j := range min(raised, quota) {
						at := domain.StartOfDay(sd.Date).Add(time.Duration(14+k%4)*time.Hour + time.Duration(j*10+g.rng.IntN(10))*time.Minute)
						h, err := l.run(g.newProblem(f, domain.SourceServiceDay, at), v)
						if err != nil {
							return err
						}
						list = append(list, h)
					}
					quota -= min(raised, quota)
				}
			}
		}
		days := time.Date(m.Year(), m.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		for len(list) < count {
			pick := open[g.rng.IntN(len(open))]
			if g.rng.IntN(10) < 7 {
				pick = frequent[g.rng.IntN(len(frequent))]
			}
			f := g.firms[pick]
			day := m.AddDate(0, 0, g.rng.IntN(days))
			source := []string{domain.SourceCoordinator, domain.SourceUnit, domain.SourceUnit, domain.SourceContactForm}[g.rng.IntN(4)]
			var at time.Time
			if source == domain.SourceContactForm { // enterprises write at any hour, any day
				at = domain.StartOfDay(day).Add(time.Duration(7*60+g.rng.IntN(16*60)) * time.Minute)
			} else { // offices register on working days
				if !cal.IsWorkingDay(day) {
					day = l.cal.AddWorkingDays(domain.StartOfDay(day), 1)
					if day = domain.DateOf(day); day.Month() != m.Month() {
						continue // into the next month: draw again
					}
				}
				at = domain.StartOfDay(day).Add(time.Duration(8*60+30+g.rng.IntN(9*60)) * time.Minute)
			}
			h, err := l.run(g.newProblem(f, source, at), nil)
			if err != nil {
				return err
			}
			list = append(list, h)
		}
		// Problem IDs follow the order of receipt, as they would have.
		slices.SortStableFunc(list, func(a, b store.HistoryProblem) int { return a.Problem.ReceivedAt.Compare(b.Problem.ReceivedAt) })
		made += len(list)
		return g.st.LoadProblemHistory(ctx, g.actor, Reason, visits, list)
	})
	return made, err
}

// newProblem draws a problem of the firm received at the time: category, urgency, text
// and the leader linked to the firm.
func (g *Generator) newProblem(f firm, source string, at time.Time) *domain.Problem {
	category, pick := "other", g.rng.IntN(1000)
	for _, c := range domain.DefaultProblemRules().Categories {
		if pick < categoryShares[c.Code] {
			category = c.Code
			break
		}
		pick -= categoryShares[c.Code]
	}
	texts := problemTexts[category]
	text := texts[g.rng.IntN(len(texts))]
	urgency := domain.UrgencyGeneral
	switch r := g.rng.IntN(100); {
	case r < 8:
		urgency = domain.UrgencyUrgent
	case r < 23:
		urgency = domain.UrgencyComplex
	}
	p := &domain.Problem{Source: source, EnterpriseID: f.id, UnitID: f.unit, Category: category, Urgency: urgency,
		Title: text[0], Description: text[1], ReceivedAt: at}
	if f.leader > 0 {
		p.LeaderID = g.leaders[f.leader-1].ID
	}
	return p
}

// loop runs one problem through the domain's loop on the dataset's calendar, a step at a
// time, until the problem closes or its next step would fall after the horizon (the end
// of the dataset's last day): then it stays where it is, as open problems do.
type loop struct {
	g       *Generator
	cal     domain.WorkCalendar
	rules   domain.ProblemRules
	horizon time.Time

	p        *domain.Problem
	timeline []domain.ProblemAction
	now      time.Time
	err      error // the first action the loop refused: the generator's own bug
}

// run receives p at p.ReceivedAt and takes it as far as it goes.
func (l *loop) run(p *domain.Problem, visit *domain.ServiceVisit) (store.HistoryProblem, error) {
	g := l.g
	l.p, l.timeline, l.now, l.err = p, nil, p.ReceivedAt, nil
	var receiver domain.ProblemActor
	switch p.Source {
	case domain.SourceServiceDay:
		receiver = actingAs(g.leaders[slices.IndexFunc(g.leaders, func(u *domain.User) bool { return u.ID == p.LeaderID })])
	case domain.SourceUnit:
		receiver = actingAs(g.reporters[g.firmUnitIdx(p)])
	case domain.SourceContactForm:
		receiver = domain.ProblemActor{EnterpriseID: p.EnterpriseID, ContactName: "企业联系人"}
	default:
		receiver = actingAs(g.coordinator)
	}
	fx, err := domain.ReceiveProblem(p, receiver, p.ReceivedAt, l.rules)
	if err != nil {
		return store.HistoryProblem{}, fmt.Errorf("synthetic problem refused on receipt: %w", err) // the generator's own bug
	}
	l.timeline = append(l.timeline, fx.Action)
	l.follow()
	l.at(l.horizon) // whatever is overdue by the end has been escalated by the job
	if l.err != nil {
		return store.HistoryProblem{}, l.err
	}
	return store.HistoryProblem{Problem: p, Timeline: l.timeline, Visit: visit}, nil
}

func (g *Generator) firmUnitIdx(p *domain.Problem) int {
	return slices.IndexFunc(g.unitList, func(u unitInfo) bool { return u.id == p.UnitID })
}

// actingAs is a signed-in user acting on a problem.
func actingAs(u *domain.User) domain.ProblemActor {
	return domain.ProblemActor{Actor: domain.Actor{User: u, Via: "synth"}}
}

// follow takes the problem through its steps; each returns early when the next step
// would pass the horizon.
func (l *loop) follow() {
	g, p, rng := l.g, l.p, l.g.rng
	coordinator := actingAs(g.coordinator)
	urgent := p.Urgency == domain.UrgencyUrgent
	// A few are duplicates the office closes before assigning.
	if rng.IntN(100) == 0 {
		if l.at(l.workday(1, 9, 3)) {
			l.do(coordinator, domain.ProblemCommand{Kind: domain.ActClose, Text: "与已登记诉求重复，合并办理。"})
		}
		return
	}
	lead := l.pickDept(p.Category, 0)
	assign := domain.ProblemCommand{Kind: domain.ActAssign, LeadUnitID: g.depts[lead].id}
	if rng.IntN(100) < 15 {
		for range 1 + rng.IntN(2) {
			if a := l.pickDept("", lead); !slices.Contains(assign.AssistingUnitIDs, g.depts[a].id) {
				assign.AssistingUnitIDs = append(assign.AssistingUnitIDs, g.depts[a].id)
			}
		}
	}
	next := l.workday(1, 9, 2)
	if urgent {
		next = l.now.Add(time.Duration(5+rng.IntN(20)) * time.Minute)
	} else if h := l.now.In(domain.ChinaTime).Hour(); h < 15 && l.cal.IsWorkingDay(l.now) {
		next = l.now.Add(time.Duration(30+rng.IntN(90)) * time.Minute)
	}
	if !l.at(next) {
		return
	}
	l.do(coordinator, assign)
	// Some departments say the problem is not theirs; the office reassigns it.
	if !urgent && rng.IntN(100) < 4 {
		if !l.at(l.workday(1, 9, 6)) {
			return
		}
		l.do(actingAs(g.depts[lead].handler), domain.ProblemCommand{Kind: domain.ActObject, Text: "该事项不属于本部门职责，建议交由相关主管部门办理。"})
		if !l.at(l.workday(1, 9, 3)) {
			return
		}
		lead = l.pickDept(p.Category, lead)
		assign.Kind, assign.LeadUnitID, assign.Text = domain.ActReassign, g.depts[lead].id, "按职责改派。"
		assign.AssistingUnitIDs = slices.DeleteFunc(assign.AssistingUnitIDs, func(id int64) bool { return id == g.depts[lead].id })
		l.do(coordinator, assign)
	}
	d := g.depts[lead]
	handler := actingAs(d.handler)
	next = l.workday(1, 9, 3)
	if urgent {
		next = l.now.Add(time.Duration(5+rng.IntN(20)) * time.Minute)
	}
	if !l.at(next) {
		return
	}
	l.do(handler, domain.ProblemCommand{Kind: domain.ActAccept})
	for _, a := range p.Assists {
		if urgent || !l.at(l.workday(1+rng.IntN(4), 9, 8)) {
			break // urgent problems are answered before assisting departments write back
		}
		assistant := g.depts[slices.IndexFunc(g.depts, func(x dept) bool { return x.id == a.UnitID })].handler
		l.do(actingAs(assistant), domain.ProblemCommand{Kind: domain.ActAssist, Text: assistAnswers[rng.IntN(len(assistAnswers))]})
	}
	// A few ask in time for a later deadline; most are approved.
	if !urgent && rng.IntN(100) < 6 && domain.WorkingDaysBetween(l.cal, l.now, p.DueAt) >= 3 {
		if !l.at(l.workday(1, 9, 6)) {
			return
		}
		newDue := l.cal.AddWorkingDays(p.DueAt, 5+rng.IntN(10))
		l.do(handler, domain.ProblemCommand{Kind: domain.ActRequestExtension, NewDueDate: newDue.Format(domain.DateLayout),
			Text: "涉及多部门会商和现场踏勘，需延长办理时限。"})
		if !l.at(l.workday(1, 9, 8)) {
			return
		}
		if rng.IntN(5) > 0 {
			l.do(coordinator, domain.ProblemCommand{Kind: domain.ActApproveExtension})
		} else {
			l.do(coordinator, domain.ProblemCommand{Kind: domain.ActRejectExtension, Text: "事项不复杂，请按原期限答复。"})
		}
	}
	for round := 0; ; round++ {
		if !l.at(l.replyTime(d)) {
			return
		}
		l.do(handler, domain.ProblemCommand{Kind: domain.ActReply, Text: problemReplies[rng.IntN(len(problemReplies))]})
		// Most are rated within a week by the enterprise, the linked leader or the
		// office after asking it; a few are never rated and the office closes them.
		if rng.IntN(100) < 4 {
			if l.at(l.workday(10, 9, 8)) {
				l.do(coordinator, domain.ProblemCommand{Kind: domain.ActClose, Text: "企业逾期未评价，经电话回访确认已解决，倍增办办结。"})
			}
			return
		}
		if !l.at(l.workday(1+rng.IntN(5), 9, 10)) {
			return
		}
		rater := domain.ProblemActor{EnterpriseID: p.EnterpriseID, ContactName: "企业联系人"}
		switch r := rng.IntN(10); {
		case r < 2 && p.LeaderID > 0:
			rater = actingAs(g.leaders[slices.IndexFunc(g.leaders, func(u *domain.User) bool { return u.ID == p.LeaderID })])
		case r < 3:
			rater = coordinator
		}
		rate := domain.ProblemCommand{Kind: domain.ActRate, Rating: domain.RatingSatisfied}
		switch r := rng.IntN(1000); {
		case r < d.unsatisfied*(round+1):
			rate.Rating, rate.Text = domain.RatingUnsatisfied, "答复未解决实际问题，希望进一步协调。"
		case r < d.unsatisfied*(round+1)+150:
			rate.Rating = domain.RatingBasic
		}
		if rate.Rating == domain.RatingUnsatisfied && round > 0 {
			// Twice found wanting: the office explains the policy's limits and closes it.
			if l.at(l.workday(2, 9, 6)) {
				l.do(coordinator, domain.ProblemCommand{Kind: domain.ActClose, Text: "经两次办理，诉求超出现行政策范围，已向企业说明，倍增办办结。"})
			}
			return
		}
		l.do(rater, rate)
		if p.Status == domain.ProblemClosed {
			return
		}
	}
}

// replyTime draws when the lead answers: within its deadline mostly, late as often as
// the department tends to be.
func (l *loop) replyTime(d dept) time.Time {
	rng, p := l.g.rng, l.p
	late := rng.IntN(1000) < d.late
	if l.rules.LimitFor(p).ClockHours > 0 {
		// Clock-hour deadlines: minutes, or hours late.
		if late {
			return p.DueAt.Add(time.Duration(30+rng.IntN(600)) * time.Minute)
		}
		return l.now.Add(time.Duration(1+rng.IntN(max(1, int(p.DueAt.Sub(l.now).Minutes())-1))) * time.Minute)
	}
	if late {
		return l.cal.AddWorkingDays(p.DueAt, 1+rng.IntN(15)).Add(time.Duration(9*60+rng.IntN(8*60)) * time.Minute)
	}
	left := domain.WorkingDaysBetween(l.cal, l.now, p.DueAt)
	if left == 0 {
		return l.now.Add(time.Duration(1+rng.IntN(120)) * time.Minute)
	}
	return l.workday(1+rng.IntN(left), 9, 8)
}

// workday is a time on the n-th working day after now, between from o'clock and from+span.
func (l *loop) workday(n, from, span int) time.Time {
	return l.cal.AddWorkingDays(l.now, n).Add(time.Duration(from*60+l.g.rng.IntN(span*60)) * time.Minute)
}

// pickDept draws a department that leads on the category (any but the supervision
// office for ""), other than not (an index; the supervision office is never drawn).
func (l *loop) pickDept(category string, not int) int {
	var fit []int
	for i, d := range l.g.depts {
		if i != not && d.categories != nil && (category == "" || slices.Contains(d.categories, category)) {
			fit = append(fit, i)
		}
	}
	if len(fit) == 0 { // the only department of the category objected: any other
		return l.pickDept("", not)
	}
	return fit[l.g.rng.IntN(len(fit))]
}

// at moves the clock to t unless t is past the horizon. An owed answer whose deadline
// passed before t was escalated by the hourly job first (once per missed deadline).
func (l *loop) at(t time.Time) bool {
	p := l.p
	if l.err != nil {
		return false
	}
	if esc := p.DueAt.Add(time.Duration(1+l.g.rng.IntN(int(jobDelay/time.Minute))) * time.Minute); !p.DueAt.IsZero() &&
		domain.Overdue(p, esc) && !p.EscalatedDueAt.Equal(p.DueAt) && esc.Before(t) && !esc.After(l.horizon) {
		l.now = esc
		l.do(domain.ProblemActor{Actor: domain.Actor{Via: "job"}}, domain.ProblemCommand{Kind: domain.ActEscalate})
	}
	if t.After(l.horizon) {
		return false
	}
	l.now = maxTime(l.now, t)
	return true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// do applies an action the generator has made legal; a refusal is the generator's bug,
// kept in l.err (and every later step is skipped).
func (l *loop) do(actor domain.ProblemActor, c domain.ProblemCommand) {
	if l.err != nil {
		return
	}
	fx, err := domain.ApplyProblem(l.p, c, actor, l.now, l.cal, l.rules)
	if err != nil {
		l.err = fmt.Errorf("synthetic problem: %s refused at %s: %w", c.Kind, l.now, err)
		return
	}
	l.timeline = append(l.timeline, fx.Action)
}
