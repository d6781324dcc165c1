package web

import (
	"bytes"
	"testing"
	"time"
)

func TestImportStash(t *testing.T) {
	s := newImportStash()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tok := s.put(now, &stashed{userID: 7, scope: "/targets/import", filename: "a.xlsx", data: []byte("A")})
	if e, ok := s.get(now.Add(time.Minute), tok, 7, "/targets/import"); !ok || !bytes.Equal(e.data, []byte("A")) {
		t.Fatal("own file not found")
	}
	if _, ok := s.get(now, tok, 8, "/targets/import"); ok {
		t.Error("another user found the file")
	}
	if _, ok := s.get(now, tok, 7, "/reports/1/2026/10/import"); ok {
		t.Error("the file was found under another import")
	}
	if _, ok := s.get(now.Add(stashTTL), tok, 7, "/targets/import"); ok {
		t.Error("an expired file was found")
	}
	if len(s.entries) != 0 {
		t.Error("an expired file is kept")
	}

	// Full, the oldest entries make room; so does a total above the byte bound.
	var toks []string
	for i := range stashEntries + 3 {
		toks = append(toks, s.put(now.Add(time.Duration(i)*time.Second), &stashed{userID: 7, scope: "x", data: []byte{byte(i)}}))
	}
	if len(s.entries) != stashEntries {
		t.Fatalf("%d entries kept, want %d", len(s.entries), stashEntries)
	}
	if _, ok := s.get(now, toks[0], 7, "x"); ok {
		t.Error("the oldest entry survived")
	}
	if _, ok := s.get(now, toks[len(toks)-1], 7, "x"); !ok {
		t.Error("the newest entry was dropped")
	}
	big := make([]byte, stashMaxBytes/2+1)
	s.put(now.Add(time.Hour-stashTTL), &stashed{userID: 1, scope: "x", data: big})
	last := s.put(now.Add(time.Hour-stashTTL+time.Second), &stashed{userID: 1, scope: "x", data: big})
	if len(s.entries) != 1 {
		t.Fatalf("%d entries after two large files, want 1", len(s.entries))
	}
	if _, ok := s.get(now.Add(time.Hour-stashTTL+2*time.Second), last, 1, "x"); !ok {
		t.Error("the newest large file was dropped")
	}
}
