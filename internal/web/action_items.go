package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
	"beizeng/internal/xlsx"
)

// actionRow is an item as a list shows it: with its days overdue on today's date.
type actionRow struct {
	*domain.ActionItem
	DaysOverdue int
}

func (h *Handler) actionRows(r *http.Request, items []*domain.ActionItem) ([]actionRow, error) {
	rules, err := h.Store.ActionRules(r.Context())
	if err != nil {
		return nil, err
	}
	now := h.Store.Now()
	out := make([]actionRow, len(items))
	for i, a := range items {
		out[i] = actionRow{a, a.DaysOverdue(now, rules)}
	}
	return out, nil
}

// actionSummary is what the workbench shows of the items the user may read.
type actionSummary struct {
	Scoped                 bool
	Open, Replied, Overdue int
}

func (h *Handler) actionSummary(r *http.Request) (*actionSummary, error) {
	return h.countActionItems(r.Context(), actionScope(request.User(r)))
}

// countActionItems counts one owner unit's items by state, or every unit's with scope 0.
func (h *Handler) countActionItems(ctx context.Context, scope int64) (*actionSummary, error) {
	s := &actionSummary{Scoped: scope != 0}
	for _, c := range []struct {
		f   domain.ActionItemFilter
		dst *int
	}{
		{domain.ActionItemFilter{Status: domain.ActionOpen}, &s.Open},
		{domain.ActionItemFilter{Status: domain.ActionReplied}, &s.Replied},
		{domain.ActionItemFilter{Overdue: true, Today: domain.ChinaDate(h.Store.Now())}, &s.Overdue},
	} {
		c.f.OwnerUnitID, c.f.Limit = scope, 1
		var err error
		if _, *c.dst, err = h.Store.FindActionItems(ctx, c.f); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// actionFilterOf reads the list's filter. A unit's user sees their own unit's items
// only, whatever the query says; coordinators and leaders choose any unit or all. Bad
// values in a link are ignored rather than refused, like the other lists.
func (h *Handler) actionFilterOf(r *http.Request) domain.ActionItemFilter {
	q := r.URL.Query()
	f := domain.ActionItemFilter{Today: domain.ChinaDate(h.Store.Now()), Overdue: q.Get("overdue") == "1"}
	if s := domain.ActionStatus(q.Get("status")); s.Valid() {
		f.Status = s
	}
	f.MeetingID, _ = strconv.ParseInt(q.Get("meeting_id"), 10, 64)
	f.OwnerUnitID, _ = strconv.ParseInt(q.Get("unit_id"), 10, 64)
	if scope := actionScope(request.User(r)); scope != 0 {
		f.OwnerUnitID = scope
	}
	f.MeetingID, f.OwnerUnitID = max(f.MeetingID, 0), max(f.OwnerUnitID, 0)
	return f
}

// actionItems lists action items with filters; overdue ones are marked with their days.
func (h *Handler) actionItems(w http.ResponseWriter, r *http.Request) {
	h.renderActionItems(w, r, 0, nil, nil)
}

// actionRulesForm is the coordinators' rules form as typed.
type actionRulesForm struct {
	RepliedCountsOverdue bool
	DefaultDeadlineDays  string
	Problems             map[string]string
}

// renderActionItems shows the filtered page of items, and to coordinators the rules
// form: as stored, or as typed when form is given.
func (h *Handler) renderActionItems(w http.ResponseWriter, r *http.Request, status int, form *actionRulesForm, err error) {
	pg := readPage(r, 50)
	f := h.actionFilterOf(r)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	items, total, lerr := h.Store.FindActionItems(r.Context(), f)
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	pg.Total = total
	rows, lerr := h.actionRows(r, items)
	var rules domain.ActionRules
	if lerr == nil {
		rules, lerr = h.Store.ActionRules(r.Context())
	}
	user := request.User(r)
	scoped := actionScope(user) != 0
	var owners []*domain.Unit
	if lerr == nil && !scoped {
		owners, lerr = h.actionOwners(r)
	}
	var meeting *domain.Meeting
	if lerr == nil && f.MeetingID != 0 {
		meeting, lerr = h.Store.FindMeetingByID(r.Context(), f.MeetingID)
	}
	if lerr != nil {
		h.Error(w, r, lerr)
		return
	}
	if form == nil {
		form = &actionRulesForm{RepliedCountsOverdue: rules.RepliedCountsOverdue, DefaultDeadlineDays: strconv.Itoa(rules.DefaultDeadlineDays)}
	}
	form.Problems = domain.ErrorFields(err)
	h.render(w, r, status, "action_items", view{Title: "交办事项", Nav: "actions", Data: struct {
		Rules     domain.ActionRules
		RulesForm *actionRulesForm
		CanManage bool
		Items     []actionRow
		Filter    domain.ActionItemFilter
		Statuses  []domain.ActionStatus
		Owners    []*domain.Unit
		Scoped    bool
		UnitName  string
		Meeting   *domain.Meeting
		Page      page
	}{rules, form, auth.CanAtAll(user, auth.ManageMeetings), rows, f, domain.ActionStatuses, owners, scoped, user.UnitName, meeting, pg}})
}

// saveActionRules stores the coordinators' dispatch rules; a refused form shows the list
// again with the input kept.
func (h *Handler) saveActionRules(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	form := &actionRulesForm{RepliedCountsOverdue: r.PostFormValue("replied_counts_overdue") == "1",
		DefaultDeadlineDays: strings.TrimSpace(r.PostFormValue("default_deadline_days"))}
	p := domain.Problems{}
	rules := domain.ActionRules{RepliedCountsOverdue: form.RepliedCountsOverdue,
		DefaultDeadlineDays: int(formInt(r, "default_deadline_days", "默认办结时限", p))}
	err := p.Err()
	if err == nil {
		err = h.Store.SetActionRules(r.Context(), request.Actor(r), rules)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderActionItems(w, r, status, form, err) },
		"/action-items#rules", "已保存交办事项规则。")
}

// exportActionItems writes exactly the filtered list, every page of it.
func (h *Handler) exportActionItems(w http.ResponseWriter, r *http.Request) {
	f := h.actionFilterOf(r)
	t := xlsx.Table{Sheet: "交办事项", Title: "调度会交办事项（截至" + f.Today + "）",
		Headers: []string{"序号", "会议", "会议日期", "交办事项", "责任单位", "办结时限", "办理状态", "逾期天数", "答复", "答复人", "答复时间", "办结（撤销）人"},
		Widths:  []float64{6, 24, 12, 48, 18, 12, 10, 10, 40, 12, 18, 14}}
	err := eachBatch(func(offset, limit int) ([]*domain.ActionItem, error) {
		f.Offset, f.Limit = offset, limit
		items, _, err := h.Store.FindActionItems(r.Context(), f)
		return items, err
	}, func(items []*domain.ActionItem) error {
		rows, err := h.actionRows(r, items)
		for _, a := range rows {
			over := ""
			if a.DaysOverdue > 0 {
				over = strconv.Itoa(a.DaysOverdue)
			}
			replied := ""
			if !a.RepliedAt.IsZero() {
				replied = a.RepliedAt.In(chinaTime).Format("2006-01-02 15:04")
			}
			t.Rows = append(t.Rows, []any{len(t.Rows) + 1, a.MeetingTitle, a.MeetingHeldOn, a.Text, a.OwnerUnitName, a.Deadline,
				a.Status.Label(), over, a.Reply, a.RepliedBy, replied, a.ClosedBy})
		}
		return err
	})
	if err != nil {
		h.Error(w, r, err)
		return
	}
	writeXLSX(w, "action-items.xlsx", t, h)
}

// actionItemFor loads the item {id} names and applies the record-level policy for the
// action against its owner unit.
func (h *Handler) actionItemFor(r *http.Request, a auth.Action) (*domain.ActionItem, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	item, err := h.Store.FindActionItemByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(request.User(r), a, item.OwnerUnitID) {
		return nil, domain.ErrForbidden
	}
	return item, nil
}

func (h *Handler) actionItem(w http.ResponseWriter, r *http.Request) {
	item, err := h.actionItemFor(r, auth.ReadActionItems)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.renderActionItem(w, r, 0, item, "", nil, nil)
}

// renderActionItem shows an item with its history and the forms the user may use; form
// names the form that was refused, typed what was typed in it.
func (h *Handler) renderActionItem(w http.ResponseWriter, r *http.Request, status int, item *domain.ActionItem, form string, typed url.Values, err error) {
	history, herr := h.Store.FindActionItemHistory(r.Context(), item.ID)
	if herr != nil {
		h.Error(w, r, herr)
		return
	}
	user := request.User(r)
	canManage := auth.Can(user, auth.ManageMeetings, item.OwnerUnitID)
	var owners []*domain.Unit
	if canManage && item.Status.Pending() {
		if owners, herr = h.actionOwners(r); herr != nil {
			h.Error(w, r, herr)
			return
		}
	}
	rows, herr := h.actionRows(r, []*domain.ActionItem{item})
	if herr != nil {
		h.Error(w, r, herr)
		return
	}
	// Every form starts from the record; the refused one shows what was typed in it.
	values := url.Values{"text": {item.Text}, "deadline": {item.Deadline}, "owner_unit_id": {strconv.FormatInt(item.OwnerUnitID, 10)},
		"reply": {item.Reply}}
	for k, v := range typed {
		values[k] = v
	}
	v := view{Title: "交办事项", Nav: "actions", Data: struct {
		Item      actionRow
		History   []domain.ActionItemEvent
		CanReply  bool
		CanManage bool
		Owners    []*domain.Unit
		Form      string
		Typed     url.Values
		Problems  map[string]string
		Conflict  bool
	}{rows[0], history, auth.Can(user, auth.ReplyActionItem, item.OwnerUnitID) && item.Status.Pending(),
		canManage, owners, form, values, domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT}}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "action_item", v)
}

