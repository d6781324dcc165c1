package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

// testUSCC makes a valid code registered in division div, numbered n.
func testUSCC(div string, n int) string {
	return domain.CompleteUSCC(fmt.Sprintf("91%s%09d", div, n))
}

func mustEnterprise(t *testing.T, s *Store, unit int64, name, uscc string) *domain.Enterprise {
	t.Helper()
	e := &domain.Enterprise{Name: name, UnitID: unit, USCC: uscc, IndustryDivision: "30"}
	if err := s.CreateEnterprise(context.Background(), system, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEnterpriseRegistry(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360202", domain.UnitCounty, 0)
		b := mustUnit(t, s, "360203", domain.UnitCounty, 0)
		park := mustUnit(t, s, "P01", domain.UnitPark, a.ID)
		e1 := mustEnterprise(t, s, a.ID, "景德镇华光陶瓷有限公司", " "+strings.ToLower(testUSCC("360202", 1))+" ")
		if e1.USCC != testUSCC("360202", 1) || e1.IndustrySection != "C" || e1.Status != domain.StatusActive || e1.Version != 1 {
			t.Fatalf("created %+v", e1)
		}
		e2 := mustEnterprise(t, s, b.ID, "乙县电子科技有限公司", "")
		mustEnterprise(t, s, b.ID, "乙县另一家无代码企业", "") // several firms may lack a code

		dup := &domain.Enterprise{Name: "重复", UnitID: b.ID, USCC: testUSCC("360202", 1)}
		if msg := domain.ErrorFields(s.CreateEnterprise(ctx, system, dup))["uscc"]; !strings.Contains(msg, "景德镇华光陶瓷有限公司") {
			t.Fatalf("duplicate USCC message %q", msg)
		}
		bad := &domain.Enterprise{Name: "坏码", UnitID: b.ID, USCC: "914403001922038217"}
		if domain.ErrorFields(s.CreateEnterprise(ctx, system, bad))["uscc"] == "" {
			t.Fatal("invalid USCC accepted")
		}

		e1.ParkID, e1.Chain = park.ID, "陶瓷"
		if err := s.UpdateEnterprise(ctx, system, e1); err != nil {
			t.Fatal(err)
		}
		stale := *e1
		stale.Version = 1
		if err := s.UpdateEnterprise(ctx, system, &stale); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale update: %v", err)
		}

		// Above-scale spells: entry, no second entry while in, exit after entry, re-entry after exit.
		e1, err := s.RecordScaleEntry(ctx, system, e1.ID, e1.Version, domain.EntryMonthly, "2026-03", 0)
		if err != nil || !e1.AboveScale {
			t.Fatalf("entry: %v %+v", err, e1)
		}
		if _, err := s.RecordScaleEntry(ctx, system, e1.ID, e1.Version, domain.EntryMonthly, "2026-04", 0); domain.ErrorFields(err)["entry_month"] == "" {
			t.Fatalf("second entry while in: %v", err)
		}
		if _, err := s.RecordScaleExit(ctx, system, e1.ID, e1.Version, "2026-02", "营收下降"); domain.ErrorFields(err)["exit_month"] == "" {
			t.Fatalf("exit before entry: %v", err)
		}
		if _, err := s.RecordScaleExit(ctx, system, e1.ID, e1.Version-1, "2026-05", "营收下降"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale exit: %v", err)
		}
		if e1, err = s.RecordScaleExit(ctx, system, e1.ID, e1.Version, "2026-05", "营收下降"); err != nil || e1.AboveScale {
			t.Fatalf("exit: %v %+v", err, e1)
		}
		if e1, err = s.RecordScaleEntry(ctx, system, e1.ID, e1.Version, domain.EntryAnnual, "", 2026); err != nil || !e1.AboveScale {
			t.Fatalf("re-entry: %v", err)
		}
		spells, _ := s.FindScaleSpells(ctx, e1.ID)
		if len(spells) != 2 || spells[1].EntryMonth != "2027-01" || spells[0].ExitMonth != "2026-05" {
			t.Fatalf("spells %+v %+v", spells[0], spells[len(spells)-1])
		}
		if e2, err = s.SetEnterpriseStatus(ctx, system, e2.ID, e2.Version, domain.StatusZombie, "2026-06-01", "连续三年亏损"); err != nil || e2.Status != domain.StatusZombie {
			t.Fatalf("zombie: %v", err)
		}

		// Figures and the cultivation pool: 1500万 ≤ revenue < 2000万, active, below scale.
		for _, f := range []*domain.EnterpriseFigures{
			{EnterpriseID: e2.ID, Year: 2025, Revenue: 16_000_000, LandMu: domain.DecFromInt(30)}, // zombie: no candidate
			{EnterpriseID: e1.ID, Year: 2025, Revenue: 19_000_000},                                // above scale: no candidate
		} {
			if err := s.SetEnterpriseFigures(ctx, system, f); err != nil {
				t.Fatal(err)
			}
		}
		c := mustEnterprise(t, s, a.ID, "候选企业", testUSCC("360202", 7))
		if err := s.SetEnterpriseFigures(ctx, system, &domain.EnterpriseFigures{EnterpriseID: c.ID, Year: 2025, Revenue: 15_000_000, LandMu: domain.Dec(125000)}); err != nil {
			t.Fatal(err)
		}
		figs, _ := s.FindEnterpriseFigures(ctx, c.ID)
		if len(figs) != 1 || figs[0].LandMu.String() != "12.5" {
			t.Fatalf("figures %+v", figs)
		}
		if err := s.AddHonour(ctx, system, &domain.Honour{EnterpriseID: e1.ID, Type: "little_giant", Year: 2025, Batch: "第七批"}); err != nil {
			t.Fatal(err)
		}
		hs, _ := s.FindHonours(ctx, e1.ID)
		if len(hs) != 1 || hs[0].Level != "national" || hs[0].ValidUntil != "2027-12-31" {
			t.Fatalf("honours %+v", hs[0])
		}

		rules := domain.DefaultEnterpriseRules
		for name, tc := range map[string]struct {
			f    domain.EnterpriseFilter
			want int
		}{
			"all":         {domain.EnterpriseFilter{}, 4},
			"unit":        {domain.EnterpriseFilter{UnitID: a.ID}, 2},
			"park":        {domain.EnterpriseFilter{ParkID: park.ID}, 1},
			"above":       {domain.EnterpriseFilter{AboveScale: "yes"}, 1},
			"below":       {domain.EnterpriseFilter{AboveScale: "no"}, 3},
			"zombie":      {domain.EnterpriseFilter{Status: domain.StatusZombie}, 1},
			"honour":      {domain.EnterpriseFilter{Honour: "little_giant"}, 1},
			"candidate":   {domain.EnterpriseFilter{Candidate: true, FiguresYear: 2025, Rules: rules}, 1},
			"search name": {domain.EnterpriseFilter{Query: "华光"}, 1},
			"search code": {domain.EnterpriseFilter{Query: strings.ToLower(testUSCC("360202", 7))}, 1},
			"page 2":      {domain.EnterpriseFilter{Limit: 3, Offset: 3}, 4},
			"past end":    {domain.EnterpriseFilter{Limit: 3, Offset: 30}, 4},
		} {
			list, total, err := s.FindEnterprises(ctx, tc.f)
			if err != nil {
				t.Fatal(name, err)
			}
			if total != tc.want {
				t.Errorf("%s: total %d, want %d", name, total, tc.want)
			}
			if name == "candidate" && list[0].ID != c.ID {
				t.Errorf("candidate %v", list[0].Name)
			}
		}
		if _, _, err := s.FindEnterprises(ctx, domain.EnterpriseFilter{Sort: "nope"}); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("bad sort: %v", err)
		}
	})
}

