package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Notification is a message in one user's inbox (站内通知). Features write them inside
// their own transactions: an assignment, a deadline drawing near, a service day.
type Notification struct {
	ID     int64
	UserID int64
	// Kind groups messages for filtering and icons, e.g. service_day.
	Kind  string
	Title string
	Body  string
	// Link is a path inside the application ("/calendar?year=2026"), or empty.
	Link string
	// Dedupe, when set, makes the message once-only per user: a second Notify with the same
	// key is skipped, so a job that runs again after a crash or on another instance does
	// not repeat itself.
	Dedupe    string
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// NotificationKindServiceDay is the reminder of a coming enterprise service day.
const NotificationKindServiceDay = "service_day"

// Validate checks what a feature is about to send; these are programming errors more than
// user input, but a bad link must never reach a page.
func (n *Notification) Validate() error {
	p := Problems{}
	n.Title, n.Body, n.Link = strings.TrimSpace(n.Title), strings.TrimSpace(n.Body), strings.TrimSpace(n.Link)
	switch {
	case n.UserID <= 0:
		p.Add("user_id", "通知缺少接收人。")
	case n.Kind == "" || len(n.Kind) > 40:
		p.Add("kind", "通知类型无效。")
	case n.Title == "" || utf8.RuneCountInString(n.Title) > 100:
		p.Add("title", "通知标题不能为空，且不超过100个字。")
	case utf8.RuneCountInString(n.Body) > 2000:
		p.Add("body", "通知内容不超过2000个字。")
	case n.Link != "" && (!strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//")):
		// Only paths of this site: a message must not lead a user elsewhere.
		p.Add("link", "通知链接应为本系统内的路径。")
	}
	return p.Err()
}

// Unread reports whether the user has not read the message yet.
func (n *Notification) Unread() bool { return n.ReadAt.IsZero() }
