package store

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"beizeng/internal/domain"
)

// A meeting names the published bulletin version it reviewed; an id that was never
// published is refused on the field with nothing saved, and the link can be removed.
func TestMeetingBulletinLink(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		b, err := s.PublishBulletin(ctx, system, domain.BulletinPublication{Year: 2026, Month: 10, Scope: "all", Content: []byte(`{"n":1}`)})
		if err != nil {
			t.Fatal(err)
		}
		// Refused on create: nothing is stored.
		ghost := &domain.Meeting{HeldOn: "2026-11-05", Kind: domain.MeetingMonthly, Year: 2026, Month: 10, Title: "10月调度会",
			BulletinID: b.ID + 100}
		if err := s.CreateMeeting(ctx, system, ghost); domain.ErrorFields(err)["bulletin_id"] == "" {
			t.Fatalf("unknown bulletin on create: %v", err)
		}
		if _, total, _ := s.FindMeetings(ctx, 0, 0, 10); total != 0 {
			t.Fatalf("a refused meeting was stored: %d", total)
		}

		m := &domain.Meeting{HeldOn: "2026-11-05", Kind: domain.MeetingMonthly, Year: 2026, Month: 10, Title: "10月调度会", BulletinID: b.ID}
		if err := s.CreateMeeting(ctx, system, m); err != nil {
			t.Fatal(err)
		}
		other := &domain.Meeting{HeldOn: "2026-11-06", Kind: domain.MeetingSpecial, Year: 2026, Month: 10, Title: "专题会"}
		if err := s.CreateMeeting(ctx, system, other); err != nil {
			t.Fatal(err)
		}
		of, err := s.FindMeetingsOfBulletin(ctx, b.ID)
		if err != nil || len(of) != 1 || of[0].ID != m.ID || of[0].BulletinID != b.ID {
			t.Fatalf("meetings of the bulletin: %+v %v", of, err)
		}

		// Refused on update: the stored link and version stay.
		changed := *m
		changed.BulletinID = b.ID + 100
		if err := s.UpdateMeeting(ctx, system, &changed); domain.ErrorFields(err)["bulletin_id"] == "" {
			t.Fatalf("unknown bulletin on update: %v", err)
		}
		if got, _ := s.FindMeetingByID(ctx, m.ID); got.BulletinID != b.ID || got.Version != 1 {
			t.Fatalf("after the refusal: %+v", got)
		}

		// Unlinking is audited with the bulletin before and none after.
		m.BulletinID = 0
		if err := s.UpdateMeeting(ctx, system, m); err != nil {
			t.Fatal(err)
		}
		if of, _ := s.FindMeetingsOfBulletin(ctx, b.ID); len(of) != 0 {
			t.Fatalf("still listed after unlinking: %+v", of)
		}
		events, _, err := s.FindAuditEvents(ctx, domain.AuditFilter{Action: "meeting.update", Limit: 1})
		if err != nil || len(events) != 1 || !strings.Contains(events[0].Before, `"bulletin_id":`+strconv.FormatInt(b.ID, 10)) ||
			!strings.Contains(events[0].After, `"bulletin_id":0`) {
			t.Fatalf("audit of unlinking: %+v %v", events, err)
		}
	})
}
