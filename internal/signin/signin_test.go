package signin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/signin"
	"tambon/internal/user"
)

// accounts is a Users of fixed accounts; every hash is the password itself
// prefixed, so the counting checker needs no argon2id.
type accounts map[string]user.User

func (a accounts) UserByName(_ context.Context, name string) (user.User, error) {
	if u, ok := a[name]; ok {
		return u, nil
	}
	return user.User{}, apperr.New(apperr.NotFound, apperr.T("ไม่พบ", "not found"))
}

var people = accounts{
	"somchai":  {Username: "somchai", PasswordHash: "plain:right-password-1", Role: user.Enumerator, AreaCode: "70051304"},
	"malee":    {Username: "malee", PasswordHash: "plain:right-password-1", Role: user.Viewer, AreaCode: "70"},
	"disabled": {Username: "disabled", PasswordHash: "plain:right-password-1", Role: user.Enumerator, AreaCode: "70", Disabled: true},
}

// checker counts password checks and remembers the hashes it was given.
type checker struct {
	calls  atomic.Int64
	mu     sync.Mutex
	hashes []string
	hold   chan struct{} // when set, every check waits for it to close
}

func (c *checker) check(_ context.Context, hash, password string) (bool, error) {
	c.calls.Add(1)
	c.mu.Lock()
	c.hashes = append(c.hashes, hash)
	c.mu.Unlock()
	if c.hold != nil {
		<-c.hold
	}
	return hash == "plain:"+password, nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)} }
func from(addr string) *http.Request {
	r := httptest.NewRequest("POST", "/login", nil)
	r.RemoteAddr = addr
	return r
}
func signIn(g *signin.Gate, r *http.Request, door signin.Door, name, pw string) error {
	_, err := g.Password(context.Background(), r, people, door, name, pw)
	return err
}

// N wrong passwords sent at once: only the account's free attempts are
// checked; the rest are refused before any hashing.
func TestParallelAttemptsAreReservedAtomically(t *testing.T) {
	for _, n := range []int{10, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			c := &checker{hold: make(chan struct{})}
			g := signin.New(signin.Config{Now: newClock().now, Check: c.check})
			var wg sync.WaitGroup
			var refused, wrong atomic.Int64
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					err := signIn(g, from(fmt.Sprintf("198.51.100.%d:4000", i%250)), signin.Web, "somchai", "guess")
					if _, ok := signin.RetryAfter(err); ok {
						refused.Add(1)
					} else if apperr.Is(err, apperr.Unauthorized) {
						wrong.Add(1)
					}
				}()
			}
			for c.calls.Load()+refused.Load() < int64(n) && refused.Load() < int64(n-signin.AccountRule.Free) {
				time.Sleep(time.Millisecond)
			}
			close(c.hold)
			wg.Wait()
			if got := c.calls.Load(); got > int64(signin.AccountRule.Free) {
				t.Errorf("%d passwords were checked, want at most %d", got, signin.AccountRule.Free)
			}
			if wrong.Load()+refused.Load() != int64(n) || refused.Load() < int64(n-signin.AccountRule.Free) {
				t.Errorf("%d wrong, %d refused of %d", wrong.Load(), refused.Load(), n)
			}
		})
	}
}

