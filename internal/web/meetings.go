package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/request"
	"beizeng/internal/store"
)

// meetings lists the dispatch meetings, newest first, with how many of each meeting's
// items still await closure.
func (h *Handler) meetings(w http.ResponseWriter, r *http.Request) {
	pg := readPage(r, 30)
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	if !domain.ValidYear(year) {
		year = 0
		pg.Query.Del("year")
	}
	rows, total, err := h.Store.FindMeetings(r.Context(), year, pg.Offset(), pg.Size)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	pg.Total = total
	h.render(w, r, 0, "meetings", view{Title: "调度会", Nav: "meetings", Data: struct {
		Meetings  []store.MeetingRow
		Year      int
		Page      page
		CanManage bool
	}{rows, year, pg, auth.CanAtAll(request.User(r), auth.ManageMeetings)}})
}

// meetingForm is the meeting form as typed, so a refused submission comes back as it was.
type meetingForm struct {
	ID                               int64
	HeldOn, Kind, Year, Month, Title string
	Attendees, Decisions, Version    string
	BulletinID                       string // "" for none
	Problems                         map[string]string
	Conflict                         bool
	Kinds                            []domain.MeetingKind
	Months                           []int
	Bulletins                        []*domain.PublishedBulletin // the versions a meeting may have reviewed
	UnlistedBulletin                 bool                        // BulletinID names no published version
}

func formOfMeeting(m *domain.Meeting) meetingForm {
	return meetingForm{ID: m.ID, HeldOn: m.HeldOn, Kind: string(m.Kind), Year: strconv.Itoa(m.Year), Month: strconv.Itoa(m.Month),
		Title: m.Title, Attendees: m.Attendees, Decisions: m.Decisions, Version: strconv.FormatInt(m.Version, 10),
		BulletinID: idOrEmpty(m.BulletinID)}
}

func idOrEmpty(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func readMeetingForm(r *http.Request) (meetingForm, *domain.Meeting, domain.Problems) {
	p := domain.Problems{}
	f := meetingForm{HeldOn: r.PostFormValue("held_on"), Kind: r.PostFormValue("kind"), Year: r.PostFormValue("year"),
		Month: r.PostFormValue("month"), Title: r.PostFormValue("title"), Attendees: r.PostFormValue("attendees"),
		Decisions: r.PostFormValue("decisions"), Version: r.PostFormValue("version"), BulletinID: strings.TrimSpace(r.PostFormValue("bulletin_id"))}
	m := &domain.Meeting{HeldOn: f.HeldOn, Kind: domain.MeetingKind(f.Kind), Title: f.Title, Attendees: f.Attendees, Decisions: f.Decisions}
	m.Year = int(formInt(r, "year", "年份", p))
	m.Month = int(formInt(r, "month", "月份", p))
	m.Version = formInt(r, "version", "版本", p)
	m.BulletinID = formInt(r, "bulletin_id", "调度通报", p)
	return f, m, p
}

func (h *Handler) renderMeetingForm(w http.ResponseWriter, r *http.Request, status int, f meetingForm, err error) {
	f.Problems, f.Conflict = domain.ErrorFields(err), domain.ErrorCode(err) == domain.ECONFLICT
	f.Kinds, f.Months = domain.MeetingKinds, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	// Published versions number a dozen or so a year per scope: the whole list, newest
	// period and version first, fits a select.
	bulletins, ferr := h.Store.FindBulletins(r.Context(), 0)
	if ferr != nil {
		h.Error(w, r, ferr)
		return
	}
	f.Bulletins = bulletins
	// A refused id stays selected, as typed, beside its error.
	f.UnlistedBulletin = f.BulletinID != "" && !slices.ContainsFunc(bulletins, func(b *domain.PublishedBulletin) bool {
		return strconv.FormatInt(b.ID, 10) == f.BulletinID
	})
	title := "新建调度会"
	if f.ID != 0 {
		title = "编辑调度会"
	}
	v := view{Title: title, Nav: "meetings", Data: f}
	v.Flash = refusalFlash(err)
	h.render(w, r, status, "meeting_form", v)
}

// newMeeting proposes today's date and the previous month as the period reviewed: a
// monthly dispatch meeting reviews the month just reported.
func (h *Handler) newMeeting(w http.ResponseWriter, r *http.Request) {
	now := h.Store.Now().In(chinaTime)
	year, month := domain.ReportPeriodAt(h.Store.Now(), chinaTime)
	h.renderMeetingForm(w, r, 0, meetingForm{HeldOn: now.Format("2006-01-02"), Kind: string(domain.MeetingMonthly),
		Year: strconv.Itoa(year), Month: strconv.Itoa(month)}, nil)
}

func (h *Handler) createMeeting(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	f, m, p := readMeetingForm(r)
	err := p.Err()
	if err == nil {
		err = h.Store.CreateMeeting(r.Context(), request.Actor(r), m)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderMeetingForm(w, r, status, f, err) },
		meetingURL(m.ID), "已创建“"+m.Title+"”，可在下方添加交办事项。")
}

