package domain

import (
	"strings"
	"testing"
	"time"
)

func TestEnterpriseValidate(t *testing.T) {
	for name, tc := range map[string]struct {
		e         Enterprise
		bad       string // the field refused, or ""
		uscc, sec string
	}{
		"DOMAIN.md example":       {Enterprise{Name: "某公司", UnitID: 1, USCC: " 914403001922038216 "}, "", "914403001922038216", ""},
		"wrong check upper-cased": {Enterprise{Name: "某公司", UnitID: 1, USCC: "91440300192203821x"}, "uscc", "91440300192203821X", ""},
		"last character changed":  {Enterprise{Name: "某公司", UnitID: 1, USCC: "914403001922038217"}, "uscc", "", ""},
		"too short":               {Enterprise{Name: "某公司", UnitID: 1, USCC: "91440300"}, "uscc", "", ""},
		"no code is fine":         {Enterprise{Name: "某公司", UnitID: 1}, "", "", ""},
		"division sets section":   {Enterprise{Name: "某公司", UnitID: 1, IndustryDivision: "30"}, "", "", "C"},
		"unknown division":        {Enterprise{Name: "某公司", UnitID: 1, IndustryDivision: "99"}, "industry_division", "", ""},
		"no name":                 {Enterprise{Name: "  ", UnitID: 1}, "name", "", ""},
		"no unit":                 {Enterprise{Name: "某公司"}, "unit_id", "", ""},
		"bad status":              {Enterprise{Name: "某公司", UnitID: 1, Status: "gone"}, "status", "", ""},
	} {
		t.Run(name, func(t *testing.T) {
			e := tc.e
			err := e.Validate()
			f := ErrorFields(err)
			if tc.bad == "" && err != nil || tc.bad != "" && f[tc.bad] == "" {
				t.Fatalf("err %v, want problem with %q", err, tc.bad)
			}
			if tc.uscc != "" && e.USCC != tc.uscc {
				t.Errorf("USCC %q, want %q", e.USCC, tc.uscc)
			}
			if e.IndustrySection != tc.sec && tc.bad == "" {
				t.Errorf("section %q, want %q", e.IndustrySection, tc.sec)
			}
			if tc.bad == "" && e.Status != StatusActive {
				t.Errorf("status %q", e.Status)
			}
		})
	}
}

func TestDivisionWarning(t *testing.T) {
	code := CompleteUSCC("91360202MA35XXXXX")
	if !ValidUSCC(code) {
		t.Fatal("CompleteUSCC made an invalid code")
	}
	cityCode := CompleteUSCC("91360200MA35XXXXX")
	for _, tc := range []struct {
		uscc, unit string
		warn       bool
	}{
		{code, "360202", false},
		{cityCode, "360202", false}, // registered with the city: normal
		{code, "360203", true},      // another county: warn
		{"914403001922038216", "360202", true},
		{"", "360202", false},
		{code, "P01", false}, // a unit without a division code
	} {
		e := Enterprise{USCC: tc.uscc}
		if got := e.DivisionWarning(tc.unit); (got != "") != tc.warn {
			t.Errorf("%s in %s: warning %q", tc.uscc, tc.unit, got)
		}
	}
}

func TestApplyStatus(t *testing.T) {
	for _, tc := range []struct {
		from, to, on, reason string
		ok                   bool
	}{
		{StatusActive, StatusZombie, "2026-03-01", "连续三年亏损", true},
		{StatusActive, StatusClosed, "2026-03-01", "注销", true},
		{StatusZombie, StatusActive, "2026-03-01", "重组盘活", true},
		{StatusZombie, StatusClosed, "2026-03-01", "破产清算", true},
		{StatusClosed, StatusActive, "2026-03-01", "重开", false},
		{StatusActive, StatusActive, "2026-03-01", "无", false},
		{StatusActive, StatusZombie, "2026-3-1", "亏损", false},
		{StatusActive, StatusZombie, "2026-03-01", " ", false},
	} {
		e := Enterprise{Status: tc.from}
		err := e.ApplyStatus(tc.to, tc.on, tc.reason)
		if (err == nil) != tc.ok {
			t.Errorf("%s→%s %q: %v", tc.from, tc.to, tc.reason, err)
		}
		if tc.ok && (e.Status != tc.to || e.StatusOn != tc.on) {
			t.Errorf("not applied: %+v", e)
		}
	}
}

