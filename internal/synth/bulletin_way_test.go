package synth_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/report"
	"beizeng/internal/store"
)

func init() {
	ways = append(ways, way{"bulletin", progressInBulletin})
}

// progressInBulletin builds the whole dispatch bulletin — every section, the project
// movements, warnings, reports and action items too — and reads the reported
// indicators' figures back from its per-indicator tables as printed.
func progressInBulletin(ctx context.Context, st *store.Store, year, month int) (map[cell]shownFigures, error) {
	d, err := st.BulletinData(ctx, year, month, time.FixedZone("CST", 8*3600))
	if err != nil {
		return nil, err
	}
	b := report.Assemble(d, "all")
	unitIDs := map[string]int64{}
	for _, u := range d.Progress.Units {
		unitIDs[u.Code] = u.ID
	}
	if c := d.Progress.City; c != nil {
		unitIDs[c.Code] = c.ID
	}
	indicators := map[string]*domain.Indicator{}
	for _, ind := range d.Progress.Indicators {
		indicators[ind.Code] = ind
	}
	out := map[cell]shownFigures{}
	for _, s := range b.Sections {
		if s.Key != report.SectionIndicators {
			continue
		}
		for _, t := range s.Tables {
			ind := indicators[strings.TrimPrefix(t.Key, "indicator:")]
			if ind == nil || ind.Kind != domain.KindReported {
				continue
			}
			col := map[string]int{}
			for i, c := range t.Columns {
				col[c.Key] = i
			}
			for _, r := range t.Rows {
				at := func(key string) report.Cell { return r.Cells[col[key]] }
				if at("actual").Text == domain.NoValue {
					continue
				}
				id, ok := unitIDs[r.Key]
				if !ok {
					return nil, fmt.Errorf("row %s of %s names no unit", r.Key, t.Key)
				}
				f := shownFigures{Actual: at("actual").Text, Base: at("base").Text, Completion: at("completion_base").Text,
					Gap: at("gap").Text, Colour: at("colour").Colour}
				if f.Colour == "" {
					f.Colour = domain.ColourNone
				}
				// "第3" or "并列第3"; the city's row and unranked units show "—" (rank 0).
				if i := strings.LastIndex(at("rank").Text, "第"); i >= 0 {
					f.Rank, _ = strconv.Atoi(at("rank").Text[i+len("第"):])
				}
				out[cell{id, ind.ID}] = f
			}
		}
	}
	return out, nil
}
