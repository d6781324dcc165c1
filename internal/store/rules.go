package store

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// ruleTables maps a rule entity to its table and the tag table that has_tag reads. Field
// names are column names: domain.RuleEntities is the list of what may be named, so no
// text from a rule reaches SQL except as a bound value.
var ruleTables = map[string]struct{ table, tags, tagKey string }{
	"project": {"projects", "project_tags", "project_id"},
	// A view over the scale spells with the enterprise's unit (migration 0014).
	"above_scale_entry": {"above_scale_entries", "", ""},
}

// periodBounds is the date range a rule counts for a period: from 1 January for a
// cumulative indicator, from the beginning of records for a point-in-time one.
func periodBounds(year, month int, acc domain.Accumulation) (from, to string) {
	end := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	if acc == domain.PointInTime {
		return "0000-01-01", end
	}
	return fmt.Sprintf("%04d-01-01", year), end
}

// ruleWhere builds the rule's conditions over alias r.
func ruleWhere(rule *domain.DerivedRule, from, to string) (string, []any) {
	ent := domain.RuleEntities[rule.Entity]
	tbl := ruleTables[rule.Entity]
	conds := []string{"r." + rule.DateField + " BETWEEN ? AND ?"}
	args := []any{from, to}
	for _, f := range rule.Filters {
		col := "r." + f.Field
		field := ent.Fields[f.Field]
		val := func(v string) any {
			switch field.Kind {
			case domain.FieldAmount:
				var n int64
				fmt.Sscan(v, &n)
				return n
			case domain.FieldQty:
				d, _ := domain.ParseDec(v)
				return int64(d)
			case domain.FieldFlag:
				return v == "true"
			}
			return v
		}
		switch f.Op {
		case "eq":
			conds, args = append(conds, col+" = ?"), append(args, val(f.Value[0]))
		case "ne":
			conds, args = append(conds, col+" <> ?"), append(args, val(f.Value[0]))
		case "gte":
			conds, args = append(conds, col+" >= ?"), append(args, val(f.Value[0]))
		case "lte":
			conds, args = append(conds, col+" <= ?"), append(args, val(f.Value[0]))
		case "is_set":
			conds = append(conds, col+" IS NOT NULL")
		case "in":
			ph := make([]string, len(f.Value))
			for i, v := range f.Value {
				ph[i] = "?"
				args = append(args, val(v))
			}
			conds = append(conds, col+" IN ("+strings.Join(ph, ",")+")")
		case "has_tag":
			conds = append(conds, "EXISTS (SELECT 1 FROM "+tbl.tags+" t WHERE t."+tbl.tagKey+" = r.id AND t.tag = ?)")
			args = append(args, f.Value[0])
		}
	}
	return strings.Join(conds, " AND "), args
}

// derivedValues computes a derived indicator for a period: per unit, and the total over
// all records (the city's figure). Units without records count zero, not "no figure":
// nothing signed is a result.
func (tx *Tx) derivedValues(ctx context.Context, ind *domain.Indicator, year, month int) (perUnit map[int64]domain.Dec, total domain.Dec, err error) {
	rule, err := domain.ParseDerivedRule(ind.Rule)
	if err != nil {
		return nil, 0, fmt.Errorf("indicator %s: %w", ind.Code, err)
	}
	from, to := periodBounds(year, month, ind.Accumulation)
	where, args := ruleWhere(rule, from, to)
	agg := "COUNT(*)"
	if rule.Aggregate == "sum" {
		agg = "COALESCE(SUM(r." + rule.SumField + "), 0)"
	}
	rows, err := tx.query(ctx, `SELECT r.unit_id, `+agg+` FROM `+ruleTables[rule.Entity].table+` r WHERE `+where+` GROUP BY r.unit_id`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("derived %s: %w", ind.Code, err)
	}
	defer rows.Close()
	perUnit = map[int64]domain.Dec{}
	var sum int64 // converted once, so the city's figure is not a sum of rounded parts
	for rows.Next() {
		var unit, raw int64
		if err := rows.Scan(&unit, &raw); err != nil {
			return nil, 0, err
		}
		perUnit[unit] = derivedFigure(rule, ind.Measure, raw)
		sum += raw
	}
	return perUnit, derivedFigure(rule, ind.Measure, sum), rows.Err()
}

// derivedFigure turns an aggregate into the indicator's measure: counts as they are,
// amounts from whole yuan into 万元 or 亿元, quantities from their raw decimal.
func derivedFigure(rule *domain.DerivedRule, measure string, raw int64) domain.Dec {
	if rule.Aggregate == "count" {
		return domain.DecFromInt(raw)
	}
	field := domain.RuleEntities[rule.Entity].Fields[rule.SumField]
	if field.Kind == domain.FieldQty {
		return domain.Dec(raw)
	}
	r := new(big.Rat).SetInt64(raw)
	switch measure {
	case "亿元":
		r.Quo(r, big.NewRat(100_000_000, 1))
	case "万元":
		r.Quo(r, big.NewRat(10_000, 1))
	}
	d, _ := domain.DecFromRat(r)
	return d
}

// addDerived puts every derived indicator's figures for the period into figures, for
// the city and each assessed unit.
func (tx *Tx) addDerived(ctx context.Context, in *domain.ProgressInput, year, month int, figures map[domain.CellKey]domain.Dec) error {
	for _, ind := range in.Indicators {
		if ind.Kind != domain.KindDerived {
			continue
		}
		perUnit, total, err := tx.derivedValues(ctx, ind, year, month)
		if err != nil {
			return err
		}
		for _, u := range in.Units {
			figures[domain.CellKey{UnitID: u.ID, IndicatorID: ind.ID}] = perUnit[u.ID]
		}
		if in.City != nil {
			figures[domain.CellKey{UnitID: in.City.ID, IndicatorID: ind.ID}] = total
		}
	}
	return nil
}

// DerivedFigures is one unit's figure of every active derived indicator for a period,
// for the report page, where they stand read-only beside the typed values.
func (s *Store) DerivedFigures(ctx context.Context, unitID int64, year, month int) (map[int64]domain.Dec, error) {
	out := map[int64]domain.Dec{}
	err := s.inRead(ctx, func(tx *Tx) error {
		inds, err := tx.findIndicators(ctx, true)
		if err != nil {
			return err
		}
		for _, ind := range inds {
			if ind.Kind != domain.KindDerived {
				continue
			}
			perUnit, _, err := tx.derivedValues(ctx, ind, year, month)
			if err != nil {
				return err
			}
			out[ind.ID] = perUnit[unitID]
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("derived figures: %w", err)
	}
	return out, nil
}
