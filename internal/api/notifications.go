package api

import (
	"net/http"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

type notificationJSON struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func notificationOut(n *domain.Notification) notificationJSON {
	out := notificationJSON{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt}
	if !n.Unread() {
		out.ReadAt = &n.ReadAt
	}
	return out
}

// listNotifications pages the caller's own inbox, newest first; ?unread=true for the
// unread only.
func (h *Handler) listNotifications(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "unread", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	unread, err := q.boolean("unread")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	offset, limit, err := q.page()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.NotificationFilter{UnreadOnly: unread != nil && *unread, Offset: offset, Limit: limit}
	list, total, err := h.store.FindNotifications(r.Context(), request.User(r).ID, f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[notificationJSON]{Items: []notificationJSON{}, Total: total, Offset: offset, Limit: limit}
	for _, n := range list {
		out.Items = append(out.Items, notificationOut(n))
	}
	writeJSON(w, http.StatusOK, out)
}

// readNotification marks one of the caller's messages read; another user's is not found.
func (h *Handler) readNotification(w http.ResponseWriter, r *http.Request) {
	if _, err := parseQuery(r); err != nil {
		h.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	n, err := h.store.MarkNotificationRead(r.Context(), request.Actor(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, notificationOut(n))
}
