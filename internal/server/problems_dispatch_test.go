package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"beizeng/internal/store"
)

// A problem received this year shows in the dispatch bulletin's 企业诉求 section, under
// its lead department, and on the cockpit's card: the loop's figures reach dispatch.
func TestProblemsReachBulletinAndCockpit(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		f.problemOf(f.units["countyA"].ID)
		now := st.Now().In(time.FixedZone("CST", 8*3600))
		period := fmt.Sprintf("year=%d&month=%d", now.Year(), int(now.Month()))
		coord := f.login("coordinator")
		_, body := f.get(coord, "/bulletin?"+period)
		if !strings.Contains(body, "企业诉求办理情况") || !strings.Contains(body, "共受理企业诉求1件") || !strings.Contains(body, f.units["dept"].Name) {
			t.Errorf("bulletin lacks the problem section:\n%s", body)
		}
		_, body = f.get(coord, "/?"+period)
		if !strings.Contains(body, "企业诉求（1–") || !strings.Contains(body, `href="/problems/stats"`) {
			t.Errorf("cockpit lacks the problems card:\n%s", body)
		}
	})
}
