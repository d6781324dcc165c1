package store

import (
	"context"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

// The rules are edited as a whole against the version they were read at; a category that
// problems use keeps its code (its label may change), one nobody uses may go.
func TestSaveProblemRules(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		c := newLoopCity(t, s)
		p := &domain.Problem{Source: domain.SourceCoordinator, EnterpriseID: c.enterprise.ID, Category: "land", Urgency: domain.UrgencyGeneral, Title: "扩建用地", Description: "需新增用地20亩"}
		if err := s.RaiseProblem(ctx, as(c.coordinator), p); err != nil {
			t.Fatal(err)
		}
		if use, err := s.ProblemCategoryUse(ctx); err != nil || use["land"] != 1 || use["finance"] != 0 {
			t.Fatalf("use %v %v", use, err)
		}
		rules, version, err := s.ProblemRulesVersion(ctx)
		if err != nil || version == "" || len(rules.Categories) != len(domain.DefaultProblemRules().Categories) {
			t.Fatalf("defaults: %v %q", err, version)
		}

		// Removing the used category (or changing its code) is refused, nothing saved.
		for _, change := range []func(r *domain.ProblemRules){
			func(r *domain.ProblemRules) { r.Categories = r.Categories[1:] },
			func(r *domain.ProblemRules) { r.Categories[0].Code = "land_use" },
		} {
			edited := rules
			edited.Categories = append([]domain.ProblemCategory(nil), rules.Categories...)
			change(&edited)
			_, err := s.SaveProblemRules(ctx, system, edited, version)
			if msg := domain.ErrorFields(err)["categories"]; !strings.Contains(msg, "「用地」（land）已有1件诉求使用") {
				t.Fatalf("removing a used category: %v", err)
			}
		}
		if _, again, _ := s.ProblemRulesVersion(ctx); again != version {
			t.Fatal("a refused save changed the rules")
		}

		// Renaming it, dropping an unused one and a category deadline are fine.
		edited := rules
		edited.Categories = append([]domain.ProblemCategory{{Code: "land", Label: "土地要素", Limits: map[string]domain.ProblemLimit{
			domain.UrgencyGeneral: {WorkingDays: 15}}}}, rules.Categories[2:]...)
		returned, err := s.SaveProblemRules(ctx, system, edited, version)
		if err != nil {
			t.Fatal(err)
		}
		got, newVersion, err := s.ProblemRulesVersion(ctx)
		if err != nil || newVersion == version || returned != newVersion || got.CategoryLabel("land") != "土地要素" || got.Category("finance") != nil ||
			got.Category("land").Limits[domain.UrgencyGeneral].WorkingDays != 15 {
			t.Fatalf("saved %+v %v", got.Categories, err)
		}
		events, _, err := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "setting.set", Limit: 10})
		if err != nil || len(events) == 0 || !strings.Contains(events[0].After, "土地要素") {
			t.Fatalf("not audited: %v", err)
		}

		// A save based on the replaced rules is a conflict.
		if _, err := s.SaveProblemRules(ctx, system, rules, version); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Fatalf("stale save: %v", err)
		}
		// An unknown supervision office is refused beside its field.
		edited.Escalation.SupervisionUnitID = 999999
		if _, err := s.SaveProblemRules(ctx, system, edited, newVersion); !strings.Contains(domain.ErrorFields(err)["escalation"], "督查部门") {
			t.Fatalf("unknown office: %v", err)
		}
	})
}

// A setting's audit event carries the value it replaced, and none the first time.
func TestSettingAuditCarriesBefore(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		for _, v := range []string{"甲", "乙"} {
			if err := s.SetSetting(ctx, system, "test_setting", v); err != nil {
				t.Fatal(err)
			}
		}
		events, _, err := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "setting.set", Limit: 10})
		if err != nil || len(events) != 2 {
			t.Fatalf("%d events, %v", len(events), err)
		}
		// Newest first.
		if !strings.Contains(events[0].Before, "甲") || !strings.Contains(events[0].After, "乙") || events[1].Before != "" {
			t.Errorf("before %q after %q; first before %q", events[0].Before, events[0].After, events[1].Before)
		}
	})
}
