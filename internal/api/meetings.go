package api

import (
	"net/http"
	"strconv"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// meetingJSON is a dispatch meeting as the API shows it; bulletin_id is null when the
// meeting reviewed no published bulletin. Items are the ones the caller may read.
type meetingJSON struct {
	ID         int64              `json:"id"`
	HeldOn     string             `json:"held_on"`
	Kind       domain.MeetingKind `json:"kind"`
	Year       int                `json:"year"`
	Month      int                `json:"month"`
	Title      string             `json:"title"`
	Attendees  string             `json:"attendees"`
	Decisions  string             `json:"decisions"`
	BulletinID *int64             `json:"bulletin_id"`
	Version    int64              `json:"version"`
	CreatedAt  time.Time          `json:"created_at"`
	UpdatedAt  time.Time          `json:"updated_at"`
	ItemCount  *int               `json:"item_count,omitempty"`
	Pending    *int               `json:"pending_count,omitempty"`
	Items      *[]actionItemJSON  `json:"items,omitempty"` // a single meeting's, even when none
}

func meetingOut(m *domain.Meeting) meetingJSON {
	j := meetingJSON{ID: m.ID, HeldOn: m.HeldOn, Kind: m.Kind, Year: m.Year, Month: m.Month, Title: m.Title,
		Attendees: m.Attendees, Decisions: m.Decisions, Version: m.Version, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
	if m.BulletinID != 0 {
		j.BulletinID = &m.BulletinID
	}
	return j
}

// actionItemJSON is an action item; days_overdue is counted on today's date in China.
type actionItemJSON struct {
	ID            int64               `json:"id"`
	MeetingID     int64               `json:"meeting_id"`
	MeetingTitle  string              `json:"meeting_title"`
	Text          string              `json:"text"`
	OwnerUnitID   int64               `json:"owner_unit_id"`
	OwnerUnitName string              `json:"owner_unit_name"`
	Deadline      string              `json:"deadline"`
	Status        domain.ActionStatus `json:"status"`
	StatusLabel   string              `json:"status_label"`
	DaysOverdue   int                 `json:"days_overdue"`
	Reply         string              `json:"reply"`
	RepliedBy     string              `json:"replied_by"`
	RepliedAt     *time.Time          `json:"replied_at"`
	ClosedBy      string              `json:"closed_by"`
	ClosedAt      *time.Time          `json:"closed_at"`
	Version       int64               `json:"version"`
	CreatedAt     time.Time           `json:"created_at"`
	UpdatedAt     time.Time           `json:"updated_at"`
}

// overdueClock is what days_overdue is counted with: today and the city's rules.
type overdueClock struct {
	now   time.Time
	rules domain.ActionRules
}

func (h *Handler) overdueClock(r *http.Request) (overdueClock, error) {
	rules, err := h.store.ActionRules(r.Context())
	return overdueClock{h.store.Now(), rules}, err
}

func (c overdueClock) out(a *domain.ActionItem) actionItemJSON {
	return actionItemOut(a, c.now, c.rules)
}

// writeActionItem answers one item.
func (h *Handler) writeActionItem(w http.ResponseWriter, r *http.Request, status int, a *domain.ActionItem) {
	clock, err := h.overdueClock(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, status, clock.out(a))
}

func actionItemOut(a *domain.ActionItem, now time.Time, rules domain.ActionRules) actionItemJSON {
	j := actionItemJSON{ID: a.ID, MeetingID: a.MeetingID, MeetingTitle: a.MeetingTitle, Text: a.Text, OwnerUnitID: a.OwnerUnitID,
		OwnerUnitName: a.OwnerUnitName, Deadline: a.Deadline, Status: a.Status, StatusLabel: a.Status.Label(),
		DaysOverdue: a.DaysOverdue(now, rules), Reply: a.Reply, RepliedBy: a.RepliedBy, ClosedBy: a.ClosedBy, Version: a.Version,
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if !a.RepliedAt.IsZero() {
		j.RepliedAt = &a.RepliedAt
	}
	if !a.ClosedAt.IsZero() {
		j.ClosedAt = &a.ClosedAt
	}
	return j
}

// actionScope is the owner unit the caller's view of items is limited to: 0 for those
// who read every unit's (coordinators, leaders), else their own unit.
func actionScope(u *domain.User) int64 {
	if auth.Can(u, auth.ReadActionItems, 0) {
		return 0
	}
	return u.UnitID
}

func (h *Handler) listMeetings(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "year", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	year := 0
	if s := q.str("year"); s != "" {
		if year, err = strconv.Atoi(s); err != nil || !domain.ValidYear(year) {
			h.fail(w, r, badRequest("查询参数 year 应为 2000 至 2100 之间的年份，收到 %q。", s))
			return
		}
	}
	offset, limit, err := q.page()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rows, total, err := h.store.FindMeetings(r.Context(), year, offset, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[meetingJSON]{Items: make([]meetingJSON, 0, len(rows)), Total: total, Offset: offset, Limit: limit}
	for _, row := range rows {
		j := meetingOut(row.Meeting)
		j.ItemCount, j.Pending = &row.Items, &row.Pending
		out.Items = append(out.Items, j)
	}
	writeJSON(w, http.StatusOK, out)
}

// getMeeting answers the meeting with the items the caller may read.
func (h *Handler) getMeeting(w http.ResponseWriter, r *http.Request) {
	m, err := byPathID(r, h.store.FindMeetingByID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	items, _, err := h.store.FindActionItems(r.Context(), domain.ActionItemFilter{MeetingID: m.ID,
		OwnerUnitID: actionScope(request.User(r)), Limit: maxLimit})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	j := meetingOut(m)
	clock, err := h.overdueClock(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	list := make([]actionItemJSON, 0, len(items))
	for _, a := range items {
		list = append(list, clock.out(a))
	}
	j.Items = &list
	writeJSON(w, http.StatusOK, j)
}

// meetingBody is the body of POST /meetings and PUT /meetings/{id}; a PUT keeps what it
// leaves out. bulletin_id is a published version's id, or null to unlink it.
type meetingBody struct {
	HeldOn     optional[string]             `json:"held_on"`
	Kind       optional[domain.MeetingKind] `json:"kind"`
	Year       optional[int]                `json:"year"`
	Month      optional[int]                `json:"month"`
	Title      optional[string]             `json:"title"`
	Attendees  optional[string]             `json:"attendees"`
	Decisions  optional[string]             `json:"decisions"`
	BulletinID optional[int64]              `json:"bulletin_id"`
	Version    optional[int64]              `json:"version"`
}

func (b meetingBody) applyTo(p domain.Problems, m *domain.Meeting) {
	apply(p, "held_on", b.HeldOn, &m.HeldOn)
	apply(p, "kind", b.Kind, &m.Kind)
	apply(p, "year", b.Year, &m.Year)
	apply(p, "month", b.Month, &m.Month)
	apply(p, "title", b.Title, &m.Title)
	apply(p, "attendees", b.Attendees, &m.Attendees)
	apply(p, "decisions", b.Decisions, &m.Decisions)
	// Unlike the other fields, null is meaningful here: the meeting reviewed no bulletin.
	switch {
	case b.BulletinID.Null:
		m.BulletinID = 0
	case b.BulletinID.Set && b.BulletinID.V <= 0:
		p.Add("bulletin_id", "bulletin_id 应为已发布通报的编号（正整数），或 null 表示未关联。")
	case b.BulletinID.Set:
		m.BulletinID = b.BulletinID.V
	}
}

func meetingLocation(id int64) string { return Prefix + "/meetings/" + strconv.FormatInt(id, 10) }

func (h *Handler) createMeeting(w http.ResponseWriter, r *http.Request) {
	var in meetingBody
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	m := &domain.Meeting{}
	in.applyTo(p, m)
	if in.Version.Set {
		p.Add("version", "新建时不能提供 version。")
	}
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.store.CreateMeeting(r.Context(), request.Actor(r), m); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", meetingLocation(m.ID))
	writeJSON(w, http.StatusCreated, meetingOut(m))
}

func (h *Handler) updateMeeting(w http.ResponseWriter, r *http.Request) {
	updateByPathID(h, w, r, h.store.FindMeetingByID, func(p domain.Problems, m *domain.Meeting, in *meetingBody) {
		m.Version = requireVersion(p, in.Version)
		in.applyTo(p, m)
	}, h.store.UpdateMeeting, func(m *domain.Meeting) { writeJSON(w, http.StatusOK, meetingOut(m)) })
}

// listActionItems lists items with filters; a unit's user gets their own unit's only
// and may not ask for another unit's.
func (h *Handler) listActionItems(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r, "meeting_id", "unit_id", "status", "overdue", "offset", "limit")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	clock, err := h.overdueClock(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := domain.ActionItemFilter{Status: domain.ActionStatus(q.str("status")), Today: domain.ChinaDate(clock.now)}
	if f.Status != "" && !f.Status.Valid() {
		h.fail(w, r, badRequest("查询参数 status 应为 open、replied、done 或 cancelled，收到 %q。", string(f.Status)))
		return
	}
	if f.MeetingID, err = q.id("meeting_id"); err == nil {
		f.OwnerUnitID, err = q.id("unit_id")
	}
	var overdue *bool
	if err == nil {
		overdue, err = q.boolean("overdue")
	}
	if err == nil {
		f.Offset, f.Limit, err = q.page()
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f.Overdue = overdue != nil && *overdue
	if scope := actionScope(request.User(r)); scope != 0 {
		if f.OwnerUnitID != 0 && f.OwnerUnitID != scope {
			h.fail(w, r, domain.ErrForbidden)
			return
		}
		f.OwnerUnitID = scope
	}
	items, total, err := h.store.FindActionItems(r.Context(), f)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := page[actionItemJSON]{Items: make([]actionItemJSON, 0, len(items)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, a := range items {
		out.Items = append(out.Items, clock.out(a))
	}
	writeJSON(w, http.StatusOK, out)
}

// actionItemFor loads the item {id} names and applies the policy for the action against
// its owner unit, before any body is read.
func (h *Handler) actionItemFor(r *http.Request, a auth.Action) (*domain.ActionItem, error) {
	item, err := byPathID(r, h.store.FindActionItemByID)
	if err != nil {
		return nil, err
	}
	if !auth.Can(request.User(r), a, item.OwnerUnitID) {
		return nil, domain.ErrForbidden
	}
	return item, nil
}

func (h *Handler) getActionItem(w http.ResponseWriter, r *http.Request) {
	item, err := h.actionItemFor(r, auth.ReadActionItems)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeActionItem(w, r, http.StatusOK, item)
}

// actionItemCreate is the body of POST /action-items.
type actionItemCreate struct {
	MeetingID   int64  `json:"meeting_id"`
	Text        string `json:"text"`
	OwnerUnitID int64  `json:"owner_unit_id"`
	Deadline    string `json:"deadline"`
}

func (h *Handler) createActionItem(w http.ResponseWriter, r *http.Request) {
	var in actionItemCreate
	if err := h.readBody(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if in.MeetingID <= 0 {
		h.fail(w, r, &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
			Fields: map[string]string{"meeting_id": "请提供交办事项所属的调度会 meeting_id。"}})
		return
	}
	a := &domain.ActionItem{MeetingID: in.MeetingID, Text: in.Text, OwnerUnitID: in.OwnerUnitID, Deadline: in.Deadline}
	if err := h.store.CreateActionItem(r.Context(), request.Actor(r), a); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			err = &domain.Error{Code: domain.EINVALID, Message: "提交的内容有误，请按提示修改。",
				Fields: map[string]string{"meeting_id": "调度会不存在。"}}
		}
		h.fail(w, r, err)
		return
	}
	created, err := h.store.FindActionItemByID(r.Context(), a.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/action-items/"+strconv.FormatInt(a.ID, 10))
	h.writeActionItem(w, r, http.StatusCreated, created)
}

// actionItemUpdate is the body of PUT /action-items/{id}: fields left out keep their value.
type actionItemUpdate struct {
	Text        optional[string] `json:"text"`
	OwnerUnitID optional[int64]  `json:"owner_unit_id"`
	Deadline    optional[string] `json:"deadline"`
	Version     optional[int64]  `json:"version"`
}

func (h *Handler) updateActionItem(w http.ResponseWriter, r *http.Request) {
	item, err := h.actionItemFor(r, auth.ManageMeetings)
	var in actionItemUpdate
	if err == nil {
		err = decode(w, r, &in)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := domain.Problems{}
	e := store.ActionItemEdit{Text: item.Text, OwnerUnitID: item.OwnerUnitID, Deadline: item.Deadline}
	e.Version = requireVersion(p, in.Version)
	apply(p, "text", in.Text, &e.Text)
	apply(p, "owner_unit_id", in.OwnerUnitID, &e.OwnerUnitID)
	apply(p, "deadline", in.Deadline, &e.Deadline)
	if err := p.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	after, err := h.store.UpdateActionItem(r.Context(), request.Actor(r), item.ID, e)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.writeActionItem(w, r, http.StatusOK, after)
}

// actionChange is the body of the status changes: reply carries the answer, reopen and
// cancel a reason, close nothing but the version.
type actionChange struct {
	Reply   optional[string] `json:"reply"`
	Reason  optional[string] `json:"reason"`
	Version optional[int64]  `json:"version"`
}

// changeActionItem applies a status verb after checking the action against the item's
// owner unit: the owner replies; coordinators close, reopen and cancel.
func (h *Handler) changeActionItem(verb string, action auth.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		item, err := h.actionItemFor(r, action)
		var in actionChange
		if err == nil {
			err = decode(w, r, &in)
		}
		if err != nil {
			h.fail(w, r, err)
			return
		}
		p := domain.Problems{}
		version := requireVersion(p, in.Version)
		var text string
		if verb == domain.ActionVerbReply {
			apply(p, "reply", in.Reply, &text)
			if in.Reason.Set {
				p.Add("reason", "答复请用 reply 字段。")
			}
		} else {
			apply(p, "reason", in.Reason, &text)
			if in.Reply.Set {
				p.Add("reply", "只有责任单位答复时才提供 reply。")
			}
		}
		if err := p.Err(); err != nil {
			h.fail(w, r, err)
			return
		}
		after, err := h.store.ChangeActionItemStatus(r.Context(), request.Actor(r), item.ID, version, verb, text)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.writeActionItem(w, r, http.StatusOK, after)
	}
}