// TestAboveScaleDerived compares the derived 新增规上工业企业 with a hand count, and the
// pipeline's gross and net figures.
func TestAboveScaleDerived(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		a := &domain.Unit{Code: "360202", Name: "甲区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		b := &domain.Unit{Code: "360203", Name: "乙区", Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		for _, u := range []*domain.Unit{a, b} {
			if err := s.CreateUnit(ctx, system, u); err != nil {
				t.Fatal(err)
			}
		}
		entries := []struct {
			unit      int64
			typ, mo   string
			batch     int
			exitMonth string
		}{
			{a.ID, domain.EntryMonthly, "2026-02", 0, ""},
			{a.ID, domain.EntryMonthly, "2026-05", 0, "2026-09"},
			{a.ID, domain.EntryAnnual, "", 2025, ""},             // counts from 2026-01
			{a.ID, domain.EntryAnnual, "", 2026, ""},             // counts from 2027-01: not this year
			{a.ID, domain.EntryMonthly, "2026-11", 0, ""},        // after the period (October)
			{b.ID, domain.EntryMonthly, "2025-12", 0, "2026-03"}, // last year's entry, this year's exit
			{b.ID, domain.EntryMonthly, "2026-10", 0, ""},
		}
		for i, x := range entries {
			e := mustEnterprise(t, s, x.unit, fmt.Sprintf("企业%d", i), "")
			e, err := s.RecordScaleEntry(ctx, system, e.ID, e.Version, x.typ, x.mo, x.batch)
			if err != nil {
				t.Fatal(i, err)
			}
			if x.exitMonth != "" {
				if _, err := s.RecordScaleExit(ctx, system, e.ID, e.Version, x.exitMonth, "退库"); err != nil {
					t.Fatal(i, err)
				}
			}
		}
		ind := &domain.Indicator{Code: "new_above_scale", Name: "新增规上工业企业", Measure: "个", HigherIsBetter: true,
			Kind: domain.KindDerived, Accumulation: domain.Cumulative, Active: true,
			Rule: `{"entity":"above_scale_entry","date_field":"entry_on","aggregate":"count"}`}
		if err := s.CreateIndicator(ctx, system, ind); err != nil {
			t.Fatal(err)
		}
		in, err := s.ProgressInput(ctx, 2026, 10)
		if err != nil {
			t.Fatal(err)
		}
		// Hand count to October 2026: 甲区 2026-02, 2026-05, 2026-01 (batch 2025) = 3; 乙区 2026-10 = 1.
		for u, want := range map[int64]string{a.ID: "3", b.ID: "1", city.ID: "4"} {
			if got := in.Actual[domain.CellKey{UnitID: u, IndicatorID: ind.ID}].String(); got != want {
				t.Errorf("unit %d: derived %s, want %s", u, got, want)
			}
		}
		rows, err := s.ScalePipeline(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		ra, rb := rows[a.ID], rows[b.ID]
		if ra.Gross != 4 || ra.ExitsN != 1 || ra.Net() != 3 || ra.Annual != 1 || ra.Entries[0] != 1 || ra.Exits[8] != 1 {
			t.Errorf("甲区 %+v", ra)
		}
		if rb.Gross != 1 || rb.ExitsN != 1 || rb.Net() != 0 || rb.Exits[2] != 1 {
			t.Errorf("乙区 %+v", rb)
		}
	})
}

