package api

import (
	"net/http"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// projectListExtras applies the list filters that need settings or Go evaluation:
// candidate_5020=1 (the stored thresholds, then SQL) and warning=any|red|code (the rules
// evaluated on the warnings page's narrowed set, then an id list in SQL).
func (h *Handler) projectListExtras(r *http.Request, candidate, warning string, f *domain.ProjectFilter) error {
	switch candidate {
	case "", "0":
	case "1":
		t, err := h.store.Thresholds5020(r.Context())
		if err != nil {
			return err
		}
		f.Candidate5020 = &t
	default:
		return badRequest("查询参数 candidate_5020 应为 0 或 1，收到 %q。", candidate)
	}
	if warning == "" {
		return nil
	}
	if _, known := domain.WarningLabels[warning]; !known && warning != store.WarningFilterAny && warning != store.WarningFilterRed {
		return badRequest("查询参数 warning 应为 any、red 或预警代码，收到 %q。", warning)
	}
	rules, err := h.store.WarningRules(r.Context())
	if err != nil {
		return err
	}
	ids, err := h.store.WarningProjectIDs(r.Context(), f.UnitID, h.store.Now().In(chinaTime), rules, warning)
	if err != nil {
		return err
	}
	f.RestrictIDs, f.IDs = true, ids
	return nil
}
