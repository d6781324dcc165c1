package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// demoProblems are what enterprises in the fictional city ask for, by category.
var demoProblems = []struct{ category, title, description string }{
	{"land", "二期扩建用地指标", "企业计划新建二期厂房，需新增工业用地约30亩，请协调用地指标和供地时序。"},
	{"finance", "流动资金贷款续贷", "一笔800万元流动资金贷款年底到期，请协调银行无还本续贷。"},
	{"approval", "环评批复办理进度", "技改项目环评报告已提交，请协助加快审批。"},
	{"labour", "熟练技工招聘困难", "窑炉和釉料岗位缺熟练工约40人，请协助对接职业院校和招聘会。"},
	{"utilities", "厂区用电增容", "新增生产线需将变压器容量增至2000千伏安，请协调供电公司。"},
	{"utilities", "天然气供应价格", "窑炉用气量大，请协调燃气公司执行工业用气优惠价格。"},
	{"policy", "技改补贴兑现", "去年技改项目已验收，市级技改补贴尚未拨付，请协调兑现。"},
	{"policy", "研发费用加计扣除辅导", "请税务部门上门辅导研发费用加计扣除申报。"},
	{"infrastructure", "园区道路破损", "厂区门口园区道路破损严重，影响重型货车通行，请安排修复。"},
	{"market", "参加陶瓷博览会展位", "希望参加今年国际陶瓷博览会，请协调展位和参展补助。"},
	{"other", "员工子女入学", "引进的技术骨干子女需就近入学，请协调教育部门。"},
}

var demoReplies = []string{
	"已会同相关部门研究，按程序予以支持，具体事项已电话告知企业负责人。",
	"经协调，已明确办理路径和时限，请企业按清单补齐材料后办理。",
	"已现场调研并协调解决，后续将持续跟踪。",
}

