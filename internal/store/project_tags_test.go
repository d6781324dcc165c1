package store

import (
	"context"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

func tagByName(t *testing.T, s *Store, name string) domain.ProjectTag {
	t.Helper()
	tags, err := s.ProjectTags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		if tag.Name == name {
			return tag
		}
	}
	t.Fatalf("no tag %s in %+v", name, tags)
	return domain.ProjectTag{}
}

func TestProjectTagList(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		tags, err := s.ProjectTags(ctx)
		if err != nil || len(tags) != 7 || tags[0].Name != "世界500强" {
			t.Fatalf("seeded list %+v %v", tags, err)
		}

		// Add; a repeated name and a bad one are refused.
		uni := &domain.ProjectTag{Name: " 独角兽 ", SortOrder: 8}
		if err := s.CreateProjectTag(ctx, system, uni); err != nil || uni.Name != "独角兽" || uni.Version != 1 {
			t.Fatalf("create %+v %v", uni, err)
		}
		if f := domain.ErrorFields(s.CreateProjectTag(ctx, system, &domain.ProjectTag{Name: "独角兽"})); f["name"] == "" {
			t.Error("repeated name accepted")
		}
		if f := domain.ErrorFields(s.CreateProjectTag(ctx, system, &domain.ProjectTag{Name: "上市、龙头"})); f["name"] == "" {
			t.Error("separator accepted")
		}

		// Projects take listed tags only.
		p := &domain.Project{Name: "陶瓷新材料", UnitID: a.ID, Stage: "lead", Tags: []string{"独角兽", "上市公司"}}
		if err := s.CreateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		if f := domain.ErrorFields(s.CreateProject(ctx, system, &domain.Project{Name: "x", UnitID: a.ID, Stage: "lead", Tags: []string{"不存在"}})); f["tags"] == "" {
			t.Error("unlisted tag accepted")
		}

		// Rename: the project's tag and the quality scheme's points follow, audited.
		q := domain.DefaultQualityScheme
		q.TagPoints = map[string]domain.Dec{"独角兽": domain.DecFromInt(7)}
		if err := s.SetProjectAnalysisRules(ctx, system, domain.DefaultWarningRules, q, domain.DefaultPerformanceRule); err != nil {
			t.Fatal(err)
		}
		renamed := &domain.ProjectTag{ID: uni.ID, Name: "瞪羚企业", SortOrder: 8, Version: uni.Version}
		if err := s.UpdateProjectTag(ctx, system, renamed); err != nil || renamed.Version != 2 || renamed.Projects != 1 {
			t.Fatalf("rename %+v %v", renamed, err)
		}
		got, _ := s.FindProjectByID(ctx, p.ID)
		if strings.Join(got.Tags, "、") != "上市公司、瞪羚企业" {
			t.Errorf("project tags after rename %q", got.Tags)
		}
		if gq, _ := s.QualityScheme(ctx); gq.TagPoints["瞪羚企业"] != domain.DecFromInt(7) || gq.TagPoints["独角兽"] != 0 {
			t.Errorf("scheme after rename %+v", gq.TagPoints)
		}
		if _, n, _ := s.FindProjects(ctx, domain.ProjectFilter{Tag: "瞪羚企业"}); n != 1 {
			t.Errorf("filter by the new name: %d", n)
		}
		events, _, _ := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "project_tag.update"})
		if len(events) != 1 || !strings.Contains(string(events[0].Before), "独角兽") || !strings.Contains(string(events[0].After), "瞪羚企业") {
			t.Errorf("audit %+v", events)
		}

		// A stale version is a conflict; a name another tag has is refused.
		if err := s.UpdateProjectTag(ctx, system, &domain.ProjectTag{ID: uni.ID, Name: "别的", Version: 1}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}
		if f := domain.ErrorFields(s.UpdateProjectTag(ctx, system, &domain.ProjectTag{ID: uni.ID, Name: "上市公司", Version: 2})); f["name"] == "" {
			t.Error("rename onto another tag accepted")
		}

		// Retire: no longer given to projects, kept where it is.
		retired := &domain.ProjectTag{ID: uni.ID, Name: "瞪羚企业", SortOrder: 8, Retired: true, Version: 2}
		if err := s.UpdateProjectTag(ctx, system, retired); err != nil {
			t.Fatal(err)
		}
		if f := domain.ErrorFields(s.CreateProject(ctx, system, &domain.Project{Name: "y", UnitID: a.ID, Stage: "lead", Tags: []string{"瞪羚企业"}})); f["tags"] == "" {
			t.Error("retired tag given to a new project")
		}
		got.Name = "陶瓷新材料（一期）"
		if err := s.UpdateProject(ctx, system, got); err != nil || strings.Join(got.Tags, "、") != "上市公司、瞪羚企业" {
			t.Fatalf("keeping a retired tag: %v %q", err, got.Tags)
		}
		if tags, _ := s.ProjectTags(ctx); tags[len(tags)-1].Name != "瞪羚企业" || !tags[len(tags)-1].Retired {
			t.Errorf("retired tags are listed last: %+v", tags)
		}
		if err := s.UpdateProjectTag(ctx, system, &domain.ProjectTag{ID: 9999, Name: "无", Version: 1}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing tag: %v", err)
		}
	})
}

