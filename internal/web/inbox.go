package web

import (
	"fmt"
	"net/http"

	"beizeng/internal/domain"
	"beizeng/internal/request"
)

// The inbox (站内通知): the signed-in user's own messages, newest first. Nobody reads or
// marks anyone else's: every query names the user of the request.

const inboxPageSize = 30

func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, inboxPageSize)
	unreadOnly := r.URL.Query().Get("unread") == "1"
	list, total, err := h.Store.FindNotifications(r.Context(), request.User(r).ID,
		domain.NotificationFilter{UnreadOnly: unreadOnly, Offset: pg.Offset(), Limit: pg.Size})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	h.render(w, r, 0, "inbox", view{Title: "通知", Nav: "inbox", Data: struct {
		Items      []*domain.Notification
		Page       page
		UnreadOnly bool
	}{list, pg, unreadOnly}})
}

// readNotification marks one message read and follows its link, or returns to the inbox.
func (h *Handler) readNotification(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	n, err := h.Store.MarkNotificationRead(r.Context(), request.Actor(r), id)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	to := "/inbox"
	if r.PostFormValue("follow") == "1" && n.Link != "" {
		to = n.Link // the message's own link, checked to be a path of this site when sent
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handler) readAllNotifications(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	n, err := h.Store.MarkAllNotificationsRead(r.Context(), request.Actor(r))
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.redirect(w, r, "/inbox", fmt.Sprintf("已将 %d 条通知标为已读。", n))
}
