package domain

import (
	"slices"
	"testing"
)

func TestProjectMoney(t *testing.T) {
	for _, tc := range []struct {
		yuan     int64
		yi, tier string
	}{
		{0, "0.00", ""},
		{99_999_999, "1.00", ""},
		{100_000_000, "1.00", "1亿元以上"},
		{649_999_999, "6.50", "5亿元以上"},
		{649_499_999, "6.49", "5亿元以上"},
		{5_000_000_000, "50.00", "50亿元以上"},
	} {
		if got := YiYuan(tc.yuan); got != tc.yi {
			t.Errorf("YiYuan(%d) = %s, want %s", tc.yuan, got, tc.yi)
		}
		if got := TierOf(DefaultTiers, tc.yuan); got != tc.tier {
			t.Errorf("TierOf(%d) = %q, want %q", tc.yuan, got, tc.tier)
		}
	}
	d, _ := ParseDec("12345.6789")
	if got := WanToYuan(d); got != 123_456_789 {
		t.Errorf("WanToYuan = %d", got)
	}
	if YuanToWan(123_456_789) != "12345.6789" {
		t.Error("YuanToWan")
	}
}

func TestNextStages(t *testing.T) {
	lead := &Project{Stage: "lead"}
	if got := lead.NextStages(); !slices.Equal(got, []string{"negotiating", "signed", "terminated"}) {
		t.Errorf("from lead: %v", got)
	}
	started := &Project{Stage: "started", SignedOn: "2026-01-01"}
	if got := started.NextStages(); len(got) != 8 || slices.Contains(got, "started") {
		t.Errorf("from started: %v", got)
	}
}

func TestApplyTransitionClearsLaterDates(t *testing.T) {
	p := &Project{Stage: "in_production", SignedOn: "2026-01-01", StartedOn: "2026-02-01", CompletedOn: "2026-03-01", InProductionOn: "2026-04-01"}
	if err := p.ApplyTransition("signed", "2026-05-01", "开工信息有误", "2026-06-01"); err != nil {
		t.Fatal(err)
	}
	if p.Stage != "signed" || p.SignedOn != "2026-01-01" || p.StartedOn != "" || p.InProductionOn != "" {
		t.Fatalf("%+v", p)
	}
}

// Amounts are whole yuan from 0 to MaxAmount (100万亿元): a negative one or a figure typed
// in yuan where 万元 was meant is refused on its field.
func TestProjectAmounts(t *testing.T) {
	for _, tc := range []struct {
		yuan int64
		ok   bool
	}{{0, true}, {MaxAmount, true}, {MaxAmount + 1, false}, {-1, false}, {1 << 62, false}} {
		p := Project{Code: "XM2026001", Name: "测试项目", UnitID: 1, Stage: "signed", SignedOn: "2026-01-05", FundsInPlace: tc.yuan}
		err := p.Validate()
		if got := ErrorFields(err)["funds_in_place"] == ""; got != tc.ok {
			t.Errorf("funds %d: %v", tc.yuan, err)
		}
	}
}
