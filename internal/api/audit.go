package api

import (
	"encoding/json"
	"net/http"
	"time"

	"beizeng/internal/domain"
)

// auditJSON is one audit event; before and after are the record's states as JSON.
type auditJSON struct {
	Seq       int64           `json:"seq"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"`
	ActorName string          `json:"actor_name"`
	Via       string          `json:"via"`
	IP        string          `json:"ip"`
	Action    string          `json:"action"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Before    json.RawMessage `json:"before"`
	After     json.RawMessage `json:"after"`
	Reason    string          `json:"reason"`
	PrevHash  string          `json:"prev_hash"`
	Hash      string          `json:"hash"`
}

// rawState embeds a stored state as JSON. A state that is not JSON — possible only if
// someone edited the table, which verify reports — is shown as a string rather than
// failing the whole list the auditor needs to investigate it.
func rawState(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

func auditOut(e *domain.AuditEvent) auditJSON {
	return auditJSON{
		Seq: e.Seq, At: e.At, ActorID: e.ActorID, ActorName: e.ActorName, Via: e.Via, IP: e.IP,
		Action: e.Action, Entity: e.Entity, EntityID: e.EntityID,
		Before: rawState(e.Before), After: rawState(e.After), Reason: e.Reason, PrevHash: e.PrevHash, Hash: e.Hash,
	}
}

// listAudit answers events newest first; total counts up to store.AuditCountCap+1.
func (h *Handler) listAudit(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "actor", "entity", "action", "from", "to", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.AuditFilter{Actor: q.str("actor"), Entity: q.str("entity"), Action: q.str("action")}
	if f.From, err = q.instant("from", false); err != nil {
		h.fail(w, r, err)
		return
	}
	if f.To, err = q.instant("to", true); err != nil {
		h.fail(w, r, err)
		return
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		h.fail(w, r, badRequest("查询参数 from 应早于 to。"))
		return
	}
	if f.Offset, f.Limit, err = q.page(); err != nil {
		h.fail(w, r, err)
		return
	}
	events, total, err := h.store.FindAuditEvents(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[auditJSON]{Items: make([]auditJSON, 0, len(events)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, e := range events {
		out.Items = append(out.Items, auditOut(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// verifyJSON is the result of walking the audit chain.
type verifyJSON struct {
	OK        bool   `json:"ok"`
	Checked   int64  `json:"checked"`
	BrokenSeq *int64 `json:"broken_seq"`
	Reason    string `json:"reason"`
}

func (h *Handler) verifyAudit(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	checked, brk, err := h.store.VerifyAudit(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := verifyJSON{OK: brk == nil, Checked: checked}
	if brk != nil {
		out.BrokenSeq, out.Reason = &brk.Seq, brk.Reason
	}
	writeJSON(w, http.StatusOK, out)
}
