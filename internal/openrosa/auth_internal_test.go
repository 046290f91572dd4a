package openrosa

import (
	"fmt"
	"testing"
	"time"
)

func TestUsedAnswersOnceWhileTheNonceLives(t *testing.T) {
	var u usedAnswers
	t0 := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	if !u.first("n\x00c\x0000000001", t0) {
		t.Fatal("a new answer was taken for a repeat")
	}
	if u.first("n\x00c\x0000000001", t0.Add(time.Minute)) {
		t.Fatal("the same answer was accepted twice")
	}
	if !u.first("n\x00c\x0000000002", t0.Add(time.Minute)) {
		t.Fatal("the next counter was refused")
	}
	// Past the nonce's life the entries are forgotten as the map grows.
	later := t0.Add(nonceLife + time.Minute)
	for i := range 2000 {
		u.first(fmt.Sprint("m", i), later)
	}
	if _, kept := u.until["n\x00c\x0000000001"]; kept {
		t.Error("an expired answer is still remembered after pruning")
	}
	if len(u.until) != 2000 {
		t.Errorf("%d answers remembered, want the 2000 live ones", len(u.until))
	}
}
