package web

import (
	"net/http"
	"strings"

	"beizeng/internal/domain"
	"beizeng/internal/xlsx"
)

// exportBatch is how many records an export reads at a time: a long list is written
// whole, without one unbounded query.
const exportBatch = 500

// eachBatch reads a filtered list batch by batch (read gets the offset and the limit)
// and hands every batch to add, until a short batch says the list is done.
func eachBatch[T any](read func(offset, limit int) ([]T, error), add func([]T) error) error {
	for offset := 0; ; offset += exportBatch {
		list, err := read(offset, exportBatch)
		if err == nil {
			err = add(list)
		}
		if err != nil {
			return err
		}
		if len(list) < exportBatch {
			return nil
		}
	}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// exportUnits writes exactly the filtered list.
func (h *Handler) exportUnits(w http.ResponseWriter, r *http.Request) {
	f := unitFilterOf(r)
	f.Limit = 500
	units, _, err := h.Store.FindUnits(r.Context(), f)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	names, err := h.unitNames(r)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	t := xlsx.Table{Sheet: "单位", Title: "单位名录",
		Headers: []string{"编码", "名称", "类型", "上级单位", "参与考核", "排序", "启用", "联系人", "联系电话"},
		Widths:  []float64{12, 24, 14, 20, 10, 8, 8, 12, 16}}
	for _, u := range units {
		t.Rows = append(t.Rows, []any{u.Code, u.Name, u.Kind.Label(), names[u.ParentID], yesNo(u.Assessed), u.SortOrder,
			yesNo(u.Active), u.ContactPerson, u.ContactPhone})
	}
	writeXLSX(w, "units.xlsx", t, h)
}

func (h *Handler) exportUsers(w http.ResponseWriter, r *http.Request) {
	f := userFilterOf(r)
	t := xlsx.Table{Sheet: "用户", Title: "用户名单",
		Headers: []string{"用户名", "姓名", "所属单位", "角色", "状态", "最近登录"},
		Widths:  []float64{16, 12, 24, 30, 8, 18}}
	err := eachBatch(func(offset, limit int) ([]*domain.User, error) {
		f.Offset, f.Limit = offset, limit
		users, _, err := h.Store.FindUsers(r.Context(), f)
		return users, err
	}, func(users []*domain.User) error {
		for _, u := range users {
			labels := make([]string, len(u.Roles))
			for i, role := range u.Roles {
				labels[i] = role.Label()
			}
			status := "正常"
			if u.Disabled {
				status = "已停用"
			}
			last := ""
			if !u.LastLoginAt.IsZero() {
				last = u.LastLoginAt.In(chinaTime).Format("2006-01-02 15:04")
			}
			t.Rows = append(t.Rows, []any{u.Username, u.DisplayName, u.UnitName, strings.Join(labels, "、"), status, last})
		}
		return nil
	})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	writeXLSX(w, "users.xlsx", t, h)
}