func TestNextStatuses(t *testing.T) {
	for from, want := range map[string]int{StatusActive: 2, StatusZombie: 2, StatusClosed: 0} {
		e := Enterprise{Status: from}
		if got := e.NextStatuses(); len(got) != want {
			t.Errorf("%s: %v", from, got)
		}
	}
}

func TestScaleEntriesAndExits(t *testing.T) {
	for _, tc := range []struct {
		typ, month string
		batch      int
		want       string // entry month, or "" for refused
	}{
		{EntryMonthly, "2026-04", 0, "2026-04"},
		{EntryMonthly, "2026-4", 0, ""},
		{EntryAnnual, "2025-11", 2025, "2026-01"}, // 小升规 of 2025 counts from January 2026
		{EntryAnnual, "", 2026, "2027-01"},
		{EntryAnnual, "", 0, ""},
		{"weekly", "2026-04", 0, ""},
	} {
		s, err := NewEntry(tc.typ, tc.month, tc.batch)
		if got := map[bool]string{true: s.EntryMonth, false: ""}[err == nil]; got != tc.want {
			t.Errorf("%s %s %d: %q (%v), want %q", tc.typ, tc.month, tc.batch, got, err, tc.want)
		}
	}
	open := []*ScaleSpell{{EntryMonth: "2026-03"}}
	closed := []*ScaleSpell{{EntryMonth: "2025-03", ExitMonth: "2026-02"}}
	for _, tc := range []struct {
		spells []*ScaleSpell
		month  string
		ok     bool
	}{
		{nil, "2026-04", true},
		{open, "2026-05", false},   // still in the directory
		{closed, "2026-02", false}, // not after the exit
		{closed, "2026-03", true},
	} {
		if err := CheckEntry(tc.spells, ScaleSpell{EntryMonth: tc.month}); (err == nil) != tc.ok {
			t.Errorf("entry %s: %v", tc.month, err)
		}
	}
	for _, tc := range []struct {
		spells        []*ScaleSpell
		month, reason string
		field         string
	}{
		{[]*ScaleSpell{{EntryMonth: "2026-03"}}, "2026-06", "营收低于2000万元", ""},
		{[]*ScaleSpell{{EntryMonth: "2026-03"}}, "2026-03", "营收下降", "exit_month"}, // not after the entry
		{[]*ScaleSpell{{EntryMonth: "2026-03"}}, "2026-02", "营收下降", "exit_month"},
		{[]*ScaleSpell{{EntryMonth: "2026-03"}}, "2026-06", "", "exit_reason"},
		{closed, "2026-06", "营收下降", "exit_month"}, // not in the directory
		{nil, "2026-06", "营收下降", "exit_month"},
	} {
		sp, err := ApplyExit(tc.spells, tc.month, tc.reason)
		if f := ErrorFields(err); tc.field == "" && err != nil || tc.field != "" && f[tc.field] == "" {
			t.Errorf("exit %s %q: %v, want %q", tc.month, tc.reason, err, tc.field)
		}
		if tc.field == "" && (sp.ExitMonth != tc.month || InDirectory(tc.spells)) {
			t.Errorf("exit not applied: %+v", sp)
		}
	}
}