// The account backs off (1 s, 2 s, 4 s …) after three failures and locks for
// 15 minutes at ten; even the right password waits. Then it opens again.
func TestBackOffThenLock(t *testing.T) {
	clk := newClock()
	c := &checker{}
	g := signin.New(signin.Config{Now: clk.now, Check: c.check})
	r := from("203.0.113.9:5000")
	wrong := func(i int) {
		t.Helper()
		if err := signIn(g, r, signin.Web, "somchai", "guess"); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("attempt %d: %v, want a wrong password", i, err)
		}
	}
	refusedFor := func(what, want string) {
		t.Helper()
		err := signIn(g, r, signin.Web, "somchai", "right-password-1")
		got, ok := signin.RetryAfter(err)
		if !ok || got != want || !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("%s: %v (Retry-After %q), want 429 with Retry-After %s", what, err, got, want)
		}
	}
	for i := 1; i <= 3; i++ {
		wrong(i)
	}
	refusedFor("the fourth try at once", "1")
	for i, wait := range []time.Duration{1, 2, 4, 8, 16, 32} {
		clk.add(wait * time.Second)
		wrong(4 + i)
	}
	clk.add(64 * time.Second)
	wrong(10)
	refusedFor("after ten failures", "900")
	clk.add(14 * time.Minute)
	refusedFor("a minute before the lock ends", "60")
	if err := signIn(g, r, signin.Web, "somchai", "right-password-1"); err == nil || c.calls.Load() != 10 {
		t.Fatalf("a locked account checked a password: %d checks", c.calls.Load())
	}
	clk.add(time.Minute)
	if err := signIn(g, r, signin.Web, "somchai", "right-password-1"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// A success forgets the account's failures: three free tries again.
	for i := 1; i <= 3; i++ {
		wrong(i)
	}
	// The message says how long, in both languages.
	msg := apperr.MessageOf(signIn(g, r, signin.Web, "somchai", "x"))
	if !strings.Contains(msg.TH, "โปรดรอ 1 วินาที") || !strings.Contains(msg.EN, "wait 1 second and") {
		t.Errorf("message %q", msg)
	}
}

// An address spraying many usernames is stopped by the address's own rule.
func TestAddressRule(t *testing.T) {
	clk := newClock()
	g := signin.New(signin.Config{Now: clk.now, Check: (&checker{}).check})
	r := from("203.0.113.10:5000")
	for i := range signin.AddressRule.Free {
		if err := signIn(g, r, signin.Web, fmt.Sprint("name", i), "guess"); !apperr.Is(err, apperr.Unauthorized) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, ok := signin.RetryAfter(signIn(g, r, signin.Web, "somchai", "right-password-1")); !ok {
		t.Error("the address was not held back after its free attempts")
	}
	if err := signIn(g, from("203.0.113.11:5000"), signin.Web, "somchai", "right-password-1"); err != nil {
		t.Errorf("another address was held back too: %v", err)
	}
}

// Unknown names, wrong passwords, disabled accounts and accounts the door
// does not admit get the same answer after one password check each — for
// an unknown name against a dummy argon2id hash with the real parameters.
func TestSameAnswerWhateverWentWrong(t *testing.T) {
	tests := []struct {
		name, username, password string
		door                     signin.Door
	}{
		{"unknown user", "nobody", "right-password-1", signin.Web},
		{"wrong password", "somchai", "wrong-password", signin.Web},
		{"disabled account", "disabled", "right-password-1", signin.Web},
		{"disabled account on OpenRosa", "disabled", "right-password-1", signin.Collect},
		{"viewer on OpenRosa", "malee", "right-password-1", signin.Collect},
	}
	want := apperr.MessageOf(signin.ErrWrong)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &checker{}
			g := signin.New(signin.Config{Now: newClock().now, Check: c.check})
			err := signIn(g, from("192.0.2.1:1"), tc.door, tc.username, tc.password)
			if !apperr.Is(err, apperr.Unauthorized) || apperr.MessageOf(err) != want {
				t.Errorf("%v, want %q", err, want)
			}
			if c.calls.Load() != 1 {
				t.Errorf("%d password checks, want 1", c.calls.Load())
			}
			if tc.username == "nobody" && !strings.HasPrefix(c.hashes[0], "$argon2id$v=19$m=65536,t=1,p=2$") {
				t.Errorf("the dummy hash %q is not argon2id with the real parameters", c.hashes[0])
			}
		})
	}
	g := signin.New(signin.Config{Now: newClock().now, Check: (&checker{}).check})
	if u, err := g.Password(context.Background(), from("192.0.2.1:1"), people, signin.Collect, "somchai", "right-password-1"); err != nil || u.Username != "somchai" {
		t.Errorf("an enumerator on OpenRosa: %v", err)
	}
}

