package domain

import (
	"slices"
	"strings"
	"testing"
)

func TestIndustryTable(t *testing.T) {
	if len(IndustrySections) != 20 || len(IndustryDivisions) != 97 {
		t.Fatalf("sections %d divisions %d, want 20 and 97", len(IndustrySections), len(IndustryDivisions))
	}
	for i, d := range IndustryDivisions {
		if want := i + 1; d.Code != string(rune('0'+want/10))+string(rune('0'+want%10)) {
			t.Errorf("division %d has code %s", want, d.Code)
		}
		if SectionName(d.Section) == "" || d.Name == "" {
			t.Errorf("division %s: section %q name %q", d.Code, d.Section, d.Name)
		}
	}
	for _, c := range []struct {
		div, section, name string
		industrial         bool
	}{
		{"01", "A", "农业", false},
		{"05", "A", "农、林、牧、渔专业及辅助性活动", false},
		{"06", "B", "煤炭开采和洗选业", true},
		{"12", "B", "其他采矿业", true},
		{"13", "C", "农副食品加工业", true},
		{"26", "C", "化学原料和化学制品制造业", true},
		{"27", "C", "医药制造业", true},
		{"30", "C", "非金属矿物制品业", true},
		{"37", "C", "铁路、船舶、航空航天和其他运输设备制造业", true},
		{"39", "C", "计算机、通信和其他电子设备制造业", true},
		{"43", "C", "金属制品、机械和设备修理业", true},
		{"44", "D", "电力、热力生产和供应业", true},
		{"46", "D", "水的生产和供应业", true},
		{"47", "E", "房屋建筑业", false},
		{"65", "I", "软件和信息技术服务业", false},
		{"97", "T", "国际组织", false},
		{"00", "", "", false},
		{"98", "", "", false},
		{"3", "", "", false},
		{"", "", "", false},
	} {
		if got := SectionOf(c.div); got != c.section {
			t.Errorf("SectionOf(%q) = %q, want %q", c.div, got, c.section)
		}
		if got := DivisionName(c.div); got != c.name {
			t.Errorf("DivisionName(%q) = %q, want %q", c.div, got, c.name)
		}
		if got := IsIndustrial(c.div); got != c.industrial {
			t.Errorf("IsIndustrial(%q) = %v, want %v", c.div, got, c.industrial)
		}
	}
	if got := DivisionLabel("30"); got != "30 非金属矿物制品业" {
		t.Errorf("label %q", got)
	}
}

func TestProjectIndustryDerivesSection(t *testing.T) {
	for _, c := range []struct {
		section, division, wantSection string
		ok                             bool
	}{
		{"A", "30", "C", true},
		{"", "44", "D", true},
		{"C", "", "C", true},
		{"", "", "", true},
		{"", "99", "", false},
		{"Z", "", "", false},
	} {
		p := &Project{Code: "XM1", Name: "测试", UnitID: 1, Stage: "lead", IndustrySection: c.section, IndustryDivision: c.division}
		err := p.Validate()
		if (err == nil) != c.ok {
			t.Errorf("%q/%q: err %v", c.section, c.division, err)
		}
		if c.ok && p.IndustrySection != c.wantSection {
			t.Errorf("%q/%q: section %q, want %q", c.section, c.division, p.IndustrySection, c.wantSection)
		}
	}
}

func TestCandidate5020(t *testing.T) {
	th := DefaultThresholds5020 // 50亿元, 3亿美元 at 7.1
	if th.ForeignYuan() != 2_130_000_000 {
		t.Fatalf("foreign yuan %d", th.ForeignYuan())
	}
	for _, c := range []struct {
		name string
		p    Project
		want bool
	}{
		{"domestic at threshold", Project{Stage: "signed", ContractInvestment: 5_000_000_000}, true},
		{"domestic below", Project{Stage: "signed", ContractInvestment: 4_999_999_999}, false},
		{"domestic terminated", Project{Stage: "terminated", ContractInvestment: 9_000_000_000}, false},
		{"foreign USD at threshold", Project{Stage: "signed", ForeignCapital: true,
			ProjectDetails: ProjectDetails{CapitalSource: "foreign", Currency: "USD", ContractInvestmentOrig: 300_000_000}}, true},
		{"foreign USD below", Project{Stage: "signed", ForeignCapital: true, ContractInvestment: 9_000_000_000,
			ProjectDetails: ProjectDetails{CapitalSource: "foreign", Currency: "USD", ContractInvestmentOrig: 299_999_999}}, false},
		{"hmt CNY converted", Project{Stage: "signed", ForeignCapital: true, ContractInvestment: 2_130_000_000,
			ProjectDetails: ProjectDetails{CapitalSource: "hmt", Currency: "CNY"}}, true},
		{"foreign EUR converted below", Project{Stage: "signed", ForeignCapital: true, ContractInvestment: 2_129_999_999,
			ProjectDetails: ProjectDetails{CapitalSource: "foreign", Currency: "EUR"}}, false},
	} {
		got, reason := Candidate5020(&c.p, th)
		if got != c.want || reason == "" {
			t.Errorf("%s: got %v (%s), want %v", c.name, got, reason, c.want)
		}
	}
	if err := (Thresholds5020{}).Validate(); err == nil {
		t.Error("zero thresholds accepted")
	}
	if err := DefaultThresholds5020.Validate(); err != nil {
		t.Error(err)
	}
}

func TestRules5020(t *testing.T) {
	r := DefaultRules5020
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	big := Project{Stage: "signed", ContractInvestment: 3_000_000_000} // 30亿元
	ok, why := Candidate5020(&big, r.Thresholds())
	if ok || !strings.Contains(why, "大中城市门槛，未经确认") {
		t.Errorf("large city: %v %s", ok, why)
	}
	r.CityClass = "small"
	ok, why = Candidate5020(&big, r.Thresholds())
	if !ok || !strings.Contains(why, "门槛20.00亿元") || !strings.Contains(why, "小城市门槛，未经确认") {
		t.Errorf("small city: %v %s", ok, why)
	}
	r.Classes = slices.Clone(r.Classes)
	r.Classes[1].Confirmed = true
	if _, why = Candidate5020(&big, r.Thresholds()); !strings.Contains(why, "已确认") {
		t.Error(why)
	}
	for name, bad := range map[string]Rules5020{
		"unknown class": {CityClass: "tiny", Classes: DefaultRules5020.Classes, USDRate: Dec(71000)},
		"zero rate":     {CityClass: "large", Classes: DefaultRules5020.Classes},
		"zero domestic": {CityClass: "large", USDRate: Dec(71000), Classes: []CityClass5020{{Key: "large", Name: "大", ForeignUSD: 1}}},
	} {
		if r := bad; r.Validate() == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
