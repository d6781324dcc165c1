package domain

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// A derived indicator counts or sums records by a rule stored as data, so that a city's
// definition of "亿元以上项目 signed this year" changes without a release.

// DerivedRule says which records an indicator counts or sums for a period.
type DerivedRule struct {
	Entity    string       `json:"entity"`              // a key of RuleEntities
	DateField string       `json:"date_field"`          // the date that places a record in a period
	Aggregate string       `json:"aggregate"`           // count or sum
	SumField  string       `json:"sum_field,omitempty"` // with sum: an amount field
	Filters   []RuleFilter `json:"filters,omitempty"`   // all must hold
}

// RuleFilter is one condition on a record's field.
type RuleFilter struct {
	Field string   `json:"field"`
	Op    string   `json:"op"` // eq, ne, in, gte, lte, has_tag, is_set
	Value []string `json:"value,omitempty"`
}

// FieldKind says what a rule may do with a field.
type FieldKind string

const (
	FieldDate   FieldKind = "date"   // 'YYYY-MM-DD'; a date field, or compared with gte/lte/is_set
	FieldAmount FieldKind = "amount" // whole yuan; compared, or summed
	FieldQty    FieldKind = "qty"    // an exact decimal quantity (亩); compared, or summed
	FieldChoice FieldKind = "choice" // one of Choices
	FieldText   FieldKind = "text"   // a code such as an industry division
	FieldFlag   FieldKind = "flag"   // true or false
	FieldTags   FieldKind = "tags"   // a set of tags
)

// RuleField describes one field a rule may use.
type RuleField struct {
	Label   string
	Kind    FieldKind
	Choices []string
}

// RuleEntity is a record type rules can read.
type RuleEntity struct {
	Label  string
	Fields map[string]RuleField
}

// ProjectStages are the project lifecycle in order.
var ProjectStages = []string{"lead", "negotiating", "signed", "registered", "land_supplied", "started", "completed", "in_production", "terminated"}

// RuleEntities lists the record types derived indicators can count. Problems and land
// entries join as their modules arrive.
var RuleEntities = map[string]RuleEntity{
	"project": {Label: "招商项目", Fields: map[string]RuleField{
		"signed_on":           {Label: "签约日期", Kind: FieldDate},
		"registered_on":       {Label: "注册日期", Kind: FieldDate},
		"land_supplied_on":    {Label: "供地日期", Kind: FieldDate},
		"started_on":          {Label: "开工日期", Kind: FieldDate},
		"completed_on":        {Label: "竣工日期", Kind: FieldDate},
		"in_production_on":    {Label: "投产日期", Kind: FieldDate},
		"terminated_on":       {Label: "终止日期", Kind: FieldDate},
		"cert_5020_on":        {Label: "5020认定日期", Kind: FieldDate},
		"contract_investment": {Label: "合同投资额（元）", Kind: FieldAmount},
		"fixed_investment":    {Label: "计划固定资产投资（元）", Kind: FieldAmount},
		"funds_in_place":      {Label: "到位资金（元）", Kind: FieldAmount},
		"land_mu":             {Label: "用地（亩）", Kind: FieldQty},
		"stage":               {Label: "阶段", Kind: FieldChoice, Choices: ProjectStages},
		"cert_5020":           {Label: "5020认定状态", Kind: FieldChoice, Choices: []string{"none", "applied", "certified", "rejected"}},
		"industry_section":    {Label: "行业门类", Kind: FieldText},
		"industry_division":   {Label: "行业大类", Kind: FieldText},
		"foreign_capital":     {Label: "外资", Kind: FieldFlag},
		"tags":                {Label: "标签", Kind: FieldTags},
	}},
	// An entry to the above-scale directory, placed in a period by the first day of the
	// month it counts from (an annual batch counts from January of the next year), so
	// 新增规上工业企业 is the gross count of entries by entry month.
	"above_scale_entry": {Label: "规上企业入库", Fields: map[string]RuleField{
		"entry_on":          {Label: "入库月份（首日）", Kind: FieldDate},
		"exit_on":           {Label: "退库月份（首日）", Kind: FieldDate},
		"entry_type":        {Label: "入库类型", Kind: FieldChoice, Choices: []string{EntryMonthly, EntryAnnual}},
		"industry_section":  {Label: "行业门类", Kind: FieldText},
		"industry_division": {Label: "行业大类", Kind: FieldText},
	}},
}

