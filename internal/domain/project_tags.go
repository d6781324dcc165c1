package domain

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// ProjectTag is one investor tag of the configurable list (世界500强, 上市公司, …).
// Projects carry tags by name: renaming a tag renames it on every project; retiring it
// stops offering it to new records, while the projects that carry it keep it.
type ProjectTag struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Retired   bool   `json:"retired"`
	SortOrder int    `json:"sort_order"`
	Version   int64  `json:"version"`
	Projects  int    `json:"projects"` // how many projects carry it
}

// tagSeparators split several tags typed in one cell or field; a tag's name may not
// contain them.
const tagSeparators = "、,，;；/ "

// Validate trims the name and checks it: 1 to 20 characters, no separator.
func (t *ProjectTag) Validate() error {
	t.Name = strings.TrimSpace(t.Name)
	p := Problems{}
	switch {
	case t.Name == "" || utf8.RuneCountInString(t.Name) > 20:
		p.Add("name", "请填写标签名称（不超过20个字）。")
	case strings.ContainsAny(t.Name, tagSeparators):
		p.Add("name", "标签名称不能含有空格或“、，；/”等分隔符号。")
	}
	if t.SortOrder < 0 || t.SortOrder > 9999 {
		p.Add("sort_order", "排序号应在0到9999之间。")
	}
	return p.Err()
}

// SplitTags splits tags typed in one text (separated by 、 , ； / or spaces), trimmed and
// without repeats, in the order typed.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(tagSeparators, r) }) {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// TagNames are the names of the tags, active ones only unless withRetired.
func TagNames(tags []ProjectTag, withRetired bool) []string {
	var out []string
	for _, t := range tags {
		if withRetired || !t.Retired {
			out = append(out, t.Name)
		}
	}
	return out
}

// CheckProjectTags refuses a tag that is not in the list, and a retired one unless the
// project already carried it (kept is the project's tags before the change).
func CheckProjectTags(tags []string, list []ProjectTag, kept []string) error {
	for _, name := range tags {
		i := -1
		for j := range list {
			if list[j].Name == name {
				i = j
			}
		}
		switch {
		case i < 0:
			return Problems{"tags": "标签“" + name + "”不在标签列表中。"}.Err()
		case list[i].Retired && !slices.Contains(kept, name):
			return Problems{"tags": "标签“" + name + "”已停用，不能再添加到项目。"}.Err()
		}
	}
	return nil
}
