package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// fixtureAttachments remembers one attachment per fixture project, created on first use.
var fixtureAttachments sync.Map // projectKey{st, projectID} → int64

// attachmentOf returns an attachment of the project, creating it the first time.
func (f *fixture) attachmentOf(projectID int64) int64 {
	f.t.Helper()
	if id, ok := fixtureAttachments.Load(projectKey{f.st, projectID}); ok {
		return id.(int64)
	}
	a, err := f.st.AddAttachment(context.Background(), domain.Actor{Via: "test"}, projectID, "agreement", "协议.pdf", "",
		[]byte("%PDF-1.4\n% fixture\n%%EOF\n"))
	if err != nil {
		f.t.Fatal(err)
	}
	fixtureAttachments.Store(projectKey{f.st, projectID}, a.ID)
	return a.ID
}

// uploadAttachment posts a multipart attachment form and returns the response and its body.
func (f *fixture) uploadAttachment(c *http.Client, path, kind, filename string, body []byte) (*http.Response, string) {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(body)
	mw.Close()
	req, _ := http.NewRequest("POST", f.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestProjectAttachmentsHTTP(t *testing.T) {
	forEachDB(t, func(t *testing.T, st *store.Store) {
		f := newFixture(t, st)
		ctx := context.Background()
		rep, rep2, leader := f.login("reporter"), f.login("reporter2"), f.login("leader")
		pid := f.projectOf(f.units["countyA"].ID)
		base := fmt.Sprintf("/projects/%d/attachments", pid)
		pdf := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n")

		// The own unit's reporter uploads through the page.
		res, body := f.uploadAttachment(rep, base, "agreement", "投资 协议\".pdf", pdf)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.StatusCode, body)
		}
		list, err := st.FindAttachments(ctx, pid)
		if err != nil || len(list) != 1 {
			t.Fatalf("list: %v %v", err, list)
		}
		a := list[0]
		if a.Filename != `投资 协议.pdf` || a.ContentType != "application/pdf" || a.UploadedBy == "" {
			t.Fatalf("stored: %+v", a)
		}
		_, page := f.get(leader, fmt.Sprintf("/projects/%d", pid))
		if !strings.Contains(page, "投资 协议.pdf") || !strings.Contains(page, "协议") || strings.Contains(page, "上传附件") {
			t.Errorf("detail page for a reader: attachment missing or upload form shown")
		}
		_, page = f.get(rep, fmt.Sprintf("/projects/%d", pid))
		if !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, "删除原因") {
			t.Errorf("detail page for the editor lacks the forms")
		}

		// Download returns the same bytes, as an attachment with an RFC 5987 name.
		for _, path := range []string{fmt.Sprintf("%s/%d/download", base, a.ID), fmt.Sprintf("/api/v1%s/%d", base, a.ID)} {
			res, err := leader.Get(f.ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(res.Body)
			res.Body.Close()
			cd := res.Header.Get("Content-Disposition")
			if res.StatusCode != 200 || !bytes.Equal(got, pdf) || res.Header.Get("Content-Type") != "application/pdf" ||
				!strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''%E6%8A%95%E8%B5%84%20%E5%8D%8F%E8%AE%AE.pdf") ||
				res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("download %s: %d %q %q", path, res.StatusCode, res.Header, got)
			}
		}
		// The attachment must belong to the project in the URL.
		otherPID := f.projectOf(f.units["countyB"].ID)
		if res, _ := f.get(leader, fmt.Sprintf("/projects/%d/attachments/%d/download", otherPID, a.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("attachment under another project: %d", res.StatusCode)
		}

		// Another county's reporter may not upload (page or API).
		if res, _ := f.uploadAttachment(rep2, base, "photo", "x.pdf", pdf); res.StatusCode != http.StatusForbidden {
			t.Errorf("other county upload: %d", res.StatusCode)
		}
		if res, _ := f.uploadAttachment(rep2, "/api/v1"+base, "photo", "x.pdf", pdf); res.StatusCode != http.StatusForbidden {
			t.Errorf("other county API upload: %d", res.StatusCode)
		}

		// Executables, HTML and oversize files are refused with a Chinese message.
		for _, tc := range []struct {
			name, want string
			body       []byte
		}{
			{"setup.exe", "不支持的文件类型", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")},
			{"page.pdf", "文件内容与扩展名不符", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")},
			{"big.pdf", "不能超过10MB", append(append([]byte{}, pdf...), make([]byte, domain.MaxAttachmentSize)...)},
		} {
			res, body := f.uploadAttachment(rep, base, "other", tc.name, tc.body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("page upload %s: %d, want 422 with %q", tc.name, res.StatusCode, tc.want)
			}
			res, body = f.uploadAttachment(rep, "/api/v1"+base, "other", tc.name, tc.body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("API upload %s: %d %s", tc.name, res.StatusCode, body)
			}
		}

		// The API upload and list.
		res, body = f.uploadAttachment(rep, "/api/v1"+base, "photo", "现场.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("API upload: %d %s", res.StatusCode, body)
		}
		var png struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		}
		json.Unmarshal([]byte(body), &png)
		res, body = f.get(leader, "/api/v1"+base)
		if res.StatusCode != 200 || strings.Count(body, `"id"`) != 2 || !strings.Contains(body, `"sha256"`) {
			t.Errorf("API list: %d %s", res.StatusCode, body)
		}
		if res, err := leader.Get(fmt.Sprintf("%s/api/v1%s/%d", f.ts.URL, base, png.ID)); err != nil ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "inline;") {
			t.Errorf("image not inline: %v %v", err, res.Header)
		}

		// Deleting needs a reason; it hides the attachment, the audit keeps it.
		del := fmt.Sprintf("%s/%d/delete", base, a.ID)
		if res, body := f.postBody(rep, del, url.Values{"reason": {" "}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "删除原因") {
			t.Errorf("delete without reason: %d", res.StatusCode)
		}
		if res := f.post(rep2, del, url.Values{"reason": {"不是我的"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("other county delete: %d", res.StatusCode)
		}
		if res := f.post(rep, del, url.Values{"reason": {"版本有误"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		if _, page := f.get(rep, fmt.Sprintf("/projects/%d", pid)); strings.Contains(page, fmt.Sprintf("/attachments/%d/download", a.ID)) {
			t.Error("deleted attachment still listed")
		}
		if res, _ := f.get(leader, fmt.Sprintf("%s/%d/download", base, a.ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted attachment downloadable: %d", res.StatusCode)
		}
		req, _ := http.NewRequest("DELETE", fmt.Sprintf("%s/api/v1%s/%d", f.ts.URL, base, png.ID), strings.NewReader(`{"reason":"重复上传"}`))
		req.Header.Set("Content-Type", "application/json")
		if res, err := rep.Do(req); err != nil || res.StatusCode != 200 {
			t.Errorf("API delete: %v %v", err, res)
		}
		if res, body := f.get(leader, "/api/v1"+base); res.StatusCode != 200 || strings.Contains(body, `"id"`) {
			t.Errorf("API list after delete: %s", body)
		}
		evs, _, err := st.FindAuditEvents(ctx, domain.AuditFilter{Action: "project.attachment.delete"})
		if err != nil || len(evs) != 2 {
			t.Fatalf("audit: %v %d", err, len(evs))
		}
		found := false
		for _, e := range evs {
			if e.Reason == "版本有误" && strings.Contains(e.Before, a.SHA256) && strings.Contains(e.Before, "投资 协议.pdf") {
				found = true
			}
			if strings.Contains(e.Before, "PDF-1.4") {
				t.Error("audit holds the content")
			}
		}
		if !found {
			t.Errorf("audit lost the deleted attachment: %+v", evs)
		}
	})
}