func (h *Handler) editMeeting(w http.ResponseWriter, r *http.Request) {
	m, ok := byPathID(h, w, r, h.Store.FindMeetingByID)
	if !ok {
		return
	}
	h.renderMeetingForm(w, r, 0, formOfMeeting(m), nil)
}

func (h *Handler) updateMeeting(w http.ResponseWriter, r *http.Request) {
	id, ok := h.pathIDAndForm(w, r)
	if !ok {
		return
	}
	f, m, p := readMeetingForm(r)
	f.ID, m.ID = id, id
	err := p.Err()
	if err == nil {
		err = h.Store.UpdateMeeting(r.Context(), request.Actor(r), m)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderMeetingForm(w, r, status, f, err) },
		meetingURL(id), "已保存“"+m.Title+"”。")
}

func meetingURL(id int64) string { return "/meetings/" + strconv.FormatInt(id, 10) }

// actionScope is the owner unit a user's view of action items is limited to: 0 for
// coordinators and leaders, who read every unit's, else the user's own unit.
func actionScope(u *domain.User) int64 {
	if auth.Can(u, auth.ReadActionItems, 0) {
		return 0
	}
	return u.UnitID
}

// itemForm is the add-item form on a meeting's page, as typed.
type itemForm struct {
	Values   url.Values
	Problems map[string]string
	Message  string
}

// meeting shows a meeting's record and its action items: every item to coordinators
// and leaders, a unit's own items to its users. Coordinators add items inline.
func (h *Handler) meeting(w http.ResponseWriter, r *http.Request) {
	m, ok := byPathID(h, w, r, h.Store.FindMeetingByID)
	if !ok {
		return
	}
	h.renderMeeting(w, r, 0, m, nil, nil)
}

func (h *Handler) renderMeeting(w http.ResponseWriter, r *http.Request, status int, m *domain.Meeting, typed url.Values, err error) {
	user := request.User(r)
	scope := actionScope(user)
	items, err2 := h.meetingItems(r, m.ID, scope)
	if err2 != nil {
		h.Error(w, r, err2)
		return
	}
	canManage := auth.Can(user, auth.ManageMeetings, 0)
	var owners []*domain.Unit
	if canManage {
		if owners, err2 = h.actionOwners(r); err2 != nil {
			h.Error(w, r, err2)
			return
		}
	}
	rules, err2 := h.Store.ActionRules(r.Context())
	var bulletin *domain.PublishedBulletin
	if err2 == nil {
		bulletin, err2 = h.reviewedBulletin(r, m)
	}
	if err2 != nil {
		h.Error(w, r, err2)
		return
	}
	form := itemForm{Values: typed, Problems: domain.ErrorFields(err)}
	if form.Values == nil {
		held, _ := time.Parse(time.DateOnly, m.HeldOn) // validated when stored
		form.Values = url.Values{"deadline": {held.AddDate(0, 0, rules.DefaultDeadlineDays).Format(time.DateOnly)}}
	}
	if err != nil && form.Problems == nil {
		form.Message = domain.ErrorMessage(err)
	}
	h.render(w, r, status, "meeting", view{Title: m.Title, Nav: "meetings", Data: struct {
		Meeting   *domain.Meeting
		Items     []actionRow
		Scoped    bool
		CanManage bool
		Owners    []*domain.Unit
		Form      itemForm
		Rules     domain.ActionRules
		Bulletin  *domain.PublishedBulletin
	}{m, items, scope != 0, canManage, owners, form, rules, bulletin}})
}

