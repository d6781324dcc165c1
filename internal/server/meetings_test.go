package server

import (
	"context"
	"fmt"
	"sync"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// fixtureItems remembers the action item made for each store and unit.
var fixtureItems sync.Map // itemKey → *domain.ActionItem

type itemKey struct {
	st     *store.Store
	unitID int64
}

// actionItemOf returns an open action item owned by the unit, at a meeting of its own,
// created on first use.
func (f *fixture) actionItemOf(unitID int64) *domain.ActionItem {
	f.t.Helper()
	if it, ok := fixtureItems.Load(itemKey{f.st, unitID}); ok {
		return it.(*domain.ActionItem)
	}
	ctx, sys := context.Background(), domain.Actor{Via: "test"}
	m := &domain.Meeting{HeldOn: "2026-11-05", Kind: domain.MeetingMonthly, Year: 2026, Month: 10, Title: fmt.Sprintf("调度会%d", unitID)}
	if err := f.st.CreateMeeting(ctx, sys, m); err != nil {
		f.t.Fatal(err)
	}
	it := &domain.ActionItem{MeetingID: m.ID, Text: fmt.Sprintf("单位%d的交办事项", unitID), OwnerUnitID: unitID, Deadline: "2026-11-30"}
	if err := f.st.CreateActionItem(ctx, sys, it); err != nil {
		f.t.Fatal(err)
	}
	fixtureItems.Store(itemKey{f.st, unitID}, it)
	return it
}
