package domain

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// springCalendar is a small WorkCalendar for tests: weekends off, with the 2026 Spring
// Festival — 2月15日至23日放假, 2月14日（周六）、2月28日（周六）上班.
type springCalendar struct{}

var (
	springHolidays = map[string]bool{}
	springWorkdays = map[string]bool{"2026-02-14": true, "2026-02-28": true}
)

func init() {
	for d := 15; d <= 23; d++ {
		springHolidays[time.Date(2026, 2, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)] = true
	}
}

func (springCalendar) IsWorkingDay(d time.Time) bool {
	k := d.Format(time.DateOnly)
	if springWorkdays[k] {
		return true
	}
	if springHolidays[k] {
		return false
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

func (c springCalendar) AddWorkingDays(from time.Time, n int) time.Time {
	d := from
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

var cal = springCalendar{}

// at reads "2026-02-13 10:00" in China time.
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

// due is the end of a China date: a working-day deadline.
func due(date string) time.Time { return at(date + " 23:59").Add(59 * time.Second) }

// The people around one problem: lead department 201, assisting 202, linked leader 7,
// enterprise 501 in county 301, supervision office 900.
var (
	coordinator  = ProblemActor{Actor: Actor{User: &User{ID: 1, DisplayName: "倍增办王五", UnitID: 100, Roles: []Role{RoleCoordinator}}}}
	leadHandler  = ProblemActor{Actor: Actor{User: &User{ID: 2, DisplayName: "自然资源局李四", UnitID: 201, Roles: []Role{RoleHandler}}}}
	assistant    = ProblemActor{Actor: Actor{User: &User{ID: 3, DisplayName: "住建局赵六", UnitID: 202, Roles: []Role{RoleHandler}}}}
	otherHandler = ProblemActor{Actor: Actor{User: &User{ID: 4, DisplayName: "税务局", UnitID: 209, Roles: []Role{RoleHandler}}}}
	linkedLeader = ProblemActor{Actor: Actor{User: &User{ID: 7, DisplayName: "陈副市长", UnitID: 100, Roles: []Role{RoleLeader}}}}
	otherLeader  = ProblemActor{Actor: Actor{User: &User{ID: 8, DisplayName: "另一位领导", UnitID: 100, Roles: []Role{RoleLeader}}}}
	admin        = ProblemActor{Actor: Actor{User: &User{ID: 9, Username: "admin", UnitID: 100, Roles: []Role{RoleAdmin}}}}
	enterprise   = ProblemActor{EnterpriseID: 501, ContactName: "刘经理"}
	otherFirm    = ProblemActor{EnterpriseID: 502}
	escalateJob  = ProblemActor{Actor: Actor{Via: "job"}}
)

func testRules() ProblemRules {
	r := DefaultProblemRules()
	r.Escalation.SupervisionUnitID = 900
	return r
}

// t0 is when the fixture problem is assigned: Thursday 12 February 2026, before the
// Spring Festival. With an assisting department it is complex: 25 working days.
var t0 = at("2026-02-12 09:00")

// problemIn drives a fresh problem through the loop to the status, with real actions.
func problemIn(t *testing.T, status string) *Problem {
	t.Helper()
	rules := testRules()
	p := &Problem{ID: 42, Source: SourceServiceDay, EnterpriseID: 501, UnitID: 301, Category: "land", Urgency: UrgencyGeneral,
		Title: "厂房用地指标", Description: "二期厂房需新增用地30亩，指标未落实。", LeaderID: 7}
	if _, err := ReceiveProblem(p, linkedLeader, t0.Add(-time.Hour), rules); err != nil {
		t.Fatal(err)
	}
	steps := map[string][]struct {
		actor ProblemActor
		cmd   ProblemCommand
	}{
		ProblemReceived:          nil,
		ProblemAssigned:          {{coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{202}}}},
		ProblemReassignRequested: {{leadHandler, ProblemCommand{Kind: ActObject, Text: "不属本局职责"}}},
		ProblemInProgress:        {{leadHandler, ProblemCommand{Kind: ActAccept}}},
		ProblemReplied:           {{leadHandler, ProblemCommand{Kind: ActReply, Text: "已纳入年度用地计划"}}},
		ProblemReopened:          {{enterprise, ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied, Text: "时间太晚"}}},
		ProblemClosed:            {{enterprise, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}}},
	}
	path := map[string][]string{
		ProblemReceived:          {ProblemReceived},
		ProblemAssigned:          {ProblemAssigned},
		ProblemReassignRequested: {ProblemAssigned, ProblemReassignRequested},
		ProblemInProgress:        {ProblemAssigned, ProblemInProgress},
		ProblemReplied:           {ProblemAssigned, ProblemInProgress, ProblemReplied},
		ProblemReopened:          {ProblemAssigned, ProblemInProgress, ProblemReplied, ProblemReopened},
		ProblemClosed:            {ProblemAssigned, ProblemInProgress, ProblemReplied, ProblemClosed},
	}[status]
	now := t0
	for _, s := range path {
		for _, st := range steps[s] {
			if _, err := ApplyProblem(p, st.cmd, st.actor, now, cal, rules); err != nil {
				t.Fatalf("to %s: %v", s, err)
			}
			now = now.Add(time.Hour)
		}
	}
	if p.Status != status {
		t.Fatalf("built %s, want %s", p.Status, status)
	}
	return p
}

func TestProblemRulesValidate(t *testing.T) {
	if err := DefaultProblemRules().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(r *ProblemRules)
		field string
	}{
		{"no categories", func(r *ProblemRules) { r.Categories = nil }, "categories"},
		{"bad code", func(r *ProblemRules) { r.Categories[0].Code = "用地" }, "categories"},
		{"duplicate code", func(r *ProblemRules) { r.Categories[1].Code = r.Categories[0].Code }, "categories"},
		{"empty label", func(r *ProblemRules) { r.Categories[0].Label = "" }, "categories"},
		{"category limit for unknown urgency", func(r *ProblemRules) {
			r.Categories[0].Limits = map[string]ProblemLimit{"someday": {WorkingDays: 5}}
		}, "categories"},
		{"category limit with both units", func(r *ProblemRules) {
			r.Categories[0].Limits = map[string]ProblemLimit{UrgencyGeneral: {ClockHours: 5, WorkingDays: 5}}
		}, "categories"},
		{"missing urgent limit", func(r *ProblemRules) { delete(r.Limits, UrgencyUrgent) }, "limits"},
		{"limit with neither", func(r *ProblemRules) { r.Limits[UrgencyGeneral] = ProblemLimit{} }, "limits"},
		{"negative limit", func(r *ProblemRules) { r.Limits[UrgencyGeneral] = ProblemLimit{WorkingDays: -3} }, "limits"},
		{"hours too long", func(r *ProblemRules) { r.Limits[UrgencyUrgent] = ProblemLimit{ClockHours: 73} }, "limits"},
		{"days too long", func(r *ProblemRules) { r.Limits[UrgencyComplex] = ProblemLimit{WorkingDays: 121} }, "limits"},
		{"unknown urgency", func(r *ProblemRules) { r.Limits["whenever"] = ProblemLimit{WorkingDays: 3} }, "limits"},
		{"assist 0", func(r *ProblemRules) { r.AssistWorkingDays = 0 }, "assist_working_days"},
		{"extension lead negative", func(r *ProblemRules) { r.ExtensionLeadWorkingDays = -1 }, "extension_lead_working_days"},
		{"weight above 1", func(r *ProblemRules) { r.Satisfaction.Basic = DecFromInt(2) }, "satisfaction"},
		{"basic above satisfied", func(r *ProblemRules) {
			r.Satisfaction.Satisfied, r.Satisfaction.Basic = DecFromInt(1)/2, DecFromInt(1)
		}, "satisfaction"},
		{"satisfied zero", func(r *ProblemRules) { r.Satisfaction = SatisfactionWeights{} }, "satisfaction"},
		{"supervision unit negative", func(r *ProblemRules) { r.Escalation.SupervisionUnitID = -1 }, "escalation"},
		{"percent above 100", func(r *ProblemRules) { r.Lists.RedMinOnTimePct = DecFromInt(101) }, "lists"},
		{"negative min judged", func(r *ProblemRules) { r.Lists.MinJudged = -1 }, "lists"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultProblemRules()
			tc.edit(&r)
			err := r.Validate()
			if ErrorCode(err) != EINVALID || ErrorFields(err)[tc.field] == "" {
				t.Fatalf("got %v, want a problem with %s", err, tc.field)
			}
		})
	}
	// DefaultProblemRules hands out fresh maps: editing one copy leaves the next alone.
	r := DefaultProblemRules()
	r.Limits[UrgencyGeneral] = ProblemLimit{WorkingDays: 1}
	if DefaultProblemRules().Limits[UrgencyGeneral].WorkingDays != 10 {
		t.Fatal("defaults shared")
	}
}

