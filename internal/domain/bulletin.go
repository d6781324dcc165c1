package domain

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// PublishedBulletin is one published version of a period's dispatch bulletin: a frozen
// snapshot of its figures and text. Corrections are new versions; nothing is updated.
type PublishedBulletin struct {
	ID          int64     `json:"id"`
	Year        int       `json:"year"`
	Month       int       `json:"month"`
	Scope       string    `json:"scope"`
	Version     int       `json:"version"`
	Issue       int       `json:"issue"` // 第N期 in its year and scope
	Content     []byte    `json:"-"`     // the bulletin as published, JSON
	ContentHash string    `json:"content_hash"`
	Note        string    `json:"note"`
	PublishedBy string    `json:"published_by"`
	PublishedAt time.Time `json:"published_at"`
}

// Label names the version wherever one is chosen or cited, e.g. on a meeting:
// "2026年10月 第3期 第2版（全部考核单位）".
func (b *PublishedBulletin) Label() string {
	return fmt.Sprintf("%d年%d月 第%d期 第%d版（%s）", b.Year, b.Month, b.Issue, b.Version, ScopeLabel(b.Scope))
}

// ScopeLabel names a scope as Scopes does; unknown scopes are "all".
func ScopeLabel(scope string) string {
	for _, s := range Scopes {
		if s.Key == scope {
			return s.Label
		}
	}
	return Scopes[0].Label
}

// BulletinPublication asks to publish a period's bulletin. After is the latest version
// the publisher saw (0 for none): publishing over a version someone else published in
// between is a conflict, not a silent correction.
type BulletinPublication struct {
	Year, Month int
	Scope       string
	Content     []byte
	Note        string
	After       int
}

// MaxBulletinNote bounds a publication's note or correction reason, in characters.
const MaxBulletinNote = 500

// Validate checks the period, the scope and the note; a correction (a version after the
// first) must say why.
func (p *BulletinPublication) Validate(version int) error {
	p.Note = strings.TrimSpace(p.Note)
	probs := Problems{}
	if !ValidPeriod(p.Year, p.Month) {
		probs.Add("period", "期间无效。")
	}
	if p.Scope != "all" && p.Scope != string(UnitCounty) && p.Scope != string(UnitPark) {
		probs.Add("scope", "范围无效。")
	}
	if p.After < 0 {
		probs.Add("after", "版本号无效。")
	}
	switch {
	case utf8.RuneCountInString(p.Note) > MaxBulletinNote:
		probs.Add("note", "说明不能超过500字。")
	case version > 1 && p.Note == "":
		probs.Add("note", "更正发布须填写更正原因。")
	}
	return probs.Err()
}

// BulletinSettings shape the bulletin; cities configure them (DOMAIN.md defaults).
type BulletinSettings struct {
	// Title heads the bulletin; empty means the city's name + 工业倍增暨招商引资工作调度通报.
	Title string `json:"title,omitempty"`
	// CohortID is the cohort whose rates the bulletin shows; 0 means the newest.
	CohortID int64 `json:"cohort_id"`
	// WarningCap is how many lagging projects the bulletin lists; the rest are counted.
	WarningCap int `json:"warning_cap"`
}

// DefaultBulletinSettings: the newest cohort, twenty lagging projects.
var DefaultBulletinSettings = BulletinSettings{WarningCap: 20}

// Validate checks the title and the cap, trimming the title.
func (s *BulletinSettings) Validate() error {
	s.Title = strings.TrimSpace(s.Title)
	probs := Problems{}
	if utf8.RuneCountInString(s.Title) > 60 {
		probs.Add("title", "通报标题不能超过60字。")
	}
	if s.CohortID < 0 {
		probs.Add("cohort_id", "批次无效。")
	}
	if s.WarningCap < 1 || s.WarningCap > 500 {
		probs.Add("warning_cap", "列出的预警项目数应为1至500之间的整数。")
	}
	return probs.Err()
}