func TestPerMuInputsAndScheme(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360202", domain.UnitCounty, 0)
		park := mustUnit(t, s, "P01", domain.UnitPark, a.ID)
		live := mustEnterprise(t, s, a.ID, "在营企业", "")
		live.ParkID = park.ID
		if err := s.UpdateEnterprise(ctx, system, live); err != nil {
			t.Fatal(err)
		}
		dead := mustEnterprise(t, s, a.ID, "关闭企业", "")
		if _, err := s.SetEnterpriseStatus(ctx, system, dead.ID, dead.Version, domain.StatusClosed, "2026-01-01", "注销"); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{live.ID, dead.ID} {
			if err := s.SetEnterpriseFigures(ctx, system, &domain.EnterpriseFigures{EnterpriseID: id, Year: 2025, Tax: 1_000_000,
				LandMu: domain.Dec(105000), Electricity: domain.DecFromInt(20)}); err != nil {
				t.Fatal(err)
			}
		}
		in, owners, err := s.PerMuInputs(ctx, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if len(in) != 1 || in[0].EnterpriseID != live.ID || in[0].Figures.LandMu.String() != "10.5" || in[0].Section != "C" ||
			owners[live.ID] != [2]int64{a.ID, park.ID} {
			t.Fatalf("inputs %+v owners %v", in, owners)
		}
		sc, err := s.PerMuScheme(ctx)
		if err != nil || len(sc.AboveScale) != 6 || sc.Shares != [4]int64{20, 40, 35, 5} {
			t.Fatalf("default scheme %+v %v", sc, err)
		}
		sc.Shares = [4]int64{25, 45, 25, 5}
		if err := s.SetPerMuScheme(ctx, system, sc); err != nil {
			t.Fatal(err)
		}
		bad := sc
		bad.Shares = [4]int64{25, 45, 25, 6}
		if err := s.SetPerMuScheme(ctx, system, bad); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad shares stored: %v", err)
		}
		if got, _ := s.PerMuScheme(ctx); got.Shares != [4]int64{25, 45, 25, 5} {
			t.Fatalf("stored scheme %+v", got.Shares)
		}
	})
}