// A server too busy hashing answers 429 and does not count the attempt.
func TestBusyIsNotAFailure(t *testing.T) {
	g := signin.New(signin.Config{Now: newClock().now, Check: func(context.Context, string, string) (bool, error) {
		return false, user.ErrBusy
	}})
	for range 2 * signin.AccountRule.LockAfter {
		err := signIn(g, from("192.0.2.1:1"), signin.Web, "somchai", "right-password-1")
		if got, ok := signin.RetryAfter(err); !ok || got != "2" || !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("busy: %v (Retry-After %q)", err, got)
		}
		if msg := apperr.MessageOf(err); msg != user.ErrBusy.Msg {
			t.Fatalf("busy message %q", msg)
		}
	}
}

func TestClientAddr(t *testing.T) {
	proxies, err := signin.ParseProxies("127.0.0.1, 10.0.0.0/8,::1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		proxies signin.Proxies
		peer    string
		xff     []string
		want    string
		wantKey string
	}{
		{"no proxies: the peer, header ignored", nil, "127.0.0.1:5000", []string{"203.0.113.5"}, "127.0.0.1", "127.0.0.1"},
		{"untrusted peer: header ignored", proxies, "198.51.100.7:5000", []string{"203.0.113.5"}, "198.51.100.7", "198.51.100.7"},
		{"trusted peer: the client it names", proxies, "127.0.0.1:5000", []string{"203.0.113.5"}, "203.0.113.5", "203.0.113.5"},
		{"a forged first entry is passed over", proxies, "127.0.0.1:5000", []string{"1.2.3.4, 203.0.113.5"}, "203.0.113.5", "203.0.113.5"},
		{"chained trusted proxies", proxies, "10.0.0.2:5000", []string{"203.0.113.5, 10.0.0.9", "10.1.1.1"}, "203.0.113.5", "203.0.113.5"},
		{"trusted peer, no header", proxies, "127.0.0.1:5000", nil, "127.0.0.1", "127.0.0.1"},
		{"garbage entry stops the walk", proxies, "127.0.0.1:5000", []string{"203.0.113.5, not-an-ip"}, "127.0.0.1", "127.0.0.1"},
		{"IPv6 peer trusted", proxies, "[::1]:5000", []string{"2001:db8:1:2:3:4:5:6"}, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"IPv4-mapped peer", proxies, "[::ffff:127.0.0.1]:5000", []string{"203.0.113.5"}, "203.0.113.5", "203.0.113.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := signin.New(signin.Config{Proxies: tc.proxies})
			r := from(tc.peer)
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := g.ClientAddr(r).String(); got != tc.want {
				t.Errorf("ClientAddr = %s, want %s", got, tc.want)
			}
			if got := g.ClientKey(r); got != tc.wantKey {
				t.Errorf("ClientKey = %s, want %s", got, tc.wantKey)
			}
		})
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0"} {
		if _, err := signin.ParseProxies(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseProxies(%q) = %v, want invalid", bad, err)
		}
	}
}

// A spray of usernames from many addresses does not grow the counter past
// its bound, and a locked account survives the spray.
func TestMemoryIsBounded(t *testing.T) {
	clk := newClock()
	m := signin.NewMemory(1000)
	g := signin.New(signin.Config{Now: clk.now, Check: (&checker{}).check, Counter: m})
	r := from("203.0.113.9:5000")
	for range signin.AccountRule.LockAfter {
		signIn(g, r, signin.Web, "somchai", "guess")
		clk.add(time.Minute)
	}
	for i := range 20000 {
		signIn(g, from(fmt.Sprintf("[2001:db8:%x::1]:1", i)), signin.Web, fmt.Sprint("spray", i), "guess")
		if m.Len() > 1000 {
			t.Fatalf("%d keys after %d sprayed names", m.Len(), i)
		}
	}
	if _, ok := signin.RetryAfter(signIn(g, from("192.0.2.200:1"), signin.Web, "somchai", "right-password-1")); !ok {
		t.Error("the spray unlocked a locked account")
	}
}
