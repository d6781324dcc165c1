package domain

import "testing"

func TestParseDerivedRule(t *testing.T) {
	good := []string{
		`{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["100000000"]}]}`,
		`{"entity":"project","date_field":"started_on","aggregate":"sum","sum_field":"funds_in_place"}`,
		`{"entity":"project","date_field":"cert_5020_on","aggregate":"count","filters":[{"field":"cert_5020","op":"eq","value":["certified"]}]}`,
		`{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"industry_section","op":"in","value":["B","C","D"]},{"field":"tags","op":"has_tag","value":["世界500强"]},{"field":"foreign_capital","op":"eq","value":["true"]},{"field":"started_on","op":"is_set"}]}`,
		`{"entity":"project","date_field":"signed_on","aggregate":"sum","sum_field":"land_mu","filters":[{"field":"land_mu","op":"gte","value":["12.5"]}]}`,
	}
	for _, g := range good {
		if _, err := ParseDerivedRule(g); err != nil {
			t.Errorf("refused %s: %v", g, err)
		}
	}
	bad := map[string]string{
		"not json":             `{"entity":`,
		"unknown field key":    `{"entity":"project","date_field":"signed_on","aggregate":"count","extra":1}`,
		"unknown entity":       `{"entity":"planet","date_field":"signed_on","aggregate":"count"}`,
		"date field not date":  `{"entity":"project","date_field":"stage","aggregate":"count"}`,
		"bad aggregate":        `{"entity":"project","date_field":"signed_on","aggregate":"avg"}`,
		"sum of a choice":      `{"entity":"project","date_field":"signed_on","aggregate":"sum","sum_field":"stage"}`,
		"count with sum field": `{"entity":"project","date_field":"signed_on","aggregate":"count","sum_field":"funds_in_place"}`,
		"unknown filter field": `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"x","op":"eq","value":["1"]}]}`,
		"op not for kind":      `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"stage","op":"gte","value":["signed"]}]}`,
		"bad choice":           `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"stage","op":"eq","value":["dreaming"]}]}`,
		"amount not integer":   `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"contract_investment","op":"gte","value":["1e8"]}]}`,
		"bad date":             `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"signed_on","op":"gte","value":["2026/1/1"]}]}`,
		"value count":          `{"entity":"project","date_field":"signed_on","aggregate":"count","filters":[{"field":"stage","op":"eq","value":[]}]}`,
		"injection attempt":    `{"entity":"project","date_field":"signed_on; DROP TABLE units","aggregate":"count"}`,
	}
	for name, b := range bad {
		if _, err := ParseDerivedRule(b); ErrorCode(err) != EINVALID {
			t.Errorf("%s accepted: %v", name, err)
		}
	}
	ind := Indicator{Code: "p100m", Name: "亿元以上项目", Measure: "个", Kind: KindDerived, Accumulation: Cumulative, Rule: good[0]}
	if err := ind.Validate(); err != nil {
		t.Fatal(err)
	}
	ind.Rule = bad["bad aggregate"]
	if f := ErrorFields(ind.Validate()); f["rule"] == "" {
		t.Fatalf("bad rule accepted: %v", f)
	}
}
