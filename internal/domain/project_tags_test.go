package domain

import (
	"strings"
	"testing"
)

func TestProjectTagValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		tag   ProjectTag
		field string
	}{
		{"ok, trimmed", ProjectTag{Name: " 独角兽 "}, ""},
		{"empty", ProjectTag{Name: "  "}, "name"},
		{"too long", ProjectTag{Name: strings.Repeat("长", 21)}, "name"},
		{"separator", ProjectTag{Name: "上市、龙头"}, "name"},
		{"space inside", ProjectTag{Name: "上市 公司"}, "name"},
		{"negative order", ProjectTag{Name: "上市公司", SortOrder: -1}, "sort_order"},
	} {
		err := c.tag.Validate()
		if got := ErrorFields(err)[c.field]; (c.field == "") != (err == nil) || (c.field != "" && got == "") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	tag := ProjectTag{Name: " 独角兽 "}
	if tag.Validate(); tag.Name != "独角兽" {
		t.Errorf("not trimmed: %q", tag.Name)
	}
}

func TestCheckProjectTags(t *testing.T) {
	list := []ProjectTag{{Name: "上市公司"}, {Name: "央企国企", Retired: true}}
	for _, c := range []struct {
		name       string
		tags, kept []string
		ok         bool
	}{
		{"active", []string{"上市公司"}, nil, true},
		{"none", nil, nil, true},
		{"unknown", []string{"独角兽"}, nil, false},
		{"retired, new on the project", []string{"央企国企"}, nil, false},
		{"retired, kept from before", []string{"上市公司", "央企国企"}, []string{"央企国企"}, true},
	} {
		err := CheckProjectTags(c.tags, list, c.kept)
		if (err == nil) != c.ok || (err != nil && ErrorFields(err)["tags"] == "") {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if got := strings.Join(SplitTags("上市公司、行业龙头,上市公司； 央企国企"), "|"); got != "上市公司|行业龙头|央企国企" {
		t.Errorf("split %q", got)
	}
	if got := strings.Join(TagNames(list, false), "|"); got != "上市公司" {
		t.Errorf("active names %q", got)
	}
}
