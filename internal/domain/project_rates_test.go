package domain

import "testing"

func TestCohortRates(t *testing.T) {
	counts := []CohortCounts{
		{UnitName: "U1", Signed: 34, Registered: 34, Started: 32, InProduction: 10, Performed: 20, Contract: 1000, Funds: 500},
		{UnitName: "U2", Signed: 32, Registered: 30, Started: 22, Contract: 3, Funds: 2},
		{UnitName: "U3", Signed: 4, Registered: 4, Started: 2},
		{UnitName: "U4", Signed: 2, Started: 1},
		{UnitName: "U5", Signed: 0},
		{UnitName: "U6", Signed: 3, Started: 3},
	}
	rows := CohortRates(counts)
	want := []struct {
		reg, start, prod, funds, perf, rank string
	}{
		{"100.0", "94.1", "29.4", "50.0", "58.8", "第2"},
		{"93.8", "68.8", "0.0", "66.7", "0.0", "第3"},
		{"100.0", "50.0", "0.0", "—", "0.0", "并列第4"},
		{"0.0", "50.0", "0.0", "—", "0.0", "并列第4"},
		{"—", "—", "—", "—", "—", "—"},
		{"0.0", "100.0", "0.0", "—", "0.0", "第1"},
	}
	for i, w := range want {
		r := rows[i]
		got := []string{FormatPercent(r.Registration, 1), FormatPercent(r.Start, 1), FormatPercent(r.Production, 1),
			FormatPercent(r.FundsRate, 1), FormatPercent(r.Performance, 1), RankLabel(r.Rank, r.Tied)}
		exp := []string{w.reg, w.start, w.prod, w.funds, w.perf, w.rank}
		for j := range got {
			if got[j] != exp[j] {
				t.Errorf("%s column %d: got %s, want %s", r.UnitName, j, got[j], exp[j])
			}
		}
	}
	total := CohortTotal(counts)
	if total.Signed != 75 || total.Started != 60 || total.Funds != 502 {
		t.Errorf("total %+v", total)
	}
}

func TestCohortValidate(t *testing.T) {
	tests := []struct {
		c  Cohort
		ok bool
	}{
		{Cohort{Name: "2026年上半年", SignedFrom: "2026-01-01", SignedTo: "2026-06-30"}, true},
		{Cohort{Name: "单日", SignedFrom: "2026-01-01", SignedTo: "2026-01-01"}, true},
		{Cohort{Name: " ", SignedFrom: "2026-01-01", SignedTo: "2026-06-30"}, false},
		{Cohort{Name: "倒置", SignedFrom: "2026-07-01", SignedTo: "2026-06-30"}, false},
		{Cohort{Name: "坏日期", SignedFrom: "2026-13-01", SignedTo: "2026-06-30"}, false},
	}
	for _, tt := range tests {
		if err := tt.c.Validate(); (err == nil) != tt.ok {
			t.Errorf("%+v: %v", tt.c, err)
		}
	}
	if DefaultPerformanceRule.Describe() != "已开工且到位资金≥合同投资的50.0%" {
		t.Error(DefaultPerformanceRule.Describe())
	}
	if (PerformanceRule{MinFundsRatio: DecFromInt(2)}).Validate() == nil {
		t.Error("ratio 2 accepted")
	}
}
