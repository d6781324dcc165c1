package store

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

func TestProjectAttachments(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		atJune15(s)
		u := mustUnit(t, s, "360201", domain.UnitCounty, 0)
		p := &domain.Project{Name: "附件项目", UnitID: u.ID, Stage: "lead"}
		if err := s.CreateProject(ctx, system, p); err != nil {
			t.Fatal(err)
		}
		pdf := []byte("%PDF-1.4\n% 投资协议\n\x00\x01\x02\xff%%EOF\n")
		a, err := s.AddAttachment(ctx, system, p.ID, "agreement", `C:\docs\投资协议.pdf`, "text/html", pdf)
		if err != nil {
			t.Fatal(err)
		}
		if a.Filename != "投资协议.pdf" || a.ContentType != "application/pdf" || a.Size != int64(len(pdf)) || len(a.SHA256) != 64 {
			t.Fatalf("added: %+v", a)
		}
		if _, err := s.AddAttachment(ctx, system, p.ID, "photo", "x.png", "image/png", []byte("<html><script>")); domain.ErrorFields(err)["file"] == "" {
			t.Fatalf("html as png accepted: %v", err)
		}
		if _, err := s.AddAttachment(ctx, system, 999999, "other", "x.pdf", "", pdf); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("missing project: %v", err)
		}
		list, err := s.FindAttachments(ctx, p.ID)
		if err != nil || len(list) != 1 || list[0].ID != a.ID || list[0].Body != nil || list[0].UploadedBy == "" && system.Name() != "" {
			t.Fatalf("list: %v %+v", err, list)
		}
		got, err := s.AttachmentBody(ctx, a.ID)
		if err != nil || !bytes.Equal(got.Body, pdf) || got.ProjectID != p.ID {
			t.Fatalf("body: %v %q", err, got.Body)
		}
		if _, err := s.DeleteAttachment(ctx, system, a.ID, "  "); domain.ErrorFields(err)["reason"] == "" {
			t.Fatalf("delete without reason: %v", err)
		}
		if _, err := s.DeleteAttachment(ctx, system, a.ID, "上传错了"); err != nil {
			t.Fatal(err)
		}
		if list, _ := s.FindAttachments(ctx, p.ID); len(list) != 0 {
			t.Fatalf("deleted still listed: %+v", list)
		}
		if _, err := s.AttachmentBody(ctx, a.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("deleted body: %v", err)
		}
		if _, err := s.DeleteAttachment(ctx, system, a.ID, "again"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("delete twice: %v", err)
		}
		// Nothing is lost: the row and its content remain.
		var reason string
		var body []byte
		if err := s.inRead(ctx, func(tx *Tx) error {
			return tx.queryRow(ctx, `SELECT delete_reason, body FROM project_attachments WHERE id = ? AND deleted_at IS NOT NULL`, a.ID).Scan(&reason, &body)
		}); err != nil || reason != "上传错了" || !bytes.Equal(body, pdf) {
			t.Fatalf("soft delete kept: %v %q %q", err, reason, body)
		}
		for action, want := range map[string]string{"project.attachment.add": "", "project.attachment.delete": "上传错了"} {
			evs, _, err := s.FindAuditEvents(ctx, domain.AuditFilter{Action: action})
			if err != nil || len(evs) != 1 {
				t.Fatalf("%s: %v %d", action, err, len(evs))
			}
			e := evs[0]
			all := e.Before + e.After
			if !strings.Contains(all, a.SHA256) || !strings.Contains(all, "投资协议.pdf") || e.Reason != want {
				t.Errorf("%s audit: %+v", action, e)
			}
			if strings.Contains(all, "PDF-1.4") || strings.Contains(all, `"body"`) {
				t.Errorf("%s audit holds the body: %s", action, all)
			}
		}
		if _, brk, err := s.VerifyAudit(ctx); err != nil || brk != nil {
			t.Fatalf("audit chain: %v %v", err, brk)
		}
	})
}