func TestProblemDeadlines(t *testing.T) {
	custom := DefaultProblemRules()
	custom.Categories[5].Limits = map[string]ProblemLimit{UrgencyGeneral: {WorkingDays: 15}} // policy
	noMulti := DefaultProblemRules()
	noMulti.MultiDepartmentComplex = false
	tests := []struct {
		name     string
		rules    ProblemRules
		urgency  string
		category string
		assists  int
		from     time.Time
		want     time.Time
	}{
		{"general, ordinary week", DefaultProblemRules(), UrgencyGeneral, "land", 0, at("2026-11-13 10:00"), due("2026-11-27")},
		{"general from Friday across the Spring Festival", DefaultProblemRules(), UrgencyGeneral, "land", 0, at("2026-02-13 10:00"), due("2026-03-05")},
		{"general from Thursday across the Spring Festival", DefaultProblemRules(), UrgencyGeneral, "land", 0, t0, due("2026-03-04")},
		{"general received on a holiday", DefaultProblemRules(), UrgencyGeneral, "land", 0, at("2026-02-18 15:00"), due("2026-03-06")},
		{"general on the adjusted Saturday", DefaultProblemRules(), UrgencyGeneral, "land", 0, at("2026-02-14 16:00"), due("2026-03-06")},
		{"multi-department is complex", DefaultProblemRules(), UrgencyGeneral, "land", 2, t0, due("2026-03-25")},
		{"multi-department as general when so set", noMulti, UrgencyGeneral, "land", 2, t0, due("2026-03-04")},
		{"complex", DefaultProblemRules(), UrgencyComplex, "land", 0, t0, due("2026-03-25")},
		{"urgent: two clock hours through midnight", DefaultProblemRules(), UrgencyUrgent, "land", 0, at("2026-02-13 22:30"), at("2026-02-14 00:30")},
		{"urgent on a holiday", DefaultProblemRules(), UrgencyUrgent, "land", 1, at("2026-02-17 10:00"), at("2026-02-17 12:00")},
		{"category's own limit", custom, UrgencyGeneral, "policy", 0, at("2026-11-02 09:00"), due("2026-11-23")},
		{"category limit only for its urgency", custom, UrgencyComplex, "policy", 0, at("2026-11-02 09:00"), due("2026-12-07")},
		// 20:00 UTC on Friday is 04:00 on the adjusted Saturday in China: the day counts from there.
		{"an instant in UTC counts on the China date", DefaultProblemRules(), UrgencyGeneral, "land", 0,
			time.Date(2026, 2, 13, 20, 0, 0, 0, time.UTC), due("2026-03-06")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Problem{Urgency: tc.urgency, Category: tc.category, Assists: make([]ProblemAssist, tc.assists)}
			got := DueFrom(tc.rules.LimitFor(p), tc.from, cal)
			if !got.Equal(tc.want) {
				t.Fatalf("due %s, want %s", got.In(ChinaTime), tc.want)
			}
		})
	}
	for _, tc := range []struct {
		from, to time.Time
		want     int
	}{
		{t0, at("2026-02-12 17:00"), 0},
		{t0, at("2026-02-13 09:00"), 1},
		{t0, at("2026-02-24 09:00"), 3}, // 13th, the adjusted 14th, 24th
		{at("2026-02-13 09:00"), at("2026-02-20 09:00"), 1},
		{at("2026-02-16 09:00"), at("2026-03-02 09:00"), 6}, // 24–27th, the adjusted 28th, 2 March
		{at("2026-11-27 09:00"), at("2026-11-30 09:00"), 1},
	} {
		if got := WorkingDaysBetween(cal, tc.from, tc.to); got != tc.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestReceiveProblem(t *testing.T) {
	rules := testRules()
	base := Problem{Source: SourceServiceDay, EnterpriseID: 501, UnitID: 301, Category: "land", Urgency: UrgencyGeneral,
		Title: " 用地指标 ", Description: "需新增用地"}
	tests := []struct {
		name   string
		edit   func(p *Problem)
		actor  ProblemActor
		code   string
		field  string
		party  string
		notice string
	}{
		{"leader on a service-day visit", nil, linkedLeader, "", "", PartyLeader, "新诉求待交办：「用地指标」（企业服务日走访，一般）。"},
		{"coordinator, any source", func(p *Problem) { p.Source = SourceContactForm }, coordinator, "", "", PartyCoordinator, ""},
		{"the enterprise through its form", func(p *Problem) { p.Source = SourceContactForm }, enterprise, "", "", PartyEnterprise, ""},
		{"another enterprise's form", func(p *Problem) { p.Source = SourceContactForm }, otherFirm, EFORBIDDEN, "", "", ""},
		{"enterprise may not claim a visit", nil, enterprise, EFORBIDDEN, "", "", ""},
		{"leader may not register for the office", func(p *Problem) { p.Source = SourceCoordinator }, linkedLeader, EFORBIDDEN, "", "", ""},
		{"handler may not register", nil, leadHandler, EFORBIDDEN, "", "", ""},
		{"the enterprise's county reporter", func(p *Problem) { p.Source = SourceUnit }, countyReporter(301), "", "", PartyReporter, ""},
		{"another county's reporter", func(p *Problem) { p.Source = SourceUnit }, countyReporter(302), EFORBIDDEN, "", "", ""},
		{"a reporter may not register for the office", func(p *Problem) { p.Source = SourceCoordinator }, countyReporter(301), EFORBIDDEN, "", "", ""},
		{"admin may not register", nil, admin, EFORBIDDEN, "", "", ""},
		{"unknown source", func(p *Problem) { p.Source = "phone" }, coordinator, EINVALID, "source", "", ""},
		{"no enterprise", func(p *Problem) { p.EnterpriseID = 0 }, coordinator, EINVALID, "enterprise_id", "", ""},
		{"no unit", func(p *Problem) { p.UnitID = 0 }, coordinator, EINVALID, "unit_id", "", ""},
		{"category the city does not have", func(p *Problem) { p.Category = "weather" }, coordinator, EINVALID, "category", "", ""},
		{"unknown urgency", func(p *Problem) { p.Urgency = "asap" }, coordinator, EINVALID, "urgency", "", ""},
		{"blank title", func(p *Problem) { p.Title = "  " }, coordinator, EINVALID, "title", "", ""},
		{"long title", func(p *Problem) { p.Title = strings.Repeat("长", 101) }, coordinator, EINVALID, "title", "", ""},
		{"no description", func(p *Problem) { p.Description = "" }, coordinator, EINVALID, "description", "", ""},
		{"negative leader", func(p *Problem) { p.LeaderID = -1 }, coordinator, EINVALID, "leader_id", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			if tc.edit != nil {
				tc.edit(&p)
			}
			eff, err := ReceiveProblem(&p, tc.actor, t0, rules)
			if ErrorCode(err) != tc.code {
				t.Fatalf("err %v, want code %q", err, tc.code)
			}
			if tc.field != "" && ErrorFields(err)[tc.field] == "" {
				t.Fatalf("no problem with %s: %v", tc.field, err)
			}
			if err != nil {
				return
			}
			if p.Status != ProblemReceived || !p.ReceivedAt.Equal(t0) || p.Title != "用地指标" || eff.Action.Party != tc.party ||
				eff.Action.Kind != ActReceive || eff.Action.To != ProblemReceived || len(eff.Notices) != 1 || eff.Notices[0].To != NoticeCoordinators {
				t.Fatalf("%+v %+v", p, eff)
			}
			if tc.notice != "" && eff.Notices[0].Message != tc.notice {
				t.Fatalf("notice %q", eff.Notices[0].Message)
			}
		})
	}
}

