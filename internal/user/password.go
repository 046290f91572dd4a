package user

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"

	"tambon/internal/apperr"
)

// Argon2id parameters: 64 MiB is OWASP's first recommended setting; with two
// cores and t=1 a hash takes tens of milliseconds, so a login is not a way to
// load the server more than the rate limiter allows.
const (
	argonTime    = 1
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// MaxConcurrentHashes is how many argon2id hashes run at once in this
// process, whoever asks (sign-ins on every door, password changes). Each
// takes 64 MiB while it runs, so this bounds their memory under any burst.
// One: a hash already runs on two threads (argonThreads), which keeps a
// district server's two cores busy, so a second at once would only halve
// the speed of both and double the memory.
const MaxConcurrentHashes = 1

// hashWait is how long a hash waits for a free slot before the caller is
// told the server is busy: at ~30-60 ms a hash, fifty to a hundred sign-ins
// ahead of it. A variable so tests can shorten it.
var hashWait = 3 * time.Second

var (
	hashSlots                = make(chan struct{}, MaxConcurrentHashes)
	hashActive, hashPeakSeen atomic.Int64 // instrumented for the tests
)

// ErrBusy answers a password check or hash that found every hashing slot
// taken for too long: the caller should try again shortly (HTTP 429).
var ErrBusy = apperr.New(apperr.TooMany, apperr.T(
	"เซิร์ฟเวอร์กำลังตรวจรหัสผ่านของผู้อื่นอยู่มาก โปรดลองใหม่ในอีกสักครู่",
	"the server is busy checking other passwords: try again in a moment"))

// hashing runs fn in a hashing slot, waiting at most hashWait (or until
// ctx ends) for one.
func hashing(ctx context.Context, fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return apperr.Wrap(ctx.Err(), apperr.TooMany, ErrBusy.Msg)
	}
	n := hashActive.Add(1)
	for {
		p := hashPeakSeen.Load()
		if n <= p || hashPeakSeen.CompareAndSwap(p, n) {
			break
		}
	}
	defer func() {
		hashActive.Add(-1)
		<-hashSlots
	}()
	fn()
	// The 64 MiB just used is garbage now. Left to the collector's pace,
	// which counted it as live while the hash ran, the heap grows to
	// several times that before it is collected (a burst of sign-ins took
	// a small server from 90 to 270 MB). Collecting here, still holding
	// the slot, lets the next hash reuse the same memory (peak 135-165
	// MB); the collection costs little beside the hash itself.
	runtime.GC()
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format
// ($argon2id$v=19$m=65536,t=1,p=2$salt$hash).
func HashPassword(password string) (string, error) {
	return HashPasswordContext(context.Background(), password)
}

// HashPasswordContext is HashPassword that gives up, with ErrBusy, when
// no hashing slot frees up in time.
func HashPasswordContext(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	var key []byte
	if err := hashing(ctx, func() {
		key = argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	}); err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time.
// The parameters are read from the hash so that old hashes keep working
// after the defaults change; a hash asking for more memory than the
// defaults is refused, so a stored hash cannot make a check dearer than
// the cap planned for. The error is ErrBusy when no hashing slot freed up.
func CheckPassword(ctx context.Context, hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, nil
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > argonMemory || t > 10 || p == 0 {
		return false, nil
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, nil
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false, nil
	}
	var got []byte
	if err := hashing(ctx, func() { got = argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want))) }); err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