// loadService links the demo leader to enterprises, records a few months of service-day
// visits, and runs about a hundred problems through the loop at their own past times on
// the real calendar, so that every state appears: some waiting, some overdue and
// escalated, most answered and rated. Departments other than the demo handler's get a
// handler account each (not in the printed list; same demo password).
func loadService(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64, now time.Time) error {
	leader, err := st.FindUserByUsername(ctx, "leader")
	if err != nil {
		return err
	}
	coordinator, err := st.FindUserByUsername(ctx, "coordinator")
	if err != nil {
		return err
	}
	handlers := map[int64]*domain.User{}
	var departments []int64
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.kind != domain.UnitDepartment {
			continue
		}
		id := ids[u.code]
		departments = append(departments, id)
		if u.code == "D02" {
			h, err := st.FindUserByUsername(ctx, "handler")
			if err != nil {
				return err
			}
			handlers[id] = h
			continue
		}
		h := &domain.User{Username: "handler-" + u.code, DisplayName: u.name + "办理人（示例）", UnitID: id, Roles: []domain.Role{domain.RoleHandler}}
		if err := st.CreateUser(ctx, actor, h, hash); err != nil {
			return fmt.Errorf("demo handler %s: %w", u.code, err)
		}
		handlers[id] = h
	}
	firms, _, err := st.FindEnterprises(ctx, domain.EnterpriseFilter{Status: domain.StatusActive, Limit: 500})
	if err != nil {
		return err
	}
	if len(firms) < 40 {
		return fmt.Errorf("demo service loop: only %d enterprises", len(firms))
	}
	cal, err := st.Calendar(ctx)
	if err != nil {
		return err
	}
	rule, err := st.ServiceDayRule(ctx)
	if err != nil {
		return err
	}

	// The store's clock walks through the past; it is put back however loading ends.
	realNow := st.Now
	defer func() { st.Now = realNow }()
	at := func(t time.Time) { st.Now = func() time.Time { return t } }
	today := domain.DateOf(now)
	start := today.AddDate(0, -5, 0)
	at(domain.StartOfDay(start).Add(9 * time.Hour))
	linked := firms[:12]
	for _, e := range linked {
		l := &domain.LeaderLink{LeaderID: leader.ID, EnterpriseID: e.ID, StartOn: start.AddDate(0, -1, 0).Format(domain.DateLayout)}
		if err := st.CreateLink(ctx, actor, l); err != nil {
			return fmt.Errorf("demo link: %w", err)
		}
	}

	rng := rand.New(rand.NewPCG(2026, 516))
	asUser := func(u *domain.User) domain.ProblemActor {
		return domain.ProblemActor{Actor: domain.Actor{User: u, Via: "demo"}}
	}
	pick := func() (string, string, string) {
		d := demoProblems[rng.IntN(len(demoProblems))]
		return d.category, d.title, d.description
	}
	var raised []*domain.Problem
	// Service days: the leader visits three or four linked enterprises and brings back
	// one or two problems from each.
	for m := 5; m >= 0; m-- {
		month := today.AddDate(0, -m, 1-today.Day())
		sd := rule.ServiceDay(cal, month.Year(), month.Month())
		if !sd.Date.Before(today) {
			continue
		}
		for k := range 3 + rng.IntN(2) {
			e := linked[(m*4+k)%len(linked)]
			at(domain.StartOfDay(sd.Date).Add(time.Duration(15+k) * time.Hour))
			v := &domain.ServiceVisit{EnterpriseID: e.ID, VisitOn: sd.Date.Format(domain.DateLayout),
				Notes: "走访生产一线，了解订单、用工和扩产计划。"}
			var ps []*domain.Problem
			for range 1 + rng.IntN(2) {
				c, t, d := pick()
				ps = append(ps, &domain.Problem{Category: c, Urgency: domain.UrgencyGeneral, Title: t, Description: d})
			}
			if err := st.RecordVisit(ctx, asUser(leader), v, ps); err != nil {
				return fmt.Errorf("demo visit: %w", err)
			}
			raised = append(raised, ps...)
		}
	}
	// Problems registered by the office on working days over the same months.
	for day, n := start, 0; day.Before(today) && len(raised) < 105; day, n = day.AddDate(0, 0, 1), n+1 {
		if !cal.IsWorkingDay(day) || n%3 == 1 {
			continue
		}
		c, t, d := pick()
		urgency := domain.UrgencyGeneral
		switch rng.IntN(10) {
		case 0:
			urgency = domain.UrgencyUrgent
		case 1:
			urgency = domain.UrgencyComplex
		}
		at(domain.StartOfDay(day).Add(10 * time.Hour))
		e := firms[12+rng.IntN(len(firms)-12)]
		p := &domain.Problem{Source: domain.SourceCoordinator, EnterpriseID: e.ID, Category: c, Urgency: urgency, Title: t, Description: d}
		if err := st.RaiseProblem(ctx, asUser(coordinator), p); err != nil {
			return fmt.Errorf("demo problem: %w", err)
		}
		raised = append(raised, p)
	}

	// Each problem then runs through the loop, one step every working day or two, until
	// the next step would be in the future.
	work := cal.WorkingDays()
	for i, p := range raised {
		clock := p.ReceivedAt
		step := func(days, hour int) bool {
			d := work.AddWorkingDays(clock.In(domain.ChinaTime), days)
			clock = domain.StartOfDay(domain.DateOf(d)).Add(time.Duration(hour) * time.Hour)
			if !clock.Before(now) {
				return false
			}
			at(clock)
			return true
		}
		do := func(u *domain.User, c domain.ProblemCommand) error {
			q, err := st.ActOnProblem(ctx, asUser(u), p.ID, p.Version, c)
			if err != nil {
				return fmt.Errorf("demo problem %d %s: %w", p.ID, c.Kind, err)
			}
			p = q
			return nil
		}
		lead := departments[rng.IntN(len(departments))]
		if i%3 == 0 {
			lead = ids["D02"] // the demo handler's department has the most to do
		}
		assign := domain.ProblemCommand{Kind: domain.ActAssign, LeadUnitID: lead}
		if i%6 == 0 {
			assign.AssistingUnitIDs = []int64{departments[(slices.Index(departments, lead)+1)%len(departments)]}
		}
		if i >= len(raised)-3 || !step(1, 9) {
			continue // the newest wait for the office to assign them
		}
		if err := do(coordinator, assign); err != nil {
			return err
		}
		if i%19 == 0 { // not this department's: it asks for reassignment
			if !step(1, 11) {
				continue
			}
			if err := do(handlers[lead], domain.ProblemCommand{Kind: domain.ActObject, Text: "该事项不属于本部门职责，建议交由相关主管部门办理。"}); err != nil {
				return err
			}
			if i%38 == 0 || !step(1, 9) {
				continue // still waiting for the office
			}
			lead = departments[(slices.Index(departments, lead)+3)%len(departments)]
			if err := do(coordinator, domain.ProblemCommand{Kind: domain.ActReassign, LeadUnitID: lead, Text: "按职责改派。"}); err != nil {
				return err
			}
		}
		// Urgent problems are taken up within the hour and answered within their two hours.
		urgent := p.Urgency == domain.UrgencyUrgent
		later := func(d time.Duration) bool {
			clock = clock.Add(d)
			if !clock.Before(now) {
				return false
			}
			at(clock)
			return true
		}
		if i%23 == 5 || (urgent && !later(30*time.Minute)) || (!urgent && !step(1, 10)) {
			continue // not yet accepted
		}
		if err := do(handlers[lead], domain.ProblemCommand{Kind: domain.ActAccept}); err != nil {
			return err
		}
		for _, a := range p.Assists {
			if step(1, 15) {
				if err := do(handlers[a.UnitID], domain.ProblemCommand{Kind: domain.ActAssist, Text: "同意主办部门意见，本部门配合办理。"}); err != nil {
					return err
				}
			}
		}
		// Most answer within the limit; every ninth drags on past it.
		days := 2 + rng.IntN(5)
		if i%9 == 4 {
			days = 30
		}
		if (urgent && !later(time.Hour)) || (!urgent && !step(days, 16)) {
			continue
		}
		if err := do(handlers[lead], domain.ProblemCommand{Kind: domain.ActReply, Text: demoReplies[rng.IntN(len(demoReplies))]}); err != nil {
			return err
		}
		if i%13 == 3 || !step(2, 11) {
			continue // the enterprise has not rated yet
		}
		rater := coordinator
		if p.LeaderID == leader.ID {
			rater = leader // the linked leader rates for the enterprise after asking it
		}
		rating := []string{domain.RatingSatisfied, domain.RatingSatisfied, domain.RatingSatisfied, domain.RatingBasic, domain.RatingUnsatisfied}[rng.IntN(5)]
		c := domain.ProblemCommand{Kind: domain.ActRate, Rating: rating}
		if rating == domain.RatingUnsatisfied {
			c.Text = "答复未解决实际问题，希望进一步协调。"
		}
		if err := do(rater, c); err != nil {
			return err
		}
		if rating == domain.RatingUnsatisfied && i%2 == 0 && step(3, 16) { // half are still being redone
			if err := do(handlers[lead], domain.ProblemCommand{Kind: domain.ActReply, Text: "已再次协调，形成具体解决方案并书面告知企业。"}); err != nil {
				return err
			}
			if step(2, 11) {
				if err := do(rater, domain.ProblemCommand{Kind: domain.ActRate, Rating: domain.RatingBasic}); err != nil {
					return err
				}
			}
		}
	}
	// Whatever is overdue now is escalated, as the hourly job would have done.
	st.Now = realNow
	if _, err := st.EscalateOverdue(ctx); err != nil {
		return fmt.Errorf("demo escalation: %w", err)
	}
	return nil
}