func TestProblemTransitions(t *testing.T) {
	later := t0.Add(5 * time.Hour)
	tests := []struct {
		name  string
		from  string
		actor ProblemActor
		cmd   ProblemCommand
		code  string // "" when allowed
		to    string
		party string
	}{
		// assign: the coordinator only, from received.
		{"coordinator assigns", ProblemReceived, coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{202, 203}}, "", ProblemAssigned, PartyCoordinator},
		{"handler may not assign", ProblemReceived, leadHandler, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, EFORBIDDEN, "", ""},
		{"leader may not assign", ProblemReceived, linkedLeader, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, EFORBIDDEN, "", ""},
		{"admin may not assign", ProblemReceived, admin, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, EFORBIDDEN, "", ""},
		{"the job may not assign", ProblemReceived, escalateJob, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, EFORBIDDEN, "", ""},
		{"assign needs a lead", ProblemReceived, coordinator, ProblemCommand{Kind: ActAssign}, EINVALID, "", ""},
		{"lead cannot also assist", ProblemReceived, coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{201}}, EINVALID, "", ""},
		{"assisting twice", ProblemReceived, coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{202, 202}}, EINVALID, "", ""},
		{"assisting id invalid", ProblemReceived, coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{0}}, EINVALID, "", ""},
		{"assign twice is a reassignment", ProblemAssigned, coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 203}, ECONFLICT, "", ""},
		// accept / object: the lead department's handler, from assigned.
		{"lead accepts", ProblemAssigned, leadHandler, ProblemCommand{Kind: ActAccept}, "", ProblemInProgress, PartyLead},
		{"another department may not accept", ProblemAssigned, otherHandler, ProblemCommand{Kind: ActAccept}, EFORBIDDEN, "", ""},
		{"assisting may not accept", ProblemAssigned, assistant, ProblemCommand{Kind: ActAccept}, EFORBIDDEN, "", ""},
		{"coordinator may not accept for the lead", ProblemAssigned, coordinator, ProblemCommand{Kind: ActAccept}, EFORBIDDEN, "", ""},
		{"accept before assignment", ProblemReceived, leadHandler, ProblemCommand{Kind: ActAccept}, ECONFLICT, "", ""},
		{"lead objects", ProblemAssigned, leadHandler, ProblemCommand{Kind: ActObject, Text: "属住建局职责"}, "", ProblemReassignRequested, PartyLead},
		{"objection needs a reason", ProblemAssigned, leadHandler, ProblemCommand{Kind: ActObject, Text: " "}, EINVALID, "", ""},
		{"no objection once accepted", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActObject, Text: "x"}, ECONFLICT, "", ""},
		{"assisting may not object", ProblemAssigned, assistant, ProblemCommand{Kind: ActObject, Text: "x"}, EFORBIDDEN, "", ""},
		// reassign: the coordinator, while the lead has it or objected.
		{"coordinator reassigns after an objection", ProblemReassignRequested, coordinator, ProblemCommand{Kind: ActReassign, LeadUnitID: 202, Text: "改由住建局主办"}, "", ProblemAssigned, PartyCoordinator},
		{"reassignment needs a reason", ProblemReassignRequested, coordinator, ProblemCommand{Kind: ActReassign, LeadUnitID: 202}, EINVALID, "", ""},
		{"reassign while in progress", ProblemInProgress, coordinator, ProblemCommand{Kind: ActReassign, LeadUnitID: 203, Text: "调整"}, "", ProblemAssigned, PartyCoordinator},
		{"reassign a reopened problem", ProblemReopened, coordinator, ProblemCommand{Kind: ActReassign, LeadUnitID: 203, Text: "调整"}, "", ProblemAssigned, PartyCoordinator},
		{"no reassigning a replied problem", ProblemReplied, coordinator, ProblemCommand{Kind: ActReassign, LeadUnitID: 203, Text: "x"}, ECONFLICT, "", ""},
		{"lead may not reassign", ProblemReassignRequested, leadHandler, ProblemCommand{Kind: ActReassign, LeadUnitID: 202, Text: "x"}, EFORBIDDEN, "", ""},
		{"lead may not accept after objecting", ProblemReassignRequested, leadHandler, ProblemCommand{Kind: ActAccept}, ECONFLICT, "", ""},
		// assist: an assisting department, while the lead works.
		{"assisting answers the lead", ProblemAssigned, assistant, ProblemCommand{Kind: ActAssist, Text: "规划许可可同步办理"}, "", ProblemAssigned, PartyAssisting},
		{"assisting answers during work", ProblemInProgress, assistant, ProblemCommand{Kind: ActAssist, Text: "同意"}, "", ProblemInProgress, PartyAssisting},
		{"assist answer needs text", ProblemInProgress, assistant, ProblemCommand{Kind: ActAssist}, EINVALID, "", ""},
		{"lead is not assisting", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActAssist, Text: "x"}, EFORBIDDEN, "", ""},
		{"other department is not assisting", ProblemInProgress, otherHandler, ProblemCommand{Kind: ActAssist, Text: "x"}, EFORBIDDEN, "", ""},
		{"no assisting after the reply", ProblemReplied, assistant, ProblemCommand{Kind: ActAssist, Text: "x"}, ECONFLICT, "", ""},
		// reply: the lead, once accepted.
		{"lead replies", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActReply, Text: "已协调解决"}, "", ProblemReplied, PartyLead},
		{"lead replies again after reopening", ProblemReopened, leadHandler, ProblemCommand{Kind: ActReply, Text: "补充答复"}, "", ProblemReplied, PartyLead},
		{"reply needs text", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActReply, Text: "\n"}, EINVALID, "", ""},
		{"reply too long", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActReply, Text: strings.Repeat("字", 2001)}, EINVALID, "", ""},
		{"reply before accepting", ProblemAssigned, leadHandler, ProblemCommand{Kind: ActReply, Text: "x"}, ECONFLICT, "", ""},
		{"assisting may not reply", ProblemInProgress, assistant, ProblemCommand{Kind: ActReply, Text: "x"}, EFORBIDDEN, "", ""},
		{"coordinator may not reply for the lead", ProblemInProgress, coordinator, ProblemCommand{Kind: ActReply, Text: "x"}, EFORBIDDEN, "", ""},
		{"leader may not reply", ProblemInProgress, linkedLeader, ProblemCommand{Kind: ActReply, Text: "x"}, EFORBIDDEN, "", ""},
		// extension: the lead asks, the coordinator decides.
		{"lead asks for an extension", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-04-10", Text: "需省厅审批"}, "", ProblemInProgress, PartyLead},
		{"assisting may not ask for an extension", ProblemInProgress, assistant, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-04-10", Text: "x"}, EFORBIDDEN, "", ""},
		{"no extension before accepting", ProblemAssigned, leadHandler, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-04-10", Text: "x"}, ECONFLICT, "", ""},
		{"nothing to approve", ProblemInProgress, coordinator, ProblemCommand{Kind: ActApproveExtension}, ECONFLICT, "", ""},
		{"nothing to reject", ProblemInProgress, coordinator, ProblemCommand{Kind: ActRejectExtension, Text: "x"}, ECONFLICT, "", ""},
		{"lead may not approve", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActApproveExtension}, EFORBIDDEN, "", ""},
		// rate: the enterprise, the linked leader or the coordinator on its behalf.
		{"enterprise is satisfied", ProblemReplied, enterprise, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}, "", ProblemClosed, PartyEnterprise},
		{"linked leader rates for the enterprise", ProblemReplied, linkedLeader, ProblemCommand{Kind: ActRate, Rating: RatingBasic}, "", ProblemClosed, PartyLeader},
		{"coordinator rates for the enterprise", ProblemReplied, coordinator, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}, "", ProblemClosed, PartyCoordinator},
		{"unsatisfied reopens", ProblemReplied, enterprise, ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied, Text: "未解决"}, "", ProblemReopened, PartyEnterprise},
		{"unsatisfied needs a reason", ProblemReplied, enterprise, ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied}, EINVALID, "", ""},
		{"unknown rating", ProblemReplied, enterprise, ProblemCommand{Kind: ActRate, Rating: "great"}, EINVALID, "", ""},
		{"another enterprise may not rate", ProblemReplied, otherFirm, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}, EFORBIDDEN, "", ""},
		{"another leader may not rate", ProblemReplied, otherLeader, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}, EFORBIDDEN, "", ""},
		{"the lead may not rate itself", ProblemReplied, leadHandler, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}, EFORBIDDEN, "", ""},
		{"no rating before the reply", ProblemInProgress, enterprise, ProblemCommand{Kind: ActRate, Rating: RatingSatisfied}, ECONFLICT, "", ""},
		{"no rating a closed problem", ProblemClosed, enterprise, ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied, Text: "x"}, ECONFLICT, "", ""},
		// close: the coordinator with a reason, from anywhere but closed.
		{"coordinator closes a received problem", ProblemReceived, coordinator, ProblemCommand{Kind: ActClose, Text: "企业撤回"}, "", ProblemClosed, PartyCoordinator},
		{"coordinator closes a reopened problem", ProblemReopened, coordinator, ProblemCommand{Kind: ActClose, Text: "政策不允许，已当面解释"}, "", ProblemClosed, PartyCoordinator},
		{"closing needs a reason", ProblemInProgress, coordinator, ProblemCommand{Kind: ActClose}, EINVALID, "", ""},
		{"lead may not close", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActClose, Text: "x"}, EFORBIDDEN, "", ""},
		{"leader may not close", ProblemInProgress, linkedLeader, ProblemCommand{Kind: ActClose, Text: "x"}, EFORBIDDEN, "", ""},
		{"closed stays closed", ProblemClosed, coordinator, ProblemCommand{Kind: ActClose, Text: "x"}, ECONFLICT, "", ""},
		// escalate: only an overdue problem (see TestProblemEscalation for the clock).
		{"not overdue yet", ProblemInProgress, escalateJob, ProblemCommand{Kind: ActEscalate}, EINVALID, "", ""},
		{"lead may not escalate", ProblemInProgress, leadHandler, ProblemCommand{Kind: ActEscalate}, EFORBIDDEN, "", ""},
		{"enterprise may not escalate", ProblemInProgress, enterprise, ProblemCommand{Kind: ActEscalate}, EFORBIDDEN, "", ""},
		{"a replied problem is not escalated", ProblemReplied, escalateJob, ProblemCommand{Kind: ActEscalate}, ECONFLICT, "", ""},
		{"unknown action", ProblemInProgress, coordinator, ProblemCommand{Kind: "delete"}, EINVALID, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := problemIn(t, tc.from)
			before := p.clone()
			eff, err := ApplyProblem(p, tc.cmd, tc.actor, later, cal, testRules())
			if ErrorCode(err) != tc.code {
				t.Fatalf("err %v, want code %q", err, tc.code)
			}
			if err != nil {
				if ErrorMessage(err) == "" || !reflect.DeepEqual(*p, before) {
					t.Fatalf("refused action changed the problem or has no message: %v", err)
				}
				return
			}
			a := eff.Action
			if p.Status != tc.to || a.From != tc.from || a.To != tc.to || a.Kind != tc.cmd.Kind || a.Party != tc.party ||
				a.ActorUserID != tc.actor.UserID() || a.ActorName != tc.actor.DisplayName() || !a.At.Equal(later) || a.ProblemID != 42 {
				t.Fatalf("status %s, action %+v", p.Status, a)
			}
		})
	}
}

