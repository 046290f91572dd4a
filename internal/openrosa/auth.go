package openrosa

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/signin"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// How tambon authenticates OpenRosa clients, and why.
//
// Accounts' passwords are stored as argon2id hashes, from which the MD5 "HA1"
// that HTTP Digest needs (MD5(username:realm:password)) cannot be derived, and
// storing an HA1 of a person's password would keep an unsalted MD5 of it
// beside the argon2id hash, undoing the point. So:
//
//   - Basic (over TLS) accepts the account's own password, checked with
//     argon2id. A successful check is remembered for a few minutes (by a
//     SHA-256 of username and password, in memory only), so a phone sending
//     a hundred households does not pay a hundred argon2id hashes.
//   - Every device gets its own random token (`tambon device create`). The
//     token works three ways: in the URL path (/openrosa/key/<token>/, as ODK
//     Central's app users do — nothing to type on the phone), or as the
//     password for Digest or Basic with the account's username. For Digest the
//     store keeps HA1 = MD5(username:realm:token): the token is 128 random
//     bits, so its MD5 cannot be reversed by guessing the way a person's
//     password could. Only the token's SHA-256 and this HA1 are stored; a
//     token is revoked per device without touching the account.
//
// Nonces are stateless: a timestamp signed with an HMAC key, valid for
// nonceLife; an expired one is answered with stale=true, which clients
// retry without asking the user. `tambon serve` keeps the key in the
// database (store.SharedKey), so a nonce one server process gave out is good
// at every other behind the same load balancer. Each Digest answer is good
// once: the (nonce, client nonce, counter) of every accepted answer is
// recorded in the database while its nonce lives (Store.FirstDigestAnswer),
// so an Authorization header copied off the wire cannot carry another body
// (Digest with qop=auth does not sign the body), at this process or any
// other. A repeat is answered like an expired nonce, so an honest client
// that resends a header just asks again.

const (
	nonceLife     = 30 * time.Minute
	basicCacheFor = 10 * time.Minute
	// tokenCacheFor bounds how long a revoked token (or a disabled account)
	// still works at a process that had just seen it: at most a second.
	tokenCacheFor = time.Second
)

