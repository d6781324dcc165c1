package domain

import (
	"strings"
	"testing"
	"time"
)

func TestProjectWarnings(t *testing.T) {
	today := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC) // 10 complete months: 83.3%
	ago := func(days int) string { return today.AddDate(0, 0, -days).Format(time.DateOnly) }
	recent := ago(1)
	tests := []struct {
		name  string
		f     ProjectFacts
		rules *WarningRules
		want  []string // code:level
		text  string   // a part of the first reason
	}{
		{"day 90 is not yet late", ProjectFacts{Stage: "signed", SignedOn: ago(90), LastNoteOn: recent}, nil, nil, ""},
		{"day 91 yellow", ProjectFacts{Stage: "signed", SignedOn: ago(91), LastNoteOn: recent}, nil, []string{"not_started:yellow"}, "签约已91天仍未开工（超过90天）"},
		{"day 180 still yellow", ProjectFacts{Stage: "registered", SignedOn: ago(180), LastNoteOn: recent}, nil, []string{"not_started:yellow"}, "超过90天"},
		{"day 181 red", ProjectFacts{Stage: "signed", SignedOn: ago(181), LastNoteOn: recent}, nil, []string{"not_started:red"}, "签约已181天仍未开工（超过180天）"},
		{"day 213 red", ProjectFacts{Stage: "land_supplied", SignedOn: ago(213), LastNoteOn: recent}, nil, []string{"not_started:red"}, "签约已213天仍未开工（超过180天）"},
		{"started is not warned about starting", ProjectFacts{Stage: "started", SignedOn: ago(400), StartedOn: ago(10), LastNoteOn: recent, ContractInvestment: 100, FundsInPlace: 90}, nil, nil, ""},
		{"terminated has none", ProjectFacts{Stage: "terminated", SignedOn: ago(400), TerminatedOn: ago(3)}, nil, nil, ""},
		{"lead has none", ProjectFacts{Stage: "lead", PlannedStartOn: ago(5)}, nil, nil, ""},
		{"note day 30 ok", ProjectFacts{Stage: "signed", SignedOn: ago(40), LastNoteOn: ago(30)}, nil, nil, ""},
		{"note day 31 yellow", ProjectFacts{Stage: "signed", SignedOn: ago(40), LastNoteOn: ago(31)}, nil, []string{"no_note:yellow"}, "最近一次进展记录已31天（超过30天未更新进展）"},
		{"no note ever counts from signing", ProjectFacts{Stage: "signed", SignedOn: ago(31)}, nil, []string{"no_note:yellow"}, "签约后无进展记录"},
		{"in production: no note rule off", ProjectFacts{Stage: "in_production", SignedOn: ago(900), StartedOn: ago(800), InProductionOn: ago(100), PlannedProductionOn: ago(200)}, nil, nil, ""},
		{"planned start today is not passed", ProjectFacts{Stage: "signed", SignedOn: ago(10), PlannedStartOn: ago(0), LastNoteOn: recent}, nil, nil, ""},
		{"planned start passed", ProjectFacts{Stage: "signed", SignedOn: ago(10), PlannedStartOn: ago(1), LastNoteOn: recent}, nil, []string{"planned_start_passed:yellow"}, "计划开工日期" + ago(1) + "已过1天仍未开工"},
		{"planned production passed", ProjectFacts{Stage: "completed", SignedOn: ago(10), StartedOn: ago(5), PlannedProductionOn: ago(2), LastNoteOn: recent, ContractInvestment: 100, FundsInPlace: 100}, nil, []string{"planned_production_passed:yellow"}, "已过2天仍未投产"},
		{"funds behind", ProjectFacts{Stage: "started", SignedOn: ago(20), StartedOn: ago(5), LastNoteOn: recent, ContractInvestment: 1200, FundsInPlace: 999}, nil, []string{"funds_behind:yellow"}, "资金到位率83.3%，低于时序进度83.3%（10/12）"},
		{"funds at time progress", ProjectFacts{Stage: "started", SignedOn: ago(20), StartedOn: ago(5), LastNoteOn: recent, ContractInvestment: 1200, FundsInPlace: 1000}, nil, nil, ""},
		{"funds: no contract no warning", ProjectFacts{Stage: "started", SignedOn: ago(20), StartedOn: ago(5), LastNoteOn: recent}, nil, nil, ""},
		{"idle land day 364", ProjectFacts{Stage: "land_supplied", SignedOn: ago(60), LandSuppliedOn: ago(364), LastNoteOn: recent}, nil, nil, ""},
		{"idle land day 365", ProjectFacts{Stage: "land_supplied", SignedOn: ago(60), LandSuppliedOn: ago(365), LastNoteOn: recent}, nil, []string{"idle_land:red"}, "供地已365天仍未开工"},
		{"rules switched off", ProjectFacts{Stage: "signed", SignedOn: ago(400), PlannedStartOn: ago(3)}, &WarningRules{}, nil, ""},
		{"custom thresholds", ProjectFacts{Stage: "signed", SignedOn: ago(61), LastNoteOn: recent}, &WarningRules{NotStartedYellowDays: 30, NotStartedRedDays: 60}, []string{"not_started:red"}, "超过60天"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules := DefaultWarningRules
			if tt.rules != nil {
				rules = *tt.rules
			}
			ws := ProjectWarnings(tt.f, today, rules)
			var got []string
			for _, w := range ws {
				got = append(got, w.Code+":"+w.Level)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v, want %v (%+v)", got, tt.want, ws)
			}
			if tt.text != "" && !strings.Contains(ws[0].Reason, tt.text) {
				t.Errorf("reason %q lacks %q", ws[0].Reason, tt.text)
			}
		})
	}
}

func TestWarningRulesValidate(t *testing.T) {
	if err := DefaultWarningRules.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (WarningRules{NotStartedYellowDays: 90, NotStartedRedDays: 60}).Validate(); err == nil {
		t.Error("red before yellow accepted")
	}
	if WorstLevel([]Warning{{Level: WarningYellow}, {Level: WarningRed}}) != WarningRed || WorstLevel(nil) != "" {
		t.Error("WorstLevel")
	}
}

// The hand-written date reader agrees with time.Parse on every input.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2026-11-27", "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
		"2026-1-01", "", "abcd-ef-gh", "0000-01-01", "9999-12-31", "2026-04-31", "2026-12-00", "+026-01-01", "2026-01-0a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := time.Parse(time.DateOnly, s)
		got, ok := ParseDay(s)
		if ok != (err == nil) || (ok && !got.Equal(want)) {
			t.Fatalf("ParseDay(%q) = %v, %v; time.Parse gives %v, %v", s, got, ok, want, err)
		}
	})
}

// fundsBehind is funds ÷ contract < months ÷ 12, near the boundary and past int64's reach.
func TestFundsBehind(t *testing.T) {
	for _, c := range []struct {
		funds, contract int64
		months          int
		want            bool
	}{
		{10, 12, 10, false}, {9, 12, 10, true}, {0, 1, 1, true}, {1, 12, 1, false},
		{1 << 62, 1 << 62, 11, false}, {1<<62 - 1, 1 << 62, 12, true}, {1 << 58, 1 << 62, 1, true},
	} {
		if got := fundsBehind(c.funds, c.contract, c.months); got != c.want {
			t.Errorf("fundsBehind(%d, %d, %d) = %v, want %v", c.funds, c.contract, c.months, got, c.want)
		}
	}
}