func TestProblemActionsFor(t *testing.T) {
	for _, tc := range []struct {
		status string
		actor  ProblemActor
		want   []string
	}{
		{ProblemReceived, coordinator, []string{ActAssign, ActClose}},
		{ProblemAssigned, leadHandler, []string{ActAccept, ActObject}},
		{ProblemAssigned, assistant, []string{ActAssist}},
		{ProblemInProgress, leadHandler, []string{ActReply, ActRequestExtension}},
		{ProblemInProgress, coordinator, []string{ActReassign, ActApproveExtension, ActRejectExtension, ActEscalate, ActClose}},
		{ProblemReplied, enterprise, []string{ActRate}},
		{ProblemReplied, linkedLeader, []string{ActRate}},
		{ProblemReplied, otherLeader, nil},
		{ProblemClosed, coordinator, nil},
		{ProblemInProgress, admin, nil},
	} {
		if got := ProblemActionsFor(problemIn(t, tc.status), tc.actor); !slices.Equal(got, tc.want) {
			t.Errorf("%s as %s: %v, want %v", tc.status, tc.actor.DisplayName(), got, tc.want)
		}
	}
}

func TestProblemAssignmentNotices(t *testing.T) {
	p := problemIn(t, ProblemReceived)
	eff, err := ApplyProblem(p, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{202}}, coordinator, t0, cal, testRules())
	if err != nil {
		t.Fatal(err)
	}
	// One assisting department makes it multi-department: 25 working days from Thursday
	// 12 February, past the Spring Festival; the assisting answer 3 working days: the
	// 13th, the adjusted Saturday 14th and the 24th.
	if !p.DueAt.Equal(due("2026-03-25")) || !p.Assists[0].DueAt.Equal(due("2026-02-24")) || !eff.Action.DueAt.Equal(p.DueAt) ||
		!slices.Equal(eff.Action.UnitIDs, []int64{201, 202}) || !p.AssignedAt.Equal(t0) {
		t.Fatalf("%+v %+v", p, eff.Action)
	}
	want := []ProblemNotice{
		{NoticeUnit, 201, "诉求「厂房用地指标」已交办贵单位主办，请及时签收，并于2026年3月25日前答复企业。"},
		{NoticeUnit, 202, "诉求「厂房用地指标」请贵单位协办，请于2026年2月24日前向主办部门反馈意见。"},
	}
	if !reflect.DeepEqual(eff.Notices, want) {
		t.Fatalf("notices %+v", eff.Notices)
	}
	if got := OverdueAssists(p, at("2026-02-24 23:00")); got != nil {
		t.Fatalf("assisting not yet late: %v", got)
	}
	if got := OverdueAssists(p, at("2026-02-25 00:00")); !slices.Equal(got, []int64{202}) {
		t.Fatalf("assisting late: %v", got)
	}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAssist, Text: "同意"}, assistant, at("2026-02-25 09:00"), cal, testRules()); err != nil {
		t.Fatal(err)
	}
	if got := OverdueAssists(p, at("2026-02-25 10:00")); got != nil || !p.Assists[0].AnsweredAt.Equal(at("2026-02-25 09:00")) {
		t.Fatalf("answered: %v %+v", got, p.Assists)
	}

	// The lead objects; the coordinator reassigns to the assisting department with a new
	// deadline from the reassignment, and tells the old lead.
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActObject, Text: "不属本局职责"}, leadHandler, at("2026-02-25 10:00"), cal, testRules()); err != nil {
		t.Fatal(err)
	}
	eff, err = ApplyProblem(p, ProblemCommand{Kind: ActReassign, LeadUnitID: 202, Text: "改由住建局主办"}, coordinator, at("2026-02-25 11:00"), cal, testRules())
	if err != nil {
		t.Fatal(err)
	}
	if p.LeadUnitID != 202 || len(p.Assists) != 0 || !p.DueAt.Equal(due("2026-03-10")) || p.Status != ProblemAssigned {
		t.Fatalf("%+v", p)
	}
	if len(eff.Notices) != 2 || eff.Notices[1] != (ProblemNotice{NoticeUnit, 201, "诉求「厂房用地指标」已改派其他部门主办，贵单位无需继续办理。原因：改由住建局主办"}) {
		t.Fatalf("%+v", eff.Notices)
	}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAccept}, leadHandler, at("2026-02-25 12:00"), cal, testRules()); ErrorCode(err) != EFORBIDDEN {
		t.Fatalf("old lead accepted: %v", err)
	}
	// Reassigned once more: 201 back as lead, 203 assisting. The departing lead 202 now
	// assists, so it hears of its new task only.
	eff, err = ApplyProblem(p, ProblemCommand{Kind: ActReassign, LeadUnitID: 201, AssistingUnitIDs: []int64{202, 203}, Text: "联合办理"}, coordinator, at("2026-02-25 13:00"), cal, testRules())
	if err != nil {
		t.Fatal(err)
	}
	if len(eff.Notices) != 3 || eff.Notices[0].ID != 201 || eff.Notices[1].ID != 202 || eff.Notices[2].ID != 203 {
		t.Fatalf("%+v", eff.Notices)
	}
	// And once more to 204 alone: 201 is no longer lead, 202 and 203 no longer assist.
	eff, err = ApplyProblem(p, ProblemCommand{Kind: ActReassign, LeadUnitID: 204, Text: "改由发改委主办"}, coordinator, at("2026-02-25 14:00"), cal, testRules())
	if err != nil {
		t.Fatal(err)
	}
	if len(eff.Notices) != 4 || eff.Notices[1].ID != 201 ||
		eff.Notices[2] != (ProblemNotice{NoticeUnit, 202, "诉求「厂房用地指标」已调整协办部门，贵单位无需继续协办。原因：改由发改委主办"}) || eff.Notices[3].ID != 203 {
		t.Fatalf("%+v", eff.Notices)
	}
}