// NewToken returns a new random device token (22 URL-safe characters, 128 bits).
func NewToken() string {
	var b [16]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// TokenHash is what the store keeps of a device token.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// HA1 is the Digest secret of a device: MD5(username:realm:token), hex.
func HA1(username, token string) string { return md5hex(username + ":" + Realm + ":" + token) }

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

type authenticator struct {
	store Store
	gate  *signin.Gate
	key   []byte
	now   func() time.Time

	mu      sync.Mutex
	basic   map[[32]byte]time.Time // remembered argon2id successes → when they expire
	devices map[string]deviceEntry // token hash → the device and its account, briefly
}

// deviceEntry remembers a token's device and account for tokenCacheFor:
// a phone sending its households one after another authenticates for each,
// and two queries each time cost a tenth of a submission's time. A revoked
// token or a disabled account stops working within that time, at every
// server process (each reads the database when its entry is older).
type deviceEntry struct {
	c     caller
	until time.Time
}

func newAuthenticator(st Store, gate *signin.Gate, key []byte, now func() time.Time) *authenticator {
	if len(key) == 0 {
		key = make([]byte, 32)
		rand.Read(key)
	}
	return &authenticator{store: st, gate: gate, key: key, now: now, basic: map[[32]byte]time.Time{}, devices: map[string]deviceEntry{}}
}

func unauthorized(msg apperr.Text) error { return apperr.New(apperr.Unauthorized, msg) }

var errNoCredentials = apperr.T("ต้องเข้าสู่ระบบ: ใส่ชื่อผู้ใช้และรหัสผ่าน หรือใช้ที่อยู่เซิร์ฟเวอร์ที่มีโทเค็นของอุปกรณ์",
	"sign in: give a username and password, or use the server address holding this device's token")

// errBadToken is the one answer of the token door, whether the token is
// unknown, revoked, or its account disabled or not allowed to collect. It is
// a 403, not a 401: a 401 must carry a challenge (RFC 7235), and answering
// one would make Collect ask for a username and password that cannot mend
// a token in the server address.
var errBadToken = apperr.New(apperr.Forbidden, apperr.T("ไม่รู้จักโทเค็นของอุปกรณ์นี้ หรือถูกยกเลิกแล้ว", "this device token is unknown or revoked"))

// authenticate returns the caller, or an error after setting on w the
// challenges (Digest first, then Basic) of a 401, or the Retry-After of a
// 429. Every door goes through the sign-in rule (internal/signin): the
// attempt is counted before the secret is checked, and an account that may
// not collect is answered like a wrong password.
func (a *authenticator) authenticate(w http.ResponseWriter, r *http.Request) (*caller, error) {
	c, stale, err := a.check(r)
	if err == nil {
		return c, nil
	}
	if wait, ok := signin.RetryAfter(err); ok {
		w.Header().Set("Retry-After", wait)
	}
	if apperr.Is(err, apperr.Unauthorized) && r.PathValue("token") == "" {
		st := ""
		if stale {
			st = `, stale=true`
		}
		w.Header().Add("WWW-Authenticate", `Digest realm="`+Realm+`", qop="auth", algorithm=MD5, nonce="`+a.nonce()+`"`+st)
		w.Header().Add("WWW-Authenticate", `Basic realm="`+Realm+`", charset="UTF-8"`)
	}
	return nil, err
}

func (a *authenticator) check(r *http.Request) (*caller, bool, error) {
	if tok := r.PathValue("token"); tok != "" {
		c, err := a.token(r, tok)
		return c, false, err
	}
	h := r.Header.Get("Authorization")
	switch {
	case h == "":
		return nil, false, unauthorized(errNoCredentials)
	case len(h) > 6 && strings.EqualFold(h[:6], "Basic "):
		name, pass, ok := r.BasicAuth()
		if !ok {
			return nil, false, unauthorized(errNoCredentials)
		}
		c, err := a.basicAuth(r, name, pass)
		return c, false, err
	case len(h) > 7 && strings.EqualFold(h[:7], "Digest "):
		return a.digest(r, h[7:])
	}
	return nil, false, unauthorized(errNoCredentials)
}

// token signs in with a device token in the URL path. Its attempts count
// against the client's address only: the token names no account.
func (a *authenticator) token(r *http.Request, tok string) (*caller, error) {
	var c caller
	_, err := a.gate.Attempt(r.Context(), r, "", func(ctx context.Context) (user.User, bool, error) {
		hash, now := TokenHash(tok), a.now()
		a.mu.Lock()
		e, ok := a.devices[hash]
		a.mu.Unlock()
		if ok && now.Before(e.until) {
			c = e.c
			return c.user, signin.Collect(c.user), nil
		}
		d, u, err := a.store.DeviceByToken(ctx, hash)
		if apperr.Is(err, apperr.Unauthorized) || apperr.Is(err, apperr.NotFound) {
			return u, false, nil
		}
		if err != nil {
			return u, false, err
		}
		c = caller{user: u, device: d}
		a.mu.Lock()
		if len(a.devices) > 10000 {
			clear(a.devices)
		}
		a.devices[hash] = deviceEntry{c: c, until: now.Add(tokenCacheFor)}
		a.mu.Unlock()
		return u, signin.Collect(u), nil
	})
	if apperr.Is(err, apperr.Unauthorized) {
		return nil, errBadToken
	}
	if err != nil {
		return nil, err
	}
	return &c, nil
}

var errBadLogin = signin.ErrWrong.Msg

// basicAuth signs in with a username and either a device token (as the
// password) or the account's own password.
func (a *authenticator) basicAuth(r *http.Request, name, pass string) (*caller, error) {
	var c caller
	_, err := a.gate.Attempt(r.Context(), r, name, func(ctx context.Context) (user.User, bool, error) {
		u, err := a.store.UserByName(ctx, name)
		found := err == nil
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return u, false, err
		}
		c = caller{user: u}
		if found {
			d, ok, err := a.deviceBySecret(ctx, name, HA1(name, pass))
			if err != nil {
				return u, false, err
			}
			if ok {
				c.device = d
				return u, signin.Collect(u), nil
			}
		}
		key := sha256.Sum256([]byte(name + "\x00" + pass + "\x00" + u.PasswordHash))
		now := a.now()
		a.mu.Lock()
		until, known := a.basic[key]
		a.mu.Unlock()
		if found && known && now.Before(until) {
			return u, signin.Collect(u), nil
		}
		ok, err := a.gate.Verify(ctx, u, found, pass)
		if err != nil || !ok {
			return u, false, err
		}
		a.mu.Lock()
		if len(a.basic) > 10000 { // bounded: forget everything rather than grow
			clear(a.basic)
		}
		a.basic[key] = now.Add(basicCacheFor)
		a.mu.Unlock()
		return u, signin.Collect(u), nil
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// deviceBySecret finds the live device of username whose HA1 is ha1.
func (a *authenticator) deviceBySecret(ctx context.Context, username, ha1 string) (xform.Device, bool, error) {
	ds, err := a.store.Devices(ctx, username)
	if err != nil {
		return xform.Device{}, false, err
	}
	for _, d := range ds {
		if d.RevokedAt.IsZero() && subtle.ConstantTimeCompare([]byte(d.DigestHA1), []byte(ha1)) == 1 {
			return d, true, nil
		}
	}
	return xform.Device{}, false, nil
}

// nonce is a signed timestamp.
func (a *authenticator) nonce() string {
	var b [8 + 16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(a.now().Unix()))
	m := hmac.New(sha256.New, a.key)
	m.Write(b[:8])
	copy(b[8:], m.Sum(nil))
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// nonceOK reports whether a nonce is ours (valid) and still fresh.
func (a *authenticator) nonceOK(n string) (valid, fresh bool) {
	b, err := base64.RawURLEncoding.DecodeString(n)
	if err != nil || len(b) != 24 {
		return false, false
	}
	m := hmac.New(sha256.New, a.key)
	m.Write(b[:8])
	if !hmac.Equal(m.Sum(nil)[:16], b[8:]) {
		return false, false
	}
	at := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	return true, a.now().Sub(at) < nonceLife
}

// parseDigest reads the key=value pairs of a Digest Authorization header.
func parseDigest(s string) map[string]string {
	out := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			break
		}
		k := strings.ToLower(strings.TrimSpace(s[:eq]))
		s = strings.TrimSpace(s[eq+1:])
		var v string
		if strings.HasPrefix(s, `"`) {
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				break
			}
			v, s = s[1:1+end], s[2+end:]
		} else if comma := strings.IndexByte(s, ','); comma >= 0 {
			v, s = s[:comma], s[comma:]
		} else {
			v, s = s, ""
		}
		out[k] = strings.TrimSpace(v)
		s = strings.TrimLeft(strings.TrimSpace(s), ",")
		s = strings.TrimSpace(s)
	}
	return out
}

// digest checks an RFC 2617 Digest response (MD5, qop=auth or none) against
// the HA1 of each live device of the user.
func (a *authenticator) digest(r *http.Request, header string) (*caller, bool, error) {
	p := parseDigest(header)
	if p["realm"] != Realm || p["username"] == "" || p["response"] == "" {
		return nil, false, unauthorized(errBadLogin)
	}
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "MD5") {
		return nil, false, unauthorized(apperr.T("รองรับ Digest แบบ MD5 เท่านั้น", "only MD5 Digest is supported"))
	}
	if uri := p["uri"]; uri != r.URL.RequestURI() && uri != r.URL.Path {
		return nil, false, unauthorized(errBadLogin)
	}
	valid, fresh := a.nonceOK(p["nonce"])
	if !valid {
		return nil, false, unauthorized(errBadLogin)
	}
	var c caller
	stale := false
	_, err := a.gate.Attempt(r.Context(), r, p["username"], func(ctx context.Context) (user.User, bool, error) {
		u, err := a.store.UserByName(ctx, p["username"])
		if apperr.Is(err, apperr.NotFound) {
			return u, false, nil
		}
		if err != nil {
			return u, false, err
		}
		ds, err := a.store.Devices(ctx, u.Username)
		if err != nil {
			return u, false, err
		}
		ha2 := md5hex(r.Method + ":" + p["uri"])
		for _, d := range ds {
			if !d.RevokedAt.IsZero() {
				continue
			}
			var want string
			if p["qop"] == "" {
				want = md5hex(d.DigestHA1 + ":" + p["nonce"] + ":" + ha2)
			} else {
				want = md5hex(d.DigestHA1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":" + p["qop"] + ":" + ha2)
			}
			if subtle.ConstantTimeCompare([]byte(want), []byte(p["response"])) != 1 {
				continue
			}
			// The right secret: an old nonce or a repeated answer is no
			// guess, and the client retries with a new nonce.
			if !fresh {
				stale = true
				return u, false, unauthorized(apperr.T("รหัสใช้ครั้งเดียวหมดอายุ", "the nonce has expired"))
			}
			now := a.now()
			first, err := a.store.FirstDigestAnswer(ctx, p["nonce"]+"\x00"+p["cnonce"]+"\x00"+p["nc"], now, now.Add(nonceLife))
			if err != nil {
				return u, false, err
			}
			if !first {
				stale = true
				return u, false, unauthorized(apperr.T("คำตอบ Digest นี้ถูกใช้ไปแล้ว", "this Digest answer was already used"))
			}
			c = caller{user: u, device: d}
			return u, signin.Collect(u), nil
		}
		return u, false, nil
	})
	if err != nil {
		return nil, stale, err
	}
	return &c, false, nil
}
