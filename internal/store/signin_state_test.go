package store_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/signin"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

type signinUsers map[string]user.User

func (a signinUsers) UserByName(_ context.Context, name string) (user.User, error) {
	if u, ok := a[name]; ok {
		return u, nil
	}
	return user.User{}, apperr.New(apperr.NotFound, apperr.T("ไม่พบ", "not found"))
}

var signinPeople = signinUsers{"somchai": {Username: "somchai", PasswordHash: "plain:right-password-1", Role: user.Enumerator, AreaCode: "70"}}

// gateOn is one server process's gate: its own counter on the shared store.
func gateOn(s *store.Store, now func() time.Time, calls *atomic.Int64) *signin.Gate {
	return signin.New(signin.Config{Counter: s.SignInCounter(), Now: now, Check: func(_ context.Context, hash, pw string) (bool, error) {
		calls.Add(1)
		return hash == "plain:"+pw, nil
	}})
}

func tryPassword(g *signin.Gate, addr, pw string) error {
	r := httptest.NewRequest("POST", "/login", nil)
	r.RemoteAddr = addr
	_, err := g.Password(context.Background(), r, signinPeople, signin.Web, "somchai", pw)
	return err
}

// Wrong passwords sent at once to several processes: only the account's
// free attempts are checked, as in one process.
func TestSignInCountsReservedAtomicallyInTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, n := range []int{10, 40} {
			t.Run(fmt.Sprint(n), func(t *testing.T) {
				var calls atomic.Int64
				now := func() time.Time { return storetest.Now() }
				gates := []*signin.Gate{gateOn(s, now, &calls), gateOn(s, now, &calls)}
				var wg sync.WaitGroup
				var refused atomic.Int64
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						err := tryPassword(gates[i%2], fmt.Sprintf("198.51.100.%d:1000", n), "wrong")
						if _, ok := signin.RetryAfter(err); ok {
							refused.Add(1)
						} else if err != signin.ErrWrong {
							t.Errorf("attempt: %v", err)
						}
					}()
				}
				wg.Wait()
				if got := calls.Load(); got != int64(signin.AccountRule.Free) {
					t.Errorf("%d passwords checked of %d sent at once, want %d", got, n, signin.AccountRule.Free)
				}
				if refused.Load() != int64(n-signin.AccountRule.Free) {
					t.Errorf("%d refused with 429, want %d", refused.Load(), n-signin.AccountRule.Free)
				}
				if err := s.SignInCounter().Reset(context.Background(), signin.Key{Name: "account:somchai"}); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// Failures alternating between two processes lock the account at the same
// count as in one; the lock ends on time and its row is then pruned.
func TestSignInLockSharedByProcesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		at := storetest.Now()
		now := func() time.Time { return at }
		var calls atomic.Int64
		a, b := gateOn(s, now, &calls), gateOn(s, now, &calls)
		for i := range signin.AccountRule.LockAfter {
			g := []*signin.Gate{a, b}[i%2]
			if err := tryPassword(g, fmt.Sprintf("203.0.113.%d:1", i), "wrong"); err != signin.ErrWrong {
				t.Fatalf("failure %d: %v", i+1, err)
			}
			at = at.Add(signin.AccountRule.MaxDelay)
		}
		err := tryPassword(a, "203.0.113.200:1", "right-password-1")
		wait, ok := signin.RetryAfter(err)
		if !ok || wait != fmt.Sprint(int((signin.AccountRule.Lock-signin.AccountRule.MaxDelay).Seconds())) {
			t.Fatalf("after %d failures over two processes: %v (Retry-After %q), want the lock", signin.AccountRule.LockAfter, err, wait)
		}
		if calls.Load() != int64(signin.AccountRule.LockAfter) {
			t.Errorf("%d passwords checked, want %d", calls.Load(), signin.AccountRule.LockAfter)
		}
		at = at.Add(signin.AccountRule.Lock)
		if err := tryPassword(b, "203.0.113.201:1", "right-password-1"); err != nil {
			t.Fatalf("after the lock: %v", err)
		}
		at = at.Add(signin.AccountRule.Forget + time.Minute)
		if err := s.PruneSecurityState(context.Background(), at); err != nil {
			t.Fatal(err)
		}
		if n, err := store.SignInRows(s); err != nil || n != 0 {
			t.Errorf("%d sign-in counts left after they all expired (%v), want 0", n, err)
		}
	})
}

func TestDigestAnswersAndSharedKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, now := context.Background(), storetest.Now()
		for i, want := range []bool{true, false} {
			if got, err := s.FirstDigestAnswer(ctx, "nonce\x00cnonce\x0000000001", now, now.Add(time.Minute)); err != nil || got != want {
				t.Fatalf("use %d: first=%v (%v), want %v", i+1, got, err, want)
			}
		}
		if got, err := s.FirstDigestAnswer(ctx, "nonce\x00cnonce\x0000000002", now, now.Add(time.Minute)); err != nil || !got {
			t.Fatalf("next nonce count refused: %v %v", got, err)
		}
		if got, err := s.FirstDigestAnswer(ctx, "nonce\x00cnonce\x0000000001", now.Add(2*time.Minute), now.Add(3*time.Minute)); err != nil || !got {
			t.Fatalf("an expired record still refuses: %v %v", got, err)
		}
		k1, err := s.SharedKey(ctx, "test")
		if err != nil || len(k1) != 32 {
			t.Fatalf("key %x: %v", k1, err)
		}
		k2, err := s.SharedKey(ctx, "test")
		if err != nil || string(k1) != string(k2) {
			t.Fatalf("the key changed between uses: %x, %x (%v)", k1, k2, err)
		}
	})
}
