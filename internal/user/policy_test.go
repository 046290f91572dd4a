package user_test

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

func TestValidPassword(t *testing.T) {
	tests := []struct {
		name, username, password string
		ok                       bool
		why                      string // a word of the English message
	}{
		{"a few words", "somchai", "correct-horse-battery", true, ""},
		{"Thai words", "somchai", "ข้าวเหนียวมะม่วง", true, ""},
		{"exactly the minimum", "somchai", "ab3-cd5-ef", true, ""},
		{"too short", "somchai", "ab3-cd5-e", false, "10 to 200"},
		{"eight digits", "somchai", "12345678", false, "10 to 200"},
		{"the word password", "somchai", "password", false, "10 to 200"},
		{"twelve spaces", "somchai", strings.Repeat(" ", 12), false, "only spaces"},
		{"tabs and spaces", "somchai", " \t \t \t \t \t ", false, "only spaces"},
		{"one letter repeated", "somchai", strings.Repeat("a", 12), false, "single character"},
		{"one Thai letter repeated", "somchai", strings.Repeat("ก", 12), false, "single character"},
		{"the username", "kk.7005130", "kk.7005130", false, "username"},
		{"containing the username", "somchai", "somchai-2567!", false, "username"},
		{"containing the username in capitals", "somchai", "SomChai-2567!", false, "username"},
		{"a common password", "somchai", "qwertyuiop", false, "common"},
		{"a common password in capitals", "somchai", "QwertyUiop", false, "common"},
		{"a common ten digits", "somchai", "1234567890", false, "common"},
		{"a list word padded with digits", "somchai", "password2567", false, "common"},
		{"a list word padded with punctuation", "somchai", "!!football!!", false, "common"},
		{"too long", "somchai", strings.Repeat("ab", 101), false, "10 to 200"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := user.ValidPassword(tc.username, tc.password)
			if (err == nil) != tc.ok {
				t.Fatalf("ValidPassword(%q, %q) = %v, want ok=%v", tc.username, tc.password, err, tc.ok)
			}
			if err == nil {
				return
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Errorf("code %s, want invalid", apperr.CodeOf(err))
			}
			msg := apperr.MessageOf(err)
			if !strings.Contains(msg.EN, tc.why) || msg.TH == "" || msg.TH == msg.EN {
				t.Errorf("message %q lacks %q or a Thai text", msg, tc.why)
			}
		})
	}
}

func TestCommonPasswordList(t *testing.T) {
	// The list is searched by halves: unsorted, it would miss passwords.
	for _, p := range []string{"123456", "password", "qwerty", "zxcvbnm", "1qaz2wsx3edc"} {
		if !user.IsCommonPassword(p) {
			t.Errorf("%q is not found in the common list", p)
		}
	}
	if user.IsCommonPassword("ข้าวเหนียวมะม่วง") {
		t.Error("a Thai phrase was found in the common list")
	}
	if got := user.CommonPasswords(); !sort.StringsAreSorted(got) || len(got) < 40000 {
		t.Errorf("the common list has %d passwords, sorted %v", len(got), sort.StringsAreSorted(got))
	}
}

// However many checks are asked for at once, no more than
// MaxConcurrentHashes argon2id hashes run together.
func TestHashingIsCapped(t *testing.T) {
	h, err := user.HashPassword("correct-horse-battery")
	if err != nil {
		t.Fatal(err)
	}
	// Twelve checks queue behind one another; on a busy machine the last
	// may wait longer than a server would let it, which is not this test.
	defer user.SetHashWait(time.Hour)()
	user.HashPeak()
	var wg sync.WaitGroup
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := user.CheckPassword(context.Background(), h, "wrong-horse-battery"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak := user.HashPeak(); peak < 1 || peak > user.MaxConcurrentHashes {
		t.Errorf("%d hashes ran at once, want 1..%d", peak, user.MaxConcurrentHashes)
	}
}

// A check that finds every slot taken for too long is told the server is
// busy (429), rather than queueing forever.
func TestHashingBusy(t *testing.T) {
	h, err := user.HashPassword("correct-horse-battery")
	if err != nil {
		t.Fatal(err)
	}
	defer user.SetHashWait(10 * time.Millisecond)()
	release := user.HoldHashSlots(user.MaxConcurrentHashes)
	ok, err := user.CheckPassword(context.Background(), h, "correct-horse-battery")
	_, herr := user.HashPassword("another-password")
	release()
	if ok || !errors.Is(err, user.ErrBusy) || !apperr.Is(err, apperr.TooMany) {
		t.Errorf("check with every slot taken: ok=%v err=%v, want ErrBusy", ok, err)
	}
	if !apperr.Is(herr, apperr.TooMany) {
		t.Errorf("hash with every slot taken: %v, want busy", herr)
	}
	if ok, err := user.CheckPassword(context.Background(), h, "correct-horse-battery"); !ok || err != nil {
		t.Errorf("after the slots freed: ok=%v err=%v", ok, err)
	}
}
