package domain

import (
	"strings"
	"testing"
)

func TestCheckAttachment(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	zip := []byte("PK\x03\x04\x14\x00\x06\x00")
	exe := []byte("MZ\x90\x00\x03\x00\x00\x00")
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
	for _, tc := range []struct {
		name, kind, file string
		body             []byte
		wantType         string // "" = refused
		wantName         string
		wantMsg          string
	}{
		{"pdf", "agreement", "协议.pdf", pdf, "application/pdf", "协议.pdf", ""},
		{"upper ext", "agreement", "A.PDF", pdf, "application/pdf", "A.PDF", ""},
		{"png", "photo", "现场.png", png, "image/png", "现场.png", ""},
		{"jpeg", "photo", "x.jpeg", jpeg, "image/jpeg", "x.jpeg", ""},
		{"jpg", "photo", "x.jpg", jpeg, "image/jpeg", "x.jpg", ""},
		{"docx", "other", "a.docx", zip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a.docx", ""},
		{"xlsx", "other", "a.xlsx", zip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "a.xlsx", ""},
		{"path stripped", "other", `C:\Users\x\..\合同.pdf`, pdf, "application/pdf", "合同.pdf", ""},
		{"unix path", "other", "../../etc/合同.pdf", pdf, "application/pdf", "合同.pdf", ""},
		{"exe", "other", "a.exe", exe, "", "", "不支持的文件类型"},
		{"exe named pdf", "other", "a.pdf", exe, "", "", "文件内容与扩展名不符"},
		{"html named png", "photo", "a.png", html, "", "", "文件内容与扩展名不符"},
		{"html", "other", "a.html", html, "", "", "不支持的文件类型"},
		{"zip named zip", "other", "a.zip", zip, "", "", "不支持的文件类型"},
		{"pdf named docx", "other", "a.docx", pdf, "", "", "文件内容与扩展名不符"},
		{"empty", "other", "a.pdf", nil, "", "", "不能为空"},
		{"too big", "other", "a.pdf", append(pdf, make([]byte, MaxAttachmentSize)...), "", "", "不能超过10MB"},
		{"bad kind", "video", "a.pdf", pdf, "", "", "附件类别"},
		{"no name", "other", "../", pdf, "", "", "文件名无效"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name, ct, err := CheckAttachment(tc.kind, tc.file, tc.body)
			if tc.wantType == "" {
				if err == nil {
					t.Fatalf("accepted as %s", ct)
				}
				msg := ""
				for _, m := range ErrorFields(err) {
					msg += m
				}
				if !strings.Contains(msg, tc.wantMsg) {
					t.Errorf("message %q, want %q", msg, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ct != tc.wantType || name != tc.wantName {
				t.Errorf("got %q %q, want %q %q", name, ct, tc.wantName, tc.wantType)
			}
		})
	}
}

func TestSanitizeFilename(t *testing.T) {
	long := strings.Repeat("长", 150) + ".pdf"
	got := SanitizeFilename(long)
	if n := len([]rune(got)); n != MaxAttachmentName || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("long name: %d runes %q", n, got)
	}
	for in, want := range map[string]string{
		"a\x00b\nc.pdf": "abc.pdf",
		"  .hidden.pdf": "hidden.pdf",
		`a"b<c>.png`:    "abc.png",
		"dir/sub/x.png": "x.png",
	} {
		if got := SanitizeFilename(in); got != want {
			t.Errorf("SanitizeFilename(%q) = %q, want %q", in, got, want)
		}
	}
}
