package web

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/xlsx"
)

// XLSX imports: the upload, the page that lists a refused file's problems, and the
// annotated copy of the file offered for download from that page.

// upload is a posted import form: the file and the small fields beside it.
type upload struct {
	Name   string // the file's name as the browser sent it
	Data   []byte
	Fields url.Values
}

// readUpload reads a multipart import form of at most xlsx.MaxImportSize for the file
// (field "file") and a few small text fields, streaming: the file is read once into
// memory, nothing is spooled to disk.
func readUpload(w http.ResponseWriter, r *http.Request) (*upload, error) {
	const fieldLimit = 4 << 10
	r.Body = http.MaxBytesReader(w, r.Body, xlsx.MaxImportSize+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "请选择要导入的 Excel 文件（.xlsx）后再提交。")
	}
	tooLarge := domain.Errorf(domain.EINVALID, "文件超过%dMB，不能导入。请删除不需要的工作表或行后再试。", xlsx.MaxImportSize>>20)
	up := &upload{Fields: url.Values{}}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return nil, tooLarge
			}
			return nil, domain.Errorf(domain.EINVALID, "上传没有完成或内容无法读取，请重新选择文件上传。")
		}
		name := part.FormName()
		if name == "file" && up.Data == nil {
			if fn := part.FileName(); fn != "" {
				up.Name = path.Base(strings.ReplaceAll(fn, `\`, "/"))
			}
			up.Data, err = io.ReadAll(io.LimitReader(part, xlsx.MaxImportSize+1))
			if len(up.Data) > xlsx.MaxImportSize {
				return nil, tooLarge
			}
		} else {
			var v []byte
			v, err = io.ReadAll(io.LimitReader(part, fieldLimit))
			up.Fields.Add(name, string(v))
		}
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return nil, tooLarge
			}
			return nil, domain.Errorf(domain.EINVALID, "上传没有完成或内容无法读取，请重新选择文件上传。")
		}
	}
	switch {
	case len(up.Data) == 0 && up.Name == "": // no file chosen: browsers send an empty part
		return nil, domain.Errorf(domain.EINVALID, "请选择要导入的 Excel 文件（.xlsx）后再提交。")
	case len(up.Data) == 0:
		return nil, domain.Errorf(domain.EINVALID, "上传的文件“%s”是空的。", up.Name)
	}
	return up, nil
}

// importStash keeps the annotated copies of refused files for a short while, each under
// a random token bound to the user who uploaded it. It lives in this process: behind a
// load balancer the download must reach the instance that refused the file (sticky
// sessions), or the user uploads again.
type importStash struct {
	mu      sync.Mutex
	entries map[string]*stashed
}

type stashed struct {
	userID   int64
	scope    string // the import it came from: its form's action
	filename string
	data     []byte
	expires  time.Time
}

const (
	stashTTL      = 10 * time.Minute
	stashEntries  = 20
	stashMaxBytes = 128 << 20
)

func newImportStash() *importStash { return &importStash{entries: map[string]*stashed{}} }

// put keeps a file and returns its token; the oldest entries make room when full.
func (s *importStash) put(now time.Time, e *stashed) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	e.expires = now.Add(stashTTL)
	total := len(e.data)
	for tok, old := range s.entries {
		if !now.Before(old.expires) {
			delete(s.entries, tok)
			continue
		}
		total += len(old.data)
	}
	for len(s.entries) > 0 && (len(s.entries) >= stashEntries || total > stashMaxBytes) {
		var oldest string
		for tok, old := range s.entries {
			if oldest == "" || old.expires.Before(s.entries[oldest].expires) {
				oldest = tok
			}
		}
		total -= len(s.entries[oldest].data)
		delete(s.entries, oldest)
	}
	tok := rand.Text()
	s.entries[tok] = e
	return tok
}

// get finds a file by token for the same user and page; anyone else finds nothing.
func (s *importStash) get(now time.Time, token string, userID int64, scope string) (*stashed, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[token]
	if !ok || e.userID != userID || e.scope != scope {
		return nil, false
	}
	if !now.Before(e.expires) {
		delete(s.entries, token)
		return nil, false
	}
	return e, true
}

// hiddenField is a field the re-upload form carries over.
type hiddenField struct{ Name, Value string }

// importPage is the result page of a refused import.
type importPage struct {
	What          string // "目标" or "月报", in headings
	Back          string // the page the import belongs to
	BackLabel     string
	Template      string // the template's URL
	Action        string // where the form posts a corrected file
	Hidden        []hiddenField
	FileName      string
	Message       string // a refusal that is not about cells
	Errors        []xlsx.CellError
	More          int // errors beyond those listed
	Total         int
	Download      string // the annotated file, when there is one
	AskReason     bool
	Reason        string
	ReasonProblem string
}

// shownErrors bounds the list on the page; the annotated file holds every one.
const shownErrors = 200

// refuseImport answers a refused import with its page: the problems, the annotated file
// when the problems are in cells, and a form for the corrected file. sheet and headerRow
// place the annotations; errs may be empty when err says what is wrong.
func (h *Handler) refuseImport(w http.ResponseWriter, r *http.Request, p importPage, up *upload, sheet string, headerRow int, errs []xlsx.CellError, err error) {
	if err != nil && domain.ErrorCode(err) != domain.EINVALID && domain.ErrorCode(err) != domain.ECONFLICT {
		h.Error(w, r, err)
		return
	}
	if err != nil {
		p.Message = domain.ErrorMessage(err)
		if domain.ErrorCode(err) == domain.ECONFLICT {
			p.Message = "数据已被他人修改。请返回页面查看最新内容后重新导入。"
		}
		if msg := domain.ErrorFields(err)["reason"]; msg != "" {
			p.AskReason, p.ReasonProblem = true, msg
		}
	}
	p.Total = len(errs)
	p.Errors = errs
	if len(errs) > shownErrors {
		p.Errors, p.More = errs[:shownErrors], len(errs)-shownErrors
	}
	if up != nil {
		p.FileName = up.Name
	}
	if up != nil && anyInRow(errs) {
		annotated, aerr := xlsx.Annotate(up.Data, sheet, headerRow, errs)
		if aerr != nil {
			h.Log.Warn("annotate import", "file", up.Name, "err", aerr)
		} else {
			tok := h.imports.put(h.Store.Now(), &stashed{userID: request.User(r).ID, scope: p.Action,
				filename: annotatedName(up.Name), data: annotated})
			p.Download = p.Action + "/errors/" + tok
		}
	}
	status := http.StatusUnprocessableEntity
	if domain.ErrorCode(err) == domain.ECONFLICT {
		status = http.StatusConflict
	}
	h.render(w, r, status, "import", view{Title: p.What + "导入未完成", Nav: navOf(p.What), Data: p})
}

func navOf(what string) string {
	if what == "目标" {
		return "targets"
	}
	if what == "项目" {
		return "projects"
	}
	if what == "节假日" {
		return "calendar"
	}
	return "reports"
}

func anyInRow(errs []xlsx.CellError) bool {
	for _, e := range errs {
		if e.Row > 0 {
			return true
		}
	}
	return false
}

// annotatedName is the download's name: the upload's, marked.
func annotatedName(name string) string {
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "" || base == "." || base == "/" {
		base = "导入文件"
	}
	return base + "-错误说明.xlsx"
}

// sendStashed answers a download of an annotated file; a token of another user, another
// page, or one expired is not found.
func (h *Handler) sendStashed(w http.ResponseWriter, r *http.Request, scope string) {
	e, ok := h.imports.get(h.Store.Now(), r.PathValue("token"), request.User(r).ID, scope)
	if !ok {
		h.Error(w, r, domain.Errorf(domain.ENOTFOUND, "标注了错误的文件不存在或已过期（保留10分钟）。请重新导入以生成新的文件。"))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.filename}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(e.data)
}

// sendTemplate answers an import template download; write fills it.
func (h *Handler) sendTemplate(w http.ResponseWriter, r *http.Request, filename string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		h.Error(w, r, fmt.Errorf("template %s: %w", filename, err))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
