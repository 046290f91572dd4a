package signin

import (
	"context"
	"sync"
	"time"
)

// Rule is how many failed sign-ins a key (an account, or a client address)
// may have before it must wait, and how long.
//
// The first Free failures cost nothing. From then on every attempt must wait
// Delay after the one before, doubling each time (1 s, 2 s, 4 s, …, at most
// MaxDelay); the LockAfter-th failure locks the key for Lock. Failures older
// than Forget (with no lock running) are forgotten. A lock that ends leaves
// the key at Free failures: the next wrong password waits again.
type Rule struct {
	Free      int
	Delay     time.Duration
	MaxDelay  time.Duration
	LockAfter int
	Lock      time.Duration
	Forget    time.Duration
}

// AccountRule and AddressRule are the default rules. An account is what an
// attacker aims at: three free tries, then back-off, locked after ten. An
// address is shared by a whole office behind one router, or by the phones
// of a village on one mobile gateway: more slack, but a sprayer of many
// usernames from one address is still locked.
var (
	AccountRule = Rule{Free: 3, Delay: time.Second, MaxDelay: time.Minute, LockAfter: 10, Lock: 15 * time.Minute, Forget: 15 * time.Minute}
	AddressRule = Rule{Free: 20, Delay: time.Second, MaxDelay: time.Minute, LockAfter: 100, Lock: 15 * time.Minute, Forget: 15 * time.Minute}
)

// delay is the wait after the n-th counted attempt.
func (r Rule) delay(n int) time.Duration {
	if n < r.Free {
		return 0
	}
	d := r.Delay
	for i := r.Free; i < n && d < r.MaxDelay; i++ {
		d *= 2
	}
	return min(d, r.MaxDelay)
}

// State is what a Counter keeps of a key: the attempts counted (failed, or
// in flight) and when the latest was.
type State struct {
	N    int
	Last time.Time
}

// Current returns a key's state as of now — a lock that ended leaves Free
// failures — and false when the failures are old enough to be forgotten.
// Every Counter applies the rule through Current and Wait, so a count kept
// in memory and one kept in the database behave alike.
func (r Rule) Current(s State, now time.Time) (State, bool) {
	if s.N >= r.LockAfter && !now.Before(s.Last.Add(r.Lock)) {
		s.N = r.Free
	}
	if s.N < r.LockAfter && now.Sub(s.Last) > r.Forget {
		return State{}, false
	}
	return s, true
}

// Wait is how long a key in state s (as of now, see Current) must wait
// before another attempt.
func (r Rule) Wait(s State, now time.Time) time.Duration {
	if s.N >= r.LockAfter {
		return max(0, s.Last.Add(r.Lock).Sub(now))
	}
	return max(0, s.Last.Add(r.delay(s.N)).Sub(now))
}

// Expires is when a key in state s means nothing any more: its lock has
// ended and its failures are forgotten. A Counter may drop it then.
func (r Rule) Expires(s State) time.Time {
	if s.N >= r.LockAfter {
		return s.Last.Add(max(r.Lock, r.Forget))
	}
	return s.Last.Add(r.Forget)
}

// Key is one thing attempts are counted against.
type Key struct {
	Name string // "account:somchai", "address:203.0.113.7"
	Rule Rule
}

// Counter keeps the attempt counts. Reserve is the whole point: it checks
// every key and counts the attempt against all of them in one atomic step,
// before the password is checked, so that N wrong passwords sent at once
// cannot all be evaluated. An attempt counts as a failure until the door
// says otherwise.
//
// Memory is the in-process Counter; store.SignInCounter keeps the counts in
// the database, so that several server processes share them (one
// transaction per Reserve).
type Counter interface {
	// Reserve counts an attempt against every key, or, when any key must
	// wait, counts none and returns the longest wait.
	Reserve(ctx context.Context, now time.Time, keys ...Key) (wait time.Duration, err error)
	// Undo takes back a reserved attempt that was not a failure (the right
	// password, or one never checked because the server was busy).
	Undo(ctx context.Context, now time.Time, keys ...Key) error
	// Reset forgets a key's failures (an account that signed in).
	Reset(ctx context.Context, keys ...Key) error
}

// Memory is a Counter in this process's memory, bounded to max keys.
type Memory struct {
	mu   sync.Mutex
	max  int
	keys map[string]*tally
}

type tally struct {
	n    int       // attempts counted (failed, or in flight)
	last time.Time // the latest counted attempt
	rule Rule
}

// NewMemory returns an in-memory Counter that keeps at most max keys (about
// 200 bytes each). When a spray of usernames or addresses fills it, keys
// with nothing to wait for are dropped first, then the least-failed ones; a
// locked key is the last to go.
func NewMemory(max int) *Memory {
	return &Memory{max: max, keys: map[string]*tally{}}
}

// Len is the number of keys held.
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}

// current returns the key's tally as of now: a lock that ended leaves Free
// failures; failures older than Forget are dropped.
func (m *Memory) current(name string, now time.Time) *tally {
	t := m.keys[name]
	if t == nil {
		return nil
	}
	st, live := t.rule.Current(State{N: t.n, Last: t.last}, now)
	if !live {
		delete(m.keys, name)
		return nil
	}
	t.n = st.N
	return t
}

// wait is how long the key must wait before another attempt.
func (t *tally) wait(now time.Time) time.Duration {
	if t == nil {
		return 0
	}
	return t.rule.Wait(State{N: t.n, Last: t.last}, now)
}

// Reserve implements Counter.
func (m *Memory) Reserve(_ context.Context, now time.Time, keys ...Key) (time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		wait = max(wait, m.current(k.Name, now).wait(now))
	}
	if wait > 0 {
		return wait, nil
	}
	for _, k := range keys {
		t := m.current(k.Name, now)
		if t == nil {
			m.makeRoom(now)
			t = &tally{}
			m.keys[k.Name] = t
		}
		t.n++
		t.last = now
		t.rule = k.Rule
	}
	return 0, nil
}

// Undo implements Counter.
func (m *Memory) Undo(_ context.Context, now time.Time, keys ...Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		if t := m.current(k.Name, now); t != nil && t.n > 0 {
			t.n--
		}
	}
	return nil
}

// Reset implements Counter.
func (m *Memory) Reset(_ context.Context, keys ...Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range keys {
		delete(m.keys, k.Name)
	}
	return nil
}

// makeRoom keeps the map under max keys by dropping, when it is full, the
// keys with nothing to wait for, then those with the fewest attempts, down
// to seven eighths of max.
func (m *Memory) makeRoom(now time.Time) {
	if len(m.keys) < m.max {
		return
	}
	target := m.max - m.max/8 - 1
	for name, t := range m.keys {
		if t.wait(now) == 0 {
			delete(m.keys, name)
		}
	}
	for least := 1; len(m.keys) > target; least++ {
		for name, t := range m.keys {
			if t.n <= least {
				delete(m.keys, name)
				if len(m.keys) <= target {
					return
				}
			}
		}
	}
}