// meetingItems returns all of a meeting's items within the scope; a meeting has a
// handful, so they are read in one bounded query.
func (h *Handler) meetingItems(r *http.Request, meetingID, scope int64) ([]actionRow, error) {
	items, _, err := h.Store.FindActionItems(r.Context(), domain.ActionItemFilter{MeetingID: meetingID, OwnerUnitID: scope, Limit: 500})
	if err != nil {
		return nil, err
	}
	return h.actionRows(r, items)
}

// actionOwners lists the active units an item may be assigned to: counties, parks and
// departments. The unit tree is small.
func (h *Handler) actionOwners(r *http.Request) ([]*domain.Unit, error) {
	active := true
	all, _, err := h.Store.FindUnits(r.Context(), domain.UnitFilter{Active: &active, Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []*domain.Unit
	for _, u := range all {
		if slices.Contains(domain.ActionOwnerKinds, u.Kind) {
			out = append(out, u)
		}
	}
	return out, nil
}

// addActionItem assigns an item at a meeting; a refused one shows the meeting again with
// the input kept.
func (h *Handler) addActionItem(w http.ResponseWriter, r *http.Request) {
	m, ok := byPathID(h, w, r, h.Store.FindMeetingByID)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.Error(w, r, err)
		return
	}
	p := domain.Problems{}
	a := &domain.ActionItem{MeetingID: m.ID, Text: r.PostFormValue("text"), Deadline: strings.TrimSpace(r.PostFormValue("deadline")),
		OwnerUnitID: formInt(r, "owner_unit_id", "责任单位", p)}
	err := p.Err()
	if err == nil {
		err = h.Store.CreateActionItem(r.Context(), request.Actor(r), a)
	}
	h.finishWrite(w, r, err, func(status int, err error) { h.renderMeeting(w, r, status, m, r.PostForm, err) },
		meetingURL(m.ID)+"#items", "已交办：“"+a.Text+"”。")
}

// meetingMinutes is the meeting's minutes (会议纪要) on an A4 sheet: the record, the
// decisions and the items in scope, numbered.
func (h *Handler) meetingMinutes(w http.ResponseWriter, r *http.Request) {
	m, ok := byPathID(h, w, r, h.Store.FindMeetingByID)
	if !ok {
		return
	}
	scope := actionScope(request.User(r))
	items, err := h.meetingItems(r, m.ID, scope)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	held, _ := time.Parse(time.DateOnly, m.HeldOn) // validated when stored
	city, err := h.issuerName(r)
	var bulletin *domain.PublishedBulletin
	if err == nil {
		bulletin, err = h.reviewedBulletin(r, m)
	}
	if err != nil {
		h.Error(w, r, err)
		return
	}
	h.render(w, r, 0, "meeting_minutes", view{Title: m.Title + " 纪要", Nav: "meetings", Data: struct {
		Meeting   *domain.Meeting
		Items     []actionRow
		Scoped    bool
		Issuer    string
		Attendees []string
		Decisions []string
		HeldText  string
		Bulletin  *domain.PublishedBulletin
	}{m, items, scope != 0, city, splitLines(m.Attendees), splitLines(m.Decisions), docDate(held), bulletin}})
}

// reviewedBulletin is the published version the meeting reviewed, nil for none.
func (h *Handler) reviewedBulletin(r *http.Request, m *domain.Meeting) (*domain.PublishedBulletin, error) {
	if m.BulletinID == 0 {
		return nil, nil
	}
	return h.Store.FindBulletinByID(r.Context(), m.BulletinID)
}

// splitLines splits typed text into its non-empty lines.
func splitLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
