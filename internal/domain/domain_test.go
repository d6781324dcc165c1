package domain

import (
	"testing"
	"time"
)

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		pw, user string
		ok       bool
	}{
		{"Abcdef12", "zhang", true},
		{"abcdef12!", "zhang", true},
		{"Abc12!", "zhang", false},       // too short
		{"abcdefgh1", "zhang", false},    // two classes
		{"Zhang2026!", "zhang", false},   // contains the username
		{"密码Abcd1234", "zhang", true},    // CJK counts as "other"
		{"ABCDEFGH12345678", "x", false}, // two classes
	}
	for _, tt := range tests {
		err := DefaultPasswordPolicy.Check(tt.pw, tt.user)
		if (err == nil) != tt.ok {
			t.Errorf("Check(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
		}
	}
}

func TestParseRoles(t *testing.T) {
	roles, err := ParseRoles("reporter, leader,reporter")
	if err != nil || len(roles) != 2 || roles[0] != RoleReporter || roles[1] != RoleLeader {
		t.Fatalf("ParseRoles = %v, %v", roles, err)
	}
	for _, bad := range []string{"", " , ", "root", "admin,boss"} {
		if _, err := ParseRoles(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseRoles(%q) err = %v, want invalid", bad, err)
		}
	}
}

func TestUserValidate(t *testing.T) {
	u := User{Username: " Zhang.San ", DisplayName: "张三", UnitID: 1, Roles: []Role{RoleReporter}}
	u.Normalize()
	if u.Username != "zhang.san" {
		t.Fatalf("normalized username = %q", u.Username)
	}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	u.Roles = []Role{RoleAdmin, RoleAuditor}
	if f := ErrorFields(u.Validate()); f["roles"] == "" {
		t.Fatalf("admin+auditor must be refused, got %v", f)
	}
}

func TestUnitValidate(t *testing.T) {
	ok := Unit{Code: "360202", Name: "昌江区", Kind: UnitCounty, ContactPhone: "0798-1234567"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := Unit{Code: "x", Name: "", Kind: "planet", ContactPhone: "call me"}
	f := ErrorFields(bad.Validate())
	for _, field := range []string{"code", "name", "kind", "contact_phone"} {
		if f[field] == "" {
			t.Errorf("no problem reported for %s: %v", field, f)
		}
	}
}

func TestAuditHashCoversEveryField(t *testing.T) {
	base := AuditEvent{Seq: 1, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), ActorID: 1, ActorName: "a",
		Via: "web", IP: "127.0.0.1", Action: "unit.update", Entity: "unit", EntityID: "1",
		Before: `{"a":1}`, After: `{"a":2}`, Reason: "r", PrevHash: AuditGenesis}
	h := base.ComputeHash()
	mutations := []func(e *AuditEvent){
		func(e *AuditEvent) { e.Seq = 2 },
		func(e *AuditEvent) { e.At = e.At.Add(time.Microsecond) },
		func(e *AuditEvent) { e.ActorID = 2 },
		func(e *AuditEvent) { e.ActorName = "b" },
		func(e *AuditEvent) { e.Via = "api" },
		func(e *AuditEvent) { e.IP = "" },
		func(e *AuditEvent) { e.Action = "unit.create" },
		func(e *AuditEvent) { e.Entity = "user" },
		func(e *AuditEvent) { e.EntityID = "11" },
		func(e *AuditEvent) { e.Before = `{"a":2}` },
		func(e *AuditEvent) { e.After = `{"a":1}` },
		func(e *AuditEvent) { e.Reason = "" },
		func(e *AuditEvent) { e.PrevHash = "x" },
		// Moving a character between adjacent fields must change the hash too.
		func(e *AuditEvent) { e.ActorName, e.Via = "aw", "eb" },
	}
	for i, m := range mutations {
		e := base
		m(&e)
		if e.ComputeHash() == h {
			t.Errorf("mutation %d did not change the hash", i)
		}
	}
}
