package store

import (
	"context"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

func TestImportProjectsAllOrNothing(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		a := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		old := &domain.Project{Name: "已有项目", UnitID: a.ID, Stage: "signed", SignedOn: "2026-02-01", ContractInvestment: domain.Yi}
		if err := s.CreateProject(ctx, system, old); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TransitionProject(ctx, system, old.ID, old.Version, "started", "2026-03-01", ""); err != nil {
			t.Fatal(err)
		}

		// A failing row (an unknown unit) rolls back the rows before it.
		list := []*domain.Project{
			{Name: "新项目甲", UnitID: a.ID, Stage: "lead"},
			{Code: old.Code, Name: "已有项目改名", UnitID: a.ID, Stage: "lead"},
			{Name: "坏项目", UnitID: 999999, Stage: "lead"},
		}
		if _, _, err := s.ImportProjects(ctx, system, list); err == nil || !strings.Contains(domain.ErrorMessage(err), "第3个项目") {
			t.Fatalf("failing import: %v", err)
		}
		all, total, err := s.FindProjects(ctx, domain.ProjectFilter{Limit: 50})
		if err != nil || total != 1 || all[0].Name != "已有项目" {
			t.Fatalf("a failed import changed projects: %d %v", total, err)
		}

		// A good file: new projects get codes (skipping one the file names itself) and
		// start at 签约 or 线索; an existing one keeps its stage and dates.
		list = []*domain.Project{
			{Name: "新项目甲", UnitID: a.ID, SignedOn: "2026-05-01", ContractInvestment: 5 * domain.Yi, Tags: []string{"行业龙头"}},
			{Code: old.Code, Name: "已有项目改名", UnitID: a.ID, ContractInvestment: 2 * domain.Yi},
			{Code: "XM20260003", Name: "指定编码", UnitID: a.ID},
			{Name: "新项目乙", UnitID: a.ID},
		}
		created, updated, err := s.ImportProjects(ctx, system, list)
		if err != nil || created != 3 || updated != 1 {
			t.Fatalf("import: %d %d %v", created, updated, err)
		}
		if list[0].Code != "XM20260002" || list[0].Stage != "signed" || list[3].Code != "XM20260004" || list[3].Stage != "lead" {
			t.Fatalf("new projects %s/%s %s/%s", list[0].Code, list[0].Stage, list[3].Code, list[3].Stage)
		}
		got, err := s.FindProjectByID(ctx, old.ID)
		if err != nil || got.Name != "已有项目改名" || got.Stage != "started" || got.StartedOn != "2026-03-01" ||
			got.SignedOn != "2026-02-01" || got.ContractInvestment != 2*domain.Yi {
			t.Fatalf("updated project %+v %v", got, err)
		}
		// A stale version is a conflict.
		stale := &domain.Project{Code: old.Code, Name: "过期", UnitID: a.ID, Version: 1}
		if _, _, err := s.ImportProjects(ctx, system, []*domain.Project{stale}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale import: %v", err)
		}
		if n, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
			t.Fatalf("audit chain: %d %v %v", n, brk, err)
		}
	})
}
