package domain

import (
	"strings"
	"time"
)

// Plan is a multi-year doubling plan for one indicator: from each unit's baseline in the
// baseline year to Multiple times it in the end year, along a geometric or linear path.
type Plan struct {
	ID           int64
	Name         string
	IndicatorID  int64
	BaselineYear int
	EndYear      int
	Multiple     Dec
	Geometric    bool
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Values are each unit's baseline (at BaselineYear) and goals, by unit then year.
	Values map[int64]map[int]Dec
}

// Years is the number of years from the baseline to the end.
func (p *Plan) Years() int { return p.EndYear - p.BaselineYear }

// Validate checks the plan's own fields.
func (p *Plan) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	probs := Problems{}
	if n := len([]rune(p.Name)); n == 0 || n > 64 {
		probs.Add("name", "请填写规划名称（不超过64个字）。")
	}
	if p.IndicatorID <= 0 {
		probs.Add("indicator_id", "请选择指标。")
	}
	if !ValidYear(p.BaselineYear) {
		probs.Add("baseline_year", "基期年份应在2000至2100之间。")
	}
	if !ValidYear(p.EndYear) || p.EndYear <= p.BaselineYear || p.EndYear-p.BaselineYear > 10 {
		probs.Add("end_year", "目标年份应晚于基期，且相隔不超过10年。")
	}
	if p.Multiple <= DecFromInt(1) || p.Multiple > DecFromInt(100) {
		probs.Add("multiple", "目标倍数应大于1，例如 2 表示翻一番。")
	}
	return probs.Err()
}

// Generate fills every unit's goals from its baseline along the plan's path, replacing
// goals already there; units without a baseline are left as they are. A baseline whose
// goals would not fit the exact decimal range is refused rather than skipped.
func (p *Plan) Generate() error {
	for unit, byYear := range p.Values {
		base, ok := byYear[p.BaselineYear]
		if !ok {
			continue
		}
		path := DoublingPath(base, p.Years(), p.Multiple, p.Geometric)
		if path == nil {
			return Errorf(EINVALID, "单位 %d 的基期数值 %s 无法按该路径生成年度目标（数值过大或参数无效）。", unit, base)
		}
		for k, goal := range path {
			byYear[p.BaselineYear+k+1] = goal
		}
	}
	return nil
}
