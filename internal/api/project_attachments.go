package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// Project attachments: agreements, photos and other documents kept in the database.

// AttachmentUpload is a posted attachment form: the file (field "file") and its kind
// (field "kind"); the form may also carry small fields such as a reason.
type AttachmentUpload struct {
	Kind, Filename, ContentType string
	Body                        []byte
}

// attachmentTooLarge is what an upload over the limit gets.
func attachmentTooLarge() error {
	return (domain.Problems{"file": fmt.Sprintf("文件过大：附件不能超过%dMB。", domain.MaxAttachmentSize>>20)}).Err()
}

// ReadAttachmentUpload reads a multipart attachment form, streaming: the file is read
// once into memory, at most domain.MaxAttachmentSize+1 bytes of it, nothing is spooled
// to disk.
func ReadAttachmentUpload(w http.ResponseWriter, r *http.Request) (*AttachmentUpload, error) {
	const fieldLimit = 4 << 10
	r.Body = http.MaxBytesReader(w, r.Body, domain.MaxAttachmentSize+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, (domain.Problems{"file": "请以 multipart/form-data 方式上传文件（字段 file）。"}).Err()
	}
	broken := (domain.Problems{"file": "上传没有完成或内容无法读取，请重新选择文件上传。"}).Err()
	up := &AttachmentUpload{}
	seen := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return nil, attachmentTooLarge()
			}
			return nil, broken
		}
		switch part.FormName() {
		case "file":
			if seen {
				part.Close()
				continue
			}
			seen = true
			up.Filename, up.ContentType = part.FileName(), part.Header.Get("Content-Type")
			up.Body, err = io.ReadAll(io.LimitReader(part, domain.MaxAttachmentSize+1))
			if err == nil && len(up.Body) > domain.MaxAttachmentSize {
				return nil, attachmentTooLarge()
			}
		case "kind":
			var v []byte
			v, err = io.ReadAll(io.LimitReader(part, fieldLimit))
			up.Kind = strings.TrimSpace(string(v))
		default:
			_, err = io.Copy(io.Discard, io.LimitReader(part, fieldLimit))
		}
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return nil, attachmentTooLarge()
			}
			return nil, broken
		}
	}
	if !seen || (len(up.Body) == 0 && up.Filename == "") {
		return nil, (domain.Problems{"file": "请选择要上传的文件。"}).Err()
	}
	return up, nil
}

// ContentDisposition builds a Content-Disposition header value with an ASCII fallback
// name and the exact name in RFC 5987 form (filename*=UTF-8”…).
func ContentDisposition(disposition, filename string) string {
	return ContentDispositionAs(disposition, filename, filename)
}

// ContentDispositionAs is ContentDisposition with the fallback for clients that do not
// read RFC 5987 named apart (a Chinese name's fallback would be all underscores).
func ContentDispositionAs(disposition, filename, fallbackName string) string {
	var fallback, enc strings.Builder
	for _, r := range fallbackName {
		if r >= 0x20 && r < 0x7f && r != '"' && r != '\\' {
			fallback.WriteRune(r)
		} else {
			fallback.WriteByte('_')
		}
	}
	for _, b := range []byte(filename) {
		if b < 0x80 && (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0) {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return disposition + `; filename="` + fallback.String() + `"; filename*=UTF-8''` + enc.String()
}

// ServeAttachment writes an attachment's content: images inline, everything else as a
// download.
func ServeAttachment(w http.ResponseWriter, a *domain.Attachment) {
	disp := "attachment"
	if a.IsImage() {
		disp = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(a.Body)))
	h.Set("Content-Disposition", ContentDisposition(disp, a.Filename))
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+a.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	w.Write(a.Body)
}

type attachmentJSON struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	Kind        string    `json:"kind"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
}

func attachmentOut(a *domain.Attachment) attachmentJSON {
	return attachmentJSON{a.ID, a.ProjectID, a.Kind, a.Filename, a.ContentType, a.Size, a.SHA256, a.UploadedBy, a.UploadedAt}
}

// attachmentOfProject loads {aid} and checks it belongs to project p.
func (h *Handler) attachmentOfProject(r *http.Request, p *domain.Project) (*domain.Attachment, error) {
	s := r.PathValue("aid")
	aid, err := strconv.ParseInt(s, 10, 64)
	if err != nil || aid <= 0 {
		return nil, badRequest("路径中的 aid 应为正整数，收到 %q。", s)
	}
	a, err := h.store.AttachmentBody(r.Context(), aid)
	if err != nil {
		return nil, err
	}
	if a.ProjectID != p.ID {
		return nil, domain.ErrNotFound("附件")
	}
	return a, nil
}

func (h *Handler) listProjectAttachments(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	p, err := h.projectFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list, err := h.store.FindAttachments(r.Context(), p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := struct {
		Items []attachmentJSON `json:"items"`
	}{Items: make([]attachmentJSON, 0, len(list))}
	for _, a := range list {
		out.Items = append(out.Items, attachmentOut(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) addProjectAttachment(w http.ResponseWriter, r *http.Request) {
	p, err := h.editableProject(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	up, err := ReadAttachmentUpload(w, r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.store.AddAttachment(r.Context(), request.Actor(r), p.ID, up.Kind, up.Filename, up.ContentType, up.Body)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, attachmentOut(a))
}

func (h *Handler) getProjectAttachment(w http.ResponseWriter, r *http.Request) {
	p, err := h.projectFromPath(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a, err := h.attachmentOfProject(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ServeAttachment(w, a)
}

func (h *Handler) deleteProjectAttachment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	p, err := h.editableProject(r)
	if err == nil {
		err = h.readBody(w, r, &in)
	}
	var a *domain.Attachment
	if err == nil {
		a, err = h.attachmentOfProject(r, p)
	}
	if err == nil {
		a, err = h.store.DeleteAttachment(r.Context(), request.Actor(r), a.ID, in.Reason)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, attachmentOut(a))
}