func TestCandidateRule(t *testing.T) {
	r := DefaultEnterpriseRules
	for _, tc := range []struct {
		e       Enterprise
		revenue int64
		want    bool
	}{
		{Enterprise{Status: StatusActive}, 15_000_000, true}, // exactly 1500万: in
		{Enterprise{Status: StatusActive}, 14_999_999, false},
		{Enterprise{Status: StatusActive}, 19_999_999, true},
		{Enterprise{Status: StatusActive}, 20_000_000, false}, // reaches the threshold: not a candidate
		{Enterprise{Status: StatusActive, AboveScale: true}, 16_000_000, false},
		{Enterprise{Status: StatusZombie}, 16_000_000, false},
	} {
		if got := r.IsCandidate(&tc.e, tc.revenue); got != tc.want {
			t.Errorf("%+v %d: %v", tc.e, tc.revenue, got)
		}
	}
	custom := EnterpriseRules{AboveScaleYuan: 20_000_000, CandidateYuan: 10_000_000}
	if !custom.IsCandidate(&Enterprise{Status: StatusActive}, 12_000_000) {
		t.Error("configured threshold ignored")
	}
	for _, bad := range []EnterpriseRules{{AboveScaleYuan: 0, CandidateYuan: 1}, {AboveScaleYuan: 20, CandidateYuan: 20}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestHonourValidate(t *testing.T) {
	for _, tc := range []struct {
		h           Honour
		field       string
		level, till string
	}{
		{Honour{Type: "specialized_sme", Year: 2024}, "", "provincial", "2026-12-31"},
		{Honour{Type: "little_giant", Year: 2025, ValidUntil: "2028-06-30"}, "", "national", "2028-06-30"},
		{Honour{Type: "chain_leader", Year: 2025}, "", "national", ""},
		{Honour{Type: "innovative_sme", Year: 2025, Level: "city"}, "", "city", "2027-12-31"},
		{Honour{Type: "gold_medal", Year: 2025}, "type", "", ""},
		{Honour{Type: "little_giant", Year: 1990}, "year", "", ""},
		{Honour{Type: "little_giant", Year: 2026}, "", "national", "2028-12-31"},
		{Honour{Type: "little_giant", Year: 2027}, "year", "", ""}, // not yet awarded this year
		{Honour{Type: "little_giant", Year: 2025, ValidUntil: "2028"}, "valid_until", "", ""},
		{Honour{Type: "little_giant", Year: 2025, Level: "galactic"}, "level", "", ""},
	} {
		h := tc.h
		err := h.Validate(2026)
		if f := ErrorFields(err); tc.field == "" && err != nil || tc.field != "" && f[tc.field] == "" {
			t.Errorf("%+v: %v, want %q", tc.h, err, tc.field)
			continue
		}
		if tc.field == "" && (h.Level != tc.level || h.ValidUntil != tc.till) {
			t.Errorf("%+v: level %s until %s", tc.h, h.Level, h.ValidUntil)
		}
	}
	if len(HonourTypes) != 6 || !strings.Contains(HonourTypes[2].Label, "小巨人") {
		t.Error("ladder changed")
	}
}

func TestHonourWithdrawal(t *testing.T) {
	now := time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	earlier := now.AddDate(0, -1, 0)
	for _, tc := range []struct {
		name   string
		h      Honour
		reason string
		field  string // the refused field; "-" a refusal without one
		stored string
	}{
		{"reason trimmed", Honour{}, "  复核未通过 ", "", "复核未通过"},
		{"no reason", Honour{}, " \t", "withdraw_reason", ""},
		{"reason too long", Honour{}, strings.Repeat("因", 501), "withdraw_reason", ""},
		{"reason of 500", Honour{}, strings.Repeat("因", 500), "", strings.Repeat("因", 500)},
		{"already withdrawn", Honour{WithdrawnAt: &earlier, WithdrawReason: "文件撤销"}, "再次撤销", "-", "文件撤销"},
	} {
		h := tc.h
		err := h.ApplyWithdrawal(tc.reason, "coordinator", now)
		switch {
		case tc.field == "" && err != nil, tc.field != "" && err == nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && tc.field != "-" && ErrorFields(err)[tc.field] == "":
			t.Errorf("%s: fields %v, want %s", tc.name, ErrorFields(err), tc.field)
		case h.WithdrawReason != tc.stored:
			t.Errorf("%s: reason %q, want %q", tc.name, h.WithdrawReason, tc.stored)
		case tc.field == "" && (!h.Withdrawn() || !h.WithdrawnAt.Equal(now) || h.WithdrawnBy != "coordinator"):
			t.Errorf("%s: %+v", tc.name, h)
		}
	}
	active, gone := Honour{}, Honour{WithdrawnAt: &earlier}
	if active.CheckCorrection() != nil || ErrorCode(gone.CheckCorrection()) != EINVALID {
		t.Error("only an active honour may be corrected")
	}
}
