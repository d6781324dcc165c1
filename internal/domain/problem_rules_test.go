package domain

import (
	"strings"
	"testing"
)

func TestCheckCategoryRemoval(t *testing.T) {
	rules := DefaultProblemRules() // land 用地, finance 融资, …
	use := map[string]int{"land": 3, "finance": 1}
	edit := func(change func(r *ProblemRules)) ProblemRules {
		r := rules
		r.Categories = append([]ProblemCategory(nil), rules.Categories...)
		change(&r)
		return r
	}
	for _, c := range []struct {
		name string
		next ProblemRules
		want []string // in the message; none = allowed
	}{
		{"unchanged", rules, nil},
		{"label changed", edit(func(r *ProblemRules) { r.Categories[0].Label = "土地要素" }), nil},
		{"unused removed", edit(func(r *ProblemRules) { r.Categories = r.Categories[:2] }), nil},
		{"category added", edit(func(r *ProblemRules) {
			r.Categories = append(r.Categories, ProblemCategory{Code: "energy", Label: "能耗"})
		}), nil},
		{"used removed", edit(func(r *ProblemRules) { r.Categories = r.Categories[1:] }), []string{"「用地」（land）已有3件诉求使用"}},
		{"used recoded", edit(func(r *ProblemRules) { r.Categories[1].Code = "loans" }), []string{"「融资」（finance）已有1件诉求使用", "可以修改名称"}},
		{"both removed", edit(func(r *ProblemRules) { r.Categories = r.Categories[2:] }), []string{"「用地」（land）已有3件", "「融资」（finance）已有1件"}},
	} {
		err := rules.CheckCategoryRemoval(c.next, use)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: refused: %v", c.name, err)
			}
			continue
		}
		msg := ErrorFields(err)["categories"]
		for _, w := range c.want {
			if !strings.Contains(msg, w) || ErrorCode(err) != EINVALID {
				t.Errorf("%s: %q, want %q", c.name, msg, w)
			}
		}
	}
}