// An indicator's counting rule that names a tag blocks renaming it.
func TestProjectTagRenameBlockedByRule(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		top500 := &domain.Indicator{Code: "top500", Name: "世界500强项目", Measure: "个", Decimals: 0, HigherIsBetter: true,
			Kind: domain.KindDerived, Accumulation: domain.PointInTime, Active: true,
			Rule: `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"tags","op":"has_tag","value":["世界500强"]}]}`}
		if err := s.CreateIndicator(ctx, system, top500); err != nil {
			t.Fatal(err)
		}
		tag := tagByName(t, s, "世界500强")
		err := s.UpdateProjectTag(ctx, system, &domain.ProjectTag{ID: tag.ID, Name: "全球500强", Version: tag.Version})
		if f := domain.ErrorFields(err); !strings.Contains(f["name"], "指标“世界500强项目”") {
			t.Fatalf("rename with a rule naming the tag: %v", err)
		}
		if got := tagByName(t, s, "世界500强"); got.Version != tag.Version {
			t.Error("refused rename changed the tag")
		}
	})
}

func TestRules5020Setting(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		r, err := s.Rules5020(ctx)
		if err != nil || r.CityClass != "large" || len(r.Classes) != 2 {
			t.Fatalf("defaults %+v %v", r, err)
		}
		// Thresholds saved before city classes existed become the chosen class.
		if err := s.SetSetting(ctx, system, SettingThresholds5020, `{"domestic_yuan":3000000000,"foreign_usd":200000000,"usd_rate":"7.2"}`); err != nil {
			t.Fatal(err)
		}
		th, err := s.Thresholds5020(ctx)
		if err != nil || th.DomesticYuan != 3_000_000_000 || th.ClassName != "原设置" || th.USDRate.String() != "7.2" {
			t.Fatalf("legacy %+v %v", th, err)
		}
		r = domain.DefaultRules5020
		r.CityClass = "small"
		if err := s.SetProjectAnalysisSettings(ctx, system, domain.DefaultWarningRules, domain.DefaultQualityScheme, domain.DefaultPerformanceRule, r); err != nil {
			t.Fatal(err)
		}
		if th, _ := s.Thresholds5020(ctx); th.DomesticYuan != 2_000_000_000 || th.ClassName != "小城市" {
			t.Errorf("small city %+v", th)
		}
		r.CityClass = "none"
		if err := s.SetProjectAnalysisSettings(ctx, system, domain.DefaultWarningRules, domain.DefaultQualityScheme, domain.DefaultPerformanceRule, r); domain.ErrorFields(err)["city_class"] == "" {
			t.Errorf("unknown class: %v", err)
		}
	})
}

