package web

import (
	"fmt"
	"net/http"
	"strconv"

	"beizeng/internal/api"
	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// Project attachments on the detail page: the list, the upload form and, for editors,
// deletion with a reason. The files live in the database.

// attachmentSection is the attachments part of the project page.
type attachmentSection struct {
	Items   []attachmentLine
	Kinds   []domain.Choice
	Err     string // a refused upload or deletion
	Kind    string // the kind chosen in a refused upload
	MaxMB   int
	Accept  string
	DelID   int64 // the attachment whose deletion was refused
	DelNote string
}

type attachmentLine struct {
	ID                     int64
	Filename, Kind, Size   string
	UploadedBy, UploadedAt string
	Image                  bool
}

// attachmentsOf fills the section for project p, keeping a refused form's message.
func (h *Handler) attachmentsOf(r *http.Request, p *domain.Project, s attachmentSection) (attachmentSection, error) {
	list, err := h.Store.FindAttachments(r.Context(), p.ID)
	if err != nil {
		return s, err
	}
	s.Items = s.Items[:0]
	for _, a := range list {
		s.Items = append(s.Items, attachmentLine{a.ID, a.Filename, domain.AttachmentKindLabel(a.Kind), humanSize(a.Size),
			a.UploadedBy, a.UploadedAt.In(chinaTime).Format("2006-01-02 15:04"), a.IsImage()})
	}
	s.Kinds = nil
	for _, k := range domain.AttachmentKinds {
		s.Kinds = append(s.Kinds, domain.Choice{Value: k, Label: domain.AttachmentKindLabel(k)})
	}
	s.MaxMB = domain.MaxAttachmentSize >> 20
	s.Accept = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
	return s, nil
}

// humanSize shows a byte count as B, KB or MB.
func humanSize(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// attachmentOfProject loads {aid} and checks it belongs to project p.
func (h *Handler) attachmentOfProject(w http.ResponseWriter, r *http.Request, p *domain.Project) (*domain.Attachment, bool) {
	aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || aid <= 0 {
		h.Error(w, r, domain.ErrNotFound("附件"))
		return nil, false
	}
	a, err := h.Store.AttachmentBody(r.Context(), aid)
	if err == nil && a.ProjectID != p.ID {
		err = domain.ErrNotFound("附件")
	}
	if err != nil {
		h.Error(w, r, err)
		return nil, false
	}
	return a, true
}

func (h *Handler) addProjectAttachment(w http.ResponseWriter, r *http.Request) {
	p, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	up, err := api.ReadAttachmentUpload(w, r)
	kind := ""
	if err == nil {
		kind = up.Kind
		_, err = h.Store.AddAttachment(r.Context(), request.Actor(r), p.ID, up.Kind, up.Filename, up.ContentType, up.Body)
	}
	if err != nil {
		h.refusedOnProject(w, r, p, err, func(d *projectPage, msg string) { d.Attachments.Err, d.Attachments.Kind = msg, kind })
		return
	}
	h.redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"#attachments", "已上传附件“"+domain.SanitizeFilename(up.Filename)+"”。")
}

func (h *Handler) projectAttachment(w http.ResponseWriter, r *http.Request) {
	p, ok := byPathID(h, w, r, h.Store.FindProjectByID)
	if !ok {
		return
	}
	a, ok := h.attachmentOfProject(w, r, p)
	if !ok {
		return
	}
	api.ServeAttachment(w, a)
}

func (h *Handler) deleteProjectAttachment(w http.ResponseWriter, r *http.Request) {
	p, ok := h.editableProject(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	a, ok := h.attachmentOfProject(w, r, p)
	if !ok {
		return
	}
	if _, err := h.Store.DeleteAttachment(r.Context(), request.Actor(r), a.ID, r.PostFormValue("reason")); err != nil {
		h.refusedOnProject(w, r, p, err, func(d *projectPage, msg string) { d.Attachments.Err, d.Attachments.DelID = msg, a.ID })
		return
	}
	h.redirect(w, r, "/projects/"+strconv.FormatInt(p.ID, 10)+"#attachments", "已删除附件“"+a.Filename+"”。")
}
