package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"beizeng/internal/domain"
)

const attachmentColumns = `id, project_id, kind, filename, content_type, size, sha256, uploaded_by, uploaded_at,
	deleted_at, deleted_by, delete_reason`

func scanAttachment(sc interface{ Scan(...any) error }, extra ...any) (*domain.Attachment, error) {
	var a domain.Attachment
	var deleted sql.NullTime
	dest := append([]any{&a.ID, &a.ProjectID, &a.Kind, &a.Filename, &a.ContentType, &a.Size, &a.SHA256,
		&a.UploadedBy, &a.UploadedAt, &deleted, &a.DeletedBy, &a.DeleteReason}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	a.UploadedAt = a.UploadedAt.UTC()
	if deleted.Valid {
		t := deleted.Time.UTC()
		a.DeletedAt = &t
	}
	return &a, nil
}

// auditOfAttachment is what the audit log keeps of an attachment: its metadata and the
// SHA-256 of the content, never the content itself.
func auditOfAttachment(a *domain.Attachment) map[string]any {
	return map[string]any{"attachment_id": a.ID, "kind": a.Kind, "filename": a.Filename,
		"content_type": a.ContentType, "size": a.Size, "sha256": a.SHA256}
}

// AddAttachment validates a file (kind, name, size, type judged from the content) and keeps
// it with the project.
func (s *Store) AddAttachment(ctx context.Context, actor domain.Actor, projectID int64, kind, filename, contentType string, body []byte) (*domain.Attachment, error) {
	name, ct, err := domain.CheckAttachment(kind, filename, body)
	if err != nil {
		return nil, err
	}
	_ = contentType // the declared type is not trusted: the content decides
	sum := sha256.Sum256(body)
	a := &domain.Attachment{ProjectID: projectID, Kind: kind, Filename: name, ContentType: ct,
		Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: actor.Name()}
	err = s.inWrite(ctx, func(tx *Tx) error {
		if _, err := tx.findProject(ctx, projectID); err != nil {
			return err
		}
		a.UploadedAt = tx.now
		if err := tx.queryRow(ctx, `INSERT INTO project_attachments
			(project_id, kind, filename, content_type, size, sha256, body, uploaded_by, uploaded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			projectID, a.Kind, a.Filename, a.ContentType, a.Size, a.SHA256, body, a.UploadedBy, tx.now).Scan(&a.ID); err != nil {
			return fmt.Errorf("add attachment: %w", err)
		}
		return tx.audit(ctx, actor, "project.attachment.add", "project", projectID, nil, auditOfAttachment(a), "")
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// FindAttachments returns a project's live attachments (metadata only), newest first.
func (s *Store) FindAttachments(ctx context.Context, projectID int64) ([]*domain.Attachment, error) {
	var list []*domain.Attachment
	err := s.inRead(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+attachmentColumns+` FROM project_attachments
			WHERE project_id = ? AND deleted_at IS NULL ORDER BY uploaded_at DESC, id DESC`, projectID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAttachment(rows)
			if err != nil {
				return err
			}
			list = append(list, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("find attachments: %w", err)
	}
	return list, nil
}

// AttachmentBody returns a live attachment with its content.
func (s *Store) AttachmentBody(ctx context.Context, id int64) (*domain.Attachment, error) {
	var a *domain.Attachment
	err := s.inRead(ctx, func(tx *Tx) error {
		var body []byte
		var err error
		a, err = scanAttachment(tx.queryRow(ctx, `SELECT `+attachmentColumns+`, body FROM project_attachments
			WHERE id = ? AND deleted_at IS NULL`, id), &body)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound("附件")
		}
		if err != nil {
			return fmt.Errorf("attachment body: %w", err)
		}
		a.Body = body
		return nil
	})
	return a, err
}

// DeleteAttachment hides an attachment; the row and its content stay (nothing is ever
// lost) and the audit log records who, when and why.
func (s *Store) DeleteAttachment(ctx context.Context, actor domain.Actor, id int64, reason string) (*domain.Attachment, error) {
	reason = strings.TrimSpace(reason)
	if n := len([]rune(reason)); n == 0 || n > 500 {
		return nil, (domain.Problems{"reason": "请填写删除原因（不超过500个字）。"}).Err()
	}
	var a *domain.Attachment
	err := s.inWrite(ctx, func(tx *Tx) error {
		var err error
		a, err = scanAttachment(tx.queryRow(ctx, `SELECT `+attachmentColumns+` FROM project_attachments
			WHERE id = ? AND deleted_at IS NULL`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound("附件")
		}
		if err != nil {
			return fmt.Errorf("find attachment: %w", err)
		}
		if _, err := tx.exec(ctx, `UPDATE project_attachments SET deleted_at = ?, deleted_by = ?, delete_reason = ?
			WHERE id = ?`, tx.now, actor.Name(), reason, id); err != nil {
			return fmt.Errorf("delete attachment: %w", err)
		}
		t := tx.now
		a.DeletedAt, a.DeletedBy, a.DeleteReason = &t, actor.Name(), reason
		return tx.audit(ctx, actor, "project.attachment.delete", "project", a.ProjectID, auditOfAttachment(a), nil, reason)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