// A park's own intensity benchmark orders and scores its projects.
func TestQualityParkBenchmark(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		park := mustUnit(t, s, "360291", domain.UnitPark, a.ID)
		mk := func(name string, parkID int64) int64 {
			p := &domain.Project{Name: name, UnitID: a.ID, ParkID: parkID, Stage: "signed", SignedOn: "2026-01-01",
				FixedInvestment: 250 * 10_000 * 100, LandMu: domain.DecFromInt(100)} // 250万元/亩
			if err := s.CreateProject(ctx, system, p); err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		inPark, outside := mk("园区项目", park.ID), mk("园外项目", 0)
		q := domain.DefaultQualityScheme
		q.ParkIntensity = map[int64]domain.Dec{park.ID: domain.DecFromInt(500)}
		if err := s.SetProjectAnalysisRules(ctx, system, domain.DefaultWarningRules, q, domain.DefaultPerformanceRule); err != nil {
			t.Fatal(err)
		}
		stored, err := s.QualityScheme(ctx)
		if err != nil || stored.ParkIntensity[park.ID] != domain.DecFromInt(500) {
			t.Fatalf("stored %+v %v", stored.ParkIntensity, err)
		}
		rows, _, err := s.ProjectQuality(ctx, 0, stored, 0, 10)
		if err != nil || len(rows) != 2 {
			t.Fatal(rows, err)
		}
		// Outside: 40 × 250/300; in the park: 40 × 250/500.
		if rows[0].ProjectID != outside || rows[0].Score.String() != "33.3333" || rows[1].ProjectID != inPark || rows[1].Score.String() != "20" {
			t.Fatalf("scores %+v", rows)
		}
		if !strings.Contains(rows[1].Items[0].Explanation, "单位360291基准500万元/亩") {
			t.Errorf("explanation %q", rows[1].Items[0].Explanation)
		}
	})
}

// Generated codes go past 9,999 a year; four-digit codes stay as they are.
func TestProjectCodesBeyond9999(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		for _, code := range []string{"XM20269998", "XM2026ABCD", "XM2025123456"} {
			if err := s.CreateProject(ctx, system, &domain.Project{Code: code, Name: code, UnitID: a.ID, Stage: "lead"}); err != nil {
				t.Fatal(err)
			}
		}
		var codes []string
		for range 3 {
			p := &domain.Project{Name: "新项目", UnitID: a.ID, Stage: "lead"}
			if err := s.CreateProject(ctx, system, p); err != nil {
				t.Fatal(err)
			}
			codes = append(codes, p.Code)
		}
		if strings.Join(codes, " ") != "XM20269999 XM202610000 XM202610001" {
			t.Fatalf("codes %q", codes)
		}
		created, _, err := s.ImportProjects(ctx, system, []*domain.Project{{Name: "导入1", UnitID: a.ID, Stage: "lead"}, {Name: "导入2", UnitID: a.ID, Stage: "lead"}})
		if err != nil || created != 2 {
			t.Fatal(created, err)
		}
		if _, n, _ := s.FindProjects(ctx, domain.ProjectFilter{Query: "xm20261000"}); n != 4 { // 10000…10003, found in lower case
			t.Errorf("imported codes: %d", n)
		}
	})
}

// The search column follows edits of the name and investor.
func TestProjectSearchText(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		p := &domain.Project{Name: "ABC陶瓷", UnitID: a.ID, Stage: "lead"}
		p.InvestorName = "Foxconn 科技"
		if err := s.CreateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		count := func(q string) int {
			_, n, err := s.FindProjects(ctx, domain.ProjectFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count("abc") != 1 || count("FOXCONN") != 1 || count(strings.ToLower(p.Code)) != 1 || count("100%") != 0 {
			t.Fatal("search before the edit")
		}
		p.Name, p.InvestorName = "新名称", "另一家"
		if err := s.UpdateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		if count("abc") != 0 || count("foxconn") != 0 || count("新名") != 1 || count("另一") != 1 {
			t.Error("search after the edit")
		}
	})
}
