package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

// project is a record for the rule engine's tests, written directly: the project
// pipeline's own store methods belong to its module.
type project struct {
	unit            int64
	stage           string
	section         string
	contract, funds int64
	land            string
	signed, started string
	cert            string
	certOn          string
	tags            []string
}

func insertProjects(t *testing.T, s *Store, ps []project) {
	t.Helper()
	ctx := context.Background()
	err := s.inWrite(ctx, func(tx *Tx) error {
		for i, p := range ps {
			land := dec(t, p.land)
			if p.cert == "" {
				p.cert = "none"
			}
			var id int64
			if err := tx.queryRow(ctx, `INSERT INTO projects (code, name, unit_id, stage, industry_section, contract_investment,
				funds_in_place, land_mu, signed_on, started_on, cert_5020, cert_5020_on, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				fmt.Sprintf("P%03d", i), fmt.Sprintf("项目%d", i), p.unit, p.stage, p.section, p.contract, p.funds, int64(land),
				nullText(p.signed), nullText(p.started), p.cert, nullText(p.certOn), tx.now, tx.now).Scan(&id); err != nil {
				return err
			}
			for _, tag := range p.tags {
				if _, err := tx.exec(ctx, `INSERT INTO project_tags (project_id, tag) VALUES (?, ?)`, id, tag); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDerivedIndicators(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		var a, b, park *domain.Unit
		for _, u := range []**domain.Unit{&a, &b, &park} {
			*u = &domain.Unit{Kind: domain.UnitCounty, ParentID: city.ID, Assessed: true, Active: true}
		}
		a.Code, a.Name = "360202", "甲区"
		b.Code, b.Name = "360203", "乙区"
		park.Code, park.Name, park.Kind, park.ParentID = "P1", "高新区", domain.UnitPark, 0
		for _, u := range []*domain.Unit{a, b, park} {
			if err := s.CreateUnit(ctx, system, u); err != nil {
				t.Fatal(err)
			}
		}
		const yi = 100_000_000
		insertProjects(t, s, []project{
			{unit: a.ID, stage: "started", section: "C", contract: 3 * yi, funds: yi / 2, land: "120.5", signed: "2026-02-10", started: "2026-06-01", cert: "certified", certOn: "2026-05-01", tags: []string{"世界500强"}},
			{unit: a.ID, stage: "signed", section: "C", contract: yi, funds: 0, land: "30", signed: "2026-10-31"},
			{unit: a.ID, stage: "signed", section: "C", contract: yi - 1, land: "0", signed: "2026-03-01"},                               // below 1亿
			{unit: a.ID, stage: "signed", section: "C", contract: 2 * yi, land: "0", signed: "2026-11-01"},                               // after the period
			{unit: a.ID, stage: "in_production", section: "C", contract: 5 * yi, land: "0", signed: "2025-04-01", started: "2025-08-01"}, // last year
			{unit: b.ID, stage: "started", section: "I", contract: 2 * yi, funds: 12345678, land: "10", signed: "2026-01-15", started: "2026-09-30"},
			{unit: park.ID, stage: "signed", section: "D", contract: 10 * yi, land: "200", signed: "2026-07-07", tags: []string{"央企"}},
		})
		mk := func(code, name, measure string, acc domain.Accumulation, rule string) *domain.Indicator {
			i := &domain.Indicator{Code: code, Name: name, Measure: measure, Decimals: 1, HigherIsBetter: true, Kind: domain.KindDerived,
				Accumulation: acc, Rule: rule, Active: true}
			if err := s.CreateIndicator(ctx, system, i); err != nil {
				t.Fatalf("%s: %v", code, err)
			}
			return i
		}
		signed100m := mk("signed_100m", "亿元以上签约项目", "个", domain.Cumulative,
			`{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`)
		started := mk("started", "开工项目", "个", domain.Cumulative, `{"entity":"project","date_field":"started_on","aggregate":"count"}`)
		cert := mk("p5020", "5020项目", "个", domain.Cumulative,
			`{"entity":"project","date_field":"cert_5020_on","aggregate":"count","filters":[{"field":"cert_5020","op":"eq","value":["certified"]}]}`)
		invest := mk("contract", "签约合同投资", "亿元", domain.Cumulative,
			`{"entity":"project","date_field":"signed_on","aggregate":"sum","sum_field":"contract_investment","filters":[{"field":"industry_section","op":"in","value":["B","C","D"]}]}`)
		funds := mk("funds", "到位资金", "万元", domain.Cumulative, `{"entity":"project","date_field":"signed_on","aggregate":"sum","sum_field":"funds_in_place"}`)
		land := mk("land", "签约用地", "亩", domain.PointInTime, `{"entity":"project","date_field":"signed_on","aggregate":"sum","sum_field":"land_mu"}`)
		top500 := mk("top500", "世界500强项目", "个", domain.PointInTime,
			`{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"tags","op":"has_tag","value":["世界500强"]}]}`)
		rate := &domain.Indicator{Code: "start_rate", Name: "开工率", Measure: "%", Decimals: 1, HigherIsBetter: true, Kind: domain.KindRatio,
			NumeratorID: started.ID, DenominatorID: signed100m.ID, Active: true}
		if err := s.CreateIndicator(ctx, system, rate); err != nil {
			t.Fatal(err)
		}

		in, err := s.ProgressInput(ctx, 2026, 10)
		if err != nil {
			t.Fatal(err)
		}
		key := func(u *domain.Unit, i *domain.Indicator) domain.CellKey {
			return domain.CellKey{UnitID: u.ID, IndicatorID: i.ID}
		}
		want := []struct {
			u    *domain.Unit
			ind  *domain.Indicator
			want string
		}{
			{a, signed100m, "2"}, {b, signed100m, "1"}, {park, signed100m, "1"}, {city, signed100m, "4"},
			{a, started, "1"}, {b, started, "1"}, {park, started, "0"}, {city, started, "2"},
			{a, cert, "1"}, {b, cert, "0"}, {city, cert, "1"},
			{a, invest, "5"} /* 3亿 + 1亿 + (1亿 − 1元), in 亿元 at 4 places */, {b, invest, "0"}, {park, invest, "10"}, {city, invest, "15"},
			{a, funds, "5000"}, {b, funds, "1234.5678"}, {city, funds, "6234.5678"},
			{a, land, "150.5"}, {park, land, "200"}, {city, land, "360.5"},
			{a, top500, "1"}, {b, top500, "0"},
		}
		for _, w := range want {
			if got := in.Actual[key(w.u, w.ind)].String(); got != w.want {
				t.Errorf("%s %s = %s, want %s", w.u.Name, w.ind.Code, got, w.want)
			}
		}
		if got := in.LastYear[key(a, started)].String(); got != "1" {
			t.Errorf("last year's starts = %s", got)
		}
		tables := domain.BuildProgress(in)
		for _, tb := range tables {
			if tb.Indicator.ID == rate.ID && domain.RoundHalfUp(tb.Rows[0].Actual, 1) != "50.0" {
				t.Errorf("start rate of 甲区 = %s, want 1 of 2 = 50.0", domain.RoundHalfUp(tb.Rows[0].Actual, 1))
			}
		}
	})
}

func TestCreateProject(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		city := mustUnit(t, s, "360200", domain.UnitCity, 0)
		p := &domain.Project{Code: "XM001", Name: "陶瓷新材料产业园", UnitID: city.ID, Stage: "started", IndustrySection: "C",
			IndustryDivision: "30", ContractInvestment: 1_500_000_000, LandMu: dec(t, "150.5"), SignedOn: "2026-03-01",
			StartedOn: "2026-06-01", Tags: []string{"行业龙头", "行业龙头"}}
		if err := s.CreateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		dup := *p
		if err := s.CreateProject(ctx, system, &dup); domain.ErrorFields(err)["code"] == "" {
			t.Fatalf("duplicate code: %v", err)
		}
		bad := &domain.Project{Code: "XM002", Name: "x", UnitID: city.ID, Stage: "dreaming", SignedOn: "2026-06-01", StartedOn: "2026-01-01", ContractInvestment: -1}
		f := domain.ErrorFields(s.CreateProject(ctx, system, bad))
		for _, k := range []string{"stage", "started_on", "contract_investment"} {
			if f[k] == "" {
				t.Errorf("no problem for %s: %v", k, f)
			}
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "project.create"})
		if len(events) != 1 || !strings.Contains(events[0].After, `"land_mu":"150.5"`) || !strings.Contains(events[0].After, `"tags":["行业龙头"]`) {
			t.Fatalf("audit: %+v", events)
		}
	})
}
