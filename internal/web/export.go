package web

import (
	"net/http"
	"strings"

	"beizeng/internal/xlsx"
)

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
	const batch = 500
	for f.Offset, f.Limit = 0, batch; ; f.Offset += batch {
		users, _, err := h.Store.FindUsers(r.Context(), f)
		if err != nil {
			h.Error(w, r, err)
			return
		}
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
		if len(users) < batch {
			break
		}
	}
	writeXLSX(w, "users.xlsx", t, h)
}
