// Package signin is the one rule for signing in, whatever the door: the web
// login form, OpenRosa Basic and Digest, and OpenRosa device tokens in the
// URL path.
//
// Every attempt is counted before the secret is checked, atomically, against
// the account and against the client's address (Counter.Reserve): N wrong
// passwords sent at once cannot all be evaluated. The first few failures are
// free, then each attempt waits longer (Rule), then the key is locked for a
// while; an attempt refused so is answered 429 Too Many Requests with
// Retry-After. An unknown account, a wrong password, a disabled account and
// an account that may not use the door all get the same answer, after the
// same argon2id work (a dummy hash for unknown names), so neither the answer
// nor its time tells which it was.
package signin

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// Config wires a Gate.
type Config struct {
	// Counter keeps the attempt counts; NewMemory(DefaultKeys) when nil.
	Counter Counter
	Now     func() time.Time
	// Proxies are the reverse proxies whose X-Forwarded-For is believed
	// (ParseProxies); with none, the client is the connection's peer.
	Proxies Proxies
	// Check compares a password with a stored hash: user.CheckPassword
	// when nil (tests count the calls).
	Check func(ctx context.Context, hash, password string) (bool, error)
	// Account and Address are the rules; AccountRule and AddressRule when zero.
	Account, Address Rule
}

// DefaultKeys bounds the in-memory counter: 20,000 accounts and addresses,
// a few megabytes at most.
const DefaultKeys = 20000

// Gate applies the rule. One Gate serves every door of a server, so failures
// on one door count on the others.
type Gate struct {
	cfg   Config
	dummy func() (string, error)
}

// New builds a Gate.
func New(cfg Config) *Gate {
	if cfg.Counter == nil {
		cfg.Counter = NewMemory(DefaultKeys)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Check == nil {
		cfg.Check = user.CheckPassword
	}
	if cfg.Account == (Rule{}) {
		cfg.Account = AccountRule
	}
	if cfg.Address == (Rule{}) {
		cfg.Address = AddressRule
	}
	return &Gate{cfg: cfg, dummy: sync.OnceValues(func() (string, error) {
		var b [18]byte
		rand.Read(b[:])
		return user.HashPassword(base64.RawStdEncoding.EncodeToString(b[:]))
	})}
}

// Door says whether an account may sign in through a door. An account that
// may not is answered exactly like a wrong password.
type Door func(user.User) bool

// The doors.
var (
	// Web is the login form: any account that is not disabled.
	Web Door = func(u user.User) bool { return !u.Disabled }
	// Collect is OpenRosa: accounts that may enter households.
	Collect Door = func(u user.User) bool { return u.Can(user.EditHouseholds) }
)

// ErrWrong is the one answer to a failed sign-in.
var ErrWrong = apperr.New(apperr.Unauthorized, apperr.T("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "wrong username or password"))

// Users finds accounts by name.
type Users interface {
	UserByName(ctx context.Context, username string) (user.User, error)
}

// Password signs in with a username and password through door.
func (g *Gate) Password(ctx context.Context, r *http.Request, users Users, door Door, username, password string) (user.User, error) {
	return g.Attempt(ctx, r, username, func(ctx context.Context) (user.User, bool, error) {
		u, err := users.UserByName(ctx, username)
		found := err == nil
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return user.User{}, false, err
		}
		ok, err := g.Verify(ctx, u, found, password)
		return u, ok && door(u), err
	})
}

// Verify checks password against the account's hash or, when the account
// was not found, against a dummy hash made with the same parameters, so
// that an unknown name costs the same time as a wrong password.
func (g *Gate) Verify(ctx context.Context, u user.User, found bool, password string) (bool, error) {
	hash := u.PasswordHash
	if !found {
		var err error
		if hash, err = g.dummy(); err != nil {
			return false, err
		}
	}
	ok, err := g.cfg.Check(ctx, hash, password)
	return ok && found, err
}

// Attempt runs one sign-in attempt: it counts the attempt against the
// account (when account is not empty) and the client's address, refusing
// with 429 when either must wait, then runs check. A check that fails is a
// failure; a right one forgets the account's failures. A check that returns
// an error (the server busy, a nonce to renew) was not a guess and is not
// counted.
func (g *Gate) Attempt(ctx context.Context, r *http.Request, account string, check func(context.Context) (user.User, bool, error)) (user.User, error) {
	keys := []Key{{Name: "address:" + g.ClientKey(r), Rule: g.cfg.Address}}
	if account != "" {
		keys = append(keys, Key{Name: "account:" + accountKey(account), Rule: g.cfg.Account})
	}
	wait, err := g.cfg.Counter.Reserve(ctx, g.cfg.Now(), keys...)
	if err != nil {
		return user.User{}, fmt.Errorf("sign-in count: %w", err)
	}
	if wait > 0 {
		return user.User{}, tooMany(wait)
	}
	u, ok, err := check(ctx)
	if err != nil {
		if uerr := g.cfg.Counter.Undo(ctx, g.cfg.Now(), keys...); uerr != nil {
			return user.User{}, errors.Join(err, uerr)
		}
		if errors.Is(err, user.ErrBusy) || apperr.Is(err, apperr.TooMany) {
			return user.User{}, busy(err)
		}
		return user.User{}, err
	}
	if !ok {
		return user.User{}, ErrWrong
	}
	if err := g.cfg.Counter.Undo(ctx, g.cfg.Now(), keys[0]); err != nil {
		return user.User{}, err
	}
	if err := g.cfg.Counter.Reset(ctx, keys[1:]...); err != nil {
		return user.User{}, err
	}
	return u, nil
}

// accountKey is the name attempts are counted under: as typed, lower-case
// (usernames are), and bounded so a megabyte of username is not kept.
func accountKey(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}

// Wait is the cause of a refused attempt: how long to wait.
type Wait struct{ After time.Duration }

func (w *Wait) Error() string { return fmt.Sprintf("try again in %s", w.After) }

// RetryAfter returns the Retry-After header's value (whole seconds, at
// least 1) when err refuses an attempt for now.
func RetryAfter(err error) (string, bool) {
	var w *Wait
	if !errors.As(err, &w) {
		return "", false
	}
	return fmt.Sprint(max(1, int(math.Ceil(w.After.Seconds())))), true
}

// busyWait is the Retry-After of a server busy hashing other passwords.
const busyWait = 2 * time.Second

func busy(err error) error {
	return apperr.Wrap(errors.Join(&Wait{After: busyWait}, err), apperr.TooMany, user.ErrBusy.Msg)
}

func tooMany(wait time.Duration) error {
	n, th, en := int(math.Ceil(wait.Seconds())), "%d วินาที", "%d seconds"
	if wait > 90*time.Second {
		n, th, en = int(math.Ceil(wait.Minutes())), "%d นาที", "%d minutes"
	}
	if n == 1 {
		en = en[:len(en)-1] // Thai has no plural
	}
	th, en = fmt.Sprintf(th, n), fmt.Sprintf(en, n)
	return apperr.Wrap(&Wait{After: wait}, apperr.TooMany, apperr.T(
		"พยายามเข้าสู่ระบบผิดหลายครั้ง โปรดรอ "+th+" แล้วลองใหม่",
		"too many failed sign-ins: wait "+en+" and try again"))
}
