package web

import (
	"net/http"
	"strconv"
	"strings"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// The investor tag list: coordinators add tags, rename them (the projects' tags follow),
// reorder them and retire or restore them.

// tagRowForm is one tag as typed, kept when the save is refused.
type tagRowForm struct {
	Name, SortOrder, Version string
	Retired                  bool
	Problems                 map[string]string
	Conflict                 bool
}

// tagPage is the tag list with the forms' state: the failed row (by tag id, 0 for the
// new tag) shows what was typed and why it was refused.
type tagPage struct {
	Tags   []domain.ProjectTag
	Forms  map[int64]tagRowForm
	NewTag tagRowForm
	Failed int64
}

func (h *Handler) projectTags(w http.ResponseWriter, r *http.Request) {
	h.renderProjectTags(w, r, 0, -1, tagRowForm{}, nil)
}

// renderProjectTags shows the list; failed is the id of the row to show as typed (0 the
// new tag, -1 none).
func (h *Handler) renderProjectTags(w http.ResponseWriter, r *http.Request, status int, failed int64, typed tagRowForm, err error) {
	tags, lerr := h.Store.ProjectTags(r.Context())
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	d := tagPage{Tags: tags, Forms: map[int64]tagRowForm{}, Failed: failed}
	for _, t := range tags {
		d.Forms[t.ID] = tagRowForm{Name: t.Name, SortOrder: strconv.Itoa(t.SortOrder), Version: strconv.FormatInt(t.Version, 10), Retired: t.Retired}
	}
	if err != nil {
		typed.Problems, typed.Conflict = domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT
		if typed.Problems == nil && !typed.Conflict {
			typed.Problems = map[string]string{"name": domain.ErrorMessage(err)}
		}
	}
	if failed == 0 {
		d.NewTag = typed
	} else if failed > 0 {
		d.Forms[failed] = typed
	}
	h.render(w, r, status, "project_tags", view{Title: "项目标签", Nav: "projects", Data: struct {
		Nav analysisNav
		tagPage
	}{h.analysisNav(r, "tags"), d}})
}

// readTagForm reads a tag row as typed.
func readTagForm(r *http.Request) (tagRowForm, *domain.ProjectTag, domain.Problems) {
	f := tagRowForm{Name: r.PostFormValue("name"), SortOrder: strings.TrimSpace(r.PostFormValue("sort_order")),
		Version: r.PostFormValue("version"), Retired: r.PostFormValue("retired") == "1"}
	p := domain.Problems{}
	t := &domain.ProjectTag{Name: f.Name, Retired: f.Retired}
	t.SortOrder = int(formInt(r, "sort_order", "排序号", p))
	t.Version = formInt(r, "version", "版本", p)
	return f, t, p
}

func (h *Handler) createProjectTag(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f, t, p := readTagForm(r)
	err := p.Err()
	if err == nil {
		err = h.Store.CreateProjectTag(r.Context(), request.Actor(r), t)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderProjectTags(w, r, status, 0, f, err) },
		"/projects/tags", "已添加标签“"+t.Name+"”。")
}

func (h *Handler) updateProjectTag(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	f, t, p := readTagForm(r)
	t.ID = id
	err := p.Err()
	if err == nil {
		err = h.Store.UpdateProjectTag(r.Context(), request.Actor(r), t)
	}
	msg := "已保存标签“" + t.Name + "”。"
	if t.Retired {
		msg = "已保存标签“" + t.Name + "”（已停用：不再供新项目选择，原有项目保留）。"
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderProjectTags(w, r, status, id, f, err) }, "/projects/tags", msg)
}