func TestProblemExtension(t *testing.T) {
	oneDay := testRules() // general, no assisting: 10 working days from t0 → 4 March
	twoDays := testRules()
	twoDays.ExtensionLeadWorkingDays = 2
	none := testRules()
	none.ExtensionLeadWorkingDays = 0
	short := testRules() // 3 working days from t0 → 24 February, right after the holiday
	short.Limits[UrgencyGeneral] = ProblemLimit{WorkingDays: 3}
	tests := []struct {
		name    string
		rules   ProblemRules
		urgency string
		now     time.Time
		newDate string
		reason  string
		code    string
		msg     string
	}{
		{"a day and more ahead", oneDay, UrgencyGeneral, at("2026-03-03 17:30"), "2026-03-18", "需省厅批复", "", ""},
		{"well ahead", oneDay, UrgencyGeneral, at("2026-02-24 09:00"), "2026-03-18", "需省厅批复", "", ""},
		{"on the deadline day is too late", oneDay, UrgencyGeneral, at("2026-03-04 08:00"), "2026-03-18", "需省厅批复", EINVALID,
			"延期须在答复期限2026年3月4日前至少1个工作日提出，现已不能申请延期，请按期答复。"},
		{"two days ahead needed", twoDays, UrgencyGeneral, at("2026-03-03 09:00"), "2026-03-18", "x", EINVALID, "至少2个工作日"},
		{"two days ahead given", twoDays, UrgencyGeneral, at("2026-03-02 09:00"), "2026-03-18", "x", "", ""},
		{"no lead: until the deadline", none, UrgencyGeneral, at("2026-03-04 23:00"), "2026-03-18", "x", "", ""},
		{"no lead: not after it", none, UrgencyGeneral, at("2026-03-05 00:00"), "2026-03-18", "x", EINVALID, "已超过答复期限2026年3月4日"},
		{"on the adjusted Saturday before the holiday", short, UrgencyGeneral, at("2026-02-14 17:00"), "2026-03-02", "x", "", ""},
		// During the holiday the 24th is still a whole working day ahead.
		{"during the holiday", short, UrgencyGeneral, at("2026-02-20 10:00"), "2026-03-02", "x", "", ""},
		{"the morning of the deadline after the holiday", short, UrgencyGeneral, at("2026-02-24 08:00"), "2026-03-02", "x", EINVALID, "至少1个工作日"},
		{"urgent problems cannot wait a working day", oneDay, UrgencyUrgent, t0.Add(30 * time.Minute), "2026-02-13", "x", EINVALID, "至少1个工作日"},
		{"new date not later", oneDay, UrgencyGeneral, at("2026-02-24 09:00"), "2026-03-04", "x", EINVALID, "应晚于现期限2026年3月4日"},
		{"new date on a Sunday", oneDay, UrgencyGeneral, at("2026-02-24 09:00"), "2026-03-08", "x", EINVALID, "2026年3月8日不是工作日"},
		{"new date on the adjusted Saturday is a working day", short, UrgencyGeneral, at("2026-02-13 09:00"), "2026-02-28", "x", "", ""},
		{"bad date", oneDay, UrgencyGeneral, at("2026-02-24 09:00"), "2026/03/18", "x", EINVALID, "日期格式"},
		{"no reason", oneDay, UrgencyGeneral, at("2026-02-24 09:00"), "2026-03-18", "", EINVALID, "申请延期必须填写原因"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Problem{ID: 1, Title: "融资", EnterpriseID: 501, Category: "finance", Urgency: tc.urgency, Status: ProblemReceived}
			if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, coordinator, t0, cal, tc.rules); err != nil {
				t.Fatal(err)
			}
			if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAccept}, leadHandler, t0, cal, tc.rules); err != nil {
				t.Fatal(err)
			}
			dueBefore := p.DueAt
			eff, err := ApplyProblem(p, ProblemCommand{Kind: ActRequestExtension, NewDueDate: tc.newDate, Text: tc.reason}, leadHandler, tc.now, cal, tc.rules)
			if ErrorCode(err) != tc.code || (err != nil && !strings.Contains(ErrorMessage(err), tc.msg)) {
				t.Fatalf("err %v, want %q %q", err, tc.code, tc.msg)
			}
			if err != nil {
				if p.Pending != nil {
					t.Fatal("refused request is pending")
				}
				return
			}
			if p.Pending == nil || !p.Pending.NewDueAt.Equal(due(tc.newDate)) || !p.DueAt.Equal(dueBefore) || !eff.Action.DueAt.Equal(due(tc.newDate)) ||
				len(eff.Notices) != 1 || eff.Notices[0].To != NoticeCoordinators {
				t.Fatalf("%+v %+v", p.Pending, eff)
			}
		})
	}
}

func TestProblemExtensionDecisions(t *testing.T) {
	rules := testRules()
	p := &Problem{ID: 1, Title: "融资", EnterpriseID: 501, Category: "finance", Urgency: UrgencyGeneral, Status: ProblemReceived}
	steps := []struct {
		actor ProblemActor
		cmd   ProblemCommand
		now   string
		code  string
	}{
		{coordinator, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, "2026-02-12 09:00", ""},
		{leadHandler, ProblemCommand{Kind: ActAccept}, "2026-02-12 10:00", ""},
		{leadHandler, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-03-11", Text: "需银行授信"}, "2026-02-26 10:00", ""},
		{leadHandler, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-03-12", Text: "再延"}, "2026-02-26 11:00", ECONFLICT},
		{coordinator, ProblemCommand{Kind: ActRejectExtension}, "2026-02-26 12:00", EINVALID},
		{coordinator, ProblemCommand{Kind: ActRejectExtension, Text: "可先行答复"}, "2026-02-26 12:00", ""},
		{coordinator, ProblemCommand{Kind: ActApproveExtension}, "2026-02-26 13:00", ECONFLICT},
		{leadHandler, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-03-11", Text: "银行授信未批"}, "2026-02-27 10:00", ""},
		{coordinator, ProblemCommand{Kind: ActApproveExtension}, "2026-02-27 11:00", ""},
	}
	var last ProblemEffects
	for i, s := range steps {
		eff, err := ApplyProblem(p, s.cmd, s.actor, at(s.now), cal, rules)
		if ErrorCode(err) != s.code {
			t.Fatalf("step %d %s: %v, want %q", i, s.cmd.Kind, err, s.code)
		}
		if err == nil {
			last = eff
		}
	}
	if !p.DueAt.Equal(due("2026-03-11")) || p.Extensions != 1 || p.Pending != nil || p.Status != ProblemInProgress {
		t.Fatalf("%+v", p)
	}
	if want := (ProblemNotice{NoticeUnit, 201, "诉求「融资」的延期申请已批准，答复期限延至2026年3月11日。"}); len(last.Notices) != 1 || last.Notices[0] != want {
		t.Fatalf("%+v", last.Notices)
	}
	// Past the old deadline, inside the new one: not overdue, not to be escalated.
	if Overdue(p, at("2026-03-06 09:00")) {
		t.Fatal("overdue against the old deadline")
	}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActEscalate}, escalateJob, at("2026-03-06 09:00"), cal, rules); ErrorCode(err) != EINVALID {
		t.Fatalf("escalated inside the extension: %v", err)
	}
	// Answered by the extended deadline is on time.
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActReply, Text: "授信已批"}, leadHandler, at("2026-03-10 16:00"), cal, rules); err != nil {
		t.Fatal(err)
	}
	if !p.FirstReplyDueAt.Equal(due("2026-03-11")) || p.FirstReplyAt.After(p.FirstReplyDueAt) {
		t.Fatalf("%+v", p)
	}
}