func actionItemURL(id int64) string { return "/action-items/" + strconv.FormatInt(id, 10) }

// updateActionItem lets a coordinator change a pending item's text, owner or deadline.
func (h *Handler) updateActionItem(w http.ResponseWriter, r *http.Request) {
	item, err := h.actionItemFor(r, auth.ManageMeetings)
	if err == nil {
		err = parseForm(w, r)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	p := domain.Problems{}
	e := store.ActionItemEdit{Text: r.PostFormValue("text"), Deadline: strings.TrimSpace(r.PostFormValue("deadline")),
		OwnerUnitID: formInt(r, "owner_unit_id", "责任单位", p), Version: formInt(r, "version", "版本", p)}
	err = p.Err()
	if err == nil {
		_, err = h.Store.UpdateActionItem(r.Context(), request.Actor(r), item.ID, e)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderActionItem(w, r, status, item, "edit", r.PostForm, err) },
		actionItemURL(item.ID), "已修改交办事项。")
}

// changeActionItem applies a status verb: the owner unit replies; a coordinator closes,
// reopens or cancels. Each checks the policy against the item's owner unit.
func (h *Handler) changeActionItem(verb string, action auth.Action, okMsg string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		item, err := h.actionItemFor(r, action)
		if err == nil {
			err = parseForm(w, r)
		}
		if err != nil {
			h.Error(w, r, err)
			return
		}
		p := domain.Problems{}
		version := formInt(r, "version", "版本", p)
		text := r.PostFormValue("reason")
		if verb == domain.ActionVerbReply {
			text = r.PostFormValue("reply")
		}
		err = p.Err()
		if err == nil {
			_, err = h.Store.ChangeActionItemStatus(r.Context(), request.Actor(r), item.ID, version, verb, text)
		}
		h.finishWrite(w, r, err, func(status int, err error) { h.renderActionItem(w, r, status, item, verb, r.PostForm, err) },
			actionItemURL(item.ID), okMsg)
	}
}
