package domain

// NotificationFilter selects a page of one user's inbox, newest first.
type NotificationFilter struct {
	UnreadOnly bool
	Offset     int
	Limit      int
}