func TestProblemReopenCycle(t *testing.T) {
	rules := testRules()
	p := problemIn(t, ProblemReplied) // assigned t0 with an assisting department, replied at t0+2h
	firstReply := p.FirstReplyAt

	// Unsatisfied on Friday 27 February: back to the lead with a fresh 25 working days.
	eff, err := ApplyProblem(p, ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied, Text: "指标仍未落实"}, enterprise, at("2026-02-27 15:00"), cal, rules)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != ProblemReopened || p.Reopens != 1 || p.Rating != RatingUnsatisfied || !p.DueAt.Equal(due("2026-04-02")) || !eff.Action.DueAt.Equal(p.DueAt) {
		t.Fatalf("%+v", p)
	}
	if eff.Action.Rating != RatingUnsatisfied || eff.Action.Text != "指标仍未落实" || len(eff.Notices) != 2 ||
		eff.Notices[0] != (ProblemNotice{NoticeUnit, 201, "企业对诉求「厂房用地指标」的答复不满意，请重新办理，并于2026年4月2日前再次答复。原因：指标仍未落实"}) ||
		eff.Notices[1].To != NoticeCoordinators {
		t.Fatalf("%+v", eff)
	}
	if !Overdue(p, at("2026-04-03 00:00")) || Overdue(p, at("2026-04-02 23:00")) {
		t.Fatal("reopened deadline")
	}
	// The lead answers again; the first answer still measures timeliness.
	eff, err = ApplyProblem(p, ProblemCommand{Kind: ActReply, Text: "已调剂指标"}, leadHandler, at("2026-03-10 10:00"), cal, rules)
	if err != nil {
		t.Fatal(err)
	}
	if !p.FirstReplyAt.Equal(firstReply) || !p.RepliedAt.Equal(at("2026-03-10 10:00")) || p.Reply != "已调剂指标" {
		t.Fatalf("%+v", p)
	}
	if len(eff.Notices) != 2 || eff.Notices[0].To != NoticeEnterprise || eff.Notices[0].ID != 501 || eff.Notices[1] != (ProblemNotice{NoticeUser, 7, "您挂点企业的诉求「厂房用地指标」已答复，待企业评价。"}) {
		t.Fatalf("%+v", eff.Notices)
	}
	// The visiting leader records 基本满意 on the enterprise's behalf: closed.
	eff, err = ApplyProblem(p, ProblemCommand{Kind: ActRate, Rating: RatingBasic}, linkedLeader, at("2026-03-11 10:00"), cal, rules)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != ProblemClosed || p.Rating != RatingBasic || !p.ClosedAt.Equal(at("2026-03-11 10:00")) || p.Reopens != 1 || eff.Action.Party != PartyLeader {
		t.Fatalf("%+v", p)
	}
	if Overdue(p, at("2027-01-01 00:00")) || DueSoon(p, at("2026-03-11 11:00"), 1000*time.Hour) {
		t.Fatal("closed problem is still counted as owed")
	}
}

func TestProblemEscalation(t *testing.T) {
	rules := testRules()
	p := &Problem{ID: 7, Title: "用电增容", EnterpriseID: 501, Category: "utilities", Urgency: UrgencyGeneral, Status: ProblemReceived, LeaderID: 7}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAssign, LeadUnitID: 201}, coordinator, t0, cal, rules); err != nil {
		t.Fatal(err)
	}
	// Due at the end of Wednesday 4 March (10 working days across the Spring Festival).
	for _, tc := range []struct {
		now              string
		overdue, dueSoon bool
	}{
		{"2026-03-02 23:00", false, false},
		{"2026-03-04 00:00", false, true},
		{"2026-03-04 23:59", false, true},
		{"2026-03-05 00:00", true, false},
	} {
		now := at(tc.now)
		if tc.now == "2026-03-04 23:59" {
			now = now.Add(59 * time.Second)
		}
		if Overdue(p, now) != tc.overdue || DueSoon(p, now, 24*time.Hour) != tc.dueSoon {
			t.Errorf("%s: overdue %v, due soon %v", tc.now, Overdue(p, now), DueSoon(p, now, 24*time.Hour))
		}
	}
	// Not yet signed for still counts: the deadline runs from the assignment.
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActEscalate}, escalateJob, at("2026-03-04 18:00"), cal, rules); ErrorCode(err) != EINVALID {
		t.Fatalf("escalated before the deadline: %v", err)
	}
	eff, err := ApplyProblem(p, ProblemCommand{Kind: ActEscalate}, escalateJob, at("2026-03-05 08:00"), cal, rules)
	if err != nil {
		t.Fatal(err)
	}
	msg := "诉求「用电增容」已超过答复期限2026年3月4日仍未答复，列入督办。"
	want := []ProblemNotice{
		{NoticeUnit, 201, msg + "请主办部门立即办理。"},
		{NoticeUnit, 900, msg},
		{NoticeUser, 7, msg},
		{NoticeCoordinators, 0, msg},
	}
	if !reflect.DeepEqual(eff.Notices, want) || eff.Action.Party != PartySystem || eff.Action.ActorName != "系统" ||
		p.Escalations != 1 || p.Status != ProblemAssigned || !p.EscalatedAt.Equal(at("2026-03-05 08:00")) {
		t.Fatalf("%+v %+v", eff, p)
	}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActEscalate}, coordinator, at("2026-03-06 08:00"), cal, rules); ErrorCode(err) != ECONFLICT {
		t.Fatalf("escalated twice for one deadline: %v", err)
	}
	// Too late for an extension now.
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAccept}, leadHandler, at("2026-03-05 09:00"), cal, rules); err != nil {
		t.Fatal(err)
	}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActRequestExtension, NewDueDate: "2026-03-20", Text: "x"}, leadHandler, at("2026-03-05 09:30"), cal, rules); ErrorCode(err) != EINVALID {
		t.Fatalf("late extension: %v", err)
	}
	// A late answer, an unsatisfied rating, and the new deadline missed too: escalated
	// again, this time by the coordinator, without a notice to the coordinator itself, and
	// without a leader notice where the city switched it off.
	for _, s := range []struct {
		actor ProblemActor
		cmd   ProblemCommand
		now   string
	}{
		{leadHandler, ProblemCommand{Kind: ActReply, Text: "已增容"}, "2026-03-06 10:00"},
		{enterprise, ProblemCommand{Kind: ActRate, Rating: RatingUnsatisfied, Text: "仍未通电"}, "2026-03-09 10:00"},
	} {
		if _, err := ApplyProblem(p, s.cmd, s.actor, at(s.now), cal, rules); err != nil {
			t.Fatal(err)
		}
	}
	if p.FirstReplyAt.Before(p.FirstReplyDueAt) || !p.DueAt.Equal(due("2026-03-23")) {
		t.Fatalf("%+v", p)
	}
	quiet := rules
	quiet.Escalation = EscalationTargets{NotifyCoordinators: true}
	eff, err = ApplyProblem(p, ProblemCommand{Kind: ActEscalate}, coordinator, at("2026-03-24 09:00"), cal, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if p.Escalations != 2 || len(eff.Notices) != 1 || eff.Notices[0].ID != 201 || eff.Action.Party != PartyCoordinator {
		t.Fatalf("%+v %+v", p, eff.Notices)
	}
}

func TestUrgentProblemClock(t *testing.T) {
	rules := testRules()
	p := &Problem{ID: 3, Title: "停电抢修", EnterpriseID: 501, Category: "utilities", Urgency: UrgencyUrgent, Status: ProblemReceived}
	// Assigned on the first day of the Spring Festival at 22:30: due at 00:30, holiday or not.
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: []int64{202}}, coordinator, at("2026-02-15 22:30"), cal, rules); err != nil {
		t.Fatal(err)
	}
	if !p.DueAt.Equal(at("2026-02-16 00:30")) || formatDue(p.DueAt) != "2026年2月16日00:30" {
		t.Fatalf("due %s", p.DueAt)
	}
	if !DueSoon(p, at("2026-02-16 00:00"), time.Hour) || Overdue(p, at("2026-02-16 00:30")) || !Overdue(p, at("2026-02-16 00:31")) {
		t.Fatal("urgent clock")
	}
}