var (
	datePattern   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	amountPattern = regexp.MustCompile(`^\d{1,18}$`)
)

func ruleInvalid(format string, args ...any) error {
	return Errorf(EINVALID, "统计规则有误："+format, args...)
}

// ParseDerivedRule reads a rule's JSON and checks it against RuleEntities.
func ParseDerivedRule(text string) (*DerivedRule, error) {
	var r DerivedRule
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, ruleInvalid("不是有效的规则 JSON（%v）。", err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// Validate checks every name and value against the entity's fields.
func (r *DerivedRule) Validate() error {
	ent, ok := RuleEntities[r.Entity]
	if !ok {
		return ruleInvalid("未知的记录类型 %q。", r.Entity)
	}
	if f, ok := ent.Fields[r.DateField]; !ok || f.Kind != FieldDate {
		return ruleInvalid("date_field 应为%s的日期字段，收到 %q。", ent.Label, r.DateField)
	}
	switch r.Aggregate {
	case "count":
		if r.SumField != "" {
			return ruleInvalid("计数规则不需要 sum_field。")
		}
	case "sum":
		if f, ok := ent.Fields[r.SumField]; !ok || (f.Kind != FieldAmount && f.Kind != FieldQty) {
			return ruleInvalid("求和规则的 sum_field 应为金额或数量字段，收到 %q。", r.SumField)
		}
	default:
		return ruleInvalid("aggregate 应为 count 或 sum。")
	}
	for i, f := range r.Filters {
		if err := f.validate(ent); err != nil {
			return ruleInvalid("第%d个条件：%s", i+1, err)
		}
	}
	return nil
}

func (f RuleFilter) validate(ent RuleEntity) error {
	field, ok := ent.Fields[f.Field]
	if !ok {
		return fmt.Errorf("未知字段 %q", f.Field)
	}
	ops := map[FieldKind][]string{
		FieldDate: {"gte", "lte", "is_set"}, FieldAmount: {"gte", "lte", "eq"}, FieldQty: {"gte", "lte"},
		FieldChoice: {"eq", "ne", "in"}, FieldText: {"eq", "ne", "in"}, FieldFlag: {"eq"}, FieldTags: {"has_tag"},
	}[field.Kind]
	if !slices.Contains(ops, f.Op) {
		return fmt.Errorf("字段 %s 只能用 %s", field.Label, strings.Join(ops, "、"))
	}
	want := 1
	switch f.Op {
	case "in":
		want = -1
	case "is_set":
		want = 0
	}
	if (want >= 0 && len(f.Value) != want) || (want < 0 && len(f.Value) == 0) {
		return fmt.Errorf("%s 的取值个数不对", field.Label)
	}
	for _, v := range f.Value {
		ok := true
		switch field.Kind {
		case FieldDate:
			ok = datePattern.MatchString(v)
		case FieldAmount:
			ok = amountPattern.MatchString(v)
		case FieldQty:
			_, err := ParseDec(v)
			ok = err == nil
		case FieldChoice:
			ok = slices.Contains(field.Choices, v)
		case FieldFlag:
			ok = v == "true" || v == "false"
		case FieldText, FieldTags:
			ok = v != "" && len([]rune(v)) <= 32
		}
		if !ok {
			return fmt.Errorf("%s 的取值 %q 无效", field.Label, v)
		}
	}
	return nil
}
