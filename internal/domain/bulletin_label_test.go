package domain

import "testing"

func TestPublishedBulletinLabel(t *testing.T) {
	for _, c := range []struct {
		b    PublishedBulletin
		want string
	}{
		{PublishedBulletin{Year: 2026, Month: 10, Issue: 3, Version: 2, Scope: "all"}, "2026年10月 第3期 第2版（全部考核单位）"},
		{PublishedBulletin{Year: 2026, Month: 1, Issue: 1, Version: 1, Scope: "county"}, "2026年1月 第1期 第1版（县（市、区））"},
		{PublishedBulletin{Year: 2026, Month: 9, Issue: 2, Version: 1, Scope: "park"}, "2026年9月 第2期 第1版（园区）"},
		{PublishedBulletin{Year: 2026, Month: 9, Issue: 2, Version: 1, Scope: "bogus"}, "2026年9月 第2期 第1版（全部考核单位）"},
	} {
		if got := c.b.Label(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.b, got, c.want)
		}
	}
}
