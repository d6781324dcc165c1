package store

import (
	"slices"
	"strings"
	"time"

	"beizeng/internal/domain"
)

// sqlCond is an SQL condition on projects p with its arguments, in order.
type sqlCond struct {
	sql  string
	args []any
}

// joinConds joins the conditions with op (AND, OR) in parentheses; none is empty.
func joinConds(op string, conds ...sqlCond) sqlCond {
	var parts []string
	var args []any
	for _, c := range conds {
		parts = append(parts, c.sql)
		args = append(args, c.args...)
	}
	return sqlCond{"(" + strings.Join(parts, " "+op+" ") + ")", args}
}

// anyOf is true when any of the conditions is; false for none.
func anyOf(conds ...sqlCond) sqlCond {
	if len(conds) == 0 {
		return sqlCond{sql: "1 = 0"}
	}
	return joinConds("OR", conds...)
}

// bytewise orders a text column byte by byte, as Go's strings.Compare does: SQLite's
// default collation already does; PostgreSQL's follows the database's locale.
func (tx *Tx) bytewise(column string) string {
	if tx.dialect == Postgres {
		return column + ` COLLATE "C"`
	}
	return column
}

// warningSQL is the worst level of domain.ProjectWarnings restated in SQL over projects p,
// so that a province's warned projects are counted by the database rather than each read
// and judged: live is true of the projects the rules judge, red of those with a red
// warning, warned of those with any. Every condition is true or false, never NULL, so NOT red is the yellow ones.
// TestProjectWarningsSQLIsExact holds it to the domain's rules, on dates either side of
// every threshold.
type warningSQL struct{ live, red, warned sqlCond }

// stagesSQL quotes the project stages from first up to (not including) end, in the
// domain's order, as an SQL list.
func stagesSQL(first, end string) string {
	from, to := slices.Index(domain.ProjectStages, first), slices.Index(domain.ProjectStages, end)
	return "('" + strings.Join(domain.ProjectStages[from:to], "', '") + "')"
}

func warningLevelSQL(today time.Time, rules domain.WarningRules) warningSQL {
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	// A date is past a rule's threshold when it is set and more than (or, with orOn, at
	// least) days before today. Dates are 'YYYY-MM-DD' text, checked on every write, so
	// comparing them as text compares the days: daysSince > n holds exactly when the date
	// is before today − n days.
	past := func(date string, days int, orOn bool) sqlCond {
		op := "<"
		if orOn {
			op = "<="
		}
		return sqlCond{"(" + date + " <> '' AND " + date + " " + op + " ?)", []any{day.AddDate(0, 0, -days).Format(time.DateOnly)}}
	}
	column := func(name string) string { return "COALESCE(p." + name + ", '')" }
	signed, landSupplied := column("signed_on"), column("land_supplied_on")

	// The store judges projects by their stage: from signed until in production, not
	// terminated — every such project is signed in the domain's sense.
	live := sqlCond{sql: "(p.stage IN " + stagesSQL("signed", "in_production") + " AND " +
		column("terminated_on") + " = '' AND " + column("in_production_on") + " = '')"}
	started := "(" + column("started_on") + " <> '' OR p.stage IN " + stagesSQL("started", "in_production") + ")"
	notStarted := sqlCond{sql: "NOT " + started}

	var red, yellow []sqlCond
	if rules.NotStartedRedDays > 0 {
		red = append(red, past(signed, rules.NotStartedRedDays, false))
	}
	if rules.IdleLandDays > 0 {
		red = append(red, past(landSupplied, rules.IdleLandDays, true))
	}
	var yellowNotStarted []sqlCond
	if rules.NotStartedYellowDays > 0 {
		yellowNotStarted = append(yellowNotStarted, past(signed, rules.NotStartedYellowDays, false))
	}
	if rules.PlannedStart {
		yellowNotStarted = append(yellowNotStarted, past(column("planned_start_on"), 0, false))
	}
	if len(yellowNotStarted) > 0 {
		yellow = append(yellow, joinConds("AND", notStarted, anyOf(yellowNotStarted...)))
	}
	if rules.NoNoteDays > 0 {
		// Since the last note, or since signing when there is none.
		yellow = append(yellow, past("COALESCE(NULLIF(p.last_note_on, ''), p.signed_on, '')", rules.NoNoteDays, false))
	}
	if rules.PlannedProduction {
		yellow = append(yellow, past(column("planned_production_on"), 0, false))
	}
	if months := int(today.Month()) - 1; rules.FundsBehind && months > 0 {
		// funds ÷ contract < months ÷ 12, without division: amounts are at most
		// domain.MaxAmount, so the products fit in 64 bits on both databases.
		yellow = append(yellow, sqlCond{"(" + started + " AND p.contract_investment > 0 AND p.funds_in_place * 12 < p.contract_investment * ?)",
			[]any{int64(months)}})
	}
	w := warningSQL{live: live, red: sqlCond{sql: "1 = 0"}}
	if len(red) > 0 {
		w.red = joinConds("AND", notStarted, anyOf(red...))
	}
	w.warned = anyOf(append([]sqlCond{w.red}, yellow...)...)
	return w
}

// of selects the live projects cond holds of, of one unit when unitID > 0.
func (w warningSQL) of(cond sqlCond, unitID int64) sqlCond {
	where := joinConds("AND", w.live, cond)
	if unitID > 0 {
		where = joinConds("AND", where, sqlCond{"p.unit_id = ?", []any{unitID}})
	}
	return where
}
