package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"beizeng/internal/domain"
)

// audit appends one event to the chain inside the caller's transaction. before and after
// are the record's states (nil for none); they are stored as JSON.
func (tx *Tx) audit(ctx context.Context, actor domain.Actor, action, entity string, id int64, before, after any, reason string) error {
	b, err := tx.newAuditBatch(ctx, false)
	if err != nil {
		return err
	}
	if err := b.add(ctx, tx, actor, action, entity, id, before, after, reason); err != nil {
		return err
	}
	return b.flush(ctx, tx)
}

// auditBatch is the one writer of the chain: it reads the head, appends events linked to
// it and writes the head back. Reading the head unlocked is safe because every write
// transaction runs alone (SQLite's single writer; on PostgreSQL inWrite locks the head
// row first). An import appends thousands of events through one batch.
type auditBatch struct {
	insert *sql.Stmt // prepared for a large batch; nil runs each insert directly
	seq    int64
	hash   string
}

const insertAuditSQL = `INSERT INTO audit_events
	(seq, at, actor_id, actor_name, via, ip, action, entity, entity_id, before, after, reason, prev_hash, hash)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (tx *Tx) newAuditBatch(ctx context.Context, prepare bool) (*auditBatch, error) {
	b := &auditBatch{}
	if err := tx.queryRow(ctx, `SELECT last_seq, last_hash FROM audit_head WHERE id = 1`).Scan(&b.seq, &b.hash); err != nil {
		return nil, fmt.Errorf("audit head: %w", err)
	}
	if prepare {
		var err error
		if b.insert, err = tx.tx.PrepareContext(ctx, tx.rebind(insertAuditSQL)); err != nil {
			return nil, fmt.Errorf("prepare audit: %w", err)
		}
	}
	return b, nil
}

func (b *auditBatch) add(ctx context.Context, tx *Tx, actor domain.Actor, action, entity string, id int64, before, after any, reason string) error {
	e := domain.AuditEvent{
		At: tx.now, ActorID: actor.UserID(), ActorName: actor.Name(), Via: actor.Via, IP: actor.IP,
		Action: action, Entity: entity, EntityID: strconv.FormatInt(id, 10), Reason: reason,
		Seq: b.seq + 1, PrevHash: b.hash,
	}
	var err error
	if e.Before, err = auditJSON(before); err != nil {
		return err
	}
	if e.After, err = auditJSON(after); err != nil {
		return err
	}
	e.Hash = e.ComputeHash()
	args := []any{e.Seq, e.At, e.ActorID, e.ActorName, e.Via, e.IP, e.Action, e.Entity, e.EntityID,
		e.Before, e.After, e.Reason, e.PrevHash, e.Hash}
	if b.insert != nil {
		_, err = b.insert.ExecContext(ctx, args...)
	} else {
		_, err = tx.exec(ctx, insertAuditSQL, args...)
	}
	if err != nil {
		return fmt.Errorf("append audit event: %w", err)
	}
	b.seq, b.hash = e.Seq, e.Hash
	return nil
}

func (b *auditBatch) flush(ctx context.Context, tx *Tx) error {
	if _, err := tx.exec(ctx, `UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1`, b.seq, b.hash); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	return nil
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit json: %w", err)
	}
	return string(b), nil
}

const auditColumns = `seq, at, actor_id, actor_name, via, ip, action, entity, entity_id, before, after, reason, prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }) (*domain.AuditEvent, error) {
	var e domain.AuditEvent
	if err := sc.Scan(&e.Seq, &e.At, &e.ActorID, &e.ActorName, &e.Via, &e.IP, &e.Action, &e.Entity,
		&e.EntityID, &e.Before, &e.After, &e.Reason, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = e.At.UTC()
	return &e, nil
}

// AuditCountCap is as far as FindAuditEvents counts; a total of AuditCountCap+1 means
// "more than AuditCountCap".
const AuditCountCap = 10_000

// FindAuditEvents lists events, newest first, with the count of the filter's events up
// to AuditCountCap+1.
func (s *Store) FindAuditEvents(ctx context.Context, f domain.AuditFilter) ([]*domain.AuditEvent, int, error) {
	var where []string
	var args []any
	if f.Actor != "" {
		where, args = append(where, "actor_name = ?"), append(args, strings.ToLower(strings.TrimSpace(f.Actor)))
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC())
	}
	// Counted apart from the page, and only up to AuditCountCap: an exact count of
	// millions of events would cost more than the page itself, and nobody pages that far.
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var events []*domain.AuditEvent
	total := 0
	err := s.inRead(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM audit_events`+cond+` LIMIT ?) c`,
			append(args, AuditCountCap+1)...).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_events`+cond+` ORDER BY seq DESC LIMIT ? OFFSET ?`,
			append(args, pageLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			events = append(events, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find audit events: %w", err)
	}
	return events, total, nil
}

// AuditEntities lists the distinct entities and actions, for the auditor's filter form.
func (s *Store) AuditEntities(ctx context.Context) (entities, actions []string, err error) {
	err = s.inRead(ctx, func(tx *Tx) error {
		for _, q := range []struct {
			sql string
			out *[]string
		}{
			{`SELECT DISTINCT entity FROM audit_events ORDER BY entity`, &entities},
			{`SELECT DISTINCT action FROM audit_events ORDER BY action`, &actions},
		} {
			rows, err := tx.query(ctx, q.sql)
			if err != nil {
				return err
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return err
				}
				*q.out = append(*q.out, v)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return entities, actions, err
}

// VerifyAudit walks the whole chain in order and returns the first break, or nil when
// every event's hash, link and sequence number hold and the head matches the last event.
func (s *Store) VerifyAudit(ctx context.Context) (checked int64, brk *domain.AuditBreak, err error) {
	err = s.inRead(ctx, func(tx *Tx) error {
		var headSeq int64
		var headHash string
		if err := tx.queryRow(ctx, `SELECT last_seq, last_hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return fmt.Errorf("read audit head: %w", err)
		}
		rows, err := tx.query(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		prevHash, want := domain.AuditGenesis, int64(1)
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			switch {
			case e.Seq != want:
				brk = &domain.AuditBreak{Seq: want, Reason: fmt.Sprintf("事件 #%d 缺失（下一条为 #%d）：记录被删除", want, e.Seq)}
			case e.PrevHash != prevHash:
				brk = &domain.AuditBreak{Seq: e.Seq, Reason: fmt.Sprintf("事件 #%d 的前序哈希与上一条不符：记录被删除、插入或调换", e.Seq)}
			case e.ComputeHash() != e.Hash:
				brk = &domain.AuditBreak{Seq: e.Seq, Reason: fmt.Sprintf("事件 #%d 的内容与其哈希不符：记录被篡改", e.Seq)}
			}
			if brk != nil {
				return nil
			}
			checked++
			prevHash, want = e.Hash, e.Seq+1
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if checked != headSeq || prevHash != headHash {
			brk = &domain.AuditBreak{Seq: checked + 1, Reason: fmt.Sprintf("链尾不符：应有 %d 条事件，实有 %d 条（末尾记录被删除或链头被改动）", headSeq, checked)}
		}
		return nil
	})
	if err != nil {
		return checked, nil, fmt.Errorf("verify audit: %w", err)
	}
	return checked, brk, nil
}
