package domain

import (
	"net/http"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxAttachmentSize is the largest attachment accepted, in bytes (10 MiB).
const MaxAttachmentSize = 10 << 20

// MaxAttachmentName is the longest file name kept, in characters.
const MaxAttachmentName = 100

// Attachment kinds.
const (
	AttachmentAgreement = "agreement"
	AttachmentPhoto     = "photo"
	AttachmentOther     = "other"
)

// AttachmentKinds lists the kinds in display order.
var AttachmentKinds = []string{AttachmentAgreement, AttachmentPhoto, AttachmentOther}

// AttachmentKindLabel is a kind's Chinese name.
func AttachmentKindLabel(kind string) string {
	switch kind {
	case AttachmentAgreement:
		return "协议"
	case AttachmentPhoto:
		return "照片"
	case AttachmentOther:
		return "其他"
	}
	return kind
}

// Attachment is a file kept with a project. Body is filled only when the content is asked for.
type Attachment struct {
	ID           int64
	ProjectID    int64
	Kind         string
	Filename     string
	ContentType  string
	Size         int64
	SHA256       string
	UploadedBy   string
	UploadedAt   time.Time
	DeletedAt    *time.Time
	DeletedBy    string
	DeleteReason string
	Body         []byte
}

// IsImage reports whether the attachment may be shown inline as an image.
func (a *Attachment) IsImage() bool {
	return a.ContentType == "image/jpeg" || a.ContentType == "image/png"
}

// attachmentTypes maps an allowed extension to the content type sniffed from the body and
// the content type the file is stored and served with.
var attachmentTypes = map[string]struct{ sniffed, stored string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".png":  {"image/png", "image/png"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// SanitizeFilename keeps only the last element of a path, drops control characters and
// leading dots and spaces, and shortens the name to MaxAttachmentName characters, keeping
// the extension.
func SanitizeFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || strings.ContainsRune(`<>:"|?*`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ". ")
	if utf8.RuneCountInString(name) > MaxAttachmentName {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = string(r[:MaxAttachmentName-utf8.RuneCountInString(ext)]) + ext
	}
	return name
}

// CheckAttachment validates an upload: kind, name, size, and type judged from the content
// and the extension together. It returns the cleaned name and the content type to keep.
func CheckAttachment(kind, filename string, body []byte) (name, contentType string, err error) {
	probs := Problems{}
	if AttachmentKindLabel(kind) == kind {
		probs.Add("kind", "请选择附件类别（协议、照片或其他）。")
	}
	name = SanitizeFilename(filename)
	switch {
	case len(body) == 0:
		probs.Add("file", "请选择要上传的文件，文件不能为空。")
	case len(body) > MaxAttachmentSize:
		probs.Add("file", "文件过大：附件不能超过10MB。")
	}
	if name == "" {
		probs.Add("file", "文件名无效。")
	}
	if err := probs.Err(); err != nil {
		return "", "", err
	}
	t, ok := attachmentTypes[strings.ToLower(path.Ext(name))]
	if !ok {
		probs.Add("file", "不支持的文件类型：只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件。")
		return "", "", probs.Err()
	}
	sniffed := http.DetectContentType(body)
	if i := strings.IndexByte(sniffed, ';'); i >= 0 {
		sniffed = sniffed[:i]
	}
	if sniffed != t.sniffed {
		probs.Add("file", "文件内容与扩展名不符：只能上传真实的 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件。")
		return "", "", probs.Err()
	}
	return name, t.stored, nil
}
