package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

const (
	sessionCookie = "tambon_session"
	sessionLife   = 12 * time.Hour
)

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "login", s.msgs.text(langFrom(r.Context()), "nav.signin"), loginData{Next: safeNext(r.URL.Query().Get("next"))})
}

type loginData struct {
	Username string
	Next     string
	Error    apperr.Text
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(strings.ToLower(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	key := username + "|" + clientIP(r)
	fail := func(status int, msg apperr.Text) error {
		return s.render(w, r, status, "login", s.msgs.text(langFrom(r.Context()), "nav.signin"),
			loginData{Username: username, Next: next, Error: msg})
	}
	if wait := s.limiter.blocked(key); wait > 0 {
		return fail(http.StatusTooManyRequests, apperr.Tf(
			"พยายามเข้าสู่ระบบผิดหลายครั้ง โปรดรอ %d นาทีแล้วลองใหม่",
			"too many failed sign-ins: wait %d minutes and try again", int(math.Ceil(wait.Minutes()))))
	}
	u, err := s.store.UserByName(r.Context(), username)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	if err != nil || u.Disabled || !user.CheckPassword(u.PasswordHash, password) {
		s.limiter.fail(key)
		return fail(http.StatusUnauthorized, apperr.T("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "wrong username or password"))
	}
	s.limiter.reset(key)
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now()
	if err := s.store.CreateSession(r.Context(), user.Session{ID: hashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(sessionLife)}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(sessionLife.Seconds())})
	s.log.Info("signed in", "user", u.Username)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), hashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// loginLimiter locks a username (from one address) out for a while after
// repeated failures, so passwords cannot be guessed at speed.
type loginLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	fails map[string]*failures
}

type failures struct {
	n           int
	first, lock time.Time
}

const (
	maxFailures  = 5
	failWindow   = 15 * time.Minute
	lockDuration = 15 * time.Minute
)

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, fails: map[string]*failures{}}
}

func (l *loginLimiter) blocked(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.fails[key]
	if f == nil {
		return 0
	}
	if wait := f.lock.Sub(l.now()); wait > 0 {
		return wait
	}
	return 0
}

func (l *loginLimiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f := l.fails[key]
	if f == nil || now.Sub(f.first) > failWindow {
		f = &failures{first: now}
		l.fails[key] = f
	}
	f.n++
	if f.n >= maxFailures {
		f.lock = now.Add(lockDuration)
		f.n = 0
		f.first = now
	}
	if len(l.fails) > 100000 { // bound memory under a spray of usernames
		for k, v := range l.fails {
			if now.Sub(v.first) > failWindow && now.After(v.lock) {
				delete(l.fails, k)
			}
		}
	}
}

func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	delete(l.fails, key)
	l.mu.Unlock()
}