func TestProblemStats(t *testing.T) {
	now := at("2026-03-10 12:00")
	replied := func(p Problem, assigned, firstReply time.Time, firstDue time.Time, rating, status string) *Problem {
		p.AssignedAt, p.FirstReplyAt, p.FirstReplyDueAt, p.DueAt, p.Rating, p.Status = assigned, firstReply, firstDue, firstDue, rating, status
		return &p
	}
	land := Problem{Category: "land", LeadUnitID: 201, UnitID: 301}
	finance := Problem{Category: "finance", LeadUnitID: 201, UnitID: 301}
	problems := []*Problem{
		// Department 201, county 301.
		func() *Problem { // p1: on time, 3 working days (13th, adjusted 14th, 24th), satisfied, linked leader 7
			p := replied(land, t0, at("2026-02-24 10:00"), due("2026-03-04"), RatingSatisfied, ProblemClosed)
			p.LeaderID = 7
			return p
		}(),
		replied(land, at("2026-03-02 09:00"), at("2026-03-04 16:00"), due("2026-03-16"), RatingBasic, ProblemClosed), // p2: on time, 2 days
		func() *Problem { // p3: due 26 Feb, extended to 6 March, answered 5 March: on time, 11 days; unsatisfied, reopened
			p := replied(finance, t0, at("2026-03-05 10:00"), due("2026-03-06"), RatingUnsatisfied, ProblemReopened)
			p.DueAt = due("2026-03-19")
			return p
		}(),
		{Category: "finance", LeadUnitID: 201, UnitID: 301, Status: ProblemInProgress, AssignedAt: at("2026-02-24 09:00"), // p4: overdue, escalated
			DueAt: due("2026-03-09"), Escalations: 1},
		// Department 202, county 302.
		func() *Problem { // p5: urgent, answered 4 hours after a 2-hour deadline: late, 0 days; satisfied
			p := replied(Problem{Category: "finance", LeadUnitID: 202, UnitID: 302, LeaderID: 7}, at("2026-03-02 09:00"), at("2026-03-02 15:00"), at("2026-03-02 11:00"), RatingSatisfied, ProblemClosed)
			return p
		}(),
		{Category: "finance", LeadUnitID: 202, UnitID: 302, Status: ProblemInProgress, AssignedAt: at("2026-03-09 09:00"), DueAt: due("2026-03-23")}, // p6: not yet due
		// Department 203, county 303: three on time, 1 working day each.
		replied(Problem{Category: "other", LeadUnitID: 203, UnitID: 303}, at("2026-03-02 09:00"), at("2026-03-03 09:00"), due("2026-03-16"), RatingSatisfied, ProblemClosed),
		replied(Problem{Category: "other", LeadUnitID: 203, UnitID: 303}, at("2026-03-02 09:00"), at("2026-03-03 09:00"), due("2026-03-16"), RatingSatisfied, ProblemClosed),
		replied(Problem{Category: "other", LeadUnitID: 203, UnitID: 303}, at("2026-03-02 09:00"), at("2026-03-03 09:00"), due("2026-03-16"), RatingBasic, ProblemClosed),
		// p10: received, not yet assigned: only in the total, by county and by category.
		{Category: "other", UnitID: 303, Status: ProblemReceived},
	}
	w := DefaultProblemRules().Satisfaction

	type row struct {
		id                                      int64
		category                                string
		count, closed, overdue, judged, onTime  int
		rated, escalated                        int
		onTimeLabel, satisfactionLabel, avgDays string
	}
	figures := make([]ProblemFigures, len(problems))
	for i, p := range problems {
		figures[i] = p.Figures()
	}
	check := func(t *testing.T, got []ProblemStats, want []row) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%d rows, want %d: %+v", len(got), len(want), got)
		}
		for i, g := range got {
			h := row{g.ID, g.Category, g.Count, g.Closed, g.Overdue, g.Judged, g.OnTime, g.Rated, g.Escalated,
				g.OnTimeLabel(), g.SatisfactionLabel(), g.AvgReplyDaysLabel()}
			if h != want[i] {
				t.Errorf("row %d:\n got %+v\nwant %+v", i, h, want[i])
			}
		}
	}
	for _, tc := range []struct {
		by   string
		want []row
	}{
		{ProblemByDepartment, []row{
			{201, "", 4, 2, 1, 4, 3, 3, 1, "75.0", "66.7", "5.3"}, // 16 working days ÷ 3 replies; (1+1) ÷ 3 rated
			{202, "", 2, 1, 0, 1, 0, 1, 0, "0.0", "100.0", "0.0"},
			{203, "", 3, 3, 0, 3, 3, 3, 0, "100.0", "100.0", "1.0"},
		}},
		{ProblemByUnit, []row{
			{301, "", 4, 2, 1, 4, 3, 3, 1, "75.0", "66.7", "5.3"},
			{302, "", 2, 1, 0, 1, 0, 1, 0, "0.0", "100.0", "0.0"},
			{303, "", 4, 3, 0, 3, 3, 3, 0, "100.0", "100.0", "1.0"},
		}},
		{ProblemByLeader, []row{
			{7, "", 2, 2, 0, 2, 1, 2, 0, "50.0", "100.0", "1.5"},
		}},
		{ProblemByCategory, []row{
			{0, "finance", 4, 1, 1, 3, 1, 2, 1, "33.3", "50.0", "5.5"},
			{0, "land", 2, 2, 0, 2, 2, 2, 0, "100.0", "100.0", "2.5"},
			{0, "other", 4, 3, 0, 3, 3, 3, 0, "100.0", "100.0", "1.0"},
		}},
	} {
		t.Run(tc.by, func(t *testing.T) {
			got, err := ProblemStatsBy(figures, tc.by, now, cal, w)
			if err != nil {
				t.Fatal(err)
			}
			check(t, got, tc.want)
		})
	}
	total := ProblemTotal(figures, now, cal, w)
	// 19 working days over 7 replies = 2.714…; (4 满意 + 2 基本满意) ÷ 7 = 85.714…%.
	check(t, []ProblemStats{total}, []row{{0, "", 10, 6, 1, 8, 6, 7, 1, "75.0", "85.7", "2.7"}})
	if total.Satisfied != 4 || total.Basic != 2 || total.Unsatisfied != 1 || total.ReplyWorkingDays != 19 || total.Replied != 7 {
		t.Fatalf("%+v", total)
	}
	// A city counting 基本满意 as 0.8: (4 + 1.6) ÷ 7 = 80.0%.
	eighty := w
	eighty.Basic, _ = ParseDec("0.8")
	if got := ProblemTotal(figures, now, cal, eighty).SatisfactionLabel(); got != "80.0" {
		t.Fatalf("weighted satisfaction %s", got)
	}
	if got := ProblemTotal(nil, now, cal, w); got.OnTimeLabel() != NoValue || got.SatisfactionLabel() != NoValue || got.AvgReplyDaysLabel() != NoValue {
		t.Fatalf("empty: %+v", got)
	}
	if _, err := ProblemStatsBy(figures, "weekday", now, cal, w); ErrorCode(err) != EINVALID {
		t.Fatalf("unknown grouping: %v", err)
	}

	// Default lists: 201 black (an escalation, 75.0% on time); 202 too few judged to list;
	// 203 red.
	rows, _ := ProblemStatsBy(figures, ProblemByDepartment, now, cal, w)
	red, black := DepartmentLists(rows, DefaultProblemRules().Lists)
	if len(red) != 1 || red[0].ID != 203 || red[0].Rank != 1 || red[0].Reasons[0] != "按时答复率100.0%，满意率100.0%" {
		t.Fatalf("red %+v", red)
	}
	if len(black) != 1 || black[0].ID != 201 || !slices.Equal(black[0].Reasons, []string{"1件诉求逾期被督办1次", "按时答复率75.0%，低于80%"}) {
		t.Fatalf("black %+v", black)
	}
}

