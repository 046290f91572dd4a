package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/signin"
	"tambon/internal/user"
)

// tokenStore is what signing in with an API token needs from storage.
// *store.Store implements it.
type tokenStore interface {
	TokenByHash(ctx context.Context, tokenHash string) (user.Token, error)
	TouchToken(ctx context.Context, id int64, at time.Time) error
}

const (
	// tokenCacheFor bounds how long a revoked or expired token still works
	// at a process that had just checked it: at most a second, as for the
	// OpenRosa device tokens.
	tokenCacheFor = time.Second
	// tokenTouchEvery is how often a token's last use is written: at most
	// once a minute per token and process, not once a request.
	tokenTouchEvery = time.Minute
)

// tokenCache remembers, per process, the tokens checked in the last second
// and when each token's last use was last written.
type tokenCache struct {
	mu      sync.Mutex
	checked map[string]tokenEntry // token hash → the token, until
	touched map[int64]time.Time   // token id → when last_used_at was written
}

type tokenEntry struct {
	t     user.Token
	until time.Time
}

// bearer returns the token of an "Authorization: Bearer …" header, if any.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "Bearer ") {
		return "", false
	}
	return strings.TrimSpace(h[7:]), true
}

// tokenDoor reports whether a path takes API tokens: the JSON API and the
// OData feed. Pages are for people, who sign in.
func tokenDoor(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/odata" || strings.HasPrefix(path, "/odata/")
}

// errBadBearer is the one answer of the token door, whatever was wrong.
var errBadBearer = apperr.New(apperr.Unauthorized, apperr.T("ไม่รู้จักโทเค็นนี้ หรือถูกยกเลิกหรือหมดอายุแล้ว", "this token is unknown, revoked or expired"))

// tokenUser signs in with an API token. A token checked in the last second
// at this process is taken as it was (it is no guess); any other goes
// through the sign-in rule (internal/signin), counted against the client's
// address before the database is asked, so guessing tokens is refused with
// 429 like guessing passwords.
func (s *Server) tokenUser(r *http.Request, token string) (*user.User, error) {
	ts, ok := s.store.(tokenStore)
	if !ok {
		return nil, errBadBearer
	}
	hash, now := user.TokenHash(token), s.now()
	s.tokens.mu.Lock()
	e, hit := s.tokens.checked[hash]
	s.tokens.mu.Unlock()
	var t user.Token
	if hit && now.Before(e.until) {
		t = e.t
	} else {
		_, err := s.signin.Attempt(r.Context(), r, "", func(ctx context.Context) (user.User, bool, error) {
			var err error
			t, err = ts.TokenByHash(ctx, hash)
			if apperr.Is(err, apperr.Unauthorized) {
				return user.User{}, false, nil
			}
			if err != nil {
				return user.User{}, false, err
			}
			return t.User(), true, nil
		})
		if apperr.Is(err, apperr.Unauthorized) {
			return nil, errBadBearer
		}
		if err != nil {
			return nil, err
		}
		until := now.Add(tokenCacheFor)
		s.tokens.mu.Lock()
		if s.tokens.checked == nil || len(s.tokens.checked) > 10000 {
			s.tokens.checked = map[string]tokenEntry{}
		}
		s.tokens.checked[hash] = tokenEntry{t: t, until: until}
		s.tokens.mu.Unlock()
	}
	if !t.Live(now) {
		return nil, errBadBearer
	}
	s.tokens.mu.Lock()
	last, seen := s.tokens.touched[t.ID]
	write := !seen || now.Sub(last) >= tokenTouchEvery
	if write {
		if s.tokens.touched == nil || len(s.tokens.touched) > 10000 {
			s.tokens.touched = map[int64]time.Time{}
		}
		s.tokens.touched[t.ID] = now
	}
	s.tokens.mu.Unlock()
	if write {
		if err := ts.TouchToken(r.Context(), t.ID, now); err != nil {
			s.log.Warn("token last use not recorded", "token", t.Name, "err", err)
		}
	}
	u := t.User()
	return &u, nil
}

// withBearer answers a request carrying a bad token at once (401, or 429
// with Retry-After), so that a client never mistakes it for a signed-out
// visitor's answer.
func (s *Server) withBearer(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	token, ok := bearer(r)
	if !ok || !tokenDoor(r.URL.Path) {
		return r, true
	}
	u, err := s.tokenUser(r, token)
	if err != nil {
		if wait, ok := signin.RetryAfter(err); ok {
			w.Header().Set("Retry-After", wait)
		}
		if apperr.Is(err, apperr.Unauthorized) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tambon", error="invalid_token"`)
		}
		s.apiError(w, r, err)
		return r, false
	}
	return r.WithContext(context.WithValue(r.Context(), ctxUser, u)), true
}
