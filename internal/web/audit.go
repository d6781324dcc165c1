package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// auditFilterOf reads the auditor's filter; a malformed date is reported, not ignored,
// because an auditor must never believe a filter applied when it did not.
func auditFilterOf(r *http.Request) (domain.AuditFilter, map[string]string) {
	q := r.URL.Query()
	f := domain.AuditFilter{Actor: strings.TrimSpace(q.Get("actor")), Entity: q.Get("entity"), Action: q.Get("action")}
	problems := map[string]string{}
	for _, d := range []struct {
		key string
		dst *time.Time
		end bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		v := strings.TrimSpace(q.Get(d.key))
		if v == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", v, chinaTime)
		if err != nil {
			problems[d.key] = "日期格式应为 2026-01-31。"
			continue
		}
		if d.end {
			t = t.AddDate(0, 0, 1) // the "to" day is included
		}
		*d.dst = t
	}
	return f, problems
}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 50)
	pg.CountCap = store.AuditCountCap
	f, problems := auditFilterOf(r)
	var events []*domain.AuditEvent
	if len(problems) == 0 {
		var err error
		f.Offset, f.Limit = pg.Offset(), pg.Size
		if events, pg.Total, err = h.Store.FindAuditEvents(r.Context(), f); err != nil {
			h.Error(w, r, err)
			return
		}
	}
	entities, actions, err := h.Store.AuditEntities(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	q := r.URL.Query()
	h.render(w, r, 0, "audit", view{Title: "审计日志", Nav: "audit", Data: struct {
		Events            []*domain.AuditEvent
		Page              page
		Entities, Actions []string
		Actor, Entity     string
		Action, From, To  string
		Problems          map[string]string
	}{events, pg, entities, actions, q.Get("actor"), q.Get("entity"), q.Get("action"), q.Get("from"), q.Get("to"), problems}})
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) {
	n, brk, err := h.Store.VerifyAudit(r.Context())
	if err != nil {
		h.Error(w, r, err)
		return
	}
	if brk != nil {
		h.setFlash(w, "error", fmt.Sprintf("审计链校验失败：%s（已校验 %d 条）。", brk.Reason, n))
	} else {
		h.setFlash(w, "ok", fmt.Sprintf("审计链校验通过：共 %d 条事件，哈希链完整。", n))
	}
	http.Redirect(w, r, "/audit", http.StatusSeeOther)
}

// exportAudit writes the filtered events, in pages, to one sheet.
func (h *Handler) exportAudit(w http.ResponseWriter, r *http.Request) {
	f, problems := auditFilterOf(r)
	if len(problems) > 0 {
		h.Error(w, r, domain.Errorf(domain.EINVALID, "筛选条件中的日期格式应为 2026-01-31。"))
		return
	}
	t := xlsx.Table{Sheet: "审计日志", Title: "审计日志导出（" + time.Now().In(chinaTime).Format("2006-01-02 15:04") + "）",
		Headers: []string{"序号", "时间", "操作人", "渠道", "地址", "操作", "对象", "对象ID", "修改前", "修改后", "原因", "哈希"},
		Widths:  []float64{8, 18, 12, 6, 14, 20, 10, 8, 40, 40, 16, 20}}
	const batch = 500
	for f.Offset, f.Limit = 0, batch; ; f.Offset += batch {
		events, _, err := h.Store.FindAuditEvents(r.Context(), f)
		if err != nil {
			h.Error(w, r, err)
			return
		}
		for _, e := range events {
			t.Rows = append(t.Rows, []any{e.Seq, e.At.In(chinaTime).Format("2006-01-02 15:04:05"), e.ActorName, e.Via, e.IP,
				e.Action, e.Entity, e.EntityID, e.Before, e.After, e.Reason, e.Hash})
		}
		if len(events) < batch || len(t.Rows) >= 100_000 {
			break
		}
	}
	writeXLSX(w, "audit.xlsx", t, h)
}

func writeXLSX(w http.ResponseWriter, filename string, t xlsx.Table, h *Handler, more ...xlsx.Table) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	if err := xlsx.Write(w, append([]xlsx.Table{t}, more...)...); err != nil {
		h.Log.Error("write xlsx", "file", filename, "err", err)
	}
}
