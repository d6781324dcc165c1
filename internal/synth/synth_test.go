package synth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/store/storetest"
	"beizeng/internal/synth"
)

var small = synth.Options{Scale: synth.Scale{Counties: 4, Parks: 2, Indicators: 8, Months: 14, Projects: 400, Enterprises: 300, Problems: 600},
	Seed: synth.Seed, ThroughYear: 2026, ThroughMonth: 9}

func open(t testing.TB, dsn string) (*store.Store, *auth.Service) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st, auth.NewService(st, auth.Settings{Password: domain.DefaultPasswordPolicy, SessionIdle: time.Hour, SessionLifetime: time.Hour,
		LockoutFailures: 5, LockoutDuration: time.Minute, ThrottleFailures: 20, ThrottleWindow: time.Minute})
}

// generated are the tables the dataset fills; their rows must be the same from run to run.
var generated = []string{"units", "indicators", "targets", "letters", "reports", "report_values", "projects", "project_tags",
	"project_stage_history", "project_ledger", "project_notes", "enterprises", "enterprise_scale_spells", "enterprise_figures",
	"enterprise_honours", "calendar_days", "leader_links", "service_visits", "problems", "problem_assists", "problem_actions"}

// when a row was written differs from run to run; nothing else may.
var clockColumns = []string{"created_at", "updated_at", "at", "submitted_at", "reviewed_at", "issued_at"}

// fingerprint counts each table's rows and hashes them, clock columns left out.
func fingerprint(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range generated {
		rows, err := st.DB().Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		h, n := sha256.New(), 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, c := range cols {
				if !slices.Contains(clockColumns, c) {
					fmt.Fprintf(h, "%s=%v;", c, vals[i])
				}
			}
			h.Write([]byte("\n"))
			n++
		}
		rows.Close()
		out[table] = fmt.Sprintf("%d rows %s", n, hex.EncodeToString(h.Sum(nil))[:16])
	}
	return out
}

// TestGenerateIsDeterministic: two runs with the same options make the same records.
func TestGenerateIsDeterministic(t *testing.T) {
	storetest.ForEachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st1, svc1 := open(t, dsn)
		var progress strings.Builder
		opt := small
		opt.Progress = &progress
		res, err := synth.Generate(ctx, st1, svc1, domain.Actor{Via: "test"}, opt)
		if err != nil {
			t.Fatal(err)
		}
		first := fingerprint(t, st1)
		if len(res.Steps) != len(synth.Steps) || !strings.Contains(progress.String(), "项目 400/400") {
			t.Errorf("steps %+v, progress %q", res.Steps, progress.String())
		}
		// 6 units × 14 months of reports; every project audited.
		if !strings.HasPrefix(first["reports"], "84 rows") || !strings.HasPrefix(first["projects"], "400 rows") ||
			!strings.HasPrefix(first["enterprises"], "300 rows") || strings.HasPrefix(first["enterprise_scale_spells"], "0 rows") ||
			!strings.HasPrefix(first["problems"], "600 rows") || strings.HasPrefix(first["problem_actions"], "0 rows") ||
			strings.HasPrefix(first["service_visits"], "0 rows") || strings.HasPrefix(first["leader_links"], "0 rows") {
			t.Errorf("counts %v", first)
		}
		if d, _ := st1.Setting(ctx, store.SettingSynthetic); d != small.Describe() {
			t.Errorf("dataset described as %q", d)
		}
		if demo, _ := st1.Setting(ctx, store.SettingDemo); demo != "1" {
			t.Error("the synthetic dataset is not marked fictional")
		}
		if _, brk, err := st1.VerifyAudit(ctx); brk != nil || err != nil {
			t.Fatalf("audit chain: %v %v", brk, err)
		}

		// A second, fresh database of the same kind.
		dsn2 := storetest.SQLiteDSN(t)
		if strings.HasPrefix(dsn, "postgres") {
			dsn2 = storetest.PostgresDSN(t)
		}
		st2, svc2 := open(t, dsn2)
		if _, err := synth.Generate(ctx, st2, svc2, domain.Actor{Via: "test"}, small); err != nil {
			t.Fatal(err)
		}
		if second := fingerprint(t, st2); fmt.Sprint(second) != fmt.Sprint(first) {
			t.Errorf("runs differ:\n%v\n%v", first, second)
		}

		// The database is no longer empty: a second run into it is refused, changing nothing.
		if _, err := synth.Generate(ctx, st1, svc1, domain.Actor{Via: "test"}, small); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("generate into a full database: %v", err)
		}
		if again := fingerprint(t, st1); fmt.Sprint(again) != fmt.Sprint(first) {
			t.Error("a refused run changed the database")
		}

		// The cockpit of the generated data has every part.
		in, err := st1.CockpitInput(ctx, 2026, 9, 0, time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		c := domain.BuildCockpit(in)
		if len(c.Headline) != 4 || len(c.Ranking) != 6 || c.Headline[2].CompletionPct == domain.NoValue || c.Funnel[7].Count == 0 {
			t.Errorf("cockpit %+v", c)
		}
	})
}

func TestOptionsValidate(t *testing.T) {
	for name, change := range map[string]func(o *synth.Options){
		"one county":               func(o *synth.Options) { o.Scale.Counties = 1 },
		"more parks":               func(o *synth.Options) { o.Scale.Parks = 5 },
		"3 indicators":             func(o *synth.Options) { o.Scale.Indicators = 3 },
		"31 indicators":            func(o *synth.Options) { o.Scale.Indicators = 31 },
		"no months":                func(o *synth.Options) { o.Scale.Months = 0 },
		"month 13":                 func(o *synth.Options) { o.ThroughMonth = 13 },
		"before 2000":              func(o *synth.Options) { o.ThroughYear, o.Scale.Months = 2001, 40 },
		"-1 projects":              func(o *synth.Options) { o.Scale.Projects = -1 },
		"-1 problems":              func(o *synth.Options) { o.Scale.Problems = -1 },
		"problems, no enterprises": func(o *synth.Options) { o.Scale.Enterprises = 0 },
	} {
		o := small
		change(&o)
		if err := o.Validate(); domain.ErrorCode(err) != domain.EINVALID || !strings.HasSuffix(domain.ErrorMessage(err), "。") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := small.Validate(); err != nil {
		t.Error(err)
	}
}

// TestCatalogueIsValid: every indicator of the full catalogue passes the catalogue's rules.
func TestCatalogueIsValid(t *testing.T) {
	for _, ind := range synth.Catalogue() {
		if err := ind.Validate(); err != nil {
			t.Errorf("%s: %v", ind.Code, domain.ErrorFields(err))
		}
	}
}

// TestDescribeNamesProblems: a dataset with problems is described otherwise than the same
// dataset without, so that a benchmark's cached file from before problems is regenerated;
// one without keeps its earlier description.
func TestDescribeNamesProblems(t *testing.T) {
	without := small
	without.Scale.Problems = 0
	if d := without.Describe(); strings.Contains(d, "problems") || !strings.HasSuffix(d, " enterprises=300") {
		t.Errorf("without problems: %q", d)
	}
	if d := small.Describe(); d != without.Describe()+" problems=600" {
		t.Errorf("with problems: %q", d)
	}
}