func TestDepartmentLists(t *testing.T) {
	// stats builds a department's row from counts.
	stats := func(id int64, judged, onTime, satisfied, unsatisfied, escalations int) ProblemStats {
		s := ProblemStats{ID: id, Count: judged, Judged: judged, OnTime: onTime, Rated: satisfied + unsatisfied,
			Satisfied: satisfied, Unsatisfied: unsatisfied, Escalations: escalations, Escalated: min(escalations, 1)}
		s.finish(DefaultProblemRules().Satisfaction)
		return s
	}
	rows := []ProblemStats{
		stats(1, 20, 20, 10, 0, 0), // 100%, 100%
		stats(2, 10, 10, 5, 0, 0),  // 100%, 100%: tied with 1
		stats(3, 20, 19, 20, 0, 0), // 95%, 100%
		stats(4, 20, 20, 19, 1, 0), // 100%, 95%
		stats(5, 20, 18, 10, 0, 0), // 90%: neither list
		stats(6, 2, 2, 2, 0, 0),    // too few judged
		stats(7, 20, 20, 0, 0, 0),  // no rating: not red
		stats(8, 10, 7, 5, 5, 0),   // 70% on time: black
		stats(9, 20, 20, 20, 0, 2), // perfect rates, but escalated: black
		stats(10, 5, 1, 1, 0, 0),   // 20% on time: black, worst rate
	}
	ids := func(ls []DepartmentListing) (out []string) {
		for _, l := range ls {
			out = append(out, RankLabel(l.Rank, l.Tied)+":"+strconv.FormatInt(l.ID, 10))
		}
		return out
	}
	r := DefaultProblemRules().Lists
	red, black := DepartmentLists(rows, r)
	if got, want := ids(red), []string{"并列第1:1", "并列第1:2", "第3:4", "第4:3"}; !slices.Equal(got, want) {
		t.Errorf("red %v, want %v", got, want)
	}
	if got, want := ids(black), []string{"第1:9", "第2:10", "第3:8"}; !slices.Equal(got, want) {
		t.Errorf("black %v, want %v", got, want)
	}
	// The top 2 ranks: the tie at the top fills them.
	r.RedTopN = 2
	if red, _ := DepartmentLists(rows, r); !slices.Equal(ids(red), []string{"并列第1:1", "并列第1:2"}) {
		t.Errorf("top 2: %v", ids(red))
	}
	// A tie at the edge stays in.
	r.RedTopN = 1
	if red, _ := DepartmentLists(rows, r); len(red) != 2 {
		t.Errorf("top 1 with a tie: %v", ids(red))
	}
	// Satisfaction on the black list, escalations off it.
	r = DefaultProblemRules().Lists
	r.BlackBelowSatisfactionPct, r.BlackOnEscalation = DecFromInt(60), false
	_, black = DepartmentLists(rows, r)
	if got, want := ids(black), []string{"第1:10", "第2:8"}; !slices.Equal(got, want) {
		t.Errorf("black %v, want %v", got, want)
	}
	if !slices.Equal(black[1].Reasons, []string{"按时答复率70.0%，低于80%", "满意率50.0%，低于60%"}) {
		t.Errorf("reasons %v", black[1].Reasons)
	}
}

func TestProblemRulesJSON(t *testing.T) {
	r := DefaultProblemRules()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back ProblemRules
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, back) {
		t.Fatalf("round trip:\n%s\n%+v", b, back)
	}
}

// The statistics' running count agrees with WorkingDaysBetween on every pair of dates
// around the Spring Festival, and counts nothing for inconsistent data.
func TestWorkdaysIndex(t *testing.T) {
	first, last := at("2026-02-01 10:00"), at("2026-03-10 18:00")
	days := newWorkdays(cal, []ProblemFigures{
		{AssignedAt: at("2026-02-20 09:00"), FirstReplyAt: last},
		{AssignedAt: first, FirstReplyAt: at("2026-02-02 09:00")},
		{AssignedAt: time.Time{}, FirstReplyAt: at("2020-01-01 09:00")}, // no assignment: ignored
		{AssignedAt: at("2027-01-01 09:00"), FirstReplyAt: at("2026-01-01 09:00")},
	})
	for from := first; !from.After(last); from = from.Add(24 * time.Hour) {
		for to := from; !to.After(last); to = to.Add(19 * time.Hour) {
			if got, want := days.between(from, to), WorkingDaysBetween(cal, from, to); got != want {
				t.Fatalf("between(%s, %s) = %d, want %d", from, to, got, want)
			}
		}
	}
	if days.between(time.Time{}, last) != 0 || days.between(last, first) != 0 || days.between(first, at("2026-04-01 09:00")) != 0 {
		t.Fatal("out of span")
	}
	if (workdays{}).between(first, last) != 0 {
		t.Fatal("empty index")
	}
}

func TestProblemLabels(t *testing.T) {
	r := DefaultProblemRules()
	if r.CategoryLabel("land") != "用地" || r.CategoryLabel("dropped") != "dropped" {
		t.Error("category labels")
	}
	for _, tc := range []struct {
		actor ProblemActor
		want  string
	}{
		{coordinator, "倍增办王五"}, {admin, "admin"}, {enterprise, "刘经理"}, {otherFirm, "企业联系人"}, {escalateJob, "系统"},
	} {
		if got := tc.actor.DisplayName(); got != tc.want {
			t.Errorf("DisplayName %q, want %q", got, tc.want)
		}
	}
	if ChoiceLabel(ProblemRatings, RatingBasic) != "基本满意" || ChoiceLabel(ProblemRatings, "x") != "x" {
		t.Error("choice labels")
	}
	p := problemIn(t, ProblemReplied)
	if OverdueAssists(p, at("2027-01-01 00:00")) != nil {
		t.Error("a replied problem owes no assisting answer")
	}
	p = problemIn(t, ProblemReceived)
	eleven := []int64{202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212}
	if _, err := ApplyProblem(p, ProblemCommand{Kind: ActAssign, LeadUnitID: 201, AssistingUnitIDs: eleven}, coordinator, t0, cal, testRules()); ErrorCode(err) != EINVALID {
		t.Errorf("eleven assisting departments: %v", err)
	}
}

// Every action has a rule and a label, and every rule is offered somewhere.
func TestProblemActionKinds(t *testing.T) {
	if len(ProblemActionKinds) != len(problemTransitions) {
		t.Fatalf("%d kinds, %d transitions", len(ProblemActionKinds), len(problemTransitions))
	}
	for _, kind := range append([]string{ActReceive}, ProblemActionKinds...) {
		if ProblemActionLabels[kind] == "" {
			t.Errorf("%s has no label", kind)
		}
		if _, ok := problemTransitions[kind]; !ok && kind != ActReceive {
			t.Errorf("%s has no transition", kind)
		}
	}
	for status := range ProblemStatusLabels {
		if status == ProblemClosed {
			continue
		}
		if !slices.ContainsFunc(ProblemActionKinds, func(k string) bool { return slices.Contains(problemTransitions[k].from, status) }) {
			t.Errorf("no way out of %s", status)
		}
	}
}

// The city's calendar, loaded with the 2026 national schedule, counts the same deadlines
// as the test calendar across the Spring Festival (up to deadlines before Qingming, which
// the test calendar does not know).
func TestCalendarWorkingDaysMatchSpringCalendar(t *testing.T) {
	days, ok := NationalCalendar(2026)
	if !ok {
		t.Fatal("2026 national calendar missing")
	}
	real := NewCalendar([]int{2026}, days).WorkingDays()
	rules := DefaultProblemRules()
	for d := time.Date(2026, 1, 20, 9, 30, 0, 0, ChinaTime); d.Before(time.Date(2026, 2, 26, 0, 0, 0, 0, ChinaTime)); d = d.Add(24 * time.Hour) {
		for _, u := range []string{UrgencyUrgent, UrgencyGeneral, UrgencyComplex} {
			limit := rules.Limits[u]
			if got, want := DueFrom(limit, d, real), DueFrom(limit, d, springCalendar{}); !got.Equal(want) {
				t.Errorf("%s %s: due %s, test calendar %s", d.Format(time.DateOnly), u, got, want)
			}
		}
		if got, want := real.IsWorkingDay(d), (springCalendar{}).IsWorkingDay(d); got != want {
			t.Errorf("%s working day %v, test calendar %v", d.Format(time.DateOnly), got, want)
		}
	}
}

// countyReporter is a reporter of the unit.
func countyReporter(unit int64) ProblemActor {
	return ProblemActor{Actor: Actor{User: &User{ID: 90, Username: "reporter", UnitID: unit, Roles: []Role{RoleReporter}}}}
}
