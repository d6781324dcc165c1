package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// AuditEvent is one append-only entry of the audit log. Each carries the hash of the
// previous one, so editing, deleting or reordering history breaks the chain.
type AuditEvent struct {
	Seq       int64
	At        time.Time
	ActorID   int64
	ActorName string
	Via       string
	IP        string
	Action    string // e.g. unit.update
	Entity    string // e.g. unit
	EntityID  string
	Before    string // JSON, empty when created
	After     string // JSON, empty when deleted
	Reason    string
	PrevHash  string
	Hash      string
}

// AuditGenesis is the previous hash of the first event.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the event's hash over every field but the hash itself. Fields are
// length-prefixed so that no two different events serialise alike.
func (e *AuditEvent) ComputeHash() string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format(time.RFC3339Nano),
		strconv.FormatInt(e.ActorID, 10),
		e.ActorName, e.Via, e.IP, e.Action, e.Entity, e.EntityID,
		e.Before, e.After, e.Reason, e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit events.
type AuditFilter struct {
	Actor  string
	Entity string
	Action string
	From   time.Time
	To     time.Time // exclusive
	Offset int
	Limit  int
}

// AuditBreak describes the first place where the chain does not hold.
type AuditBreak struct {
	Seq    int64
	Reason string
}
