package api

import (
	"context"
	"net/http"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// The pieces below are shared by the resources that belong to a unit (projects,
// enterprises): each loads, checks and writes its records in the same shape, so that
// the record-level policy and the version rule are stated once.

// editableByPathID loads the record named by {id} and applies the record-level policy:
// the user must be allowed action on the unit that owns it.
func editableByPathID[T any](r *http.Request, action auth.Action, find func(context.Context, int64) (T, error), unitOf func(T) int64) (T, error) {
	var zero T
	id, err := pathID(r)
	if err != nil {
		return zero, err
	}
	rec, err := find(r.Context(), id)
	if err != nil {
		return zero, err
	}
	if !auth.Can(request.User(r), action, unitOf(rec)) {
		return zero, domain.ErrForbidden
	}
	return rec, nil
}

// requireReadVersion refuses a whole-record update whose body does not name the version it
// was read at: without it a later save would silently overwrite someone else's.
func requireReadVersion(v int64) error {
	if v <= 0 {
		return domain.Problems{"version": versionMissing}.Err()
	}
	return nil
}

// versionedWrite runs a versioned change of one record (a stage, a status, a spell):
// load {id} under the policy, read the body, require its version, write, answer with
// the record as out renders it.
func versionedWrite[R, T, J any](h *Handler, w http.ResponseWriter, r *http.Request, load func(*http.Request) (R, error),
	version func(T) int64, write func(rec R, in T) (R, error), out func(R) J) {
	var in T
	rec, err := load(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	if err == nil && version(in) <= 0 {
		err = domain.Problems{"version": "请提供 version：读取该记录时得到的版本号。"}.Err()
	}
	var after R
	if err == nil {
		after, err = write(rec, in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out(after))
}

// updateByPathID is the PUT skeleton of the records whose body is a set of optional
// fields: load {id}, decode the body, let patch copy the fields given onto the record
// (adding a problem for each bad one and for a missing version), stop at any problem,
// save, and answer with done.
func updateByPathID[R, B any](h *Handler, w http.ResponseWriter, r *http.Request, find func(context.Context, int64) (R, error),
	patch func(p domain.Problems, rec R, in *B), save func(context.Context, domain.Actor, R) error, done func(R)) {
	var in B
	rec, err := byPathID(r, find)
	if err == nil {
		err = decode(w, r, &in)
	}
	if err == nil {
		p := domain.Problems{}
		patch(p, rec, &in)
		err = p.Err()
	}
	if err == nil {
		err = save(r.Context(), request.Actor(r), rec)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	done(rec)
}

// putBody is the JSON of a unit-owned record as a whole-record PUT carries it: the unit
// it is placed in and the version it was read at.
type putBody interface {
	placement() (unitID int64, version *int64)
}

// putUnitRecord is the whole-record PUT of a unit-owned record: load {id} under the
// policy, read the body over the record as it is (fields left out keep their value),
// require the version, refuse moving it to a unit the user may not act on, let apply
// copy the body (and its version) onto the record, save, and answer with it.
func putUnitRecord[R any, J any, PJ interface {
	*J
	putBody
}](h *Handler, w http.ResponseWriter, r *http.Request, action auth.Action, load func(*http.Request) (R, error),
	unitOf func(R) int64, out func(R) J, apply func(J, R), save func(context.Context, domain.Actor, R) error) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	rec, err := load(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	in := out(rec)
	_, version := PJ(&in).placement()
	*version = 0 // the body must name its own
	if err := decode(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	unit, _ := PJ(&in).placement()
	if err := requireReadVersion(*version); err != nil {
		h.fail(w, r, err)
		return
	}
	if unit != unitOf(rec) && !auth.Can(request.User(r), action, unit) {
		h.fail(w, r, domain.ErrForbidden)
		return
	}
	apply(in, rec)
	if err := save(r.Context(), request.Actor(r), rec); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out(rec))
}
